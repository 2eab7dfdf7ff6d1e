"""One cable section, fixed step: neuroladder vs NEURON 9 in the same run (issue 4).

HH: L = 1000 um, diam 1 um, Ra 100 ohm cm, 1001 segments, 100 ms at dt 0.025 ms; passive:
10,001 segments. Backward Euler in both (NEURON's default). A 1 nA, 1 ms pulse at x = 0.

    python benchmarks/bench_cable.py                # 3 interleaved rounds: neuroladder, NEURON, neuroladder, ...
    python benchmarks/bench_cable.py --rounds 5

First, the cold and warm first call (import plus a tiny active cable, ``_bench.py``). Each round runs
each simulator 3 times in a row and keeps its fastest run (both sides alike); the table
shows the median over rounds of those, with the range, so a slow spell of a shared machine hits both.

Also a branched cell: a synthetic SWC tree (written by this script with a fixed seed: a 3-point
soma, an axon and two dendritic trees branching 7 levels deep), hh everywhere, segments by the
d_lambda rule, 3 nA into the soma from 5 to 95 ms; NEURON reads the same file with Import3d.
"""

from __future__ import annotations

import functools
import os
import sys
import time

import numpy as np
from _bench import first_call, first_call_line, summary  # benchmarks/, the script's own folder

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "peers"))


def run_neuroladder(kind: str, nseg: int, duration: float = 100.0, dt: float = 0.025, repeat: int = 3) -> dict:
    import neuroladder as nl

    start = time.perf_counter()
    membrane = nl.HodgkinHuxley() if kind == "hh" else None
    cell = nl.Cell.cable(1000.0, 1.0, ra=100.0, g_pas=0.05, e_pas=-65.0, nseg=nseg, membrane=membrane)
    cell.add_clamp(0, 0.0, nl.Step(1.0, start=1.0, stop=2.0))
    build_s = time.perf_counter() - start
    nl.simulate(cell, dt, dt, method="backward_euler", record=[(0, 1.0)])  # load the compiled kernel
    best, res = float("inf"), None
    for _ in range(repeat):
        start = time.perf_counter()
        res = nl.simulate(cell, duration, dt, method="backward_euler", record=[(0, 1.0)])
        best = min(best, time.perf_counter() - start)
    return {"peer": "neuroladder", "version": nl.__version__, "kind": kind, "nseg": nseg, "build_s": build_s,
            "run_s": best, "v_far_max": float(res["v"].max())}


def write_tree_swc(path, depth: int = 7, seed: int = 1) -> None:
    """A branched SWC cell: 3-point soma (r 10 um), a 400 um axon, two binary dendritic trees."""
    import numpy as np

    rng = np.random.default_rng(seed)
    rows = [(1, 1, 0.0, 0.0, 0.0, 10.0, -1), (2, 1, 0.0, -10.0, 0.0, 10.0, 1), (3, 1, 0.0, 10.0, 0.0, 10.0, 1)]

    def add(t, x, y, z, r, parent):
        rows.append((len(rows) + 1, t, x, y, z, r, parent))
        return len(rows)

    last = 2
    for k in range(1, 9):  # axon down from the -y soma point
        last = add(2, 0.0, -10.0 - 50.0 * k, 0.0, 0.5, last)

    def grow(parent, x, y, angle, radius, level):
        node = parent
        for _ in range(4):  # 4 samples of 15 um per branch
            x, y = x + 15.0 * np.cos(angle), y + 15.0 * np.sin(angle)
            node = add(3, x, y, 0.0, radius, node)
        if level < depth:
            for turn in (-0.4, 0.4):
                grow(node, x, y, angle + turn + rng.normal(0, 0.1), max(radius * 0.8, 0.2), level + 1)

    grow(3, 0.0, 10.0, np.pi / 2 - 0.3, 1.5, 1)
    grow(3, 0.0, 10.0, np.pi / 2 + 0.3, 1.5, 1)
    with open(path, "w") as fh:
        fh.write("# synthetic branched cell written by benchmarks/bench_cable.py\n")
        for row in rows:
            fh.write("{:d} {:d} {:.3f} {:.3f} {:.3f} {:.3f} {:d}\n".format(*row))


