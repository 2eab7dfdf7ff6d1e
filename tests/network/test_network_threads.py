"""Threads change speed, never results: blocks write their spikes to their own staging rows and
are merged in block order (network/_engine.py), so a run with 2 threads must reproduce a
1-thread run bit for bit."""

from __future__ import annotations

import numba
import numpy as np
import pytest

import neuroladder as nl
from neuroladder.experiments.networks import vogels_abbott


@pytest.mark.skipif(numba.config.NUMBA_NUM_THREADS < 2, reason="needs 2 threads")
def test_two_threads_give_identical_spikes():
    spikes = {}
    for threads in (1, 2):
        net = vogels_abbott("cuba", seed=3, n=1200, p=0.05, threads=threads)
        out = net.run(200.0)
        spikes[threads] = (out.spikes["P"].times, out.spikes["P"].ids)
    assert spikes[1][0].size > 100  # the network is active, so the comparison means something
    np.testing.assert_array_equal(spikes[1][0], spikes[2][0])
    np.testing.assert_array_equal(spikes[1][1], spikes[2][1])


def test_threads_validated():
    with pytest.raises(nl.ParameterError, match="threads"):
        nl.Network(dt=0.1, threads=0)


def _two_population_network(threads):
    """Two fused LIF populations of several blocks each (so each thread owns a part of both), Poisson
    input (delivery, then the draws on one thread, then the sweep), a spike generator, per-synapse
    weights and a delay per source population (queue entries per unit, each with its own delay)."""
    rng = np.random.default_rng(11)
    net = nl.Network(dt=0.1, seed=5, threads=threads)
    model = nl.LIF(c_m=250.0, tau_m=20.0, e_l=-65.0, v_th=-50.0, v_reset=-60.0, t_ref=2.0)
    E = net.add_population("E", model, 9000, v=rng.uniform(-65.0, -50.0, 9000))
    I = net.add_population("I", model, 2500, v=rng.uniform(-65.0, -50.0, 2500))
    exc, inh = nl.ExpSynapse(5.0), nl.ExpSynapse(10.0, e_rev=-80.0)
    for post in (E, I):
        net.add_poisson_input(post, 2400.0, 30.0, synapse=exc)
        net.connect(E, post, rule="fixed_indegree", k=40, weight=nl.network.uniform(10.0, 40.0), delay=0.5,
                    synapse=exc)
        net.connect(I, post, rule="fixed_indegree", k=10, weight=1.0, delay=1.0, synapse=inh)
    gen = net.add_spike_generator("S", [[5.0, 20.0, 20.3]] * 3)
    net.connect(gen, E, rule="all_to_all", weight=50.0, delay=0.2, synapse=exc)
    return net


@pytest.mark.slow  # ~20 s with an empty numba cache (a second parallel plan); CI runs it in its slow pass
@pytest.mark.skipif(numba.config.NUMBA_NUM_THREADS < 2, reason="needs 2 threads")
def test_two_threads_identical_with_two_populations_poisson_input_and_mixed_delays():
    outs = {threads: _two_population_network(threads).run(60.0) for threads in (1, 2)}
    parts = _two_population_network(2)
    parts._build()
    assert (np.diff(parts.layout.populations.part_block, axis=1) > 0).all()  # each thread has blocks of both
    assert parts.layout.direct.delay_all == -1 and (parts.layout.direct.unit_delay >= 0).any()
    for name in ("E", "I"):
        assert outs[1].spikes[name].times.size > 500  # active, so the comparison means something
        np.testing.assert_array_equal(outs[1].spikes[name].times, outs[2].spikes[name].times)
        np.testing.assert_array_equal(outs[1].spikes[name].ids, outs[2].spikes[name].ids)
