#!/usr/bin/env python
"""Peer benchmark: one CUBA LIF neuron with given input trains in NEST.

    python lif_nest.py --inputs inputs.json --dt 0.1 --duration 1000 [--model iaf_psc_exp]

``iaf_psc_exp`` (exact integration on the grid, spikes at step ends) or ``iaf_psc_exp_ps`` (precise
spike times within the step); one ``spike_generator`` per input train, weights in pA, delay ``--delay``.
One JSON line: ``spikes`` (ms), ``run_s`` (``nest.Simulate`` alone), ``build_s``.
"""

import time

from lif_common import (
    C_M,
    E_L,
    T_REF,
    TAU_EXC,
    TAU_INH,
    TAU_M,
    V0,
    V_RESET,
    V_TH,
    W_EXC_PA,
    W_INH_PA,
    lif_parser,
    read_inputs,
)
from peer_io import emit, import_nest, log  # first: keeps stdout for the result line


def main():
    p = lif_parser(__doc__.splitlines()[0])
    p.add_argument("--model", default="iaf_psc_exp", choices=("iaf_psc_exp", "iaf_psc_exp_ps"))
    args = p.parse_args()
    n_exc, trains = read_inputs(args.inputs)
    nest = import_nest()
    t0 = time.perf_counter()
    nest.ResetKernel()
    nest.SetKernelStatus({"resolution": args.dt, "local_num_threads": 1, "print_time": False})
    neuron = nest.Create(args.model, 1, params={
        "C_m": C_M, "tau_m": TAU_M, "E_L": E_L, "V_th": V_TH, "V_reset": V_RESET, "t_ref": T_REF,
        "tau_syn_ex": TAU_EXC, "tau_syn_in": TAU_INH, "I_e": 0.0, "V_m": V0})
    for k, train in enumerate(trains):
        gen = nest.Create("spike_generator", params={"spike_times": train})
        nest.Connect(gen, neuron, syn_spec={"weight": W_EXC_PA if k < n_exc else W_INH_PA, "delay": args.delay})
    rec = nest.Create("spike_recorder")
    nest.Connect(neuron, rec)
    build_s = time.perf_counter() - t0
    t1 = time.perf_counter()
    nest.Simulate(args.duration)
    run_s = time.perf_counter() - t1
    spikes = sorted(float(x) for x in rec.get("events")["times"])
    log(f"nest: {len(spikes)} spikes, run {run_s:.4f}s")
    emit({"peer": "nest", "version": nest.__version__, "dt": args.dt, "model": args.model, "build_s": build_s,
          "run_s": run_s, "spikes": spikes})


if __name__ == "__main__":
    main()
