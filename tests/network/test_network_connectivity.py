"""Connection rules deliver what their definitions (NEST's connection-management docs) promise."""

from __future__ import annotations

import math

import numpy as np
import pytest
import scipy.sparse as sp

import neuroladder as nl


def _net(n_a=200, n_b=150, seed=1):
    net = nl.Network(dt=0.1, seed=seed)
    a = net.add_population("A", nl.LIF(), n_a)
    b = net.add_population("B", nl.LIF(), n_b)
    return net, a, b


def test_all_to_all_count():
    net, a, b = _net()
    proj = net.connect(a, b, rule="all_to_all")
    assert proj.n_synapses == 200 * 150                       # every pair once
    pairs = set(zip(proj.pre_idx.tolist(), proj.post_idx.tolist()))
    assert len(pairs) == 200 * 150
    auto = net.connect(a, a, rule="all_to_all", allow_autapses=False)
    assert auto.n_synapses == 200 * 199                       # n (n - 1) without the diagonal
    assert not np.any(auto.pre_idx == auto.post_idx)
    assert net.n_synapses == 200 * 150 + 200 * 199


@pytest.mark.parametrize("multapses", [True, False])
def test_fixed_indegree_exact_k_no_autapses(multapses):
    net, a, _ = _net()
    k = 37
    proj = net.connect(a, a, rule="fixed_indegree", k=k, allow_autapses=False, allow_multapses=multapses)
    np.testing.assert_array_equal(np.bincount(proj.post_idx, minlength=200), np.full(200, k))
    assert not np.any(proj.pre_idx == proj.post_idx)
    assert proj.pre_idx.min() >= 0 and proj.pre_idx.max() < 200
    if not multapses:
        pairs = proj.pre_idx * 200 + proj.post_idx
        assert np.unique(pairs).size == pairs.size            # no duplicate (pre, post) pair


def test_fixed_indegree_k_equal_to_all_partners_without_multapses():
    # k = n - 1 without autapses and multapses: every neuron receives from all others exactly once
    net, a, _ = _net(n_a=30)
    proj = net.connect(a, a, rule="fixed_indegree", k=29, allow_autapses=False, allow_multapses=False)
    pairs = set(zip(proj.pre_idx.tolist(), proj.post_idx.tolist()))
    assert pairs == {(i, j) for i in range(30) for j in range(30) if i != j}


def test_fixed_outdegree_exact_k():
    net, a, b = _net()
    proj = net.connect(a, b, rule="fixed_outdegree", k=12, allow_multapses=False)
    np.testing.assert_array_equal(np.bincount(proj.pre_idx, minlength=200), np.full(200, 12))
    pairs = proj.pre_idx * 150 + proj.post_idx
    assert np.unique(pairs).size == pairs.size
    assert proj.post_idx.max() < 150


@pytest.mark.parametrize("p", [0.02, 0.3])
def test_fixed_probability_binomial_count(p):
    # each of n_pre n_post pairs independently with probability p: the count is Binomial(n_pre n_post, p),
    # mean n_pre n_post p, SD sqrt(n_pre n_post p (1 - p)); required within 4 SD (P(fail) ~ 6e-5)
    n_pre, n_post = 400, 300
    net = nl.Network(dt=0.1, seed=11)
    a = net.add_population("A", nl.LIF(), n_pre)
    b = net.add_population("B", nl.LIF(), n_post)
    proj = net.connect(a, b, rule="fixed_probability", p=p)
    mean = n_pre * n_post * p
    sd = math.sqrt(n_pre * n_post * p * (1 - p))
    assert abs(proj.n_synapses - mean) < 4 * sd
    pairs = proj.pre_idx * n_post + proj.post_idx
    assert np.unique(pairs).size == pairs.size                # Bernoulli per pair: never twice
    # uniform over pairs: each quarter of the 400 pre neurons holds Binomial(100 n_post, p) synapses
    quarters = np.bincount(proj.pre_idx // 100, minlength=4)
    per = n_post * 100 * p
    assert np.all(np.abs(quarters - per) < 4 * math.sqrt(per * (1 - p)))


def test_fixed_probability_edge_cases():
    net, a, b = _net()
    assert net.connect(a, b, rule="fixed_probability", p=0.0).n_synapses == 0
    assert net.connect(a, b, rule="fixed_probability", p=1.0).n_synapses == 200 * 150


def test_sparse_matrix_weights_are_used():
    # 4 generator sources -> 3 neurons through a sparse weight matrix; all sources fire at 1.0 ms.
    # Each neuron's synaptic variable at the first sample after arrival (1.1 + 0.1 ms) must be its
    # column sum times exp(-dt/tau) (exponential kernel, arrival at t + delay; see test_network_delays.py).
    dt, tau = 0.1, 5.0
    dense = np.array([[1.5, 0.0, -2.0],
                      [0.0, 3.0, 0.0],
                      [4.0, 0.0, 0.25],
                      [0.0, 0.5, 0.0]])
    net = nl.Network(dt=dt, seed=1)
    pop = net.add_population("P", nl.LIF(v_th=400.0), 3)
    gen = net.add_spike_generator("S", [[1.0]] * 4)
    proj = net.connect(gen, pop, rule="sparse", matrix=sp.csr_matrix(dense), delay=dt,
                       synapse=nl.ExpSynapse(tau))
    assert proj.n_synapses == 6
    net.record(pop, "syn0")
    out = net.run(3.0)
    t, g = out.state("P", "syn0")
    row = int(np.argmin(np.abs(t - (1.0 + dt + dt))))
    # float32 weight storage: relative 6e-8
    np.testing.assert_allclose(g[row], dense.sum(axis=0) * math.exp(-dt / tau), rtol=1e-6)
    assert np.all(g[:row] == 0.0)


def test_memory_per_synapse_at_most_12_bytes():
    # int32 target + float32 weight + uint16 delay = 10 bytes; the requirement is <= 12
    net, a, b = _net()
    net.connect(a, b, rule="fixed_probability", p=0.1)
    assert net.memory_per_synapse() <= 12.0
