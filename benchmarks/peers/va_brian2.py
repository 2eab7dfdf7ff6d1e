"""Brian2 C++-standalone driver shared by cuba_brian2.py and coba_brian2.py.

``run_brian2(args, model, build_network)``: sets up the standalone device
(one thread, no OpenMP), calls ``build_network(b2)`` (``b2`` is the brian2
module; it must create the NeuronGroup/Synapses/SpikeMonitor and return
``(spike_monitor, info_dict)``, with all Brian objects in ``info["objects"]``
and the Synapses by name in ``info["synapses"]``), then generates code, compiles and runs the
project, each timed separately, and emits the JSON result line.

Timings (as in hh_brian2.py): ``build_s`` = Python-side construction + code
generation; ``compile_s`` = make (Brian2's own timer); ``run_s`` = the
simulation loop inside the binary (``device._last_run_time``; excludes
process start-up, synapse creation in the binary and writing results);
``run_binary_s`` = wall time of the whole binary.
"""

import os
import shutil
import tempfile
import time

from va_common import N_TOTAL, emit, log, spike_stats


def add_brian2_args(p):
    p.add_argument("--make-jobs", type=int, default=2, help="parallel make jobs for compiling")
    p.add_argument("--keep", action="store_true", help="keep the generated project directory")
    return p


def run_brian2(args, model, build_network):
    os.environ.setdefault("OMP_NUM_THREADS", "1")

    import brian2 as b2
    from brian2.codegen.cpp_prefs import get_compiler_and_args

    b2.BrianLogger.log_level_warn()

    workdir = tempfile.mkdtemp(prefix=f"neuroladder_brian2_{model}_")
    try:
        t0 = time.perf_counter()
        b2.set_device("cpp_standalone", build_on_run=False, directory=workdir)
        b2.prefs.devices.cpp_standalone.openmp_threads = 0  # one thread
        b2.prefs.devices.cpp_standalone.extra_make_args_unix = [f"-j{max(1, args.make_jobs)}"]
        b2.defaultclock.dt = args.dt * b2.ms
        b2.seed(args.seed)  # seeds the binary's RNG (wiring, rand()/randn())

        mon, info = build_network(b2)
        net = b2.Network(*info.pop("objects"))
        net.run(args.duration * b2.ms)
        b2.device.build(directory=workdir, compile=False, run=False, with_output=False)
        build_s = time.perf_counter() - t0

        t1 = time.perf_counter()
        compiler, _ = get_compiler_and_args()
        b2.device.compile_source(workdir, compiler, debug=False, clean=False)
        compile_wall = time.perf_counter() - t1
        compile_s = b2.device.timers["compile"]["make"] or compile_wall

        t2 = time.perf_counter()
        b2.device.run(directory=workdir, with_output=False)
        run_wall = time.perf_counter() - t2
        run_binary_s = b2.device.timers.get("run_binary") or run_wall
        run_s = getattr(b2.device, "_last_run_time", None)
        if run_s is None:
            log("warning: device._last_run_time not available; run_s is the binary's wall time")
            run_s = run_binary_s

        senders = mon.i[:]
        times_ms = mon.t[:] / b2.ms
        n_syn = {k: int(len(v)) for k, v in info.pop("synapses", {}).items()}
    finally:
        if args.keep:
            log(f"brian2: project kept in {workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)

    spikes, rate_hz, cv_isi, n_cv = spike_stats(senders, times_ms, N_TOTAL, args.duration)
    log(f"brian2 {model}: {spikes} spikes, rate {rate_hz:.3f} Hz, CV(ISI) {cv_isi} "
        f"over {n_cv} neurons; synapses {n_syn}")
    log(f"brian2 {model}: build {build_s:.3f}s, compile {compile_s:.3f}s, "
        f"run {run_s:.3f}s (binary {run_binary_s:.3f}s)")
    result = {
        "peer": "brian2",
        "version": b2.__version__,
        "model": model,
        "n": N_TOTAL,
        "dt": args.dt,
        "duration": args.duration,
        "seed": args.seed,
        "delay": args.delay,
        "build_s": round(build_s, 6),
        "compile_s": round(float(compile_s), 6),
        "run_s": round(float(run_s), 6),
        "run_binary_s": round(float(run_binary_s), 6),
        "spikes": spikes,
        "rate_hz": round(rate_hz, 6),
        "cv_isi": None if cv_isi is None else round(cv_isi, 6),
        "n_cv": n_cv,
        "synapses": sum(n_syn.values()),
    }
    result.update(info)
    emit(result)
