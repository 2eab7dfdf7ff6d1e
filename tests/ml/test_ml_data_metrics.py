"""nl.ml data helpers and the bits-per-spike measure (numpy code, but it lives in the torch extra)."""

import numpy as np
import pytest

pytest.importorskip("torch")
pytest.importorskip("torchdiffeq")

import neuroladder as nl  # noqa: E402
from neuroladder import ml  # noqa: E402
from neuroladder.network.result import SpikeTrains  # noqa: E402


def _wilson_cowan(n=3):
    return nl.simulate(nl.WilsonCowan(), 100.0, 0.05, current=1.25, n=n, record=("E", "I"), record_dt=0.5,
                       initial_state={"E": np.linspace(0.05, 0.3, n), "I": np.linspace(0.05, 0.2, n)})


def test_irregular_samples_are_the_simulated_values_at_random_times():
    res = _wilson_cowan()
    s = ml.irregular_samples(res, 40, missing=0.3, seed=4)
    assert s.t.shape == (3, 40) and s.values.shape == (3, 40, 2) and s.names == ("E", "I")
    assert np.all(np.diff(s.t, axis=1) > 0)
    # the samples are the recorded traces at those times (read back with np.interp, not by index)
    for b in range(3):
        for j, name in enumerate(("E", "I")):
            truth = np.interp(s.t[b], res.t, res[name][:, b])
            m = s.mask[b, :, j]
            np.testing.assert_array_equal(s.values[b, m, j], truth[m])
            assert np.all(s.values[b, ~m, j] == 0.0)
    # 240 Bernoulli(0.3) draws: 0.3 +- 4 standard deviations (sqrt(0.21 / 240) = 0.03)
    assert abs((~s.mask).mean() - 0.3) < 0.12
    again = ml.irregular_samples(res, 40, missing=0.3, seed=4)
    np.testing.assert_array_equal(again.t, s.t)
    np.testing.assert_array_equal(again.mask, s.mask)


@pytest.mark.parametrize("kwargs, word", [({"n": 0}, "n"), ({"n": 10, "missing": 1.0}, "missing"),
                                          ({"n": 10, "variables": ("v",)}, "variables")])
def test_irregular_samples_rejects_bad_arguments(kwargs, word):
    with pytest.raises(nl.ParameterError, match=word):
        ml.irregular_samples(_wilson_cowan(1), seed=0, **kwargs)


class _FakeNetworkResult:
    """Two populations with hand-placed spikes, the attributes binned_counts reads."""

    t_start, t_stop = 0.0, 10.0

    def __init__(self):
        self.spikes = {"E": SpikeTrains(np.array([0.5, 1.9, 2.0, 9.99]), np.array([0, 1, 1, 0]), 2, 0.0, 10.0),
                       "I": SpikeTrains(np.array([4.0]), np.array([0]), 1, 0.0, 10.0)}

    def _pop(self, name):
        return self.spikes[name]


def test_binned_counts_hand_counted():
    counts = ml.binned_counts(_FakeNetworkResult(), 2.0)
    expected = np.zeros((5, 3), int)
    expected[0, 0] = 1            # E0 at 0.5 ms
    expected[0, 1] = 1            # E1 at 1.9 ms
    expected[1, 1] = 1            # E1 at 2.0 ms opens the second bin [2, 4)
    expected[4, 0] = 1            # E0 at 9.99 ms
    expected[2, 2] = 1            # I0 at 4.0 ms
    np.testing.assert_array_equal(counts, expected)
    np.testing.assert_array_equal(ml.binned_counts(_FakeNetworkResult(), 2.0, ["I"]), expected[:, 2:])
    with pytest.raises(nl.ParameterError, match="bin_ms"):
        ml.binned_counts(_FakeNetworkResult(), -1.0)


def test_bits_per_spike_hand_worked():
    counts = np.array([[0], [2]])
    # model mu = (0.5, 1.5) against the mean count 1: LL gain = 2 log 1.5 - (0.5 + 1.5 - 2) nats over 2 spikes
    gain = ml.bits_per_spike(np.log([[0.5], [1.5]]), counts)
    assert gain == pytest.approx(np.log2(1.5), rel=1e-12)
    # the homogeneous model itself scores exactly 0
    assert ml.bits_per_spike(np.log([[1.0], [1.0]]), counts) == pytest.approx(0.0, abs=1e-12)
    with pytest.raises(nl.ParameterError, match="no spike"):
        ml.bits_per_spike(np.zeros((2, 1)), np.zeros((2, 1)))
