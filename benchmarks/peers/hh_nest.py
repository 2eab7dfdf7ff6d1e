#!/usr/bin/env python
"""Peer benchmark: N independent Hodgkin-Huxley neurons in NEST (hh_psc_alpha).

Run with the python of the ``nest`` peer venv (see setup_peers.sh):

    python hh_nest.py --n 10000 --dt 0.01 --duration 100 --current 10

``hh_psc_alpha`` is the 1952 squid-axon model (rates at 6.3 degC) in absolute
units (pF, nS, pA).  With a membrane area of 1e-4 cm^2:
1 uF/cm^2 -> C_m = 100 pF, 120/36/0.3 mS/cm^2 -> g_Na/g_K/g_L = 12000/3600/30 nS,
J uA/cm^2 -> I_e = 100*J pA.  NEST integrates each neuron with GSL's adaptive
RKF45 inside every step of ``resolution`` = dt, so dt sets the communication
grid, not the ODE step.  Spikes: NEST emits one when V_m is at a local maximum
above 0 mV (then t_ref = 2 ms without detection); counted by a spike_recorder.

Prints exactly one JSON line on stdout at the end; everything else goes to
stderr.  ``build_s``: kernel reset, node creation and connection;
``run_s``: ``nest.Simulate(duration)`` alone.
"""

import time

from hh_common import crossings, emit_result, hh_parser, spike_summary, steady_state
from peer_io import import_nest, log  # first: keeps stdout for the result line


def main():
    args = hh_parser(__doc__.splitlines()[0], dt_help="resolution (ms)").parse_args()
    nest = import_nest()

    area_cm2 = 1e-4
    nS_per_mS_cm2 = area_cm2 * 1e6  # mS/cm2 * cm2 = mS, and 1 mS = 1e6 nS
    V0 = -65.0
    m0, h0, n0 = steady_state(V0)
    params = {
        "C_m": 1.0 * area_cm2 * 1e6,          # uF/cm2 * cm2 -> uF -> pF: 100
        "g_Na": 120.0 * nS_per_mS_cm2,        # 12000 nS
        "g_K": 36.0 * nS_per_mS_cm2,          # 3600 nS
        "g_L": 0.3 * nS_per_mS_cm2,           # 30 nS
        "E_Na": 50.0,
        "E_K": -77.0,
        "E_L": args.el,
        "I_e": args.current * area_cm2 * 1e6,  # uA/cm2 * cm2 -> uA -> pA: 1000
        "V_m": V0,
        "Act_m": m0,
        "Inact_h": h0,
        "Act_n": n0,
    }

    t0 = time.perf_counter()
    nest.ResetKernel()
    nest.SetKernelStatus({
        "resolution": args.dt,
        "local_num_threads": 1,
        "print_time": False,
    })
    neurons = nest.Create("hh_psc_alpha", args.n, params=params)
    rec = None
    if not args.no_spikes:
        rec = nest.Create("spike_recorder")
        nest.Connect(neurons, rec)
    meter = None
    if args.trace_first:
        meter = nest.Create("multimeter", params={"record_from": ["V_m"], "interval": args.dt})
        nest.Connect(meter, neurons[0])
    build_s = time.perf_counter() - t0

    t1 = time.perf_counter()
    nest.Simulate(args.duration)
    run_s = time.perf_counter() - t1

    first = None
    if meter is not None:  # NEST records V_m at the end of each step: prepend the initial state
        ev = meter.get("events")
        first = crossings([0.0] + list(ev["times"]), [V0] + list(ev["V_m"]))
    spikes = None
    if rec is not None:
        spikes = int(rec.get("n_events"))
        log(f"nest: {spike_summary(spikes, args)}")
    log(f"nest: build {build_s:.3f}s, run {run_s:.3f}s "
        f"(C_m {params['C_m']:g} pF, I_e {params['I_e']:g} pA, "
        f"threads {nest.GetKernelStatus('local_num_threads')}, "
        f"resolution {nest.GetKernelStatus('resolution')})")

    emit_result("nest", nest.__version__, args, build_s, run_s, spikes,
                model="hh_psc_alpha", method="gsl_rkf45_adaptive", first_spikes=first)


if __name__ == "__main__":
    main()
