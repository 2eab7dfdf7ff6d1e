"""Shared by the Hodgkin-Huxley peer scripts (hh_brian2.py, hh_neuron.py, hh_nest.py).

Importing it imports peer_io (stdout redirection) first; standard library only.
"""

import argparse
import math

from peer_io import emit


def hh_parser(description, dt_help="time step (ms)"):
    """Arguments common to the HH scripts: --n --dt --duration --current --no-spikes."""
    p = argparse.ArgumentParser(description=description)
    p.add_argument("--n", type=int, default=10000, help="number of neurons")
    p.add_argument("--dt", type=float, default=0.01, help=dt_help)
    p.add_argument("--duration", type=float, default=100.0, help="simulated time (ms)")
    p.add_argument("--current", type=float, default=10.0, help="drive (uA/cm^2)")
    p.add_argument("--no-spikes", action="store_true", help="do not count spikes")
    p.add_argument("--el", type=float, default=-54.387, help="leak reversal (mV; NEURON's hh default is -54.3)")
    p.add_argument("--trace-first", action="store_true",
                   help="record neuron 0's v every step and report its 0 mV crossings (first_spikes, ms)")
    return p


def crossings(t, v, threshold=0.0):
    """Upward crossings of ``threshold`` (mV) by the trace v(t), linearly interpolated between samples (ms).

    One definition for every peer, so the work-precision benchmark compares the integrators, not the
    simulators' spike-detection rules (NEURON's NetCon and Brian2's threshold round up to the step, NEST's
    hh_psc_alpha emits at the peak)."""
    out = []
    for i in range(len(v) - 1):
        if v[i] < threshold <= v[i + 1]:
            out.append(float(t[i] + (threshold - v[i]) / (v[i + 1] - v[i]) * (t[i + 1] - t[i])))
    return out


def steady_state(V):
    """(m, h, n) of the 1952 HH gates at steady state at V (mV, rest -65 mV)."""
    am = 0.1 * (V + 40) / (1 - math.exp(-(V + 40) / 10))
    bm = 4.0 * math.exp(-(V + 65) / 18)
    ah = 0.07 * math.exp(-(V + 65) / 20)
    bh = 1.0 / (1 + math.exp(-(V + 35) / 10))
    an = 0.01 * (V + 55) / (1 - math.exp(-(V + 55) / 10))
    bn = 0.125 * math.exp(-(V + 65) / 80)
    return am / (am + bm), ah / (ah + bh), an / (an + bn)


def spike_summary(spikes, args):
    """'<spikes> spikes, <per neuron> per neuron (<rate> Hz)' for the log."""
    return (f"{spikes} spikes, {spikes / args.n:.3f} per neuron "
            f"({spikes / args.n / (args.duration / 1000.0):.1f} Hz)")


def emit_result(peer, version, args, build_s, run_s, spikes, **extra):
    """Emit the HH result line: the common fields, then ``extra`` in order."""
    result = {
        "peer": peer,
        "version": version,
        "n": args.n,
        "dt": args.dt,
        "duration": args.duration,
        "build_s": round(build_s, 6),
        "run_s": round(float(run_s), 6),
        "spikes": spikes,
    }
    result.update(extra)
    emit(result)
