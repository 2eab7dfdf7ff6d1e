"""Transmission delays on the time grid.

Contract (Network.connect docstring, NEST's convention): a generator spike at time t arrives at
t + delay; a neuron's spike emitted inside step s (the step [s dt, (s+1) dt)) arrives at
(s+1) dt + delay. Delays are whole steps; a delay that is not a multiple of dt is rounded to the nearest
one with a UserWarning stating the change. States are sampled at the end of each step, so the sample at
t = t_arrival is the left limit (0) and the first nonzero sample of an exponential synaptic variable is at
t_arrival + dt with the value w exp(-dt/tau).
"""

from __future__ import annotations

import math
import re
import warnings

import numpy as np
import pytest

import neuroladder as nl

W, TAU = 30.0, 5.0


def _first_nonzero(out, pop="P"):
    t, g = out.state(pop, "syn0")
    nz = np.flatnonzero(g[:, 0] != 0.0)
    assert nz.size, "the input never arrived"
    return t, g[:, 0], nz[0]


def _generator_to_one(dt, t_spike, delay):
    net = nl.Network(dt=dt, seed=1)
    pop = net.add_population("P", nl.LIF(v_th=400.0), 1)
    gen = net.add_spike_generator("S", [t_spike])
    net.connect(gen, pop, weight=W, delay=delay, synapse=nl.ExpSynapse(TAU))
    net.record(pop, "syn0")
    return net


@pytest.mark.parametrize("delay", [1.0, 0.2, 4.0])
def test_generator_spike_arrives_at_t_plus_delay(delay):
    # dt = 0.2: 5.0 + delay is a grid time; 0 up to and including it, then w exp(-dt/tau) one step later
    dt, t_spike = 0.2, 5.0
    with warnings.catch_warnings():
        warnings.filterwarnings("error", message="delays")  # multiples of dt: no rounding warning
        net = _generator_to_one(dt, t_spike, delay)
    out = net.run(15.0)
    t, g, first = _first_nonzero(out)
    assert t[first] == pytest.approx(t_spike + delay + dt, abs=1e-9)
    assert np.all(g[t < t_spike + delay + 1e-9] == 0.0)
    assert g[first] == pytest.approx(W * math.exp(-dt / TAU), rel=1e-12)
    # and it keeps decaying as w exp(-(t - t_arrival)/tau): the continuous-time value is w at arrival
    later = t > t_spike + delay + 1e-9
    np.testing.assert_allclose(g[later], W * np.exp(-(t[later] - t_spike - delay) / TAU), rtol=1e-9)


@pytest.mark.parametrize("delay,allowed", [
    (3.7, (3.6, 3.8)),    # 18.5 steps: a tie, either neighbour is a nearest multiple
    (2.5, (2.4, 2.6)),    # 12.5 steps: also a tie (2.5 is not a multiple of 0.2 either)
    (3.75, (3.8,)),       # 18.75 steps -> 19
    (3.65, (3.6,)),       # 18.25 steps -> 18
])
def test_delay_off_grid_is_rounded_with_warning(delay, allowed):
    dt, t_spike = 0.2, 5.0
    with pytest.warns(UserWarning, match=r"delays are whole steps") as record:
        net = _generator_to_one(dt, t_spike, delay)
    msg = next(str(w.message) for w in record if "whole steps" in str(w.message))
    found = re.search(r"([\d.]+) ms becomes ([\d.]+) ms", msg)
    assert found, msg
    assert float(found.group(1)) == pytest.approx(delay)
    stated = float(found.group(2))
    # the stated value is a nearest multiple of dt (hand-computed candidates above)
    assert any(stated == pytest.approx(a, abs=1e-9) for a in allowed), msg
    out = net.run(15.0)
    t, g, first = _first_nonzero(out)
    # the input arrives at t + the stated (rounded) delay, to the step
    assert t[first] == pytest.approx(t_spike + stated + dt, abs=1e-9)
    assert g[first] == pytest.approx(W * math.exp(-dt / TAU), rel=1e-12)


