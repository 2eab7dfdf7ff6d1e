"""Output plumbing shared by every peer script: import it first, before the simulator.

Importing this module redirects file descriptor 1 to stderr (simulators,
compilers and generated binaries print banners and progress there) and keeps
a private copy of the real stdout for the single JSON result line written by
``emit``; run_peer.py parses the last stdout line.  Standard library only.
"""

import json
import os
import sys

sys.stdout.flush()
_RESULT_FD = os.dup(1)
os.dup2(2, 1)


def emit(result):
    """Write ``result`` as one JSON line on the real stdout."""
    os.write(_RESULT_FD, (json.dumps(result) + "\n").encode())


def log(*a):
    print(*a, file=sys.stderr, flush=True)


def import_nest():
    """Import NEST single-threaded and quiet (warnings and errors only); return it."""
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    os.environ.setdefault("PYNEST_QUIET", "1")

    import nest

    try:
        nest.verbosity = nest.VerbosityLevel.WARNING  # NEST >= 3.9
    except AttributeError:
        nest.set_verbosity("M_WARNING")
    return nest


def neuron_fixed_step_run(h, dt, duration, v_init=-65.0, secondorder=0):
    """Initialise NEURON for one thread, fixed step ``dt`` (backward Euler; ``secondorder=2``: NEURON's
    Crank-Nicolson with staggered gates), and time ``psolve``.

    Returns the wall seconds of the simulation alone."""
    import time

    h.CVode().active(0)
    h.dt = dt
    h.secondorder = secondorder
    pc = h.ParallelContext()
    pc.nthread(1)
    pc.set_maxstep(10.0)  # psolve needs a max step when no NetCon sets a minimum delay
    h.finitialize(v_init)
    start = time.perf_counter()
    pc.psolve(duration)
    return time.perf_counter() - start
