"""Hines' O(N) elimination for the tree-structured linear systems of a compartmental cell.

Compartments are numbered so that every parent has a smaller index than its children (root
first). The matrix is symmetric with diagonal ``d`` and, for each non-root compartment i, the
off-diagonal entry ``a[i]`` coupling i and ``parent[i]``. Source: M. Hines, Int. J. Bio-Med.
Comput. 15:69 (1984).
"""

from __future__ import annotations

import numpy as np
from numba import njit


@njit(cache=True, error_model="numpy")
def hines_solve(d, a, parent, rhs, out):
    """Solve the tree system in O(N); ``d`` and ``rhs`` are overwritten (``d`` by the reciprocals of the
    eliminated diagonal), ``out`` receives x."""
    n = d.shape[0]
    for i in range(n - 1, 0, -1):  # leaves towards the root
        p = parent[i]
        f = a[i] / d[i]
        d[p] -= f * a[i]
        rhs[p] -= f * rhs[i]
        # the reciprocal is off the elimination's dependency chain here; the back substitution, a chain
        # through every compartment, then multiplies instead of dividing (a division's latency is ~3x a multiply's)
        d[i] = 1.0 / d[i]
    out[0] = rhs[0] / d[0]
    for i in range(1, n):  # root towards the leaves
        out[i] = (rhs[i] - a[i] * out[parent[i]]) * d[i]
    return out


@njit(cache=True, error_model="numpy")
def hines_factor(d, a, parent):
    """Eliminate a constant tree matrix once: returns (1 / eliminated diagonal, elimination factors)."""
    n = d.shape[0]
    dd = d.copy()
    f = np.zeros(n)
    for i in range(n - 1, 0, -1):
        f[i] = a[i] / dd[i]
        dd[parent[i]] -= f[i] * a[i]
    return 1.0 / dd, f


@njit(cache=True, error_model="numpy")
def hines_solve_factored(inv_d, f, a, parent, rhs, out):
    """Solve with a matrix factored by :func:`hines_factor` (``rhs`` is overwritten): two cheap passes."""
    n = rhs.shape[0]
    for i in range(n - 1, 0, -1):
        rhs[parent[i]] -= f[i] * rhs[i]
    out[0] = rhs[0] * inv_d[0]
    for i in range(1, n):
        out[i] = (rhs[i] - a[i] * out[parent[i]]) * inv_d[i]
    return out


def dense_matrix(d, a, parent) -> np.ndarray:
    """The same system as a dense matrix (for tests and small cells)."""
    n = d.size
    m = np.diag(np.asarray(d, dtype=float))
    for i in range(1, n):
        m[i, parent[i]] = m[parent[i], i] = a[i]
    return m
