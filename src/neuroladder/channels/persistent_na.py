"""Persistent (slowly inactivating) sodium current, NaP.

``I = g_NaP m_inf(v) h (v - e_na)``, activation instantaneous, ``m_inf = 1/(1 + exp(-(v + 40)/6))``,
inactivation ``h_inf = 1/(1 + exp((v + 48)/6))`` with ``tau_h = 10000 / cosh((v + 48)/12)`` ms
(10 s at -48 mV). Source: R. J. Butera, J. Rinzel & J. C. Smith, J. Neurophysiol. 82:382-397
(1999), model 1. Units: v mV, tau ms.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from ._gates import boltzmann

#: activation midpoint and slope (mV); inactivation midpoint and slope (mV); peak tau_h (ms)
M_HALF, M_SLOPE, H_HALF, H_SLOPE, TAU_H_MAX = -40.0, 6.0, -48.0, -6.0, 10000.0


@njit(cache=True, inline="always", error_model="numpy")
def m_inf(v):
    """Instantaneous activation at v (mV)."""
    return boltzmann(v, M_HALF, M_SLOPE)


@njit(cache=True, inline="always", error_model="numpy")
def h_inf(v):
    """Steady-state inactivation at v (mV)."""
    return boltzmann(v, H_HALF, H_SLOPE)


@njit(cache=True, inline="always", error_model="numpy")
def tau_h(v):
    """Inactivation time constant (ms) at v (mV)."""
    return TAU_H_MAX / np.cosh((v - H_HALF) / 12.0)
