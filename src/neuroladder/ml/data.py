"""Training data from neuroladder's own simulators: irregular samples of a ``Result`` and binned spike counts.

Both are plain numpy (no torch): the models in :mod:`neuroladder.ml` consume them.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..core.errors import ParameterError
from ..core.parameters import positive_float
from ..core.rng import make_rng

__all__ = ["IrregularSamples", "irregular_samples", "binned_counts"]


@dataclass(frozen=True)
class IrregularSamples:
    """Irregularly timed, partially missing samples of a multichannel series, one row per sequence.

    Attributes
    ----------
    t : ndarray (B, n)
        Sample times (ms), strictly increasing within each sequence.
    values : ndarray (B, n, D)
        Sampled values; entries whose ``mask`` is False are set to 0 (they carry no information).
    mask : ndarray of bool (B, n, D)
        True where a channel was observed at that time.
    names : tuple of str
        Channel names (the ``Result``'s recorded variables).
    """

    t: np.ndarray
    values: np.ndarray
    mask: np.ndarray
    names: tuple

    @property
    def n_sequences(self) -> int:
        return self.t.shape[0]


def irregular_samples(result, n: int, missing: float = 0.0, seed=None, variables=None,
                      t_min: float | None = None, t_max: float | None = None) -> IrregularSamples:
    """Draw ``n`` random sample times per unit of a simulation, and drop channels at random.

    Parameters
    ----------
    result : neuroladder Result
        Any single-cell or population run of ``nl.simulate``; each of its ``result.n`` units is one sequence.
    n : int >= 1
        Samples per sequence, drawn without replacement from the recorded times in ``[t_min, t_max]``
        (so they are irregular: gaps are random multiples of the record step).
    missing : float in [0, 1)
        Probability that each channel of each sample is missing (independently).
    seed : int or numpy Generator
        Same seed, same samples.
    variables : sequence of str, optional
        Recorded variables to use (default: all recorded).
    t_min, t_max : float (ms), optional
        Time window to sample from (default: the whole run).
    """
    rng = make_rng(seed)
    names = tuple(variables) if variables is not None else tuple(result.keys())
    if not names:
        raise ParameterError("result has no recorded variables; pass record=(...) to simulate")
    for name in names:
        if name not in result:
            raise ParameterError(f"variables: {name!r} was not recorded; recorded: {', '.join(result.keys())}")
    if not 0.0 <= float(missing) < 1.0:
        raise ParameterError(f"missing must be a probability in [0, 1), got {missing!r}")
    t_all = np.asarray(result.t, dtype=float)
    lo = t_all[0] if t_min is None else float(t_min)
    hi = t_all[-1] if t_max is None else float(t_max)
    window = np.flatnonzero((t_all >= lo) & (t_all <= hi))
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or not 1 <= n <= window.size:
        raise ParameterError(f"n must be an int in [1, {window.size}] (recorded times in the window), got {n!r}")
    traces = np.stack([np.asarray(result[name], dtype=float).reshape(t_all.size, -1) for name in names], axis=-1)
    n_seq = traces.shape[1]
    idx = np.sort(np.stack([rng.choice(window, size=n, replace=False) for _ in range(n_seq)]), axis=1)
    t = t_all[idx]
    values = traces[idx, np.arange(n_seq)[:, None], :]
    mask = rng.random(values.shape) >= missing
    return IrregularSamples(t, np.where(mask, values, 0.0), mask, names)


def binned_counts(network_result, bin_ms: float, populations=None) -> np.ndarray:
    """Spike counts per time bin of every neuron of a network run, shape (T, n_neurons), int64.

    Neurons are ordered population by population (in ``populations`` order, default all, in the
    network's order), then by index. Bins are ``[t_start + k bin_ms, t_start + (k + 1) bin_ms)``;
    a last partial bin is dropped.
    """
    bin_ms = positive_float("bin_ms", bin_ms, "ms")
    names = list(network_result.spikes) if populations is None else list(populations)
    n_bins = int(np.floor((network_result.t_stop - network_result.t_start) / bin_ms + 1e-9))
    if n_bins < 1:
        raise ParameterError(f"bin_ms = {bin_ms} is longer than the run "
                             f"({network_result.t_stop - network_result.t_start} ms)")
    blocks = []
    for name in names:
        st = network_result._pop(name)
        k = np.floor((st.times - network_result.t_start) / bin_ms).astype(np.int64)
        keep = (k >= 0) & (k < n_bins)
        block = np.zeros((n_bins, st.n), np.int64)
        np.add.at(block, (k[keep], st.ids[keep]), 1)
        blocks.append(block)
    return np.concatenate(blocks, axis=1)
