"""The leaky integrate-and-fire neuron (NEST's iaf_psc conventions)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..core._math import kernel
from ..core.model import Model
from ..core.parameters import require_less, require_non_negative, require_positive, require_range

#: Rows of LIF's parameter matrix (:meth:`LIF._pack`), for the kernels that read them
INV_TAU, E_L, INV_C, V_RESET = 0, 1, 2, 3


@kernel(inline="always")
def lif_drift(inv_tau, e_l, inv_c, current):
    """The LIF equation, once: tau_m dv/dt = e_l - v + R I as dv/dt = a + b v with
    a = e_l/tau_m + I/c_m and b = -1/tau_m. Used by :func:`lif_equations` and the network's fused LIF step."""
    return e_l * inv_tau + current * inv_c, -inv_tau


@kernel
def lif_equations(t, y, p, i_ext, a, b):
    """tau_m dv/dt = e_l - v + R I, written as dv/dt = (e_l/tau_m + I/c_m) - v/tau_m."""
    for k in range(y.shape[1]):
        a[0, k], b[0, k] = lif_drift(p[INV_TAU, k], p[E_L, k], p[INV_C, k], i_ext[k])


@kernel
def lif_reset(y, p, k):
    y[0, k] = p[V_RESET, k]


@dataclass(frozen=True)
class LIF(Model):
    """Leaky integrate-and-fire neuron with an absolute refractory period.

    ``c_m dv/dt = -(c_m / tau_m) (v - e_l) + I``; when v reaches ``v_th`` a spike
    is emitted, v is reset to ``v_reset`` and held there for ``t_ref``.
    Between spikes the membrane equation is linear, so ``method="auto"``
    (exponential Euler) integrates it exactly for piecewise-constant input, and
    the threshold crossing is located inside the step (NEST's precise-spiking
    idea), so spike times are not rounded to the grid.

    Units (NEST ``iaf_psc_*``): c_m pF, tau_m ms, e_l, v_th, v_reset mV, t_ref ms,
    current pA. Defaults are NEST's. Source: Lapicque (1907); Tuckwell (1988),
    *Introduction to theoretical neurobiology*, ch. 3.

    :meth:`rate` gives the analytic firing rate for constant input.
    """

    c_m: float = 250.0
    tau_m: float = 10.0
    e_l: float = -70.0
    v_th: float = -55.0
    v_reset: float = -70.0
    t_ref: float = 2.0
    v_init: float | None = None

    state_names = ("v",)
    state_units = {"v": "mV"}
    current_unit = "pA"
    default_method = "exponential_euler"
    equations = staticmethod(lif_equations)
    reset = staticmethod(lif_reset)

    def __post_init__(self):
        require_positive("c_m", self.c_m, "pF")
        require_positive("tau_m", self.tau_m, "ms")
        require_non_negative("t_ref", self.t_ref, "ms")
        for name in ("e_l", "v_th", "v_reset"):
            require_range(name, getattr(self, name), -500.0, 500.0, unit="mV")
        require_less("v_reset", self.v_reset, "v_th", self.v_th, "mV")

    def _pack(self):
        # rows INV_TAU, E_L, INV_C, V_RESET
        return (1.0 / np.asarray(self.tau_m, dtype=float), self.e_l, 1.0 / np.asarray(self.c_m, dtype=float),
                self.v_reset)

    def initial_state(self):
        return {"v": self.e_l if self.v_init is None else self.v_init}

    def threshold(self):
        return self.v_th

    def refractory_period(self):
        return self.t_ref

    def rate(self, current) -> np.ndarray:
        """Analytic firing rate (Hz) for constant current(s) in pA, starting after a reset.

        ``1 / (t_ref + tau_m ln((e_l + R I - v_reset) / (e_l + R I - v_th)))`` with
        R = tau_m / c_m, and 0 when e_l + R I <= v_th (below rheobase).
        """
        current = np.asarray(current, dtype=float)
        v_inf = self.e_l + self.tau_m / self.c_m * current
        above = v_inf > self.v_th
        with np.errstate(divide="ignore", invalid="ignore"):
            isi = self.t_ref + self.tau_m * np.log((v_inf - self.v_reset) / (v_inf - self.v_th))
        return np.where(above, 1000.0 / np.where(above, isi, 1.0), 0.0)

    def rheobase(self) -> float:
        """Smallest constant current (pA) that makes the neuron fire: c_m (v_th - e_l) / tau_m."""
        return self.c_m * (self.v_th - self.e_l) / self.tau_m


@kernel
def lif_ahp_equations(t, y, p, i_ext, a, b):
    """c_m dv/dt = -(c_m/tau_m)(v - e_l) + g_ahp (e_ahp - v) + I ;  dg_ahp/dt = -g_ahp / tau_ahp."""
    for k in range(y.shape[1]):
        g = y[1, k]
        # the AHP conductance is the LIF equation with input I + g e_ahp and an extra leak g / c_m
        a[0, k], b_lif = lif_drift(p[0, k], p[1, k], p[2, k], i_ext[k] + g * p[5, k])
        b[0, k] = b_lif - g * p[2, k]
        a[1, k] = 0.0
        b[1, k] = -p[6, k]


@kernel
def lif_ahp_reset(y, p, k):
    y[0, k] = p[3, k]
    y[1, k] += p[4, k]


@dataclass(frozen=True)
class AdaptiveLIF(LIF):
    """LIF with a spike-triggered after-hyperpolarisation (AHP) potassium conductance.

    ``c_m dv/dt = -(c_m/tau_m)(v - e_l) + g_ahp (e_ahp - v) + I``, ``tau_ahp dg_ahp/dt = -g_ahp``;
    each spike adds ``g_ahp_increment`` (nS) to ``g_ahp``: spike-frequency adaptation through a
    calcium-activated-K-like current (e.g. Treves 1993; Ermentrout, Pascal & Gutkin 2001;
    NEST's ``iaf_chxk_2008`` uses the same spike-triggered AHP conductance).

    Units as :class:`LIF`; ``g_ahp_increment`` nS, ``tau_ahp`` ms, ``e_ahp`` mV (default -80 mV, E_K).
    """

    g_ahp_increment: float = 5.0
    tau_ahp: float = 100.0
    e_ahp: float = -80.0

    state_names = ("v", "g_ahp")
    state_units = {"v": "mV", "g_ahp": "nS"}
    equations = staticmethod(lif_ahp_equations)
    reset = staticmethod(lif_ahp_reset)

    def __post_init__(self):
        super().__post_init__()
        require_non_negative("g_ahp_increment", self.g_ahp_increment, "nS")
        require_positive("tau_ahp", self.tau_ahp, "ms")
        require_range("e_ahp", self.e_ahp, -500.0, 500.0, unit="mV")

    def _pack(self):
        return (*super()._pack(), self.g_ahp_increment, self.e_ahp, 1.0 / np.asarray(self.tau_ahp, dtype=float))

    def initial_state(self):
        return {**super().initial_state(), "g_ahp": 0.0}

    def rate(self, current):  # the LIF formula does not hold with adaptation
        raise NotImplementedError("AdaptiveLIF has no closed-form rate; use nl.fi_curve")
