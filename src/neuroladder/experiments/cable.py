"""Cable experiments: the sealed cable against cable theory, and compartment size vs input frequency."""

from __future__ import annotations

import math

import numpy as np

from ..cable import Cell, ac_length_constant, length_constant
from ..cable.hines import dense_matrix
from ..cable.measure import conduction_velocity as measure_velocity
from ..core.simulate import simulate
from ..core.stimulus import Step
from ..network.synapses import ExpSynapse
from ..report import figure, plots
from .registry import Range, experiment


@experiment("cable-steady-state", "Steady-state voltage along a sealed finite passive cable with DC injection at "
            "one end, against the analytic cosh solution (Rall); input resistance against r_inf coth(L/lambda).",
            params={"length": Range(1.0, 1e5, "um"),
                    "diam": Range(0.01, 1e3, "um"),
                    "ra": Range(1.0, 1e5, "ohm*cm"),
                    "g_pas": Range(1e-6, 100.0, "mS/cm^2"),
                    "current": Range(-100.0, 100.0, "nA")})
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
            "rule suffices for DC, fast inputs need the frequency-dependent lambda_f of NEURON's d_lambda rule.",
            params={"length": Range(10.0, 1e5, "um"),
                    "diam": Range(0.01, 1e3, "um"),
                    "ra": Range(1.0, 1e5, "ohm*cm"),
                    "g_pas": Range(1e-6, 100.0, "mS/cm^2")})
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


def conduction_velocity(diam: float, dx: float = 10.0, ra: float = 35.4, dt: float = 0.01,
                        method: str = "crank_nicolson", temperature: float = 6.3) -> float:
    """Conduction velocity (m/s = mm/ms) of an HH (1952) axon of diameter ``diam`` (um) at ``temperature``
    (degC, default 6.3).

    The axon is 6 mm * sqrt(d) long (several length constants); a pulse of d^1.5 nA for 0.5 ms at one end;
    the velocity is the distance between the points at 1/3 and 2/3 of the axon over the difference
    of their 0 mV upward-crossing times (interpolated). ``ra`` 35.4 ohm cm is the squid axoplasm.
    """
    length = 6000.0 * math.sqrt(diam)
    nseg = int(round(length / dx)) | 1
    cell = Cell.cable(length, diam, ra=ra, membrane=_hh().replace(temperature=temperature), nseg=nseg)
    # input conductance of a semi-infinite cable grows as d^1.5: so does the pulse that excites it
    cell.add_clamp(0, 0.0, Step(diam ** 1.5, start=0.5, stop=1.0))
    sites = [(0, 1.0 / 3.0), (0, 2.0 / 3.0)]
    res = simulate(cell, duration=12.0, dt=dt, method=method, record=sites)
    return measure_velocity(cell, res, sites[0], sites[1])


def _hh():
    from ..neurons import HodgkinHuxley

    return HodgkinHuxley()


@experiment("axon-propagation", "Action potential propagation along an HH (1952) axon: conduction velocity "
            "against diameter (cable theory: proportional to sqrt(d)).",
            params={"dt": Range(0.001, 0.05, "ms")})
