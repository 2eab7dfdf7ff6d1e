"""The seed's perception circuits: orientation selectivity, divisive normalization of place cells, adaptation."""

from __future__ import annotations

import numpy as np

from ..core.errors import ParameterError
from ..core.parameters import require_int, require_positive, require_range
from ..report import figure
from .registry import experiment


def _contrasts(lowest: float, highest: float, n: int) -> np.ndarray:
    require_range("contrast_low", lowest, 0.0, 1.0, low_open=True)
    require_range("contrast_high", highest, 0.0, 1.0, low_open=True)
    n = require_int("n_contrasts", n, low=2)
    if not highest > lowest:
        raise ParameterError(f"contrast_high = {highest} must exceed contrast_low = {lowest}")
    return np.geomspace(lowest, highest, n)


@experiment("orientation", "Orientation selectivity: Hubel & Wiesel's simple cell fed by rows of ON/OFF LGN cells "
            "(threshold rate and spiking LIF) against the recurrent ring of Ben-Yishai et al. (1995), tuning "
            "over grating orientation at 10-80 % contrast: the iceberg effect against contrast-invariant width.")
def orientation(quick=False, axis_deg=30.0, contrast_low=0.1, contrast_high=0.8, n_contrasts=4, step_deg=5.0,
                j0=-2.0, j2=6.0, epsilon=0.1, n_ring=180, lif_noise_pa=50.0, seed=1):
    from ..circuits.orientation import (HubelWieselCell, RingCircuit, feedforward_tuning, lif_tuning,
                                        ring_tuning)
    from ..mass.rate import ring_marginal_halfwidth

    contrasts = _contrasts(contrast_low, contrast_high, n_contrasts)
    require_range("step_deg", step_deg, 0.5, 15.0, unit="deg")
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
