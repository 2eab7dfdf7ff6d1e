"""The ``neuroladder`` command (list, run, tour, --set, --json) and the HTML report.

Expected values come from outside the code: JSON validity from the standard library's strict
parser settings, the Tsodyks-Markram paired-pulse ratios from the model's closed form.
"""

from __future__ import annotations

import json
import math

import pytest

from neuroladder.cli import main
from neuroladder.experiments import registry, run


def _strict(text: str):
    """json.loads that rejects NaN/Infinity as RFC 8259 (and JavaScript's JSON.parse) do."""
    def refuse(token):
        raise ValueError(f"non-standard JSON token {token}")
    return json.loads(text, parse_constant=refuse)


def test_list_shows_every_experiment(capsys):
    assert main(["list"]) == 0
    out = capsys.readouterr().out
    for name in registry.REGISTRY:
        assert name in out


def test_run_json_is_strict_and_undefined_is_null(capsys, tmp_path):
    # izhikevich-patterns for 1 ms: no pattern fires twice, so the mean ISIs are undefined
    assert main(["run", "izhikevich-patterns", "--set", "duration=1", "--json", "--out", str(tmp_path)]) == 0
    doc = _strict(capsys.readouterr().out)
    assert doc["metrics"]["rs_mean_isi_ms"] is None
    assert "no ISI" in doc["notes"]["rs_mean_isi_ms"]
    assert doc["metrics"]["rs_spike_count"] == 0


def test_table_says_why_a_metric_is_missing(capsys, tmp_path):
    assert main(["run", "izhikevich-patterns", "--set", "duration=1", "--out", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "nan" not in out.lower()
    assert "n/a (0 spike(s) in 1 ms: no ISI)" in out


def test_set_parsing_and_typing(capsys, tmp_path):
    assert main(["run", "cable-steady-state", "--set", "length=500", "--set", "current=0.2", "--json",
                 "--out", str(tmp_path)]) == 0
    doc = _strict(capsys.readouterr().out)
    # sealed cable's input resistance r_inf coth(L/lambda) with lambda = 707 um: L halved -> larger R_in
    assert doc["metrics"]["input_resistance_mohm"] > 1100.0
    for bad in (["--set", "length"], ["--set", "nope=1"], ["--set", "length=abc"]):
        assert main(["run", "cable-steady-state", *bad]) == 2
        assert capsys.readouterr().err.startswith("neuroladder: error:")
    assert main(["run", "no-such-experiment"]) == 2


@pytest.mark.slow  # 39 s with an empty numba cache (the plastic, monitored engine plan); CI runs it
def test_stp_synapse_reports_psp_ratios_against_tsodyks_markram():
    m = run("stp-synapse", quick=True).metrics
    assert "cv_isi" not in m and "rate_hz" not in m  # the cell never fires: no rate or ISI to report
    # closed form at a 50 ms interval: depressing (U 0.5, tau_rec 800): PPR = 1 - (1 - U) e^(-50/800);
    # facilitating (U 0.1, tau_rec 100, tau_facil 1000): u2 = U + U (1 - U) e^(-50/1000),
    # x2 = 1 - U e^(-50/100), PPR = u2 x2 / U
    assert m["depressing_paired_pulse_ratio"] == pytest.approx(1 - 0.5 * math.exp(-50 / 800), rel=0.03)
    u2 = 0.1 + 0.1 * 0.9 * math.exp(-50 / 1000)
    assert m["facilitating_paired_pulse_ratio"] == pytest.approx(u2 * (1 - 0.1 * math.exp(-0.5)) / 0.1, rel=0.03)


@pytest.mark.slow
def test_hh_channel_block_refuses_a_rate_off_its_grid():
    # 0..30 in 4 points: 0, 10, 20, 30 has 10 on the grid; 0..30 in 3 points does not
    m = run("hh-channel-block", quick=False, n_currents=3, duration=50.0).metrics
    assert m["rate_at_10_control_hz"] is None


@pytest.mark.slow
def test_hh_channel_block_rate_at_10():
    m = run("hh-channel-block", quick=False, n_currents=4, duration=200.0).metrics
    # HH at 10 uA/cm^2 fires repetitively at ~68 Hz (Hodgkin & Huxley 1952 model, 6.3 degC; Rinzel 1978)
    assert 60.0 < m["rate_at_10_control_hz"] < 80.0
    assert m["rate_at_10_ttx_hz"] == 0.0


def test_tour_writes_a_report(monkeypatch, tmp_path, capsys):
    import neuroladder.experiments as experiments

    one = {"cable-steady-state": registry.REGISTRY["cable-steady-state"]}
    monkeypatch.setattr(registry, "REGISTRY", one)
    monkeypatch.setattr(experiments, "REGISTRY", one)
    assert main(["tour", "--quick", "--jobs", "1", "--out", str(tmp_path)]) == 0
    html = (tmp_path / "index.html").read_text()
    assert "cable-steady-state" in html and "input_resistance_mohm" in html
    assert "1 of 1 experiments succeeded" in capsys.readouterr().out


def test_strict_json_writes_null_for_every_non_finite_value():
    import numpy as np

    from neuroladder.report import strict_json

    text = strict_json.dumps({"a": float("nan"), "b": np.float64("inf"), "c": [1.0, -np.inf],
                              "d": np.array([1, 2]), "e": np.int64(3)})
    assert _strict(text) == {"a": None, "b": None, "c": [1.0, None], "d": [1, 2], "e": 3}
