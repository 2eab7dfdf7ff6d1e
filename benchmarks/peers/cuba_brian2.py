#!/usr/bin/env python
"""Peer benchmark: Brette et al. (2007) benchmark 2 (CUBA) in Brian2 (C++ standalone).

Run with the python of the ``brian2`` peer venv (see setup_peers.sh):

    python cuba_brian2.py --duration 10000 --seed 1

Model: Brian2's documented ``examples/CUBA.py`` (Vogels & Abbott 2005 network,
current-based exponential synapses with "conductances" in volt), 4000 LIF
neurons, 3200 excitatory + 800 inhibitory, connection probability 0.02::

    dv/dt  = (ge+gi-(v-El))/taum : volt (unless refractory)
    dge/dt = -ge/taue : volt
    dgi/dt = -gi/taui : volt
    threshold v > Vt, reset v = Vr, refractory 5 ms, method 'exact'
    taum 20 ms, taue 5 ms, taui 10 ms, Vt -50 mV, Vr -60 mV, El -49 mV
    on_pre: ge += we (we = 60*0.27/10 mV = 1.62 mV) from i < 3200,
            gi += wi (wi = -20*4.5/10 mV = -9 mV)  from i >= 3200
    v(0) uniform in [Vr, Vt), ge(0) = gi(0) = 0

Deviations from the example (for comparability with the other peers): no
autapses (``i != j``; ``--autapses`` restores the example), ``--delay`` (ms,
default 0 = the example's immediate delivery), ``--seed``, dt 0.1 ms
(the example's default clock is also 0.1 ms).

Prints exactly one JSON line on stdout at the end; everything else goes to
stderr.  See va_brian2.py for the timing fields.
"""

from va_brian2 import brian2_parser, connect_ei, run_brian2
from va_common import N_TOTAL


def main():
    p = brian2_parser(__doc__.splitlines()[0])
    args = p.parse_args()

    def build(b2):
        ms, mV = b2.ms, b2.mV
        ns = dict(
            taum=20 * ms, taue=5 * ms, taui=10 * ms,
            Vt=-50 * mV, Vr=-60 * mV, El=-49 * mV,
            we=(60 * 0.27 / 10) * mV,   # excitatory synaptic weight (voltage)
            wi=(-20 * 4.5 / 10) * mV,   # inhibitory synaptic weight
        )
        eqs = """
        dv/dt  = (ge+gi-(v-El))/taum : volt (unless refractory)
        dge/dt = -ge/taue : volt
        dgi/dt = -gi/taui : volt
        """
        P = b2.NeuronGroup(N_TOTAL, eqs, threshold="v>Vt", reset="v = Vr",
                           refractory=5 * ms, method="exact", namespace=ns)
        P.v = "Vr + rand() * (Vt - Vr)"
        P.ge = 0 * mV
        P.gi = 0 * mV
        return connect_ei(b2, P, ns, args, "exact")

    run_brian2(args, "cuba", build)


if __name__ == "__main__":
    main()
