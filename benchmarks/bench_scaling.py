"""Scaling series: the CUBA network with a fixed in-degree of 80 (64 excitatory + 16 inhibitory inputs,
the 2 % of 4000 of Brette et al. 2007), N = 4k ... 256k neurons, 1 s of biological time, dt 0.1 ms.

Reports construction time, seconds per simulated second, that per neuron, the engine's bytes per
synapse and the resident memory of the process (with both thread counts' networks of a size alive),
for 1 and 2 threads (``Network(threads=...)``; the spikes are identical, and checked to be). With ``--repeat R`` each size's networks are run R
times, the thread counts interleaved, and the median (minimum) run time is reported: two-thread
timings on a shared machine spread far more than one-thread ones, so one run says little. First, per
thread count, what a user waits for before the first run: import plus a 400-neuron run of the same plan,
with an empty numba cache (cold) and from the cache (``_bench.py``).

    python benchmarks/bench_scaling.py                   # N = 4000 16000 64000 256000
    python benchmarks/bench_scaling.py --sizes 64000 --repeat 9 --duration 500
    python benchmarks/bench_scaling.py --sizes 4000 16000 --duration 500
    python benchmarks/bench_scaling.py --sizes 64000 --sweep-only --repeat 40 --duration 100

``--sweep-only``: the same neurons without synapses and below threshold (no spikes), so a step is the
neuron sweep alone: what threads gain there bounds what they can gain on the network.

``--ceiling``: after each repeat, also time ``bench_cores.py``'s L1 SIMD loop on 1 and 2 threads and
report its median throughput beside the network's speed-up: what two threads of this machine gain on
vectorised work with no synchronisation at all, measured in the same minutes (on a VM it varies with
where the host places the virtual CPUs).

    python benchmarks/bench_scaling.py --sizes 64000 --repeat 9 --duration 300 --ceiling
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import time

import numpy as np
from _bench import first_call, first_call_line  # benchmarks/, the script's own folder

HERE = os.path.dirname(os.path.abspath(__file__))


def cuba_indegree(n: int, seed: int, threads: int = 1, sweep_only: bool = False):
    import neuroladder as nl

    rng = np.random.default_rng(seed)
    net = nl.Network(dt=0.1, seed=rng, threads=threads)
    n_exc = int(0.8 * n)
    # (sweep only: resting 5 mV below threshold, so no unit ever fires)
    model = nl.LIF(c_m=250.0, tau_m=20.0, e_l=-55.0 if sweep_only else -49.0, v_th=-50.0, v_reset=-60.0,
                   t_ref=5.0)
    E = net.add_population("E", model, n_exc, v=rng.uniform(-60.0, -50.0, n_exc))
    I = net.add_population("I", model, n - n_exc, v=rng.uniform(-60.0, -50.0, n - n_exc))
    if sweep_only:
        return net
    exc, inh = nl.ExpSynapse(5.0), nl.ExpSynapse(10.0)
    for post in (E, I):
        net.connect(E, post, rule="fixed_indegree", k=64, weight=20.25, delay=0.1, synapse=exc,
                    allow_autapses=False, allow_multapses=True)
        net.connect(I, post, rule="fixed_indegree", k=16, weight=-112.5, delay=0.1, synapse=inh,
                    allow_autapses=False, allow_multapses=True)
    return net


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[4000, 16000, 64000, 256000])
    parser.add_argument("--duration", type=float, default=1000.0)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--threads", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--repeat", type=int, default=1, help="runs per configuration, interleaved (median)")
    parser.add_argument("--sweep-only", action="store_true", help="no synapses, no spikes: the neuron sweep alone")
    parser.add_argument("--ceiling", action="store_true",
                        help="interleave bench_cores.py's L1 SIMD loop: the machine's own 2-thread gain")
    args = parser.parse_args(argv)
    for threads in args.threads:
        cold, warm = first_call("import sys; sys.path.insert(0, " + repr(HERE) + "); from bench_scaling import "
                                f"cuba_indegree; cuba_indegree(400, 1, {threads}, {args.sweep_only}).run(1.0)")
        print(f"{threads} thread(s): {first_call_line(cold, warm)}")
    print(f"{'N':>8} {'threads':>7} {'synapses':>10} {'build (s)':>9} {'run (s)':>8} {'min (s)':>8} "
          f"{'s per sim s':>11} {'ns/neuron/step':>14} {'rate (Hz)':>9} {'B/syn':>6} {'max RSS (MB)':>12}")
    steps = args.duration / 0.1
    for n in args.sizes:
        nets, build_s, runs, spikes, ceiling = {}, {}, {th: [] for th in args.threads}, {}, []
        for threads in args.threads:
            start = time.perf_counter()
            nets[threads] = cuba_indegree(n, args.seed, threads, args.sweep_only)
            nets[threads]._build()
            build_s[threads] = time.perf_counter() - start
            nets[threads].run(0.1)  # compile (cached afterwards)
        for _ in range(args.repeat):
            for threads, net in nets.items():
                out = net.run(args.duration)
                runs[threads].append(out.run_s)
                spikes.setdefault(threads, []).append(out)
            if args.ceiling:
                ceiling.append(_simd_throughput())
        for threads, net in nets.items():
            _check_same_spikes(spikes[args.threads[0]], spikes[threads])
            run_s = float(np.median(runs[threads]))
            rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0
            bytes_per_synapse = f"{net.memory_per_synapse():.1f}" if net.n_synapses else "-"
            print(f"{n:8d} {threads:7d} {net.n_synapses:10d} {build_s[threads]:9.2f} {run_s:8.3f} "
                  f"{min(runs[threads]):8.3f} {run_s / (args.duration / 1000.0):11.3f} {run_s / steps / n * 1e9:14.2f} "
                  f"{spikes[threads][-1].rate_hz():9.2f} {bytes_per_synapse:>6} {rss:12.0f}", flush=True)
        if ceiling:
            print(f"{'':8} L1 SIMD loop of bench_cores.py in the same minutes: 2 threads x{np.median(ceiling):.2f} "
                  f"({min(ceiling):.2f}-{max(ceiling):.2f}) of 1 thread's throughput", flush=True)
    return 0


def _simd_throughput(pairs: int = 5) -> float:
    """bench_cores.py's L1 SIMD loop, median of a few interleaved pairs: 2 threads' throughput over 1
    thread's (2.0 when the two cores share nothing)."""
    from bench_cores import simd_runs, timed

    one, two = simd_runs(0.2)
    timed(1, one), timed(2, two)  # compiled on the first call
    return float(np.median([2.0 * timed(1, one) / timed(2, two) for _ in range(pairs)]))


def _check_same_spikes(reference, other):
    """Threads change speed, never results: each run's spikes equal the first thread count's."""
    for a, b in zip(reference, other):
        for name in a.spikes:
            if not (np.array_equal(a.spikes[name].times, b.spikes[name].times)
                    and np.array_equal(a.spikes[name].ids, b.spikes[name].ids)):
                raise SystemExit(f"spikes of {name!r} differ between thread counts")


if __name__ == "__main__":
    sys.exit(main())
