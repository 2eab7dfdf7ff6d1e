"""Integrate-and-fire experiments: LIF f-I against theory, AdEx adaptation."""

from __future__ import annotations

import numpy as np

from .. import analysis
from ..core.simulate import simulate
from ..core.stimulus import Step
from ..neurons import LIF, AdEx
from ..report import figure, plots
from .registry import Range, experiment


@experiment("lif-fi", "Leaky integrate-and-fire f-I curve: simulation (exact integration, precise spike "
            "times) against the analytic rate 1/(t_ref + tau_m ln((E_L + RI - V_reset)/(E_L + RI - V_th))).",
            params={"i_max": Range(0.0, 1e5, "pA", low_open=True),
                    "n_currents": Range(2, 1000),
                    "duration": Range(100.0, 1e5, "ms"),
                    "dt": Range(0.001, 1.0, "ms")})
def lif_fi(quick=False, i_max=1500.0, n_currents=60, duration=2000.0, dt=0.1):
    if quick:
        n_currents, duration = 30, 1000.0
    model = LIF()
    currents = np.linspace(0.0, i_max, n_currents)
    res = simulate(model, duration, dt, current=currents, n=currents.size, record=())
    trains = res.spike_trains()
    # rate from the mean ISI: free of the +-1 spike counting quantisation of count/duration
    sim = np.array([1000.0 / np.diff(s).mean() if s.size >= 2 else 0.0 for s in trains])
    theory = model.rate(currents)
    firing = theory > 0
    rel_err = np.abs(sim[firing] - theory[firing]) / theory[firing]
    fig, (ax_fi, ax_r) = figure(1, 2, width=10.0, height=3.8)
    i_fine = np.linspace(0.0, i_max, 600)
    ax_fi.plot(i_fine, model.rate(i_fine), color="0.4", lw=2.5, alpha=0.5, label="analytic")
    plots.fi(ax_fi, currents, sim, label=f"simulated (dt = {dt:g} ms)", current_unit="pA", linestyle="none")
    ax_fi.axvline(model.rheobase(), color="0.5", ls=":", lw=1)
    ax_fi.set_title("LIF f-I curve")
    times, ids = res.spikes
    early = times < 200.0
    plots.raster(ax_r, times[early], currents[ids[early]], ylabel="injected current (pA)")
    ax_r.set_title("spike raster, one neuron per current")
    metrics = {"rheobase_pa": model.rheobase(), "max_rel_error": float(rel_err.max()),
               "mean_rel_error": float(rel_err.mean()), "rate_at_max_current_hz": float(sim[-1])}
    return metrics, {"fi": fig}


@experiment("adex-adaptation", "Adaptive exponential integrate-and-fire (Brette & Gerstner 2005): spike-frequency "
            "adaptation to a current step, and the (v, w) phase plane with nullclines and the trajectory.",
            params={"amplitude": Range(-5000.0, 5000.0, "pA"),
                    "duration": Range(150.0, 1e5, "ms"),
                    "dt": Range(0.001, 0.2, "ms")})
def adex_adaptation(quick=False, amplitude=800.0, duration=600.0, dt=0.01):
    model = AdEx()
    stim = Step(amplitude, start=50.0, stop=duration - 50.0)
    res = simulate(model, duration, dt, current=stim, record=("v", "w"))
    spikes = res.spike_times
    isi = np.diff(spikes)
    fig, (ax_v, ax_w) = figure(2, 1, height=5.0, sharex=True)
    plots.trace(ax_v, res.t, res["v"])
    ax_v.set_title(f"AdEx response to a {amplitude:g} pA step")
    plots.trace(ax_w, res.t, res["w"], ylabel="w (pA)")
    null = analysis.nullclines(model, current=amplitude, x_range=(-75.0, -35.0), y_range=(-50.0, 900.0))
    fig2, ax = figure(1, 1, width=5.5, height=4.2)
    on = (res.t >= 50.0) & (res.t < duration - 50.0)
    plots.phase_plane(ax, null, trajectory=(np.minimum(res["v"][on], -35.0), res["w"][on]),
                      fixed_points=analysis.fixed_points(model, amplitude, v_range=(-75.0, -35.0)),
                      units=("mV", "pA"))
    ax.set_title(f"phase plane at I = {amplitude:g} pA (v clipped at -35 mV)")
    metrics = {"n_spikes": int(spikes.size),
               "first_isi_ms": float(isi[0]) if isi.size else float("nan"),
               "last_isi_ms": float(isi[-1]) if isi.size else float("nan"),
               "adaptation_index": analysis.adaptation_index(spikes),
               "steady_w_pa": float(res["w"][on].max())}
    return metrics, {"trace": fig, "phase_plane": fig2}
