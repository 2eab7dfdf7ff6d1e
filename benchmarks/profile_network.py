#!/usr/bin/env python
"""Where a network run spends its time: Linux ``perf`` samples of the engine, with numba's functions named.

    python benchmarks/profile_network.py cuba --duration 100000

perf names the code numba compiles only through a map file, ``/tmp/perf-<pid>.map``, which this script
writes from the compiled libraries before the timed run; it then samples this process during that run
alone (``perf record -p``) and prints the hottest symbols (``perf report``). numba keeps the function
list only for code it compiled in this process, not for code loaded from its disk cache, so the kernels
are compiled afresh into a temporary ``NUMBA_CACHE_DIR`` (tens of seconds). Needs ``perf`` on the PATH
(Debian: ``linux-perf``) and permission to sample (``kernel.perf_event_paranoid`` <= 1, or root).

How the 2026-12-07 reference-count finding was made (docs/performance.md, issue-18 section):
NRT_incref/NRT_decref were a fifth of CUBA's engine time.
"""

from __future__ import annotations

import argparse
import gc
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time


def readable(symbol: str) -> str:
    """numba's mangled name as a dotted path: ``_ZN11neuroladder7network...5sweepB4v111...`` ->
    ``neuroladder.network._lif_fused._sweep_kernel.<locals>.sweep`` (the length-prefixed parts up to
    the first ABI tag; other symbols unchanged)."""
    prefix = "cfunc." if symbol.startswith("cfunc.") else ""
    rest = symbol[len(prefix):]
    if not rest.startswith("_ZN"):
        return symbol
    i, parts = 3, []
    while i < len(rest) and rest[i].isdigit():
        j = i
        while rest[j].isdigit():
            j += 1
        length = int(rest[i:j])
        parts.append(rest[j:j + length])
        i = j + length
    return prefix + ".".join(parts).replace("_3clocals_3e", "<locals>") if parts else symbol


def write_perf_map() -> int:
    """Write /tmp/perf-<pid>.map (start, size, name per line) for every function numba compiled in this
    process; a function's size is taken as the distance to the next one. Returns the number written."""
    from numba.core.registry import CPUDispatcher

    names = {}
    for obj in gc.get_objects():
        if not isinstance(obj, CPUDispatcher):
            continue
        for cres in obj.overloads.values():
            library = cres.library
            module = getattr(library, "_final_module", None)
            if module is None:  # loaded from the disk cache: no function list
                continue
            for fn in module.functions:
                if fn.is_declaration:
                    continue
                address = library.get_pointer_to_function(fn.name)
                if address:
                    names[address] = fn.name
    starts = sorted(names)
    with open(f"/tmp/perf-{os.getpid()}.map", "w") as fh:
        for start, end in zip(starts, starts[1:] + [starts[-1] + 4096]):
            fh.write(f"{start:x} {min(end - start, 1 << 20):x} {readable(names[start])}\n")
    return len(starts)


def _runner(model: str, seed: int):
    """A function of the duration (ms) that runs ``model`` for that long and returns its run time (s)."""
    if model == "hh":
        import neuroladder as nl

        def run_population(duration):
            start = time.perf_counter()
            nl.simulate(nl.HodgkinHuxley(), duration, 0.025, current=10.0, n=10_000, record=(), progress=False)
            return time.perf_counter() - start

        return run_population
    from neuroladder.experiments.networks import cobahh_network, vogels_abbott

    net = cobahh_network(seed) if model == "cobahh" else vogels_abbott(model, seed)
    return lambda duration: net.run(duration).run_s


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("model", choices=["cuba", "coba", "cobahh", "hh"],
                        help="a Vogels-Abbott network, or hh: 10,000 independent HH neurons (nl.simulate)")
    parser.add_argument("--duration", type=float, default=100000.0, help="ms of biological time profiled")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--top", type=int, default=20, help="symbols printed")
    args = parser.parse_args(argv)
    if shutil.which("perf") is None:
        parser.error("perf was not found on the PATH (Debian: apt-get install linux-perf)")
    if "neuroladder" in sys.modules:
        parser.error("run as a script: numba must not have loaded kernels from its cache before this")
    with tempfile.TemporaryDirectory() as cache:
        os.environ["NUMBA_CACHE_DIR"] = cache  # compile afresh, so that the function list exists
        run = _runner(args.model, args.seed)
        run(0.1)
        print(f"perf map: {write_perf_map()} functions", file=sys.stderr)
        data = os.path.join(cache, "perf.data")
        perf = subprocess.Popen(["perf", "record", "-q", "-o", data, "-F", "4000", "-p", str(os.getpid())],
                                stderr=subprocess.DEVNULL)
        time.sleep(1.0)  # perf attaches
        seconds = run(args.duration)
        perf.send_signal(signal.SIGINT)
        perf.wait()
        print(f"{args.model}: {args.duration:g} ms in {seconds:.2f} s; the samples also cover the run's result "
              "assembly (numpy sorts) after the time loop", file=sys.stderr)
        report = subprocess.run(["perf", "report", "-i", data, "--no-children", "--sort", "symbol", "--stdio"],
                                capture_output=True, text=True, check=True).stdout
        os.remove(f"/tmp/perf-{os.getpid()}.map")
        rows = [line for line in report.splitlines() if line.strip() and not line.startswith("#")]
        for line in rows[:args.top]:
            print(line.rstrip()[:160])
    return 0


if __name__ == "__main__":
    sys.exit(main())
