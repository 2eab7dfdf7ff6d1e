"""Izhikevich (2003) simple model: firing patterns of Fig. 2 and the phase plane.

Source: E. M. Izhikevich, IEEE Trans. Neural Netw. 14:1569-1572 (2003), Fig. 2:
RS adapts, FS does not, IB fires an initial burst then single spikes, CH fires repetitive bursts.

Measures (nl.analysis, equal-time windows after the step onset at 10 ms):
- adaptation_ratio = mean ISI in the second half of the step / mean ISI in the first 50 ms.
  The usual electrophysiological criterion for adaptation is a drop of the rate by a third or
  more, i.e. a ratio > 1.5 (RS measures ~2.0: its ISI goes from 22 to 45 ms). A non-adapting
  cell keeps its rate within ~20 %: ratio < 1.25 (FS measures ~1.12, only its first few ISIs
  are shorter while u builds up).
- isi_gap ratio: the largest jump between consecutive sorted ISIs. A bimodal (bursting) ISI
  distribution has intra-burst ISIs of a few ms and inter-burst ISIs of tens of ms, a jump
  > 3 (IB ~7.8, CH ~9.7); a tonic train is unimodal, < 3 (RS ~2.0, FS ~1.4).
"""

from __future__ import annotations

import numpy as np
import pytest

import neuroladder as nl
from neuroladder.analysis import adaptation_ratio, burst_count, isi_gap, vector_field

ONSET, DURATION = 10.0, 1000.0


@pytest.fixture(scope="module")
def trains():
    out = {}
    for name in ("RS", "FS", "IB", "CH"):
        model = nl.Izhikevich.from_pattern(name)
        pattern = nl.Izhikevich.PATTERNS[name]
        res = nl.simulate(model, DURATION, dt=0.05, current=pattern.current, record=())
        out[name] = res.spike_times
    return out


def test_pattern_inputs_are_steps_of_10_from_10_ms():
    # the paper's Fig. 2 protocol (Izhikevich 2003): a step of 10 switched on at t = 10 ms
    for name in ("RS", "FS", "IB", "CH"):
        stim = nl.Izhikevich.PATTERNS[name].current
        assert stim(9.99) == pytest.approx(0.0, abs=1e-12)
        assert stim(10.0) == pytest.approx(10.0, abs=1e-12)


def test_regular_spiking_adapts(trains):
    assert adaptation_ratio(trains["RS"], ONSET, DURATION) > 1.5


def test_fast_spiking_does_not_adapt(trains):
    assert adaptation_ratio(trains["FS"], ONSET, DURATION) < 1.25


@pytest.mark.parametrize("name", ["RS", "FS"])
def test_tonic_patterns_are_unimodal(trains, name):
    ratio, _ = isi_gap(trains[name])
    assert ratio < 3.0
    assert burst_count(trains[name]) == 0


def test_intrinsically_bursting_bursts_once(trains):
    ratio, split = isi_gap(trains["IB"])
    assert ratio > 3.0
    assert burst_count(trains["IB"]) >= 1
    # the burst is the initial one: the first ISI is intra-burst
    assert np.diff(trains["IB"])[0] < split


def test_chattering_bursts_repeatedly(trains):
    ratio, _ = isi_gap(trains["CH"])
    assert ratio > 3.0
    # CH bursts repetitively at ~20-40 Hz (Izhikevich 2003, Fig. 2); over ~1 s that is
    # well over 5 bursts (measured 17)
    assert burst_count(trains["CH"]) >= 5


def test_analytic_jacobian_equals_numerical():
    model = nl.Izhikevich.from_pattern("RS")
    assert model.jacobian is not None  # jacobian() below returns the model's analytic one
    for state, current in [((-60.0, -12.0), 0.0), ((-40.0, 0.0), 5.0), ((20.0, 5.0), 10.0)]:
        y = np.array(state)
        analytic = nl.analysis.jacobian(model, y, current)
        # central differences of the vector field: exact for f quadratic in v and linear in u,
        # up to rounding ~ eps |f| / h ~ 1e-10
        h = 1e-4
        numerical = np.empty((2, 2))
        for j in range(2):
            e = np.zeros(2)
            e[j] = h
            numerical[:, j] = (vector_field(model, y + e, current) - vector_field(model, y - e, current)) / (2 * h)
        np.testing.assert_allclose(analytic, numerical, rtol=0, atol=1e-6)
        # and both equal the hand-written [[0.08 v + 5, -1], [a b, -a]]
        hand = np.array([[0.08 * y[0] + 5.0, -1.0], [0.02 * 0.2, -0.02]])
        np.testing.assert_allclose(analytic, hand, rtol=1e-12, atol=1e-15)


