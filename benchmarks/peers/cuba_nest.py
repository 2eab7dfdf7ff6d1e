#!/usr/bin/env python
"""Peer benchmark: Brette et al. (2007) benchmark 2 (CUBA) in NEST (iaf_psc_exp).

Run with the python of the ``nest`` peer venv (see setup_peers.sh):

    python cuba_nest.py --duration 10000 --seed 1

The same network as cuba_brian2.py (Brian2's ``examples/CUBA.py``), in
NEST's units.  Brian2's "ge"/"gi" have units of voltage and enter as
dv/dt = (ge + gi - (v - El))/taum; iaf_psc_exp has
dV/dt = -(V - E_L)/tau_m + I_syn/C_m, so I_syn = g*C_m/tau_m and a jump
we (mV) in ge is a jump J = we*C_m/tau_m (pA) in I_syn.  With C_m = 250 pF,
tau_m = 20 ms: we = 1.62 mV -> J_ex = 20.25 pA, wi = -9 mV -> J_in = -112.5 pA
(only C_m/tau_m matters; the dynamics are identical for any C_m).

    C_m 250 pF, tau_m 20 ms, E_L -49 mV, V_th -50 mV, V_reset -60 mV,
    t_ref 5 ms, tau_syn_ex 5 ms, tau_syn_in 10 ms, I_e 0,
    V_m(0) uniform in [-60, -50) mV, I_syn(0) = 0

iaf_psc_exp is integrated exactly (as Brian2's method 'exact').  Spikes when
V_m >= V_th (Brian2: v > Vt).  Delay: ``--delay`` ms (default = dt, NEST's
minimum; a spike emitted in step n changes I_syn at the end of step n+1,
one step later than Brian2's zero-delay example).

Prints exactly one JSON line on stdout at the end; everything else goes to
stderr.  See va_nest.py for the timing fields.
"""

from va_nest import nest_parser, run_nest

C_M = 250.0   # pF
TAU_M = 20.0  # ms
WE_MV = 60 * 0.27 / 10   # 1.62 mV  (Brian2 example)
WI_MV = -20 * 4.5 / 10   # -9 mV


def main():
    args = nest_parser(__doc__.splitlines()[0]).parse_args()
    params = {
        "C_m": C_M, "tau_m": TAU_M, "E_L": -49.0, "V_th": -50.0, "V_reset": -60.0,
        "t_ref": 5.0, "tau_syn_ex": 5.0, "tau_syn_in": 10.0, "I_e": 0.0,
    }
    w_exc = WE_MV * C_M / TAU_M   # 20.25 pA
    w_inh = WI_MV * C_M / TAU_M   # -112.5 pA

    def init(nest):
        return {"V_m": nest.random.uniform(-60.0, -50.0)}

    run_nest(args, "cuba", "iaf_psc_exp", params, init, w_exc, w_inh,
             {"w_exc_pA": w_exc, "w_inh_pA": w_inh, "method": "exact"})


if __name__ == "__main__":
    main()
