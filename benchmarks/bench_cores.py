"""What a second thread can gain on this machine, before any neuron model: four plain numba loops, each
run on 1 thread and then on 2 threads with twice the work (one part per thread), interleaved. A
throughput of 2.0x means the two cores work as two; less means they share something.

* ``latency chain``: one dependent multiply-add chain per thread. It leaves the core's execution units
  mostly idle, so it measures the clock: 2.0x unless the clock drops when both cores are busy.
* ``L1 SIMD``: a vectorised update of 2048 doubles (16 KB, in L1) repeated many times, one parallel
  region for all of it. Bound by the core's load/store and vector units, the kind of work a neuron
  sweep is; below 2.0x when the two virtual CPUs share a physical core's units (hyperthreads of one
  core on the host: a VM's ``lscpu`` need not show it).
* ``DRAM stream``: 8 sums over 32 MB per thread (memory bandwidth).
* ``region per step``: the shape of the 64k-neuron LIF sweep without the model: 4000 steps, each one
  parallel region that updates 32k doubles per thread (256 KB, in L2): the region's launch and join
  every step on top of the L1/L2 work.

    python benchmarks/bench_cores.py              # 15 interleaved repeats, median (min-max)

No neuroladder code is involved; it bounds what ``Network(threads=2)`` can gain here.
"""

from __future__ import annotations

import argparse
import time

import numba
import numpy as np
from numba import njit, prange


@njit
def _chain(n, x):
    for _ in range(n):
        x = x * 0.9999999 + 1e-7  # each step waits for the last: latency-bound
    return x


@njit(fastmath=True)
def _simd(x, reps):
    for _ in range(reps):
        for i in range(x.shape[0]):
            x[i] = x[i] * 0.999999 + 1e-7
    return x[0]


@njit
def _stream(a, passes):
    s = 0.0
    for _ in range(passes):
        for i in range(a.shape[0]):
            s += a[i]
    return s


@njit(parallel=True)
def _par_chain(parts, n):
    out = np.zeros(parts)
    for p in prange(parts):
        out[p] = _chain(n, 1.0 + p)
    return out.sum()


@njit(parallel=True)
def _par_rows(kernel, xs, k):
    """kernel(row, k) on each row of xs, one row per thread."""
    out = np.zeros(xs.shape[0])
    for p in prange(xs.shape[0]):
        out[p] = kernel(xs[p], k)
    return out.sum()


@njit(parallel=True)
def _one_region(xs):
    for p in prange(xs.shape[0]):
        _simd(xs[p], 1)


@njit
def _region_per_step(xs, steps):
    for _ in range(steps):
        _one_region(xs)


def simd_runs(scale: float):
    """The L1 SIMD loop: (run on 1 thread, run on 2 threads with twice the work), no-argument callables."""
    small, reps = np.ones((2, 2048)), int(100_000 * scale)
    return lambda: _par_rows(_simd, small[:1], reps), lambda: _par_rows(_simd, small, reps)


def _loops(scale: float):
    """name -> (run on 1 thread, run on 2 threads with twice the work), each a no-argument callable."""
    big, sweep = np.ones((2, 4_000_000)), np.ones((2, 32_000))
    n_chain, passes, steps = int(20_000_000 * scale), int(8 * scale) or 1, int(4000 * scale)
    return {
        "latency chain": (lambda: _par_chain(1, n_chain), lambda: _par_chain(2, n_chain)),
        "L1 SIMD": simd_runs(scale),
        "DRAM stream": (lambda: _par_rows(_stream, big[:1], passes), lambda: _par_rows(_stream, big, passes)),
        "region per step": (lambda: _region_per_step(sweep[:1], steps), lambda: _region_per_step(sweep, steps)),
    }


def timed(threads: int, run) -> float:
    numba.set_num_threads(threads)
    start = time.perf_counter()
    run()
    return time.perf_counter() - start


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=15, help="interleaved repeats per loop (median)")
    parser.add_argument("--scale", type=float, default=1.0, help="work per run (1: ~20-70 ms per run)")
    args = parser.parse_args(argv)
    if numba.config.NUMBA_NUM_THREADS < 2:
        raise SystemExit("bench_cores.py needs 2 threads: this machine or NUMBA_NUM_THREADS allows "
                         f"{numba.config.NUMBA_NUM_THREADS}")
    loops = _loops(args.scale)
    for one, two in loops.values():  # compile both thread counts' code first
        timed(1, one)
        timed(2, two)
    print(f"{'loop':<16} {'1 thread (s)':>12} {'2 threads, 2x work (s)':>22} {'throughput':>11} {'(min-max)':>11}")
    for name, (one, two) in loops.items():
        t1, t2 = [], []
        for r in range(args.repeat):
            order = ((1, one, t1), (2, two, t2)) if r % 2 == 0 else ((2, two, t2), (1, one, t1))
            for threads, run, out in order:
                out.append(timed(threads, run))
        ratios = 2.0 * np.array(t1) / np.array(t2)
        print(f"{name:<16} {np.median(t1):>12.4f} {np.median(t2):>22.4f} {np.median(ratios):>10.2f}x "
              f"({ratios.min():.2f}-{ratios.max():.2f})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
