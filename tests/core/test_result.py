"""Result accessors: shapes, spike lists and counts of a LIF with analytic spike trains."""

from __future__ import annotations

import math

import numpy as np
import pytest

import neuroladder as nl

LIF = nl.LIF()
DURATION, DT = 100.0, 0.1


def analytic_count(current, duration=DURATION):
    """Spikes of the default LIF from v = e_l: t_k = t_1 + (k - 1) ISI <= duration (Tuckwell 1988)."""
    v_inf = -70.0 + 0.04 * current
    if v_inf <= -55.0:
        return 0
    t1 = 10.0 * math.log((v_inf + 70.0) / (v_inf + 55.0))
    isi = 2.0 + t1
    return 0 if t1 > duration else 1 + int((duration - t1) // isi)


@pytest.fixture(scope="module")
def population():
    return nl.simulate(LIF, DURATION, dt=DT, current=np.array([0.0, 500.0, 1000.0]), n=3)


def test_single_unit_shapes():
    res = nl.simulate(LIF, DURATION, dt=DT, current=500.0)
    n_samples = int(round(DURATION / DT)) + 1  # t = 0 and every step
    assert res.t.shape == (n_samples,) and res["v"].shape == (n_samples,)
    np.testing.assert_allclose(res.t, np.arange(n_samples) * DT, rtol=1e-12, atol=1e-12)
    assert isinstance(res.spike_times, np.ndarray) and res.spike_times.ndim == 1
    assert res.spike_times.size == analytic_count(500.0)  # 6 spikes


def test_population_shapes_and_counts(population):
    n_samples = int(round(DURATION / DT)) + 1
    assert population["v"].shape == (n_samples, 3)
    assert isinstance(population.spike_times, list) and len(population.spike_times) == 3
    expected = [analytic_count(i) for i in (0.0, 500.0, 1000.0)]  # 0, 6, 15
    np.testing.assert_array_equal(population.spike_counts, expected)
    np.testing.assert_allclose(population.rates(), np.array(expected) / (DURATION / 1000.0), rtol=1e-12)
    times, ids = population.spikes
    assert times.size == sum(expected) and np.all(np.diff(times) >= 0)  # flat, sorted by time
    np.testing.assert_array_equal(np.bincount(ids, minlength=3), expected)


def test_unit_view(population):
    one = population.unit(2)
    assert one["v"].shape == (population.t.size,)
    np.testing.assert_array_equal(one["v"], population["v"][:, 2])
    assert one.spike_times.size == analytic_count(1000.0)


def test_unrecorded_variable_key_error():
    res = nl.simulate(nl.Izhikevich(), 10.0, dt=0.1, record=("v",))
    with pytest.raises(KeyError, match=r"'u' was not recorded \(recorded: v\); pass record=\('u', \.\.\.\)"):
        res["u"]
    assert "v" in res and "u" not in res


def test_record_nothing_keeps_spikes():
    res = nl.simulate(LIF, DURATION, dt=DT, current=500.0, record=())
    assert list(res.keys()) == []
    assert res.spike_times.size == analytic_count(500.0)


def test_record_dt_subsamples():
    # below rheobase the trace is v = v_inf + (e_l - v_inf) exp(-t / tau_m), exact for exponential Euler
    res = nl.simulate(LIF, 50.0, dt=0.1, current=300.0, record_dt=1.0)
    np.testing.assert_allclose(res.t, np.arange(51) * 1.0, rtol=0, atol=1e-12)
    v_inf = -70.0 + 0.04 * 300.0
    np.testing.assert_allclose(res["v"], v_inf + (-70.0 - v_inf) * np.exp(-res.t / 10.0), rtol=0, atol=1e-9)


def test_final_state_and_initial_state_override():
    # starting at -60 mV with no input, v(t) = e_l + 10 exp(-t / tau_m); after 20 ms: -70 + 10 e^-2
    res = nl.simulate(LIF, 20.0, dt=0.1, initial_state={"v": -60.0})
    assert res["v"][0] == pytest.approx(-60.0, abs=0)
    assert res.final_state["v"][0] == pytest.approx(-70.0 + 10.0 * math.exp(-2.0), abs=1e-9)
