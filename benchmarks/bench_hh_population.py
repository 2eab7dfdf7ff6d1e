"""10,000 independent Hodgkin-Huxley neurons, 10 uA/cm^2, 100 ms: neuroladder vs Brian2, NEURON, NEST.

Runs neuroladder in this process and each peer simulator (when installed by
``peers/setup_peers.sh``) in its own virtual environment, in the same run, one
thread each, and prints neuron-steps per second and the speed ratios.

    python benchmarks/bench_hh_population.py                 # n=10000, dt=0.01 and 0.025
    python benchmarks/bench_hh_population.py --n 1000 --repeat 1 --no-peers
    python benchmarks/bench_hh_population.py --peers brian2 --rounds 3    # interleaved, on a shared machine
    NEUROLADDER_PEERS=/path/to/venvs python benchmarks/bench_hh_population.py --json out.json

Timing: ``run_s`` is the simulation alone (best of ``--repeat``); neuroladder's first-call
numba compile time is measured separately in a fresh process (``compile_s``).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import time

from _bench import first_call, first_call_line  # benchmarks/, the script's own folder

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "peers"))

PEERS = {"brian2": "hh_brian2.py", "neuron": "hh_neuron.py", "nest": "hh_nest.py"}


def run_neuroladder(n: int, dt: float, duration: float, current: float, repeat: int, method: str = "auto") -> dict:
    import neuroladder as nl

    model = nl.HodgkinHuxley()
    best = float("inf")
    spikes = None
    for _ in range(repeat):
        start = time.perf_counter()
        res = nl.simulate(model, duration, dt, current=current, n=n, record=(), progress=False, method=method)
        best = min(best, time.perf_counter() - start)
        spikes = int(res.spike_counts.sum())
    return {"peer": "neuroladder", "version": nl.__version__, "n": n, "dt": dt, "duration": duration,
            "run_s": best, "spikes": spikes, "method": res.method}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=10_000)
    parser.add_argument("--dt", type=float, nargs="+", default=[0.01, 0.025])
    parser.add_argument("--duration", type=float, default=100.0)
    parser.add_argument("--current", type=float, default=10.0)
    parser.add_argument("--repeat", type=int, default=3, help="neuroladder repetitions (best is kept)")
    parser.add_argument("--no-peers", action="store_true")
    parser.add_argument("--peers", nargs="+", default=list(PEERS), choices=list(PEERS))
    parser.add_argument("--rounds", type=int, default=1,
                        help="interleaved rounds (neuroladder, peers, neuroladder, ...); each simulator's fastest "
                             "run is kept, so a shared machine's busy spells hit all of them")
    parser.add_argument("--method", default="auto", help="neuroladder's method (auto: exponential_midpoint since "
                        "issue 21; exponential_euler for the figures measured before it)")
    parser.add_argument("--json", help="write all results to this file")
    args = parser.parse_args(argv)

    os.environ.setdefault("NUMBA_NUM_THREADS", "1")
    rows = []
    compile_s, warm_s = first_call("nl.simulate(nl.HodgkinHuxley(), 0.1, 0.01, current=10.0, n=2, record=(), "
                                   "progress=False)")
    print(f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, Python "
          f"{platform.python_version()}; {first_call_line(compile_s, warm_s)}")
    for dt in args.dt:
        steps = args.n * round(args.duration / dt)
        best: dict[str, dict] = {}
        for _ in range(max(1, args.rounds)):
            runs = [run_neuroladder(args.n, dt, args.duration, args.current, args.repeat, args.method)]
            if not args.no_peers:
                from run_peer import run_peer

                for name in args.peers:
                    extra = ["--runs", str(args.repeat)] if name == "brian2" else []
                    res = run_peer(name, PEERS[name], ["--n", str(args.n), "--dt", str(dt), "--duration",
                                                       str(args.duration), "--current", str(args.current)] + extra)
                    if res is not None:
                        runs.append(res)
            for r in runs:
                if r["peer"] not in best or r["run_s"] < best[r["peer"]]["run_s"]:
                    best[r["peer"]] = r
        group = list(best.values())
        ours = group[0]["run_s"]
        fastest_peer = min((r["run_s"] for r in group[1:]), default=float("nan"))
        print(f"\nn = {args.n}, dt = {dt} ms, {args.duration:g} ms: {steps:.3g} neuron-steps")
        print(f"  {'simulator':<12} {'run (s)':>9} {'Mstep/s':>9} {'spikes/n':>9} {'vs neuroladder':>15}")
        for r in group:
            ratio = r["run_s"] / ours
            spk = r.get("spikes")
            spk_txt = f"{spk / args.n:9.2f}" if spk is not None else f"{'-':>9}"
            print(f"  {r['peer'] + ' ' + str(r.get('version', '')):<12} {r['run_s']:9.3f} "
                  f"{steps / r['run_s'] / 1e6:9.1f} {spk_txt} {ratio:14.2f}x")
        if len(group) > 1:  # (no peer ran: nothing to compare)
            print(f"  neuroladder speed-up over the fastest peer: {fastest_peer / ours:.2f}x")
        for r in group:
            r["neuron_steps_per_s"] = steps / r["run_s"]
        rows.extend(group)
    if args.json:
        with open(args.json, "w") as fh:
            json.dump({"compile_s": compile_s, "cached_start_s": warm_s, "machine": platform.machine(), "cpu_count": os.cpu_count(),
                       "results": rows}, fh, indent=2)
    return 0


if __name__ == "__main__":
    sys.exit(main())
