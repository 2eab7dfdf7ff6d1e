"""Observed order of accuracy of each fixed-step method (the pattern of diffrax's test_ode_order).

Problem: the AdEx neuron (Brette & Gerstner 2005 defaults) driven below threshold, a smooth
two-variable trajectory with no reset (v rises from -70.6 mV towards ~-61 mV; no spike: checked).
Error: |v(T) - v_ref(T)| at a fixed final time T against method="adaptive" (LSODA) at
rtol 1e-10, atol 1e-12, whose own error is ~3e-10 mV (measured against rtol 1e-13), 30x below
every error used in a fit.
Expected slopes of log error vs log dt: RK4 4, Euler 1, exponential Euler 1 (their orders).
"""

from __future__ import annotations

import numpy as np
import pytest

import neuroladder as nl

T = 32.0
REF_TOL = dict(rtol=1e-10, atol=1e-12)


@pytest.fixture(scope="module")
def adex():
    return nl.AdEx()


def final_v(model, current, dt, method):
    res = nl.simulate(model, T, dt=dt, current=current, method=method, record=("v",))
    assert res.spike_counts[0] == 0  # the trajectory stays smooth
    return res["v"][-1]


def observed_order(model, current, method, dts, loglog_slope):
    ref = nl.simulate(model, T, dt=T / 4, current=current, method="adaptive", record=("v",), **REF_TOL)
    assert ref.spike_counts[0] == 0
    errors = np.array([abs(final_v(model, current, dt, method) - ref["v"][-1]) for dt in dts])
    # stay in the asymptotic range: errors well above the reference's ~1e-9 mV and below 1 mV
    assert errors.min() > 1e-8 and errors.max() < 1.0
    return loglog_slope(dts, errors)


# pA; well below the AdEx rheobase (saddle-node of (g_l + a)(v - e_l) - g_l delta_t e^{(v - v_t)/delta_t} = I):
# I_rh = (g_l + a)(v_t - e_l + delta_t ln((g_l + a)/g_l) - delta_t) = 34 * 18.45 = 627 pA, so no spike
CONSTANT = 300.0
# 0..400 pA at 20 Hz: the phase advances 0.5 rad in the largest step (4 ms), so the input varies
# within a step and RK4 must see it at the stage midpoints
SINUSOID = nl.Sinusoid(200.0, 20.0, offset=200.0)


@pytest.mark.parametrize("current", [CONSTANT, SINUSOID], ids=["constant", "sinusoid"])
def test_rk4_is_fourth_order(adex, current, loglog_slope):
    # with a time-varying input, order 4 needs the stimulus at the stage midpoints (t + dt/2);
    # sampling it only at step starts would drop the order to 1
    slope = observed_order(adex, current, "rk4", [4.0, 2.0, 1.0, 0.5], loglog_slope)
    assert 3.6 < slope < 4.4


@pytest.mark.parametrize("method", ["euler", "exponential_euler"])
@pytest.mark.parametrize("current", [CONSTANT, SINUSOID], ids=["constant", "sinusoid"])
def test_first_order_methods(adex, method, current, loglog_slope):
    slope = observed_order(adex, current, method, [0.4, 0.2, 0.1, 0.05], loglog_slope)
    assert 0.8 < slope < 1.2


def test_hh_rk4_order_subthreshold(loglog_slope):
    # the same with Hodgkin-Huxley (4 variables, stiff gates) for a small subthreshold step of
    # 1 uA/cm^2 over 10 ms; dt from 0.25 down to 0.1 ms keeps errors in 1e-7..1e-5 mV
    # (0.25 ms is near RK4's stability limit for the gates; the reference's error is ~3e-9 mV)
    hh = nl.HodgkinHuxley()
    ref = nl.simulate(hh, 10.0, dt=2.5, current=1.0, method="adaptive", record=("v",), **REF_TOL)
    dts = [0.25, 0.2, 0.125, 0.1]
    errors = [abs(nl.simulate(hh, 10.0, dt=dt, current=1.0, method="rk4")["v"][-1] - ref["v"][-1]) for dt in dts]
    assert min(errors) > 3e-8  # 10x above the reference's own error
    assert 3.6 < loglog_slope(dts, errors) < 4.4


