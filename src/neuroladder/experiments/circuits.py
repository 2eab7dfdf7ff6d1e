"""The seed's perception circuits: orientation selectivity, divisive normalization of place cells, adaptation."""

from __future__ import annotations

import numpy as np

from ..core.errors import ParameterError
from ..report import figure
from .registry import Range, experiment


def _contrasts(lowest: float, highest: float, n: int) -> np.ndarray:
    """Contrasts spaced geometrically (each bound is range-checked by the registry; their order here)."""
    if not highest > lowest:
        raise ParameterError(f"contrast_high = {highest} must exceed contrast_low = {lowest}")
    return np.geomspace(lowest, highest, n)


@experiment("orientation", "Orientation selectivity: Hubel & Wiesel's simple cell fed by rows of ON/OFF LGN cells "
            "(threshold rate and spiking LIF) against the recurrent ring of Ben-Yishai et al. (1995), tuning "
            "over grating orientation at 10-80 % contrast: the iceberg effect against contrast-invariant width.",
            params={"axis_deg": Range(-360.0, 360.0, "deg"), "contrast_low": Range(0.0, 1.0, low_open=True),
                    "contrast_high": Range(0.0, 1.0, low_open=True), "n_contrasts": Range(2, 20),
                    "step_deg": Range(0.5, 15.0, "deg"), "j0": Range(-50.0, 0.0), "j2": Range(0.0, 50.0),
                    "epsilon": Range(0.0, 0.5), "n_ring": Range(8, 2000), "lif_noise_pa": Range(0.0, 2000.0, "pA")})
def orientation(quick=False, axis_deg=30.0, contrast_low=0.1, contrast_high=0.8, n_contrasts=4, step_deg=5.0,
                j0=-2.0, j2=6.0, epsilon=0.1, n_ring=180, lif_noise_pa=50.0, seed=1):
    from ..circuits.orientation import HubelWieselCell, RingCircuit, feedforward_tuning, lif_tuning, ring_tuning
    from ..mass.rate import ring_marginal_halfwidth

    contrasts = _contrasts(contrast_low, contrast_high, n_contrasts)
    orientations = np.arange(0.0, 180.0 - 1e-9, step_deg)
    cell = HubelWieselCell(axis_deg=axis_deg)
    ring = RingCircuit(n_units=90 if quick else n_ring, j0=j0, j2=j2, epsilon=epsilon)
    ff = feedforward_tuning(cell, orientations, contrasts)
    lif = lif_tuning(cell, orientations, contrasts, cycles=1 if quick else 4, noise_pa=lif_noise_pa, seed=seed)
    rt = ring_tuning(ring, orientations, contrasts, probe_deg=axis_deg)
    theory = ring_marginal_halfwidth(j2) if j2 > 2.0 else float("nan")

    fig, axes = figure(1, 3, width=13.5, height=3.8)
    for ax, tuning, title in zip(axes, (ff, lif, rt), ("feedforward, threshold rate", "feedforward, spiking LIF",
                                                      f"recurrent ring (J0 {j0:g}, J2 {j2:g})")):
        for c, resp, w in zip(tuning.contrasts, tuning.responses, tuning.halfwidth_deg):
            ax.plot(tuning.orientations_deg, resp, "o-", ms=2.5, label=f"{100 * c:.0f} % (HWHH {w:.1f} deg)")
        ax.axvline(axis_deg, color="0.7", lw=0.8, ls="--")
        ax.set_xlabel("grating orientation (deg)")
        ax.set_ylabel("response (Hz)")
        ax.set_title(title)
        ax.legend(fontsize=7, title="contrast", title_fontsize=7)
    fig_w, (ax_w, ax_rf) = figure(1, 2, width=10.0, height=3.8)
    for tuning, label in ((ff, "feedforward rate"), (lif, "feedforward LIF"), (rt, "ring")):
        ax_w.plot(100 * tuning.contrasts, tuning.halfwidth_deg, "o-", label=label)
    if np.isfinite(theory):
        ax_w.axhline(theory, color="0.5", ls=":", label=f"ring theory (marginal phase) {theory:.1f} deg")
    ax_w.set_xscale("log")
    ax_w.set_xlabel("contrast (%)")
    ax_w.set_ylabel("half-width at half-height (deg)")
    ax_w.set_title("iceberg effect vs recurrent sharpening")
    ax_w.legend(fontsize=7)
    centres, signs = cell.lgn_cells()
    for sign, color, label in ((1, "C3", "ON centre"), (-1, "C0", "OFF centre")):
        sel = signs == sign
        ax_rf.scatter(centres[sel, 0], centres[sel, 1], s=60, color=color, label=label)
    ax_rf.set_aspect("equal")
    ax_rf.set_xlabel("x (deg of visual angle)")
    ax_rf.set_ylabel("y (deg of visual angle)")
    ax_rf.set_title(f"LGN centres feeding the simple cell (axis {axis_deg:g} deg)")
    ax_rf.legend(fontsize=7)
    metrics = {
        "ff_halfwidth_deg": ff.halfwidth_deg.tolist(),
        "ring_halfwidth_deg": rt.halfwidth_deg.tolist(),
        "lif_halfwidth_deg": lif.halfwidth_deg.tolist(),
        "ff_halfwidth_change": ff.halfwidth_change,
        "ring_halfwidth_change": rt.halfwidth_change,
        "ring_preferred_error_deg": rt.preferred_error(axis_deg),
        "ff_preferred_error_deg": ff.preferred_error(axis_deg),
        "ring_theory_halfwidth_deg": theory,
        "contrasts": contrasts.tolist(),
    }
    return metrics, {"tuning": fig, "halfwidth": fig_w}


