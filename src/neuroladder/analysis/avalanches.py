"""Neuronal avalanches from spike times or population counts (Beggs & Plenz 2003).

Beggs JM, Plenz D (2003) Neuronal avalanches in neocortical circuits. J Neurosci
23:11167-11177: pool the activity of all units, bin it in time (by default with the
mean inter-event interval of the pooled activity), and call an *avalanche* a run of
consecutive non-empty bins bounded by empty bins. Its *size* is the number of events,
its *duration* the number of bins.

Everything here is vectorised numpy (O(number of events)); millions of spikes take a
fraction of a second.
"""

from __future__ import annotations

import numpy as np

from ..core.errors import ParameterError


def _check_times(spike_times):
    t = np.asarray(spike_times, dtype=float).ravel()
    if t.size == 0:
        raise ParameterError("spike_times is empty: avalanches need at least one spike")
    if not np.all(np.isfinite(t)):
        bad = int(np.flatnonzero(~np.isfinite(t))[0])
        raise ParameterError(f"spike_times contains NaN or infinite values (first at index {bad}); "
                             "all spike times (ms) must be finite")
    d = np.diff(t)
    if np.any(d < 0):
        bad = int(np.flatnonzero(d < 0)[0])
        raise ParameterError(f"spike_times must be sorted in non-decreasing order (pooled over units); "
                             f"index {bad + 1} ({t[bad + 1]:g} ms) comes before index {bad} ({t[bad]:g} ms). "
                             "Sort with order = np.argsort(spike_times, kind='stable')")
    return t


def mean_interevent_interval(spike_times) -> float:
    """Mean interval (ms) between consecutive events of the pooled activity, ``(t_last - t_first) / (n - 1)``."""
    t = _check_times(spike_times)
    if t.size < 2 or t[-1] == t[0]:
        raise ParameterError("spike_times needs at least two distinct times to define the mean "
                             "inter-event interval; pass bin_ms explicitly")
    return float((t[-1] - t[0]) / (t.size - 1))


def _bin_indices(spike_times, spike_ids, bin_ms):
    t = _check_times(spike_times)
    if spike_ids is not None:
        ids = np.asarray(spike_ids).ravel()
        if ids.shape != t.shape:
            raise ParameterError(f"spike_ids must have the same length as spike_times ({t.size}), got {ids.size}")
    if bin_ms is None:
        bin_ms = mean_interevent_interval(t)
    if not np.isfinite(bin_ms) or bin_ms <= 0:
        raise ParameterError(f"bin_ms must be a finite number > 0 (ms), got {bin_ms!r}")
    # bins start at the first spike: bin j covers [t0 + j bin, t0 + (j + 1) bin)
    return np.floor((t - t[0]) / bin_ms).astype(np.int64), float(bin_ms)


def bin_spikes(spike_times, bin_ms=None, spike_ids=None):
    """Pooled spike counts per time bin, ``(counts, bin_ms)``; bins start at the first spike.

    ``bin_ms`` defaults to the mean inter-event interval (Beggs & Plenz 2003).
    """
    idx, bin_ms = _bin_indices(spike_times, spike_ids, bin_ms)
    return np.bincount(idx), bin_ms


def _runs(occupied_bins, weights):
    """Sizes and durations of runs of consecutive bin indices (``occupied_bins`` sorted, distinct)."""
    breaks = np.flatnonzero(np.diff(occupied_bins) > 1) + 1
    starts = np.concatenate([[0], breaks])
    ends = np.concatenate([breaks, [occupied_bins.size]]) - 1
    sizes = np.add.reduceat(weights, starts)
    durations = occupied_bins[ends] - occupied_bins[starts] + 1
    return sizes.astype(np.int64), durations.astype(np.int64), occupied_bins[starts]


