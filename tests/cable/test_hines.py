"""Hines elimination against numpy's dense solver on random trees (an independent method)."""

from __future__ import annotations

import numpy as np
import pytest

from neuroladder.cable.hines import dense_matrix, hines_solve


@pytest.mark.parametrize("seed", range(5))
def test_hines_matches_dense_solve_on_random_trees(seed):
    rng = np.random.default_rng(seed)
    n = 200
    parent = np.concatenate([[-1], [rng.integers(0, i) for i in range(1, n)]])  # parents before children
    a = -rng.uniform(0.1, 2.0, n)
    a[0] = 0.0
    d = rng.uniform(0.5, 1.0, n)
    for i in range(1, n):  # diagonally dominant, as a cable matrix is (membrane + axial terms)
        d[i] += -a[i]
        d[parent[i]] += -a[i]
    rhs = rng.normal(size=n)
    expected = np.linalg.solve(dense_matrix(d, a, parent), rhs)
    out = hines_solve(d.copy(), a, parent.astype(np.int64), rhs.copy(), np.empty(n))
    np.testing.assert_allclose(out, expected, rtol=1e-10, atol=1e-12)
