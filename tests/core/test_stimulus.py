"""Stimuli sample the values of their definitions at known times (formulas in each docstring)."""

from __future__ import annotations

import math

import numpy as np
import pytest

import neuroladder as nl


def test_constant():
    assert nl.Constant(3.5)(123.0) == pytest.approx(3.5, abs=0)
    np.testing.assert_array_equal(nl.Constant([1.0, 2.0]).sample(np.array([0.0, 5.0]), 2), [[1.0, 2.0], [1.0, 2.0]])


def test_step_edges():
    s = nl.Step(2.0, start=5.0, stop=10.0, baseline=-1.0)
    # amplitude for start <= t < stop, baseline otherwise
    np.testing.assert_allclose(s.sample(np.array([0.0, 4.999, 5.0, 9.999, 10.0, 50.0]), 1)[:, 0],
                               [-1.0, -1.0, 2.0, 2.0, -1.0, -1.0], rtol=0, atol=0)


def test_ramp_values():
    r = nl.Ramp(1.0, 5.0, start=2.0, stop=10.0)
    # linear from 1 at t = 2 to 5 at t = 10: value 1 + 4 (t - 2) / 8; 0 outside [2, 10)
    t = np.array([0.0, 2.0, 4.0, 6.0, 9.0, 10.0, 12.0])
    expected = [0.0, 1.0, 2.0, 3.0, 4.5, 0.0, 0.0]
    np.testing.assert_allclose(r.sample(t, 1)[:, 0], expected, rtol=0, atol=1e-12)


def test_sinusoid_values():
    s = nl.Sinusoid(2.0, 50.0, phase=0.0, offset=1.0)
    # offset + amplitude sin(2 pi f t / 1000): at 50 Hz the period is 20 ms
    t = np.array([0.0, 5.0, 10.0, 15.0, 2.5])
    expected = 1.0 + 2.0 * np.sin(2 * np.pi * 50.0 * t / 1000.0)  # = 1, 3, 1, -1, 1 + sqrt(2)
    np.testing.assert_allclose(s.sample(t, 1)[:, 0], [1.0, 3.0, 1.0, -1.0, 1.0 + math.sqrt(2.0)], atol=1e-12)
    np.testing.assert_allclose(s.sample(t, 1)[:, 0], expected, atol=1e-12)
    # a phase of pi/2 turns sin into cos
    assert nl.Sinusoid(1.0, 50.0, phase=math.pi / 2)(0.0) == pytest.approx(1.0, abs=1e-12)


def test_time_array_holds_samples():
    ta = nl.TimeArray([1.0, 2.0, 3.0], dt=1.0)
    # sample k holds on [k dt, (k + 1) dt); the last one is held forever (Brian2's TimedArray)
    t = np.array([0.0, 0.5, 0.999, 1.0, 2.5, 100.0])
    np.testing.assert_allclose(ta.sample(t, 1)[:, 0], [1.0, 1.0, 1.0, 2.0, 3.0, 3.0], atol=0)


def test_time_array_per_unit_columns():
    ta = nl.TimeArray(np.array([[1.0, 10.0], [2.0, 20.0]]), dt=0.5)
    np.testing.assert_allclose(ta.sample(np.array([0.25, 0.75]), 2), [[1.0, 10.0], [2.0, 20.0]], atol=0)


def test_sum_of_stimuli():
    total = nl.Step(1.0, start=5.0) + nl.Sinusoid(2.0, 50.0) + 0.5  # a number adds as a constant
    t = np.array([0.0, 5.0, 7.5])
    # 0 + 0 + 0.5 ; 1 + 2 sin(pi/2) + 0.5 ; 1 + 2 sin(3 pi / 4) + 0.5
    expected = [0.5, 3.5, 1.5 + math.sqrt(2.0)]
    np.testing.assert_allclose(total.sample(t, 1)[:, 0], expected, atol=1e-12)


