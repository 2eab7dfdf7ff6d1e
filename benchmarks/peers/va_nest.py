"""NEST driver shared by cuba_nest.py and coba_nest.py.

``nest_parser(description)``: the common arguments (``va_common.base_parser``
with ``--delay`` defaulting to dt, NEST's minimum).

``run_nest(args, model, nest_model, params, init, w_exc, w_inh, extra, before_connect)``:
one thread, ``resolution`` = dt, ``rng_seed`` = seed; creates 4000 nodes of
``nest_model`` with ``params``, sets the initial state ``init`` (dict of
state name -> value or nest.random parameter), connects neurons 0..3199
(weight ``w_exc``) and 3200..3999 (weight ``w_inh``, negative = inhibitory
receptor) to all 4000 with ``pairwise_bernoulli`` p = 0.02 (no autapses unless
``--autapses``) and delay ``--delay`` (default and minimum: dt), records spikes
with a spike_recorder and emits the JSON result line.

Timings: ``build_s`` = ResetKernel + Create + Connect + ``nest.Prepare()``
(NEST builds its presynaptic connection tables there; ``prepare_s`` reports
that part alone); ``run_s`` = ``nest.Run(duration)`` alone.
"""

import time

from peer_io import emit, import_nest, log
from va_common import N_EXC, N_TOTAL, P_CONN, base_parser, spike_stats


def nest_parser(description):
    return base_parser(description, None, "synaptic delay (ms); default dt (NEST's minimum)")


def run_nest(args, model, nest_model, params, init, w_exc, w_inh, extra=None, before_connect=None):
    """``before_connect(nest, pop, dt)``, if given, adds devices before the network is wired and
    returns how many connections it made (left out of ``synapses``)."""
    nest = import_nest()

    delay = args.delay if args.delay is not None else args.dt

    t0 = time.perf_counter()
    nest.ResetKernel()
    nest.SetKernelStatus({
        "resolution": args.dt,
        "local_num_threads": 1,
        "rng_seed": args.seed,
        "print_time": False,
    })
    pop = nest.Create(nest_model, N_TOTAL, params=params)
    init = init(nest) if callable(init) else init
    if init:
        pop.set(init)
    n_device = before_connect(nest, pop, args.dt) if before_connect else 0
    exc = pop[:N_EXC]
    inh = pop[N_EXC:]
    conn = {"rule": "pairwise_bernoulli", "p": P_CONN,
            "allow_autapses": bool(args.autapses)}
    nest.Connect(exc, pop, conn, {"synapse_model": "static_synapse",
                                  "weight": w_exc, "delay": delay})
    nest.Connect(inh, pop, conn, {"synapse_model": "static_synapse",
                                  "weight": w_inh, "delay": delay})
    rec = nest.Create("spike_recorder")
    nest.Connect(pop, rec)
    t_prep = time.perf_counter()
    nest.Prepare()
    prepare_s = time.perf_counter() - t_prep
    build_s = time.perf_counter() - t0

    t1 = time.perf_counter()
    nest.Run(args.duration)
    run_s = time.perf_counter() - t1
    nest.Cleanup()

    n_syn = nest.GetKernelStatus("num_connections") - N_TOTAL - n_device  # minus recorder, device links
    ev = rec.get("events")
    first_id = pop[0].global_id
    senders = ev["senders"] - first_id
    spikes, rate_hz, cv_isi, n_cv = spike_stats(senders, ev["times"], N_TOTAL, args.duration)
    log(f"nest {model}: {spikes} spikes, rate {rate_hz:.3f} Hz, CV(ISI) {cv_isi} "
        f"over {n_cv} neurons; {n_syn} synapses")
    log(f"nest {model}: build {build_s:.3f}s (prepare {prepare_s:.3f}s), run {run_s:.3f}s "
        f"(threads {nest.GetKernelStatus('local_num_threads')}, "
        f"resolution {nest.GetKernelStatus('resolution')}, delay {delay})")
    result = {
        "peer": "nest",
        "version": nest.__version__,
        "model": model,
        "n": N_TOTAL,
        "dt": args.dt,
        "duration": args.duration,
        "seed": args.seed,
        "delay": delay,
        "build_s": round(build_s, 6),
        "prepare_s": round(prepare_s, 6),
        "compile_s": 0.0,
        "run_s": round(run_s, 6),
        "spikes": spikes,
        "rate_hz": round(rate_hz, 6),
        "cv_isi": None if cv_isi is None else round(cv_isi, 6),
        "n_cv": n_cv,
        "synapses": int(n_syn),
        "nest_model": nest_model,
        "autapses": bool(args.autapses),
    }
    if extra:
        result.update(extra)
    emit(result)
