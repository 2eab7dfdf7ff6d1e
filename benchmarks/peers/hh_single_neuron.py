#!/usr/bin/env python
"""Reference spike times of one Hodgkin-Huxley cell in NEURON (the accuracy reference of issue 21).

    python hh_single_neuron.py --dt 0.001 0.01 0.025

NEURON's built-in ``hh`` at celsius = 6.3 (el_hh = -54.3 mV), one 100 um^2 compartment, IClamp of 0.01 nA
(10 uA/cm^2) from t = 0 for 50 ms, finitialize(-65), exact rates (usetable_hh = 0), fixed step, spikes
from a NetCon at 0 mV (times rounded up to the step). Prints one JSON object {dt: [spike times]}.
"""

import argparse
import json
import math


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--dt", type=float, nargs="+", default=[0.001, 0.01, 0.025])
    p.add_argument("--duration", type=float, default=50.0)
    args = p.parse_args()
    from neuron import h

    h.load_file("stdrun.hoc")
    h.celsius = 6.3
    h.cvode_active(0)
    h.usetable_hh = 0
    out = {}
    for dt in args.dt:
        sec = h.Section(name="soma")
        side = math.sqrt(100.0 / math.pi)
        sec.L = sec.diam = side
        sec.nseg = 1
        sec.insert("hh")
        stim = h.IClamp(sec(0.5))
        stim.delay, stim.dur, stim.amp = 0.0, 1e9, 0.01
        detector = h.NetCon(sec(0.5)._ref_v, None, sec=sec)
        detector.threshold = 0.0
        times = h.Vector()
        detector.record(times)
        h.dt = dt
        h.finitialize(-65.0)
        h.continuerun(args.duration)
        out[str(dt)] = [round(t, 6) for t in times]
        del detector, stim, sec
    print(json.dumps(out))


if __name__ == "__main__":
    main()
