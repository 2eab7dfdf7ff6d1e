"""NEURON: one cable section, fixed step (the cable benchmark of issue 4, the work-precision case of issue 21).

    cable_neuron.py --kind hh --length 1000 --diam 1 --ra 100 --nseg 1001 --duration 100 --dt 0.025
    cable_neuron.py --kind pas --nseg 10001
    cable_neuron.py --kind hh --secondorder 2 --usetable 0 --dt 0.025      # Crank-Nicolson, exact rates

A 1 nA, 1 ms current pulse at x = 0 (IClamp at 1 ms); backward Euler (NEURON's default,
secondorder = 0) unless ``--secondorder 2``; hh at 6.3 degC with el_hh = -54.387 mV, rate tables
as NEURON's default (``--usetable 1``) or exact rates (``--usetable 0``); passive: g_pas 0.05 mS/cm^2,
e_pas -65 mV. Reports the first upward 0 mV crossing (linearly interpolated between steps, ms) at
x = 0.5 and x = 1 (``t_mid``, ``t_far``; null if none) and the best wall time of ``--repeat`` runs.
"""

import argparse
import math
import time

import peer_io


def crossing(t, v, threshold=0.0):
    for i in range(len(v) - 1):
        if v[i] < threshold <= v[i + 1]:
            return t[i] + (threshold - v[i]) / (v[i + 1] - v[i]) * (t[i + 1] - t[i])
    return math.nan


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--kind", choices=("hh", "pas"), default="hh")
    p.add_argument("--length", type=float, default=1000.0)
    p.add_argument("--diam", type=float, default=1.0)
    p.add_argument("--ra", type=float, default=100.0)
    p.add_argument("--nseg", type=int, default=1001)
    p.add_argument("--duration", type=float, default=100.0)
    p.add_argument("--dt", type=float, default=0.025)
    p.add_argument("--secondorder", type=int, choices=(0, 2), default=0)
    p.add_argument("--usetable", type=int, choices=(0, 1), default=1)
    p.add_argument("--repeat", type=int, default=1)
    args = p.parse_args()
    import neuron
    from neuron import h

    start = time.perf_counter()
    h.celsius = 6.3
    sec = h.Section(name="cable")
    sec.L, sec.diam, sec.Ra, sec.nseg = args.length, args.diam, args.ra, args.nseg
    sec.cm = 1.0
    if args.kind == "hh":
        sec.insert("hh")
        h.usetable_hh = args.usetable
        for seg in sec:
            seg.hh.el = -54.387
    else:
        sec.insert("pas")
        for seg in sec:
            seg.pas.g = 5e-5
            seg.pas.e = -65.0
    stim = h.IClamp(sec(0.0))
    stim.delay, stim.dur, stim.amp = 1.0, 1.0, 1.0
    t_vec = h.Vector().record(h._ref_t)
    v_mid = h.Vector().record(sec(0.5)._ref_v)
    v_end = h.Vector().record(sec(1.0)._ref_v)
    build_s = time.perf_counter() - start
    run_s = min(peer_io.neuron_fixed_step_run(h, args.dt, args.duration, secondorder=args.secondorder)
                for _ in range(args.repeat))
    t_mid, t_far = crossing(t_vec, v_mid), crossing(t_vec, v_end)
    peer_io.log(f"neuron: far-end max {max(v_end):.2f} mV, crossings {t_mid:.6f} / {t_far:.6f} ms")
    peer_io.emit({"peer": "neuron", "version": neuron.__version__, "kind": args.kind, "nseg": args.nseg,
                  "dt": args.dt, "duration": args.duration, "secondorder": args.secondorder,
                  "usetable": args.usetable, "build_s": build_s, "run_s": run_s, "v_far_max": max(v_end),
                  "t_mid": None if math.isnan(t_mid) else t_mid, "t_far": None if math.isnan(t_far) else t_far})


if __name__ == "__main__":
    main()
