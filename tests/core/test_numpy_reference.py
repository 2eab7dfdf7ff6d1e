"""The numpy reference path (STYLE.md 8): the core's block update run as plain Python/numpy with
NUMBA_DISABLE_JIT=1 must agree with the compiled kernels.

The uncompiled run executes the very same source line by line in Python, so it is an independent
check of what numba's compilation (vectorisation, inlining, first-class function calls) does to it.
Tolerances: both paths do the same IEEE double operations in the same order (the kernels are compiled
without fastmath, and the exponential is core._math.exp's explicit polynomial in both), so they are
expected to agree to rounding; we allow 1e-9 relative (voltages, spike times), far below any
physical effect and far above the 1e-16 of one rounding, to stay robust to LLVM contracting a
multiply-add on another CPU.
"""

import json
import os
import subprocess
import sys

import numpy as np
import pytest

_CASES = r"""
import json, sys
import numpy as np
import neuroladder as nl

def run():
    out = {}
    # LIF: exponential Euler, threshold crossing inside the step, reset and refractory clamp
    r = nl.simulate(nl.LIF(), 60.0, 0.1, current=np.array([380.0, 420.0, 600.0]), n=3)
    out["lif_v"] = r["v"].tolist()
    out["lif_spikes"] = [list(map(float, s)) for s in r.spike_times]
    # HH: the exponential midpoint (default) and RK4, spikes detected as 0 mV crossings
    for method in ("exponential_midpoint", "rk4"):
        r = nl.simulate(nl.HodgkinHuxley(), 12.0, 0.01, current=np.array([0.0, 10.0]), n=2, method=method)
        out["hh_v_" + method] = r["v"].tolist()
        out["hh_spikes_" + method] = [list(map(float, s)) for s in r.spike_times]
    # a noise term: Euler-Maruyama with the same seed (the draws are made by numpy outside the kernel)
    r = nl.simulate(nl.StochasticLIF(), 40.0, 0.1, current=15.0, n=2, seed=7)
    out["slif_v"] = r["v"].tolist()
    from neuroladder.core import _kernels
    out["kernel_type"] = type(_kernels.run_fixed_step.dispatcher).__name__  # "function" when the JIT is off
    return out

print("RESULT" + json.dumps(run()))
"""


def _run(jit: bool) -> dict:
    env = dict(os.environ)
    env.pop("NUMBA_DISABLE_JIT", None)
    if not jit:
        env["NUMBA_DISABLE_JIT"] = "1"
    proc = subprocess.run([sys.executable, "-c", _CASES], capture_output=True, text=True, env=env, timeout=600)
    assert proc.returncode == 0, proc.stderr[-3000:]
    line = next(s for s in proc.stdout.splitlines() if s.startswith("RESULT"))
    return json.loads(line[len("RESULT"):])


@pytest.fixture(scope="module")
def both():
    # the compiled path runs in this process (its kernels are cached); the reference in a fresh one
    return _run_in_process(), _run(jit=False)


def _run_in_process() -> dict:
    namespace = {}
    exec(compile(_CASES.replace('print("RESULT" + json.dumps(run()))', ""), "<cases>", "exec"), namespace)
    return namespace["run"]()


def test_reference_path_really_runs_without_jit(both):
    compiled, reference = both
    assert reference["kernel_type"] == "function"  # a plain Python function, not a numba dispatcher
    assert compiled["kernel_type"] != "function"


@pytest.mark.parametrize("key", ["lif_v", "hh_v_exponential_midpoint", "hh_v_rk4", "slif_v"])
def test_traces_agree(both, key):
    compiled, reference = both
    np.testing.assert_allclose(np.array(reference[key]), np.array(compiled[key]), rtol=1e-9, atol=1e-9)


@pytest.mark.parametrize("key", ["lif_spikes", "hh_spikes_exponential_midpoint", "hh_spikes_rk4"])
def test_spike_times_agree(both, key):
    compiled, reference = both
    assert [len(s) for s in reference[key]] == [len(s) for s in compiled[key]]
    assert sum(len(s) for s in compiled[key]) > 0  # the cases do spike
    for ref, com in zip(reference[key], compiled[key]):
        np.testing.assert_allclose(ref, com, rtol=1e-9, atol=1e-9)