@experiment("place-normalization", "Divisive normalization of place cells (Carandini & Heeger 2012): Gaussian fields "
            "on a 2 m track and in a 1 m box, raw drive against r = d^n / (sigma^n + mean d^n), Poisson counts "
            "decoded to position, and LIF place cells sharing one inhibitory pool in nl.Network.",
            params={"n_cells": Range(4, 2000), "field_width_cm": Range(1.0, 100.0, "cm"), "n": Range(0.1, 10.0),
                    "sigma_hz": Range(0.0, 1e4, "Hz", low_open=True), "window_s": Range(0.01, 100.0, "s"),
                    "n_trials": Range(1, 10_000), "n_positions_spiking": Range(1, 50)})
def place_normalization(quick=False, n_cells=100, field_width_cm=10.0, n=2.0, sigma_hz=2.0, window_s=0.5,
                        n_trials=200, n_positions_spiking=8, seed=1):
    from ..circuits.normalization import (
        PlaceFields,
        active_fraction,
        decoding_error,
        divisive_normalization,
        place_current_pa,
        spiking_pool_rates,
        treves_rolls,
    )

    n_spk = n_positions_spiking
    if quick:
        n_trials, n_spk = min(n_trials, 20), min(n_spk, 3)
    track = PlaceFields.track(n_cells, 200.0, width=field_width_cm)
    positions = np.arange(10.0, 190.0 + 1e-9, 4.0 if quick else 1.0)
    grid = np.arange(0.0, 200.0 + 1e-9, 0.5)

    def normalized(drive):
        pool = np.full((drive.shape[-1], drive.shape[-1]), 1.0 / drive.shape[-1])   # mean over the population
        out = divisive_normalization(drive, sigma_hz, n=n, weights=pool)
        return out * (track.peak_hz + track.baseline_hz) / out.max()               # same peak rate as the raw drive

    raw, raw_grid = track.drive(positions), track.drive(grid)
    norm, norm_grid = normalized(raw), normalized(raw_grid)
    err_raw = decoding_error(raw, positions, grid, raw_grid, window_s, n_trials, seed=seed)
    err_norm = decoding_error(norm, positions, grid, norm_grid, window_s, n_trials, seed=seed)

    box = PlaceFields.box(6 if quick else 10, 100.0, width=field_width_cm)
    g2 = np.arange(0.0, 100.0 + 1e-9, 2.0)
    grid2 = np.array(np.meshgrid(g2, g2, indexing="xy")).reshape(2, -1).T
    pos2 = _box_positions(seed, 50 if quick else 200)
    raw2, norm2 = box.drive(pos2), normalized(box.drive(pos2))
    err_raw2 = decoding_error(raw2, pos2, grid2, box.drive(grid2), window_s, max(n_trials // 10, 5), seed=seed)
    err_norm2 = decoding_error(norm2, pos2, grid2, normalized(box.drive(grid2)), window_s, max(n_trials // 10, 5),
                               seed=seed)

    spk_pos = np.linspace(30.0, 170.0, n_spk)
    current = place_current_pa(track.drive(spk_pos), track.baseline_hz)
    duration = 500.0 if quick else 1000.0
    free = spiking_pool_rates(current, inhibition=False, duration=duration, seed=seed)
    pooled = spiking_pool_rates(current, inhibition=True, duration=duration, seed=seed)

    centres = track.centres[:, 0]
    mid = int(np.argmin(np.abs(positions - 100.0)))
    fig, (ax_pop, ax_cell, ax_spk) = figure(1, 3, width=14.0, height=3.8)
    ax_pop.plot(centres, raw[mid], label="raw drive")
    ax_pop.plot(centres, norm[mid], label=f"normalized (n = {n:g})")
    ax_pop.set_xlabel("place-field centre (cm)")
    ax_pop.set_ylabel("rate (Hz)")
    ax_pop.set_title(f"population response at x = {positions[mid]:.0f} cm")
    ax_pop.legend(fontsize=8)
    cell = n_cells // 2
    ax_cell.plot(positions, raw[:, cell], label="raw")
    ax_cell.plot(positions, norm[:, cell], label="normalized")
    ax_cell.set_xlabel("position on the track (cm)")
    ax_cell.set_ylabel("rate (Hz)")
    ax_cell.set_title(f"place field of cell {cell}")
    ax_cell.legend(fontsize=8)
    j = n_spk // 2
    ax_spk.plot(centres, free[j], "o-", ms=2.5, label="LIF place cells, no pool")
    ax_spk.plot(centres, pooled[j], "o-", ms=2.5, label="with shared inhibitory pool")
    ax_spk.set_xlabel("place-field centre (cm)")
    ax_spk.set_ylabel("rate (Hz)")
    ax_spk.set_title(f"spiking network at x = {spk_pos[j]:.0f} cm")
    ax_spk.legend(fontsize=8)

    fig2, (ax_r, ax_n, ax_d) = figure(1, 3, width=14.0, height=4.0)
    at = int(np.argmin(np.sum((pos2 - 50.0) ** 2, axis=1)))
    side = int(round(np.sqrt(box.centres.shape[0])))
    for ax, resp, title in ((ax_r, raw2[at], "raw drive"), (ax_n, norm2[at], "normalized")):
        im = ax.imshow(resp.reshape(side, side), origin="lower", extent=(0, 100, 0, 100), cmap="viridis")
        ax.plot(*pos2[at], "r+", ms=12)
        ax.set_xlabel("field centre x (cm)")
        ax.set_ylabel("field centre y (cm)")
        ax.set_title(f"box: {title}")
        fig2.colorbar(im, ax=ax, label="rate (Hz)")
    labels = ["track raw", "track norm.", "box raw", "box norm."]
    ax_d.bar(labels, [err_raw, err_norm, err_raw2, err_norm2], color=["C0", "C1", "C0", "C1"])
    ax_d.set_ylabel("RMS decoding error (cm)")
    ax_d.set_title(f"ML decoding of Poisson counts in {window_s:g} s")
    metrics = {
        "active_fraction_raw": active_fraction(raw),
        "active_fraction_normalized": active_fraction(norm),
        "active_fraction_spiking_free": active_fraction(free),
        "active_fraction_spiking_pool": active_fraction(pooled),
        "treves_rolls_raw": treves_rolls(raw),
        "treves_rolls_normalized": treves_rolls(norm),
        "treves_rolls_spiking_free": treves_rolls(free),
        "treves_rolls_spiking_pool": treves_rolls(pooled),
        "decoding_error_cm_raw": err_raw,
        "decoding_error_cm_normalized": err_norm,
        "decoding_error_cm_raw_2d": err_raw2,
        "decoding_error_cm_normalized_2d": err_norm2,
        "active_fraction_raw_2d": active_fraction(raw2),
        "active_fraction_normalized_2d": active_fraction(norm2),
    }
    return metrics, {"track": fig, "box": fig2}


def _box_positions(seed, count: int) -> np.ndarray:
    """Uniform random positions (count, 2) in the 100 cm box, 5 cm from the walls."""
    from ..core.rng import make_rng

    return make_rng(seed).uniform(5.0, 95.0, (count, 2))


@experiment("adaptation", "Adaptation as negative feedback: a LIF with an AHP potassium conductance against a LIF "
            "with depressing Tsodyks-Markram inputs: step responses (change detection), gain to 0.5-50 Hz "
            "modulation (high-pass, against Benda & Herz's linearised theory) and input specificity.",
            params={"g_ahp_ns": Range(0.0, 100.0, "nS"), "tau_ahp_ms": Range(1.0, 5000.0, "ms"),
                    "base_current_pa": Range(0.0, 5000.0, "pA"), "noise_pa": Range(1.0, 5000.0, "pA"),
                    "modulation_pa": Range(1.0, 200.0, "pA"), "tau_rec_ms": Range(1.0, 10_000.0, "ms"),
                    "base_rate_hz": Range(0.0, 200.0, "Hz", low_open=True),
                    "step_rate_hz": Range(0.0, 200.0, "Hz", low_open=True), "n_units": Range(10, 5000)})
def adaptation(quick=False, g_ahp_ns=3.0, tau_ahp_ms=100.0, base_current_pa=500.0, noise_pa=400.0,
               modulation_pa=30.0, tau_rec_ms=500.0, base_rate_hz=10.0, step_rate_hz=40.0, n_units=300, seed=1):
    from ..circuits.adaptation import (
        ahp_specificity,
        ahp_step_response,
        ahp_transfer_theory,
        depression_protocols,
        modulation_gains,
        onset_and_steady,
        step_slopes,
    )
    from ..network import TsodyksMarkram
    from ..neurons.lif import AdaptiveLIF

    n = min(n_units, 100) if quick else n_units
    neuron = AdaptiveLIF(g_ahp_increment=g_ahp_ns, tau_ahp=tau_ahp_ms)
    stp = TsodyksMarkram(U=0.5, tau_rec=tau_rec_ms)
    freqs = np.array([0.5, 2.0, 10.0, 50.0] if quick else [0.5, 1.0, 2.0, 5.0, 10.0, 20.0, 50.0])

    low = 0.6 * base_current_pa                     # 300 pA for the default: below rheobase, silent
    t_a, r_a = ahp_step_response(neuron, low, base_current_pa, n, noise_pa, seed=seed)
    ahp_onset, ahp_steady = onset_and_steady(t_a, r_a, 500.0)
    slopes = step_slopes(neuron, base_current_pa, 20.0, 2 * n if quick else 3 * n, noise_pa, seed=seed + 1)
    gains = modulation_gains(neuron, base_current_pa, modulation_pa, freqs, n, noise_pa, seed=seed + 2)
    theory = ahp_transfer_theory(freqs, slopes["onset_slope"], slopes["steady_slope"], tau_ahp_ms)
    ahp_spec = ahp_specificity(neuron, low, 250.0, 200.0, n, noise_pa, seed=seed + 3)
    dep = depression_protocols(base_rate_hz, step_rate_hz, 0.5, freqs, 40 if quick else 60, stp, seed=seed + 4)

    fig, (ax_s, ax_g, ax_x) = figure(1, 3, width=14.0, height=3.9)
    t_d, r_d = dep["step"]
    for t, r, label in ((t_a, r_a, f"AHP: current {low:.0f} -> {base_current_pa:.0f} pA at 500 ms"),
                        (t_d, r_d, f"depression: input {base_rate_hz:g} -> {step_rate_hz:g} Hz at 500 ms")):
        width = 5
        ax_s.plot(t, np.convolve(r, np.ones(width) / width, mode="same"), lw=1.0, label=label)
    ax_s.set_xlim(300.0, 1500.0)
    ax_s.set_xlabel("time (ms)")
    ax_s.set_ylabel("population rate (Hz, 5 ms bins)")
    ax_s.set_title("step: onset transient, then adaptation")
    ax_s.legend(fontsize=7)
    ax_g.loglog(freqs, gains / gains[0], "o-", label="AHP, measured")
    ax_g.loglog(freqs, theory / theory[0], "k--", label="AHP, Benda-Herz theory")
    ax_g.loglog(freqs, dep["gains"] / dep["gains"][0], "s-", label="depression, measured")
    ax_g.set_xlabel("modulation frequency (Hz)")
    ax_g.set_ylabel("gain / gain at 0.5 Hz")
    ax_g.set_title("both are high-pass filters")
    ax_g.legend(fontsize=7)
    ax_x.bar(["AHP (in the cell)", "depression (in the synapse)"], [ahp_spec, dep["specificity"]],
             color=["C0", "C2"])
    ax_x.axhline(1.0, color="0.5", ls=":")
    ax_x.set_ylabel("response to pathway B after A / B alone")
    ax_x.set_title("input specificity")
    metrics = {
        "ahp_onset_hz": ahp_onset, "ahp_steady_hz": ahp_steady,
        "depression_onset_hz": dep["onset_hz"], "depression_steady_hz": dep["steady_hz"],
        "ahp_gain_ratio": float(gains[-1] / gains[0]),
        "depression_gain_ratio": float(dep["gains"][-1] / dep["gains"][0]),
        "frequencies_hz": freqs.tolist(),
        "ahp_gain_hz_per_pa": gains.tolist(), "ahp_theory_gain_hz_per_pa": theory.tolist(),
        "ahp_theory_max_rel_error": float(np.max(np.abs(gains / theory - 1.0))),
        "ahp_onset_slope_hz_per_pa": slopes["onset_slope"], "ahp_steady_slope_hz_per_pa": slopes["steady_slope"],
        "ahp_tau_eff_ms": slopes["tau_eff"],
        "ahp_tau_eff_theory_ms": tau_ahp_ms * slopes["steady_slope"] / slopes["onset_slope"],
        "depression_gain_hz_per_hz": dep["gains"].tolist(),
        "ahp_specificity": ahp_spec, "depression_specificity": dep["specificity"],
    }
    return metrics, {"adaptation": fig}
