#!/usr/bin/env python
"""Work-precision: error against a converged reference versus wall time, neuroladder and its peers.

    python benchmarks/bench_work_precision.py                       # all four cases, all peers found
    python benchmarks/bench_work_precision.py --cases a c --peers neuron --repeat 3

Cases (issue 21):

(a) one Hodgkin-Huxley cell, NEURON's ``hh`` conventions (6.3 degC, el = -54.3 mV), a 10 uA/cm^2 step
    from t = 0 for 50 ms (4 spikes). Error: the largest difference of the four 0 mV crossing times (ms)
    from neuroladder's RK4 at dt = 0.0005 ms (its spike times change by < 1e-5 ms from dt 0.001 to
    0.0005; NEURON 9.0.2 at dt 0.001 gives the same times to 0.001 ms, tests/core/test_convergence.py).
(b) the same for ``--cells-b`` (default 10,000) independent cells at once: the population's cost, the
    error of cell 0.
(c) the HH cable of ``bench_cable.py``: L 1000 um, diam 1 um, Ra 100 ohm cm, 1001 segments, a 1 nA pulse
    at x = 0 from 1 to 2 ms, 100 ms. Error: the largest difference of the 0 mV crossing times at x = 0.5
    and x = 1 from neuroladder's Crank-Nicolson at dt = 0.0005 ms (second order: its own error there
    ~1.6e-6 ms; NEURON's secondorder = 2 with exact rates reproduces this scheme's crossings to 1e-5 ms
    at every dt, tests/cable/test_cable_accuracy.py).
(d) one LIF neuron of the CUBA benchmark (Brian2's ``examples/CUBA.py``) driven for 1 s by 125 fixed
    Poisson trains on a 0.1 ms grid (100 excitatory at 20 Hz, 25 inhibitory at 8 Hz; delay 0.1 ms),
    14 spikes. Error: the largest spike-time difference from the exact solution
    (``lif_exact.exact_spikes``: closed form between inputs, Brent's method for the crossings; NEST's
    precise ``iaf_psc_exp_ps`` agrees with it to 1e-12 ms).

Every crossing time is linearly interpolated between the samples of the step grid, for every simulator
(``peers/hh_common.crossings``), so the error is the integrator's, not a spike-detection rule's; case (d)
takes each simulator's own spike times, as its user gets them (NEST's iaf_psc_exp and Brian2 report the
step). A different spike count counts as a failure (error inf, left out of the plot). Wall time:
neuroladder the best of ``--repeat`` runs, compilation excluded; peers the simulation call alone, best of
``--repeat`` runs for NEURON and NEST, one run for Brian2 (each dt is a new standalone build, compile
excluded). One thread everywhere. Peers run in their own venvs (``peers/setup_peers.sh``) via
``peers/run_peer.py``; a missing peer is skipped.

Prints one markdown table per case and writes a log-log plot (one panel per case).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "peers"))
sys.path.insert(0, HERE)

HH_METHODS = ("exponential_euler", "exponential_midpoint", "rk4", "euler")
CABLE_METHODS = ("backward_euler", "crank_nicolson", "exponential_euler")
LIF_METHODS = ("exponential_euler", "exponential_midpoint", "rk4", "euler")
DTS = {"a": (0.05, 0.025, 0.01, 0.005, 0.0025), "b": (0.05, 0.025, 0.01, 0.005),
       "c": (0.1, 0.0625, 0.05, 0.025, 0.0125, 0.005), "d": (0.1, 0.05, 0.025, 0.01)}
TITLES = {"a": "HH cell, 10 uA/cm$^2$, 50 ms", "b": "{cells} HH cells, 50 ms",
          "c": "HH cable, 1001 segments, 100 ms", "d": "CUBA LIF, Poisson input, 1 s"}


def spike_error(got, reference):
    got = np.asarray(got if got is not None else [], dtype=float)
    return float(np.max(np.abs(got - reference))) if got.size == reference.size else np.inf


def best_of(repeat, fn):
    best, out = np.inf, None
    for _ in range(repeat):
        start = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - start)
    return best, out


# ---------------------------------------------------------------- (a), (b): HH cells
def hh_reference():
    import neuroladder as nl

    return np.asarray(nl.simulate(nl.HodgkinHuxley(e_l=-54.3), 50.0, 0.0005, current=10.0, method="rk4").spike_times)


def hh_neuroladder(method, dt, cells, repeat):
    import neuroladder as nl

    model = nl.HodgkinHuxley(e_l=-54.3)
    # compile / load, spike path included (the first spike is at 1.9 ms; kernels compile lazily)
    nl.simulate(model, 5.0, dt, current=10.0, n=cells, method=method, record=())
    wall, res = best_of(repeat, lambda: nl.simulate(model, 50.0, dt, current=10.0, n=cells, method=method,
                                                    record=(), progress=False))
    return wall, (res.spike_times if cells == 1 else res.spike_times[0])


def hh_peer(peer, dt, cells, repeat):
    from run_peer import run_peer

    script = {"neuron": "hh_neuron.py", "brian2": "hh_brian2.py", "nest": "hh_nest.py"}[peer]
    best, first = np.inf, None
    for _ in range(1 if peer == "brian2" else repeat):
        res = run_peer(peer, script, ["--n", str(cells), "--dt", str(dt), "--duration", "50", "--current", "10",
                                      "--el", "-54.3", "--trace-first"])
        if res is None:
            return None
        best, first = min(best, res["run_s"]), res["first_spikes"]
    label = {"neuron": "NEURON (BE + cnexp, rate tables)", "brian2": "Brian2 standalone (exponential_euler)",
             "nest": "NEST hh_psc_alpha (GSL RKF45)"}[peer]
    return label, best, first


# ---------------------------------------------------------------- (c): the HH cable
def cable_cell(nseg=1001):
    import neuroladder as nl

    cell = nl.Cell.cable(1000.0, 1.0, ra=100.0, g_pas=0.05, e_pas=-65.0, nseg=nseg, membrane=nl.HodgkinHuxley())
    cell.add_clamp(0, 0.0, nl.Step(1.0, start=1.0, stop=2.0))
    return cell


def cable_crossings(res):
    from neuroladder.cable.measure import crossing_time

    return np.array([crossing_time(res.t, res["v"][:, 0]), crossing_time(res.t, res["v"][:, 1])])


def cable_reference():
    import neuroladder as nl

    return cable_crossings(nl.simulate(cable_cell(), 6.0, 0.0005, method="crank_nicolson",
                                       record=[(0, 0.5), (0, 1.0)]))


def cable_neuroladder(method, dt, repeat):
    import neuroladder as nl

    cell = cable_cell()
    try:
        nl.simulate(cell, dt, dt, method=method, record=[(0, 1.0)])
        wall, res = best_of(repeat, lambda: nl.simulate(cell, 100.0, dt, method=method,
                                                        record=[(0, 0.5), (0, 1.0)]))
    except nl.SimulationDiverged:
        return None
    return wall, cable_crossings(res)


def cable_peer(secondorder, dt, repeat):
    from run_peer import run_peer

    res = run_peer("neuron", "cable_neuron.py", ["--secondorder", str(secondorder), "--dt", str(dt),
                                                 "--duration", "100", "--repeat", str(repeat)])
    if res is None:
        return None
    label = "NEURON backward Euler (default, tables)" if secondorder == 0 else "NEURON secondorder=2 (CN, tables)"
    crossings = np.array([np.nan if res[k] is None else res[k] for k in ("t_mid", "t_far")])
    return label, res["run_s"], crossings


# ---------------------------------------------------------------- (d): CUBA's LIF
def lif_setup():
    from lif_exact import cuba_inputs, exact_spikes

    trains = cuba_inputs()
    return trains, exact_spikes(trains, 100, 1.62 * 250.0 / 20.0, -9.0 * 250.0 / 20.0, 1000.0)


def lif_network(trains, method, dt):
    import neuroladder as nl

    net = nl.Network(dt=dt, seed=1)
    pop = net.add_population("P", nl.LIF(c_m=250.0, tau_m=20.0, e_l=-49.0, v_th=-50.0, v_reset=-60.0, t_ref=5.0),
                             1, method=method, v=-60.0)
    exc = net.add_spike_generator("E", trains[:100])
    inh = net.add_spike_generator("I", trains[100:])
    net.connect(exc, pop, weight=1.62 * 250.0 / 20.0, delay=0.1, synapse=nl.ExpSynapse(5.0))
    net.connect(inh, pop, weight=-9.0 * 250.0 / 20.0, delay=0.1, synapse=nl.ExpSynapse(10.0))
    net._build()
    return net


def lif_neuroladder(trains, method, dt, repeat):
    lif_network(trains, method, dt).run(100.0)  # compile / load, spike path included (first spike 18 ms)
    best, spikes = np.inf, None
    for _ in range(repeat):
        net = lif_network(trains, method, dt)
        start = time.perf_counter()
        out = net.run(1000.0)
        best = min(best, time.perf_counter() - start)
        spikes = np.sort(out.spikes["P"].times)
    return best, spikes


def lif_peer(peer, variant, dt, repeat, inputs_path):
    from run_peer import run_peer

    if peer == "brian2":
        res = run_peer("brian2", "lif_brian2.py", ["--inputs", inputs_path, "--dt", str(dt)])
        return None if res is None else ("Brian2 standalone (exact)", res["run_s"], res["spikes"])
    best, spikes = np.inf, None
    for _ in range(repeat):
        res = run_peer("nest", "lif_nest.py", ["--inputs", inputs_path, "--dt", str(dt), "--model", variant])
        if res is None:
            return None
        best, spikes = min(best, res["run_s"]), res["spikes"]
    return f"NEST {variant}", best, spikes


# ---------------------------------------------------------------- driver
def run_case(case, args, rows):
    import neuroladder as nl

    def add(name, dt, wall, err):
        rows.append((case, name, dt, wall, err))
        print(f"({case}) {name:<44} dt {dt:<7} {wall:9.4f} s  error {err:.2e} ms", flush=True)

    peers = set(args.peers)
    if case in ("a", "b"):
        cells = 1 if case == "a" else args.cells_b
        repeat = args.repeat if case == "a" else 1
        ref = hh_reference()
        for dt in DTS[case]:
            for method in HH_METHODS:
                wall, spikes = hh_neuroladder(method, dt, cells, repeat)
                add("neuroladder " + method, dt, wall, spike_error(spikes, ref))
            for peer in ("neuron", "brian2", "nest"):
                if peer == "nest" and (abs(dt / 0.001 - round(dt / 0.001)) > 1e-9 or (case == "b" and dt < 0.025)):
                    continue  # NEST's resolution must be a multiple of its tic, 0.001 ms; its adaptive RKF45
                    # makes its error nearly independent of dt, and 10,000 cells take it ~40 s per 0.01 ms
                if peer in peers and (got := hh_peer(peer, dt, cells, repeat)) is not None:
                    add(got[0], dt, got[1], spike_error(got[2], ref))
    elif case == "c":
        ref = cable_reference()
        for dt in DTS[case]:
            for method in CABLE_METHODS:
                got = cable_neuroladder(method, dt, args.repeat)
                if got is None:
                    print(f"(c) neuroladder {method} dt {dt}: diverged (explicit axial current)", flush=True)
                    continue
                add("neuroladder " + method, dt, got[0], float(np.max(np.abs(got[1] - ref))))
            if "neuron" in peers:
                for secondorder in (0, 2):
                    got = cable_peer(secondorder, dt, args.repeat)
                    if got is not None:
                        add(got[0], dt, got[1], float(np.max(np.abs(got[2] - ref))))
    else:
        trains, ref = lif_setup()
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, "inputs.json")
            with open(path, "w") as fh:
                json.dump({"n_exc": 100, "trains": [list(map(float, t)) for t in trains]}, fh)
            for dt in DTS[case]:
                for method in LIF_METHODS:
                    wall, spikes = lif_neuroladder(trains, method, dt, args.repeat)
                    add("neuroladder " + method, dt, wall, spike_error(spikes, ref))
                for peer, variant in (("brian2", ""), ("nest", "iaf_psc_exp"), ("nest", "iaf_psc_exp_ps")):
                    if peer in peers and (got := lif_peer(peer, variant, dt, args.repeat, path)) is not None:
                        add(got[0], dt, got[1], spike_error(got[2], ref))
    del nl


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cases", nargs="+", choices=("a", "b", "c", "d"), default=["a", "b", "c", "d"])
    parser.add_argument("--cells-b", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--peers", nargs="*", default=["neuron", "brian2", "nest"])
    parser.add_argument("--out", default=os.path.join(HERE, "..", "docs", "images", "work_precision.png"))
    parser.add_argument("--json", help="also write the rows (case, simulator, dt, wall_s, error_ms) to this file")
    args = parser.parse_args(argv)
    rows = []
    for case in args.cases:
        run_case(case, args, rows)
    for case in args.cases:
        print(f"\n({case}) {TITLES[case].format(cells=args.cells_b).replace('$^2$', '^2')}\n")
        print("| simulator / method | dt (ms) | wall (s) | error (ms) |\n|---|---|---|---|")
        for _, name, dt, wall, err in (r for r in rows if r[0] == case):
            print(f"| {name} | {dt} | {wall:.4f} | {err:.2e} |" if np.isfinite(err) else
                  f"| {name} | {dt} | {wall:.4f} | spike count differs |")
    if args.json:
        with open(args.json, "w") as fh:
            json.dump([{"case": c, "simulator": n, "dt": dt, "wall_s": w, "error_ms": e if np.isfinite(e) else None}
                       for c, n, dt, w, e in rows], fh, indent=1)
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, len(args.cases), figsize=(5.2 * len(args.cases), 4.4), squeeze=False)
    for ax, case in zip(axes[0], args.cases):
        for name in dict.fromkeys(r[1] for r in rows if r[0] == case):
            pts = sorted((r[3], r[4]) for r in rows if r[0] == case and r[1] == name and np.isfinite(r[4]))
            if pts:
                ax.loglog(*zip(*pts), "o-" if name.startswith("neuroladder") else "s--", label=name, ms=4)
        ax.set_xlabel("wall time (s)")
        ax.set_ylabel("max spike-time error (ms)")
        ax.set_title(f"({case}) " + TITLES[case].format(cells=args.cells_b), fontsize=9)
        ax.legend(fontsize=6)
    fig.tight_layout()
    fig.savefig(args.out, dpi=110)
    print(f"plot: {os.path.abspath(args.out)}")


if __name__ == "__main__":
    main()
