"""The one random-number policy: every stochastic function takes ``seed=``.

``seed`` may be ``None`` (fresh entropy), an int, a :class:`numpy.random.SeedSequence`
or a :class:`numpy.random.Generator`. Same seed, same result; no global state
(never ``np.random.seed``).
"""

from __future__ import annotations

import numpy as np

from .errors import ParameterError


def make_rng(seed=None) -> np.random.Generator:
    """Return a :class:`numpy.random.Generator` for ``seed`` (see module docstring)."""
    if isinstance(seed, np.random.Generator):
        return seed
    if seed is None or isinstance(seed, np.random.SeedSequence):
        return np.random.default_rng(seed)
    if isinstance(seed, (int, np.integer)) and not isinstance(seed, (bool, np.bool_)) and seed >= 0:
        return np.random.default_rng(int(seed))
    raise ParameterError(f"seed must be None, a non-negative int or a numpy Generator, got {seed!r}")
