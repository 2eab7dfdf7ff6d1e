#!/usr/bin/env python
"""Peer benchmark: Brette et al. (2007) benchmark 1 (COBA) in NEST (iaf_cond_exp).

Run with the python of the ``nest`` peer venv (see setup_peers.sh):

    python coba_nest.py --duration 10000 --seed 1

The same network as coba_brian2.py, in NEST's units (pF, nS, mV, ms):

    C_m 200 pF, g_L 10 nS, E_L -60 mV, V_th -50 mV, V_reset -60 mV,
    t_ref 5 ms, E_ex 0 mV, E_in -80 mV, tau_syn_ex 5 ms, tau_syn_in 10 ms
    weights: +6 nS from neurons 0..3199, -67 nS from 3200..3999 (NEST sends
    negative weights to the inhibitory conductance, g_in += 67 nS)
    V_m(0) = -65 + 5*N(0,1) mV, g_ex(0) = 40 + 15*N(0,1) nS,
    g_in(0) = 200 + 120*N(0,1) nS

iaf_cond_exp is integrated with GSL's adaptive RKF45 inside each step
(Brian2 peer: exponential Euler with dt).  Spikes when V_m >= V_th.  Delay:
``--delay`` ms (default = dt, NEST's minimum).

Prints exactly one JSON line on stdout at the end; everything else goes to
stderr.  See va_nest.py for the timing fields.
"""

from va_nest import nest_parser, run_nest


def main():
    args = nest_parser(__doc__.splitlines()[0]).parse_args()
    params = {
        "C_m": 200.0, "g_L": 10.0, "E_L": -60.0, "V_th": -50.0, "V_reset": -60.0,
        "t_ref": 5.0, "E_ex": 0.0, "E_in": -80.0,
        "tau_syn_ex": 5.0, "tau_syn_in": 10.0, "I_e": 0.0,
    }

    def init(nest):
        return {
            "V_m": nest.random.normal(-65.0, 5.0),
            "g_ex": nest.random.normal(40.0, 15.0),
            "g_in": nest.random.normal(200.0, 120.0),
        }

    run_nest(args, "coba", "iaf_cond_exp", params, init, 6.0, -67.0,
             {"w_exc_nS": 6.0, "w_inh_nS": 67.0, "method": "gsl_rkf45_adaptive"})


if __name__ == "__main__":
    main()
