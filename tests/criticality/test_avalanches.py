"""Avalanche extraction (Beggs & Plenz 2003) on hand-checked examples and consistency checks."""

import numpy as np
import pytest

from neuroladder import ParameterError
from neuroladder.analysis import (
    avalanche_shapes,
    avalanches,
    avalanches_from_counts,
    bin_spikes,
    mean_interevent_interval,
)


def test_counts_hand_example():
    counts = [0, 2, 1, 0, 0, 3, 0, 1, 1, 1, 0]
    s, d = avalanches_from_counts(counts)
    # runs of non-empty bins: [2, 1], [3], [1, 1, 1]
    assert s.tolist() == [3, 3, 3] and d.tolist() == [2, 1, 3]


def test_counts_edges_dropped_on_request():
    counts = [1, 1, 0, 4, 0, 2]
    assert avalanches_from_counts(counts)[0].tolist() == [2, 4, 2]
    s, d = avalanches_from_counts(counts, drop_edges=True)
    assert s.tolist() == [4] and d.tolist() == [1]


def test_spike_times_hand_example():
    # bin 2 ms from t = 0: bins 0, 0, 2, 3, 3, 10 -> runs {0}, {2, 3}, {10}
    t = [0.0, 1.0, 5.0, 6.0, 7.0, 20.0]
    s, d = avalanches(t, bin_ms=2.0)
    assert s.tolist() == [2, 3, 1] and d.tolist() == [1, 2, 1]


def test_default_bin_is_mean_interevent_interval():
    t = np.array([0.0, 1.0, 2.0, 10.0, 11.0])
    assert mean_interevent_interval(t) == pytest.approx(11.0 / 4)
    counts, bin_ms = bin_spikes(t)
    assert bin_ms == pytest.approx(2.75) and counts.sum() == 5
    assert np.array_equal(avalanches(t)[0], avalanches_from_counts(counts)[0])


def test_spike_times_agree_with_counts_on_random_data():
    rng = np.random.default_rng(0)
    t = np.sort(rng.uniform(0, 1e5, 1_000_000))            # a million spikes
    ids = rng.integers(0, 100, t.size)
    s, d = avalanches(t, ids, bin_ms=0.5)
    counts, _ = bin_spikes(t, 0.5)
    s2, d2 = avalanches_from_counts(counts)
    assert np.array_equal(s, s2) and np.array_equal(d, d2)
    assert s.sum() == t.size
    # Poisson pooled activity: bins are non-empty with probability q = 1 - exp(-5); runs are
    # geometric, so mean duration = 1 / (1 - q) = e^5
    assert d.mean() == pytest.approx(np.exp(5.0), rel=0.05)


def test_shapes_hand_example():
    counts = [0, 1, 2, 0, 3, 4, 0, 5, 0]
    shapes = avalanche_shapes(counts, min_avalanches=1)
    assert shapes[2][0].tolist() == [2.0, 3.0] and shapes[2][1] == 2
    assert shapes[1][0].tolist() == [5.0]


@pytest.mark.parametrize("times, name, msg", [
    ([], "spike_times", "empty"),
    ([0.0, 2.0, 1.0], "spike_times", "sorted"),
    ([0.0, np.nan, 1.0], "spike_times", "NaN"),
])
def test_bad_spike_times(times, name, msg):
    with pytest.raises(ParameterError, match=name) as err:
        avalanches(times, bin_ms=1.0)
    assert msg in str(err.value)


def test_bad_bin_and_ids():
    with pytest.raises(ParameterError, match="bin_ms"):
        avalanches([0.0, 1.0], bin_ms=-1.0)
    with pytest.raises(ParameterError, match="spike_ids"):
        avalanches([0.0, 1.0], spike_ids=[1], bin_ms=1.0)


@pytest.mark.parametrize("counts, msg", [([], "empty"), ([1, -2, 3], "negative"), ([1.5, 2], "non-integer"),
                                         ([1, np.nan], "NaN")])
def test_bad_counts(counts, msg):
    with pytest.raises(ParameterError, match="counts") as err:
        avalanches_from_counts(counts)
    assert msg in str(err.value)


@pytest.mark.parametrize("sizes, durations, kwargs, name", [
    ([1, -2, 3], [1, 2, 3], {}, "sizes"),
    ([1, np.nan, 3], [1, 2, 3], {}, "sizes"),
    ([1, 2, 3], [1, 2], {}, "sizes and durations"),
    ([], [], {}, "sizes and durations"),
    ([1, 2, 3], [0, 2, 3], {}, "durations"),
    ([1, 2, 3], [1.0, np.nan, 3.0], {}, "durations"),
    ([1, 2, 3], [1, 2, 3], {"bins": "linear"}, "bins"),
    ([1, 2, 3], [1, 2, 3], {"t_min": 10}, "t_min"),
])
def test_scaling_rejects_bad_input(sizes, durations, kwargs, name):
    from neuroladder.analysis import size_duration_scaling
    with pytest.raises(ParameterError, match=name):
        size_duration_scaling(sizes, durations, **kwargs)


def test_crackling_gamma_and_shape_collapse_reject_bad_input():
    from neuroladder.analysis import crackling_gamma, shape_collapse
    for args, name in (((2.0, 1.0), "size_exponent"), ((2.0, np.nan), "size_exponent"),
                       ((np.nan, 1.5), "duration_exponent")):
        with pytest.raises(ParameterError, match=name):
            crackling_gamma(*args)
    with pytest.raises(ParameterError, match="at least 2 durations"):
        shape_collapse({5: np.ones(5)})
