"""Izhikevich's (2003) simple spiking model and its named firing patterns."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

import numpy as np

from ..core._math import kernel
from ..core.errors import ParameterError
from ..core.model import Model
from ..core.parameters import require_positive, require_range
from ..core.stimulus import Step


@kernel
def izhikevich_equations(t, y, p, i_ext, a, b):
    """dv/dt = 0.04 v^2 + 5 v + 140 - u + I ; du/dt = a (b v - u)."""
    for k in range(y.shape[1]):
        v = y[0, k]
        a[0, k] = 0.04 * v * v + 5.0 * v + 140.0 - y[1, k] + i_ext[k]
        b[0, k] = 0.0
        a[1, k] = p[0, k] * p[1, k] * v
        b[1, k] = -p[0, k]


@kernel
def izhikevich_reset(y, p, k):
    """if v >= v_peak: v <- c, u <- u + d."""
    y[0, k] = p[2, k]
    y[1, k] += p[3, k]


@dataclass(frozen=True)
class Pattern:
    """A named firing pattern: the (a, b, c, d) of Izhikevich (2003, Fig. 2) and the input that shows it.

    ``current`` is in the paper's units; ``v_init`` (mV) is where the paper starts the cell.
    """

    a: float
    b: float
    c: float
    d: float
    current: object
    v_init: float
    description: str


#: Izhikevich (2003) Fig. 2 parameters (IEEE Trans. Neural Netw. 14:1569). Inputs are steps
#: switched on at 10 ms as in the paper's figure (amplitude 10; TC is shown from a
#: hyperpolarised holding level, where it answers with a rebound burst, Izhikevich 2004 Fig. 1).
_PATTERNS = {
    "RS": Pattern(0.02, 0.2, -65.0, 8.0, Step(10.0, start=10.0), -65.0,
                  "regular spiking: excitatory cortical cell, spike-frequency adaptation"),
    "IB": Pattern(0.02, 0.2, -55.0, 4.0, Step(10.0, start=10.0), -65.0,
                  "intrinsically bursting: an initial burst, then single spikes"),
    "CH": Pattern(0.02, 0.2, -50.0, 2.0, Step(10.0, start=10.0), -65.0,
                  "chattering: repetitive high-frequency bursts"),
    "FS": Pattern(0.1, 0.2, -65.0, 2.0, Step(10.0, start=10.0), -65.0,
                  "fast spiking: inhibitory interneuron, no adaptation"),
    "LTS": Pattern(0.02, 0.25, -65.0, 2.0, Step(10.0, start=10.0), -65.0,
                   "low-threshold spiking: inhibitory interneuron, adapting high-frequency spiking"),
    "TC": Pattern(0.02, 0.25, -65.0, 0.05, Step(-10.0, start=0.0, stop=100.0), -65.0,
                  "thalamo-cortical: rebound burst after release from hyperpolarisation"),
    # from its rest (-62.5 mV, the lower root of 0.04 v^2 + 4.74 v + 140 = 0; from -65 mV the model fires
    # on its way there) a small step rings at ~24 Hz: a stable focus, the resonator's signature
    "RZ": Pattern(0.1, 0.26, -65.0, 2.0, Step(0.1, start=10.0), -62.5,
                  "resonator: damped subthreshold oscillations (~24 Hz) after a small step, no firing"),
}


@dataclass(frozen=True)
class Izhikevich(Model):
    """Izhikevich (2003) simple model of spiking neurons.

    ``dv/dt = 0.04 v^2 + 5 v + 140 - u + I``, ``du/dt = a (b v - u)``; when
    ``v >= v_peak`` (30 mV): ``v <- c``, ``u <- u + d``. Time in ms, v in mV, and
    the paper's dimensionless current and recovery variable.

    Source: E. M. Izhikevich, IEEE Trans. Neural Netw. 14:1569-1572 (2003);
    patterns from that paper's Fig. 2 and Izhikevich (2004), IEEE TNN 15:1063.
    ``Izhikevich.from_pattern("CH")`` builds a named pattern; ``Izhikevich.PATTERNS``
    lists them with the input that shows each.
    """

    a: float = 0.02
    b: float = 0.2
    c: float = -65.0
    d: float = 8.0
    v_peak: float = 30.0
    v_init: float = -65.0

    PATTERNS: ClassVar[dict] = _PATTERNS
    state_names = ("v", "u")
    state_units = {"v": "mV"}
    current_unit = "paper units (Izhikevich 2003)"
    default_method = "rk4"
    equations = staticmethod(izhikevich_equations)
    reset = staticmethod(izhikevich_reset)
    #: |v| beyond 1 V is not a membrane potential (see :class:`HodgkinHuxley`'s physical_range)
    physical_range = {"v": (-1000.0, 1000.0)}

    def max_dt(self, method: str) -> float | None:
        """RK4 0.2 ms, Euler 0.05 ms: the largest steps at which the RS and FS patterns (I = 10, 200 ms)
        keep the spike count of a dt = 0.001 ms run, with spike times within ~1.2 ms (RK4) and ~2.9 ms
        (Euler) of it. Euler at dt = 5 ms fires 33 spikes instead of 5 and swings v to -405 mV."""
        return {"rk4": 0.2, "euler": 0.05}.get(method)

    def __post_init__(self):
        require_positive("a", self.a, "1/ms")
        require_range("b", self.b, -10.0, 10.0)
        require_range("c", self.c, -200.0, 200.0, unit="mV")
        require_range("d", self.d, -100.0, 100.0)
        require_range("v_peak", self.v_peak, -100.0, 200.0, unit="mV")
        if np.any(np.asarray(self.c) >= np.asarray(self.v_peak)):
            raise ParameterError(f"c = {self.c} mV must be below v_peak = {self.v_peak} mV")

    @classmethod
    def from_pattern(cls, name: str) -> Izhikevich:
        """The model with the parameters of a named pattern (RS, IB, CH, FS, LTS, TC, RZ)."""
        key = str(name).upper()
        if key not in _PATTERNS:
            raise ParameterError(f"pattern = {name!r} is unknown; choose one of {', '.join(_PATTERNS)}")
        pat = _PATTERNS[key]
        return cls(a=pat.a, b=pat.b, c=pat.c, d=pat.d, v_init=pat.v_init)

    def _pack(self):
        return (self.a, self.b, self.c, self.d)

    def initial_state(self):
        return {"v": self.v_init, "u": np.asarray(self.b) * self.v_init}

    def threshold(self):
        return self.v_peak

    def jacobian(self, y, p, i_ext):
        """Analytic Jacobian [[0.08 v + 5, -1], [a b, -a]]."""
        return np.array([[0.08 * y[0] + 5.0, -1.0], [p[0] * p[1], -p[0]]])  # p: one unit's packed parameters
