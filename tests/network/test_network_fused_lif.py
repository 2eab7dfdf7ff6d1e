"""The fused LIF step (engine fast path) must give the generic path's spikes, to rounding.

Expected values come from the generic engine path (block update through the model's equations,
core._kernels._redo_unit, synaptic variables decayed every step and fed through the ring buffer), an
independent implementation of the same exact integration. The fused path stores its exponential
synapses scaled (engine.lif_port_scales) and receives spikes through a spike queue, so the two differ
only by rounding (about 1e-15 relative per step): the same spikes, at times equal to 1e-9 ms.
"""

from __future__ import annotations

import numpy as np
import pytest

from neuroladder.experiments.networks import vogels_abbott
from neuroladder.network.network import Network


@pytest.mark.parametrize("kind, method", [("cuba", "auto"), ("coba", "auto"), ("coba", "euler")])
def test_fused_lif_step_reproduces_generic_path(kind, method, monkeypatch):
    fused = vogels_abbott(kind, 3, n=1000, p=0.05, method=method)
    fused._build()
    assert fused._fused_lif(0)
    out_f = fused.run(300.0)
    monkeypatch.setattr(Network, "_fused_lif", lambda self, i: False)
    generic = vogels_abbott(kind, 3, n=1000, p=0.05, method=method)
    out_g = generic.run(300.0)
    assert len(out_g.spikes["P"].times) > 100
    _same_spikes(out_f, out_g)


def _same_spikes(out_f, out_g):
    np.testing.assert_array_equal(out_f.spikes["P"].ids, out_g.spikes["P"].ids)
    np.testing.assert_allclose(out_f.spikes["P"].times, out_g.spikes["P"].times, rtol=0, atol=1e-9)


def _mixed_network(threads, ports, seed=4, n=600):
    """LIF units with per-neuron tau_m and threshold, per-neuron injected current, Poisson input and
    recurrent synapses: 1 port (exc. current), 2 ports (exc. current + inh. conductance) or 3 ports."""
    import neuroladder as nl
    from neuroladder.network.synapses import ExpSynapse

    rng = np.random.default_rng(seed)
    net = Network(dt=0.1, seed=seed, threads=threads)
    model = nl.LIF(c_m=250.0, tau_m=rng.uniform(10.0, 30.0, n), e_l=-65.0, v_th=rng.uniform(-52.0, -48.0, n),
                   v_reset=-60.0, t_ref=2.0)
    pop = net.add_population("P", model, n, v=rng.uniform(-65.0, -50.0, n))
    net.inject(pop, rng.uniform(200.0, 400.0, n))
    exc = ExpSynapse(5.0)
    net.add_poisson_input(pop, 800.0, 30.0, synapse=exc)
    net.connect(pop, pop, rule="fixed_probability", p=0.05, weight=40.0, delay=0.5, synapse=exc)
    if ports >= 2:
        net.connect(pop, pop, rule="fixed_probability", p=0.05, weight=2.0, delay=1.0,
                    synapse=ExpSynapse(10.0, e_rev=-80.0))
        # per-synapse weights on the same port and delay as the constant ones above: the fast path's
        # segments of one weight and its segments of stored weights both occur
        net.connect(pop, pop, rule="fixed_probability", p=0.02, weight=nl.network.uniform(10.0, 60.0), delay=0.5,
                    synapse=exc)
    if ports >= 3:
        net.connect(pop, pop, rule="fixed_probability", p=0.02, weight=5.0, delay=0.2, synapse=ExpSynapse(2.0))
    return net


@pytest.mark.parametrize("threads, ports", [(1, 1), (1, 2), (2, 2)])
def test_fused_lif_step_with_heterogeneous_units_and_mixed_ports(threads, ports, monkeypatch):
    # per-neuron parameters and input take the sweep's non-uniform variant; two threads its parallel
    # region; a current and a conductance port together its masks
    import numba

    if threads > numba.config.NUMBA_NUM_THREADS:
        pytest.skip("needs two numba threads")
    fused = _mixed_network(threads, ports)
    fused._build()
    assert fused._fused_lif(0)
    one_weight = ~np.isnan(fused.layout.direct.seg_weight)
    assert one_weight.any() and (ports == 1 or not one_weight.all())
    out_f = fused.run(200.0)
    monkeypatch.setattr(Network, "_fused_lif", lambda self, i: False)
    out_g = _mixed_network(threads, ports).run(200.0)
    assert len(out_g.spikes["P"].times) > 200
    _same_spikes(out_f, out_g)


def test_more_than_two_ports_take_the_generic_path():
    net = _mixed_network(1, 3)
    net._build()
    assert not net._fused_lif(0)
    assert len(net.run(50.0).spikes["P"].times) > 0


