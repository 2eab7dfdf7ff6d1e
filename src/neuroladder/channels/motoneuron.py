"""Spike-generating kinetics of the Booth, Rinzel & Kiehn (1997) motoneuron soma.

Fast sodium with instantaneous activation, ``I = g_Na m_inf^3 h (v - e_na)``; delayed-rectifier
potassium ``I = g_K n^4 (v - e_k)``. Source: V. Booth, J. Rinzel & O. Kiehn, J. Neurophysiol.
78:3371-3385 (1997), Table 1 (units: v mV, tau ms):

    m_inf = 1/(1 + exp(-(v + 35)/7.8))
    h_inf = 1/(1 + exp((v + 55)/7)),   tau_h = 30 / (exp((v + 50)/15) + exp(-(v + 50)/16))
    n_inf = 1/(1 + exp(-(v + 28)/15)), tau_n = 7 / (exp((v + 40)/40) + exp(-(v + 40)/50))
"""

from __future__ import annotations

import numpy as np
from numba import njit

from ._gates import boltzmann


@njit(cache=True, inline="always", error_model="numpy")
def na_m_inf(v):
    return boltzmann(v, -35.0, 7.8)


@njit(cache=True, inline="always", error_model="numpy")
def na_h_inf(v):
    return boltzmann(v, -55.0, -7.0)


@njit(cache=True, inline="always", error_model="numpy")
def na_tau_h(v):
    return 30.0 / (np.exp((v + 50.0) / 15.0) + np.exp(-(v + 50.0) / 16.0))


@njit(cache=True, inline="always", error_model="numpy")
def k_n_inf(v):
    return boltzmann(v, -28.0, 15.0)


@njit(cache=True, inline="always", error_model="numpy")
def k_tau_n(v):
    return 7.0 / (np.exp((v + 40.0) / 40.0) + np.exp(-(v + 40.0) / 50.0))
