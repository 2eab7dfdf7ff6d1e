"""Shared helpers for the Vogels & Abbott (2005) / Brette et al. (2007)
COBA and CUBA peer scripts (cuba_*.py, coba_*.py): network size, arguments,
spike statistics.

Importing this module imports peer_io first (stdout redirected to stderr;
``emit``/``log`` re-exported from there), so import it before the simulator.
Needs only the standard library and numpy.
"""

import argparse

# First: keeps stdout for the result line.  emit/log re-exported for the scripts.
from peer_io import emit, log  # noqa: F401

# Network size and wiring shared by both benchmarks.
N_TOTAL = 4000
N_EXC = 3200
N_INH = N_TOTAL - N_EXC
P_CONN = 0.02


def base_parser(description, delay_default, delay_help):
    p = argparse.ArgumentParser(description=description)
    p.add_argument("--dt", type=float, default=0.1, help="time step (ms)")
    p.add_argument("--duration", type=float, default=10000.0, help="simulated time (ms)")
    p.add_argument("--seed", type=int, default=1, help="random seed (wiring and initial state)")
    p.add_argument("--delay", type=float, default=delay_default, help=delay_help)
    p.add_argument("--autapses", action="store_true",
                   help="allow i -> i connections (default: no autapses)")
    return p


def spike_stats(senders, times_ms, n, duration_ms):
    """Return (spikes, rate_hz, cv_isi, n_cv).

    ``senders`` are 0-based neuron indices, ``times_ms`` the spike times.
    rate_hz is the mean rate over all ``n`` neurons; cv_isi is the mean over
    neurons with >= 3 spikes of std(ISI)/mean(ISI) (population std, ddof=0);
    None if no neuron qualifies.  n_cv is the number of neurons averaged.
    """
    import numpy as np

    senders = np.asarray(senders, dtype=np.int64)
    times = np.asarray(times_ms, dtype=np.float64)
    spikes = int(senders.size)
    rate_hz = spikes / n / (duration_ms / 1000.0)
    if spikes < 3:
        return spikes, rate_hz, None, 0
    order = np.lexsort((times, senders))
    s = senders[order]
    t = times[order]
    same = s[1:] == s[:-1]
    isi = (t[1:] - t[:-1])[same]
    owner = s[1:][same]
    cnt = np.bincount(owner, minlength=n)
    s1 = np.bincount(owner, weights=isi, minlength=n)
    s2 = np.bincount(owner, weights=isi * isi, minlength=n)
    ok = cnt >= 2  # >= 3 spikes
    if not ok.any():
        return spikes, rate_hz, None, 0
    mean = s1[ok] / cnt[ok]
    var = np.maximum(s2[ok] / cnt[ok] - mean * mean, 0.0)
    with np.errstate(divide="ignore", invalid="ignore"):
        cv = np.sqrt(var) / mean
    cv = cv[np.isfinite(cv)]
    if cv.size == 0:
        return spikes, rate_hz, None, 0
    return spikes, rate_hz, float(cv.mean()), int(cv.size)
