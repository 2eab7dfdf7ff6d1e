#!/usr/bin/env python
"""Peer benchmark: N independent Hodgkin-Huxley neurons in Brian2 (C++ standalone).

Run with the python of the ``brian2`` peer venv (see setup_peers.sh):

    python hh_brian2.py --n 10000 --dt 0.01 --duration 100 --current 10

Prints exactly one JSON line on stdout at the end; everything else goes to
stderr.  Timings:

* ``build_s``   -- Python-side model construction + C++ code generation
                   (everything before the compiler is started).
* ``compile_s`` -- ``make`` of the generated project (Brian2's own timer).
* ``run_s``     -- the simulation loop inside the compiled binary
                   (``Network::_last_run_time``, exposed by Brian2 as
                   ``device._last_run_time``); excludes process start-up and
                   writing results.
* ``run_binary_s`` -- wall time of the whole binary (Brian2's
                   ``device.timers['run_binary']``), for reference.
"""

import argparse
import json
import os
import shutil
import sys
import tempfile
import time

# Keep stdout clean for the single JSON result line: anything written to
# file descriptor 1 (by Python, Brian2, the compiler or the binary) is sent
# to stderr instead, and the result is written to a saved copy of stdout.
sys.stdout.flush()
_RESULT_FD = os.dup(1)
os.dup2(2, 1)


def emit(result):
    os.write(_RESULT_FD, (json.dumps(result) + "\n").encode())


def log(*a):
    print(*a, file=sys.stderr, flush=True)


def parse_args():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--n", type=int, default=10000, help="number of neurons")
    p.add_argument("--dt", type=float, default=0.01, help="time step (ms)")
    p.add_argument("--duration", type=float, default=100.0, help="simulated time (ms)")
    p.add_argument("--current", type=float, default=10.0, help="drive (uA/cm^2)")
    p.add_argument("--make-jobs", type=int, default=2, help="parallel make jobs for compiling")
    p.add_argument("--no-spikes", action="store_true", help="do not count spikes")
    p.add_argument("--keep", action="store_true", help="keep the generated project directory")
    return p.parse_args()