def run_neuroladder_swc(path, duration=100.0, dt=0.025, repeat=3) -> dict:
    import neuroladder as nl

    start = time.perf_counter()
    cell = nl.Cell.from_swc(path, ra=100.0, membrane=nl.HodgkinHuxley())
    cell.add_clamp(0, 0.5, nl.Step(3.0, start=5.0, stop=95.0))
    build_s = time.perf_counter() - start
    nl.simulate(cell, dt, dt, method="backward_euler")
    best, res = float("inf"), None
    for _ in range(repeat):
        start = time.perf_counter()
        res = nl.simulate(cell, duration, dt, method="backward_euler", record=[(0, 0.5)])
        best = min(best, time.perf_counter() - start)
    v = res["v"]
    n_spikes = int(np.count_nonzero((v[:-1] < 0) & (v[1:] >= 0)))
    return {"peer": "neuroladder", "version": nl.__version__, "sections": len(cell.morphology), "segments": cell.n,
            "build_s": build_s, "run_s": best, "soma_spikes": n_spikes}


def interleaved(rounds: int, ours, peer) -> list[dict]:
    """Run ``ours()`` and ``peer()`` alternately ``rounds`` times (each returns its best-of-3 run); one
    :func:`_bench.summary` row each, the peer's left out if it is missing."""
    runs = {"ours": [], "peer": []}
    for _ in range(rounds):
        runs["ours"].append(ours())
        got = peer()
        if got is not None:
            runs["peer"].append(got)
    return [summary(r) for r in runs.values() if r]


def _speed(rows, r) -> str:
    lo, hi = r["run_s_min"], max(r["run_s_all"])
    return f"run {r['run_s']:7.3f} s ({lo:.3f}-{hi:.3f})  ({rows[0]['run_s'] / r['run_s']:5.2f}x neuroladder's speed)"


def main(argv=None) -> int:
    import argparse
    import tempfile

    from run_peer import run_peer

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3, help="interleaved rounds (median reported)")
    args = parser.parse_args(argv)
    print(first_call_line(*first_call("c = nl.Cell.cable(100.0, 1.0, nseg=11, membrane=nl.HodgkinHuxley()); "
                                      "nl.simulate(c, 0.1, 0.025, method='backward_euler')")))
    for kind, nseg in (("hh", 1001), ("pas", 10001)):
        rows = interleaved(args.rounds, functools.partial(run_neuroladder, kind, nseg),
                           functools.partial(run_peer, "neuron", "cable_neuron.py",
                                             ["--kind", kind, "--nseg", str(nseg), "--repeat", "3"]))
        print(f"\n{kind} cable, {nseg} segments, 100 ms at dt 0.025 ms, backward Euler, one thread; "
              f"median of {args.rounds} interleaved rounds of best-of-3")
        for r in rows:
            print(f"  {r['peer'] + ' ' + r['version']:<18} {_speed(rows, r)}  far-end peak {r['v_far_max']:7.2f} mV")
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "tree.swc")
        write_tree_swc(path)
        rows = interleaved(args.rounds, functools.partial(run_neuroladder_swc, path),
                           functools.partial(run_peer, "neuron", "swc_neuron.py", ["--swc", path, "--repeat", "3"]))
    print("\nbranched SWC cell, hh everywhere, d_lambda segments, 100 ms at dt 0.025 ms, backward Euler")
    for r in rows:
        print(f"  {r['peer'] + ' ' + r['version']:<18} {r['sections']:4d} sections {r['segments']:5d} segments  "
              f"{_speed(rows, r)}  soma spikes {r['soma_spikes']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