def axon_propagation(quick=False, dt=0.01):
    diams = np.array([0.5, 1.0, 2.0, 4.0] if quick else [0.25, 0.5, 1.0, 2.0, 4.0, 8.0])
    speeds = np.array([conduction_velocity(d, dx=5.0 * math.sqrt(d), dt=dt) for d in diams])
    exponent, log_k = np.polyfit(np.log(diams), np.log(speeds), 1)
    fig, ax = figure(1, 1, width=5.5, height=4.0)
    ax.loglog(diams, speeds, "o", label="simulated")
    ax.loglog(diams, np.exp(log_k) * diams ** exponent, "-", color="0.5",
              label=f"fit: v ~ d^{exponent:.3f}")
    # one label per simulated diameter, no log-minor labels (they overlapped the major ones)
    from matplotlib.ticker import FormatStrFormatter, NullFormatter

    ax.set_xticks(diams)
    ax.set_xticklabels([f"{d:g}" for d in diams])
    ax.xaxis.set_minor_formatter(NullFormatter())
    ax.yaxis.set_major_formatter(FormatStrFormatter("%g"))
    ax.yaxis.set_minor_formatter(FormatStrFormatter("%.2g"))
    ax.set_xlabel("axon diameter (um)")
    ax.set_ylabel("conduction velocity (m/s)")
    ax.set_title("HH axon (6.3 degC, Ra = 35.4 ohm cm)")
    ax.legend()
    # space-time picture of one action potential (d = 1 um)
    cell = Cell.cable(6000.0, 1.0, ra=35.4, membrane=_hh(), nseg=601)
    cell.add_clamp(0, 0.0, Step(1.0, start=0.5, stop=1.0))
    sites = [(0, float(x)) for x in (np.arange(601) + 0.5) / 601]
    res = simulate(cell, 12.0, dt, method="crank_nicolson", record=sites, record_dt=0.05)
    fig2, ax2 = figure(1, 1, width=6.4, height=3.8)
    image = ax2.imshow(res["v"].T, aspect="auto", origin="lower", extent=(0.0, 12.0, 0.0, 6000.0), cmap="magma")
    fig2.colorbar(image, ax=ax2, label="v (mV)")
    ax2.set_xlabel("time (ms)")
    ax2.set_ylabel("position along the axon (um)")
    ax2.set_title("an action potential travelling along a 1 um HH axon")
    return {"exponent": float(exponent), "velocity_1um_m_per_s": float(np.interp(1.0, diams, speeds)),
            "velocity_476um_extrapolated_m_per_s": float(np.exp(log_k) * 476.0 ** exponent)}, {"velocity": fig,
                                                                                                 "space_time": fig2}


@experiment("dendritic-attenuation", "Ball-and-stick cell: EPSP size at the soma and at the synapse against the "
            "synapse's distance along the dendrite; steady-state voltage over a reconstructed (SWC) cell.",
            params={"dend_length": Range(50.0, 1e4, "um"),
                    "dend_diam": Range(0.1, 20.0, "um"),
                    "weight": Range(0.0, 0.1, "uS", low_open=True),
                    "tau": Range(0.1, 100.0, "ms")})
def dendritic_attenuation(quick=False, dend_length=1000.0, dend_diam=1.0, weight=0.0005, tau=2.0):
    distances = np.linspace(0.05, 0.95, 7 if quick else 19)
    soma_peak, local_peak = [], []
    for x in distances:
        cell = Cell.ball_and_stick(20.0, dend_length, dend_diam, g_pas=0.05, e_pas=-65.0)
        dend = 1
        cell.add_synapse(dend, float(x), [5.0], weight, ExpSynapse(tau, e_rev=0.0))
        res = simulate(cell, 60.0, 0.025, method="crank_nicolson", record=[(0, 0.5), (dend, float(x))])
        soma_peak.append(float(res["v"][:, 0].max() + 65.0))
        local_peak.append(float(res["v"][:, 1].max() + 65.0))
    soma_peak, local_peak = np.array(soma_peak), np.array(local_peak)
    dist_um = distances * dend_length
    # the morphology keeps its aspect ratio: give it the wider, taller panel so it is not squashed
    fig, (ax, ax_m) = figure(1, 2, width=10.0, height=5.5, gridspec_kw={"width_ratios": [1.5, 1]})
    ax.semilogy(dist_um, local_peak, "o-", label="at the synapse")
    ax.semilogy(dist_um, soma_peak, "o-", label="at the soma")
    ax.set_xlabel("synapse distance from the soma (um)")
    ax.set_ylabel("EPSP peak (mV)")
    from matplotlib.ticker import FormatStrFormatter

    ax.yaxis.set_major_formatter(FormatStrFormatter("%g"))
    ax.yaxis.set_minor_formatter(FormatStrFormatter("%g"))
    ax.set_title(f"ball and stick: dendrite {dend_length:g} x {dend_diam:g} um")
    ax.legend()
    from importlib.resources import files

    swc = Cell.from_swc(files("neuroladder") / "data" / "small_neuron.swc", g_pas=0.05, e_pas=-65.0)
    v = swc.steady_state({(0, 0.5): 0.02})
    plots.morphology(ax_m, swc, v)
    ax_m.set_title("steady state, 20 pA into the soma (bundled SWC cell)", fontsize=9)
    return {"soma_epsp_proximal_mv": float(soma_peak[0]), "soma_epsp_distal_mv": float(soma_peak[-1]),
            "local_epsp_distal_mv": float(local_peak[-1]),
            "soma_over_local_distal": float(soma_peak[-1] / local_peak[-1])}, {"attenuation": fig}
