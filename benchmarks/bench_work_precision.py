#!/usr/bin/env python
"""Work-precision: spike-time error against wall time, for every neuroladder method and NEURON.

    python benchmarks/bench_work_precision.py [--cells 1 1000] [--out docs/images/work_precision.png]

Problem (a): one Hodgkin-Huxley cell, NEURON's ``hh`` conventions (6.3 degC, el = -54.3 mV), a 10 uA/cm^2
step from t = 0 for 50 ms (4 spikes). Problem (b): the same for ``--cells`` independent cells at once
(population cost). Error: the largest spike-time difference (ms) from a converged reference, neuroladder's
RK4 at dt = 0.0005 ms (RK4's spike times change by < 1e-5 ms from dt = 0.001 to 0.0005). Wall time: best of
``--repeat`` runs, compilation excluded. NEURON runs in a subprocess (``peers/hh_neuron.py``'s model, one
section per cell, exact rates) when it imports; its spike times are rounded up to its step, which this
error includes, as a user of its NetCon sees it.

Prints a table (markdown) and writes a log-log plot.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import textwrap
import time

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
METHODS = ("exponential_euler", "exponential_midpoint", "rk4", "euler")
DTS = (0.05, 0.025, 0.01, 0.005, 0.0025)


def neuroladder_point(method, dt, cells, repeat, reference):
    import neuroladder as nl

    model = nl.HodgkinHuxley(e_l=-54.3)
    nl.simulate(model, 1.0, dt, current=10.0, n=cells, method=method, record=())     # compile
    best = np.inf
    for _ in range(repeat):
        start = time.perf_counter()
        res = nl.simulate(model, 50.0, dt, current=10.0, n=cells, method=method, record=(), progress=False)
        best = min(best, time.perf_counter() - start)
    first = res.spike_times if cells == 1 else res.spike_times[0]
    if len(first) != len(reference):
        return best, np.inf
    return best, float(np.max(np.abs(np.asarray(first) - reference)))


NEURON_CODE = textwrap.dedent("""
    import json, math, sys, time
    from neuron import h
    dt, cells, repeat = float(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
    h.load_file("stdrun.hoc"); h.celsius = 6.3; h.cvode_active(0); h.usetable_hh = 0; h.dt = dt
    side = math.sqrt(100.0 / math.pi)
    secs, stims, ncs = [], [], []
    times = h.Vector()
    for i in range(cells):
        s = h.Section(name=f"c{i}"); s.L = s.diam = side; s.nseg = 1; s.insert("hh")
        st = h.IClamp(s(0.5)); st.delay, st.dur, st.amp = 0.0, 1e9, 0.01
        nc = h.NetCon(s(0.5)._ref_v, None, sec=s); nc.threshold = 0.0
        if i == 0:
            nc.record(times)
        secs.append(s); stims.append(st); ncs.append(nc)
    best = 1e9
    for _ in range(repeat):
        h.finitialize(-65.0)
        t0 = time.perf_counter(); h.continuerun(50.0); best = min(best, time.perf_counter() - t0)
    print(json.dumps({"run_s": best, "spikes": list(times)[-4:] if len(times) >= 4 else list(times)}))
""")


def neuron_point(dt, cells, repeat, reference):
    try:
        out = subprocess.run([sys.executable, "-c", NEURON_CODE, str(dt), str(cells), str(repeat)],
                             capture_output=True, text=True, check=True, env={**os.environ, "OMP_NUM_THREADS": "1"})
    except (subprocess.CalledProcessError, FileNotFoundError):
        return None
    res = json.loads(out.stdout.strip().splitlines()[-1])
    spikes = np.asarray(res["spikes"])
    err = float(np.max(np.abs(spikes - reference))) if spikes.size == reference.size else np.inf
    return res["run_s"], err


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cells", type=int, nargs="+", default=[1, 1000])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--out", default=os.path.join(HERE, "..", "docs", "images", "work_precision.png"))
    parser.add_argument("--no-neuron", action="store_true")
    args = parser.parse_args()
    import neuroladder as nl

    ref = np.asarray(nl.simulate(nl.HodgkinHuxley(e_l=-54.3), 50.0, 0.0005, current=10.0, method="rk4").spike_times)
    rows = []
    for cells in args.cells:
        for method in METHODS:
            for dt in DTS:
                wall, err = neuroladder_point(method, dt, cells, args.repeat, ref)
                rows.append(("neuroladder " + method, cells, dt, wall, err))
                print(f"{cells:>6} {'neuroladder ' + method:<34} dt {dt:<7} {wall:9.4f} s  error {err:.2e} ms", flush=True)
        if not args.no_neuron:
            for dt in DTS:
                got = neuron_point(dt, cells, args.repeat, ref)
                if got is None:
                    print("NEURON not importable: skipped", flush=True)
                    break
                rows.append(("NEURON (staggered BE)", cells, dt, got[0], got[1]))
                print(f"{cells:>6} {'NEURON (staggered BE)':<34} dt {dt:<7} {got[0]:9.4f} s  error {got[1]:.2e} ms",
                      flush=True)
    print("\n| cells | simulator / method | dt (ms) | wall (s) | max spike-time error (ms) |\n|---|---|---|---|---|")
    for name, cells, dt, wall, err in rows:
        print(f"| {cells} | {name} | {dt} | {wall:.4f} | {err:.2e} |")
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, len(args.cells), figsize=(5.5 * len(args.cells), 4.2), squeeze=False)
    for ax, cells in zip(axes[0], args.cells):
        for name in dict.fromkeys(r[0] for r in rows):
            pts = [(r[3], r[4]) for r in rows if r[0] == name and r[1] == cells and np.isfinite(r[4])]
            if pts:
                ax.loglog(*zip(*pts), "o-", label=name)
        ax.set_xlabel("wall time (s)")
        ax.set_ylabel("max spike-time error (ms)")
        ax.set_title(f"HH, 10 uA/cm$^2$, 50 ms, {cells} cell(s)")
        ax.legend(fontsize=7)
    fig.tight_layout()
    fig.savefig(args.out, dpi=110)
    print(f"plot: {os.path.abspath(args.out)}")


if __name__ == "__main__":
    main()
