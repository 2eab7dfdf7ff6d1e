#!/usr/bin/env python
"""Peer benchmark: one CUBA LIF neuron with given input trains in Brian2 (C++ standalone).

    python lif_brian2.py --inputs inputs.json --dt 0.1 --duration 1000 [--method exact]

The equations of Brian2's ``examples/CUBA.py`` (``method='exact'`` there, the default here), inputs
from a SpikeGeneratorGroup through Synapses with ``on_pre`` jumps and delay ``--delay``. Spike times are
the SpikeMonitor's (the start of the step after which v > threshold). One JSON line: ``spikes`` (ms),
``run_s`` (the binary's own loop timer), ``build_s``, ``compile_s``.
"""

from brian2_standalone import add_brian2_args, run_standalone
from lif_common import (
    E_L,
    T_REF,
    TAU_EXC,
    TAU_INH,
    TAU_M,
    V0,
    V_RESET,
    V_TH,
    W_EXC_MV,
    W_INH_MV,
    lif_parser,
    read_inputs,
)
from peer_io import emit, log  # first: keeps stdout for the result line


def main():
    p = lif_parser(__doc__.splitlines()[0])
    p.add_argument("--method", default="exact")
    args = add_brian2_args(p).parse_args()
    n_exc, trains = read_inputs(args.inputs)

    def build(b2):
        ms, mV = b2.ms, b2.mV
        eqs = """
        dv/dt  = (ge + gi - (v - El)) / taum : volt (unless refractory)
        dge/dt = -ge / taue : volt
        dgi/dt = -gi / taui : volt
        """
        ns = dict(taum=TAU_M * ms, taue=TAU_EXC * ms, taui=TAU_INH * ms, El=E_L * mV, Vt=V_TH * mV,
                  Vr=V_RESET * mV, we=W_EXC_MV * mV, wi=W_INH_MV * mV)
        G = b2.NeuronGroup(1, eqs, threshold="v > Vt", reset="v = Vr", refractory=T_REF * ms,
                           method=args.method, namespace=ns)
        G.v = V0 * mV
        idx = [k for k, train in enumerate(trains) for _ in train]
        times = [t for train in trains for t in train]
        inp = b2.SpikeGeneratorGroup(len(trains), idx, times * ms)
        se = b2.Synapses(inp, G, on_pre="ge += we", delay=args.delay * ms, namespace=ns)
        se.connect(i=list(range(n_exc)), j=0)
        si = b2.Synapses(inp, G, on_pre="gi += wi", delay=args.delay * ms, namespace=ns)
        si.connect(i=list(range(n_exc, len(trains))), j=0)
        mon = b2.SpikeMonitor(G)
        b2.run(args.duration * ms)
        return G, inp, se, si, mon

    def collect(b2, state):
        return [float(x) for x in state[-1].t / b2.ms]

    t, spikes = run_standalone(args, "neuroladder_lif_brian2_", build, collect)
    import brian2

    log(f"brian2: {len(spikes)} spikes, run {t['run_s']:.4f}s, compile {t['compile_s']:.1f}s")
    emit({"peer": "brian2", "version": brian2.__version__, "dt": args.dt, "method": args.method,
          "build_s": t["build_s"], "compile_s": float(t["compile_s"]), "run_s": float(t["run_s"]),
          "spikes": spikes})


if __name__ == "__main__":
    main()
