"""Functions the sweep tests run in worker processes and subprocesses (importable, module level)."""

import os
import time


def slow_square(x, y):
    """x**2 + y after a pause; logs every call (pid, x, y) to $NL_SWEEP_CALLS so a test can count them."""
    with open(os.environ["NL_SWEEP_CALLS"], "a") as fh:
        fh.write(f"{os.getpid()} {x!r} {y!r}\n")
    time.sleep(float(os.environ.get("NL_SWEEP_PAUSE", "0.1")))
    return {"value": x * x + y}


def fails_at_three(x):
    if x == 3:
        raise ValueError("x = 3 is not allowed here")
    return {"double": 2 * x}