def main():
    args = parse_args()
    os.environ.setdefault("OMP_NUM_THREADS", "1")

    import numpy as np
    import brian2
    from brian2 import (
        NeuronGroup, SpikeMonitor, defaultclock, device, prefs, run, set_device,
        ms, mV, uF, uA, cm, msiemens,
    )

    from brian2.codegen.cpp_prefs import get_compiler_and_args

    brian2.BrianLogger.log_level_warn()  # fewer INFO messages (they go to stderr anyway)

    workdir = tempfile.mkdtemp(prefix="neuroladder_brian2_")
    try:
        t0 = time.perf_counter()
        set_device("cpp_standalone", build_on_run=False, directory=workdir)
        prefs.devices.cpp_standalone.openmp_threads = 0  # no OpenMP: one thread
        prefs.devices.cpp_standalone.extra_make_args_unix = [f"-j{max(1, args.make_jobs)}"]
        defaultclock.dt = args.dt * ms

        # Hodgkin & Huxley (1952), squid axon at 6.3 degC (temperature factor 1),
        # membrane potential v in absolute terms (rest -65 mV).
        # alpha_m = 0.1 (V+40) / (1 - exp(-(V+40)/10))  [1/ms, V in mV] is
        # written with exprel(x) = (exp(x)-1)/x, which is the same function but
        # has no 0/0 at V = -40 mV; likewise alpha_n.
        eqs = """
        dv/dt = (gL*(EL - v) - gNa*m**3*h*(v - ENa) - gK*n**4*(v - EK) + I_ext) / Cm : volt
        dm/dt = alpha_m*(1 - m) - beta_m*m : 1
        dh/dt = alpha_h*(1 - h) - beta_h*h : 1
        dn/dt = alpha_n*(1 - n) - beta_n*n : 1
        alpha_m = 1.0/exprel(-(v + 40*mV)/(10*mV)) / ms : Hz
        beta_m  = 4.0*exp(-(v + 65*mV)/(18*mV)) / ms : Hz
        alpha_h = 0.07*exp(-(v + 65*mV)/(20*mV)) / ms : Hz
        beta_h  = 1.0/(1 + exp(-(v + 35*mV)/(10*mV))) / ms : Hz
        alpha_n = 0.1/exprel(-(v + 55*mV)/(10*mV)) / ms : Hz
        beta_n  = 0.125*exp(-(v + 65*mV)/(80*mV)) / ms : Hz
        """
        namespace = dict(
            Cm=1 * uF / cm**2,
            gNa=120 * msiemens / cm**2,
            gK=36 * msiemens / cm**2,
            gL=0.3 * msiemens / cm**2,
            ENa=50 * mV,
            EK=-77 * mV,
            EL=-54.387 * mV,
            I_ext=args.current * uA / cm**2,
        )
        if args.no_spikes:
            G = NeuronGroup(args.n, eqs, method="exponential_euler", namespace=namespace)
        else:
            # Upward crossing of 0 mV: a spike is emitted when v > 0 mV and the
            # neuron is not "refractory"; it stays refractory while v > 0 mV.
            # The equations are not marked (unless refractory), so this only
            # affects spike detection, not the dynamics.
            G = NeuronGroup(args.n, eqs, method="exponential_euler",
                            threshold="v > 0*mV", refractory="v > 0*mV",
                            namespace=namespace)

        # Rest at -65 mV with gates at their steady state there.
        V = -65.0
        am = 0.1 * (V + 40) / (1 - np.exp(-(V + 40) / 10))
        bm = 4.0 * np.exp(-(V + 65) / 18)
        ah = 0.07 * np.exp(-(V + 65) / 20)
        bh = 1.0 / (1 + np.exp(-(V + 35) / 10))
        an = 0.01 * (V + 55) / (1 - np.exp(-(V + 55) / 10))
        bn = 0.125 * np.exp(-(V + 65) / 80)
        G.v = V * mV
        G.m = am / (am + bm)
        G.h = ah / (ah + bh)
        G.n = an / (an + bn)

        mon = None if args.no_spikes else SpikeMonitor(G, record=False)
        run(args.duration * ms)
        # Code generation only (no compiler yet).
        device.build(directory=workdir, compile=False, run=False, with_output=False)
        build_s = time.perf_counter() - t0

        # Compile the generated project.
        t1 = time.perf_counter()
        compiler, _ = get_compiler_and_args()
        device.compile_source(workdir, compiler, debug=False, clean=False)
        compile_wall = time.perf_counter() - t1
        compile_s = device.timers["compile"]["make"] or compile_wall

        # Run the binary (results written to the project dir).
        t2 = time.perf_counter()
        device.run(directory=workdir, with_output=False)
        run_wall = time.perf_counter() - t2
        run_binary_s = device.timers.get("run_binary") or run_wall
        run_s = getattr(device, "_last_run_time", None)
        if run_s is None:
            log("warning: device._last_run_time not available; run_s is the binary's wall time")
            run_s = run_binary_s

        spikes = None
        if mon is not None:
            spikes = int(mon.num_spikes)
            log(f"brian2: {spikes} spikes, {spikes / args.n:.3f} per neuron "
                f"({spikes / args.n / (args.duration / 1000.0):.1f} Hz)")
        log(f"brian2: build {build_s:.3f}s, compile {compile_s:.3f}s, "
            f"run {run_s:.3f}s (binary {run_binary_s:.3f}s)")
    finally:
        if args.keep:
            log(f"brian2: project kept in {workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)

    emit({
        "peer": "brian2",
        "version": brian2.__version__,
        "n": args.n,
        "dt": args.dt,
        "duration": args.duration,
        "build_s": round(build_s, 6),
        "run_s": round(float(run_s), 6),
        "spikes": spikes,
        "compile_s": round(float(compile_s), 6),
        "run_binary_s": round(float(run_binary_s), 6),
        "method": "exponential_euler",
    })


if __name__ == "__main__":
    main()
