"""Spasticity after spinal cord injury: PIC plateaus, hyperreflexia and clonus in the stretch-reflex loop."""

from __future__ import annotations

import math

import numpy as np

from ..circuits.spinal import Protocol, ReflexLoop, oscillation_cycles, plateau_protocol, ramp_protocol, simulate_reflex
from ..report import figure
from .registry import Range, experiment

#: stretch amplitude of the ramp-and-hold tests (rad, 11.5 degrees)
STRETCH_AMPLITUDE = 0.2
#: onset of every stimulus (ms)
ONSET = 300.0
#: the reflex window: 40-140 ms after stretch onset (the short- and medium-latency reflex)
REFLEX_WINDOW = (40.0, 140.0)
#: the brief input of the sustained-firing test: extra Ia firing (imp/s per fibre) for 300 ms
VIBRATION_RATE, VIBRATION_MS = 150.0, 300.0


def _protocols(velocities):
    protocols = [Protocol("isometric", start=ONSET, vibration_start=ONSET, vibration_stop=ONSET + VIBRATION_MS,
                          vibration_rate=VIBRATION_RATE)]
    protocols += [Protocol("servo", start=ONSET, velocity=v, amplitude=STRETCH_AMPLITUDE) for v in velocities]
    # the clinical clonus test: a brisk dorsiflexion (10 N m for 60 ms) then a steady 8 N m push
    protocols.append(Protocol("free", start=ONSET, bias_torque=8.0, pulse_torque=10.0, pulse_duration=60.0))
    return protocols


def _analyse(loop, res, velocities):
    """Sustained firing, reflex gains and clonus of one loop's run (protocol order of :func:`_protocols`)."""
    spikes = res.spike_times[res.spike_protocols == 0]
    input_end = ONSET + VIBRATION_MS + loop.afferent_delay + 1.0  # when the last extra Ia spike reaches the pool
    late = spikes[spikes > input_end]
    sustained = float(late.max() - input_end) * 1e-3 if late.size else 0.0
    gains = []
    for k in range(len(velocities)):
        tc, rate = res.pool_rate(1 + k, 10.0)
        base = rate[(tc > 100.0) & (tc < ONSET)].mean()
        win = (tc > ONSET + REFLEX_WINDOW[0]) & (tc < ONSET + REFLEX_WINDOW[1])
        gains.append(float((rate[win].mean() - base) / STRETCH_AMPLITUDE))
    free = len(velocities) + 1
    osc = oscillation_cycles(res.t, res.theta[:, free], after=ONSET + 80.0)
    return sustained, gains, osc, spikes[spikes < ONSET].size


@experiment("spasticity", "Spasticity after spinal cord injury: motoneurons with a neuromodulated dendritic PIC "
            "(Booth-Rinzel-Kiehn 1997) show plateaus and ramp hysteresis; in a stretch-reflex loop (Ia spindles, "
            "50+ motoneurons, delays, twitches, ankle joint) the injured state (no descending inhibition, PIC gain "
            "raised) gives self-sustained firing, velocity-dependent hyperreflexia and clonus.",
            params={"n_motoneurons": Range(2, 1000), "duration": Range(1500.0, 20000.0, "ms")})
def spasticity(quick=False, seed=1, n_motoneurons=50, duration=2500.0):
    velocities = [0.5, 2.0, 4.0] if quick else [0.5, 1.0, 2.0, 4.0]
    if quick:
        duration = min(duration, 1600.0)
    protocols = _protocols(velocities)
    loops = {"intact": ReflexLoop.intact(n_motoneurons=n_motoneurons),
             "injured": ReflexLoop.injured(n_motoneurons=n_motoneurons)}
    runs, metrics = {}, {}
    for offset, (name, loop) in enumerate(loops.items()):
        res = simulate_reflex(loop, protocols, duration, seed=seed + 1000 * offset)
        sustained, gains, osc, early = _analyse(loop, res, velocities)
        runs[name] = (res, osc)
        metrics[f"{name}_sustained_s"] = sustained
        metrics[f"{name}_reflex_gain"] = gains
        metrics[f"{name}_reflex_gain_slope"] = float(np.polyfit(velocities, gains, 1)[0])
        metrics[f"{name}_clonus_cycles"] = osc.cycles
        metrics[f"{name}_clonus_hz"] = osc.frequency if math.isfinite(osc.frequency) else None
        metrics[f"{name}_spikes_before_input"] = int(early)
    metrics["stretch_velocities_rad_s"] = velocities
    # single motoneurons: plateau and ramp hysteresis at the two PIC gains
    cells = {name: loop.motoneuron() for name, loop in loops.items()}
    plateaus = {name: plateau_protocol(cell) for name, cell in cells.items()}
    ramps = {name: ramp_protocol(cell, duration=6000.0 if quick else 10000.0) for name, cell in cells.items()}
    for name in cells:
        metrics[f"{name}_plateau_s"] = plateaus[name].sustained_s
        metrics[f"{name}_recruit_uA_cm2"] = ramps[name].recruit_current
        metrics[f"{name}_derecruit_uA_cm2"] = ramps[name].derecruit_current
        metrics[f"{name}_delta_f_hz"] = ramps[name].delta_f
    figures = {"plateau": _plateau_figure(plateaus), "ramp": _ramp_figure(ramps),
               "reflex": _reflex_figure(runs, protocols, velocities, metrics), "clonus": _clonus_figure(runs, protocols)}
    return metrics, figures


