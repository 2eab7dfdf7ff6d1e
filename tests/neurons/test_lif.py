"""Leaky integrate-and-fire: against its analytic solution (Tuckwell 1988, ch. 3).

For constant input I the membrane relaxes as v(t) = v_inf + (v0 - v_inf) exp(-t / tau_m) with
v_inf = e_l + R I, R = tau_m / c_m, so starting from v_reset the interspike interval is
    ISI = t_ref + tau_m ln((v_inf - v_reset) / (v_inf - v_th))      (v_inf > v_th),
and the neuron never fires when v_inf <= v_th, i.e. below the rheobase c_m (v_th - e_l) / tau_m.
All formulas are written out here; LIF.rate is only tested against them.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

import neuroladder as nl

# NEST iaf_psc defaults: c_m 250 pF, tau_m 10 ms, e_l -70, v_th -55, v_reset -70 mV, t_ref 2 ms
C_M, TAU_M, E_L, V_TH, V_RESET, T_REF = 250.0, 10.0, -70.0, -55.0, -70.0, 2.0


def analytic_isi(current, c_m=C_M, tau_m=TAU_M, e_l=E_L, v_th=V_TH, v_reset=V_RESET, t_ref=T_REF):
    """Hand-written analytic ISI (ms) of a LIF driven by a constant current (pA)."""
    v_inf = e_l + tau_m / c_m * current
    return t_ref + tau_m * math.log((v_inf - v_reset) / (v_inf - v_th))


def analytic_first_spike(current, v0=E_L):
    """Time (ms) for v to go from v0 to v_th (no refractory period before the first spike)."""
    v_inf = E_L + TAU_M / C_M * current
    return TAU_M * math.log((v_inf - v0) / (v_inf - V_TH))


# The interpolated threshold crossing (linear in the step) is late by at most
# |v''| dt^2 / (8 v') per spike (the chord of a concave curve; maximum at mid-step).
# Near threshold v' = (v_inf - v_th) / tau_m and v'' = -v' / tau_m, so the bound is dt^2 / (8 tau_m).
def interpolation_bound(dt):
    return dt * dt / (8.0 * TAU_M)


@pytest.fixture(scope="module")
def lif():
    return nl.LIF()


@pytest.mark.parametrize("current", [400.0, 500.0, 1000.0])
def test_rate_matches_analytic_isi(lif, current):
    # 2 s at dt = 0.1 ms; rate = 1 / mean ISI; analytic rate from the formula above.
    # README claims ~1e-5: the crossing interpolation bias dt^2 / (8 tau_m) = 1.25e-4 ms per ISI of
    # >= 6.7 ms bounds the error by 2e-5, which is asserted.
    res = nl.simulate(lif, 2000.0, dt=0.1, current=current, record=())
    isi = np.diff(res.spike_times)
    assert isi.size > 50
    rate = 1000.0 / isi.mean()
    expected = 1000.0 / analytic_isi(current)
    assert rate == pytest.approx(expected, rel=2e-5)


def test_rate_matches_analytic_with_rk4(lif):
    # The same analytic ISI through the RK4 path (error O(dt^4) per step plus the interpolation bias).
    res = nl.simulate(lif, 2000.0, dt=0.1, current=500.0, method="rk4", record=())
    assert 1000.0 / np.diff(res.spike_times).mean() == pytest.approx(1000.0 / analytic_isi(500.0), rel=1e-3)


def test_rheobase_formula(lif):
    # rheobase = c_m (v_th - e_l) / tau_m = 250 * 15 / 10 = 375 pA
    assert lif.rheobase() == pytest.approx(375.0, rel=1e-12)


def test_no_spikes_just_below_rheobase_and_spikes_just_above(lif):
    rheobase = C_M * (V_TH - E_L) / TAU_M  # 375 pA, hand formula
    below = nl.simulate(lif, 2000.0, dt=0.1, current=rheobase * (1 - 1e-3), record=())
    assert below.spike_counts[0] == 0  # v_inf = v_th - 0.015 mV < v_th: never reached
    above = nl.simulate(lif, 2000.0, dt=0.1, current=rheobase * (1 + 1e-2), record=())
    # 1 % above: ISI = 2 + 10 ln(15.15 / 0.15) = 48.15 ms -> 2000 / 48.15 = 41.5 -> 41 spikes
    expected = math.floor((2000.0 + T_REF) / analytic_isi(rheobase * 1.01))
    assert above.spike_counts[0] == pytest.approx(expected, abs=1)


def test_rate_method_equals_hand_formula(lif):
    currents = np.array([0.0, 300.0, 375.0, 376.0, 500.0, 2000.0])
    expected = [1000.0 / analytic_isi(i) if E_L + TAU_M / C_M * i > V_TH else 0.0 for i in currents]
    np.testing.assert_allclose(lif.rate(currents), expected, rtol=1e-12, atol=0.0)


def test_fi_curve_agrees_with_analytic_rate_within_counting(lif):
    # fi_curve counts spikes over `duration`; counting quantises the rate to 1 spike / duration.
    duration = 5000.0
    currents = np.array([300.0, 400.0, 500.0, 800.0])
    rates = nl.fi_curve(lif, currents, duration=duration, dt=0.1)
    expected = [1000.0 / analytic_isi(i) if E_L + TAU_M / C_M * i > V_TH else 0.0 for i in currents]
    np.testing.assert_allclose(rates, expected, atol=1000.0 / duration + 1e-9)
    assert rates[0] == 0.0  # 300 pA < 375 pA rheobase


def test_refractory_isi_never_shorter_than_t_ref(lif):
    # a huge current: v_inf = -70 + 0.04 * 1e5 = 3930 mV, so the ISI is t_ref plus only
    # tau_m ln(4000 / 3985) = 0.0376 ms; several thresholds per step would be possible without t_ref
    current = 1e5
    res = nl.simulate(lif, 200.0, dt=0.1, current=current, record=())
    isi = np.diff(res.spike_times)
    assert isi.min() >= T_REF - 1e-9
    np.testing.assert_allclose(isi, analytic_isi(current), atol=interpolation_bound(0.1) + 1e-9)


def test_spike_times_are_precise_not_on_grid(lif):
    # analytic spike k (from v0 = v_reset = e_l): t_k = t_1 + (k - 1) ISI, t_1 = tau_m ln(20 / 5) = 13.863 ms;
    # rounding to the dt = 0.1 grid would be off by up to 0.1 ms (here 0.037 ms for t_1)
    dt = 0.1
    res = nl.simulate(lif, 100.0, dt=dt, current=500.0, record=())
    st = res.spike_times
    k = np.arange(st.size)
    expected = analytic_first_spike(500.0) + k * analytic_isi(500.0)
    # each spike carries at most one interpolation bias per preceding crossing
    assert np.all(np.abs(st - expected) <= (k + 1) * interpolation_bound(dt))
    off_grid = np.abs(st / dt - np.round(st / dt)) * dt
    assert off_grid.min() > 1e-3  # no spike time rounded to a multiple of dt


def test_adaptive_and_fixed_step_spike_times_agree(lif):
    # 6 spikes in 100 ms: the fixed step accumulates <= 6 * 1.25e-4 = 7.5e-4 ms of crossing
    # interpolation bias; LSODA at rtol 1e-10 adds far less, so they agree within 1e-3 ms.
    fixed = nl.simulate(lif, 100.0, dt=0.1, current=500.0, record=())
    adaptive = nl.simulate(lif, 100.0, dt=0.1, current=500.0, method="adaptive", rtol=1e-10, atol=1e-12,
                           record=())
    assert fixed.spike_times.size == adaptive.spike_times.size == 6
    np.testing.assert_allclose(fixed.spike_times, adaptive.spike_times, rtol=0, atol=1e-3)
    # and the adaptive spikes match the analytic times (event location to ~rtol)
    k = np.arange(6)
    np.testing.assert_allclose(adaptive.spike_times, analytic_first_spike(500.0) + k * analytic_isi(500.0),
                               rtol=0, atol=1e-5)


def test_subthreshold_trace_is_exact_for_exponential_euler(lif):
    # below rheobase, v(t) = v_inf + (e_l - v_inf) exp(-t / tau_m); exponential Euler integrates the
    # linear membrane exactly for constant input, so only rounding (~1e-12 mV) remains
    res = nl.simulate(lif, 50.0, dt=0.1, current=300.0)
    v_inf = E_L + TAU_M / C_M * 300.0
    np.testing.assert_allclose(res["v"], v_inf + (E_L - v_inf) * np.exp(-res.t / TAU_M), rtol=0, atol=1e-9)
