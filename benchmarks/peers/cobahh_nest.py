#!/usr/bin/env python
"""Peer benchmark: Brette et al. (2007) benchmark 3 (COBAHH) in NEST (hh_cond_exp_traub).

Run with the python of the ``nest`` peer venv (see setup_peers.sh):

    python cobahh_nest.py --duration 10000 --seed 1

The same network as cobahh_brian2.py (Brian2's ``examples/COBAHH.py``), in
NEST's units (pF, nS, mV, ms).  ``hh_cond_exp_traub`` was written for this
benchmark: its rate functions are the Traub & Miles ones of the Brian2
example in V - V_T, and its current balance is the same equation
(C_m dV/dt = -I_Na - I_K - I_L - g_ex (V - E_ex) - g_in (V - E_in) + I_e).
Area 20000 um^2 gives

    C_m 200 pF, g_L 10 nS, g_Na 20000 nS, g_K 6000 nS, E_L -60 mV,
    E_Na 50 mV, E_K -90 mV, V_T -63 mV, E_ex 0 mV, E_in -80 mV,
    tau_syn_ex 5 ms, tau_syn_in 10 ms, I_e 0, t_ref 3 ms
    weights: +6 nS from neurons 0..3199, -67 nS from 3200..3999 (NEST sends
    negative weights to the inhibitory conductance, g_in += 67 nS)
    V_m(0) = -65 + 5*N(0,1) mV, Act_m = Inact_h = Act_n = 0

(these are also NEST's defaults, except t_ref: default 2 ms, Brian2's example 3 ms).

Differences from the Brian2 peer (see the JSON fields ``spike_detection``,
``g_init``):

* Spike detection: NEST emits a spike in the step in which V_m >= V_T + 30 mV
  (-33 mV) *and* V_m has fallen during that step (i.e. at the peak of the
  action potential), then ignores the next t_ref; Brian2's example detects
  the upward crossing of -20 mV (v > -20 mV) and ignores 3 ms from there.  In
  neither model does the refractory period clamp the dynamics.  Spike counts
  agree for ordinary action potentials; NEST's spike times (and hence the
  effective synaptic latency) are later by the rise time from -20 mV to the
  peak (a few tenths of a ms).
* Integration: GSL adaptive RKF45 inside each step (Brian2: exponential Euler
  with dt = 0.1 ms).
* Initial conductances: in NEST 3.10 g_ex/g_in are recordable but cannot be
  set (only V_m and the gates are settable states).  They are given instead
  by a one-off kick: a spike_generator (spike at t = dt, delay dt) connected
  to every neuron with weight g0*exp(-2 dt/tau), g0 drawn as in Brian2
  (g_ex0 = 40 + 15 N(0,1) nS, g_in0 = 200 + 120 N(0,1) nS), so g(t) equals
  Brian2's g0*exp(-t/tau) from t = 2 dt on; it is 0 before.  Draws < 0 are
  set to 0 (a negative weight would go to the other conductance); Brian2
  keeps them (about 0.4% of g_ex0 and 4.8% of g_in0 are negative).  These
  4000 + 4000 kick connections are not counted in ``synapses``.

Delay: ``--delay`` ms (default = dt, NEST's minimum).

The network is built by va_nest.run_nest, with the kick connections added by
its ``before_connect`` hook.  Prints exactly one JSON line on stdout at the end;
everything else goes to stderr.  Timing fields as in va_nest.py: ``build_s`` = ResetKernel + Create +
Connect + ``nest.Prepare()`` (``prepare_s`` alone), ``run_s`` = ``nest.Run``.
"""

import math

from va_common import N_TOTAL
from va_nest import nest_parser, run_nest

NEST_MODEL = "hh_cond_exp_traub"
PARAMS = {
    "C_m": 200.0, "g_L": 10.0, "g_Na": 20000.0, "g_K": 6000.0,
    "E_L": -60.0, "E_Na": 50.0, "E_K": -90.0, "V_T": -63.0,
    "E_ex": 0.0, "E_in": -80.0, "tau_syn_ex": 5.0, "tau_syn_in": 10.0,
    "I_e": 0.0, "t_ref": 3.0,
}
W_EXC = 6.0     # nS
W_INH = -67.0   # nS (negative: inhibitory conductance)
G_EX0 = (40.0, 15.0)    # mean, sd of g_ex(0) in nS
G_IN0 = (200.0, 120.0)  # mean, sd of g_in(0) in nS


def kick_initial_conductances(nest, pop, dt):
    """Initial conductances (not settable in hh_cond_exp_traub): one kick per neuron, arriving at
    t = 2 dt, pre-decayed so that g(t) = g0 exp(-t/tau) from then on; negative draws clipped to 0."""
    t_kick = 2 * dt
    kick = nest.Create("spike_generator", params={"spike_times": [dt]})
    for (mean, sd), tau, sign in ((G_EX0, PARAMS["tau_syn_ex"], 1.0),
                                  (G_IN0, PARAMS["tau_syn_in"], -1.0)):
        f = math.exp(-t_kick / tau)
        w = nest.math.max(nest.random.normal(mean * f, sd * f), 0.0)
        nest.Connect(kick, pop, "all_to_all",
                     {"synapse_model": "static_synapse", "weight": sign * w, "delay": dt})
    return 2 * N_TOTAL


def main():
    args = nest_parser(__doc__.splitlines()[0]).parse_args()
    init = lambda nest: {"V_m": nest.random.normal(-65.0, 5.0),  # noqa: E731
                         "Act_m": 0.0, "Inact_h": 0.0, "Act_n": 0.0}
    run_nest(args, "cobahh", NEST_MODEL, PARAMS, init, W_EXC, W_INH,
             extra={"w_exc_nS": W_EXC, "w_inh_nS": -W_INH, "method": "gsl_rkf45_adaptive",
                    "spike_detection": "V_m >= V_T+30 mV at a local maximum, t_ref 3 ms (detection only)",
                    "g_init": f"kick at t={2 * args.dt:g} ms, pre-decayed, negative draws clipped to 0"},
             before_connect=kick_initial_conductances)


if __name__ == "__main__":
    main()
