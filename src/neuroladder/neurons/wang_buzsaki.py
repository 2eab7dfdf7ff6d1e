"""The Wang & Buzsaki (1996) fast-spiking interneuron, with a graded SCN1A (Nav1.1) loss of function."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..channels import wang_buzsaki as wb
from ..channels.na_k_leak import membrane_drift
from ..core._math import kernel
from ..core.parameters import require_positive, require_range
from ._na_k_leak import NaKLeakNeuron


@kernel
def wang_buzsaki_equations(t, y, p, i_ext, a, b):
    """c dv/dt = I - g_na m_inf^3 h (v - e_na) - g_k n^4 (v - e_k) - g_l (v - e_l); dh, dn/dt = phi (alpha (1 - x) - beta x)."""
    for k in range(y.shape[1]):
        v, h, n = y[0, k], y[1, k], y[2, k]
        m_inf, ah, bh, an, bn = wb.gate_rates(v, p[8, k])
        n2 = n * n
        g_na = p[1, k] * m_inf * m_inf * m_inf * h
        g_k = p[2, k] * n2 * n2
        a[0, k], b[0, k] = membrane_drift(p[0, k], g_na, g_k, p[3, k], p[4, k], p[5, k], p[6, k], i_ext[k])
        phi = p[7, k]
        a[1, k] = phi * ah
        b[1, k] = -phi * (ah + bh)
        a[2, k] = phi * an
        b[2, k] = -phi * (an + bn)


@dataclass(frozen=True)
class WangBuzsaki(NaKLeakNeuron):
    """Wang & Buzsaki (1996) hippocampal fast-spiking (basket) interneuron.

    ``c_m dv/dt = I - g_na m_inf(v)^3 h (v - e_na) - g_k n^4 (v - e_k) - g_l (v - e_l)`` with the
    kinetics of :mod:`neuroladder.channels.wang_buzsaki`. Defaults are the paper's: c_m 1 uF/cm^2,
    g_na 35, g_k 9, g_l 0.1 mS/cm^2, e_na 55, e_k -90, e_l -65 mV, phi 5. Units mV, ms, uA/cm^2. A type-I
    neuron: it starts firing at arbitrarily low rates at I ~ 0.16 uA/cm^2 (Borgers 2017, ch. 5).

    ``nav11_severity`` in [0, 1] grades an SCN1A (Nav1.1, Dravet syndrome) loss of function: the sodium
    conductance is scaled by ``1 - 0.5 severity`` (haploinsufficiency halves the interneurons' sodium
    current; Yu et al. 2006, Nat. Neurosci. 9:1142) and inactivation is shifted by ``h_shift_per_severity *
    severity`` mV (default 0; missense mutations shift it, Spampanato et al. 2004).

    Source: X.-J. Wang & G. Buzsaki, J. Neurosci. 16:6402-6413 (1996).
    """

    c_m: float = 1.0
    g_na: float = 35.0
    g_k: float = 9.0
    g_l: float = 0.1
    e_na: float = 55.0
    e_k: float = -90.0
    e_l: float = -65.0
    phi: float = 5.0
    nav11_severity: float = 0.0
    h_shift_per_severity: float = 0.0
    v_init: float = -64.0

    state_names = ("v", "h", "n")       # sodium activation is instantaneous
    voltage_fields = ("v_init",)
    equations = staticmethod(wang_buzsaki_equations)

    def __post_init__(self):
        super().__post_init__()
        require_positive("phi", self.phi)
        require_range("nav11_severity", self.nav11_severity, 0.0, 1.0)
        require_range("h_shift_per_severity", self.h_shift_per_severity, -30.0, 30.0, unit="mV")

    def _pack(self):
        inv_c, g_na, *rest = self._membrane_pack()
        scale = 1.0 - 0.5 * np.asarray(self.nav11_severity, dtype=float)
        return (inv_c, np.asarray(g_na) * scale, *rest, self.phi,
                np.asarray(self.h_shift_per_severity) * np.asarray(self.nav11_severity))

    def initial_state(self):
        _, ah, bh, an, bn = wb.gate_rates_reference(self.v_init, 0.0)
        return {"v": self.v_init, "h": ah / (ah + bh), "n": an / (an + bn)}
