"""The mean-field link from spiking networks to population rates (Brunel 2000; Amit & Brunel 1997).

In the asynchronous irregular state of a sparse E-I network of LIF neurons with delta synapses,
each neuron sees Gaussian input with (Brunel 2000, eqs. 4-5; times in ms, rates in 1/ms)

    mu    = C_E J tau (nu_ext + nu (1 - g gamma))
    sigma = J sqrt(C_E tau (nu_ext + nu (1 + g^2 gamma)))

(gamma = C_I / C_E), and fires at the Siegert rate of that input; the network rate is the fixed
point nu = phi(mu(nu), sigma(nu)), solved here by Brent's method.
"""

from __future__ import annotations

import numpy as np
from scipy import optimize

from ..core.errors import ParameterError
from ..core.parameters import require_non_negative, require_positive
from ..stochastic import siegert_rate


def brunel_mean_field(g: float, eta: float, J: float = 0.1, c_e: int = 1000, gamma: float = 0.25,
                      tau_m: float = 20.0, v_th: float = 20.0, v_reset: float = 10.0, t_ref: float = 2.0) -> float:
    """Self-consistent rate (Hz) of Brunel's (2000) model A in the AI state.

    g: relative inhibition; eta: nu_ext / nu_thr with nu_thr = v_th / (J c_e tau_m); J (mV), tau_m,
    t_ref (ms), v_th, v_reset (mV). Without external input (eta = 0) the quiescent state is a fixed
    point (mu = sigma = 0, nu = 0) and 0.0 is returned when no active state is bracketed; otherwise NaN
    when no self-consistent rate below 1/t_ref exists.
    """
    for name, value in (("J", J), ("tau_m", tau_m), ("c_e", c_e)):
        require_positive(name, value)
    for name, value in (("g", g), ("eta", eta), ("gamma", gamma), ("t_ref", t_ref)):
        require_non_negative(name, value)
    if not v_reset < v_th:
        raise ParameterError(f"v_reset = {v_reset} mV must be below v_th = {v_th} mV")
    nu_ext = eta * v_th / (J * c_e * tau_m)

    def mismatch(nu):
        mu = c_e * J * tau_m * (nu_ext + nu * (1.0 - g * gamma))
        sigma = J * np.sqrt(c_e * tau_m * (nu_ext + nu * (1.0 + g * g * gamma)))
        return siegert_rate(mu, sigma, tau_m, v_th, v_reset, t_ref) * 1e-3 - nu

    top = (1.0 / t_ref if t_ref > 0 else 1.0) * 0.999
    if mismatch(1e-9) * mismatch(top) > 0:
        return 0.0 if eta == 0 and mismatch(1e-9) <= 0 else float("nan")
    return float(optimize.brentq(mismatch, 1e-9, top, xtol=1e-12) * 1e3)
