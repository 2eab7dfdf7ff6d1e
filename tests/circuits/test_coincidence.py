"""Binaural coincidence detection: the event-driven detector against its analytic rate, phase locking against
its requested vector strength, and the coincidence-cost experiment against issue 16's bounds."""

from __future__ import annotations

import json

import numpy as np
import pytest

from neuroladder import ParameterError
from neuroladder.circuits.coincidence import (
    analytic_coincidence_rate,
    coincidence_detector,
    phase_locked_train,
    von_mises_concentration,
)
from neuroladder.experiments import run


def test_event_detector_matches_the_analytic_rate_for_independent_poisson_inputs():
    # independent homogeneous Poisson trains of 300 and 500 Hz for 200 s, window 0.3 ms: each event fires when
    # the other side fired within the preceding window, rate a(1 - e^{-bW}) + b(1 - e^{-aW}) (Poisson void
    # probability). Standard error of the count: sqrt(~24000) -> ~0.65 %; tolerance 3 %.
    rng = np.random.default_rng(5)
    duration = 200_000.0
    left = np.sort(rng.uniform(0.0, duration, rng.poisson(300 * 200)))
    right = np.sort(rng.uniform(0.0, duration, rng.poisson(500 * 200)))
    out = coincidence_detector(left, right, window=0.3)
    expected = analytic_coincidence_rate(300.0, 500.0, 0.3)
    assert out.size / (duration * 1e-3) == pytest.approx(expected, rel=0.03)
    # and by hand: 300 (1 - e^{-0.15}) + 500 (1 - e^{-0.09}) = 41.79 + 43.04 Hz
    assert expected == pytest.approx(84.83, abs=0.05)


def test_phase_locked_train_has_the_requested_vector_strength_and_rate():
    times = phase_locked_train(500.0, 0.8, 200.0, 50_000.0, seed=1)
    phase = 2 * np.pi * times * 500.0 / 1000.0
    vs = np.abs(np.mean(np.exp(1j * phase)))
    assert vs == pytest.approx(0.8, abs=0.01)  # ~10 000 spikes: sd of VS ~ 0.005
    assert times.size / 50.0 == pytest.approx(200.0, rel=0.03)
    assert von_mises_concentration(0.8) == pytest.approx(2.8713, abs=1e-3)  # I1/I0 = 0.8 (tables of Bessel ratios)


def test_coincidence_cost_quick_meets_the_bounds():
    m = run("coincidence-cost", quick=True, seed=1).metrics
    assert abs(m["best_itd_detailed_us"] - m["best_itd_event_us"]) <= 50.0
    # left and right inputs are statistically identical, so the best ITD of both is 0 us (Jeffress 1948)
    assert abs(m["best_itd_detailed_us"]) <= 50.0 and abs(m["best_itd_event_us"]) <= 50.0
    assert m["itd_tuning_correlation"] > 0.8
    assert m["cost_ratio"] >= 100.0
    json.dumps(m, allow_nan=False)


def test_bad_parameters():
    with pytest.raises(ParameterError, match="vector_strength"):
        run("coincidence-cost", quick=True, vector_strength=1.5)
    with pytest.raises(ParameterError, match="window"):
        coincidence_detector(np.zeros(1), np.zeros(1), window=0.0)
