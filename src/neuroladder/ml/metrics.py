"""Held-out Poisson log-likelihood in bits per spike (numpy only)."""

from __future__ import annotations

import numpy as np
from scipy.special import gammaln

from ..core.errors import ParameterError

__all__ = ["poisson_log_likelihood", "bits_per_spike"]


def poisson_log_likelihood(log_rates, counts) -> float:
    """``sum_t,i [n log mu - mu - log n!]`` (nats) for expected counts per bin ``mu = exp(log_rates)``."""
    eta = np.asarray(log_rates, dtype=float)
    n = np.asarray(counts, dtype=float)
    if eta.shape != n.shape:
        raise ParameterError(f"log_rates {eta.shape} and counts {n.shape} must have the same shape")
    if not np.all(np.isfinite(eta)):
        raise ParameterError("log_rates must be finite")
    return float(np.sum(n * eta - np.exp(eta) - gammaln(n + 1.0)))


def bits_per_spike(log_rates, counts, baseline_rates=None) -> float:
    """Log-likelihood gain over a homogeneous Poisson rate per neuron, in bits per spike.

    ``(LL(model) - LL(homogeneous)) / (n_spikes ln 2)`` (Pillow et al. 2008's measure, as used by the
    Neural Latents Benchmark, Pei et al. 2021). ``log_rates`` and ``counts`` are (T, N): log expected
    counts per bin and observed counts. The homogeneous model's expected count per bin of neuron
    ``i`` is ``baseline_rates[i]`` (default: that neuron's mean count over these T bins, as NLB does).
    0 means no better than each neuron's mean rate; positive is better.
    """
    n = np.asarray(counts, dtype=float)
    if n.ndim != 2:
        raise ParameterError(f"counts must be (T, N), got shape {n.shape}")
    base = n.mean(axis=0) if baseline_rates is None else np.asarray(baseline_rates, dtype=float)
    if base.shape != (n.shape[1],) or np.any(base < 0):
        raise ParameterError(f"baseline_rates must be N = {n.shape[1]} non-negative expected counts per bin")
    keep = base > 0          # a neuron that never fires contributes no spikes and no information
    total = n[:, keep].sum()
    if total <= 0:
        raise ParameterError("counts contain no spike; bits per spike is undefined")
    ll_model = poisson_log_likelihood(np.asarray(log_rates, dtype=float)[:, keep], n[:, keep])
    ll_base = poisson_log_likelihood(np.broadcast_to(np.log(base[keep]), n[:, keep].shape), n[:, keep])
    return (ll_model - ll_base) / (total * np.log(2.0))
