"""The parameters every Na/K/leak (Hodgkin-Huxley-type) neuron shares, validated and packed once.

Subclasses (:class:`HodgkinHuxley`, :class:`TraubMiles`) add their kinetics' parameters and
equations; their packed parameters start with :meth:`NaKLeakNeuron._membrane_pack`, the layout
:func:`neuroladder.channels.na_k_leak.membrane_terms` reads.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

import numpy as np

from ..core.model import Model
from ..core.parameters import require_non_negative, require_positive, require_range


@dataclass(frozen=True)
class NaKLeakNeuron(Model):
    """Abstract: c_m (uF/cm^2), g_na, g_k, g_l (mS/cm^2), e_na, e_k, e_l (mV); current uA/cm^2."""

    c_m: float = 1.0
    g_na: float = 120.0
    g_k: float = 36.0
    g_l: float = 0.3
    e_na: float = 50.0
    e_k: float = -77.0
    e_l: float = -54.387

    #: further fields that are voltages (mV), validated like the reversal potentials
    voltage_fields: ClassVar[tuple[str, ...]] = ()
    state_names = ("v", "m", "h", "n")
    state_units = {"v": "mV"}
    current_unit = "uA/cm^2"
    #: second-order Rush-Larsen: at dt = 0.01 ms HH spike times within 0.01 ms of the converged ones
    default_method = "exponential_midpoint"
    #: |v| beyond 1 V: far past membrane electroporation (~0.5-1 V; Weaver & Chizmadzhev 1996,
    #: Bioelectrochem. Bioenerg. 41:135), so only a numerical blow-up or a non-physical input gets there.
    physical_range = {"v": (-1000.0, 1000.0)}
    #: Accuracy bound (ms) per method at the kinetics' reference speed (see :meth:`max_dt`).
    max_dt_reference: ClassVar[dict] = {}

    def rate_factor(self) -> float:
        """How much faster than at the reference the kinetics run (HH: phi = q10^((T - 6.3)/10))."""
        return 1.0

    def max_dt(self, method: str) -> float | None:
        """The step (ms) above which ``method`` changes the spike count of a tonic run.

        Measured as the largest step at which a
        100 ms tonic run (HH 10 uA/cm^2, Traub-Miles 5 uA/cm^2) gives the same spike count and a peak
        within ~3 mV of a dt = 0.001 ms run; explicit methods diverge at about twice the bound.
        Divided by :meth:`rate_factor`, since faster kinetics need a proportionally smaller step.
        """
        bound = self.max_dt_reference.get(method)
        return None if bound is None else bound / self.rate_factor()

    def __post_init__(self):
        require_positive("c_m", self.c_m, "uF/cm^2")
        for name in ("g_na", "g_k", "g_l"):
            require_non_negative(name, getattr(self, name), "mS/cm^2")
        for name in ("e_na", "e_k", "e_l", *self.voltage_fields):
            require_range(name, getattr(self, name), -200.0, 200.0, unit="mV")

    def _membrane_pack(self) -> tuple:
        """(1/c_m, g_na, g_k, g_l, e_na, e_k, e_l): p[0..6] of every Na/K/leak model."""
        return (1.0 / np.asarray(self.c_m, dtype=float), self.g_na, self.g_k, self.g_l, self.e_na, self.e_k,
                self.e_l)