def test_three_delays_one_network():
    # the brief's case: one generator at 5.0 ms, delays 1.0, 2.5 and 3.7 ms onto three neurons at dt = 0.2
    dt, t_spike = 0.2, 5.0
    net = nl.Network(dt=dt, seed=1)
    pop = net.add_population("P", nl.LIF(v_th=400.0), 3)
    gen = net.add_spike_generator("S", [t_spike])
    net.connect(gen, pop, rule="explicit", pre_ids=[0], post_ids=[0], weight=W, delay=1.0,
                synapse=nl.ExpSynapse(TAU))
    for post, delay in ((1, 2.5), (2, 3.7)):
        with pytest.warns(UserWarning, match=rf"{delay:g} ms becomes"):
            net.connect(gen, pop, rule="explicit", pre_ids=[0], post_ids=[post], weight=W, delay=delay,
                        synapse=nl.ExpSynapse(TAU))
    net.record(pop, "syn0")
    out = net.run(15.0)
    t, g = out.state("P", "syn0")
    firsts = [t[np.flatnonzero(g[:, j])[0]] for j in range(3)]
    assert firsts[0] == pytest.approx(t_spike + 1.0 + dt, abs=1e-9)
    for j, delay in ((1, 2.5), (2, 3.7)):
        # rounded to a nearest multiple of dt: within dt/2 of the requested delay, on the grid
        arrival = firsts[j] - dt - t_spike
        assert abs(arrival - delay) <= dt / 2 + 1e-9
        assert arrival / dt == pytest.approx(round(arrival / dt), abs=1e-9)


def test_neuron_to_neuron_delay():
    # A LIF from v0 = e_l under constant I crosses threshold at
    #     t_s = tau_m ln((v_inf - e_l) / (v_inf - v_th)),  v_inf = e_l + tau_m I / c_m
    # (Tuckwell 1988). Defaults c_m 250 pF, tau_m 10 ms, e_l -70, v_th -55 mV; I = 500 pA -> v_inf = -50,
    # t_s = 10 ln(20/5) = 13.8629 ms: inside step s = 138 at dt = 0.1 (not near a step boundary).
    # Its input to the target arrives at (s+1) dt + delay = 13.9 + 1.5 = 15.4 ms.
    dt, delay, current = 0.1, 1.5, 500.0
    t_s = 10.0 * math.log(20.0 / 5.0)
    s = math.floor(t_s / dt)
    assert 0.2 < t_s / dt - s < 0.8
    net = nl.Network(dt=dt, seed=1)
    pre = net.add_population("A", nl.LIF(t_ref=50.0), 1)   # one spike within the run
    post = net.add_population("P", nl.LIF(v_th=400.0), 1)
    net.inject(pre, current)
    net.connect(pre, post, weight=W, delay=delay, synapse=nl.ExpSynapse(TAU))
    net.record(post, "syn0")
    out = net.run(30.0)
    spikes = out.spikes["A"].times
    assert spikes.size == 1
    # the crossing is interpolated within the step: error <= dt^2 / (8 tau_m) = 1.25e-4 ms (test_lif.py)
    assert spikes[0] == pytest.approx(t_s, abs=2e-4)
    t, g, first = _first_nonzero(out)
    assert t[first] == pytest.approx((s + 1) * dt + delay + dt, abs=1e-9)
    assert g[first] == pytest.approx(W * math.exp(-dt / TAU), rel=1e-12)


@pytest.mark.parametrize("model", ["LIF", "AdEx"])
def test_a_projection_without_synapses_changes_nothing(model):
    # p = 0 draws no synapse: the network must build (it raised an IndexError for the fused LIF path) and
    # its spikes must equal those of the same network without the projection
    import neuroladder as nl

    spikes = []
    for with_projection in (False, True):
        net = nl.Network(dt=0.1, seed=1)
        pop = net.add_population("P", getattr(nl, model)(), 10)
        net.inject(pop, 1000.0)
        if with_projection:
            net.connect(pop, pop, rule="fixed_probability", p=0.0, weight=1.0, delay=0.1, synapse=nl.ExpSynapse(5.0))
        out = net.run(20.0)
        spikes.append((out.spikes["P"].times, out.spikes["P"].ids))
    assert net.n_synapses == 0 and spikes[0][0].size > 0
    np.testing.assert_array_equal(spikes[0][0], spikes[1][0])
    np.testing.assert_array_equal(spikes[0][1], spikes[1][1])
