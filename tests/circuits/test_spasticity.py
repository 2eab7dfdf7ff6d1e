"""The spasticity experiment (quick) meets issue 16's must-hold bounds, each from the clinical literature:
self-sustained firing after a brief input only after injury (Bennett et al. 2004: long-lasting reflexes
in chronic spinal cord injury), clonus at 4-9 Hz after injury (human ankle clonus 5-8 Hz, Beres-Jones
et al. 2003), and velocity-dependent hyperreflexia, Lance's (1980) definition of spasticity."""

from __future__ import annotations

import json

import pytest

from neuroladder import ParameterError
from neuroladder.circuits.spinal import Protocol, ReflexLoop, simulate_reflex
from neuroladder.experiments import run


@pytest.fixture(scope="module")
def metrics():
    return run("spasticity", quick=True, seed=1).metrics


@pytest.mark.slow  # the quick experiment takes ~15 s on 2 cores
def test_sustained_firing_only_after_injury(metrics):
    assert metrics["injured_sustained_s"] > 0.5
    assert metrics["intact_sustained_s"] < 0.1
    assert metrics["intact_spikes_before_input"] == 0  # the pool is silent at rest


@pytest.mark.slow  # the quick experiment takes ~15 s on 2 cores
def test_clonus_after_injury(metrics):
    assert metrics["injured_clonus_cycles"] >= 3
    assert 4.0 <= metrics["injured_clonus_hz"] <= 9.0
    assert metrics["intact_clonus_cycles"] <= 1


@pytest.mark.slow  # the quick experiment takes ~15 s on 2 cores
def test_velocity_dependent_hyperreflexia(metrics):
    assert metrics["injured_reflex_gain_slope"] > 2.0 * metrics["intact_reflex_gain_slope"]
    assert all(i > n for i, n in zip(metrics["injured_reflex_gain"], metrics["intact_reflex_gain"]))
    json.dumps(metrics, allow_nan=False)  # strict JSON (no NaN)


@pytest.mark.slow  # ~7-11 s warm, more with a cold numba cache: the default run stays near 5 min
def test_same_seed_same_loop():
    loop = ReflexLoop.injured(n_motoneurons=4)
    protocol = [Protocol("servo", start=50.0, velocity=2.0, amplitude=0.1)]
    a = simulate_reflex(loop, protocol, 200.0, seed=3)
    b = simulate_reflex(loop, protocol, 200.0, seed=3)
    assert (a.spike_times == b.spike_times).all() and (a.theta == b.theta).all()


def test_bad_parameters():
    with pytest.raises(ParameterError, match="n_motoneurons"):
        run("spasticity", quick=True, n_motoneurons=1)
    with pytest.raises(ParameterError, match="duration"):
        run("spasticity", quick=True, duration=10.0)
    with pytest.raises(ParameterError, match="mode"):
        Protocol("wobble")
    with pytest.raises(ParameterError, match="presynaptic_inhibition"):
        ReflexLoop(presynaptic_inhibition=2.0)
