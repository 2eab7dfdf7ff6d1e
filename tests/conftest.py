"""Shared fixtures and helpers of the neuroladder test suite.

Rules followed by every test (DESIGN.md, Testing): each expected number comes from something
the code under test did not produce (an analytic formula, a convergence rate, a published
value), is asserted with a tolerance, and a comment says where it comes from.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parents[1]


def load_example(name: str):
    """Import ``examples/<name>.py`` by path (the examples are not a package)."""
    path = ROOT / "examples" / f"{name}.py"
    module_name = f"neuroladder_example_{name}"
    if module_name in sys.modules:
        return sys.modules[module_name]
    spec = importlib.util.spec_from_file_location(module_name, path)
    module = importlib.util.module_from_spec(spec)
    # registered before it runs, so that numba's on-disk cache (cache=True) can find the module again
    sys.modules[module_name] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="session")
def custom_model_module():
    return load_example("custom_model")


@pytest.fixture(scope="session")
def fhn(custom_model_module):
    """The FitzHugh-Nagumo model of examples/custom_model.py (a = 0.7, b = 0.8, tau = 12.5)."""
    return custom_model_module.FitzHughNagumo()


def _loglog_slope(x, y) -> float:
    """Least-squares slope of log(y) against log(x): the observed order of convergence."""
    return float(np.polyfit(np.log(np.asarray(x, float)), np.log(np.asarray(y, float)), 1)[0])


@pytest.fixture(scope="session")
def loglog_slope():
    return _loglog_slope
