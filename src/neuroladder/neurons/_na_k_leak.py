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