def test_per_unit_amplitudes_broadcast():
    # one amplitude per unit (columns) with a shared scalar baseline/offset; three sample times and
    # three units, so a mix-up of the time and unit axes would show
    s = nl.Step(np.array([1.0, 2.0, 3.0]), start=1.0, baseline=-1.0)
    np.testing.assert_allclose(s.sample(np.array([0.0, 1.0, 2.0]), 3), [[-1, -1, -1], [1, 2, 3], [1, 2, 3]], atol=0)
    sin = nl.Sinusoid(np.array([1.0, 2.0, 3.0]), 50.0, offset=10.0)
    # 10 + A_k sin(2 pi 50 t / 1000): at t = 0, 5, 15 ms the sine is 0, 1, -1
    expected = 10.0 + np.outer([0.0, 1.0, -1.0], [1.0, 2.0, 3.0])
    np.testing.assert_allclose(sin.sample(np.array([0.0, 5.0, 15.0]), 3), expected, atol=1e-12)
    ramp = nl.Ramp(np.array([0.0, 10.0]), 20.0, start=0.0, stop=10.0)
    # unit k: A_k + (20 - A_k) t / 10 at t = 5: 10 and 15
    np.testing.assert_allclose(ramp.sample(np.array([5.0]), 2), [[10.0, 15.0]], atol=1e-12)


def test_per_unit_step_drives_each_unit():
    # three LIF units with step amplitudes 100, 200, 300 pA below rheobase: v_k(t) = e_l + R I_k (1 - e^{-t/tau})
    res = nl.simulate(nl.LIF(), 20.0, dt=0.1, n=3, current=nl.Step(np.array([100.0, 200.0, 300.0]), start=0.0))
    expected = -70.0 + 0.04 * np.array([100.0, 200.0, 300.0])[None, :] * (1.0 - np.exp(-res.t / 10.0))[:, None]
    np.testing.assert_allclose(res["v"], expected, rtol=0, atol=1e-9)


def test_callable_current_is_a_function_of_time():
    f = nl.FunctionOfTime(lambda t: 0.1 * t)
    np.testing.assert_allclose(f.sample(np.array([0.0, 10.0, 25.0]), 1)[:, 0], [0.0, 1.0, 2.5], atol=1e-12)


def test_stimulus_reaches_the_model():
    # a LIF below threshold driven by a step at 5 ms (on the grid): for t >= 5,
    # v = e_l + R I (1 - exp(-(t - 5) / tau_m)); exponential Euler is exact for piecewise-constant input
    lif = nl.LIF()
    res = nl.simulate(lif, 30.0, dt=0.1, current=nl.Step(300.0, start=5.0))
    rise = 10.0 / 250.0 * 300.0  # R I = 12 mV
    expected = -70.0 + rise * (1.0 - np.exp(-np.clip(res.t - 5.0, 0.0, None) / 10.0))
    np.testing.assert_allclose(res["v"], expected, rtol=0, atol=1e-9)


def test_ramp_through_rk4_matches_linear_ode():
    # dv/dt = (e_l - v + R k t) / tau with I = k t: v - e_l = R k (t - tau (1 - exp(-t/tau)));
    # RK4 with midpoint samples of the ramp: error O(dt^4) ~ 1e-8 mV at dt = 0.1
    lif = nl.LIF()
    k = 300.0 / 40.0  # pA / ms, reaches 300 pA (below rheobase) at 40 ms
    res = nl.simulate(lif, 39.0, dt=0.1, current=nl.Ramp(0.0, 300.0, start=0.0, stop=40.0), method="rk4")
    t = res.t
    expected = -70.0 + 0.04 * k * (t - 10.0 * (1.0 - np.exp(-t / 10.0)))
    np.testing.assert_allclose(res["v"], expected, rtol=0, atol=1e-6)


def test_sum_with_noise_keeps_independent_units():
    # regression: Sum sampled its parts once for all units, so "current + noise" gave every unit the same noise
    noise = nl.WhiteNoiseCurrent(0.0, 1.0, dt=0.1, seed=4)
    times = np.arange(0.0, 5.0, 0.1)
    total = (nl.Step(2.0, start=1.0) + noise).sample(times, 3)
    expected = noise.sample(times, 3) + np.where(times >= 1.0, 2.0, 0.0)[:, None]
    np.testing.assert_array_equal(total, expected)
    assert not np.allclose(total[:, 0], total[:, 1])
