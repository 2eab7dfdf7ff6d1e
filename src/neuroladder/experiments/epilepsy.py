"""Across the ladder in epilepsy: channel mutation -> reduced interneuron -> E-I network -> Epileptor."""

from __future__ import annotations

import numpy as np

from ..report import figure
from .registry import Range, experiment


@experiment("epilepsy-ladder", "Dravet syndrome across the ladder: a graded Nav1.1 loss in the Wang-Buzsaki interneuron, "
            "its reduction to an AdEx by fit_model (coincidence factor on held-out input), the reduced "
            "interneurons in an E-I network (synchrony against severity) and the Epileptor neural mass alone "
            "and on a connectome (recruitment against the zone's x0).",
            params={"n_severities": Range(2, 11), "reduction_iterations": Range(5, 1000),
                    "network_duration_ms": Range(200.0, 100_000.0, "ms"), "epileptor_window_s": Range(10.0, 3600.0, "s"),
                    "coupling": Range(0.0, 100.0)})
def epilepsy_ladder(quick=False, n_severities=5, reduction_iterations=80, network_duration_ms=2000.0,
                    epileptor_window_s=60.0, coupling=3.0, seed=1):
    from .. import analysis
    from ..circuits.epilepsy import (
        PA_PER_UA_CM2,
        EINetwork,
        epileptor_network_recruitment,
        fluctuating_currents,
        reduce_interneuron,
        seizure_onsets,
    )
    from ..core.simulate import simulate
    from ..core.stimulus import TimeArray
    from ..mass.epileptor import Epileptor
    from ..neurons.wang_buzsaki import WangBuzsaki

    n_sev, iterations = n_severities, reduction_iterations    # ranges checked by the registry
    if quick:
        n_sev, iterations = min(n_sev, 3), min(iterations, 40)
    severities = np.linspace(0.0, 1.0, n_sev)

    # 1. the single cell: f-I curves
    currents = np.array([0.5, 1.0, 2.0, 5.0, 10.0, 15.0, 20.0, 30.0, 40.0, 60.0])
    fi = {s: analysis.fi_curve(WangBuzsaki(nav11_severity=s), currents, duration=300.0, dt=0.02,
                               spike_threshold=-20.0) for s in severities}
    max_rates = [float(fi[s].max()) for s in severities]

    # 2. reduction: the wild type thoroughly (its coincidence factor is the reported quality), the mutants lighter
    reductions = [reduce_interneuron(s, popsize=12 if s == 0.0 and not quick else 8,
                                     maxiter=iterations if s == 0.0 else min(iterations, 40), seed=seed)
                  for s in severities]

    # 3. the network level
    ei = EINetwork()
    results = [ei.run(r.fit.model, duration=network_duration_ms, seed=seed) for r in reductions]
    sync = [float(res.synchrony("E", bin=2.0)) for res in results]
    rates = [float(res.spikes["E"].rate_hz()) for res in results]
    sync = [0.0 if not np.isfinite(v) else v for v in sync]       # a silent population has no synchrony
    tipping = next((float(s) for s, v in zip(severities, sync) if v > 0.1), None)

    # 4. the Epileptor alone
    window = epileptor_window_s * 1000.0
    alone = simulate(Epileptor(), window + 2000.0, 0.05, record=("x1", "x2", "z"), record_dt=1.0)
    onsets = seizure_onsets(alone["z"], 1.0)
    onsets = onsets[onsets >= 2000.0]
    sub = simulate(Epileptor(x0=-2.2), window + 2000.0, 0.05, record=("z",), record_dt=1.0)
    sub_onsets = seizure_onsets(sub["z"], 1.0)
    sub_onsets = sub_onsets[sub_onsets >= 2000.0]

    # 5. on the connectome
    x0_zone = [-2.2, -1.6] if quick else [-2.2, -2.0, -1.8, -1.6, -1.4]
    recruited, x1_net, _ = epileptor_network_recruitment(x0_zone, coupling=coupling, seed=seed,
                                                          duration=15_000.0 if quick else 30_000.0)

    fig, axes = figure(2, 3, width=15.0, height=8.0)
    ax = axes[0, 0]
    for s in severities:
        ax.plot(currents, fi[s], "o-", ms=3, label=f"severity {s:.2f}")
    reduced_fi = analysis.fi_curve(reductions[0].fit.model, currents * PA_PER_UA_CM2, duration=300.0, dt=0.05)
    ax.plot(currents, reduced_fi, "k--", lw=1.0, label="AdEx reduction of severity 0")
    ax.set_xlabel("current (uA/cm$^2$)")
    ax.set_ylabel("rate (Hz)")
    ax.set_title("Wang-Buzsaki interneuron: Nav1.1 loss")
    ax.legend(fontsize=7)
    ax = axes[0, 1]
    wt = reductions[0]
    duration = 300.0
    cur = fluctuating_currents([4], duration=duration)[0]
    det = simulate(WangBuzsaki(), duration, 0.02, current=TimeArray(cur, 0.02), spike_threshold=-20.0)
    red = simulate(wt.fit.model, duration, 0.05, current=TimeArray(cur * PA_PER_UA_CM2, 0.02))
    ax.plot(det.t, det["v"], lw=0.8, label="Wang-Buzsaki (detailed)")
    ax.plot(red.t, np.minimum(red["v"], 20.0), lw=0.8, label="AdEx (reduced)")
    ax.set_xlabel("time (ms)")
    ax.set_ylabel("v (mV)")
    ax.set_title(f"held-out input: Gamma = {wt.held_out_gamma:.2f}")
    ax.legend(fontsize=7)
    ax = axes[0, 2]
    ax.plot(severities, sync, "o-", label="E synchrony")
    ax.axhline(0.1, color="0.6", ls=":")
    ax.set_xlabel("Nav1.1 severity")
    ax.set_ylabel("synchrony (2 ms bins)")
    ax2 = ax.twinx()
    ax2.plot(severities, rates, "s--", color="C1")
    ax2.set_ylabel("E rate (Hz)", color="C1")
    ax.set_title(f"E-I network tips at severity {tipping if tipping is not None else 'none'}")
    for ax, res, s in ((axes[1, 0], results[0], severities[0]), (axes[1, 1], results[-1], severities[-1])):
        st = res.spikes["E"]
        keep = st.ids < 200
        ax.plot(st.times[keep], st.ids[keep], "k.", ms=1)
        ax.set_xlabel("time (ms)")
        ax.set_ylabel("pyramidal cell")
        ax.set_title(f"raster, severity {s:.2f}")
    ax = axes[1, 2]
    t = alone.t / 1000.0
    ax.plot(t, Epileptor.lfp(alone), lw=0.5, label="LFP-like -x1 + x2")
    ax.plot(t, alone["z"] * 2 - 8, lw=1.0, label="2 z - 8 (slow permittivity)")
    ax.set_xlim(0, min(20.0, t[-1]))
    ax.set_xlabel("time (s, model units as ms)")
    ax.set_ylabel("Epileptor variables")
    ax.set_title(f"Epileptor x0 = -1.6: {onsets.size} seizures in {epileptor_window_s:g} s")
    ax.legend(fontsize=7)
    fig2, (ax_p, ax_r) = figure(1, 2, width=11.0, height=4.0)
    ax_p.plot(alone["x1"], alone["z"], lw=0.3)
    ax_p.set_xlabel("x1")
    ax_p.set_ylabel("z")
    ax_p.set_title("Epileptor phase portrait (x1, z)")
    im = ax_r.imshow(x1_net.T > 0, aspect="auto", interpolation="nearest", cmap="Reds",
                     extent=(0, x1_net.shape[0] / 1000.0, x1_net.shape[1] - 0.5, -0.5))
    ax_r.set_xlabel("time (s)")
    ax_r.set_ylabel("region (0: epileptogenic zone)")
    ax_r.set_title(f"ictal regions, zone x0 = {x0_zone[-1]:g}")
    fig2.colorbar(im, ax=ax_r, label="x1 > 0 (ictal)")
    intervals = np.diff(onsets) / 1000.0
    metrics = {
        "wt_max_rate_hz": max_rates[0], "mutant_max_rate_hz": max_rates[-1],
        "max_rate_hz_by_severity": max_rates, "severities": severities.tolist(),
        "reduced_wt_rate_hz": reduced_fi.tolist(), "fi_currents_ua_cm2": currents.tolist(),
        "reduction_gamma": wt.held_out_gamma, "reduction_gamma_by_severity": [r.held_out_gamma for r in reductions],
        "network_synchrony": sync, "network_rate_hz": rates, "tipping_severity": tipping,
        "epileptor_seizures": int(onsets.size),
        "epileptor_mean_interval_s": float(intervals.mean()) if intervals.size else None,
        "epileptor_seizures_subcritical": int(sub_onsets.size),
        "x0_zone": x0_zone, "recruited_regions": recruited,
    }
    return metrics, {"ladder": fig, "epileptor": fig2}
