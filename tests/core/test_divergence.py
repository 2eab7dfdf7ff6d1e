"""A step too large for the method must raise SimulationDiverged, never return NaN.

Forward Euler is stable only while |1 + dt lambda| <= 1, i.e. dt < 2 / |lambda| for a real
negative eigenvalue. During a Hodgkin-Huxley action potential the membrane conductance reaches
g_na m^3 h + g_k n^4 + g_l ~ 40 mS/cm^2, so lambda_v ~ -40 /ms (c_m = 1 uF/cm^2) and Euler needs
dt < 0.05 ms. dt = 0.2 ms is four times that limit: the first AP (at ~2-4 ms for 10 uA/cm^2)
blows up.
"""

from __future__ import annotations

import numpy as np
import pytest

import neuroladder as nl

DT = 0.2


def test_hh_euler_large_dt_raises():
    with pytest.raises(nl.SimulationDiverged) as info:
        nl.simulate(nl.HodgkinHuxley(), 50.0, dt=DT, current=10.0, method="euler")
    err = info.value
    assert isinstance(err, nl.NeuroLadderError)
    # it blows up during the first AP (after the upstroke starts, well before 50 ms)
    assert 1.0 < err.time < 20.0
    # the reported time is the end of a step
    assert err.time / DT == pytest.approx(round(err.time / DT), abs=1e-9)
    assert err.variable in ("v", "m", "h", "n")
    assert err.unit == 0
    assert err.dt == pytest.approx(DT, rel=0, abs=0)
    assert err.method == "euler"
    msg = str(err)
    assert f"t = {err.time:g} ms" in msg
    assert f"'{err.variable}'" in msg and "unit 0" in msg
    assert "smaller dt" in msg and "dt=0.02" in msg  # advice: dt / 10


def test_divergence_names_the_unit():
    # three units; only the one driven to fire (10 uA/cm^2) passes through the stiff AP.
    # Units at rest are stable: there |lambda| ~ alpha_m + beta_m ~ 4.2 /ms, dt * 4.2 = 0.84 < 2.
    with pytest.raises(nl.SimulationDiverged) as info:
        nl.simulate(nl.HodgkinHuxley(), 50.0, dt=DT, current=np.array([0.0, 0.0, 10.0]), n=3, method="euler")
    assert info.value.unit == 2
    assert "unit 2" in str(info.value)


def test_stable_step_returns_finite_result():
    # the same run with dt = 0.01 (a fifth of the 0.05 ms limit) completes with finite values only
    res = nl.simulate(nl.HodgkinHuxley(), 50.0, dt=0.01, current=10.0, method="euler", record=("v", "m", "h", "n"))
    for name in ("v", "m", "h", "n"):
        assert np.all(np.isfinite(res[name]))
    assert res["v"].max() == pytest.approx(40.0, abs=10.0)  # the APs peak near +40 mV (HH 1952)


def test_exponential_euler_is_stable_at_the_same_dt():
    # exponential Euler integrates each variable exactly with its rates frozen over the step,
    # so it has no such stability limit (Rush & Larsen 1978); gates stay in [0, 1]
    # stable, but above its accuracy bound (0.1 ms, HodgkinHuxley.max_dt): it says so
    with pytest.warns(nl.NeuroLadderWarning, match="accuracy bound"):
        res = nl.simulate(nl.HodgkinHuxley(), 50.0, dt=DT, current=10.0, method="exponential_euler",
                          record=("v", "m", "h", "n"))
    assert np.all(np.isfinite(res["v"]))
    for gate in ("m", "h", "n"):
        assert res[gate].min() >= 0.0 and res[gate].max() <= 1.0
