"""Each example spec in examples/specs/ gives exactly what the same thing built by hand in Python gives.

The expected values are not computed by the spec code: each test writes the Python a user would write
(``nl.simulate``, ``nl.Network``, ``nl.Cell``, ``nl.BrainNetwork``) and compares bit for bit.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

import neuroladder as nl
from neuroladder.cli import main
from neuroladder.io import load_spec, run_spec

SPECS = Path(__file__).resolve().parents[2] / "examples" / "specs"


def test_hh_step_spec_equals_python():
    run = run_spec(load_spec(SPECS / "hh_step.toml"), figures=False)
    res = nl.simulate(nl.HodgkinHuxley(temperature=6.3), duration=100.0, dt=0.01,
                      current=nl.Step(10.0, start=20.0, stop=80.0), method="exponential_euler",
                      record=("v", "m", "h", "n"))
    for name in ("v", "m", "h", "n"):
        np.testing.assert_array_equal(run.result[name], res[name])
    np.testing.assert_array_equal(run.result.spike_times, res.spike_times)
    # a 10 uA/cm^2 step is above HH's onset of repetitive firing (6.26 uA/cm^2, docs/models.md): it spikes
    assert run.metrics["n_spikes"] == len(res.spike_times) >= 3


def test_cuba_spec_equals_python():
    run = run_spec(load_spec(SPECS / "cuba.toml", {"duration": 150.0}), figures=False)
    rng = np.random.default_rng(1)
    net = nl.Network(dt=0.1, seed=rng)
    lif = nl.LIF(c_m=250.0, tau_m=20.0, e_l=-49.0, v_th=-50.0, v_reset=-60.0, t_ref=5.0)
    E = net.add_population("E", lif, 3200, v=rng.uniform(-60.0, -50.0, 3200))
    I = net.add_population("I", lif, 800, v=rng.uniform(-60.0, -50.0, 800))
    exc, inh = nl.ExpSynapse(5.0), nl.ExpSynapse(10.0)
    net.connect(E, E, "fixed_probability", p=0.02, weight=20.25, delay=0.1, synapse=exc, allow_autapses=False)
    net.connect(E, I, "fixed_probability", p=0.02, weight=20.25, delay=0.1, synapse=exc)
    net.connect(I, E, "fixed_probability", p=0.02, weight=-112.5, delay=0.1, synapse=inh)
    net.connect(I, I, "fixed_probability", p=0.02, weight=-112.5, delay=0.1, synapse=inh, allow_autapses=False)
    out = net.run(150.0)
    for pop in ("E", "I"):
        np.testing.assert_array_equal(run.result.spikes[pop].times, out.spikes[pop].times)
        np.testing.assert_array_equal(run.result.spikes[pop].ids, out.spikes[pop].ids)
    assert run.metrics["rate_hz"] > 0.0


def test_ball_and_stick_spec_equals_python():
    run = run_spec(load_spec(SPECS / "ball_and_stick.toml"), figures=False)
    cell = nl.Cell.ball_and_stick(20.0, 1000.0, 1.0, cm=1.0, ra=100.0, g_pas=0.05, e_pas=-65.0)
    cell.add_synapse("dend", 0.5, [5.0], 0.0005, nl.ExpSynapse(2.0, e_rev=0.0))
    res = nl.simulate(cell, 60.0, 0.025, method="crank_nicolson", record=[("soma", 0.5), ("dend", 0.5)])
    np.testing.assert_array_equal(run.result["v"], res["v"])
    # the EPSP attenuates on its way to the soma (cable theory: the soma is a current sink)
    assert run.metrics["site1_v_peak_mv"] > run.metrics["site0_v_peak_mv"] > -65.0


@pytest.mark.slow  # ~10 s: the brain network's kernel compiles for Jansen-Rit's equations in every process
def test_jansen_rit_brain_spec_equals_python():
    run = run_spec(load_spec(SPECS / "jansen_rit_brain.toml", {"duration": 1000.0}), figures=False)
    net = nl.BrainNetwork(nl.JansenRit(), SPECS / "connectome" / "weights.csv",
                          lengths=SPECS / "connectome" / "lengths.csv", velocity=5.0, coupling=1.0, output="y1", dt=0.1)
    res = net.run(1000.0, current=220.0, noise=10.0, seed=1, record=("y1", "y2"), record_dt=1.0)
    np.testing.assert_array_equal(run.result["y1"], res["y1"])
    np.testing.assert_array_equal(run.result["y2"], res["y2"])


def test_cli_runs_a_spec_and_writes_strict_json(tmp_path, capsys):
    assert main(["run", str(SPECS / "hh_step.toml"), "--out", str(tmp_path), "--json"]) == 0
    printed = json.loads(capsys.readouterr().out)
    assert printed["kind"] == "neuron" and printed["metrics"]["n_spikes"] >= 3
    assert (tmp_path / "metrics.json").is_file() and (tmp_path / "result.npz").is_file()
    assert (tmp_path / "hh_step_traces.png").stat().st_size > 1000
    assert main(["validate", str(SPECS / "cuba.toml")]) == 0
