"""NEURON: an SWC cell (Import3d), hh everywhere, d_lambda nseg, 100 ms at dt 0.025 ms, backward Euler.

    swc_neuron.py --swc cell.swc --duration 100 --dt 0.025 [--repeat 3]
"""

import argparse
import time

import peer_io


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--swc", required=True)
    p.add_argument("--duration", type=float, default=100.0)
    p.add_argument("--dt", type=float, default=0.025)
    p.add_argument("--ra", type=float, default=100.0)
    p.add_argument("--repeat", type=int, default=1, help="runs; the fastest is reported")
    args = p.parse_args()
    import neuron
    from neuron import h

    start = time.perf_counter()
    h.load_file("stdlib.hoc")
    h.load_file("import3d.hoc")
    h.celsius = 6.3
    reader = h.Import3d_SWC_read()
    reader.input(args.swc)
    gui = h.Import3d_GUI(reader, False)
    gui.instantiate(None)
    n_seg = 0
    for sec in h.allsec():
        sec.Ra = args.ra
        sec.cm = 1.0
        sec.insert("hh")
        lam = 1e5 * (sec.diam / (4 * 3.141592653589793 * 100.0 * sec.Ra * sec.cm)) ** 0.5
        sec.nseg = int((sec.L / (0.1 * lam) + 0.9) / 2) * 2 + 1
        for seg in sec:
            seg.hh.el = -54.387
        n_seg += sec.nseg
    soma = [s for s in h.allsec() if "soma" in s.name()][0]
    stim = h.IClamp(soma(0.5))
    stim.delay, stim.dur, stim.amp = 5.0, 90.0, 3.0
    t_spk = h.Vector()
    nc = h.NetCon(soma(0.5)._ref_v, None, sec=soma)
    nc.threshold = 0.0
    nc.record(t_spk)
    build_s = time.perf_counter() - start
    run_s = min(peer_io.neuron_fixed_step_run(h, args.dt, args.duration) for _ in range(args.repeat))
    peer_io.emit({"peer": "neuron", "version": neuron.__version__, "sections": len(list(h.allsec())),
                  "segments": n_seg, "build_s": build_s, "run_s": run_s, "soma_spikes": len(t_spk)})


if __name__ == "__main__":
    main()
