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

from brian2_standalone import add_brian2_args, run_standalone
from hh_common import crossings, emit_result, hh_parser, spike_summary, steady_state
from peer_io import log  # first: keeps stdout for the result line


def main():
    p = hh_parser(__doc__.splitlines()[0])
    args = add_brian2_args(p).parse_args()

    def build(b2):
        ms, mV, uF, uA, cm, msiemens = b2.ms, b2.mV, b2.uF, b2.uA, b2.cm, b2.msiemens
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
            EL=args.el * mV,
            I_ext=args.current * uA / cm**2,
        )
        if args.no_spikes:
            G = b2.NeuronGroup(args.n, eqs, method="exponential_euler", namespace=namespace)
        else:
            # Upward crossing of 0 mV: a spike is emitted when v > 0 mV and the
            # neuron is not "refractory"; it stays refractory while v > 0 mV.
            # The equations are not marked (unless refractory), so this only
            # affects spike detection, not the dynamics.
            G = b2.NeuronGroup(args.n, eqs, method="exponential_euler",
                               threshold="v > 0*mV", refractory="v > 0*mV",
                               namespace=namespace)

        # Rest at -65 mV with gates at their steady state there.
        V = -65.0
        G.v = V * mV
        G.m, G.h, G.n = steady_state(V)

        mon = None if args.no_spikes else b2.SpikeMonitor(G, record=False)
        trace = b2.StateMonitor(G, "v", record=[0]) if args.trace_first else None
        b2.run(args.duration * ms)
        return G, mon, trace  # keep G alive until the code is generated

    def collect(b2, state):
        mon, trace = state[1], state[2]
        first = None
        if trace is not None:  # samples at the start of each step: v(t) after t / dt steps
            first = crossings(list(trace.t / b2.ms), list(trace.v[0] / b2.mV))
        return (None if mon is None else int(mon.num_spikes)), first

    t, (spikes, first) = run_standalone(args, "neuroladder_brian2_", build, collect)

    import brian2

    if spikes is not None:
        log(f"brian2: {spike_summary(spikes, args)}")
    log(f"brian2: build {t['build_s']:.3f}s, compile {t['compile_s']:.3f}s, "
        f"run {t['run_s']:.3f}s (binary {t['run_binary_s']:.3f}s)")

    emit_result("brian2", brian2.__version__, args, t["build_s"], t["run_s"], spikes,
                compile_s=round(float(t["compile_s"]), 6),
                run_binary_s=round(float(t["run_binary_s"]), 6),
                method="exponential_euler", first_spikes=first)


if __name__ == "__main__":
    main()
