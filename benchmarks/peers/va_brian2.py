"""Brian2 C++-standalone driver shared by cuba_brian2.py and coba_brian2.py.

``brian2_parser(description)``: the common arguments (``va_common.base_parser``
with Brian2's delay default 0 = same-step delivery, ``--make-jobs``, ``--keep``).

``connect_ei(b2, P, ns, args, method)``: excitatory (``ge += we``, from
i < 3200) and inhibitory (``gi += wi``, from i >= 3200) Synapses on the group
``P`` with p = 0.02, ``--delay`` and ``--autapses``, and a SpikeMonitor;
returns ``(spike_monitor, info_dict)`` as ``build_network`` must.

``run_brian2(args, model, build_network)``: sets up the standalone device
(one thread, no OpenMP), seeds it, calls ``build_network(b2)`` (``b2`` is the
brian2 module; it must create the NeuronGroup/Synapses/SpikeMonitor and return
``(spike_monitor, info_dict)``, with all Brian objects in ``info["objects"]``
and the Synapses by name in ``info["synapses"]``), then generates code, compiles and runs the
project, each timed separately (see brian2_standalone.py, as in hh_brian2.py),
and emits the JSON result line.
"""

from brian2_standalone import add_brian2_args, run_standalone
from peer_io import emit, log
from va_common import N_EXC, N_TOTAL, P_CONN, base_parser, spike_stats


def brian2_parser(description):
    p = base_parser(description, 0.0,
                    "synaptic delay (ms); 0 = same-step delivery as in Brian2's examples")
    return add_brian2_args(p)


def connect_ei(b2, P, ns, args, method):
    kw = {"delay": args.delay * b2.ms} if args.delay > 0 else {}
    Ce = b2.Synapses(P, P, on_pre="ge += we", namespace=ns, **kw)
    Ci = b2.Synapses(P, P, on_pre="gi += wi", namespace=ns, **kw)
    noself = "" if args.autapses else " and i != j"
    Ce.connect(f"i<{N_EXC}{noself}", p=P_CONN)
    Ci.connect(f"i>={N_EXC}{noself}", p=P_CONN)
    mon = b2.SpikeMonitor(P)
    return mon, {"objects": [P, Ce, Ci, mon],
                 "synapses": {"exc": Ce, "inh": Ci}, "method": method,
                 "autapses": bool(args.autapses)}


def run_brian2(args, model, build_network):
    def build(b2):
        b2.seed(args.seed)  # seeds the binary's RNG (wiring, rand()/randn())
        mon, info = build_network(b2)
        net = b2.Network(*info.pop("objects"))
        net.run(args.duration * b2.ms)
        return mon, info

    def collect(b2, state):
        mon, info = state
        n_syn = {k: int(len(v)) for k, v in info.pop("synapses", {}).items()}
        return mon.i[:], mon.t[:] / b2.ms, n_syn, info

    t, (senders, times_ms, n_syn, info) = run_standalone(
        args, f"neuroladder_brian2_{model}_", build, collect)

    import brian2 as b2

    spikes, rate_hz, cv_isi, n_cv = spike_stats(senders, times_ms, N_TOTAL, args.duration)
    log(f"brian2 {model}: {spikes} spikes, rate {rate_hz:.3f} Hz, CV(ISI) {cv_isi} "
        f"over {n_cv} neurons; synapses {n_syn}")
    log(f"brian2 {model}: build {t['build_s']:.3f}s, compile {t['compile_s']:.3f}s, "
        f"run {t['run_s']:.3f}s (binary {t['run_binary_s']:.3f}s)")
    result = {
        "peer": "brian2",
        "version": b2.__version__,
        "model": model,
        "n": N_TOTAL,
        "dt": args.dt,
        "duration": args.duration,
        "seed": args.seed,
        "delay": args.delay,
        "build_s": round(t["build_s"], 6),
        "compile_s": round(float(t["compile_s"]), 6),
        "run_s": round(float(t["run_s"]), 6),
        "run_binary_s": round(float(t["run_binary_s"]), 6),
        "spikes": spikes,
        "rate_hz": round(rate_hz, 6),
        "cv_isi": None if cv_isi is None else round(cv_isi, 6),
        "n_cv": n_cv,
        "synapses": sum(n_syn.values()),
    }
    result.update(info)
    emit(result)
