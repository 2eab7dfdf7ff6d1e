"""A Hodgkin-Huxley-type neuron with Traub & Miles (1991) kinetics (the COBAHH benchmark neuron)."""

from __future__ import annotations

from dataclasses import dataclass

from ..channels import traub_miles as tm
from ..channels.na_k_leak import membrane_terms, mhn_membrane
from ..core._math import kernel
from ._na_k_leak import NaKLeakNeuron


@kernel
def traub_miles_equations(t, y, p, i_ext, a, b):
    """c_m dv/dt = I - g_na m^3 h (v - e_na) - g_k n^4 (v - e_k) - g_l (v - e_l); Traub-Miles gates."""
    for k in range(y.shape[1]):
        am, bm, ah, bh, an, bn = tm.gate_rates(y[0, k], p[7, k])
        membrane_terms(k, y, p, i_ext, a, b, am, bm, ah, bh, an, bn)


@dataclass(frozen=True)
class TraubMiles(NaKLeakNeuron):
    """Hodgkin-Huxley-type neuron with Traub & Miles (1991) Na/K kinetics (COBAHH benchmark).

    ``c_m dv/dt = I - g_na m^3 h (v - e_na) - g_k n^4 (v - e_k) - g_l (v - e_l)``, rates in
    :mod:`neuroladder.channels.traub_miles`. Defaults: Brette et al. (2007) benchmark 3
    (Brian2's COBAHH example, NEST's ``hh_cond_exp_traub``) per unit area: c_m 1 uF/cm^2,
    g_na 100, g_k 30, g_l 0.05 mS/cm^2, e_na 50, e_k -90, e_l -60, v_t -63 mV. Units as
    :class:`HodgkinHuxley` (mV, ms, uA/cm^2). Gates start at 0 as in that benchmark unless
    ``gates_at_rest``. Spikes are upward crossings of ``spike_threshold``.
    """

    c_m: float = 1.0
    g_na: float = 100.0
    g_k: float = 30.0
    g_l: float = 0.05
    e_na: float = 50.0
    e_k: float = -90.0
    e_l: float = -60.0
    v_t: float = -63.0
    v_init: float = -60.0
    gates_at_rest: bool = False

    voltage_fields = ("v_t", "v_init")
    equations = staticmethod(traub_miles_equations)
    membrane_equations = staticmethod(mhn_membrane)
    #: exponential Euler and RK4 0.05 ms, Euler 0.025 ms. 100 ms at 5 uA/cm^2 fires 14 spikes at dt = 0.001 ms;
    #: exponential Euler gives 13 from dt = 0.01 to 0.05 ms and 12 at 0.1 ms (first order: it drifts ~1 ms per
    #: 100 ms even at 0.01 ms); RK4 keeps 14 up to 0.05 ms and diverges at 0.1 ms; Euler fires 20 at 0.05 ms
    #: exponential midpoint (main's default since a79c98e): 14 spikes up to 0.025 ms, 13 from 0.05 ms: 0.025 ms
    max_dt_reference = {"exponential_euler": 0.05, "rk4": 0.05, "euler": 0.025, "exponential_midpoint": 0.025}

    def _pack(self):
        return (*self._membrane_pack(), self.v_t)

    def initial_state(self):
        if not self.gates_at_rest:
            return {"v": self.v_init, "m": 0.0, "h": 0.0, "n": 0.0}
        am, bm, ah, bh, an, bn = tm.gate_rates_reference(self.v_init, self.v_t)
        return {"v": self.v_init, "m": am / (am + bm), "h": ah / (ah + bh), "n": an / (an + bn)}