def _plateau_figure(plateaus):
    fig, axes = figure(3, 1, width=7.0, height=5.4, sharex=True)
    for name, color in (("intact", "C0"), ("injured", "C3")):
        pr = plateaus[name]
        axes[0 if name == "intact" else 1].plot(pr.t, pr.v, color=color, lw=0.6, label="soma")
        axes[0 if name == "intact" else 1].plot(pr.t, pr.v_d, color="0.4", lw=0.9, label="dendrite")
        axes[0 if name == "intact" else 1].set_ylabel(f"{name}\nv (mV)")
    axes[2].plot(plateaus["intact"].t, plateaus["intact"].current, color="k", lw=0.9)
    axes[2].set_ylabel("I (uA/cm$^2$)")
    axes[2].set_xlabel("time (ms)")
    axes[0].legend(loc="upper right", fontsize=7)
    axes[0].set_title("Plateau: a brief excitatory pulse starts firing, a brief inhibitory pulse ends it")
    return fig


def _ramp_figure(ramps):
    fig, axes = figure(1, 2, width=8.0, height=3.4, sharey=True)
    for ax, name in zip(axes, ("intact", "injured")):
        rr = ramps[name]
        half = rr.t[-1] / 2.0
        s = rr.test_spikes
        if s.size > 2:
            mid = 0.5 * (s[1:] + s[:-1])
            rate = 1000.0 / np.diff(s)
            cur = np.interp(mid, rr.t, rr.current)
            up = mid < half
            ax.plot(cur[up], rate[up], ".", ms=2, color="C0", label="rising")
            ax.plot(cur[~up], rate[~up], ".", ms=2, color="C3", label="falling")
        ax.axvline(rr.recruit_current, color="C0", lw=0.8, ls="--")
        ax.axvline(rr.derecruit_current, color="C3", lw=0.8, ls="--")
        ax.set_title(f"{name}: recruit {rr.recruit_current:.1f}, derecruit {rr.derecruit_current:.1f} uA/cm$^2$",
                     fontsize=8)
        ax.set_xlabel("ramp current (uA/cm$^2$)")
    axes[0].set_ylabel("firing rate (imp/s)")
    axes[0].legend(fontsize=7)
    return fig


def _reflex_figure(runs, protocols, velocities, metrics):
    fig, axes = figure(3, 1, width=7.0, height=6.5)
    fast = len(velocities)  # the fastest ramp (protocol index)
    for name, color in (("intact", "C0"), ("injured", "C3")):
        res, _ = runs[name]
        tc, rate = res.pool_rate(fast, 10.0)
        axes[0].plot(tc, rate, color=color, lw=1.0, label=name)
        keep = res.spike_protocols == fast
        offset = 0 if name == "intact" else res.n_motoneurons + 5
        axes[1].plot(res.spike_times[keep], res.spike_units[keep] + offset, "|", ms=2, color=color)
        axes[2].plot(velocities, metrics[f"{name}_reflex_gain"], "o-", color=color, label=name)
    ax_t = axes[0].twinx()
    ax_t.plot(runs["intact"][0].t, np.degrees(runs["intact"][0].theta[:, fast]), color="0.5", lw=0.8)
    ax_t.set_ylabel("angle (deg)")
    axes[0].set_ylabel("pool rate (imp/s)")
    axes[0].set_xlabel("time (ms)")
    axes[0].legend(fontsize=7, loc="upper right")
    axes[0].set_title(f"Ramp-and-hold stretch at {velocities[-1]:g} rad/s (grey: joint angle)")
    axes[1].set_ylabel("motoneuron\n(intact | injured)")
    axes[1].set_xlabel("time (ms)")
    axes[2].set_xlabel("stretch velocity (rad/s)")
    axes[2].set_ylabel("reflex gain\n(imp/s per rad)")
    return fig


def _clonus_figure(runs, protocols):
    fig, axes = figure(2, 1, width=7.0, height=4.6, sharex=True)
    free = len(protocols) - 1
    for name, color in (("intact", "C0"), ("injured", "C3")):
        res, osc = runs[name]
        axes[0].plot(res.t, np.degrees(res.theta[:, free]), color=color, lw=1.0,
                     label=f"{name}: {osc.cycles} cycles")
        tc, rate = res.pool_rate(free, 10.0)
        axes[1].plot(tc, rate, color=color, lw=0.8)
    axes[0].set_ylabel("dorsiflexion (deg)")
    axes[0].legend(fontsize=7)
    axes[0].set_title("Brisk dorsiflexion, then a steady push: clonus after injury")
    axes[1].set_ylabel("pool rate (imp/s)")
    axes[1].set_xlabel("time (ms)")
    return fig
