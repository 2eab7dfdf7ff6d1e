"""Stochastic-neuron experiments: the simulated noisy LIF against Siegert theory."""

from __future__ import annotations

import numpy as np

from ..core.errors import ParameterError
from ..core.simulate import simulate
from ..report import figure
from ..stochastic import StochasticLIF, siegert_rate
from .registry import Range, experiment


@experiment("stochastic-lif", "The LIF driven by white noise (Brunel 2000 convention): simulated rates against the "
            "Siegert first-passage formula over a grid of mean input mu and noise sigma, with the time-step "
            "correction of the threshold; heatmap of the relative error.",
            params={"dt": Range(0.001, 1.0, "ms"), "n": Range(10, 100_000), "duration": Range(100.0, 1e6, "ms")})
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


@experiment("shot-noise", "Signal-dependent synaptic noise: the variance of Poisson shot noise with binomial "
            "release grows in proportion to the rate (Campbell); the Gaussian diffusion approximation of the "
            "membrane's response fails when few release events overlap (low rate x tau).",
            params={"weight": Range(0.0, 1e4, "pA", low_open=True),
                    "tau": Range(0.1, 1000.0, "ms"),
                    "release_probability": Range(0.0, 1.0, low_open=True),
                    "n_sites": Range(1, 1000)})
def shot_noise(quick=False, weight=20.0, tau=5.0, release_probability=0.5, n_sites=4, seed=1):
    from ..neurons import LIF
    from ..stochastic import ShotNoiseCurrent

    rates = np.array([20.0, 50.0, 100.0, 200.0, 500.0, 1000.0, 2000.0, 5000.0])
    n = 1000 if quick else 4000
    times = np.arange(0.0, 100.0, 0.1)
    var_sim, var_theory, skew = [], [], []
    for j, rate in enumerate(rates):
        stim = ShotNoiseCurrent(float(rate), weight, tau, release_probability, n_sites, seed=seed + j)
        x = stim.sample(times, n)[-1]
        var_sim.append(x.var())
        var_theory.append(stim.moments()[1])
        skew.append(float(((x - x.mean()) ** 3).mean() / x.std() ** 3))
    var_sim, var_theory, skew = map(np.asarray, (var_sim, var_theory, skew))
    # membrane response (LIF, passive: threshold out of reach) to the shot noise and to its diffusion
    # approximation, at a low and a high rate
    model = LIF(v_th=400.0)
    fig, (ax_v, ax_h) = figure(1, 2, width=11.0, height=4.0)
    ax_v.loglog(rates, var_theory, "-", color="0.5", lw=3, alpha=0.5, label="Campbell: r E[c^2] w^2 tau / 2")
    ax_v.loglog(rates, var_sim, "o", label="simulated")
    ax_v.set_xlabel("presynaptic rate (Hz)")
    ax_v.set_ylabel("current variance (pA^2)")
    ax_v.set_title("variance proportional to rate")
    ax_v.legend(fontsize=8)
    metrics = {"variance_rate_exponent": float(np.polyfit(np.log(rates), np.log(var_sim), 1)[0])}
    for rate, colour in ((50.0, "C1"), (2000.0, "C0")):
        stim = ShotNoiseCurrent(rate, weight, tau, release_probability, n_sites, seed=seed)
        shot = simulate(model, 300.0, 0.1, current=stim, n=n, record=("v",))["v"][-1]
        gauss = simulate(model, 300.0, 0.1, current=stim.diffusion_approximation(seed=seed + 99 + int(rate)), n=n,
                         record=("v",))["v"][-1]
        bins = np.linspace(min(shot.min(), gauss.min()), max(shot.max(), gauss.max()), 60)
        ax_h.hist(shot, bins, histtype="step", color=colour, label=f"{rate:g} Hz shot noise")
        ax_h.hist(gauss, bins, histtype="step", ls="--", color=colour, label=f"{rate:g} Hz diffusion approx.")
        metrics[f"membrane_skewness_shot_{int(rate)}hz"] = float(((shot - shot.mean()) ** 3).mean() / shot.std() ** 3)
        metrics[f"membrane_skewness_diffusion_{int(rate)}hz"] = float(
            ((gauss - gauss.mean()) ** 3).mean() / gauss.std() ** 3)
    ax_h.set_xlabel("membrane potential (mV)")
    ax_h.set_ylabel("neurons")
    ax_h.set_title("the diffusion approximation misses the skew at low rates")
    ax_h.legend(fontsize=7)
    metrics["current_skewness_lowest_rate"] = float(skew[0])
    metrics["current_skewness_highest_rate"] = float(skew[-1])
    return metrics, {"shot_noise": fig}


def isi_dependence(trains):
    """The test of ``markov-reset``: does the next ISI depend on the previous one?

    Splits every (previous ISI, next ISI) pair at the median previous ISI and compares the two
    conditional distributions of the next ISI (two-sample KS test). Returns
    ``(ks_result, prev, nxt, split, after_short, after_long)``. A renewal process (reset of a Markov
    voltage) gives p-values uniform on (0, 1); a neuron with a hidden slow variable (adaptation,
    coloured-noise input) has correlated ISIs and a small p.
    """
    from scipy.stats import ks_2samp

    prev, nxt = [], []
    for train in trains:
        isi = np.diff(train)
        prev.append(isi[:-1])
        nxt.append(isi[1:])
    prev, nxt = np.concatenate(prev), np.concatenate(nxt)
    if nxt.size < 2:
        return None, prev, nxt, float("nan"), nxt, nxt
    split = np.median(prev)
    after_short, after_long = nxt[prev < split], nxt[prev >= split]
    return ks_2samp(after_short, after_long), prev, nxt, split, after_short, after_long


