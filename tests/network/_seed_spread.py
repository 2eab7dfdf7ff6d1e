"""The yardstick of the backend tests on chaotic networks: the built-in engine's spread over 5 seeds.

A chaotic network run on a peer simulator (NEST, NEURON) cannot match spike by spike; it agrees when its
rate and ISI CV lie within the 5 seeds' mean +- 3 standard deviations of the built-in engine (the spread of
independent networks of the same construction).
"""

from __future__ import annotations

import numpy as np


def seed_spread(make_network, duration):
    """(rates Hz, ISI CVs) of ``make_network(seed).run(duration)`` on the built-in engine, seeds 1-5."""
    rates, cvs = [], []
    for seed in range(1, 6):
        out = make_network(seed).run(duration)
        rates.append(out.rate_hz())
        cvs.append(out.cv_isi())
    return np.array(rates), np.array(cvs)


def within_spread(value, samples):
    """Within the 5 seeds' mean +- 3 standard deviations (the spread of independent networks)."""
    return abs(value - samples.mean()) <= 3.0 * samples.std(ddof=1)


def assert_within_spread(rate_hz, cv_isi, spread, context=None):
    """Assert that a run's rate (Hz) and ISI CV lie within ``spread`` (from :func:`seed_spread`)."""
    rates, cvs = spread
    assert within_spread(rate_hz, rates), (context, rate_hz, rates)
    assert within_spread(cv_isi, cvs), (context, cv_isi, cvs)
