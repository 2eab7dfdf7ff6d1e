"""One cable section, fixed step: neuroladder vs NEURON 9 in the same run (issue 4).

HH: L = 1000 um, diam 1 um, Ra 100 ohm cm, 1001 segments, 100 ms at dt 0.025 ms; passive:
10,001 segments. Backward Euler in both (NEURON's default). A 1 nA, 1 ms pulse at x = 0.

    python benchmarks/bench_cable.py
"""

from __future__ import annotations

import os
import sys
import time

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


def main() -> int:
    from run_peer import run_peer

    for kind, nseg in (("hh", 1001), ("pas", 10001)):
        rows = [run_neuroladder(kind, nseg)]
        peer = run_peer("neuron", "cable_neuron.py", ["--kind", kind, "--nseg", str(nseg)])
        if peer is not None:
            rows.append(peer)
        print(f"\n{kind} cable, {nseg} segments, 100 ms at dt 0.025 ms, backward Euler, one thread")
        for r in rows:
            print(f"  {r['peer'] + ' ' + r['version']:<18} run {r['run_s']:7.3f} s  "
                  f"({rows[0]['run_s'] / r['run_s']:5.2f}x neuroladder's speed)  far-end peak {r['v_far_max']:7.2f} mV")
    return 0


if __name__ == "__main__":
    sys.exit(main())
