"""Criticality experiments: avalanches of branching processes, branching-ratio estimation (issue 7)."""

from __future__ import annotations

import numpy as np
from scipy import optimize

from .. import analysis
from ..circuits import galton_watson, galton_watson_activity, network_branching
from ..core.rng import make_rng
from ..report import figure
from .registry import Range, experiment

_REGIMES = (("sub", 0.9, "sub-critical"), ("", 1.0, "critical"), ("super", 1.1, "super-critical"))


def _prefix(p, name):
    return f"{p}_{name}" if p else name


def _borel_cutoff_rate(m):
    """Cut-off rate of the finite avalanches of a Poisson(m) Galton-Watson process.

    Sizes are Borel, P(S = s) ~ s^-3/2 exp(-s (m - 1 - ln m)) (Stirling). Above criticality
    the avalanches that die out are those of the Poisson(m (1 - q)) process, q the survival
    probability from 1 - q = exp(-m q) (a Galton-Watson process conditioned on extinction
    has offspring generating function f((1 - q) s) / (1 - q); Athreya & Ney 1972, ch. I).
    """
    if m > 1.0:
        q = optimize.brentq(lambda q: 1.0 - q - np.exp(-m * q), 1e-12, 1.0)
        m = m * (1.0 - q)
    return float(m - 1.0 - np.log(m)) if m > 0 else np.inf


@experiment("avalanches", "Galton-Watson avalanches below (m = 0.9), at (m = 1) and above (m = 1.1, capped) "
            "criticality: size and duration exponents by the Clauset-Shalizi-Newman method, the likelihood "
            "ratio against a cut-off, the scaling relation <S>(T) ~ T^gamma with the crackling-noise "
            "prediction and the shape collapse (Harris 1963; Beggs & Plenz 2003; Sethna et al. 2001; "
            "Friedman et al. 2012). Theory at m = 1: size exponent 3/2, duration exponent 2, gamma 2.",
            params={"n_avalanches": Range(1000, 10_000_000), "compare_xmin": Range(1, 1000)})
def avalanches(quick=False, n_avalanches=200_000, compare_xmin=10, seed=1):
    n = min(n_avalanches, 30_000) if quick else n_avalanches
    rng = make_rng(seed)
    metrics, fits = {}, {}
    for p, m, _ in _REGIMES:
        sizes, durs, capped = galton_watson(m, n, seed=rng, return_capped=True)
        s, d = sizes[~capped], durs[~capped]   # capped avalanches are lower bounds: leave them out
        fs, fd = analysis.fit_power_law(s), analysis.fit_power_law(d)
        fits[p] = (fs, fd, m)
        metrics[_prefix(p, "size_exponent")] = fs.alpha
        metrics[_prefix(p, "size_xmin")] = fs.xmin
        metrics[_prefix(p, "duration_exponent")] = fd.alpha
        metrics[_prefix(p, "duration_xmin")] = fd.xmin
        metrics[_prefix(p, "capped_fraction")] = float(capped.mean())
        # the KS-chosen xmin of sub-critical data sits in the exponential tail, where a pure
        # power law and a cut-off look alike; compare all regimes at one common lower bound
        common = analysis.fit_power_law(s, xmin=compare_xmin)
        tpl = common.compare("truncated_power_law")
        metrics[_prefix(p, "size_R_vs_truncated")] = tpl.R
        metrics[_prefix(p, "size_p_vs_truncated")] = tpl.p_value
        metrics[_prefix(p, "size_cutoff_rate")] = tpl.params[1]
        metrics[_prefix(p, "size_cutoff_rate_theory")] = _borel_cutoff_rate(m)
        # off criticality <S>(T) is no power law: sub-critical avalanches (and the finite
        # super-critical ones, a sub-critical process with m* = m (1 - q)) grow linearly in T
        # for T >> 1 / (1 - m), so the fit from T = 20 gives a slope between 1 and 2
        sc = analysis.size_duration_scaling(s, d, t_min=20)
        metrics[_prefix(p, "gamma")] = sc.gamma
        if p == "":
            # the crackling-noise relation links critical exponents; off criticality the KS
            # fits sit in the exponential tails and the ratio means nothing
            metrics["gamma_predicted"] = analysis.crackling_gamma(fd.alpha, fs.alpha)
            scaling = sc
    # shape collapse of the critical process
    act = galton_watson_activity(1.0, n, seed=rng)
    shapes = analysis.avalanche_shapes(act, min_avalanches=20)
    collapse = analysis.shape_collapse(shapes, t_min=10)
    metrics["gamma_shape_collapse"] = collapse.gamma
    metrics["shape_collapse_error"] = collapse.error

    fig, axes = figure(2, 3, width=13.0, height=7.0)
    for j, (p, m, title) in enumerate(_REGIMES):
        fs, fd, _ = fits[p]
        fs.plot(axes[0, j], label=f"sizes, m = {m:g}", xlabel="avalanche size S (activations)")
        fd.plot(axes[1, j], label=f"durations, m = {m:g}", xlabel="avalanche duration T (generations)")
        axes[0, j].set_title(f"{title}: tau_S = {fs.alpha:.2f}")
        axes[1, j].set_title(f"{title}: alpha_T = {fd.alpha:.2f}")
        for ax in axes[:, j]:
            ax.legend(fontsize=7, loc="lower left")
    figs = {"ccdf": fig}
    fig2, (ax_s, ax_c) = figure(1, 2, width=11.0, height=4.0)
    ax_s.loglog(scaling.durations, scaling.mean_sizes, "o", ms=3, label="bin means")
    tt = np.geomspace(scaling.durations.min(), scaling.durations.max(), 20)
    ax_s.loglog(tt, np.exp(scaling.intercept) * tt ** scaling.gamma, "k--",
                label=f"fit gamma = {scaling.gamma:.2f} (theory 2)")
    ax_s.set_xlabel("duration T (generations)")
    ax_s.set_ylabel("<S>(T) (activations)")
    ax_s.set_title(f"scaling relation; crackling prediction {metrics['gamma_predicted']:.2f}")
    ax_s.legend(fontsize=8)
    for curve in collapse.curves.values():
        ax_c.plot(collapse.grid, curve, lw=0.8, color="0.6")
    ax_c.plot(collapse.grid, collapse.scaling_function, "k", lw=1.5, label="mean")
    ax_c.set_xlabel("t / T")
    ax_c.set_ylabel("s(t, T) / T^(gamma - 1)")
    ax_c.set_title(f"shape collapse, gamma = {collapse.gamma:.2f}, {len(collapse.curves)} durations")
    ax_c.legend(fontsize=8)
    figs["scaling"] = fig2
    return metrics, figs


