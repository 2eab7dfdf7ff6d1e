"""Neural mass models: Wilson-Cowan (1972) and Jansen-Rit (1995).

Both are written in the model protocol (conditionally linear ``dy/dt = a + b y``), so they run with
``nl.simulate`` (every fixed-step method, the adaptive solver and the SDE methods through noisy
inputs) and with the dynamics tools (fixed points, Jacobians, Hopf points). Neither spikes: their
first state variable is the one the tools scan and ``simulate`` records by default.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..core._math import exp, kernel
from ..core.model import Model
from ..core.parameters import require_positive, require_range


@kernel
def wilson_cowan_equations(t, y, p, i_ext, a, b):
    """tau_E dE/dt = -E + (k_E - r_E E) S_E(c1 E - c2 I + P);  tau_I dI/dt = -I + (k_I - r_I I) S_I(c3 E - c4 I + Q)."""
    for k in range(y.shape[1]):
        e_ = y[0, k]
        i_ = y[1, k]
        x_e = p[0, k] * e_ - p[1, k] * i_ + i_ext[k]
        x_i = p[2, k] * e_ - p[3, k] * i_ + p[12, k]
        s_e = 1.0 / (1.0 + exp(-p[4, k] * (x_e - p[5, k]))) - p[13, k]
        s_i = 1.0 / (1.0 + exp(-p[6, k] * (x_i - p[7, k]))) - p[14, k]
        # linear in E (and I) for the exponential-Euler solver: dE/dt = (k_E S_E - (1 + r_E S_E) E) / tau_E
        a[0, k] = p[8, k] * s_e * p[10, k]
        b[0, k] = -(1.0 + p[9, k] * s_e) * p[10, k]
        a[1, k] = p[8, k] * s_i * p[11, k]
        b[1, k] = -(1.0 + p[9, k] * s_i) * p[11, k]


@dataclass(frozen=True)
class WilsonCowan(Model):
    """Wilson & Cowan (1972) excitatory-inhibitory population model.

    ``tau_e dE/dt = -E + (k - r E) S_e(c1 E - c2 I + P)``, ``tau_i dI/dt = -I + (k - r I) S_i(c3 E - c4 I + Q)``
    with ``S(x) = 1/(1 + exp(-a (x - theta))) - 1/(1 + exp(a theta))``. The excitatory input P is
    the injected ``current`` of ``nl.simulate``; Q is a parameter. E and I are fractions of active
    cells (dimensionless); time in ms. Defaults: the limit-cycle parameters of Wilson & Cowan (1972),
    Fig. 12 (c1 16, c2 12, c3 15, c4 3, a_e 1.3, theta_e 4, a_i 2, theta_i 3.7, r 1), with k the
    sigmoids' maxima and tau_e = tau_i = 10 ms. Source: H. R. Wilson & J. D. Cowan, Biophys. J.
    12:1-24 (1972).
    """

    c1: float = 16.0
    c2: float = 12.0
    c3: float = 15.0
    c4: float = 3.0
    a_e: float = 1.3
    theta_e: float = 4.0
    a_i: float = 2.0
    theta_i: float = 3.7
    r: float = 1.0
    tau_e: float = 10.0
    tau_i: float = 10.0
    q: float = 0.0

    state_names = ("E", "I")
    current_unit = "dimensionless input P"
    spike_variable = "none"
    default_method = "rk4"
    equations = staticmethod(wilson_cowan_equations)

    def __post_init__(self):
        for name in ("a_e", "a_i", "tau_e", "tau_i"):
            require_positive(name, getattr(self, name))
        for name in ("c1", "c2", "c3", "c4", "theta_e", "theta_i", "r", "q"):
            require_range(name, getattr(self, name), -1e3, 1e3)

    def _k(self, a, theta):
        # the sigmoid's maximum, 1 - 1/(1 + exp(a theta)), so that S ranges up to k
        return 1.0 - 1.0 / (1.0 + np.exp(np.asarray(a) * np.asarray(theta)))

    def _pack(self):
        k_e = self._k(self.a_e, self.theta_e)
        return (self.c1, self.c2, self.c3, self.c4, self.a_e, self.theta_e, self.a_i, self.theta_i, k_e, self.r,
                1.0 / np.asarray(self.tau_e, dtype=float), 1.0 / np.asarray(self.tau_i, dtype=float), self.q,
                1.0 / (1.0 + np.exp(np.asarray(self.a_e) * np.asarray(self.theta_e))),
                1.0 / (1.0 + np.exp(np.asarray(self.a_i) * np.asarray(self.theta_i))))

    def initial_state(self):
        return {"E": 0.0, "I": 0.0}


@kernel
def jansen_rit_equations(t, y, p, i_ext, a, b):
    """Jansen & Rit (1995), times in ms: second-order synaptic kernels h(t) = G k t e^{-k t}."""
    for k in range(y.shape[1]):
        big_a, big_b, ra, rb, c = p[0, k], p[1, k], p[2, k], p[3, k], p[4, k]
        e0, v0, slope = p[5, k], p[6, k], p[7, k]
        y0, y1, y2 = y[0, k], y[1, k], y[2, k]
        s_pyr = 2.0 * e0 / (1.0 + exp(slope * (v0 - (y1 - y2))))          # pyramidal output (1/ms)
        s_exc = 2.0 * e0 / (1.0 + exp(slope * (v0 - 0.25 * c * y0)))     # to the inhibitory pool, C3 y0
        s_in = 2.0 * e0 / (1.0 + exp(slope * (v0 - c * y0)))             # to the excitatory pool, C1 y0
        pulse = i_ext[k] * 1e-3                                          # pulses/s -> 1/ms
        a[0, k] = y[3, k]
        b[0, k] = 0.0
        a[1, k] = y[4, k]
        b[1, k] = 0.0
        a[2, k] = y[5, k]
        b[2, k] = 0.0
        a[3, k] = big_a * ra * s_pyr - ra * ra * y0
        b[3, k] = -2.0 * ra
        a[4, k] = big_a * ra * (pulse + 0.8 * c * s_in) - ra * ra * y1
        b[4, k] = -2.0 * ra
        a[5, k] = big_b * rb * 0.25 * c * s_exc - rb * rb * y2
        b[5, k] = -2.0 * rb


@dataclass(frozen=True)
class JansenRit(Model):
    """Jansen & Rit (1995) cortical column: pyramidal cells, excitatory and inhibitory interneurons.

    Three populations linked by second-order synaptic kernels ``h_e(t) = A a t e^{-a t}`` and
    ``h_i(t) = B b t e^{-b t}`` and the sigmoid ``S(v) = 2 e0 / (1 + exp(r (v0 - v)))``; connectivity
    C1 = C, C2 = 0.8 C, C3 = C4 = 0.25 C. The EEG-like output is ``y1 - y2`` (mV). The external input
    p (pulses/s) is the injected ``current`` of ``nl.simulate`` (the paper drives it with noise of
    120-320 pulses/s). Standard parameters: A 3.25 mV, B 22 mV, a 100/s, b 50/s, C 135, e0 2.5/s,
    v0 6 mV, r 0.56/mV (stored in 1/ms). Source: B. H. Jansen & V. G. Rit, Biol. Cybern. 73:357 (1995).
    """

    big_a: float = 3.25
    big_b: float = 22.0
    a: float = 100.0
    b: float = 50.0
    c: float = 135.0
    e0: float = 2.5
    v0: float = 6.0
    r: float = 0.56

    state_names = ("y0", "y1", "y2", "y3", "y4", "y5")
    state_units = {"y0": "mV", "y1": "mV", "y2": "mV"}
    current_unit = "pulses/s"
    spike_variable = "none"
    default_method = "rk4"
    equations = staticmethod(jansen_rit_equations)

    def __post_init__(self):
        for name in ("big_a", "big_b", "a", "b", "c", "e0", "r"):
            require_positive(name, getattr(self, name))
        require_range("v0", self.v0, -100.0, 100.0, unit="mV")

    def _pack(self):
        return (self.big_a, self.big_b, np.asarray(self.a) * 1e-3, np.asarray(self.b) * 1e-3, self.c,
                np.asarray(self.e0) * 1e-3, self.v0, self.r)

    def initial_state(self):
        return {name: 0.0 for name in self.state_names}

    @staticmethod
    def eeg(result) -> np.ndarray:
        """The EEG-like signal y1 - y2 (mV) of a result that recorded y1 and y2."""
        return result["y1"] - result["y2"]
