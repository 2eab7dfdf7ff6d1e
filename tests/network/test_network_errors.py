"""Bad input to the network API raises nl.ParameterError naming the offending argument."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.sparse as sp

import neuroladder as nl


@pytest.fixture
def net():
    net = nl.Network(dt=0.1, seed=1)
    net.add_population("A", nl.LIF(), 10)
    net.add_population("B", nl.LIF(), 5)
    return net


def test_connect_population_of_another_network(net):
    other = nl.Network(dt=0.1, seed=1)
    foreign = other.add_population("X", nl.LIF(), 10)
    with pytest.raises(nl.ParameterError, match=r"\bpre\b.*this network"):
        net.connect(foreign, "A")
    with pytest.raises(nl.ParameterError, match=r"\bpost\b.*this network"):
        net.connect("A", foreign)


def test_negative_delay(net):
    with pytest.raises(nl.ParameterError, match=r"\bdelay\b"):
        net.connect("A", "B", delay=-1.0)
    with pytest.raises(nl.ParameterError, match=r"\bdelay\b"):
        net.connect("A", "B", delay=np.r_[np.ones(49), -0.5])   # one bad value among 50 synapses


@pytest.mark.parametrize("p", [-0.1, 1.5, None])
def test_probability_outside_unit_interval(net, p):
    with pytest.raises(nl.ParameterError, match=r"\bp\b"):
        net.connect("A", "B", rule="fixed_probability", p=p)


def test_weight_array_of_wrong_shape(net):
    # all_to_all A -> B has 10 * 5 = 50 synapses
    with pytest.raises(nl.ParameterError, match=r"\bweight\b"):
        net.connect("A", "B", weight=np.ones(49))
    with pytest.raises(nl.ParameterError, match=r"\bweight\b"):
        net.connect("A", "B", weight=np.ones((10, 5)))


def test_unknown_rule(net):
    with pytest.raises(nl.ParameterError, match=r"\brule\b.*all_to_all"):
        net.connect("A", "B", rule="small_world")


def test_unknown_synapse(net):
    with pytest.raises(nl.ParameterError, match=r"\bsynapse\b"):
        net.connect("A", "B", synapse="nmda")
    with pytest.raises(nl.ParameterError, match=r"\bsynapse\b"):
        net.add_poisson_input("A", rate=10.0, weight=1.0, synapse=42)


def test_one_to_one_unequal_sizes(net):
    with pytest.raises(nl.ParameterError, match=r"one_to_one.*10 and 5"):
        net.connect("A", "B", rule="one_to_one")


def test_fixed_indegree_too_large_without_multapses(net):
    # 10 presynaptic neurons: k = 11 distinct partners is impossible
    with pytest.raises(nl.ParameterError, match=r"\bk\b"):
        net.connect("A", "B", rule="fixed_indegree", k=11, allow_multapses=False)
    # within one population without autapses only 9 partners remain
    with pytest.raises(nl.ParameterError, match=r"\bk\b"):
        net.connect("A", "A", rule="fixed_indegree", k=10, allow_multapses=False, allow_autapses=False)


@pytest.mark.parametrize("pre_ids,post_ids", [([0, 10], [0, 1]), ([0, 1], [0, 5]), ([-1, 0], [0, 0])])
def test_explicit_indices_out_of_range(net, pre_ids, post_ids):
    with pytest.raises(nl.ParameterError, match=r"\b(pre|post)\b.*indices"):
        net.connect("A", "B", rule="explicit", pre_ids=np.array(pre_ids), post_ids=np.array(post_ids))


def test_sparse_matrix_wrong_shape(net):
    with pytest.raises(nl.ParameterError, match=r"\bmatrix\b"):
        net.connect("A", "B", rule="sparse", matrix=sp.random(5, 10, density=0.5, format="csr", random_state=1))


def test_record_unknown_variable(net):
    with pytest.raises(nl.ParameterError, match=r"'w_bogus'"):
        net.record("A", ("v", "w_bogus"))
    # synaptic variables exist only once a port exists
    with pytest.raises(nl.ParameterError, match=r"'syn0'"):
        net.record("B", "syn0")


def test_add_population_after_run(net):
    net.run(1.0)
    with pytest.raises(nl.ParameterError, match=r"has run"):
        net.add_population("C", nl.LIF(), 3)
    with pytest.raises(nl.ParameterError, match=r"has run"):
        net.connect("A", "B")
