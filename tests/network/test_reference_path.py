"""The engine's plain-Python reference path (NUMBA_DISABLE_JIT=1) against the compiled engine.

Under NUMBA_DISABLE_JIT numba's decorators return the Python functions unchanged, so the same source
runs as ordinary Python with numpy: an independent execution of the equations, free of the compiler's
transformations (vectorisation, FMA contraction in the LIF sweep, inlining). Both must give the same
spikes; the tolerance, 1e-9 ms, allows for the rounding of contracted multiply-adds only.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

HERE = Path(__file__).parent
sys.path.insert(0, str(HERE))
import _reference_net  # noqa: E402


@pytest.mark.slow
def test_python_reference_path_gives_the_compiled_spikes():
    compiled = _reference_net.spikes()
    env = dict(os.environ, NUMBA_DISABLE_JIT="1")
    proc = subprocess.run([sys.executable, str(HERE / "_reference_net.py")], env=env, capture_output=True,
                          text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr[-2000:]
    reference = json.loads(proc.stdout.strip().splitlines()[-1])
    for name in ("E", "I", "A"):
        t_ref, i_ref = (np.array(x) for x in reference[name])
        t, i = (np.array(x) for x in compiled[name])
        assert t_ref.size > 0, f"population {name} should fire in this test network"
        assert np.array_equal(i, i_ref), name
        np.testing.assert_allclose(t, t_ref, rtol=0, atol=1e-9, err_msg=name)
