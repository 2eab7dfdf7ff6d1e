"""The adaptive exponential integrate-and-fire neuron (Brette & Gerstner 2005)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..core._math import exp, kernel
from ..core.model import Model
from ..core.parameters import require_less, require_non_negative, require_positive, require_range


@kernel
def adex_equations(t, y, p, i_ext, a, b):
    """C dv/dt = -g_l (v - e_l) + g_l delta_t exp((v - v_t)/delta_t) - w + I ; tau_w dw/dt = a (v - e_l) - w."""
    for k in range(y.shape[1]):
        v = y[0, k]
        # the exponential is evaluated at min(v, v_peak), as NEST does, so that a
        # trial stage past the peak cannot overflow
        spike = p[1, k] * p[4, k] * exp((min(v, p[9, k]) - p[3, k]) / p[4, k])
        inv_c = p[0, k]
        a[0, k] = (p[1, k] * p[2, k] + spike - y[1, k] + i_ext[k]) * inv_c
        b[0, k] = -p[1, k] * inv_c
        a[1, k] = p[6, k] * (v - p[2, k]) * p[5, k]
        b[1, k] = -p[5, k]


@kernel
def adex_reset(y, p, k):
    """v <- v_reset, w <- w + b."""
    y[0, k] = p[8, k]
    y[1, k] += p[7, k]


@dataclass(frozen=True)
class AdEx(Model):
    """Adaptive exponential integrate-and-fire neuron.

    ``C dv/dt = -g_l (v - e_l) + g_l delta_t exp((v - v_t) / delta_t) - w + I``,
    ``tau_w dw/dt = a (v - e_l) - w``; at ``v >= v_peak``: ``v <- v_reset``, ``w <- w + b``
    (then v is held for ``t_ref``).

    Units (NEST ``aeif_*``): c_m pF, g_l nS, e_l, v_t, delta_t, v_reset, v_peak mV,
    tau_w ms, a nS, b pA, current pA. Defaults are Brette & Gerstner's (2005)
    Table 1 (C = 281 pF, g_L = 30 nS, E_L = -70.6 mV, V_T = -50.4 mV, Delta_T = 2 mV,
    tau_w = 144 ms, a = 4 nS, b = 0.0805 nA) with V_reset = E_L and V_peak = 0 mV
    as in NEST's aeif_cond_alpha.
    Source: R. Brette & W. Gerstner, J. Neurophysiol. 94:3637-3642 (2005).
    """

    c_m: float = 281.0
    g_l: float = 30.0
    e_l: float = -70.6
    v_t: float = -50.4
    delta_t: float = 2.0
    tau_w: float = 144.0
    a: float = 4.0
    b: float = 80.5
    v_reset: float = -70.6
    v_peak: float = 0.0
    t_ref: float = 0.0
    v_init: float | None = None

    state_names = ("v", "w")
    state_units = {"v": "mV", "w": "pA"}
    current_unit = "pA"
    default_method = "rk4"
    equations = staticmethod(adex_equations)
    reset = staticmethod(adex_reset)
    physical_range = {"v": (-1000.0, 1000.0)}

    def max_dt(self, method: str) -> float | None:
        """RK4 0.2 ms, Euler 0.05 ms: the largest steps at which a 300 ms, 800 pA run keeps the spike count
        of a dt = 0.001 ms run with spike times within ~0.9 ms of it (Euler drifts 1.5 ms at 0.1 ms,
        RK4 1.2 ms at 0.5 ms)."""
        return {"rk4": 0.2, "euler": 0.05}.get(method)

    def __post_init__(self):
        require_positive("c_m", self.c_m, "pF")
        require_positive("g_l", self.g_l, "nS")
        require_positive("delta_t", self.delta_t, "mV")
        require_positive("tau_w", self.tau_w, "ms")
        require_non_negative("t_ref", self.t_ref, "ms")
        require_range("a", self.a, -1e4, 1e4, unit="nS")
        require_range("b", self.b, -1e5, 1e5, unit="pA")
        for name in ("e_l", "v_t", "v_reset", "v_peak"):
            require_range(name, getattr(self, name), -500.0, 500.0, unit="mV")
        require_less("v_reset", self.v_reset, "v_peak", self.v_peak, "mV")
        require_less("v_t", self.v_t, "v_peak", self.v_peak, "mV")

    def _pack(self):
        return (1.0 / np.asarray(self.c_m, dtype=float), self.g_l, self.e_l, self.v_t, self.delta_t,
                1.0 / np.asarray(self.tau_w, dtype=float), self.a, self.b, self.v_reset, self.v_peak)

    def initial_state(self):
        return {"v": self.e_l if self.v_init is None else self.v_init, "w": 0.0}

    def threshold(self):
        return self.v_peak

    def refractory_period(self):
        return self.t_ref
