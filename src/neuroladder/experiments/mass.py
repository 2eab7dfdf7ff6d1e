"""Neural-mass experiments: Jansen-Rit alpha rhythm, Wilson-Cowan limit cycle."""

from __future__ import annotations

import numpy as np
from scipy.signal import welch

from .. import analysis
from ..core.simulate import simulate
from ..mass import JansenRit, WilsonCowan
from ..report import figure, plots
from ..stochastic import WhiteNoiseCurrent
from .registry import Range, experiment


def _peak(model, mean, seed, duration):
    stim = WhiteNoiseCurrent(mean, 100.0 / np.sqrt(3.0), dt=1.0, seed=seed)
    res = simulate(model, duration, 0.1, current=stim, record=("y1", "y2"))
    eeg = JansenRit.eeg(res)[20_000:]
    freqs, power = welch(eeg - eeg.mean(), fs=1e4, nperseg=2 ** 14)
    band = freqs > 1.0
    return freqs, power, float(freqs[band][np.argmax(power[band])]), res.t, JansenRit.eeg(res)


@experiment("jansen-rit-alpha", "Jansen & Rit (1995) cortical column: an alpha rhythm (8-12 Hz peak) with the "
            "standard parameters and noisy input of 120-320 pulses/s, and what happens as the mean input rises.",
            params={"duration": Range(2000.0, 1e6, "ms")})
def jansen_rit_alpha(quick=False, duration=12_000.0, seed=1):
    model = JansenRit()
    freqs, power, peak, t, eeg = _peak(model, 220.0, seed, 6_000.0 if quick else duration)
    means = np.array([120.0, 220.0, 320.0] if quick else [60.0, 120.0, 170.0, 220.0, 270.0, 320.0, 400.0])
    fig, (ax_t, ax_p, ax_m) = figure(1, 3, width=13.0, height=3.6)
    show = (t > 2000.0) & (t < 3000.0)
    ax_t.plot(t[show], eeg[show], lw=0.8)
    ax_t.set_xlabel("time (ms)")
    ax_t.set_ylabel("y1 - y2 (mV)")
    ax_t.set_title("EEG-like output, p = 220 +/- 58 pulses/s")
    band = (freqs > 0.5) & (freqs < 40.0)
    ax_p.semilogy(freqs[band], power[band])
    ax_p.axvspan(8.0, 12.0, color="0.9")
    ax_p.set_xlabel("frequency (Hz)")
    ax_p.set_ylabel("power (mV^2/Hz)")
    ax_p.set_title(f"peak at {peak:.1f} Hz")
    lo, hi, peaks = [], [], []
    for j, mean in enumerate(means):
        _, _, pk, tt, sig = _peak(model, float(mean), seed + j, 4_000.0 if quick else 6_000.0)
        late = sig[tt > 2000.0]
        lo.append(np.percentile(late, 1))
        hi.append(np.percentile(late, 99))
        peaks.append(pk)
    ax_m.fill_between(means, lo, hi, alpha=0.3, label="1-99 % range of y1 - y2")
    ax_m.set_xlabel("mean input p (pulses/s)")
    ax_m.set_ylabel("y1 - y2 (mV)")
    ax_m2 = ax_m.twinx()
    ax_m2.plot(means, peaks, "o-", color="C1")
    ax_m2.set_ylabel("spectral peak (Hz)", color="C1")
    ax_m.set_title("rising input: larger depolarisation, the rhythm changes")
    return {"peak_hz": peak, "peak_hz_lowest_input": float(peaks[0]), "peak_hz_highest_input": float(peaks[-1])}, \
        {"alpha": fig}


@experiment("wilson-cowan", "Wilson & Cowan (1972) E-I populations: the phase plane with nullclines, fixed points "
            "and the limit cycle, and the oscillation amplitude against the excitatory input P.",
            params={"p": Range(-10.0, 10.0)})
