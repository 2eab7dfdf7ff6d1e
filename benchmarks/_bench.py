"""Helpers shared by the benchmark scripts.

:func:`first_call`: what a user waits for before a benchmark's first result, ``import neuroladder`` plus one
tiny run of the same kernels, in a fresh interpreter, with an empty numba cache (cold: a fresh install
compiles them), then again with the cache that run filled (warm: a user's every later session).
:func:`summary`: one table row from a simulator's repeated (interleaved) runs."""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile


def _seconds(run_code: str, cache_dir: str) -> float:
    code = ("import time; t = time.perf_counter(); import neuroladder as nl; " + run_code +
            "; print(time.perf_counter() - t)")
    env = dict(os.environ, NUMBA_CACHE_DIR=cache_dir)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env)
    return float(out.stdout.strip().splitlines()[-1])


def first_call(run_code: str) -> tuple[float, float]:
    """(cold, warm) seconds for ``import neuroladder as nl`` and then ``run_code`` (Python using ``nl``), timed
    inside a fresh interpreter (its own start-up is not counted)."""
    with tempfile.TemporaryDirectory() as cache:
        return _seconds(run_code, cache), _seconds(run_code, cache)


def first_call_line(cold: float, warm: float) -> str:
    """One line for a benchmark's header."""
    return (f"neuroladder import + first call: {cold:.2f} s with an empty numba cache (compiles its kernels), "
            f"{warm:.2f} s from the cache")


def summary(runs: list[dict]) -> dict:
    """One row from repeated runs of one simulator: the first run's fields, run_s as the median, and
    the minimum and all repeats alongside (``run_s_min``, ``run_s_all``)."""
    times = sorted(r["run_s"] for r in runs)
    row = dict(runs[0])
    row["run_s"] = statistics.median(times)
    row["run_s_min"] = times[0]
    row["run_s_all"] = [r["run_s"] for r in runs]
    return row
