"""Coding experiments: LN-model recovery, efficient coding (issue 7)."""

from __future__ import annotations

import numpy as np
from scipy.special import ndtr

from .. import analysis
from ..core.rng import make_rng
from ..report import figure
from .registry import Range, experiment


def biphasic_filter(n_lags: int, dt: float = 1.0, tau_on: float = 4.0, tau_off: float = 8.0,
                    weight_off: float = 0.8) -> np.ndarray:
    """A unit-norm biphasic temporal filter (difference of two gamma-like lobes), like a retinal
    ganglion cell's (Chichilnisky 2001, Fig. 2): ``t^3 e^{-t/tau_on} - w t^3 e^{-t/tau_off}`` scaled."""
    t = np.arange(n_lags) * dt
    on = (t / tau_on) ** 3 * np.exp(-t / tau_on)
    off = (t / tau_off) ** 3 * np.exp(-t / tau_off)
    k = on / on.max() - weight_off * off / off.max()
    return k / np.linalg.norm(k)


@experiment("ln-model", "An LN-Poisson neuron (biphasic filter, sigmoidal nonlinearity) driven by white Gaussian "
            "noise: the filter recovered by the spike-triggered average and by a Poisson GLM, the nonlinearity "
            "by a histogram and a sigmoid fit (Chichilnisky 2001; Paninski 2004).",
            params={"duration_s": Range(10.0, 1e4, "s"),
                    "dt": Range(0.1, 10.0, "ms"),
                    "n_lags": Range(2, 500),
                    "max_rate_hz": Range(0.0, 1e3, "Hz", low_open=True),
                    "gain": Range(0.0, 100.0, low_open=True),
                    "midpoint": Range(-10.0, 10.0)})
def ln_model(quick=False, duration_s=300.0, dt=1.0, n_lags=40, max_rate_hz=80.0, gain=2.0, midpoint=1.0, seed=1):
    if quick:
        duration_s = min(duration_s, 60.0)
    rng = make_rng(seed)
    n_bins = int(round(duration_s * 1000.0 / dt))
    stimulus = rng.standard_normal(n_bins)          # unit variance per bin (contrast units)
    k_true = biphasic_filter(n_lags, dt)
    f_true = analysis.parametric_nonlinearity("sigmoid", [np.log(max_rate_hz), gain, midpoint])
    spikes = analysis.simulate_ln_poisson(stimulus, k_true, f_true, dt, seed=rng)

    ln = analysis.fit_ln_model(stimulus, spikes, n_lags, n_bins=25, parametric="sigmoid", dt=dt)
    glm = analysis.fit_poisson_glm(stimulus, spikes, n_lags, 0, dt=dt)
    k_glm = glm.stim_filter / np.linalg.norm(glm.stim_filter)
    stc = analysis.spike_triggered_covariance(stimulus, spikes, n_lags, dt=dt, n_shuffles=10, seed=rng)

    c = ln.bin_centers
    truth = f_true(c)
    metrics = {
        "n_spikes": float(spikes.sum()),
        "mean_rate_hz": float(spikes.sum() / duration_s),
        "filter_correlation": float(np.corrcoef(ln.filter, k_true)[0, 1]),
        "glm_filter_correlation": float(np.corrcoef(k_glm, k_true)[0, 1]),
        # errors at the histogram's bin centres, relative to the true maximal rate
        "nonlinearity_rel_rmse": float(np.sqrt(np.mean((ln.rates - truth) ** 2)) / max_rate_hz),
        "parametric_rel_rmse": float(np.sqrt(np.mean((ln.nonlinearity(c) - truth) ** 2)) / max_rate_hz),
        "fitted_max_rate_hz": float(np.exp(ln.params[0])),
        "fitted_gain": float(ln.params[1]),
        "fitted_midpoint": float(ln.params[2]),
        "stc_n_significant": float(stc.significant.sum()),
        "stc_top_filter_correlation": float(abs(np.corrcoef(stc.eigenvectors[:, 0], k_true)[0, 1])),
    }

    fig, (ax_k, ax_f) = figure(1, 2, width=11.0, height=4.0)
    lags = np.arange(n_lags) * dt
    ax_k.plot(lags, k_true, "k-", lw=2.5, alpha=0.4, label="true filter")
    ax_k.plot(lags, ln.filter, "o-", ms=3, label=f"STA (r = {metrics['filter_correlation']:.3f})")
    ax_k.plot(lags, k_glm, "s--", ms=3, label=f"GLM (r = {metrics['glm_filter_correlation']:.3f})")
    ax_k.set_xlabel("time before spike (ms)")
    ax_k.set_ylabel("filter weight (unit norm)")
    ax_k.set_title("linear stage")
    ax_k.legend()
    g = np.linspace(c.min() - 0.5, c.max() + 0.5, 300)
    ax_f.plot(g, f_true(g), "k-", lw=2.5, alpha=0.4, label="true sigmoid")
    ax_f.errorbar(c, ln.rates, yerr=ln.rates_sem, fmt="o", ms=3, label="histogram estimate")
    ax_f.plot(g, ln.nonlinearity(g), "--", label="sigmoid fit")
    ax_f.set_xlabel("generator signal (stimulus s.d.)")
    ax_f.set_ylabel("firing rate (Hz)")
    ax_f.set_title(f"nonlinearity ({int(spikes.sum())} spikes, {duration_s:g} s)")
    ax_f.legend()
    return metrics, {"ln_recovery": fig}