def _psp_network(tau_s, spikes, method="auto", n_copies=1, delay=0.1, weight=300.0):
    """One subthreshold LIF fed by spike generators through an exponential current synapse of time
    constant tau_s (ms); v and the synaptic variable recorded every step."""
    import neuroladder as nl
    from neuroladder.network.synapses import ExpSynapse

    net = Network(dt=0.1, seed=1)
    pop = net.add_population("P", nl.LIF(c_m=250.0, tau_m=20.0, e_l=-70.0, v_th=0.0, v_reset=-80.0), 1,
                             method=method)
    gen = net.add_spike_generator("S", [list(spikes)] * n_copies)
    net.connect(gen, pop, weight=weight, delay=delay, synapse=ExpSynapse(tau_s))
    net.record(pop, ("v", "syn0"))
    return net


def test_scaled_synapse_matches_closed_form_across_many_renormalisations():
    # tau_s = 0.5 ms renormalises every 100 tau_s / dt = 500 steps, 40 times in 2 s. Spikes every 150 ms;
    # each arrival's current w exp(-s/tau_s) and PSP (Tuckwell 1988, ch. 3, as in test_network_psp)
    # superpose. Expected: the closed form, to the 1e-6 relative of the exact-integration tests.
    tau_s, tau_m, c_m, w = 0.5, 20.0, 250.0, 300.0
    spikes = np.arange(1.0, 2000.0, 150.0)
    net = _psp_network(tau_s, spikes)
    net._build()
    assert net._fused_lif(0) and net.layout.ports.renorm[0] == 500
    out = net.run(2000.0)
    t, v = out.state("P", "v")
    _, g = out.state("P", "syn0")
    s = t[:, None] - (spikes[None, :] + 0.1)            # time since each arrival (delay dt)
    on = s > 1e-9  # a sample at the arrival time is taken just before the arrival
    g_exact = np.where(on, w * np.exp(-np.clip(s, 0, None) / tau_s), 0.0).sum(axis=1)
    psp = np.where(on, (w / c_m) * tau_m * tau_s / (tau_m - tau_s)
                   * (np.exp(-np.clip(s, 0, None) / tau_m) - np.exp(-np.clip(s, 0, None) / tau_s)), 0.0).sum(axis=1)
    assert np.max(np.abs(g[:, 0] - g_exact)) <= 1e-11 * w  # measured 3.7e-13
    # exponential Euler of v with the step-averaged current errs by h^2 / (12 tau_m tau_s) of the PSP's
    # peak (derived in test_network_psp); measured 8.328e-5 against the derived 8.333e-5
    bound = 0.1 ** 2 / (12.0 * tau_m * tau_s)
    assert np.max(np.abs((v[:, 0] + 70.0) - psp)) <= 1.05 * bound * np.max(psp)


def test_split_runs_equal_one_run_to_the_bit():
    # renormalisation happens at fixed steps of the simulation, not at the ends of runs or engine calls
    spikes = np.arange(1.0, 600.0, 7.3)
    one = _psp_network(0.5, spikes).run(600.0)
    net = _psp_network(0.5, spikes)
    parts = [net.run(d) for d in (130.0, 270.0, 200.0)]
    v_parts = np.concatenate([p.state("P", "v")[1][:, 0] for p in parts])
    np.testing.assert_array_equal(v_parts, one.state("P", "v")[1][:, 0])


def test_synaptic_monitor_and_spike_queue_growth_agree_with_generic_path(monkeypatch):
    # 300 sources spiking in the same steps with a 5 ms delay: the queue's slots must grow past their
    # initial 32 entries. The recorded synaptic variable (stored scaled on the fused path) and v must
    # equal the generic path's to rounding.
    spikes = [2.0, 2.05, 30.0]
    fused = _psp_network(5.0, spikes, n_copies=300, delay=5.0, weight=0.5)
    out_f = fused.run(80.0)
    assert fused.layout.direct.queue[0].shape[1] > 64
    monkeypatch.setattr(Network, "_fused_lif", lambda self, i: False)
    out_g = _psp_network(5.0, spikes, n_copies=300, delay=5.0, weight=0.5).run(80.0)
    for var in ("v", "syn0"):
        a, b = out_f.state("P", var)[1], out_g.state("P", var)[1]
        np.testing.assert_allclose(a, b, rtol=1e-12, atol=1e-12)
    assert np.max(out_f.state("P", "syn0")[1]) > 100.0  # the 300 arrivals did land


