"""Sweeps: resume after a kill with no point lost or computed twice; failures recorded; the same results
on local processes and on a Dask LocalCluster."""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

import neuroladder as nl
from neuroladder.cli import main
from neuroladder.sweeps import parse_grid, read_points

HERE = Path(__file__).resolve().parent
SPECS = HERE.parents[1] / "examples" / "specs"
SRC = HERE.parents[1] / "src"


def test_parse_grid():
    grid = parse_grid(["a.b=0:10:5", "n=1:4:4", "c=1,2.5,true,x"])
    assert grid == {"a.b": [0.0, 2.5, 5.0, 7.5, 10.0], "n": [1, 2, 3, 4], "c": [1, 2.5, True, "x"]}
    for bad in (["a"], ["a=1:2:x"], ["a=1:2:0"], ["a=1,2", "a=3"], []):
        with pytest.raises(nl.ParameterError):
            parse_grid(bad)


def _sweep_script(out: Path, xs: int, ys: int) -> str:
    return (f"import sys; sys.path[:0] = [{str(HERE)!r}, {str(SRC)!r}]\n"
            f"import neuroladder as nl, sweep_target\n"
            f"nl.sweep(sweep_target.slow_square, {{'x': list(range({xs})), 'y': list(range({ys}))}}, "
            f"out={str(out)!r}, executor='serial')\n")


@pytest.mark.slow  # ~7 s: two interpreter start-ups importing neuroladder, and 20 points of 0.15 s
def test_killed_sweep_resumes_without_losing_or_repeating_points(tmp_path):
    out, calls = tmp_path / "sweep", tmp_path / "calls.txt"
    env = {**os.environ, "NL_SWEEP_CALLS": str(calls), "NL_SWEEP_PAUSE": "0.15"}
    script = _sweep_script(out, 5, 4)  # 20 points, ~3 s serially
    proc = subprocess.Popen([sys.executable, "-c", script], env=env)
    deadline = time.time() + 60
    while time.time() < deadline and len(list((out / "points").glob("*.json"))) < 6:
        time.sleep(0.02)
    proc.kill()  # SIGKILL: no clean-up at all, the harshest interruption
    proc.wait()
    first = {p.stem for p in (out / "points").glob("*.json")}
    assert 6 <= len(first) < 20, "the sweep must be interrupted half-way"
    n_calls_first = len(calls.read_text().splitlines())
    subprocess.run([sys.executable, "-c", script], env=env, check=True)
    records = read_points(out)
    assert len(records) == 20 and {r["id"] for r in records} >= first
    # no point computed twice: the audit log names every point exactly once across both runs
    logged = [json.loads(line)["id"] for line in (out / "log.jsonl").read_text().splitlines()]
    assert sorted(logged) == sorted(r["id"] for r in records)
    # and the second run called the function only for points without a result (at most one call, the
    # one running when the kill came, was lost)
    second_calls = calls.read_text().splitlines()[n_calls_first:]
    assert len(second_calls) == 20 - len(first)
    called = {tuple(map(int, line.split()[1:])) for line in second_calls}
    finished_first = {(r["params"]["x"], r["params"]["y"]) for r in records if r["id"] in first}
    assert not called & finished_first
    # the values are x^2 + y, worked out here, not by the sweep
    with open(out / "summary.csv") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == 20
    assert all(float(r["value"]) == int(r["x"]) ** 2 + int(r["y"]) for r in rows)


def test_failing_point_is_recorded_and_the_rest_run(tmp_path):
    sys.path.insert(0, str(HERE))
    try:
        import sweep_target
        res = nl.sweep(sweep_target.fails_at_three, {"x": [1, 2, 3, 4]}, out=tmp_path, executor="serial")
    finally:
        sys.path.remove(str(HERE))
    assert (res.n_done, res.n_failed) == (4, 1)
    by_x = {r["params"]["x"]: r for r in res.records()}
    assert by_x[3]["status"] == "error" and "x = 3 is not allowed" in by_x[3]["error"]
    assert [by_x[x]["metrics"]["double"] for x in (1, 2, 4)] == [2, 4, 8]
    again = nl.sweep(sweep_target.fails_at_three, {"x": [1, 2, 3, 4]}, out=tmp_path, executor="serial")
    assert again.n_computed == 0
    with pytest.raises(nl.SpecError, match="different sweep"):
        nl.sweep(sweep_target.fails_at_three, {"x": [1, 2]}, out=tmp_path, executor="serial")


def test_spec_sweep_from_the_command_line_with_worker_processes(tmp_path):
    out = tmp_path / "hh"
    args = ["sweep", str(SPECS / "hh_step.toml"), "--grid", "neuron.stimulus.0.amplitude=0:12:3",
            "--grid", "duration=40,60", "--out", str(out), "--local", "2"]
    assert main(args) == 0
    with open(out / "summary.csv") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == 6
    # HH at 6.3 degC: no spike without input; a 12 uA/cm^2 step from 20 ms fires (onset 6.26 uA/cm^2)
    spikes = {(float(r["neuron.stimulus.0.amplitude"]), float(r["duration"])): int(r["n_spikes"]) for r in rows}
    assert spikes[(0.0, 40.0)] == 0 and spikes[(12.0, 60.0)] >= 2
    assert main(args) == 0  # resumes: nothing to do


@pytest.mark.slow  # a LocalCluster of 2 worker processes takes several seconds to start
def test_dask_local_cluster_gives_the_same_results_as_local_processes(tmp_path):
    pytest.importorskip("distributed")
    grid = {"neuron.stimulus.0.amplitude": [3.0, 8.0, 14.0], "seed": [1, 2]}
    spec = SPECS / "hh_step.toml"
    local = nl.sweep(spec, grid, out=tmp_path / "local", executor=("local", 2))
    dask = nl.sweep(spec, grid, out=tmp_path / "dask", executor=("dask", 2))
    assert local.n_done == dask.n_done == 6 and local.n_failed == dask.n_failed == 0
    a = {r["id"]: r["metrics"] for r in local.records()}
    b = {r["id"]: r["metrics"] for r in dask.records()}
    assert a == b
    pids = {r["worker_pid"] for r in dask.records()}
    assert os.getpid() not in pids  # really computed in the cluster's worker processes
    # a scheduler address, as for a cluster beyond this machine
    from distributed import LocalCluster

    with LocalCluster(n_workers=1, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        remote = nl.sweep(spec, grid, out=tmp_path / "address", executor=cluster.scheduler_address)
    assert {r["id"]: r["metrics"] for r in remote.records()} == a