@pytest.mark.parametrize("current", [CONSTANT, SINUSOID], ids=["constant", "sinusoid"])
def test_exponential_midpoint_is_second_order(adex, current, loglog_slope):
    # the second-order Rush-Larsen (the conductance-based models' default) needs the input at the midpoint
    slope = observed_order(adex, current, "exponential_midpoint", [0.4, 0.2, 0.1, 0.05], loglog_slope)
    assert 1.8 < slope < 2.2


def test_hh_exponential_midpoint_order(loglog_slope):
    hh = nl.HodgkinHuxley()
    ref = nl.simulate(hh, 10.0, dt=2.5, current=1.0, method="adaptive", record=("v",), **REF_TOL)
    dts = [0.1, 0.05, 0.025, 0.0125]
    errors = [abs(nl.simulate(hh, 10.0, dt=dt, current=1.0, method="exponential_midpoint")["v"][-1] - ref["v"][-1])
              for dt in dts]
    assert min(errors) > 3e-8
    assert 1.8 < loglog_slope(dts, errors) < 2.2


def test_hh_default_spike_times_against_neuron_reference():
    # Issue 21's must-hold. Reference: NEURON 9.0.2, hh at celsius = 6.3, el_hh = -54.3 mV, a 100 um^2
    # single-compartment section, IClamp 0.01 nA (10 uA/cm^2) from t = 0, finitialize(-65), usetable_hh = 0,
    # fixed dt = 0.001 ms, NetCon threshold 0 mV (benchmarks/peers/hh_single_neuron.py --dt 0.001):
    # spikes at 1.899, 16.810, 31.448, 46.074 ms. NEURON's own spikes at dt = 0.01 ms: 1.910, 16.850, 31.510,
    # 46.160 ms (0.086 ms late); NEURON rounds spike times up to its step, up to 0.001 ms here.
    reference = np.array([1.899, 16.810, 31.448, 46.074])
    res = nl.simulate(nl.HodgkinHuxley(e_l=-54.3), 50.0, 0.01, current=10.0)
    assert res.method == "exponential_midpoint"
    assert np.max(np.abs(res.spike_times - reference)) < 0.1
    # and better than NEURON's own scheme at that step
    assert np.max(np.abs(res.spike_times - reference)) < 0.086


def test_midpoint_predictor_is_a_bounded_second_order_step():
    # The exponential midpoint's half step (issue 21) is R(z) = 1 / (1 - z + z^2/2), the (0, 2) Pade
    # approximant of e^z. Independent expectations: (i) for a gate dx/dt = alpha (1 - x) - beta x the step
    # lands between x and x_inf = alpha / (alpha + beta) however stiff (R in (0, 1] for z <= 0), so gates
    # stay in [0, 1]; (ii) it matches the exact step e^z to O(z^3) (Taylor: R - e^z = z^3/6 + ...).
    from neuroladder.core._kernels import _midpoint_predictor

    rng = np.random.default_rng(0)
    alpha, beta = 10.0 ** rng.uniform(-3, 4, (2, 1, 500))
    x = rng.uniform(0.0, 1.0, (1, 500))
    out = np.empty_like(x)
    for h in (1e-3, 0.05, 1.0, 100.0):
        _midpoint_predictor(out, x, alpha, -(alpha + beta), h, 1, 500)
        x_inf = alpha / (alpha + beta)
        assert np.all(out >= np.minimum(x, x_inf) - 1e-15) and np.all(out <= np.maximum(x, x_inf) + 1e-15)
    err = []
    for h in (1e-2, 2e-2, 4e-2):                 # dy/dt = -y from y = 1: exact e^{-h}
        got = np.empty((1, 1))
        _midpoint_predictor(got, np.ones((1, 1)), np.zeros((1, 1)), -np.ones((1, 1)), h, 1, 1)
        err.append(abs(got[0, 0] - np.exp(-h)))
    assert 2.8 < np.log2(err[1] / err[0]) < 3.2 and 2.8 < np.log2(err[2] / err[1]) < 3.2
