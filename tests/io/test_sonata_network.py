"""SONATA network files out and in: a bit-identical round trip, the files' layout as the SONATA
specification names it (read with plain h5py), and a network written by hand from the specification."""

import csv
import json
import warnings

import numpy as np
import pytest

import neuroladder as nl
from neuroladder.experiments.networks import cobahh_network, vogels_abbott

h5py = pytest.importorskip("h5py")


def _same_spikes(a, b):
    assert set(a.spikes) == set(b.spikes)
    for name in a.spikes:
        np.testing.assert_array_equal(a.spikes[name].times, b.spikes[name].times)
        np.testing.assert_array_equal(a.spikes[name].ids, b.spikes[name].ids)


def _mixed_network():
    """Every kind of thing a network holds: per-neuron parameters and initial states, two models, spike
    generators, Poisson sources and inputs, STP, alpha and conductance synapses, weight and delay
    distributions, constant and step currents."""
    net = nl.Network(dt=0.1, seed=3)
    exc = net.add_population("E", nl.LIF(tau_m=np.linspace(10.0, 20.0, 50)), 50, v=np.linspace(-70.0, -56.0, 50))
    inh = net.add_population("I", nl.AdEx(), 20)
    gen = net.add_spike_generator("g", [np.array([5.0, 7.3]), np.array([1.0])])
    src = net.add_poisson_source("s", 10, 20.0)
    cond = nl.ExpSynapse(3.0, e_rev=0.0)
    net.connect(gen, exc, rule="all_to_all", weight=300.0, delay=1.0)
    net.connect(src, inh, rule="fixed_probability", p=0.5, weight=nl.network.uniform(1.0, 3.0), delay=0.5,
                synapse=cond)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # delays drawn off the grid are rounded to steps
        net.connect(exc, inh, rule="fixed_indegree", k=5, weight=2.0, delay=nl.network.uniform(0.1, 2.0),
                    synapse=cond, stp=nl.TsodyksMarkram())
    net.connect(inh, exc, rule="fixed_probability", p=0.3, weight=-50.0, synapse="alpha")
    net.add_poisson_input(exc, rate=800.0, weight=100.0, n_sources=3)
    net.initialize_synapse(inh, cond, np.linspace(0.0, 5.0, 20))
    net.inject(inh, nl.Step(200.0, start=20.0, stop=60.0))
    net.inject(exc, 100.0)
    return net


@pytest.mark.parametrize("make", [lambda: vogels_abbott("cuba", 1, n=800), lambda: vogels_abbott("coba", 2, n=800),
                                  lambda: cobahh_network(3, n=400), _mixed_network],
                         ids=["cuba", "coba", "cobahh", "mixed"])
def test_round_trip_gives_bit_identical_spikes(make, tmp_path):
    # expected: the original network's own spikes (the file must lose nothing, not even the random state)
    original = make()
    original.to_sonata(tmp_path)
    copy = nl.Network.from_sonata(tmp_path)
    a, b = original.run(100.0), copy.run(100.0)
    assert sum(len(s) for s in a.spikes.values()) > 20
    _same_spikes(a, b)


