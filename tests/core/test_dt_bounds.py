"""Accuracy bounds on dt (Model.max_dt) and the physical range check (issue 15: silent wrong answers).

Reference for "accurate": the same model at dt = 0.001 ms (100x below the usual step; the methods
converge, tests/core/test_convergence.py), not the step under test.
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest

import neuroladder as nl


def test_large_hh_step_warns_and_small_does_not():
    # at dt = 1 ms exponential Euler gives one 11 mV bump instead of 7 spikes at 40 mV
    with pytest.warns(nl.NeuroLadderWarning, match="accuracy bound"):
        nl.simulate(nl.HodgkinHuxley(), 100.0, 1.0, current=10.0)
    with warnings.catch_warnings():
        warnings.simplefilter("error", nl.NeuroLadderWarning)
        nl.simulate(nl.HodgkinHuxley(), 20.0, 0.01, current=10.0)


def test_izhikevich_euler_at_5ms_warns():
    with pytest.warns(nl.NeuroLadderWarning, match="Izhikevich"):
        nl.simulate(nl.Izhikevich(), 100.0, 5.0, current=10.0, method="euler")


def test_bound_scales_with_temperature():
    # the HH rates scale by phi = 3^((T - 6.3)/10): at 16.3 degC the kinetics are 3x faster
    assert nl.HodgkinHuxley(temperature=16.3).max_dt("exponential_euler") == pytest.approx(
        nl.HodgkinHuxley().max_dt("exponential_euler") / 3.0)


@pytest.mark.parametrize("model, current, method", [
    (nl.HodgkinHuxley(), 10.0, "exponential_euler"), (nl.HodgkinHuxley(), 10.0, "rk4"),
    (nl.Izhikevich(), 10.0, "rk4"), (nl.Izhikevich.from_pattern("FS"), 10.0, "rk4"),
])
def test_at_the_bound_the_spike_count_matches_a_fine_run(model, current, method):
    bound = model.max_dt(method)
    fine = nl.simulate(model, 100.0, 0.001, current=current, method=method, record=())
    coarse = nl.simulate(model, 100.0, bound, current=current, method=method, record=())
    assert len(coarse.spike_times) == len(fine.spike_times)


def test_non_physical_voltage_raises():
    # 1e6 uA/cm^2 drives v to ~27,000 mV; beyond +-1 V is no membrane potential
    with pytest.raises(nl.SimulationDiverged, match="physical range"):
        nl.simulate(nl.HodgkinHuxley(), 10.0, 0.01, current=1e6)
    # also when v is not recorded (the final state is checked)
    with pytest.raises(nl.SimulationDiverged):
        nl.simulate(nl.HodgkinHuxley(), 10.0, 0.01, current=1e6, record=("m",))
    assert np.isfinite(nl.simulate(nl.HodgkinHuxley(), 10.0, 0.01, current=100.0)["v"]).all()
