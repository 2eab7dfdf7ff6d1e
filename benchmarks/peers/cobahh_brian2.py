#!/usr/bin/env python
"""Peer benchmark: Brette et al. (2007) benchmark 3 (COBAHH) in Brian2 (C++ standalone).

Run with the python of the ``brian2`` peer venv (see setup_peers.sh):

    python cobahh_brian2.py --duration 10000 --seed 1

Model: Brian2's ``examples/COBAHH.py`` (the Vogels & Abbott 2005 COBA network
with Traub & Miles Hodgkin-Huxley neurons), 4000 neurons, 3200 excitatory +
800 inhibitory, connection probability 0.02.  Per-neuron parameters (area
A = 20000 um^2)::

    Cm   = 1 uF/cm^2 * A      = 200 pF
    gl   = 5e-5 S/cm^2 * A    = 10 nS      El  = -60 mV
    g_na = 100 mS/cm^2 * A    = 20 uS      ENa =  50 mV
    g_kd = 30 mS/cm^2 * A     = 6 uS       EK  = -90 mV
    VT = -63 mV, taue 5 ms, taui 10 ms, Ee 0 mV, Ei -80 mV, we 6 nS, wi 67 nS

    dv/dt  = (gl*(El-v) + ge*(Ee-v) + gi*(Ei-v)
              - g_na*m^3*h*(v-ENa) - g_kd*n^4*(v-EK))/Cm
    dx/dt  = alpha_x*(1-x) - beta_x*x      for x = m, h, n
    dge/dt = -ge/taue,  dgi/dt = -gi/taui
    alpha_m = 0.32/mV * 4 mV / exprel((13 mV - v + VT)/4 mV) / ms
    beta_m  = 0.28/mV * 5 mV / exprel((v - VT - 40 mV)/5 mV) / ms
    alpha_h = 0.128 * exp((17 mV - v + VT)/18 mV) / ms
    beta_h  = 4 / (1 + exp((40 mV - v + VT)/5 mV)) / ms
    alpha_n = 0.032/mV * 5 mV / exprel((15 mV - v + VT)/5 mV) / ms
    beta_n  = 0.5 * exp((10 mV - v + VT)/40 mV) / ms
    (exprel(x) = (exp(x)-1)/x: the example's x/(exp(x)-1) rate forms without 0/0)

    threshold v > -20 mV, refractory 3 ms (no reset; the equations are not
    "unless refractory", so it only stops re-detection on the same spike),
    method exponential_euler
    on_pre: ge += we from i < 3200, gi += wi from i >= 3200
    initial state: v = El + (5*randn() - 5) mV, ge = (1.5*randn() + 4)*10 nS,
    gi = (12*randn() + 20)*10 nS, m = h = n = 0 (the example leaves the gates
    at Brian2's default 0; set explicitly here)

Deviations from the example (for comparability with the other peers): no
autapses (``i != j``; ``--autapses`` restores the example), ``--delay`` (ms,
default one time step dt as in the NEST peer; 0 = the example's same-step
delivery), ``--seed``, dt 0.1 ms (the example's default clock is also 0.1 ms).

Prints exactly one JSON line on stdout at the end; everything else goes to
stderr.  See va_brian2.py for the timing fields.
"""

from brian2_standalone import add_brian2_args
from va_brian2 import connect_ei, run_brian2
from va_common import N_TOTAL, base_parser

EQS = """
dv/dt = (gl*(El - v) + ge*(Ee - v) + gi*(Ei - v)
         - g_na*m**3*h*(v - ENa) - g_kd*n**4*(v - EK))/Cm : volt
dm/dt = alpha_m*(1 - m) - beta_m*m : 1
dh/dt = alpha_h*(1 - h) - beta_h*h : 1
dn/dt = alpha_n*(1 - n) - beta_n*n : 1
dge/dt = -ge/taue : siemens
dgi/dt = -gi/taui : siemens
alpha_m = 0.32/mV*(4*mV)/exprel((13*mV - v + VT)/(4*mV))/ms : Hz
beta_m  = 0.28/mV*(5*mV)/exprel((v - VT - 40*mV)/(5*mV))/ms : Hz
alpha_h = 0.128*exp((17*mV - v + VT)/(18*mV))/ms : Hz
beta_h  = 4/(1 + exp((40*mV - v + VT)/(5*mV)))/ms : Hz
alpha_n = 0.032/mV*(5*mV)/exprel((15*mV - v + VT)/(5*mV))/ms : Hz
beta_n  = 0.5*exp((10*mV - v + VT)/(40*mV))/ms : Hz
"""


def main():
    # As va_brian2.brian2_parser, but the delay defaults to one step (dt), as
    # in the NEST peer (NEST's minimum delay).
    p = base_parser(__doc__.splitlines()[0], None,
                    "synaptic delay (ms); default one step (dt); 0 = same-step "
                    "delivery as in Brian2's example")
    args = add_brian2_args(p).parse_args()
    if args.delay is None:
        args.delay = args.dt

    def build(b2):
        ms, mV, nS = b2.ms, b2.mV, b2.nS
        area = 20000 * b2.umetre ** 2
        ns = dict(
            Cm=(1 * b2.ufarad * b2.cm ** -2) * area,             # 200 pF
            gl=(5e-5 * b2.siemens * b2.cm ** -2) * area,        # 10 nS
            g_na=(100 * b2.msiemens * b2.cm ** -2) * area,      # 20000 nS
            g_kd=(30 * b2.msiemens * b2.cm ** -2) * area,       # 6000 nS
            El=-60 * mV, EK=-90 * mV, ENa=50 * mV, VT=-63 * mV,
            Ee=0 * mV, Ei=-80 * mV,
            taue=5 * ms, taui=10 * ms,
            we=6 * nS,    # excitatory synaptic weight
            wi=67 * nS,   # inhibitory synaptic weight
        )
        P = b2.NeuronGroup(N_TOTAL, EQS, threshold="v > -20*mV", refractory=3 * ms,
                           method="exponential_euler", namespace=ns)
        P.v = "El + (randn()*5 - 5)*mV"
        P.ge = "(randn()*1.5 + 4)*10*nS"
        P.gi = "(randn()*12 + 20)*10*nS"
        P.m = 0
        P.h = 0
        P.n = 0
        mon, info = connect_ei(b2, P, ns, args, "exponential_euler")
        info["spike_detection"] = "v > -20 mV, refractory 3 ms (detection only)"
        return mon, info

    run_brian2(args, "cobahh", build)


if __name__ == "__main__":
    main()
