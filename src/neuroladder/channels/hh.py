"""Hodgkin-Huxley (1952) squid-axon sodium and potassium channel kinetics.

Rates in 1/ms at 6.3 degC for membrane potential v in mV, in the modern sign
convention (rest near -65 mV). Source: Hodgkin & Huxley, J. Physiol. 117:500 (1952),
eqs. 12-13, 20-21, 23-24, shifted by -65 mV:

    alpha_m = 0.1 (v + 40) / (1 - exp(-(v + 40) / 10))     beta_m = 4 exp(-(v + 65) / 18)
    alpha_h = 0.07 exp(-(v + 65) / 20)                      beta_h = 1 / (1 + exp(-(v + 35) / 10))
    alpha_n = 0.01 (v + 55) / (1 - exp(-(v + 55) / 10))     beta_n = 0.125 exp(-(v + 65) / 80)

Temperature scales every rate by phi = q10 ** ((T - 6.3) / 10). A *gating shift*
s_x (mV) evaluates gate x's rates at v - s_x (a positive shift moves the
gate's voltage dependence to depolarised potentials: a channelopathy).

These functions are shared by the point neuron (``neurons.HodgkinHuxley``) and
the compartmental solver. The fast kernel :func:`gate_rates` needs two
exponentials instead of six: the three ``exp(-(.)/10)`` terms differ by
constant factors, and ``exp(-(v+65)/18)``, ``/20``, ``/80`` are the 40th, 36th
and 9th powers of ``exp(-(v+65)/720)``. :func:`gate_rates_reference` is the
textbook form used to test it.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from ..core._math import exp

#: Number of packed constants :func:`pack_kinetics` returns (and :func:`gate_rates` reads).
N_KINETIC_CONSTANTS = 8


def temperature_factor(temperature: float, q10: float = 3.0) -> float:
    """phi = q10 ** ((temperature - 6.3) / 10): the rate scaling at ``temperature`` degC."""
    return q10 ** ((temperature - 6.3) / 10.0)


def pack_kinetics(temperature, q10, shift_m, shift_h, shift_n):
    """The constants :func:`gate_rates` needs, in its order (scalars or per-unit arrays)."""
    phi = q10 ** ((np.asarray(temperature, dtype=float) - 6.3) / 10.0)
    sm, sh, sn = (np.asarray(s, dtype=float) for s in (shift_m, shift_h, shift_n))
    return (
        phi,
        sm,
        sn,
        np.exp((5.0 + sh - sm) / 10.0),     # exp(-(v - sh + 35)/10) / exp(-(v - sm + 40)/10)
        np.exp((sn - sm - 15.0) / 10.0),    # exp(-(v - sn + 55)/10) / exp(-(v - sm + 40)/10)
        phi * 4.0 * np.exp(sm / 18.0),      # beta_m  = this * r**40, r = exp(-(v + 65)/720)
        phi * 0.07 * np.exp(sh / 20.0),     # alpha_h = this * r**36
        phi * 0.125 * np.exp(sn / 80.0),    # beta_n  = this * r**9
    )


@njit(cache=True, inline="always", error_model="numpy")
def _x_over_one_minus_exp(x, e):
    """x / (1 - e) with e = exp(-x/10), continuous through its removable singularity at x = 0.

    Near 0 the direct form loses digits to cancellation (relative error ~1e-17/|x/10|), so
    for |x| < 1e-2 the series 10 (1 + z/2 + z^2/12 - z^4/720), z = x/10, is used
    (truncation error < 1e-19 there).
    """
    if abs(x) > 1e-2:
        return x / (1.0 - e)
    z = 0.1 * x
    z2 = z * z
    return 10.0 * (1.0 + 0.5 * z + z2 * (1.0 / 12.0 - z2 / 720.0))


@njit(cache=True, inline="always", error_model="numpy")
def gate_rates(v, phi, shift_m, shift_n, c_h, c_n, k_bm, k_ah, k_bn):
    """(alpha_m, beta_m, alpha_h, beta_h, alpha_n, beta_n) in 1/ms at v (mV); constants from :func:`pack_kinetics`."""
    u = v - shift_m + 40.0
    e = exp(-0.1 * u)
    alpha_m = phi * 0.1 * _x_over_one_minus_exp(u, e)
    alpha_n = phi * 0.01 * _x_over_one_minus_exp(v - shift_n + 55.0, e * c_n)
    beta_h = phi / (1.0 + e * c_h)
    r = exp(-(v + 65.0) / 720.0)
    r2 = r * r
    r4 = r2 * r2
    r8 = r4 * r4
    r32 = r8 * r8 * r8 * r8
    beta_m = k_bm * r32 * r8
    alpha_h = k_ah * r32 * r4
    beta_n = k_bn * r8 * r
    return alpha_m, beta_m, alpha_h, beta_h, alpha_n, beta_n


def gate_rates_reference(v, temperature=6.3, q10=3.0, shift_m=0.0, shift_h=0.0, shift_n=0.0):
    """The textbook rate functions in numpy (readable reference for :func:`gate_rates`)."""
    v = np.asarray(v, dtype=float)
    phi = temperature_factor(temperature, q10)
    vm, vh, vn = v - shift_m, v - shift_h, v - shift_n
    alpha_m = 0.1 * _vtrap(vm + 40.0)
    alpha_n = 0.01 * _vtrap(vn + 55.0)
    beta_m = 4.0 * np.exp(-(vm + 65.0) / 18.0)
    alpha_h = 0.07 * np.exp(-(vh + 65.0) / 20.0)
    beta_h = 1.0 / (1.0 + np.exp(-(vh + 35.0) / 10.0))
    beta_n = 0.125 * np.exp(-(vn + 65.0) / 80.0)
    return tuple(phi * r for r in (alpha_m, beta_m, alpha_h, beta_h, alpha_n, beta_n))


def _vtrap(x):
    """x / (1 - exp(-x/10)) written as 10 z / -expm1(-z), z = x/10 (no cancellation), limit 10 at 0."""
    z = np.asarray(x, dtype=float) / 10.0
    small = z == 0.0
    safe = np.where(small, 1.0, z)
    return np.where(small, 10.0, 10.0 * safe / -np.expm1(-safe))


def steady_state(v, **kinetics):
    """(m_inf, h_inf, n_inf) at membrane potential v (mV)."""
    am, bm, ah, bh, an, bn = gate_rates_reference(v, **kinetics)
    return am / (am + bm), ah / (ah + bh), an / (an + bn)
