"""The Na/K/leak membrane of Hodgkin-Huxley-type models, written once for every kinetics.

``c_m dv/dt = I - g_na m^3 h (v - e_na) - g_k n^4 (v - e_k) - g_l (v - e_l)`` and
``dx/dt = alpha_x (1 - x) - beta_x x`` in the conditionally linear form of the model protocol.
Packed parameters p[0..6] = (1/c_m, g_na, g_k, g_l, e_na, e_k, e_l); the rates come from the
kinetics module (:mod:`.hh`, :mod:`.traub_miles`).
"""

from __future__ import annotations

from numba import njit


@njit(cache=True, inline="always", error_model="numpy")
def membrane_drift(inv_c, g_na, g_k, g_l, e_na, e_k, e_l, i_ext):
    """The membrane equation, once: c_m dv/dt = I - g_na (v - e_na) - g_k (v - e_k) - g_l (v - e_l)
    as dv/dt = a + b v, for the open conductances g_na, g_k (mS/cm^2, e.g. g_na_max m^3 h or a
    stochastic open fraction times g_na_max). Returns (a, b) in mV/ms and 1/ms."""
    a = (i_ext + g_na * e_na + g_k * e_k + g_l * e_l) * inv_c
    b = -(g_na + g_k + g_l) * inv_c
    return a, b


@njit(cache=True, inline="always", error_model="numpy")
def membrane_row(k, y, p, i_ext, a, b):
    """Fill a[0, k], b[0, k] (the membrane) for the state (v, m, h, n): g_na = g_na_max m^3 h, g_k = g_k_max n^4."""
    m = y[1, k]
    n2 = y[3, k] * y[3, k]
    g_na = p[1, k] * m * m * m * y[2, k]
    g_k = p[2, k] * n2 * n2
    a[0, k], b[0, k] = membrane_drift(p[0, k], g_na, g_k, p[3, k], p[4, k], p[5, k], p[6, k], i_ext[k])


@njit(cache=True, error_model="numpy")
def mhn_membrane(t, y, p, i_ext, a, b):
    """Row 0 of the (v, m, h, n) models' equations alone: the membrane at the current gates, no rate
    functions (a model's ``membrane_equations``: the cable solver needs it once more per step)."""
    for k in range(y.shape[1]):
        membrane_row(k, y, p, i_ext, a, b)


@njit(cache=True, inline="always", error_model="numpy")
def membrane_terms(k, y, p, i_ext, a, b, alpha_m, beta_m, alpha_h, beta_h, alpha_n, beta_n):
    """Fill column k of a, b for the state (v, m, h, n)."""
    membrane_row(k, y, p, i_ext, a, b)
    a[1, k] = alpha_m
    b[1, k] = -(alpha_m + beta_m)
    a[2, k] = alpha_h
    b[2, k] = -(alpha_h + beta_h)
    a[3, k] = alpha_n
    b[3, k] = -(alpha_n + beta_n)
