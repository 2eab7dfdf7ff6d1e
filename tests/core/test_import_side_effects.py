"""Importing neuroladder changes no process-wide setting (issue 18): LLVM options, warnings filters,
numba's configuration, matplotlib's backend. Checked in a fresh interpreter, where nothing else has
imported the package yet."""

import json
import os
import subprocess
import sys

import pytest

_PROBE = r"""
import json, warnings
import llvmlite.binding as llvm
import matplotlib, numba, numpy, scipy
# the libraries neuroladder uses add filters of their own when imported (scipy.special, scipy.sparse):
# import them first, so that only neuroladder's own changes show
import scipy.integrate, scipy.optimize, scipy.signal, scipy.sparse, scipy.special, scipy.stats

calls = []
_set_option = llvm.set_option
llvm.set_option = lambda *args: (calls.append(list(args)), _set_option(*args))[1]

def snapshot():
    return {
        "filters": [repr(f) for f in warnings.filters],
        "numba": {k: repr(getattr(numba.config, k)) for k in dir(numba.config) if k.isupper()},
        # the raw rcParams value: reading it through get_backend() would itself resolve a backend
        "backend": repr(dict.__getitem__(matplotlib.rcParams, "backend")),
    }

before = snapshot()
import neuroladder, neuroladder.experiments, neuroladder.report  # the package, its registry and its figures
after = snapshot()
print(json.dumps({"before": before, "after": after, "llvm_calls": calls}))
"""


@pytest.fixture(scope="module")
def state() -> dict:
    """One fresh interpreter for both tests (an import takes a few seconds)."""
    out = subprocess.run([sys.executable, "-c", _PROBE], capture_output=True, text=True, env=dict(os.environ),
                         timeout=600, check=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def test_import_sets_no_llvm_option_numba_setting_or_backend(state):
    assert state["llvm_calls"] == []  # core._math.widen_vectoriser sets its options at the first run, not here
    assert state["after"]["numba"] == state["before"]["numba"]
    assert state["after"]["backend"] == state["before"]["backend"]


def test_import_adds_no_warnings_filter(state):
    assert state["after"]["filters"] == state["before"]["filters"]