def test_files_follow_the_sonata_layout(tmp_path):
    net = _mixed_network()
    net.to_sonata(tmp_path, tstop=250.0)
    # group, dataset and attribute names from the SONATA specification (Dai et al. 2020)
    with h5py.File(tmp_path / "network" / "nodes.h5", "r") as fh:
        assert set(fh["nodes"]) == {"E", "I", "g", "s"}
        for name, n in (("E", 50), ("I", 20), ("g", 2), ("s", 10)):
            grp = fh["nodes"][name]
            for key in ("node_type_id", "node_group_id", "node_group_index"):
                assert grp[key].shape == (n,)
            np.testing.assert_array_equal(grp["node_group_index"][:], np.arange(n))
        np.testing.assert_array_equal(fh["nodes/E/0/dynamics_params/tau_m"][:], np.linspace(10.0, 20.0, 50))
        np.testing.assert_array_equal(fh["nodes/E/0/init_v"][:], np.linspace(-70.0, -56.0, 50))
    with h5py.File(tmp_path / "network" / "edges.h5", "r") as fh:
        assert len(fh["edges"]) == len(net.projections)
        for proj, name in zip(net.projections, sorted(fh["edges"])):
            grp = fh["edges"][name]
            assert grp["source_node_id"].attrs["node_population"] == proj.pre.name
            assert grp["target_node_id"].attrs["node_population"] == proj.post.name
            np.testing.assert_array_equal(grp["source_node_id"][:], proj.pre_idx)
            np.testing.assert_array_equal(grp["target_node_id"][:], proj.post_idx)
            for key in ("edge_type_id", "edge_group_id", "edge_group_index"):
                assert grp[key].shape == (proj.n_synapses,)
            np.testing.assert_array_equal(grp["0/syn_weight"][:], proj.weight)
            np.testing.assert_allclose(grp["0/delay"][:], proj.delay_steps * 0.1, rtol=1e-12)
    with h5py.File(tmp_path / "inputs" / "g_spikes.h5", "r") as fh:  # the SONATA spike file
        np.testing.assert_array_equal(fh["spikes/g/timestamps"][:], [1.0, 5.0, 7.3])
        np.testing.assert_array_equal(fh["spikes/g/node_ids"][:], [1, 0, 0])
    with open(tmp_path / "network" / "node_types.csv") as fh:  # space-separated, as the specification's CSVs
        rows = list(csv.DictReader(fh, delimiter=" "))
    assert {r["model_type"] for r in rows} == {"point_neuron", "virtual"}
    assert {r["model_template"] for r in rows} >= {"neuroladder:LIF", "neuroladder:AdEx"}
    circuit = json.loads((tmp_path / "circuit_config.json").read_text())
    assert circuit["networks"]["nodes"][0]["nodes_file"] == "$NETWORK_DIR/nodes.h5"
    assert circuit["networks"]["edges"][0]["edge_types_file"] == "$NETWORK_DIR/edge_types.csv"
    sim = json.loads((tmp_path / "simulation_config.json").read_text())
    assert sim["run"] == {"tstop": 250.0, "dt": 0.1}
    assert sim["inputs"]["g_spikes"]["input_type"] == "spikes"


def _psp_peak(w, c_m, tau_m, tau_s):
    """Peak (mV) of the PSP of one exponential current of amplitude w (pA), time constant tau_s, on a
    membrane of c_m (pF) and tau_m (ms): w tau_s tau_m / (c_m (tau_m - tau_s)) (e^{-t/tau_m} - e^{-t/tau_s})
    at its maximum t* = ln(tau_m/tau_s) tau_s tau_m / (tau_m - tau_s) (e.g. Tuckwell 1988, ch. 3)."""
    t_peak = np.log(tau_m / tau_s) * tau_s * tau_m / (tau_m - tau_s)
    return w * tau_s * tau_m / (c_m * (tau_m - tau_s)) * (np.exp(-t_peak / tau_m) - np.exp(-t_peak / tau_s))


