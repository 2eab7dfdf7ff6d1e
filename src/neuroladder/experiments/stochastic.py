"""Stochastic-neuron experiments: the simulated noisy LIF against Siegert theory."""

from __future__ import annotations

import numpy as np

from ..core.simulate import simulate
from ..report import figure
from ..stochastic import StochasticLIF, siegert_rate
from .registry import experiment


@experiment("stochastic-lif", "The LIF driven by white noise (Brunel 2000 convention): simulated rates against the "
            "Siegert first-passage formula over a grid of mean input mu and noise sigma, with the time-step "
            "correction of the threshold; heatmap of the relative error.")
def stochastic_lif(quick=False, dt=0.1, n=1000, duration=3000.0, seed=1):
    mus = np.array([10.0, 15.0, 20.0, 25.0, 30.0] if quick else [8.0, 12.0, 16.0, 20.0, 24.0, 28.0, 32.0])
    sigmas = np.array([2.0, 5.0, 8.0] if quick else [1.0, 2.0, 4.0, 6.0, 8.0])
    if quick:
        n, duration = 400, 1500.0
    burn_in = 300.0
    sim = np.zeros((sigmas.size, mus.size))
    theory = np.zeros_like(sim)
    for i, sigma in enumerate(sigmas):
        model = StochasticLIF(sigma=float(sigma))
        # every mu of this sigma in one vectorised run: unit k gets mean input mus[k % len(mus)]
        currents = np.tile(mus, n)
        res = simulate(model, duration, dt, current=currents, n=currents.size, seed=seed + i, record=())
        times, ids = res.spikes
        late = times >= burn_in
        counts = np.bincount(ids[late] % mus.size, minlength=mus.size)
        sim[i] = counts / n / ((duration - burn_in) / 1000.0)
        theory[i] = siegert_rate(mus, sigma, 20.0, 20.0, 10.0, 2.0)
    reliable = theory > 2.0  # below ~2 Hz the counts are too few for a percent-level comparison
    rel = np.where(reliable, (sim - theory) / np.where(reliable, theory, 1.0), np.nan)
    fig, (ax_r, ax_e) = figure(1, 2, width=11.0, height=4.0)
    for i, sigma in enumerate(sigmas):
        line, = ax_r.plot(mus, theory[i], "-", label=f"sigma = {sigma:g} mV")
        ax_r.plot(mus, sim[i], "o", color=line.get_color(), ms=4)
    ax_r.axvline(20.0, color="0.6", ls=":", lw=1)
    ax_r.set_xlabel("mean input mu (mV); threshold 20 mV")
    ax_r.set_ylabel("rate (Hz)")
    ax_r.set_title("Siegert (lines) vs simulation (dots)")
    ax_r.legend(fontsize=7)
    import matplotlib

    cmap = matplotlib.colormaps["RdBu_r"].copy()
    cmap.set_bad("0.8")  # points with too few spikes
    image = ax_e.imshow(100 * rel, origin="lower", aspect="auto", cmap=cmap, vmin=-5, vmax=5,
                        extent=(mus[0] - 2, mus[-1] + 2, -0.5, sigmas.size - 0.5))
    ax_e.set_yticks(range(sigmas.size), [f"{s:g}" for s in sigmas])
    ax_e.set_xlabel("mu (mV)")
    ax_e.set_ylabel("sigma (mV)")
    ax_e.set_title(f"relative error (%), dt = {dt:g} ms (grey: rate < 2 Hz)")
    fig.colorbar(image, ax=ax_e, label="%")
    return {"max_abs_rel_error": float(np.nanmax(np.abs(rel))), "mean_abs_rel_error": float(np.nanmean(np.abs(rel))),
            "points_compared": int(np.count_nonzero(reliable))}, {"siegert": fig}
