"""Spike-train statistics on hand-built trains whose statistics are known exactly."""

from __future__ import annotations

import numpy as np
import pytest

from neuroladder.analysis import adaptation_index, adaptation_ratio, burst_count, cv_isi, isi, isi_gap


def test_isi_and_cv_of_a_periodic_train():
    t = np.arange(0.0, 100.0, 10.0)
    np.testing.assert_allclose(isi(t), 10.0, rtol=1e-12)
    assert cv_isi(t) == pytest.approx(0.0, abs=1e-12)


def test_cv_of_alternating_isis():
    # ISIs alternate 1, 3: mean 2, population std 1 -> CV 0.5
    t = np.cumsum([0.0] + [1.0, 3.0] * 50)
    assert cv_isi(t) == pytest.approx(0.5, rel=1e-12)


def test_adaptation_ratio_equal_time_windows():
    # ISIs of 5 ms for the first 100 ms after onset = 10, then 10 ms to 1000 ms:
    # first 50 ms -> mean 5; second half [505, 1000] -> mean 10: ratio 2
    t = np.concatenate([np.arange(10.0, 110.0, 5.0), np.arange(110.0, 1000.0, 10.0)])
    assert adaptation_ratio(t, onset=10.0, stop=1000.0) == pytest.approx(2.0, rel=1e-12)


def test_adaptation_index_of_geometric_train():
    # ISIs growing by a factor r: each (d_{k+1} - d_k)/(d_{k+1} + d_k) = (r - 1)/(r + 1) = 1/3 for r = 2
    d = 2.0 ** np.arange(8)
    t = np.concatenate([[0.0], np.cumsum(d)])
    assert adaptation_index(t) == pytest.approx(1.0 / 3.0, rel=1e-12)


def test_bursts_found_by_isi_gap():
    # 4 bursts of 3 spikes: intra-burst ISI 2 ms, inter-burst 40 ms -> gap ratio 20, split sqrt(80)
    t = np.concatenate([start + np.array([0.0, 2.0, 4.0]) for start in (0.0, 44.0, 88.0, 132.0)])
    ratio, split = isi_gap(t)
    assert ratio == pytest.approx(20.0, rel=1e-12)
    assert split == pytest.approx(np.sqrt(80.0), rel=1e-12)
    assert burst_count(t) == 4


def test_tonic_train_has_no_bursts():
    t = np.cumsum(np.full(30, 10.0) + np.linspace(0.0, 2.0, 30))  # ISIs 10..12 ms: ratio ~1.007
    assert isi_gap(t)[0] < 1.1
    assert burst_count(t) == 0
