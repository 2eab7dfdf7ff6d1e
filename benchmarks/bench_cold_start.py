"""Cold start: what a new user waits for on a fresh install (empty numba cache), against a warm cache.

Each measurement is a fresh Python process; "cold" gets an empty ``NUMBA_CACHE_DIR`` (everything is
compiled), "warm" the cache the cold run filled. Measured: ``import neuroladder``, ``neuroladder run
NAME`` for the chosen experiments, and optionally the whole ``neuroladder tour``.

    python benchmarks/bench_cold_start.py                              # import + run cuba
    python benchmarks/bench_cold_start.py --experiments cuba coba hh-fi --json cold.json
    python benchmarks/bench_cold_start.py --tour --quick --logs out    # the quick tour, cold then warm

Results depend on the CPU and its load: run on an otherwise idle machine and name the CPU
(``lscpu | grep 'Model name'``) beside the figures.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time


def _timed(code: str, cache_dir: str, log: str | None = None) -> float:
    env = dict(os.environ, NUMBA_CACHE_DIR=cache_dir)
    start = time.perf_counter()
    proc = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if log:
        with open(log, "w") as fh:
            fh.write(proc.stdout + proc.stderr)
    if proc.returncode != 0:
        raise RuntimeError(f"{code!r} failed:\n{proc.stderr[-3000:]}")
    return seconds


def _cli(args: list[str]) -> str:
    return f"from neuroladder.cli import main; raise SystemExit(main({args!r}))"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--experiments", nargs="*", default=["cuba"], help="experiments to run (default: cuba)")
    parser.add_argument("--quick", action="store_true", help="the experiments' (and tour's) quick versions")
    parser.add_argument("--tour", action="store_true", help="also the whole tour, cold and warm")
    parser.add_argument("--json", help="write the results here")
    parser.add_argument("--logs", help="keep each run's output (e.g. the tour's time per experiment) in this folder")
    args = parser.parse_args(argv)
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "out")
        jobs = [("import neuroladder", "import neuroladder")]
        quick = ["--quick"] if args.quick else []
        jobs += [(f"run {name}", _cli(["run", name, "--out", out, *quick])) for name in args.experiments]
        if args.tour:
            jobs.append(("tour", _cli(["tour", "--out", out, *quick])))
        for label, code in jobs:
            cache = tempfile.mkdtemp(dir=tmp)  # empty: a fresh install
            logs = [None, None]
            if args.logs:
                os.makedirs(args.logs, exist_ok=True)
                stem = os.path.join(args.logs, label.replace(" ", "_"))
                logs = [stem + "_cold.txt", stem + "_warm.txt"]
            cold = _timed(code, cache, logs[0])
            warm = _timed(code, cache, logs[1])
            rows.append({"what": label, "cold_s": cold, "warm_s": warm})
            print(f"{label:<28} cold {cold:7.1f} s   warm {warm:7.1f} s", flush=True)
    if args.json:
        with open(args.json, "w") as fh:
            json.dump(rows, fh, indent=1)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
