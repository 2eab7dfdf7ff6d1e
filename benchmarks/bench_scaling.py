"""Scaling series: the CUBA network with a fixed in-degree of 80 (64 excitatory + 16 inhibitory inputs,
the 2 % of 4000 of Brette et al. 2007), N = 4k ... 256k neurons, 1 s of biological time, dt 0.1 ms.

Reports construction time, seconds per simulated second, that per neuron, the engine's bytes per
synapse and the resident memory of the process, for 1 and 2 threads (``Network(threads=...)``;
the spikes are identical).

    python benchmarks/bench_scaling.py                   # N = 4000 16000 64000 256000
    python benchmarks/bench_scaling.py --sizes 4000 16000 --duration 500
"""

from __future__ import annotations

import argparse
import resource
import sys
import time

import numpy as np


def cuba_indegree(n: int, seed: int, threads: int = 1):
    import neuroladder as nl

    rng = np.random.default_rng(seed)
    net = nl.Network(dt=0.1, seed=rng, threads=threads)
    n_exc = int(0.8 * n)
    model = nl.LIF(c_m=250.0, tau_m=20.0, e_l=-49.0, v_th=-50.0, v_reset=-60.0, t_ref=5.0)
    E = net.add_population("E", model, n_exc, v=rng.uniform(-60.0, -50.0, n_exc))
    I = net.add_population("I", model, n - n_exc, v=rng.uniform(-60.0, -50.0, n - n_exc))
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
    args = parser.parse_args(argv)
    print(f"{'N':>8} {'threads':>7} {'synapses':>10} {'build (s)':>9} {'run (s)':>8} {'s per sim s':>11} "
          f"{'ns/neuron/step':>14} {'rate (Hz)':>9} {'B/syn':>6} {'max RSS (MB)':>12}")
    for n, threads in ((n, th) for n in args.sizes for th in args.threads):
        start = time.perf_counter()
        net = cuba_indegree(n, args.seed, threads)
        net._build()
        build_s = time.perf_counter() - start
        net.run(0.1)
        out = net.run(args.duration)
        per_sim_s = out.run_s / (args.duration / 1000.0)
        steps = args.duration / 0.1
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0
        print(f"{n:8d} {threads:7d} {net.n_synapses:10d} {build_s:9.2f} {out.run_s:8.2f} {per_sim_s:11.3f} "
              f"{out.run_s / steps / n * 1e9:14.2f} {out.rate_hz():9.2f} {net.memory_per_synapse():6.1f} {rss:12.0f}",
              flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