@experiment("markov-reset", "Threshold-reset is legitimate because of the strong Markov property: after a reset "
            "the next interspike interval does not depend on how the voltage reached threshold (previous ISI "
            "short or long): the two conditional ISI distributions agree (two-sample KS test).",
            params={"mu": Range(0.0, 100.0, "mV"),
                    "sigma": Range(0.0, 100.0, "mV", low_open=True),
                    "duration": Range(2000.0, 1e6, "ms"),
                    "n": Range(10, 100_000)})
def markov_reset(quick=False, mu=15.0, sigma=5.0, duration=20000.0, n=200, seed=1):
    from ..stochastic import StochasticLIF

    if quick:
        duration = 5000.0
    res = simulate(StochasticLIF(sigma=sigma), duration, 0.1, current=mu, n=n, seed=seed, record=())
    test, prev, nxt, split, after_short, after_long = isi_dependence(res.spike_trains())
    if nxt.size < 20:
        raise ParameterError(f"markov-reset: only {nxt.size} ISI pairs with mu = {mu}, sigma = {sigma} mV over "
                             f"{duration:g} ms x {n} neurons; the KS test needs >= 20 (raise mu, sigma or duration)")
    fig, ax = figure(1, 1, width=6.4, height=4.0)
    bins = np.linspace(0.0, np.percentile(nxt, 99), 50)
    ax.hist(after_short, bins, density=True, histtype="step", lw=1.5, label=f"after a short ISI (< {split:.0f} ms)")
    ax.hist(after_long, bins, density=True, histtype="step", lw=1.5, label="after a long ISI")
    ax.set_xlabel("next ISI (ms)")
    ax.set_ylabel("density (1/ms)")
    ax.set_title(f"KS test: D = {test.statistic:.3f}, p = {test.pvalue:.2f}")
    ax.legend(fontsize=8)
    serial = float(np.corrcoef(prev, nxt)[0, 1])
    return {"ks_statistic": float(test.statistic), "ks_p_value": float(test.pvalue),
            "serial_correlation": serial, "n_intervals": int(nxt.size)}, {"conditional_isi": fig}


@experiment("channel-noise", "Channel noise in small HH patches: spontaneous firing at rest and spike-time "
            "jitter under a current step, against membrane area, for exact Markov channels and the Fox-Lu "
            "Langevin approximation (both tend to deterministic HH as the area grows).",
            params={"duration": Range(50.0, 1e5, "ms"), "n": Range(2, 1000)})
def channel_noise(quick=False, duration=500.0, n=10, seed=1):
    from ..stochastic import simulate_channel_noise

    areas = np.array([10.0, 30.0, 100.0, 300.0] if quick else [5.0, 10.0, 30.0, 100.0, 300.0, 1000.0])
    if quick:
        duration, n = 300.0, 6
    out = {"markov": ([], []), "langevin": ([], [])}
    for method, (spont, jitter) in out.items():
        for area in areas:
            rest = simulate_channel_noise(float(area), duration, 0.01, n=n, method=method, seed=seed)
            spont.append(rest.spike_counts.mean() / (duration / 1000.0))
            # a 20 ms step of 10 uA/cm^2 from t = 5 ms: the SD over patches of the first spike time
            step = simulate_channel_noise(float(area), 25.0, 0.01, n=4 * n, method=method, seed=seed + 1,
                                          current=_step())
            firsts = [s[s > 5.0][0] for s in step.spike_trains() if np.any(s > 5.0)]
            jitter.append(float(np.std(firsts)) if len(firsts) > 1 else float("nan"))
    fig, (ax_s, ax_j) = figure(1, 2, width=11.0, height=4.0)
    for method, (spont, jitter) in out.items():
        ax_s.semilogx(areas, spont, "o-", label=method)
        ax_j.loglog(areas, jitter, "o-", label=method)
    ax_s.set_xlabel("membrane area (um^2)")
    ax_s.set_ylabel("spontaneous rate at rest (Hz)")
    ax_s.legend()
    ax_j.set_xlabel("membrane area (um^2)")
    ax_j.set_ylabel("first-spike jitter (ms)")
    ax_j.set_title("spike-time jitter, 10 uA/cm^2 step")
    metrics = {}
    for method, (spont, jitter) in out.items():
        metrics[f"{method}_spontaneous_hz_smallest_area"] = float(spont[0])
        metrics[f"{method}_spontaneous_hz_largest_area"] = float(spont[-1])
        metrics[f"{method}_jitter_ms_smallest_area"] = float(jitter[0])
        metrics[f"{method}_jitter_ms_largest_area"] = float(jitter[-1])
    return metrics, {"channel_noise": fig}


def _step():
    from ..core.stimulus import Step

    return Step(10.0, start=5.0)
