"""A two-compartment (soma-dendrite) spinal motoneuron with a dendritic L-type calcium PIC."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..channels import calcium, persistent_na, relaxation, sk
from ..channels import motoneuron as spike
from ..core._math import kernel
from ..core.model import Model
from ..core.parameters import require_non_negative, require_positive, require_range


@kernel
def motoneuron_equations(t, y, p, i_ext, a, b):
    """BRK (1997) soma + dendrite, conditionally linear; p from :meth:`Motoneuron._pack`."""
    for k in range(y.shape[1]):
        inv_c, gc_s, gc_d = p[0, k], p[1, k], p[2, k]
        e_na, e_k, e_ca, e_l = p[12, k], p[13, k], p[14, k], p[15, k]
        v_s, v_d = y[0, k], y[6, k]
        # soma: fast Na (instantaneous m), K-dr, N-type Ca, SK, leak, NaP, coupling to the dendrite
        m = spike.na_m_inf(v_s)
        n2 = y[2, k] * y[2, k]
        g_na = p[3, k] * m * m * m * y[1, k] + p[11, k] * persistent_na.m_inf(v_s) * y[11, k]
        g_k = p[4, k] * n2 * n2 + p[6, k] * sk.activation(y[5, k])
        g_ca_s = p[5, k] * y[3, k] * y[3, k] * y[4, k]
        g_l = p[7, k]
        a[0, k] = ((1.0 - p[17, k]) * i_ext[k] + g_na * e_na + g_k * e_k + g_ca_s * e_ca + g_l * e_l + gc_s * v_d) * inv_c
        b[0, k] = -(g_na + g_k + g_ca_s + g_l + gc_s) * inv_c
        # dendrite: N-type Ca, L-type Ca (the PIC), SK, leak, coupling to the soma
        g_ca_n = p[8, k] * y[7, k] * y[7, k] * y[8, k]
        g_ca_l = p[10, k] * y[9, k]
        g_k_d = p[9, k] * sk.activation(y[10, k])
        a[6, k] = (p[16, k] + p[17, k] * i_ext[k] + (g_ca_n + g_ca_l) * e_ca + g_k_d * e_k + g_l * e_l + gc_d * v_s) * inv_c
        b[6, k] = -(g_ca_n + g_ca_l + g_k_d + g_l + gc_d) * inv_c
        # gates: dx/dt = (x_inf - x) / tau
        a[1, k], b[1, k] = relaxation(spike.na_h_inf(v_s), spike.na_tau_h(v_s))
        a[2, k], b[2, k] = relaxation(spike.k_n_inf(v_s), spike.k_tau_n(v_s))
        a[3, k], b[3, k] = relaxation(calcium.n_type_m_inf(v_s), calcium.N_TYPE_M_TAU)
        a[4, k], b[4, k] = relaxation(calcium.n_type_h_inf(v_s), calcium.N_TYPE_H_TAU)
        a[7, k], b[7, k] = relaxation(calcium.n_type_m_inf(v_d), calcium.N_TYPE_M_TAU)
        a[8, k], b[8, k] = relaxation(calcium.n_type_h_inf(v_d), calcium.N_TYPE_H_TAU)
        a[9, k], b[9, k] = relaxation(calcium.l_type_m_inf(v_d), calcium.L_TYPE_TAU)
        a[11, k], b[11, k] = relaxation(persistent_na.h_inf(v_s), persistent_na.tau_h(v_s))
        # calcium pools, fed by each compartment's calcium current
        a[5, k], b[5, k] = calcium.pool_terms(g_ca_s * (v_s - e_ca))
        a[10, k], b[10, k] = calcium.pool_terms((g_ca_n + g_ca_l) * (v_d - e_ca))


@dataclass(frozen=True)
class Motoneuron(Model):
    """Two-compartment spinal motoneuron of Booth, Rinzel & Kiehn (1997) with a neuromodulated PIC.

    Soma: fast Na, delayed-rectifier K, N-type Ca, Ca-activated K (SK), leak and an optional
    persistent Na (NaP, Butera et al. 1999). Dendrite: N-type Ca, L-type Ca (the slow persistent
    inward current, PIC, that makes plateau potentials), SK and leak. Each compartment has its own
    calcium pool. The compartments are joined by the coupling conductance ``g_c`` divided by the
    area fraction of each side (``p`` for the soma, ``1 - p`` for the dendrite)::

        c_m dv/dt   = I - I_Na - I_K - I_CaN - I_KCa - I_L - I_NaP - (g_c/p) (v - v_d)
        c_m dv_d/dt = i_dend - I_CaN - I_CaL - I_KCa - I_L - (g_c/(1 - p)) (v_d - v)

    ``pic_gain`` multiplies the PIC conductances (``g_cal`` and ``g_nap``): monoamines (serotonin,
    noradrenaline) from the brainstem raise it, and after spinal cord injury the receptors become
    supersensitive (Bennett et al. 2001; Murray et al. 2010), which this gain stands for.

    Units: v mV, t ms, c_m uF/cm^2, conductances mS/cm^2, currents uA/cm^2 (I of the soma,
    ``i_dend`` of the dendrite), calcium uM. Kinetics in :mod:`neuroladder.channels.motoneuron`,
    :mod:`~neuroladder.channels.calcium`, :mod:`~neuroladder.channels.sk`,
    :mod:`~neuroladder.channels.persistent_na`. Defaults: BRK (1997) Table 1 (g_c 0.1 mS/cm^2,
    p 0.1; soma g_Na 120, g_K 100, g_CaN 14, g_KCa 5; dendrite g_CaN 0.3, g_KCa 1.1, g_CaL 0.33;
    leak 0.51 mS/cm^2 at -60 mV; e_Na 55, e_K -80, e_Ca 80 mV). Spikes: upward crossings of
    0 mV by the soma voltage ``v``.
    """

    c_m: float = 1.0
    g_c: float = 0.1
    p: float = 0.1
    g_na: float = 120.0
    g_k: float = 100.0
    g_can_soma: float = 14.0
    g_kca_soma: float = 5.0
    g_l: float = 0.51
    g_can_dend: float = 0.3
    g_kca_dend: float = 1.1
    g_cal: float = 0.33
    g_nap: float = 0.0
    pic_gain: float = 1.0
    e_na: float = 55.0
    e_k: float = -80.0
    e_ca: float = 80.0
    e_l: float = -60.0
    i_dend: float = 0.0
    dend_fraction: float = 0.0
    v_init: float = -60.0

    state_names = ("v", "h", "n", "m_n", "h_n", "ca", "v_d", "m_n_d", "h_n_d", "m_l", "ca_d", "h_p")
    state_units = {"v": "mV", "v_d": "mV", "ca": "uM", "ca_d": "uM"}
    current_unit = "uA/cm^2"
    default_method = "exponential_euler"
    equations = staticmethod(motoneuron_equations)

    def __post_init__(self):
        require_positive("c_m", self.c_m, "uF/cm^2")
        require_positive("g_c", self.g_c, "mS/cm^2")
        require_range("p", self.p, 0.0, 1.0, low_open=True, high_open=True)
        for name in ("g_na", "g_k", "g_can_soma", "g_kca_soma", "g_l", "g_can_dend", "g_kca_dend", "g_cal",
                     "g_nap", "pic_gain"):
            require_non_negative(name, getattr(self, name), "" if name == "pic_gain" else "mS/cm^2")
        for name in ("e_na", "e_k", "e_ca", "e_l", "v_init"):
            require_range(name, getattr(self, name), -200.0, 200.0, unit="mV")
        require_range("i_dend", self.i_dend, -1e4, 1e4, unit="uA/cm^2")
        require_range("dend_fraction", self.dend_fraction, 0.0, 1.0, high_open=True)

    def _pack(self):

        gain = np.asarray(self.pic_gain, dtype=float)
        return (1.0 / np.asarray(self.c_m, dtype=float), np.asarray(self.g_c) / np.asarray(self.p),
                np.asarray(self.g_c) / (1.0 - np.asarray(self.p)), self.g_na, self.g_k, self.g_can_soma,
                self.g_kca_soma, self.g_l, self.g_can_dend, self.g_kca_dend, gain * np.asarray(self.g_cal),
                gain * np.asarray(self.g_nap), self.e_na, self.e_k, self.e_ca, self.e_l, self.i_dend,
                self.dend_fraction)

    def initial_state(self):
        from ..channels import curve

        v = self.v_init
        return {"v": v, "h": curve(spike.na_h_inf, v), "n": curve(spike.k_n_inf, v),
                "m_n": curve(calcium.n_type_m_inf, v), "h_n": curve(calcium.n_type_h_inf, v), "ca": 0.0,
                "v_d": v, "m_n_d": curve(calcium.n_type_m_inf, v), "h_n_d": curve(calcium.n_type_h_inf, v),
                "m_l": curve(calcium.l_type_m_inf, v), "ca_d": 0.0, "h_p": curve(persistent_na.h_inf, v)}