def avalanches(spike_times, spike_ids=None, bin_ms=None, drop_edges=False):
    """Avalanche sizes and durations from pooled spike times (Beggs & Plenz 2003).

    Parameters
    ----------
    spike_times : array (ms)
        Spike times of all units pooled, sorted (non-decreasing); ties allowed.
    spike_ids : array, optional
        Unit of each spike; only checked for length (avalanches use the pooled activity).
    bin_ms : float, optional
        Bin width (ms). Default: the mean inter-event interval of the pooled activity.
    drop_edges : bool
        Drop the first and last avalanche (the recording may have cut them). The bins start
        at the first spike and end at the last, so by default the recording is taken to
        start and end in silence and every avalanche is kept.

    Returns
    -------
    sizes : int64 array
        Spikes per avalanche.
    durations : int64 array
        Bins per avalanche (multiply by ``bin_ms`` for ms).

    Raises
    ------
    ParameterError
        Empty, unsorted or non-finite ``spike_times``; bad ``bin_ms``.
    """
    idx, _ = _bin_indices(spike_times, spike_ids, bin_ms)
    # occupied bins and their counts without materialising the empty ones (any bin_ms is cheap)
    first = np.flatnonzero(np.concatenate([[True], idx[1:] != idx[:-1]]))
    occupied = idx[first]
    counts = np.diff(np.append(first, idx.size))
    sizes, durations, _ = _runs(occupied, counts)
    if drop_edges:
        sizes, durations = sizes[1:-1], durations[1:-1]
    return sizes, durations


def _check_counts(counts):
    c = np.asarray(counts)
    if c.ndim != 1:
        raise ParameterError(f"counts must be a 1-D array of events per time bin, got shape {c.shape}")
    if c.size == 0:
        raise ParameterError("counts is empty: avalanches need at least one time bin")
    cf = c.astype(float)
    if not np.all(np.isfinite(cf)):
        raise ParameterError("counts contains NaN or infinite values; counts must be finite integers >= 0")
    if np.any(cf < 0):
        raise ParameterError(f"counts contains negative values (min {cf.min():g}); counts must be integers >= 0")
    if np.any(cf != np.round(cf)):
        raise ParameterError("counts contains non-integer values; counts must be integers >= 0")
    return c.astype(np.int64)


def _count_runs(counts, drop_edges):
    c = _check_counts(counts)
    occupied = np.flatnonzero(c)
    if occupied.size == 0:
        empty = np.empty(0, np.int64)
        return empty, empty, empty
    sizes, durations, starts = _runs(occupied, c[occupied])
    if drop_edges:
        keep = (starts > 0) & (starts + durations < c.size)
        sizes, durations, starts = sizes[keep], durations[keep], starts[keep]
    return sizes, durations, starts


def avalanches_from_counts(counts, drop_edges=False):
    """Avalanche sizes and durations from a population count per time bin.

    An avalanche is a run of non-zero bins bounded by zero bins; size = summed counts,
    duration = number of bins. ``drop_edges=True`` drops runs touching the first or last
    bin (possibly cut by the recording). Raises ParameterError for empty, negative,
    non-integer or non-finite counts.
    """
    sizes, durations, _ = _count_runs(counts, drop_edges)
    return sizes, durations


def avalanche_shapes(counts, min_avalanches=20, durations=None, drop_edges=False):
    """Mean temporal profile of the avalanches of each duration (Friedman et al. 2012).

    Parameters
    ----------
    counts : 1-D int array
        Population count per bin (e.g. :func:`bin_spikes`, or
        :func:`neuroladder.circuits.galton_watson_activity`).
    min_avalanches : int
        Keep only durations with at least this many avalanches.
    durations : iterable of int, optional
        Only these durations.

    Returns
    -------
    dict ``{T: (mean_profile, n_avalanches)}``
        ``mean_profile`` is a float array of length ``T`` (events per bin, averaged over
        the avalanches of duration ``T``).
    """
    c = _check_counts(counts)
    _, durs, starts = _count_runs(c, drop_edges)
    wanted = np.unique(durs) if durations is None else np.unique(np.asarray(durations, dtype=np.int64))
    out = {}
    for T in wanted:
        s = starts[durs == T]
        if s.size < max(int(min_avalanches), 1):
            continue
        profile = c[s[:, None] + np.arange(T)[None, :]].mean(axis=0)
        out[int(T)] = (profile, int(s.size))
    return out
