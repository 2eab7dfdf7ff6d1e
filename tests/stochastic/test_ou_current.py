"""The Ornstein-Uhlenbeck current against its analytic statistics (Uhlenbeck & Ornstein 1930;
Gillespie 1996): stationary mean m and variance s^2, autocorrelation s^2 exp(-lag/tau).
Ensembles of 20,000 independent units; tolerances of 3 standard errors:
SE(mean) = s / sqrt(n), SE(variance) = s^2 sqrt(2/n), SE(correlation rho) = (1 - rho^2) / sqrt(n)."""

from __future__ import annotations

import numpy as np
import pytest

import neuroladder as nl

M, S, TAU, N = 3.0, 2.0, 5.0, 20_000


@pytest.fixture(scope="module")
def paths():
    times = np.arange(0.0, 50.0, 0.1)
    return times, nl.OUCurrent(M, S, TAU, seed=3).sample(times, N)


def test_stationary_mean_and_variance(paths):
    _, x = paths
    for j in (0, 100, 499):
        assert abs(x[j].mean() - M) < 3 * S / np.sqrt(N)
        assert abs(x[j].var() - S ** 2) < 3 * S ** 2 * np.sqrt(2.0 / N)


@pytest.mark.parametrize("lag_steps", [10, 50])
def test_autocorrelation_is_exponential(paths, lag_steps):
    times, x = paths
    rho = np.corrcoef(x[100], x[100 + lag_steps])[0, 1]
    expected = np.exp(-(times[100 + lag_steps] - times[100]) / TAU)
    assert abs(rho - expected) < 3 * (1 - expected ** 2) / np.sqrt(N)


def test_same_seed_same_current_and_used_by_simulate():
    stim = nl.OUCurrent(400.0, 50.0, 5.0, seed=7)
    a = nl.simulate(nl.LIF(), 200.0, 0.1, current=stim, n=20, record=())
    b = nl.simulate(nl.LIF(), 200.0, 0.1, current=stim, n=20, record=())
    np.testing.assert_array_equal(a.spikes[0], b.spikes[0])
    assert a.spikes[0].size > 0
    with pytest.raises(nl.ParameterError, match="adaptive"):
        nl.simulate(nl.LIF(), 10.0, 0.1, current=stim, method="adaptive")


def test_white_noise_current_statistics_and_use():
    # piecewise-constant N(mean, std^2) per interval (NEST noise_generator): the mean of 20,000 units
    # within 3 SE, variance within 3 SE (std^2 sqrt(2/n)), intervals uncorrelated (|rho| < 3/sqrt(n))
    stim = nl.WhiteNoiseCurrent(5.0, 2.0, dt=0.1, seed=4)
    x = stim.sample(np.arange(0.0, 1.0, 0.05), N)
    assert np.array_equal(x[0], x[1])                      # constant within an interval
    assert abs(x[0].mean() - 5.0) < 3 * 2.0 / np.sqrt(N)
    assert abs(x[0].var() - 4.0) < 3 * 4.0 * np.sqrt(2.0 / N)
    assert abs(np.corrcoef(x[0], x[2])[0, 1]) < 3 / np.sqrt(N)
    # a passive LIF membrane (tau = 10 ms, c = 250 pF) driven by it: its mean is R * mean = 0.2 mV
    res = nl.simulate(nl.LIF(v_th=400.0), 300.0, 0.1, current=nl.WhiteNoiseCurrent(5.0, 200.0, 0.1, seed=1),
                      n=2000, record=("v",))
    v = res["v"][-1] + 70.0
    assert abs(v.mean() - 0.2) < 3 * v.std() / np.sqrt(2000)
