"""The fused LIF step (engine fast path) must give the generic path's spikes to the bit.

Expected values come from the generic engine path (block update through the model's equations and
core._kernels._redo_unit), an independent implementation of the same arithmetic.
"""

from __future__ import annotations

import numpy as np
import pytest

from neuroladder.experiments.networks import vogels_abbott
from neuroladder.network.network import Network


@pytest.mark.parametrize("kind", ["cuba", "coba"])
def test_fused_lif_step_reproduces_generic_path(kind, monkeypatch):
    fused = vogels_abbott(kind, 3, n=1000, p=0.05)
    fused._build()
    assert fused._fused_lif(0)
    out_f = fused.run(300.0)
    monkeypatch.setattr(Network, "_fused_lif", lambda self, i: False)
    generic = vogels_abbott(kind, 3, n=1000, p=0.05)
    out_g = generic.run(300.0)
    assert len(out_g.spikes["P"].times) > 100
    np.testing.assert_array_equal(out_f.spikes["P"].ids, out_g.spikes["P"].ids)
    np.testing.assert_array_equal(out_f.spikes["P"].times, out_g.spikes["P"].times)


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
    out_f = fused.run(200.0)
    monkeypatch.setattr(Network, "_fused_lif", lambda self, i: False)
    out_g = _mixed_network(threads, ports).run(200.0)
    assert len(out_g.spikes["P"].times) > 200
    np.testing.assert_array_equal(out_f.spikes["P"].ids, out_g.spikes["P"].ids)
    np.testing.assert_array_equal(out_f.spikes["P"].times, out_g.spikes["P"].times)


def test_more_than_two_ports_take_the_generic_path():
    net = _mixed_network(1, 3)
    net._build()
    assert not net._fused_lif(0)
    assert len(net.run(50.0).spikes["P"].times) > 0
