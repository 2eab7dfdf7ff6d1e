"""Shared by lif_brian2.py and lif_nest.py: one CUBA LIF neuron driven by given input trains (issue 21 case d).

The neuron of Brian2's ``examples/CUBA.py`` (Brette et al. 2007 benchmark 2): tau_m 20 ms, E_L -49 mV,
threshold -50 mV, reset -60 mV, refractory 5 ms, exponential synaptic currents (tau 5 ms exc., 10 ms inh.)
with jumps of 1.62 mV and -9 mV (= 20.25 pA and -112.5 pA with C = 250 pF), starting at v = -60 mV.
The inputs (ms, on a 0.1 ms grid) come in a JSON file: ``{"n_exc": K, "trains": [[...], ...]}``, trains
0..K-1 excitatory; every spike arrives ``--delay`` ms (default 0.1) later. Standard library only.
"""

import argparse
import json

C_M, TAU_M, E_L, V_TH, V_RESET, T_REF, TAU_EXC, TAU_INH, V0 = 250.0, 20.0, -49.0, -50.0, -60.0, 5.0, 5.0, 10.0, -60.0
W_EXC_MV, W_INH_MV = 1.62, -9.0                       # CUBA.py's jumps of the voltage-unit currents
W_EXC_PA, W_INH_PA = W_EXC_MV * C_M / TAU_M, W_INH_MV * C_M / TAU_M


def lif_parser(description):
    p = argparse.ArgumentParser(description=description)
    p.add_argument("--inputs", required=True, help="JSON file with n_exc and trains (ms)")
    p.add_argument("--dt", type=float, default=0.1, help="time step / resolution (ms)")
    p.add_argument("--duration", type=float, default=1000.0, help="simulated time (ms)")
    p.add_argument("--delay", type=float, default=0.1, help="synaptic delay (ms)")
    return p


def read_inputs(path):
    with open(path) as fh:
        spec = json.load(fh)
    return int(spec["n_exc"]), [list(map(float, t)) for t in spec["trains"]]
