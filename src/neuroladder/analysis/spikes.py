"""Spike-train statistics: ISIs, CV, adaptation, bursts."""

from __future__ import annotations

import numpy as np

from ..core.errors import ParameterError


def _times(spike_times) -> np.ndarray:
    t = np.asarray(spike_times, dtype=float)
    if t.ndim != 1:
        raise ParameterError(f"spike_times must be a 1-D array of times (ms), got shape {t.shape}")
    if t.size and (not np.all(np.isfinite(t)) or np.any(np.diff(t) < 0)):
        raise ParameterError("spike_times must be finite and sorted in increasing order")
    return t


def isi(spike_times) -> np.ndarray:
    """Inter-spike intervals (ms)."""
    return np.diff(_times(spike_times))


def cv_isi(spike_times) -> float:
    """Coefficient of variation of the ISIs (NaN with fewer than 3 spikes)."""
    d = isi(spike_times)
    return float(d.std() / d.mean()) if d.size >= 2 else float("nan")


def adaptation_index(spike_times) -> float:
    """Mean normalised ISI change, mean((ISI_{k+1} - ISI_k) / (ISI_{k+1} + ISI_k)).

    The Allen Cell Types Database definition (technical white paper: electrophysiology, 2017):
    positive for slowing (adapting) trains, ~0 for regular ones. NaN with fewer than 3 spikes.
    """
    d = isi(spike_times)
    if d.size < 2:
        return float("nan")
    return float(np.mean((d[1:] - d[:-1]) / (d[1:] + d[:-1])))


def adaptation_ratio(spike_times, onset: float, stop: float, early: float = 50.0) -> float:
    """Mean ISI in the second half of [onset, stop] over the mean ISI in the first ``early`` ms after onset.

    Compares equal-time windows rather than spike indices, so a fast spiker's brief start-up
    transient (a few short ISIs) does not count as adaptation. NaN if either window lacks an ISI.
    """
    t = _times(spike_times)
    d = np.diff(t)
    mid = t[1:]
    first = d[(t[:-1] >= onset) & (mid <= onset + early)]
    late = d[t[:-1] >= onset + 0.5 * (stop - onset)]
    if first.size == 0 or late.size == 0:
        return float("nan")
    return float(late.mean() / first.mean())


def isi_gap(spike_times) -> tuple[float, float]:
    """(gap ratio, split ISI): the largest ratio between consecutive sorted ISIs and the geometric mean
    of the two ISIs around it. A gap ratio > 3 marks a bimodal ISI distribution (bursts)."""
    d = np.sort(isi(spike_times))
    if d.size < 2:
        return 1.0, float("nan")
    ratios = d[1:] / np.maximum(d[:-1], 1e-12)
    j = int(np.argmax(ratios))
    return float(ratios[j]), float(np.sqrt(d[j] * d[j + 1]))


def burst_count(spike_times, gap_ratio: float = 3.0) -> int:
    """Number of bursts: runs of >= 2 spikes whose ISIs fall below the split of a bimodal ISI
    distribution (:func:`isi_gap` ratio > ``gap_ratio``); 0 for unimodal trains."""
    ratio, split = isi_gap(spike_times)
    if ratio <= gap_ratio:
        return 0
    short = isi(spike_times) < split
    starts = short & ~np.concatenate([[False], short[:-1]])
    return int(starts.sum())