def wilson_cowan(quick=False, p=1.25):
    model = WilsonCowan()
    res = simulate(model, 1000.0, 0.05, current=p, initial_state={"E": 0.05, "I": 0.05}, record=("E", "I"))
    null = analysis.nullclines(model, current=p, x_range=(-0.05, 0.5), y_range=(-0.05, 0.45))
    fps = analysis.fixed_points(model, p, v_range=(-0.05, 0.6), n_grid=601)
    fig, (ax, ax_b) = figure(1, 2, width=11.0, height=4.4)
    plots.phase_plane(ax, null, trajectory=(res["E"], res["I"]), fixed_points=fps)
    ax.set_title(f"phase plane at P = {p:g}")
    inputs = np.linspace(0.0, 3.0, 16 if quick else 31)
    amp = []
    for q in inputs:
        r = simulate(model, 1500.0, 0.05, current=float(q), initial_state={"E": 0.05, "I": 0.05}, record=("E",))
        late = r["E"][r.t > 1000.0]
        amp.append(late.max() - late.min())
    ax_b.plot(inputs, amp, "o-")
    ax_b.set_xlabel("excitatory input P")
    ax_b.set_ylabel("oscillation amplitude of E")
    ax_b.set_title("the limit cycle's range of P")
    amp = np.array(amp)
    oscillating = inputs[amp > 1e-3]
    late = res["E"][res.t > 500.0]
    return {"cycle_amplitude": float(late.max() - late.min()),
            "oscillation_onset_p": float(oscillating.min()) if oscillating.size else float("nan"),
            "oscillation_offset_p": float(oscillating.max()) if oscillating.size else float("nan"),
            "n_fixed_points": len(fps)}, {"phase_plane": fig}


@experiment("brain-network", "Wilson-Cowan regions on a synthetic structural connectome (distance-dependent "
            "weights, delays from tract lengths at 5 m/s, noise): simulated functional connectivity against "
            "the structural connectivity.",
            params={"n_regions": Range(2, 500),
                    "coupling": Range(0.0, 1000.0),
                    "drive": Range(-10.0, 10.0),
                    "velocity": Range(0.1, 100.0, "m/s"),
                    "noise": Range(0.0, 10.0),
                    "duration": Range(500.0, 1e6, "ms")})
def brain_network(quick=False, n_regions=20, coupling=10.0, drive=0.3, velocity=5.0, noise=0.05, duration=20000.0,
                  seed=1):
    from ..mass import BrainNetwork, example_connectome

    if quick:
        duration = 5000.0
    weights, lengths = example_connectome(n_regions, seed=seed)
    net = BrainNetwork(WilsonCowan(), weights, lengths=lengths, velocity=velocity, coupling=coupling, dt=0.1)
    res = net.run(duration, current=drive, noise=noise, seed=seed, record_dt=1.0)
    e = res["E"][res.t > 1000.0]
    fc = np.corrcoef(e.T)
    upper = np.triu_indices(n_regions, 1)
    sc_fc = float(np.corrcoef(weights[upper], fc[upper])[0, 1])
    fig, (ax_s, ax_f, ax_x) = figure(1, 3, width=13.0, height=3.8)
    im = ax_s.imshow(weights, cmap="viridis")
    fig.colorbar(im, ax=ax_s)
    ax_s.set_title("structural connectivity")
    im2 = ax_f.imshow(fc, cmap="RdBu_r", vmin=-1, vmax=1)
    fig.colorbar(im2, ax=ax_f)
    ax_f.set_title("functional connectivity (corr. of E)")
    ax_x.plot(weights[upper], fc[upper], "o", ms=3)
    ax_x.set_xlabel("structural weight")
    ax_x.set_ylabel("functional correlation")
    ax_x.set_title(f"SC-FC correlation {sc_fc:.2f}")
    return {"sc_fc_correlation": sc_fc, "mean_fc": float(fc[upper].mean()),
            "max_delay_ms": float(net.delay_steps.max() * net.dt)}, {"connectivity": fig}


@experiment("dcm-erp", "Dynamic Causal Modelling of synthetic ERPs: a known 3-region model (serial forward and "
            "backward connections, David et al. 2006 neural masses) seen by 19 10-20 electrodes on a conducting "
            "sphere, inverted by variational Laplace; recovered vs true connections and Bayesian model "
            "comparison over 4 architectures.",
            params={"snr": Range(0.0, 1000.0, low_open=True)})
