"""The stochastic leaky integrate-and-fire neuron, with threshold-reset at first passage."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..core._math import kernel
from ..core.model import Model
from ..core.parameters import require_less, require_non_negative, require_positive, require_range
from ..neurons.lif import lif_drift

#: |zeta(1/2)| / sqrt(2 pi): the overshoot constant of a discretely monitored Brownian motion
#: (Broadie, Glasserman & Kou 1997; the same shift as Brunel & Hakim 1999's discrete-time threshold)
DISCRETE_CROSSING_SHIFT = 0.5826


@kernel
def stochastic_lif_drift(t, y, p, i_ext, a, b):
    """tau_m dV/dt = mu - V: mu is the injected input (mV), p[0] = 1/tau_m.

    The LIF equation of :func:`neuroladder.neurons.lif.lif_drift` with e_l = 0 and the input in mV (R I = mu,
    so I / c_m = mu / tau_m)."""
    for k in range(y.shape[1]):
        a[0, k], b[0, k] = lif_drift(p[0, k], 0.0, p[0, k], i_ext[k])


@kernel
def stochastic_lif_noise(t, y, p, g):
    """sigma sqrt(tau_m) xi / tau_m = (sigma / sqrt(tau_m)) dW/dt: p[1] = sigma / sqrt(tau_m)."""
    for k in range(y.shape[1]):
        g[0, k] = p[1, k]


@kernel
def stochastic_lif_reset(y, p, k):
    y[0, k] = p[2, k]


@dataclass(frozen=True)
class StochasticLIF(Model):
    """LIF driven by white noise, in Brunel's (2000) convention.

    ``tau_m dV/dt = mu - V + sigma sqrt(tau_m) xi(t)``, xi unit Gaussian white noise (so the free
    membrane potential fluctuates with SD sigma / sqrt(2)); threshold ``v_th``, reset ``v_reset``,
    refractory ``t_ref``. The mean input ``mu`` (mV) is the injected "current" of ``nl.simulate``
    (``current=mu``); ``sigma`` (mV) is a parameter. Resetting at the first passage is legitimate
    because of the strong Markov property of the diffusion at that stopping time.

    Its rate is :func:`neuroladder.stochastic.siegert_rate`. A fixed step sees the threshold only on
    the grid and misses excursions between grid points, which biases the rate low by O(sqrt(dt));
    with ``bias_correction`` (default) the simulation lowers the threshold by
    ``0.5826 sigma sqrt(dt / tau_m)`` (the discrete-monitoring correction of Broadie, Glasserman &
    Kou 1997, equivalent to Brunel & Hakim's 1999 shifted boundary).

    Units: mV, ms. Defaults: Brunel (2000) model A (tau 20 ms, theta 20 mV, V_r 10 mV, t_ref 2 ms).
    """

    tau_m: float = 20.0
    sigma: float = 5.0
    v_th: float = 20.0
    v_reset: float = 10.0
    t_ref: float = 2.0
    v_init: float = 10.0
    bias_correction: bool = True

    state_names = ("v",)
    state_units = {"v": "mV"}
    current_unit = "mV (mean input mu)"
    default_method = "exponential_euler"
    equations = staticmethod(stochastic_lif_drift)
    noise = staticmethod(stochastic_lif_noise)
    reset = staticmethod(stochastic_lif_reset)

    def __post_init__(self):
        require_positive("tau_m", self.tau_m, "ms")
        require_non_negative("sigma", self.sigma, "mV")
        require_non_negative("t_ref", self.t_ref, "ms")
        for name in ("v_th", "v_reset", "v_init"):
            require_range(name, getattr(self, name), -500.0, 500.0, unit="mV")
        require_less("v_reset", self.v_reset, "v_th", self.v_th, "mV")

    def _pack(self):
        tau = np.asarray(self.tau_m, dtype=float)
        return (1.0 / tau, np.asarray(self.sigma, dtype=float) / np.sqrt(tau), self.v_reset)

    def initial_state(self):
        return {"v": self.v_init}

    def threshold(self):
        return self.v_th

    def threshold_at(self, dt: float):
        if not self.bias_correction:
            return self.v_th
        return np.asarray(self.v_th) - DISCRETE_CROSSING_SHIFT * np.asarray(self.sigma) * np.sqrt(
            dt / np.asarray(self.tau_m, dtype=float))

    def refractory_period(self):
        return self.t_ref

    def rate(self, mu):
        """Theoretical rate (Hz) for mean input ``mu`` (mV): the Siegert formula."""
        from .siegert import siegert_rate

        return siegert_rate(mu, self.sigma, self.tau_m, self.v_th, self.v_reset, self.t_ref)


