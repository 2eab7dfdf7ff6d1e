"""CUBA, COBA and COBAHH (Brette et al. 2007 benchmarks 2, 1 and 3): neuroladder vs Brian2 standalone and NEST.

4000 neurons (LIF; Traub-Miles HH for COBAHH), 2 % connectivity, dt = 0.1 ms, one thread, in the same
run. Reports rate and
ISI CV (so the networks can be seen to be the same) and construction/simulation seconds.

    python benchmarks/bench_vogels_abbott.py                     # 10 s of biological time
    python benchmarks/bench_vogels_abbott.py --duration 1000 --no-peers
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time

# one thread, as the peers get (run_peer.py): an idle OpenBLAS pool left by the network's construction
# otherwise spins on the second core
for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "peers"))


def run_neuroladder(kind: str, duration: float, seed: int) -> dict:
    import neuroladder as nl
    from neuroladder.experiments.networks import cobahh_network, vogels_abbott

    start = time.perf_counter()
    net = cobahh_network(seed) if kind == "cobahh" else vogels_abbott(kind, seed)
    net._build()
    build_s = time.perf_counter() - start
    net.run(0.1)  # load the compiled engine before timing
    out = net.run(duration)
    return {"peer": "neuroladder", "version": nl.__version__, "model": kind, "build_s": build_s,
            "run_s": out.run_s, "rate_hz": out.rate_hz(), "cv_isi": out.cv_isi(),
            "bytes_per_synapse": net.memory_per_synapse(), "synapses": net.n_synapses}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--duration", type=float, default=10_000.0, help="ms of biological time")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--models", nargs="+", default=["cuba", "coba", "cobahh"])
    parser.add_argument("--no-peers", action="store_true")
    parser.add_argument("--json")
    args = parser.parse_args(argv)
    rows = []
    for kind in args.models:
        group = [run_neuroladder(kind, args.duration, args.seed)]
        if not args.no_peers:
            from run_peer import run_peer

            for peer in ("brian2", "nest"):
                res = run_peer(peer, f"{kind}_{peer}.py", ["--duration", str(args.duration), "--seed", str(args.seed)])
                if res is not None:
                    group.append(res)
        ours = group[0]["run_s"]
        print(f"\n{kind.upper()}: 4000 neurons, {args.duration / 1000:g} s biological time, dt 0.1 ms, one thread")
        print(f"  {'simulator':<18} {'build (s)':>9} {'run (s)':>8} {'rate (Hz)':>9} {'CV ISI':>7} {'run / ours':>10}")
        for r in group:
            print(f"  {r['peer'] + ' ' + str(r.get('version', '')):<18} {r['build_s']:9.2f} {r['run_s']:8.3f} "
                  f"{r['rate_hz']:9.2f} {r['cv_isi']:7.3f} {r['run_s'] / ours:9.2f}x")
        rows.extend(group)
    if args.json:
        with open(args.json, "w") as fh:
            json.dump(rows, fh, indent=2)
    return 0


if __name__ == "__main__":
    sys.exit(main())
