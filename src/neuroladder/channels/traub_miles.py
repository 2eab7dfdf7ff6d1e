"""Traub & Miles (1991) sodium and potassium kinetics, as used in the COBAHH benchmark.

Rates in 1/ms for v in mV, relative to the threshold parameter ``v_t`` (mV), in the form of
Brette et al. (2007), J. Comput. Neurosci. 23:349, benchmark 3 (Brian2's COBAHH example;
NEST's ``hh_cond_exp_traub``):

    alpha_m = 0.32 (13 - v + v_t) / (exp((13 - v + v_t)/4) - 1)
    beta_m  = 0.28 (v - v_t - 40) / (exp((v - v_t - 40)/5) - 1)
    alpha_h = 0.128 exp((17 - v + v_t)/18)
    beta_h  = 4 / (1 + exp((40 - v + v_t)/5))
    alpha_n = 0.032 (15 - v + v_t) / (exp((15 - v + v_t)/5) - 1)
    beta_n  = 0.5 exp((10 - v + v_t)/40)

Source: R. D. Traub & R. Miles, *Neuronal Networks of the Hippocampus* (1991).
"""

from __future__ import annotations

import numpy as np
from numba import njit

from ..core._math import exp


@njit(cache=True, inline="always", error_model="numpy")
def _x_over_expm1(x):
    """x / (exp(x) - 1), with its series 1 - x/2 + x^2/12 - x^4/720 for |x| < 1e-3 (no cancellation)."""
    if abs(x) > 1e-3:
        return x / (exp(x) - 1.0)
    x2 = x * x
    return 1.0 - 0.5 * x + x2 * (1.0 / 12.0 - x2 / 720.0)


@njit(cache=True, inline="always", error_model="numpy")
def gate_rates(v, v_t):
    """(alpha_m, beta_m, alpha_h, beta_h, alpha_n, beta_n) in 1/ms at v (mV)."""
    u = v - v_t
    alpha_m = 1.28 * _x_over_expm1((13.0 - u) / 4.0)
    beta_m = 1.4 * _x_over_expm1((u - 40.0) / 5.0)
    alpha_h = 0.128 * exp((17.0 - u) / 18.0)
    beta_h = 4.0 / (1.0 + exp((40.0 - u) / 5.0))
    alpha_n = 0.16 * _x_over_expm1((15.0 - u) / 5.0)
    beta_n = 0.5 * exp((10.0 - u) / 40.0)
    return alpha_m, beta_m, alpha_h, beta_h, alpha_n, beta_n


def gate_rates_reference(v, v_t=-63.0):
    """The textbook forms in numpy (a readable reference for :func:`gate_rates`)."""
    u = np.asarray(v, dtype=float) - v_t

    def x_over_expm1(x):
        small = np.abs(x) < 1e-12
        safe = np.where(small, 1.0, x)
        return np.where(small, 1.0, safe / np.expm1(safe))

    return (1.28 * x_over_expm1((13.0 - u) / 4.0), 1.4 * x_over_expm1((u - 40.0) / 5.0),
            0.128 * np.exp((17.0 - u) / 18.0), 4.0 / (1.0 + np.exp((40.0 - u) / 5.0)),
            0.16 * x_over_expm1((15.0 - u) / 5.0), 0.5 * np.exp((10.0 - u) / 40.0))
