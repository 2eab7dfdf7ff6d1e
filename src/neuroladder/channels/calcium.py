"""Motoneuron calcium channels and the calcium pool of Booth, Rinzel & Kiehn (1997).

Units: v mV, time ms, calcium concentration uM, current densities uA/cm^2.
Source: V. Booth, J. Rinzel & O. Kiehn, J. Neurophysiol. 78:3371-3385 (1997), Table 1:

- L-type (the slow dendritic persistent inward current, PIC): ``I = g_L m_L (v - e_ca)``,
  ``m_L,inf = 1 / (1 + exp(-(v + 40)/7))``, ``tau_mL = 40 ms`` (no inactivation).
- N-type: ``I = g_N m_N^2 h_N (v - e_ca)``, ``m_N,inf``: half -30 mV, slope 5 mV, ``tau_mN = 4 ms``;
  ``h_N,inf``: half -45 mV, slope -5 mV, ``tau_hN = 40 ms``.
- Pool: ``d[Ca]/dt = f (-alpha I_Ca - k_ca [Ca])`` with f = 0.01 (free fraction), alpha = 0.009
  (uM per ms per uA/cm^2) and k_ca = 2 /ms: a time constant 1 / (f k_ca) = 50 ms.
"""

from __future__ import annotations

from numba import njit

from ._gates import boltzmann

#: L-type activation midpoint (mV), slope (mV) and time constant (ms), BRK (1997) Table 1
L_TYPE_HALF, L_TYPE_SLOPE, L_TYPE_TAU = -40.0, 7.0, 40.0
#: N-type gates: activation midpoint, slope, tau; inactivation midpoint, slope, tau (mV, ms)
N_TYPE_M_HALF, N_TYPE_M_SLOPE, N_TYPE_M_TAU = -30.0, 5.0, 4.0
N_TYPE_H_HALF, N_TYPE_H_SLOPE, N_TYPE_H_TAU = -45.0, -5.0, 40.0
#: Calcium pool: free fraction, current-to-flux factor (uM/ms per uA/cm^2), removal rate (1/ms)
POOL_FREE_FRACTION, POOL_ALPHA, POOL_REMOVAL = 0.01, 0.009, 2.0


@njit(cache=True, inline="always", error_model="numpy")
def l_type_m_inf(v):
    """Steady-state activation of the L-type channel at v (mV)."""
    return boltzmann(v, L_TYPE_HALF, L_TYPE_SLOPE)


@njit(cache=True, inline="always", error_model="numpy")
def n_type_m_inf(v):
    """Steady-state activation of the N-type channel at v (mV)."""
    return boltzmann(v, N_TYPE_M_HALF, N_TYPE_M_SLOPE)


@njit(cache=True, inline="always", error_model="numpy")
def n_type_h_inf(v):
    """Steady-state inactivation of the N-type channel at v (mV)."""
    return boltzmann(v, N_TYPE_H_HALF, N_TYPE_H_SLOPE)


@njit(cache=True, inline="always", error_model="numpy")
def pool_terms(i_ca):
    """(a, b) of the pool in conditionally linear form, d[Ca]/dt = a + b [Ca], for a calcium
    current density ``i_ca`` (uA/cm^2, inward negative)."""
    return -POOL_FREE_FRACTION * POOL_ALPHA * i_ca, -POOL_FREE_FRACTION * POOL_REMOVAL
