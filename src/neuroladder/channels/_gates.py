"""Gate helpers shared by the channel modules: Boltzmann curves and the conditionally linear gate form.

Each function is compiled by numba for the model kernels and keeps its plain Python body
(``fn.py_func``) for numpy arrays, so a curve is written once for kernels, tests and plots.
"""

from __future__ import annotations

import numpy as np
from numba import njit


@njit(cache=True, inline="always", error_model="numpy")
def boltzmann(v, v_half, slope):
    """1 / (1 + exp(-(v - v_half) / slope)): activation for slope > 0, inactivation for slope < 0 (mV)."""
    return 1.0 / (1.0 + np.exp(-(v - v_half) / slope))


@njit(cache=True, inline="always", error_model="numpy")
def relaxation(x_inf, tau):
    """(a, b) of a gate dx/dt = (x_inf - x) / tau in the conditionally linear form dx/dt = a + b x."""
    return x_inf / tau, -1.0 / tau


def curve(fn, v, *args):
    """Evaluate a channel curve (a numba function of scalar v) on a numpy array of v (mV)."""
    return fn.py_func(np.asarray(v, dtype=float), *args)
