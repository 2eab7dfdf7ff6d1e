"""Ventral cochlear nucleus channel kinetics of Rothman & Manis (2003), at 22 degC.

Source: J. S. Rothman & P. B. Manis, J. Neurophysiol. 89:3097-3113 (2003), appendix. Units: v mV,
tau ms. Every time constant is divided by ``q10 ** ((T - 22)/10)`` by the models that use them.

- Fast Na: ``g m^3 h (v - e_na)``; m_inf half -38 mV slope 7 mV; h_inf half -65 mV slope -6 mV;
  ``tau_m = 10/(5 e^{(v+60)/18} + 36 e^{-(v+60)/25}) + 0.04``,
  ``tau_h = 100/(7 e^{(v+60)/11} + 10 e^{-(v+60)/25}) + 0.6``.
- Low-threshold K (KLT, Kv1): ``g w^4 z (v - e_k)``; ``w_inf = (1 + e^{-(v+48)/6})^{-1/4}`` (so w^4 is
  half-activated at -48 mV), ``z_inf = zeta + (1 - zeta)/(1 + e^{(v+71)/10})``, zeta = 0.5;
  ``tau_w = 100/(6 e^{(v+60)/6} + 16 e^{-(v+60)/45}) + 1.5``, ``tau_z = 1000/(e^{(v+60)/20} + e^{-(v+60)/8}) + 50``.
- High-threshold K (KHT, Kv3): ``g (phi n^2 + (1 - phi) p)(v - e_k)``, phi = 0.85;
  ``n_inf = (1 + e^{-(v+15)/5})^{-1/2}``, ``p_inf = 1/(1 + e^{-(v+23)/6})``;
  ``tau_n = 100/(11 e^{(v+60)/24} + 21 e^{-(v+60)/23}) + 0.7``, ``tau_p = 100/(4 e^{(v+60)/32} + 5 e^{-(v+60)/22}) + 5``.
- Hyperpolarisation-activated cation current (Ih): ``g r (v - e_h)``; r_inf half -76 mV slope -7 mV;
  ``tau_r = 1e5/(237 e^{(v+60)/12} + 17 e^{-(v+60)/14}) + 25``.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from ._gates import boltzmann

#: Fraction of the KHT conductance carried by the n^2 gate (RM03)
KHT_PHI = 0.85
#: Non-inactivating fraction of the KLT conductance (RM03)
KLT_ZETA = 0.5


@njit(cache=True, inline="always", error_model="numpy")
def _tau(v, scale, a, k_a, b, k_b, floor):
    """RM03's time-constant form, ``scale / (a e^{(v+60)/k_a} + b e^{-(v+60)/k_b}) + floor`` (ms): written once
    for the seven gates below, which differ only in these numbers (the appendix's table)."""
    u = v + 60.0
    return scale / (a * np.exp(u / k_a) + b * np.exp(-u / k_b)) + floor
#: Temperature (degC) at which the kinetics were measured
REFERENCE_TEMPERATURE = 22.0


@njit(cache=True, inline="always", error_model="numpy")
def na_m_inf(v):
    return boltzmann(v, -38.0, 7.0)


@njit(cache=True, inline="always", error_model="numpy")
def na_h_inf(v):
    return boltzmann(v, -65.0, -6.0)


@njit(cache=True, inline="always", error_model="numpy")
def na_tau_m(v):
    return _tau(v, 10.0, 5.0, 18.0, 36.0, 25.0, 0.04)


@njit(cache=True, inline="always", error_model="numpy")
def na_tau_h(v):
    return _tau(v, 100.0, 7.0, 11.0, 10.0, 25.0, 0.6)


@njit(cache=True, inline="always", error_model="numpy")
def klt_w_inf(v):
    return boltzmann(v, -48.0, 6.0) ** 0.25


@njit(cache=True, inline="always", error_model="numpy")
def klt_z_inf(v):
    return KLT_ZETA + (1.0 - KLT_ZETA) * boltzmann(v, -71.0, -10.0)


@njit(cache=True, inline="always", error_model="numpy")
def klt_tau_w(v):
    return _tau(v, 100.0, 6.0, 6.0, 16.0, 45.0, 1.5)


@njit(cache=True, inline="always", error_model="numpy")
def klt_tau_z(v):
    return _tau(v, 1000.0, 1.0, 20.0, 1.0, 8.0, 50.0)


@njit(cache=True, inline="always", error_model="numpy")
def kht_n_inf(v):
    return np.sqrt(boltzmann(v, -15.0, 5.0))


@njit(cache=True, inline="always", error_model="numpy")
def kht_p_inf(v):
    return boltzmann(v, -23.0, 6.0)


@njit(cache=True, inline="always", error_model="numpy")
def kht_tau_n(v):
    return _tau(v, 100.0, 11.0, 24.0, 21.0, 23.0, 0.7)


@njit(cache=True, inline="always", error_model="numpy")
def kht_tau_p(v):
    return _tau(v, 100.0, 4.0, 32.0, 5.0, 22.0, 5.0)


@njit(cache=True, inline="always", error_model="numpy")
def ih_r_inf(v):
    return boltzmann(v, -76.0, -7.0)


@njit(cache=True, inline="always", error_model="numpy")
def ih_tau_r(v):
    return _tau(v, 1e5, 237.0, 12.0, 17.0, 14.0, 25.0)


#: (steady state, time constant) of each gate, in the state order of :class:`neuroladder.RothmanManis`
GATES = {"m": (na_m_inf, na_tau_m), "h": (na_h_inf, na_tau_h), "w": (klt_w_inf, klt_tau_w),
         "z": (klt_z_inf, klt_tau_z), "n": (kht_n_inf, kht_tau_n), "p": (kht_p_inf, kht_tau_p),
         "r": (ih_r_inf, ih_tau_r)}
