"""The Rothman & Manis (2003) ventral cochlear nucleus neuron (bushy type II, stellate type I-c)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

import numpy as np

from ..channels import curve, relaxation
from ..channels import rothman_manis as rm
from ..core._math import kernel
from ..core.model import Model
from ..core.parameters import require_non_negative, require_positive, require_range

#: Membrane area (cm^2) that turns the paper's whole-cell values into densities: 12 pF at 1 uF/cm^2
AREA_CM2 = 1.2e-5
#: mS/cm^2 per nS of whole-cell conductance (1 nS = 1e-6 mS over AREA_CM2)
MS_PER_CM2_PER_NS = 1e-6 / AREA_CM2


@kernel
def rothman_manis_equations(t, y, p, i_ext, a, b):
    """RM03 membrane, conditionally linear; p from :meth:`RothmanManis._pack` (p[10] = 1/temperature factor)."""
    for k in range(y.shape[1]):
        v = y[0, k]
        m, h, w, z, n, q, r = y[1, k], y[2, k], y[3, k], y[4, k], y[5, k], y[6, k], y[7, k]
        g_na = p[1, k] * m * m * m * h
        g_klt = p[2, k] * w * w * w * w * z
        g_kht = p[3, k] * (rm.KHT_PHI * n * n + (1.0 - rm.KHT_PHI) * q)
        g_h = p[4, k] * r
        g_l = p[5, k]
        a[0, k] = (i_ext[k] + g_na * p[6, k] + (g_klt + g_kht) * p[7, k] + g_h * p[8, k] + g_l * p[9, k]) * p[0, k]
        b[0, k] = -(g_na + g_klt + g_kht + g_h + g_l) * p[0, k]
        slow = p[10, k]  # tau multiplier 1 / q10^((T - 22)/10)
        a[1, k], b[1, k] = relaxation(rm.na_m_inf(v), rm.na_tau_m(v) * slow)
        a[2, k], b[2, k] = relaxation(rm.na_h_inf(v), rm.na_tau_h(v) * slow)
        a[3, k], b[3, k] = relaxation(rm.klt_w_inf(v), rm.klt_tau_w(v) * slow)
        a[4, k], b[4, k] = relaxation(rm.klt_z_inf(v), rm.klt_tau_z(v) * slow)
        a[5, k], b[5, k] = relaxation(rm.kht_n_inf(v), rm.kht_tau_n(v) * slow)
        a[6, k], b[6, k] = relaxation(rm.kht_p_inf(v), rm.kht_tau_p(v) * slow)
        a[7, k], b[7, k] = relaxation(rm.ih_r_inf(v), rm.ih_tau_r(v) * slow)


@dataclass(frozen=True)
class RothmanManis(Model):
    """Ventral cochlear nucleus neuron of Rothman & Manis (2003): fast Na, KLT, KHT, Ih and leak.

    ``c_m dv/dt = I - g_Na m^3 h (v - e_na) - g_KLT w^4 z (v - e_k) - g_KHT (0.85 n^2 + 0.15 p)(v - e_k)
    - g_h r (v - e_h) - g_lk (v - e_lk)``; kinetics in :mod:`neuroladder.channels.rothman_manis`.

    The paper gives whole-cell values for a 12 pF cell; here they are densities over
    :data:`AREA_CM2` (1.2e-5 cm^2, c_m 1 uF/cm^2), so the model also serves as a compartment
    membrane (``nl.Cell(..., membrane=RothmanManis())``). Defaults are the type II (bushy,
    MSO-like) cell: g_Na 1000, g_KHT 150, g_KLT 200, g_h 20, g_lk 2 nS; :meth:`type_ic` is the
    stellate type I-c (g_KLT 0, g_h 0.5 nS). Reversal potentials e_na 55, e_k -70, e_h -43,
    e_lk -65 mV. Kinetics measured at 22 degC; ``temperature`` speeds every gate by
    ``q10 ** ((temperature - 22)/10)`` (q10 = 3 as in the paper's model files).

    Units: v mV, t ms, c_m uF/cm^2, conductances mS/cm^2, current uA/cm^2 (1 nA =
    :meth:`current_density` (1.0) = 83.3 uA/cm^2). Source: J. S. Rothman & P. B. Manis,
    J. Neurophysiol. 89:3097-3113 (2003).
    """

    c_m: float = 1.0
    g_na: float = 1000.0 * MS_PER_CM2_PER_NS
    g_klt: float = 200.0 * MS_PER_CM2_PER_NS
    g_kht: float = 150.0 * MS_PER_CM2_PER_NS
    g_h: float = 20.0 * MS_PER_CM2_PER_NS
    g_lk: float = 2.0 * MS_PER_CM2_PER_NS
    e_na: float = 55.0
    e_k: float = -70.0
    e_h: float = -43.0
    e_lk: float = -65.0
    temperature: float = 22.0
    q10: float = 3.0
    v_init: float = -64.0

    state_names = ("v", "m", "h", "w", "z", "n", "p", "r")
    state_units = {"v": "mV"}
    current_unit = "uA/cm^2"
    default_method = "exponential_euler"
    equations = staticmethod(rothman_manis_equations)
    area_cm2: ClassVar[float] = AREA_CM2

    def __post_init__(self):
        require_positive("c_m", self.c_m, "uF/cm^2")
        for name in ("g_na", "g_klt", "g_kht", "g_h", "g_lk"):
            require_non_negative(name, getattr(self, name), "mS/cm^2")
        for name in ("e_na", "e_k", "e_h", "e_lk", "v_init"):
            require_range(name, getattr(self, name), -200.0, 200.0, unit="mV")
        require_range("temperature", self.temperature, 0.0, 45.0, unit="degC")
        require_positive("q10", self.q10)

    @classmethod
    def type_ii(cls, **changes) -> RothmanManis:
        """The bushy (type II) cell: phasic, one spike at the onset of a current step (the default)."""
        return cls(**changes)

    @classmethod
    def type_ic(cls, **changes) -> RothmanManis:
        """The stellate (type I-c) cell: no KLT, little Ih; fires tonically."""
        return cls(**{"g_klt": 0.0, "g_h": 0.5 * MS_PER_CM2_PER_NS, **changes})

    @staticmethod
    def current_density(nanoamps):
        """A whole-cell current (nA) as the model's current density (uA/cm^2)."""
        return np.asarray(nanoamps, dtype=float) * 1e-3 / AREA_CM2

    @staticmethod
    def conductance_density(nanosiemens):
        """A whole-cell conductance (nS) as a density (mS/cm^2)."""
        return np.asarray(nanosiemens, dtype=float) * MS_PER_CM2_PER_NS

    def _pack(self):
        slow = np.asarray(self.q10, dtype=float) ** (-(np.asarray(self.temperature, dtype=float)
                                                        - rm.REFERENCE_TEMPERATURE) / 10.0)
        return (1.0 / np.asarray(self.c_m, dtype=float), self.g_na, self.g_klt, self.g_kht, self.g_h, self.g_lk,
                self.e_na, self.e_k, self.e_h, self.e_lk, slow)

    def initial_state(self):
        v = self.v_init
        return {"v": v, **{name: curve(rm.GATES[name][0], v) for name in self.state_names[1:]}}
