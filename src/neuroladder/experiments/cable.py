"""Cable experiments: the sealed cable against cable theory, and compartment size vs input frequency."""

from __future__ import annotations

import math

import numpy as np

from ..cable import Cell, ac_length_constant, length_constant
from ..cable.hines import dense_matrix
from ..report import figure
from .registry import experiment


@experiment("cable-steady-state", "Steady-state voltage along a sealed finite passive cable with DC injection at "
            "one end, against the analytic cosh solution (Rall); input resistance against r_inf coth(L/lambda).")
def cable_steady_state(quick=False, length=1000.0, diam=1.0, ra=100.0, g_pas=0.05, current=0.1):
    cell = Cell.cable(length, diam, ra=ra, g_pas=g_pas, e_pas=0.0, nseg=101 if quick else 501)
    v = cell.steady_state({(0, 0.0): current})
    x = cell.positions(0)
    r_m = 1.0 / (g_pas * 1e-3)
    lam = float(length_constant(diam, r_m, ra)) * 1e-4        # cm
    r_i = 4 * ra / (math.pi * (diam * 1e-4) ** 2)               # ohm / cm
    analytic = current * 1e-9 * r_i * lam * np.cosh((length * 1e-4 - x * 1e-4) / lam) / np.sinh(
        length * 1e-4 / lam) * 1e3
    r_in_expected = r_i * lam / math.tanh(length * 1e-4 / lam) / 1e6     # Mohm
    r_in = v[0] / current                                                 # mV / nA = Mohm
    fig, ax = figure(1, 1, width=6.4, height=3.6)
    xf = np.linspace(0.0, length, 400)
    ax.plot(xf, current * 1e-9 * r_i * lam * np.cosh((length * 1e-4 - xf * 1e-4) / lam)
            / np.sinh(length * 1e-4 / lam) * 1e3, color="0.5", lw=3, alpha=0.5, label="analytic (cosh)")
    ax.plot(x[::max(1, x.size // 40)], v[::max(1, x.size // 40)], "o", ms=3, label=f"{x.size} compartments")
    ax.set_xlabel("distance from the injection site (um)")
    ax.set_ylabel("depolarisation (mV)")
    ax.set_title(f"sealed cable, L = {length:g} um = {length * 1e-4 / lam:.2f} lambda")
    ax.legend()
    return {"max_rel_error": float(np.max(np.abs(v - analytic)) / np.max(analytic)),
            "input_resistance_mohm": float(r_in), "input_resistance_theory_mohm": float(r_in_expected),
            "lambda_um": lam * 1e4}, {"profile": fig}


def _far_end_amplitude(cell: Cell, freq_hz: float) -> float:
    """|V| at the far end for a unit sinusoidal current at x = 0 (frequency domain, exact for the grid)."""
    d, a = cell._matrix(1.0, math.inf)                         # G + L (uS)
    omega = 2 * math.pi * freq_hz * 1e-3                        # rad / ms
    m = dense_matrix(d, a, cell.parent).astype(complex) + np.diag(1j * omega * cell.capacitance)
    rhs = np.zeros(cell.n, dtype=complex)
    rhs[0] = 1.0
    return float(abs(np.linalg.solve(m, rhs)[-1]))


@experiment("cable-d-lambda", "Discretisation error vs compartment length for DC and fast inputs: the lambda/10 "
            "rule suffices for DC, fast inputs need the frequency-dependent lambda_f of NEURON's d_lambda rule.")
def cable_d_lambda(quick=False, length=1000.0, diam=1.0, ra=100.0, g_pas=0.05):
    freqs = (0.0, 100.0, 1000.0)
    counts = np.array([3, 5, 9, 17, 33, 65, 129] if quick else [3, 5, 9, 17, 33, 65, 129, 257])
    reference = {f: _far_end_amplitude(Cell.cable(length, diam, ra=ra, g_pas=g_pas, nseg=2049), f) for f in freqs}
    lam = float(length_constant(diam, 1.0 / (g_pas * 1e-3), ra))
    fig, ax = figure(1, 1, width=6.4, height=4.0)
    metrics = {"lambda_dc_um": lam}
    for f in freqs:
        errs = np.array([abs(_far_end_amplitude(Cell.cable(length, diam, ra=ra, g_pas=g_pas, nseg=int(k)), f)
                             - reference[f]) / reference[f] for k in counts])
        ax.loglog(length / counts, errs, "o-", label="DC" if f == 0 else f"{f:g} Hz")
        key = "dc" if f == 0 else f"{int(f)}hz"
        # the error with segments of lambda/10 (DC rule) and of 0.1 lambda_f(f) (d_lambda rule at f)
        metrics[f"{key}_error_at_dc_rule"] = float(np.interp(np.log(lam / 10), np.log(length / counts[::-1]),
                                                             np.log(errs[::-1])))
        metrics[f"{key}_error_at_dc_rule"] = float(np.exp(metrics[f"{key}_error_at_dc_rule"]))
        if f > 0:
            lam_f = float(ac_length_constant(diam, ra, 1.0, f))
            metrics[f"lambda_{key}_um"] = lam_f
            ax.axvline(0.1 * lam_f, color="0.6", ls=":", lw=1)
    ax.axvline(lam / 10, color="k", ls="--", lw=1, label="lambda/10 (DC rule)")
    ax.set_xlabel("compartment length (um)")
    ax.set_ylabel("relative error of |V| at the far end")
    ax.set_title("finer grids for faster inputs (dotted: 0.1 lambda_f at 100 and 1000 Hz)")
    ax.legend(fontsize=8)
    return metrics, {"error_vs_dx": fig}