def _label(fraction):
    return f"{fraction * 100:g}pct"


@experiment("branching-ratio", "A driven network branching model with known m = 0.98, subsampled to 100 %, 10 % "
            "and 1 % of its events: the multistep-regression estimator (Wilting & Priesemann 2018) stays at m, "
            "the conventional A(t+1)-on-A(t) regression collapses towards 0.",
            params={"m": Range(0.0, 1.0, low_open=True, high_open=True),
                    "n_units": Range(100, 10_000_000),
                    "k": Range(1, 1000),
                    "mean_activity": Range(1.0, 1e5),
                    "n_steps": Range(1000, 10_000_000),
                    "k_max": Range(2, 10_000)})
def branching_ratio(quick=False, m=0.98, n_units=100_000, k=10, mean_activity=100.0, n_steps=200_000, k_max=150,
                    seed=1):
    steps = min(n_steps, 50_000) if quick else n_steps
    h = mean_activity * (1.0 - m) / n_units        # stationary mean activity N h / (1 - m)
    rng = make_rng(seed)
    act = network_branching(n_units, k, m, h, steps, seed=rng)
    fractions = (1.0, 0.1, 0.01)
    metrics = {"m_true": float(m), "mean_activity": float(act.mean())}
    results = {}
    for f in fractions:
        obs = analysis.subsample(act, f, seed=rng) if f < 1.0 else act
        mr = analysis.branching_ratio(obs, "mr", k_max=k_max, n_boot=50 if quick else 200, seed=rng)
        conv = analysis.branching_ratio(obs, "conventional", n_boot=50 if quick else 200, seed=rng)
        results[f] = (mr, conv)
        metrics[f"m_mr_{_label(f)}"] = mr.m
        metrics[f"m_mr_{_label(f)}_ci_low"], metrics[f"m_mr_{_label(f)}_ci_high"] = mr.ci
        metrics[f"m_conventional_{_label(f)}"] = conv.m
        metrics[f"tau_mr_{_label(f)}"] = mr.tau
    fig, (ax_r, ax_m) = figure(1, 2, width=11.0, height=4.0)
    for j, f in enumerate(fractions):
        mr, _ = results[f]
        ax_r.semilogy(mr.k, np.clip(mr.r_k, 1e-4, None), ".", ms=3, color=f"C{j}", label=f"{f * 100:g} % observed")
        ax_r.semilogy(mr.k, mr.r_k_fit(), "-", lw=1, color=f"C{j}")
    ax_r.set_xlabel("lag k (steps)")
    ax_r.set_ylabel("regression slope r_k")
    ax_r.set_title("MR: r_k = b m^k, same decay at every subsampling")
    ax_r.legend(fontsize=8)
    x = np.array(fractions)
    for key, style, label in (("mr", "o-", "multistep regression"), ("conventional", "s--", "conventional")):
        est = np.array([results[f][0 if key == "mr" else 1].m for f in fractions])
        lo = np.array([results[f][0 if key == "mr" else 1].ci[0] for f in fractions])
        hi = np.array([results[f][0 if key == "mr" else 1].ci[1] for f in fractions])
        ax_m.errorbar(x, est, yerr=[est - lo, hi - est], fmt=style, capsize=3, label=label)
    ax_m.axhline(m, color="k", lw=0.8, ls=":", label=f"true m = {m:g}")
    ax_m.set_xscale("log")
    ax_m.set_xlabel("fraction of events observed")
    ax_m.set_ylabel("estimated m")
    ax_m.set_title("estimates under subsampling (95 % block-bootstrap CI)")
    ax_m.legend(fontsize=8)
    return metrics, {"estimates": fig}