def _curves(train, scale):
    """The input-output curves compared, all mapping to [0, 1] (r_max = 1)."""
    s = scale / 2.0      # logistic with the infomax curve's slope at 0 (Laplace pdf at 0 = 1 / (2 scale))
    return {
        "infomax": analysis.infomax_nonlinearity(train, r_max=1.0),
        "linear": lambda x: np.clip(0.5 + x / 4.0, 0.0, 1.0),            # linear over +-2 s.d., clipped
        "gaussian_cdf": lambda x: ndtr(x),      # infomax for a Gaussian input of the same variance
        "logistic_matched": lambda x: 1.0 / (1.0 + np.exp(-x / s)),
        "logistic_steep": lambda x: 1.0 / (1.0 + np.exp(-3.0 * x / s)),
        "logistic_shallow": lambda x: 1.0 / (1.0 + np.exp(-x / (3.0 * s))),
    }


@experiment("efficient-coding", "Laughlin (1981): a bounded neuron transmits most when its curve is the input "
            "CDF. Information through infomax, linear, Gaussian-CDF and logistic curves for heavy-tailed (Laplace) "
            "contrasts, with small additive output noise and with discrete response levels; and the noise level "
            "at which the infomax advantage ends.",
            params={"noise_sd": Range(0.0, 1.0), "n_levels": Range(2, 1024), "n_samples": Range(1000, 10_000_000)})
def efficient_coding(quick=False, noise_sd=0.01, n_levels=16, n_samples=400_000, seed=1):
    if quick:
        n_samples = min(n_samples, 100_000)
    rng = make_rng(seed)
    scale = 1.0 / np.sqrt(2.0)                 # Laplace with unit variance: natural-image contrasts are
    train = rng.laplace(0.0, scale, n_samples)  # sharper-peaked and heavier-tailed than a Gaussian
    test = rng.laplace(0.0, scale, n_samples)  # a fresh sample: the infomax curve is not scored on its own data
    curves = _curves(train, scale)
    mi = {name: analysis.channel_information(f, test, noise_sd) for name, f in curves.items()}
    levels = {name: analysis.quantized_output_information(f, test, n_levels) for name, f in curves.items()}
    best_noise = max(mi, key=mi.get)
    best_levels = max(levels, key=levels.get)

    sweep = np.geomspace(0.005, 0.2, 6 if quick else 12)
    sweep_mi = {name: [analysis.channel_information(f, test, sd) for sd in sweep] for name, f in curves.items()}
    others = np.max([sweep_mi[n] for n in curves if n != "infomax"], axis=0)
    loses = sweep[np.asarray(sweep_mi["infomax"]) < others]

    metrics = {f"mi_{name}_bits": float(v) for name, v in mi.items()}
    metrics.update({f"levels_mi_{name}_bits": float(v) for name, v in levels.items()})
    metrics["small_noise_value_bits"] = float(np.log2(1.0 / noise_sd) - 0.5 * np.log2(2 * np.pi * np.e))
    metrics["levels_max_bits"] = float(np.log2(n_levels))
    metrics["infomax_is_best"] = float(best_noise == "infomax" and best_levels == "infomax")
    metrics["noise_sd_infomax_loses"] = float(loses.min()) if loses.size else float("nan")

    fig, axes = figure(2, 2, width=11.0, height=8.0)
    ax_p, ax_c, ax_b, ax_s = axes.ravel()
    x = np.linspace(-4.0, 4.0, 400)
    ax_p.hist(test, bins=np.linspace(-4, 4, 81), density=True, alpha=0.5, label="input samples")
    ax_p.plot(x, np.exp(-np.abs(x) / scale) / (2 * scale), label="Laplace (unit variance)")
    ax_p.plot(x, np.exp(-0.5 * x * x) / np.sqrt(2 * np.pi), "--", label="Gaussian (unit variance)")
    ax_p.set_xlabel("input contrast (s.d.)")
    ax_p.set_ylabel("probability density")
    ax_p.set_title("input distribution")
    ax_p.legend()
    for name, f in curves.items():
        ax_c.plot(x, f(x), lw=2.5 if name == "infomax" else 1.2, label=name)
    ax_c.set_xlabel("input contrast (s.d.)")
    ax_c.set_ylabel("response (fraction of r_max)")
    ax_c.set_title("input-output curves")
    ax_c.legend(fontsize=8)
    names = list(curves)
    pos = np.arange(len(names))
    ax_b.bar(pos - 0.2, [mi[n] for n in names], 0.4, label=f"additive noise s.d. {noise_sd:g}")
    ax_b.bar(pos + 0.2, [levels[n] for n in names], 0.4, label=f"{n_levels} response levels")
    ax_b.set_xticks(pos, names, rotation=30, ha="right", fontsize=8)
    ax_b.set_ylabel("information (bits)")
    ax_b.set_title("information transmitted")
    ax_b.legend(fontsize=8)
    for name in names:
        ax_s.semilogx(sweep, np.asarray(sweep_mi[name]) - np.asarray(sweep_mi["infomax"]),
                      lw=2.5 if name == "infomax" else 1.2, label=name)
    ax_s.set_xlabel("output noise s.d. (fraction of r_max)")
    ax_s.set_ylabel("information minus infomax (bits)")
    ax_s.set_title("the infomax advantage is a small-noise result")
    ax_s.legend(fontsize=8)
    return metrics, {"efficient_coding": fig}
