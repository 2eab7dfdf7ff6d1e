"""Input checks and lagged design matrices shared by the coding tools (STA/STC, LN, GLM).

Conventions (docs/coding.md): a stimulus is a 1-D time series sampled in bins of ``dt`` ms;
spikes are counts per bin of the same length (or spike times in ms, binned here); a filter
is indexed by lag, ``filter[k]`` weighting the stimulus ``k`` bins *before* the response bin
(``k = 0`` is the response bin itself).
"""

from __future__ import annotations

import numpy as np

from ..core.errors import ParameterError


def series(x, name: str) -> np.ndarray:
    """``x`` as a finite, non-empty 1-D float array, or a ParameterError naming ``name``."""
    try:
        a = np.asarray(x, dtype=float)
    except (TypeError, ValueError):
        raise ParameterError(f"{name} must be a 1-D array of numbers, got {type(x).__name__}") from None
    if a.ndim != 1:
        raise ParameterError(f"{name} must be a 1-D time series, got an array of shape {a.shape}")
    if a.size == 0:
        raise ParameterError(f"{name} must not be empty (got 0 samples)")
    if not np.all(np.isfinite(a)):
        raise ParameterError(f"{name} must be finite; it contains {int(np.sum(~np.isfinite(a)))} NaN/inf values")
    return a


def n_lags(value, name: str, n_samples: int, minimum: int = 1) -> int:
    """A lag count: an int in [minimum, n_samples - 1]."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, np.integer)):
        raise ParameterError(f"{name} must be an int >= {minimum}, got {value!r}")
    v = int(value)
    if v < minimum or v >= n_samples:
        raise ParameterError(f"{name} must be in [{minimum}, {n_samples - 1}] (fewer lags than samples), got {v}")
    return v


def spike_counts(stimulus: np.ndarray, spikes, dt: float, times: bool) -> np.ndarray:
    """Spike counts per stimulus bin from ``spikes`` (counts per bin, or spike times in ms if ``times``)."""
    if times:
        t = np.asarray(spikes, dtype=float)
        if t.ndim != 1 or not np.all(np.isfinite(t)):
            raise ParameterError("spikes (spike times) must be a finite 1-D array of times in ms")
        edges = np.arange(stimulus.size + 1) * dt
        if t.size and (t.min() < 0 or t.max() >= edges[-1]):
            raise ParameterError(f"spikes (spike times) must lie in [0, {edges[-1]:g}) ms, the stimulus duration")
        counts, _ = np.histogram(t, edges)
        return counts.astype(float)
    n = series(spikes, "spikes")
    if n.size != stimulus.size:
        raise ParameterError(f"spikes must have one count per stimulus bin: len(spikes) = {n.size}, "
                             f"len(stimulus) = {stimulus.size}")
    if np.any(n < 0):
        raise ParameterError("spikes must be non-negative counts per bin")
    return n


def lagged_matrix(x: np.ndarray, n: int, start: int = 0) -> np.ndarray:
    """Rows ``t``: ``[x[t - start], x[t - start - 1], ..., x[t - start - n + 1]]``, zeros before the start.

    ``start = 0`` gives stimulus lags 0..n-1; ``start = 1`` gives the strictly past spike history.
    """
    padded = np.concatenate([np.zeros(n + start - 1), x])
    windows = np.lib.stride_tricks.sliding_window_view(padded, n)[: x.size]
    return np.ascontiguousarray(windows[:, ::-1])