def test_spike_queue_grows_for_neurons_spiking_together(monkeypatch):
    # 300 identical neurons driven alike spike in the same steps; their synapses onto B have two delays,
    # so each spike queues one entry per segment (two slots of 300 entries, past the initial 32), and the
    # queue grows while the step's spikes are being queued (_transport.enqueue reports the full row, the
    # loop grows the queue and goes on). Expected: the generic path's ring buffer (no queue), to rounding.
    import neuroladder as nl
    from neuroladder.network.synapses import ExpSynapse

    def build():
        net = Network(dt=0.1, seed=1)
        a = net.add_population("A", nl.LIF(c_m=250.0, tau_m=20.0, e_l=-70.0, v_th=-55.0, v_reset=-70.0), 300,
                               v=-70.0)
        net.inject(a, 500.0)  # pA: equilibrium -30 mV, far above threshold
        b = net.add_population("B", nl.LIF(c_m=250.0, tau_m=20.0, e_l=-70.0, v_th=0.0, v_reset=-80.0), 1)
        syn = ExpSynapse(5.0)
        net.connect(a, b, weight=0.5, delay=2.0, synapse=syn)
        net.connect(a, b, weight=0.25, delay=3.5, synapse=syn)
        net.record(b, ("v", "syn0"))
        return net

    fused = build()
    out_f = fused.run(60.0)
    assert fused._fused_lif(0) and fused._fused_lif(1)
    assert fused.layout.direct.unit_delay[0] == -1  # one queue entry per segment
    assert fused.layout.direct.queue[0].shape[1] > 2 * 300  # grew from 64 columns (32 entries)
    assert out_f.spikes["A"].times.size >= 600  # at least two synchronous volleys
    monkeypatch.setattr(Network, "_fused_lif", lambda self, i: False)
    out_g = build().run(60.0)
    np.testing.assert_array_equal(out_f.spikes["A"].times, out_g.spikes["A"].times)
    for var in ("v", "syn0"):
        np.testing.assert_allclose(out_f.state("B", var)[1], out_g.state("B", var)[1], rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("fused, threads", [(True, 1), (False, 1), (True, 2)])
def test_time_varying_current_split_runs_equal_one_run(fused, threads, monkeypatch):
    # A time-varying current is sampled from each run's first step: a second run must read its own
    # samples (it once read rows counted from t = 0, past the end of the run's samples: the next
    # population's current, since the samples lie back to back). Expected: one 6 ms run, to the bit;
    # and E, driven by 100 pA for 3 ms (at most I tau_m / c_m = 4 mV above rest, 15 mV below
    # threshold), must not fire, while F (5000 pA) does.
    import neuroladder as nl

    if not fused:
        monkeypatch.setattr(Network, "_fused_lif", lambda self, i: False)

    def build():
        net = Network(dt=0.1, seed=1, threads=threads)
        e = net.add_population("E", nl.LIF(), 3)
        f = net.add_population("F", nl.LIF(), 3)
        net.inject(e, nl.Step(100.0, 0.0, 3.0))
        net.inject(f, nl.Step(5000.0, 0.0, 1000.0))
        net.record(e, "v")
        return net

    net = build()
    parts = [net.run(d) for d in (2.0, 2.0, 2.0)]
    whole = build().run(6.0)
    v_parts = np.concatenate([p.state("E", "v")[1] for p in parts])
    np.testing.assert_array_equal(v_parts, whole.state("E", "v")[1])
    for name in ("E", "F"):
        np.testing.assert_array_equal(np.concatenate([p.spikes[name].times for p in parts]),
                                      whole.spikes[name].times)
    assert len(whole.spikes["E"]) == 0 and len(whole.spikes["F"]) > 0



_ONE_COMPILATION_SCRIPT = """
import neuroladder as nl
from neuroladder.core import _kernels
from neuroladder.network import _engine
from neuroladder.network.network import Network

def lif_network(n_pops, threads, poisson):
    net = Network(dt=0.1, seed=1, threads=threads)
    pops = [net.add_population(f"P{i}", nl.LIF(), 40) for i in range(n_pops)]
    for a in pops:
        net.inject(a, 400.0)
        net.connect(a, pops[0], rule="fixed_indegree", k=5, weight=10.0, delay=0.5)
        if poisson:
            net.add_poisson_input(a, 100.0, 10.0)
    net.run(5.0)

lif_network(2, 1, False)
lif_network(3, 1, True)
lif_network(5, 2, False)
nl.simulate(nl.AdEx(), 5.0, 0.1, current=500.0, n=3, record=(), progress=False)
net = Network(dt=0.1, seed=1)
pop = net.add_population("A", nl.AdEx(), 20)
net.inject(pop, 500.0)
net.connect(pop, pop, rule="fixed_indegree", k=3, weight=1.0, delay=0.5)
net.run(5.0)
print(len(_engine._fused_part.signatures), len(_kernels.update_block.signatures))
"""


@pytest.mark.slow  # compiles the engine's and nl.simulate's kernels from scratch: 1-2 min on 2 cores
def test_the_step_functions_compile_once_whatever_the_network(tmp_path):
    """The fused LIF step's types must not depend on the network (its count of populations, threads,
    Poisson input), and ``nl.simulate`` and the network's generic path must call ``update_block`` with
    the same types: each extra signature is another compilation of a large function, 5-15 s on a 2-core
    machine (issue 18's cold start; at 0be5ab8 the fused step had 5 signatures here, update_block 2).
    A fresh interpreter with an empty numba cache, so that every compilation is seen (functions loaded
    from the cache list no signatures)."""
    import os
    import subprocess
    import sys

    env = {**os.environ, "NUMBA_CACHE_DIR": str(tmp_path)}
    out = subprocess.run([sys.executable, "-c", _ONE_COMPILATION_SCRIPT], capture_output=True, text=True,
                         check=True, env=env)
    assert out.stdout.split()[-2:] == ["1", "1"], out.stdout + out.stderr
