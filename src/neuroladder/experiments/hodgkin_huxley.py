"""Hodgkin-Huxley experiments: the action potential, channel block, bifurcations."""

from __future__ import annotations

import numpy as np

from .. import analysis
from ..core.simulate import simulate
from ..core.stimulus import Step
from ..neurons import HodgkinHuxley
from ..report import figure, plots
from .registry import Range, Undefined, experiment


def spike_shape(t: np.ndarray, v: np.ndarray, rest: float) -> dict:
    """Peak (mV), half-width (ms, at half the rest-to-peak amplitude) and AHP minimum (mV) of the first spike."""
    k = int(np.argmax(v))
    half = rest + 0.5 * (v[k] - rest)
    above = v >= half
    left = k - np.argmax(~above[k::-1])  # first sample below half going back from the peak
    right = k + np.argmax(~above[k:])
    # linear interpolation of the two half-amplitude crossings
    t_left = np.interp(half, [v[left], v[left + 1]], [t[left], t[left + 1]])
    t_right = np.interp(half, [v[right], v[right - 1]], [t[right], t[right - 1]])
    return {"spike_peak_mv": float(v[k]), "spike_half_width_ms": float(t_right - t_left),
            "ahp_min_mv": float(v[k:].min())}


@experiment("hh-action-potential", "Hodgkin-Huxley action potential evoked by a brief current pulse: "
            "membrane potential and the m, h, n gates.",
            params={"amplitude": Range(0.0, 1000.0, "uA/cm^2"),
                    "pulse_ms": Range(0.01, 50.0, "ms"),
                    "duration": Range(5.0, 1e4, "ms"),
                    "dt": Range(0.001, 0.1, "ms")})
def hh_action_potential(quick=False, amplitude=20.0, pulse_ms=1.0, duration=30.0, dt=0.01):
    model = HodgkinHuxley()
    rest = analysis.resting_state(model)
    res = simulate(model, duration, dt, current=Step(amplitude, start=5.0, stop=5.0 + pulse_ms),
                   initial_state=dict(zip(model.state_names, rest)), record=("v", "m", "h", "n"))
    metrics = {"resting_potential_mv": float(rest[0]), **spike_shape(res.t, res["v"], rest[0]),
               "n_spikes": int(res.spike_counts[0])}
    fig, (ax_v, ax_g) = figure(2, 1, height=5.0, sharex=True)
    plots.trace(ax_v, res.t, res["v"], ylabel="v (mV)")
    ax_v.axhline(rest[0], color="0.6", ls=":", lw=1)
    ax_v.set_title(f"HH action potential ({amplitude:g} uA/cm$^2$ for {pulse_ms:g} ms at t = 5 ms)")
    for name in ("m", "h", "n"):
        plots.trace(ax_g, res.t, res[name], label=name, ylabel="gating variable")
    return metrics, {"trace": fig}


@experiment("hh-channel-block", "f-I curves of the Hodgkin-Huxley model: control, sodium block (TTX: g_na = 0) "
            "and half potassium conductance (TEA-like: g_k = 18 mS/cm^2).",
            params={"i_max": Range(0.0, 200.0, "uA/cm^2", low_open=True),
                    "n_currents": Range(2, 1000),
                    "duration": Range(50.0, 1e4, "ms"),
                    "dt": Range(0.001, 0.1, "ms")})
def hh_channel_block(quick=False, i_max=30.0, n_currents=31, duration=500.0, dt=0.01):
    if quick:
        n_currents, duration = 13, 200.0
    currents = np.linspace(0.0, i_max, n_currents)
    variants = {"control": HodgkinHuxley(), "TTX (g_na = 0)": HodgkinHuxley().replace(g_na=0.0),
                "half g_k": HodgkinHuxley().replace(g_k=18.0)}
    keys = {"control": "control", "TTX (g_na = 0)": "ttx", "half g_k": "half_gk"}
    fig, (ax_fi, ax_tr) = figure(1, 2, width=10.0, height=3.8)
    metrics = {}
    for label, model in variants.items():
        rates = analysis.fi_curve(model, currents, duration=duration, dt=dt)
        plots.fi(ax_fi, currents, rates, label=label, current_unit="uA/cm$^2$")
        # named for 10 uA/cm^2: measured there, never interpolated across a coarse grid or extrapolated
        at_10 = np.isclose(currents, 10.0)
        metrics[f"rate_at_10_{keys[label]}_hz"] = (float(rates[at_10][0]) if at_10.any() else Undefined(
            f"10 uA/cm^2 is not on the current grid 0..{i_max:g} in {n_currents} points"))
        metrics[f"max_rate_{keys[label]}_hz"] = float(rates.max())
        res = simulate(model, 50.0, dt, current=10.0,
                       initial_state=dict(zip(model.state_names, analysis.resting_state(model))))
        plots.trace(ax_tr, res.t, res["v"], label=label)
    ax_fi.set_title("f-I curves")
    ax_tr.set_title("responses to 10 uA/cm$^2$")
    return metrics, {"fi": fig}


@experiment("hh-bifurcation", "Hodgkin-Huxley as a dynamical system: the rest state's Hopf bifurcation, "
            "the onset of repetitive firing from rest, and the bistable range between them.",
            params={"i_max": Range(12.0, 200.0, "uA/cm^2"),
                    "n_currents": Range(5, 1000),
                    "dt": Range(0.001, 0.1, "ms")})
def hh_bifurcation(quick=False, i_max=20.0, n_currents=81, dt=0.01):
    if quick:
        n_currents = 41
    model = HodgkinHuxley()
    hopf = analysis.hopf_current(model, (0.0, i_max))
    onset = analysis.onset_current(model, (0.0, i_max), duration=200.0, dt=dt)
    currents = np.linspace(0.0, i_max, n_currents)
    scan = analysis.bifurcation_scan(model, currents, duration=300.0 if quick else 500.0, dt=dt,
                                     transient=150.0 if quick else 250.0)
    fig, (ax_b, ax_f) = figure(1, 2, width=10.0, height=3.8)
    stable = scan.rest_stable
    ax_b.plot(np.where(stable, currents, np.nan), np.where(stable, scan.rest_v, np.nan), "k-", label="stable rest")
    ax_b.plot(np.where(~stable, currents, np.nan), np.where(~stable, scan.rest_v, np.nan), "k--",
              label="unstable rest")
    firing = scan.rates > 0
    ax_b.plot(currents[firing], scan.cycle_max[firing], "o", ms=3, label="limit cycle max")
    ax_b.plot(currents[firing], scan.cycle_min[firing], "o", ms=3, label="limit cycle min")
    ax_b.axvline(hopf, color="0.5", ls=":", lw=1)
    ax_b.axvline(onset, color="0.5", ls="-.", lw=1)
    ax_b.set_xlabel("injected current (uA/cm$^2$)")
    ax_b.set_ylabel("v (mV)")
    ax_b.set_title(f"Hopf at {hopf:.3f}, firing onset at {onset:.3f} uA/cm$^2$")
    ax_b.legend(fontsize=7, loc="center right")
    plots.fi(ax_f, currents, scan.rates, current_unit="uA/cm$^2$")
    ax_f.set_title("rate after the transient (step from rest)")
    metrics = {"hopf_current_ua_cm2": hopf, "onset_current_ua_cm2": onset,
               "bistable_range_ua_cm2": hopf - onset,
               "rate_at_hopf_hz": float(np.interp(hopf, currents, scan.rates))}
    return metrics, {"bifurcation": fig}
