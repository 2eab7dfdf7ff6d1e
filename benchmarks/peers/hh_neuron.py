#!/usr/bin/env python
"""Peer benchmark: N independent Hodgkin-Huxley neurons in NEURON.

Run with the python of the ``neuron`` peer venv (see setup_peers.sh):

    python hh_neuron.py --n 10000 --dt 0.01 --duration 100 --current 10

Each neuron is a single-compartment section (nseg=1) with NEURON's built-in
``hh`` mechanism (1952 squid-axon kinetics) at celsius = 6.3, driven by an
IClamp whose amplitude gives the requested current density.  Fixed time step
(CVode off), one thread.  Prints exactly one JSON line on stdout at the end;
everything else goes to stderr.

* ``build_s`` -- creating sections, mechanisms, clamps, spike detectors and
                 ``finitialize``.
* ``run_s``   -- ``ParallelContext.psolve(duration)`` alone (one thread).

By default NEURON's hh uses its rate lookup table (``usetable_hh = 1``, 1 mV
steps, linear interpolation), as a NEURON user would get; ``--no-table``
computes the rates exactly each step.
"""

import math
import os
import time

from hh_common import crossings, emit_result, hh_parser, spike_summary
from peer_io import log  # first: keeps stdout for the result line


def main():
    p = hh_parser(__doc__.splitlines()[0])
    p.add_argument("--no-table", action="store_true",
                   help="compute hh rates exactly instead of NEURON's lookup table")
    args = p.parse_args()
    os.environ.setdefault("OMP_NUM_THREADS", "1")

    import neuron
    from neuron import h

    t0 = time.perf_counter()
    h.load_file("stdrun.hoc")
    h.celsius = 6.3
    h.cvode_active(0)
    h.dt = args.dt
    h.usetable_hh = 0 if args.no_table else 1

    # Cylinder with L = diam = sqrt(100/pi) um: lateral area pi*diam*L = 100 um^2
    # = 1e-6 cm^2, so J uA/cm^2 -> J * 1e-6 uA = J * 1e-3 nA.
    d = math.sqrt(100.0 / math.pi)
    area_cm2 = math.pi * d * d * 1e-8
    amp_nA = args.current * area_cm2 * 1e3  # uA/cm2 * cm2 = uA; *1e3 -> nA

    sections = []
    clamps = []
    netcons = []
    tvec = h.Vector()
    idvec = h.Vector()
    for i in range(args.n):
        sec = h.Section(name=f"hh{i}")
        sec.nseg = 1
        sec.L = d
        sec.diam = d
        sec.cm = 1.0  # uF/cm2
        sec.Ra = 35.4  # irrelevant for one compartment
        sec.insert("hh")
        for seg in sec:
            seg.hh.gnabar = 0.12   # S/cm2
            seg.hh.gkbar = 0.036   # S/cm2
            seg.hh.gl = 0.0003     # S/cm2
            seg.hh.el = args.el     # mV (NEURON's default is -54.3)
        sec.ena = 50.0
        sec.ek = -77.0
        stim = h.IClamp(sec(0.5))
        stim.delay = 0.0
        stim.dur = 1e9
        stim.amp = amp_nA
        if not args.no_spikes:
            # Threshold detection (upward crossing of 0 mV) is done by NEURON
            # itself each step; events go to the shared vectors.
            nc = h.NetCon(sec(0.5)._ref_v, None, sec=sec)
            nc.threshold = 0.0
            nc.record(tvec, idvec, i)
            netcons.append(nc)
        sections.append(sec)
        clamps.append(stim)

    t_rec = v_rec = None
    if args.trace_first:
        t_rec = h.Vector().record(h._ref_t)
        v_rec = h.Vector().record(sections[0](0.5)._ref_v)
    # Rest at -65 mV; hh's INITIAL block puts m, h, n at steady state.
    pc = h.ParallelContext()
    pc.nthread(1)
    pc.set_maxstep(10)
    h.finitialize(-65.0)
    build_s = time.perf_counter() - t0

    t1 = time.perf_counter()
    pc.psolve(args.duration)
    run_s = time.perf_counter() - t1

    spikes = None if args.no_spikes else int(tvec.size())
    if spikes is not None:
        log(f"neuron: {spike_summary(spikes, args)}, t_end={h.t:.4f} ms, dt={h.dt}")
    log(f"neuron: build {build_s:.3f}s, run {run_s:.3f}s "
        f"(amp {amp_nA:.6g} nA, area {area_cm2:.6g} cm2, usetable_hh={int(h.usetable_hh)})")

    emit_result("neuron", neuron.__version__, args, build_s, run_s, spikes,
                usetable_hh=int(h.usetable_hh), method="implicit_euler+cnexp",
                first_spikes=None if t_rec is None else crossings(list(t_rec), list(v_rec)))


if __name__ == "__main__":
    main()
