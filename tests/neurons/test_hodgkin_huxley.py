"""Hodgkin-Huxley (1952) squid axon at 6.3 degC against published values.

Sources:
- A. L. Hodgkin & A. F. Huxley, J. Physiol. 117:500-544 (1952), Fig. 12 (computed membrane
  action potential) -- in the modern convention (rest -65 mV): peak about +40 mV, width at
  half amplitude 1-3 ms, an after-hyperpolarisation of ~10-12 mV below rest, which must stay
  above e_k = -77 mV (the K current cannot take v past its reversal).
- P. Dayan & L. F. Abbott, Theoretical Neuroscience (2001), ch. 5.6, Fig. 5.11 (same AP) and
  the HH f-I curve: about 68 Hz at 10 uA/cm^2.
- J. Rinzel & R. N. Miller, Math. Biosci. 49:27-59 (1980): subcritical Hopf bifurcation of rest
  at I = 9.78 uA/cm^2; repetitive firing from rest for a long step from I ~ 6.2 uA/cm^2
  (the lower limit of the bistable range, the saddle-node of periodic orbits).
"""

from __future__ import annotations

import numpy as np
import pytest

import neuroladder as nl


@pytest.fixture(scope="module")
def hh():
    return nl.HodgkinHuxley()


@pytest.fixture(scope="module")
def single_ap(hh):
    # a 1 ms pulse of 20 uA/cm^2 (charge 20 nC/cm^2, well above threshold) from rest
    return nl.simulate(hh, 50.0, dt=0.01, current=nl.Step(20.0, start=5.0, stop=6.0))


def test_rests_at_minus_65(hh):
    # e_l = -54.387 mV is chosen so that rest is -65 mV (modern convention of HH 1952)
    res = nl.simulate(hh, 200.0, dt=0.01, current=0.0)
    assert res["v"][-1] == pytest.approx(-65.0, abs=0.5)
    assert np.max(np.abs(res["v"] + 65.0)) < 0.5  # stays there throughout


def test_resting_state_fixed_point(hh):
    rest = nl.resting_state(hh)
    assert rest[0] == pytest.approx(-65.0, abs=0.5)
    # gates at their steady state alpha / (alpha + beta) at -65 mV, from the textbook rates:
    # m: alpha 0.1*(-25)/(1-e^2.5) = 0.2236, beta 4        -> 0.0529
    # h: alpha 0.07, beta 1/(1+e^3) = 0.04743               -> 0.5961
    # n: alpha 0.01*(-10)/(1-e^1) = 0.05820, beta 0.125      -> 0.3177
    np.testing.assert_allclose(rest[1:], [0.0529, 0.5961, 0.3177], atol=2e-3)


def test_action_potential_shape(single_ap):
    v, t = single_ap["v"], single_ap.t
    ip = int(np.argmax(v))
    peak = v[ip]
    assert 30.0 < peak < 50.0  # HH 1952 Fig. 12: peak about +40 mV
    half = 0.5 * (peak + -65.0)  # half amplitude between rest and peak
    above = t[v > half]
    width = above[-1] - above[0]
    assert 1.0 < width < 3.0  # half-width of the 6.3 degC AP, ~1.5 ms
    ahp = v[ip:].min()
    assert -77.0 < ahp < -75.0  # undershoot ~10-12 mV below rest, above e_k = -77 mV
    assert single_ap.spike_times.size == 1  # one AP for one pulse


def test_repetitive_firing_rate_at_10(hh):
    # Dayan & Abbott Fig. 5.11 / Rinzel & Miller: ~68 Hz at 10 uA/cm^2 (accept 60-75 Hz)
    res = nl.simulate(hh, 1000.0, dt=0.01, current=10.0, record=())
    isi = np.diff(res.spike_times[2:])  # skip the onset transient
    assert 60.0 < 1000.0 / isi.mean() < 75.0
    assert np.std(isi) / np.mean(isi) < 0.01  # a limit cycle: regular to 1 %


def test_hopf_current(hh):
    # Rinzel & Miller (1980): 9.78 uA/cm^2
    assert nl.hopf_current(hh) == pytest.approx(9.78, abs=0.05)


def test_onset_current(hh):
    # Rinzel & Miller (1980): repetitive firing for a long step from rest above ~6.2 uA/cm^2
    assert nl.onset_current(hh) == pytest.approx(6.2, abs=0.15)


def test_ttx_blocks_spikes(hh):
    # with g_na = 0 there is no regenerative inward current: no AP can occur at any current;
    # the intact model fires at the same 20 uA/cm^2 (positive control, ~+40 mV peaks)
    ttx = nl.simulate(hh.replace(g_na=0.0), 100.0, dt=0.01, current=20.0)
    assert ttx.spike_counts[0] == 0
    assert ttx["v"].max() < 0.0
    intact = nl.simulate(hh, 100.0, dt=0.01, current=20.0, record=())
    assert intact.spike_counts[0] >= 5  # > 60 Hz for 100 ms


def test_replace_unknown_parameter_raises(hh):
    with pytest.raises(nl.ParameterError, match=r"no parameter g_ca.*its parameters are .*g_na"):
        hh.replace(g_ca=1.0)


def test_replace_revalidates(hh):
    with pytest.raises(nl.ParameterError, match=r"c_m = -1\.0 uF/cm\^2 is outside the allowed range \(0, inf\]"):
        hh.replace(c_m=-1.0)


def _half_width(res):
    v, t = res["v"], res.t
    peak = np.argmax(v)
    half = 0.5 * (v[peak] + v[0])
    above = np.flatnonzero(v >= half)
    return t[above[-1]] - t[above[0]]


def test_tea_like_half_gk_broadens_the_action_potential(hh):
    # less delayed-rectifier K+ current repolarises more slowly: TEA broadens the AP (Armstrong & Hille
    # 1972; Hille, Ion Channels ch. 5)
    pulse = nl.Step(20.0, start=1.0, stop=2.0)
    control = nl.simulate(hh, 15.0, 0.01, current=pulse)
    tea = nl.simulate(hh.replace(g_k=18.0), 15.0, 0.01, current=pulse)
    assert _half_width(tea) > 1.1 * _half_width(control)


def test_shift_m_towards_rest_lowers_the_threshold(hh):
    # sodium activation 10 mV closer to rest (a gain-of-function channelopathy): a 1 ms pulse of
    # 2 uA/cm^2 fires the shifted model; the control needs ~4x more
    def fires(model, amp):
        rest = dict(zip(model.state_names, nl.resting_state(model)))
        res = nl.simulate(model, 30.0, 0.01, current=nl.Step(amp, start=5.0, stop=6.0), initial_state=rest,
                          record=())
        return len(res.spike_times) > 0
    assert not fires(hh, 2.0) and fires(hh.replace(shift_m=-10.0), 2.0)
    assert fires(hh, 8.0)
