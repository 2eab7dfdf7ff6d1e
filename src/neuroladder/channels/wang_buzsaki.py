"""Wang & Buzsaki (1996) sodium and potassium kinetics of a fast-spiking hippocampal interneuron.

Rates in 1/ms for v in mV (J. Neurosci. 16:6402, their eqs. 2-6):

    alpha_m = 0.1 (v + 35) / (1 - exp(-(v + 35) / 10))      beta_m = 4 exp(-(v + 60) / 18)
    alpha_h = 0.07 exp(-(v + 58) / 20)                      beta_h = 1 / (1 + exp(-(v + 28) / 10))
    alpha_n = 0.01 (v + 34) / (1 - exp(-(v + 34) / 10))    beta_n = 0.125 exp(-(v + 44) / 80)

Sodium activation is instantaneous (m = m_inf); h and n are sped up by the temperature factor phi
(5 in the paper). ``h_shift`` (mV) moves the inactivation curve along v (a hyperpolarising shift of
inactivation is one published effect of SCN1A missense mutations, e.g. Spampanato et al. 2004).
"""

from __future__ import annotations

import numpy as np
from numba import njit

from ..core._math import exp


@njit(cache=True, inline="always", error_model="numpy")
def _linoid(x, scale):
    """x / (1 - exp(-x / scale)), with its limit ``scale`` at x = 0 (series for |x| < 1e-6 scale)."""
    if abs(x) < 1e-6 * scale:
        return scale + 0.5 * x
    return x / (1.0 - exp(-x / scale))


@njit(cache=True, inline="always", error_model="numpy")
def gate_rates(v, h_shift):
    """(m_inf, alpha_h, beta_h, alpha_n, beta_n) at v (mV); rates in 1/ms before the factor phi."""
    am = 0.1 * _linoid(v + 35.0, 10.0)
    bm = 4.0 * exp(-(v + 60.0) / 18.0)
    vh = v - h_shift
    ah = 0.07 * exp(-(vh + 58.0) / 20.0)
    bh = 1.0 / (1.0 + exp(-(vh + 28.0) / 10.0))
    an = 0.01 * _linoid(v + 34.0, 10.0)
    bn = 0.125 * exp(-(v + 44.0) / 80.0)
    return am / (am + bm), ah, bh, an, bn


def gate_rates_reference(v, h_shift=0.0):
    """The paper's formulas in numpy (a readable reference for :func:`gate_rates`)."""
    v = np.asarray(v, dtype=float)
    am = 0.1 * (v + 35.0) / (1.0 - np.exp(-(v + 35.0) / 10.0))
    bm = 4.0 * np.exp(-(v + 60.0) / 18.0)
    vh = v - h_shift
    return (am / (am + bm), 0.07 * np.exp(-(vh + 58.0) / 20.0), 1.0 / (1.0 + np.exp(-(vh + 28.0) / 10.0)),
            0.01 * (v + 34.0) / (1.0 - np.exp(-(v + 34.0) / 10.0)), 0.125 * np.exp(-(v + 44.0) / 80.0))
