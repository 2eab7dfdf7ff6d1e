"""Brian2 C++-standalone build/compile/run with separate timings, shared by
hh_brian2.py and va_brian2.py (cuba_brian2.py, coba_brian2.py).

Timings: ``build_s`` = Python-side model construction + C++ code generation
(everything before the compiler is started); ``compile_s`` = ``make`` of the
generated project (Brian2's own timer); ``run_s`` = the simulation loop inside
the compiled binary (``Network::_last_run_time``, exposed by Brian2 as
``device._last_run_time``; excludes process start-up, synapse creation in the
binary and writing results); ``run_binary_s`` = wall time of the whole binary
(Brian2's ``device.timers['run_binary']``), for reference.
"""

import os
import shutil
import tempfile
import time

from peer_io import log


def add_brian2_args(p):
    p.add_argument("--make-jobs", type=int, default=2, help="parallel make jobs for compiling")
    p.add_argument("--keep", action="store_true", help="keep the generated project directory")
    p.add_argument("--runs", type=int, default=1,
                   help="run the compiled binary this many times; run_s is the fastest loop (a shared machine)")
    return p


def run_standalone(args, prefix, build, collect):
    """Build, compile and run a standalone project; return ``(timings, collected)``.

    ``build(b2)`` (``b2`` is the brian2 module, the device already set up: one
    thread, no OpenMP, ``defaultclock.dt = args.dt`` ms) creates the objects and
    calls ``run``; ``collect(b2, <what build returned>)`` reads the results
    before the project directory (``tempfile`` with ``prefix``) is removed
    (kept with ``--keep``).  ``timings``: build_s, compile_s, run_s, run_binary_s.
    """
    os.environ.setdefault("OMP_NUM_THREADS", "1")

    import brian2 as b2
    from brian2.codegen.cpp_prefs import get_compiler_and_args

    b2.BrianLogger.log_level_warn()  # fewer INFO messages (they go to stderr anyway)

    workdir = tempfile.mkdtemp(prefix=prefix)
    try:
        t0 = time.perf_counter()
        b2.set_device("cpp_standalone", build_on_run=False, directory=workdir)
        b2.prefs.devices.cpp_standalone.openmp_threads = 0  # no OpenMP: one thread
        b2.prefs.devices.cpp_standalone.extra_make_args_unix = [f"-j{max(1, args.make_jobs)}"]
        b2.defaultclock.dt = args.dt * b2.ms

        state = build(b2)
        # Code generation only (no compiler yet).
        b2.device.build(directory=workdir, compile=False, run=False, with_output=False)
        build_s = time.perf_counter() - t0

        # Compile the generated project.
        t1 = time.perf_counter()
        compiler, _ = get_compiler_and_args()
        b2.device.compile_source(workdir, compiler, debug=False, clean=False)
        compile_wall = time.perf_counter() - t1
        compile_s = b2.device.timers["compile"]["make"] or compile_wall

        # Run the binary (results written to the project dir).
        t2 = time.perf_counter()
        b2.device.run(directory=workdir, with_output=False)
        run_wall = time.perf_counter() - t2
        run_binary_s = b2.device.timers.get("run_binary") or run_wall
        run_s = getattr(b2.device, "_last_run_time", None)
        if run_s is None:
            log("warning: device._last_run_time not available; run_s is the binary's wall time")
            run_s = run_binary_s
        for _ in range(getattr(args, "runs", 1) - 1):  # the same binary again: the fastest loop counts
            b2.device.run(directory=workdir, with_output=False)
            run_s = min(run_s, getattr(b2.device, "_last_run_time", None) or run_s)

        collected = collect(b2, state)
    finally:
        if args.keep:
            log(f"brian2: project kept in {workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)

    timings = {"build_s": build_s, "compile_s": compile_s,
               "run_s": run_s, "run_binary_s": run_binary_s}
    return timings, collected
