"""The simulated stochastic LIF against the Siegert rate (Brunel 2000, eq. 21; siegert_rate is
checked independently in test_siegert.py).

Rates are spike counts after a 300 ms burn-in over 2000 neurons x 2.7 s (>= 30,000 spikes per
point: standard error below 0.5 %), at dt = 0.1 ms with the discrete-monitoring correction of the
threshold (0.5826 sigma sqrt(dt/tau); Broadie, Glasserman & Kou 1997). The issue's bound is 3 %
over a grid covering sub- and suprathreshold mean input (theta = 20 mV).
"""

from __future__ import annotations

import numpy as np
import pytest

import neuroladder as nl

GRID = [(10.0, 8.0), (15.0, 5.0), (20.0, 2.0), (25.0, 5.0), (30.0, 3.0)]   # (mu, sigma) in mV


def simulated_rate(mu, sigma, correction=True, dt=0.1, n=2000, duration=3000.0, burn_in=300.0, seed=4):
    model = nl.StochasticLIF(sigma=sigma, bias_correction=correction)
    res = nl.simulate(model, duration, dt, current=mu, n=n, seed=seed, record=())
    times, _ = res.spikes
    return np.count_nonzero(times >= burn_in) / n / ((duration - burn_in) / 1000.0), model


@pytest.mark.parametrize("mu, sigma", GRID)
def test_rate_matches_siegert_within_3_percent(mu, sigma):
    rate, model = simulated_rate(mu, sigma)
    assert rate == pytest.approx(nl.siegert_rate(mu, sigma, 20.0, 20.0, 10.0, 2.0), rel=0.03)


def test_without_correction_the_rate_is_biased_low():
    # the grid sees the threshold only at sampling times: excursions between samples are missed
    rate, _ = simulated_rate(10.0, 8.0, correction=False)
    theory = nl.siegert_rate(10.0, 8.0, 20.0, 20.0, 10.0, 2.0)
    assert rate < 0.95 * theory


def test_same_seed_same_spikes_and_independent_units():
    model = nl.StochasticLIF(sigma=5.0)
    a = nl.simulate(model, 200.0, 0.1, current=15.0, n=50, seed=9, record=())
    b = nl.simulate(model, 200.0, 0.1, current=15.0, n=50, seed=9, record=())
    np.testing.assert_array_equal(a.spikes[0], b.spikes[0])
    first = [s[0] for s in a.spike_trains() if s.size]
    assert len(set(np.round(first, 9))) == len(first)   # every unit has its own noise


def test_bad_parameters():
    with pytest.raises(nl.ParameterError, match="sigma"):
        nl.StochasticLIF(sigma=-1.0)
    with pytest.raises(nl.ParameterError, match="v_reset"):
        nl.StochasticLIF(v_reset=25.0)
