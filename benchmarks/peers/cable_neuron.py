"""NEURON: one cable section, fixed step (the cable benchmark of issue 4).

    cable_neuron.py --kind hh --length 1000 --diam 1 --ra 100 --nseg 1001 --duration 100 --dt 0.025
    cable_neuron.py --kind pas --nseg 10001

A 1 nA, 1 ms current pulse at x = 0 (IClamp at 1 ms); backward Euler (NEURON's default,
secondorder = 0); hh at 6.3 degC with el_hh = -54.387 mV; passive: g_pas 0.05 mS/cm^2, e_pas -65 mV.
"""

import argparse
import time

import peer_io


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--kind", choices=("hh", "pas"), default="hh")
    p.add_argument("--length", type=float, default=1000.0)
    p.add_argument("--diam", type=float, default=1.0)
    p.add_argument("--ra", type=float, default=100.0)
    p.add_argument("--nseg", type=int, default=1001)
    p.add_argument("--duration", type=float, default=100.0)
    p.add_argument("--dt", type=float, default=0.025)
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
        for seg in sec:
            seg.hh.el = -54.387
    else:
        sec.insert("pas")
        for seg in sec:
            seg.pas.g = 5e-5
            seg.pas.e = -65.0
    stim = h.IClamp(sec(0.0))
    stim.delay, stim.dur, stim.amp = 1.0, 1.0, 1.0
    v_end = h.Vector().record(sec(1.0)._ref_v)
    build_s = time.perf_counter() - start
    run_s = peer_io.neuron_fixed_step_run(h, args.dt, args.duration)
    peer_io.log(f"neuron: far-end max {max(v_end):.2f} mV")
    peer_io.emit({"peer": "neuron", "version": neuron.__version__, "kind": args.kind, "nseg": args.nseg,
                  "dt": args.dt, "duration": args.duration, "build_s": build_s, "run_s": run_s,
                  "v_far_max": max(v_end)})


if __name__ == "__main__":
    main()