def test_reads_a_network_written_by_hand_from_the_specification(tmp_path):
    """Two NEST iaf_psc_exp neurons (NEST's parameter names) fed by a virtual node's spike file: one
    excitatory (+500 pA) and, later, one inhibitory (-800 pA) input spike; the PSP peaks are analytic."""
    net_dir = tmp_path / "net"
    net_dir.mkdir()
    with h5py.File(net_dir / "nodes.h5", "w") as fh:
        for name, n, type_id in (("cells", 2, 1), ("stim", 1, 2)):
            grp = fh.create_group(f"nodes/{name}")
            grp["node_type_id"] = np.full(n, type_id)
            grp["node_group_id"] = np.zeros(n, int)
            grp["node_group_index"] = np.arange(n)
            grp.create_group("0")
        fh["nodes/cells/0/dynamics_params/tau_m"] = [10.0, 20.0]
    with h5py.File(net_dir / "edges.h5", "w") as fh:
        grp = fh.create_group("edges/stim_to_cells")
        grp["source_node_id"] = np.zeros(4, np.uint64)
        grp["source_node_id"].attrs["node_population"] = "stim"
        grp["target_node_id"] = np.array([0, 1, 0, 1], np.uint64)
        grp["target_node_id"].attrs["node_population"] = "cells"
        grp["edge_type_id"] = np.full(4, 100)
        grp["edge_group_id"] = np.zeros(4, int)
        grp["edge_group_index"] = np.arange(4)
        grp["0/syn_weight"] = [500.0, 500.0, -800.0, -800.0]
        grp["0/delay"] = [1.0, 1.0, 101.0, 101.0]  # the second spike's synapses act 100 ms later
    (net_dir / "node_types.csv").write_text("node_type_id model_type model_template dynamics_params\n"
                                             "1 point_neuron nest:iaf_psc_exp cell.json\n2 virtual NONE NONE\n")
    (net_dir / "edge_types.csv").write_text("edge_type_id model_template dynamics_params\n100 static_synapse NONE\n")
    (tmp_path / "components").mkdir()
    (tmp_path / "components" / "cell.json").write_text(json.dumps(
        {"C_m": 250.0, "E_L": -70.0, "V_th": -40.0, "V_reset": -70.0, "t_ref": 2.0, "tau_syn_ex": 2.0,
         "tau_syn_in": 5.0, "V_m": -70.0}))
    with h5py.File(tmp_path / "stim.h5", "w") as fh:
        fh["spikes/stim/timestamps"] = [10.0]
        fh["spikes/stim/node_ids"] = [0]
    (tmp_path / "circuit_config.json").write_text(json.dumps({
        "manifest": {"$BASE_DIR": ".", "$NETWORK_DIR": "$BASE_DIR/net"},
        "components": {"point_neuron_models_dir": "$BASE_DIR/components"},
        "networks": {"nodes": [{"nodes_file": "$NETWORK_DIR/nodes.h5", "node_types_file": "$NETWORK_DIR/node_types.csv"}],
                     "edges": [{"edges_file": "$NETWORK_DIR/edges.h5", "edge_types_file": "$NETWORK_DIR/edge_types.csv"}]}}))
    (tmp_path / "simulation_config.json").write_text(json.dumps({
        "network": "$BASE_DIR/circuit_config.json", "run": {"tstop": 200.0, "dt": 0.05},
        "inputs": {"stim_spikes": {"input_type": "spikes", "module": "h5", "input_file": "$BASE_DIR/stim.h5",
                                   "node_set": "stim"}}}))
    net = nl.Network.from_sonata(tmp_path)
    assert net.dt == 0.05 and net.sonata_tstop == 200.0
    cells = net.populations["cells"]
    np.testing.assert_array_equal(cells.model.tau_m, [10.0, 20.0])
    assert cells.model.c_m == 250.0 and cells.model.v_th == -40.0
    net.record("cells", "v")
    out = net.run(200.0)
    t, v = out.state("cells", "v")
    assert len(out.spikes["cells"]) == 0
    for k, tau_m in enumerate((10.0, 20.0)):
        up = v[t < 100.0, k].max() + 70.0
        down = v[t > 100.0, k].min() + 70.0
        assert up == pytest.approx(_psp_peak(500.0, 250.0, tau_m, 2.0), rel=2e-3)
        assert down == pytest.approx(_psp_peak(-800.0, 250.0, tau_m, 5.0), rel=2e-3)


def test_export_after_a_run_and_unwritable_inputs_are_refused(tmp_path):
    net = nl.Network(dt=0.1, seed=1)
    pop = net.add_population("P", nl.LIF(), 3)
    net.add_poisson_input(pop, rate=lambda t: 100.0 + 0 * t, weight=10.0)
    with pytest.raises(nl.ParameterError, match="time-varying rate"):
        net.to_sonata(tmp_path / "a")
    net = nl.Network(dt=0.1, seed=1)
    pop = net.add_population("P", nl.LIF(), 3)
    net.inject(pop, nl.Sinusoid(10.0, 5.0))
    with pytest.raises(nl.ParameterError, match="Sinusoid"):
        net.to_sonata(tmp_path / "b")
    net = nl.Network(dt=0.1, seed=1)
    net.add_population("P", nl.LIF(), 3)
    net.run(1.0)
    with pytest.raises(nl.ParameterError, match="before its first run"):
        net.to_sonata(tmp_path / "c")
