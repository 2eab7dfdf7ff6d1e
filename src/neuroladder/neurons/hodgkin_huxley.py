"""The Hodgkin-Huxley (1952) squid giant axon model."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..channels import hh
from ..channels.na_k_leak import membrane_terms, mhn_membrane
from ..core._math import kernel
from ..core.parameters import require_positive, require_range
from ._na_k_leak import NaKLeakNeuron


@kernel
def hh_equations(t, y, p, i_ext, a, b):
    """Conditionally linear HH right-hand side for every unit; p from :meth:`HodgkinHuxley._pack`."""
    for k in range(y.shape[1]):
        am, bm, ah, bh, an, bn = hh.gate_rates(y[0, k], p[7, k], p[8, k], p[9, k], p[10, k], p[11, k], p[12, k],
                                               p[13, k], p[14, k])
        membrane_terms(k, y, p, i_ext, a, b, am, bm, ah, bh, an, bn)


@dataclass(frozen=True)
class HodgkinHuxley(NaKLeakNeuron):
    """Hodgkin & Huxley (1952) squid giant axon: Na, K and leak currents.

    ``c_m dv/dt = I - g_na m^3 h (v - e_na) - g_k n^4 (v - e_k) - g_l (v - e_l)``,
    ``dx/dt = phi (alpha_x(v) (1 - x) - beta_x(v) x)`` for x in m, h, n
    (rate functions in :mod:`neuroladder.channels.hh`), phi = q10^((T - 6.3)/10).

    Units: v mV, t ms, c_m uF/cm^2, conductances mS/cm^2, current uA/cm^2.
    Source: A. L. Hodgkin & A. F. Huxley, J. Physiol. 117:500-544 (1952), in the
    modern convention (rest -65 mV; e_l = -54.387 mV makes the rest exactly -65 mV).

    Every parameter can be changed: ``HodgkinHuxley().replace(g_na=0.0)`` blocks
    sodium (TTX), ``replace(g_k=18.0)`` halves potassium (TEA), ``replace(shift_m=-10.0)``
    shifts sodium activation 10 mV towards rest (a gain-of-function channelopathy).
    Spikes are upward crossings of ``spike_threshold`` (0 mV) in ``nl.simulate``.

    Parameters
    ----------
    c_m : membrane capacitance (uF/cm^2), > 0
    g_na, g_k, g_l : maximal conductances (mS/cm^2), >= 0
    e_na, e_k, e_l : reversal potentials (mV)
    temperature : degC, in [-10, 50]
    q10 : temperature coefficient of the rates, > 0
    shift_m, shift_h, shift_n : voltage shifts of each gate's kinetics (mV)
    v_init : initial membrane potential (mV); gates start at their steady state there
    """

    temperature: float = 6.3
    q10: float = 3.0
    shift_m: float = 0.0
    shift_h: float = 0.0
    shift_n: float = 0.0
    v_init: float = -65.0

    voltage_fields = ("shift_m", "shift_h", "shift_n", "v_init")
    equations = staticmethod(hh_equations)
    membrane_equations = staticmethod(mhn_membrane)
    #: at 6.3 degC: exponential Euler 0.1 ms (peak 39 vs 40 mV, 7 spikes; 0.5 ms loses a spike, 1 ms
    #: leaves one 11 mV bump); RK4 and Euler 0.05 ms (both diverge at 0.1 ms); exponential midpoint (main's
    #: default since a79c98e) 0.1 ms (7 spikes, peak 40 mV; 39 mV at 0.2 ms, 6 spikes at 0.5 ms, 5 at 1 ms)
    max_dt_reference = {"exponential_euler": 0.1, "rk4": 0.05, "euler": 0.05, "exponential_midpoint": 0.1}

    def rate_factor(self) -> float:
        return float(np.max(np.asarray(self.q10, dtype=float) ** ((np.asarray(self.temperature) - 6.3) / 10.0)))

    def __post_init__(self):
        super().__post_init__()
        require_range("temperature", self.temperature, -10.0, 50.0, unit="degC")
        require_positive("q10", self.q10)

    def _pack(self):
        return (*self._membrane_pack(),
                *hh.pack_kinetics(self.temperature, self.q10, self.shift_m, self.shift_h, self.shift_n))

    def kinetics(self) -> dict:
        """Keyword arguments of the rate functions in :mod:`neuroladder.channels.hh`."""
        return dict(temperature=self.temperature, q10=self.q10, shift_m=self.shift_m,
                    shift_h=self.shift_h, shift_n=self.shift_n)

    def initial_state(self):
        m, h, n = hh.steady_state(self.v_init, **self.kinetics())
        return {"v": self.v_init, "m": m, "h": h, "n": n}
