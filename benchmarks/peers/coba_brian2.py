#!/usr/bin/env python
"""Peer benchmark: Brette et al. (2007) benchmark 1 (COBA) in Brian2 (C++ standalone).

Run with the python of the ``brian2`` peer venv (see setup_peers.sh):

    python coba_brian2.py --duration 10000 --seed 1

Model: the Vogels & Abbott (2005) network with conductance-based exponential
synapses as in Brette et al. (2007) benchmark 1 and Brian's COBA example
(written here in absolute units, the form of Brian2's COBAHH example without
the HH currents), 4000 LIF neurons, 3200 excitatory + 800 inhibitory,
connection probability 0.02::

    dv/dt  = (gl*(El-v)+ge*(Ee-v)+gi*(Ei-v))/Cm : volt (unless refractory)
    dge/dt = -ge/taue : siemens
    dgi/dt = -gi/taui : siemens
    threshold v > Vt, reset v = Vr, refractory 5 ms
    area 20000 um^2, Cm = 1 uF/cm^2 * area = 200 pF,
    gl = 5e-5 S/cm^2 * area = 10 nS (taum = 20 ms),
    El -60 mV, Vt -50 mV, Vr -60 mV, Ee 0 mV, Ei -80 mV, taue 5 ms, taui 10 ms
    on_pre: ge += we (6 nS) from i < 3200, gi += wi (67 nS) from i >= 3200
    initial state (Brette et al. 2007 / Brian's COBA example):
      v  = El + (randn()*5 - 5) mV,
      ge = (randn()*1.5 + 4) * 10 nS,  gi = (randn()*12 + 20) * 10 nS

Integration: ``--method`` (default exponential_euler: exact for ge, gi and,
given ge, gi, for v; Brian2's automatic choice would be forward euler).
No autapses unless ``--autapses``; ``--delay`` (ms, default 0 = same-step
delivery as in Brian2's examples).

Prints exactly one JSON line on stdout at the end; everything else goes to
stderr.  See va_brian2.py for the timing fields.
"""

from va_brian2 import brian2_parser, connect_ei, run_brian2
from va_common import N_TOTAL


def main():
    p = brian2_parser(__doc__.splitlines()[0])
    p.add_argument("--method", default="exponential_euler",
                   help="Brian2 state updater (exponential_euler, euler, rk2, rk4)")
    args = p.parse_args()

    def build(b2):
        ms, mV, nS = b2.ms, b2.mV, b2.nS
        area = 20000 * b2.umetre ** 2
        ns = dict(
            Cm=(1 * b2.ufarad * b2.cm ** -2) * area,        # 200 pF
            gl=(5e-5 * b2.siemens * b2.cm ** -2) * area,   # 10 nS
            El=-60 * mV, Vt=-50 * mV, Vr=-60 * mV,
            Ee=0 * mV, Ei=-80 * mV,
            taue=5 * ms, taui=10 * ms,
            we=6 * nS,    # excitatory synaptic weight
            wi=67 * nS,   # inhibitory synaptic weight
        )
        eqs = """
        dv/dt  = (gl*(El-v)+ge*(Ee-v)+gi*(Ei-v))/Cm : volt (unless refractory)
        dge/dt = -ge/taue : siemens
        dgi/dt = -gi/taui : siemens
        """
        P = b2.NeuronGroup(N_TOTAL, eqs, threshold="v>Vt", reset="v = Vr",
                           refractory=5 * ms, method=args.method, namespace=ns)
        P.v = "El + (randn()*5 - 5)*mV"
        P.ge = "(randn()*1.5 + 4)*10*nS"
        P.gi = "(randn()*12 + 20)*10*nS"
        return connect_ei(b2, P, ns, args, args.method)

    run_brian2(args, "coba", build)


if __name__ == "__main__":
    main()