def test_fixed_points_at_zero_current():
    # fixed points: u = b v and 0.04 v^2 + (5 - b) v + 140 = 0; for b = 0.2:
    # v = (-4.8 -/+ sqrt(4.8^2 - 4 * 0.04 * 140)) / 0.08 = (-4.8 -/+ 0.8) / 0.08 = -70, -50 mV
    model = nl.Izhikevich.from_pattern("RS")
    fps = nl.fixed_points(model, 0.0)
    assert len(fps) == 2
    np.testing.assert_allclose([fp.state[0] for fp in fps], [-70.0, -50.0], atol=1e-6)
    np.testing.assert_allclose([fp.state[1] for fp in fps], [-14.0, -10.0], atol=1e-6)
    # eigenvalues of [[0.08 v + 5, -1], [a b, -a]] (a = 0.02, b = 0.2):
    # v = -70: trace -0.62, det 0.016 -> (-0.62 +/- sqrt(0.3844 - 0.064)) / 2, both < 0: stable node
    # v = -50: trace 0.98, det -0.016 < 0: one positive, one negative: saddle
    a, b = 0.02, 0.2
    for fp, v in zip(fps, (-70.0, -50.0)):
        tr, det = 0.08 * v + 5.0 - a, -(0.08 * v + 5.0) * a + a * b
        disc = np.sqrt(tr * tr - 4 * det)
        np.testing.assert_allclose(np.sort(fp.eigenvalues.real), [(tr - disc) / 2, (tr + disc) / 2], atol=1e-8)
    assert (fps[0].kind, fps[0].stable) == ("stable node", True)
    assert (fps[1].kind, fps[1].stable) == ("saddle", False)


def test_unknown_pattern_raises():
    with pytest.raises(nl.ParameterError, match=r"pattern = 'XX' is unknown; choose one of RS, IB, CH, FS"):
        nl.Izhikevich.from_pattern("XX")


def test_low_threshold_spiking_fires_where_regular_spiking_does_not():
    # Izhikevich (2003) Fig. 2: LTS (b = 0.25) has a lower threshold than RS (b = 0.2) and fires
    # high-frequency trains: a step of 2 fires LTS but not RS; at 10 LTS fires faster
    def count(name, amp, dur=300.0):
        m = nl.Izhikevich.from_pattern(name)
        return len(nl.simulate(m, dur, 0.05, current=nl.Step(amp, start=10.0), record=()).spike_times)
    assert count("RS", 2.0) == 0 < count("LTS", 2.0)
    assert count("LTS", 10.0) > count("RS", 10.0)


def test_thalamocortical_rebounds_after_hyperpolarisation():
    # Izhikevich (2003) Fig. 2 (TC): silent while hyperpolarised (I = -10 until 100 ms), then a rebound
    # burst on release: the first spikes come within ~10 ms of each other just after 100 ms
    model, pattern = nl.Izhikevich.from_pattern("TC"), nl.Izhikevich.PATTERNS["TC"]
    spikes = nl.simulate(model, 300.0, 0.05, current=pattern.current, record=()).spike_times
    assert spikes.size >= 2 and spikes[0] > 100.0 and spikes[0] < 120.0
    assert spikes[1] - spikes[0] < 10.0


def test_resonator_rings_at_the_linearised_frequency():
    # RZ (a = 0.1, b = 0.26) after a step of 0.1 from rest: the fixed point of 0.04 v^2 + (5 - b) v + 140 + I
    # = 0 is a stable focus; its Jacobian [[0.08 v + 5, -1], [a b, -a]] gives the damped frequency
    # omega = sqrt(det - tr^2/4). No spikes: a resonator, not a tonic firer.
    a, b, i = 0.1, 0.26, 0.1
    v0 = (-(5 - b) - np.sqrt((5 - b) ** 2 - 4 * 0.04 * (140 + i))) / (2 * 0.04)
    tr, det = 0.08 * v0 + 5 - a, -(0.08 * v0 + 5) * a + a * b
    period = 2 * np.pi / np.sqrt(det - tr * tr / 4)            # ms (42.8)
    model, pattern = nl.Izhikevich.from_pattern("RZ"), nl.Izhikevich.PATTERNS["RZ"]
    res = nl.simulate(model, 400.0, 0.05, current=pattern.current)
    assert len(res.spike_times) == 0
    v, t = res["v"], res.t
    peaks = t[1:-1][(v[1:-1] > v[:-2]) & (v[1:-1] >= v[2:]) & (t[1:-1] > 10.0)]
    assert peaks.size >= 4
    assert np.mean(np.diff(peaks)) == pytest.approx(period, rel=0.02)