def dcm_erp(quick=False, snr=4.0, seed=2):
    import time

    from ..inference import TRUE_ARCHITECTURE, compare, synthetic_study

    models, data, clean, theta_true = synthetic_study(snr=snr, seed=seed)
    start = time.perf_counter()
    results = {name: dcm.fit(data) for name, dcm in models.items()}
    fit_s = time.perf_counter() - start
    names = list(results)
    prob = compare(list(results.values()))
    best = names[int(np.argmax(prob))]
    true_res = results[TRUE_ARCHITECTURE]
    conn = [k for k, nm in enumerate(true_res.names) if not nm.startswith("input")]
    z = np.abs(true_res.posterior.mean - theta_true) / true_res.posterior.sd
    t = models[TRUE_ARCHITECTURE].times

    fig, axes = figure(2, 2, width=12.0, height=7.5)
    ax_d, ax_s, ax_p, ax_m = axes.ravel()
    for ch in range(data.shape[1]):
        ax_d.plot(t, data[:, ch], color="0.75", lw=0.6)
        ax_d.plot(t, true_res.fitted[:, ch], color="C0", lw=0.8)
    ax_d.set_xlabel("time (ms)")
    ax_d.set_ylabel("potential (microvolt)")
    ax_d.set_title(f"19 channels: data (grey), fit of the true model (R^2 = {true_res.r2:.2f})")
    src_true = models[TRUE_ARCHITECTURE].sources(theta_true)
    src_fit = models[TRUE_ARCHITECTURE].sources(true_res.posterior.mean)
    for r in range(src_true.shape[1]):
        ax_s.plot(t, src_true[:, r], color=f"C{r}", lw=1.5, label=f"region {r}")
        ax_s.plot(t, src_fit[:, r], color=f"C{r}", ls="--", lw=1.0)
    ax_s.set_xlabel("time (ms)")
    ax_s.set_ylabel("pyramidal depolarisation (mV)")
    ax_s.set_title("sources: true (solid), posterior mean (dashed)")
    ax_s.legend(fontsize=8)
    x = np.arange(len(true_res.names))
    ax_p.errorbar(x, true_res.posterior.mean, yerr=2 * true_res.posterior.sd, fmt="o", label="posterior mean +/- 2 SD")
    ax_p.plot(x, theta_true, "kx", ms=9, label="true")
    ax_p.axhline(0.0, color="0.8", lw=0.8)
    ax_p.set_xticks(x, [nm.replace("forward", "F").replace("backward", "B") for nm in true_res.names], rotation=30)
    ax_p.set_ylabel("log-scale parameter theta")
    ax_p.set_title(f"recovered vs true (max |z| = {z[conn].max():.2f})")
    ax_p.legend(fontsize=8)
    f = np.array([results[nm].free_energy for nm in names])
    ax_m.bar(np.arange(len(names)), prob, color=["C2" if nm == TRUE_ARCHITECTURE else "C7" for nm in names])
    ax_m.set_xticks(np.arange(len(names)), names, rotation=20)
    ax_m.set_ylabel("posterior model probability")
    ax_m.set_title("model comparison; F - max F: " + ", ".join(f"{v:.0f}" for v in f - f.max()))
    metrics = {"true_model_selected": int(best == TRUE_ARCHITECTURE),
               "posterior_model_probability": float(prob[names.index(TRUE_ARCHITECTURE)]),
               "max_abs_z": float(z[conn].max()), "r2": true_res.r2, "snr": float(snr),
               "free_energy_margin": float(np.sort(f)[-1] - np.sort(f)[-2]) if best == TRUE_ARCHITECTURE
               else float(f[names.index(TRUE_ARCHITECTURE)] - f.max()),
               "fit_s": fit_s}
    for nm, v in true_res.strengths.items():
        metrics["strength " + nm] = float(v)
    return metrics, {"dcm": fig}
