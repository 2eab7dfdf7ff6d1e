"""CUBA, COBA and COBAHH (Brette et al. 2007 benchmarks 2, 1 and 3): neuroladder vs Brian2 standalone and NEST.

4000 neurons (LIF; Traub-Miles HH for COBAHH), 2 % connectivity, dt = 0.1 ms, one thread, in the same
run. Reports rate and
ISI CV (so the networks can be seen to be the same) and construction/simulation seconds.

    python benchmarks/bench_vogels_abbott.py                     # 10 s of biological time
    python benchmarks/bench_vogels_abbott.py --duration 1000 --no-peers
    python benchmarks/bench_vogels_abbott.py --models cuba coba --peers brian2 --repeat 5 --euler

``first_call_s`` in the JSON: the engine's first call, a cache load (or its compilation with an empty
``NUMBA_CACHE_DIR``; see bench_cold_start.py for the cold start of a fresh install).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time

from _bench import summary  # benchmarks/, the script's own folder

# one thread, as the peers get (run_peer.py): an idle OpenBLAS pool left by the network's construction
# otherwise spins on the second core
for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "peers"))


def run_neuroladder(kind: str, duration: float, seed: int, method: str = "auto") -> dict:
    import neuroladder as nl
    from neuroladder.experiments.networks import cobahh_network, vogels_abbott

    start = time.perf_counter()
    if kind == "cobahh":
        # pinned to Brian2's method (its COBAHH example's exponential Euler), as measured before issue 21 made
        # the exponential midpoint the Traub-Miles default: same-method rows, comparable across versions
        method = "exponential_euler" if method == "auto" else method
        net = cobahh_network(seed, method=method)
    else:
        net = vogels_abbott(kind, seed, method=method)
    net._build()
    build_s = time.perf_counter() - start
    start = time.perf_counter()
    net.run(0.1)  # load (or, with an empty NUMBA_CACHE_DIR, compile) the engine before timing
    first_call_s = time.perf_counter() - start
    out = net.run(duration)
    label = "neuroladder" if method in ("auto", "exponential_euler") else f"neuroladder ({method})"
    return {"peer": label, "version": nl.__version__,
            "model": kind, "method": method, "build_s": build_s, "first_call_s": first_call_s,
            "run_s": out.run_s, "rate_hz": out.rate_hz(), "cv_isi": out.cv_isi(),
            "bytes_per_synapse": net.memory_per_synapse(), "synapses": net.n_synapses}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--duration", type=float, default=10_000.0, help="ms of biological time")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--models", nargs="+", default=["cuba", "coba", "cobahh"])
    parser.add_argument("--no-peers", action="store_true")
    parser.add_argument("--peers", nargs="+", default=["brian2", "nest"], help="peers to run (default: both)")
    parser.add_argument("--repeat", type=int, default=1,
                        help="runs of each simulator, interleaved (neuroladder, peers, neuroladder, ...), so that a "
                             "shared machine's slow spells hit all of them; the table shows the median and minimum")
    parser.add_argument("--euler", action="store_true",
                        help="also run COBA with forward Euler in neuroladder and Brian2 (Brian2's automatic choice "
                             "for these equations; less accurate than the exponential Euler of the other rows)")
    parser.add_argument("--json")
    args = parser.parse_args(argv)
    rows = []
    for kind in args.models:
        runs: dict[str, list] = {"neuroladder": []}
        euler = args.euler and kind == "coba"
        for _ in range(max(1, args.repeat)):
            runs["neuroladder"].append(run_neuroladder(kind, args.duration, args.seed))
            if euler:
                runs.setdefault("neuroladder (euler)", []).append(
                    run_neuroladder(kind, args.duration, args.seed, method="euler"))
            if args.no_peers:
                continue
            from run_peer import run_peer

            jobs = [(peer, peer, []) for peer in args.peers]
            if euler and "brian2" in args.peers:
                jobs.append(("brian2 (euler)", "brian2", ["--method", "euler"]))
            for label, peer, extra in jobs:
                res = run_peer(peer, f"{kind}_{peer}.py",
                               ["--duration", str(args.duration), "--seed", str(args.seed)] + extra)
                if res is not None:
                    res["peer"] = label
                    runs.setdefault(label, []).append(res)
        group = [summary(r) for r in runs.values()]
        ours = group[0]["run_s"]
        # the forward-Euler rows are also compared with neuroladder's forward-Euler run (same integrator)
        ours_euler = next((r["run_s"] for r in group if r["peer"] == "neuroladder (euler)"), None)
        for r in group:
            r["run_over_ours"] = r["run_s"] / ours
            same = ours_euler if r["peer"].endswith("(euler)") and ours_euler else ours
            r["run_over_ours_same_method"] = r["run_s"] / same
        print(f"\n{kind.upper()}: 4000 neurons, {args.duration / 1000:g} s biological time, dt 0.1 ms, one thread"
              + (f"; median (min) of {args.repeat} interleaved runs" if args.repeat > 1 else ""))
        print(f"  {'simulator':<22} {'build (s)':>9} {'run (s)':>8} {'min (s)':>8} {'rate (Hz)':>9} {'CV ISI':>7} "
              f"{'run / ours':>10} {'same method':>11}")
        for r in group:
            print(f"  {r['peer'] + ' ' + str(r.get('version', '')):<22} {r['build_s']:9.2f} {r['run_s']:8.3f} "
                  f"{r['run_s_min']:8.3f} {r['rate_hz']:9.2f} {r['cv_isi']:7.3f} {r['run_over_ours']:9.2f}x "
                  f"{r['run_over_ours_same_method']:10.2f}x")
        if ours_euler:
            print("  run / ours: against neuroladder's default (exponential Euler); same method: the (euler) rows "
                  "against neuroladder (euler)")
        rows.extend(group)
    if args.json:
        with open(args.json, "w") as fh:
            json.dump(rows, fh, indent=2)
    return 0


if __name__ == "__main__":
    sys.exit(main())
