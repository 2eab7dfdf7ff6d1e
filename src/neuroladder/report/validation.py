"""The validation table: each experiment's numbers against references the code did not produce.

A :class:`Check` names an experiment's metric, a reference (a number from a paper or closed-form
theory, a peer simulator's recorded output, or another metric that the experiment computes from an
analytic formula), a tolerance and the source. :func:`evaluate` turns a tour's results into rows for
the report. Tolerances hold for the quick tour (``neuroladder tour --quick``) and for the full one.
"""

from __future__ import annotations

import math
from dataclasses import dataclass


@dataclass(frozen=True)
class Check:
    """``metric`` of ``experiment`` against ``reference``.

    ``kind``: "approx" (``|value - reference| <= tolerance``, or ``<= tolerance * |reference|`` when
    ``relative``), "below" (``value <= reference``) or "above" (``value >= reference``). A string
    reference names another metric of the same experiment (an analytic prediction it computes).
    """

    experiment: str
    metric: str
    reference: float | str
    source: str
    tolerance: float = 0.0
    relative: bool = False
    kind: str = "approx"


CHECKS: tuple[Check, ...] = (
    Check("cable-steady-state", "max_rel_error", 1e-3, "Rall (1959): V(x) = I r_i lambda cosh((L-x)/lambda) / "
          "sinh(L/lambda) for a sealed finite cable", kind="below"),
    Check("cable-steady-state", "input_resistance_mohm", "input_resistance_theory_mohm",
          "Rall (1959): R_in = r_i lambda coth(L/lambda)", tolerance=0.01, relative=True),
    Check("cable-d-lambda", "lambda_100hz_um", 282.095, "NEURON's d_lambda rule (Hines & Carnevale 2001): "
          "lambda_f = 1e5 sqrt(d / (4 pi f Ra cm)) um at d = 1 um, Ra = 100 ohm cm, cm = 1 uF/cm^2, f = 100 Hz",
          tolerance=1e-3, relative=True),
    Check("axon-propagation", "exponent", 0.5, "unmyelinated axons conduct at v ~ sqrt(diameter) (Rushton 1951; "
          "Hodgkin 1954)", tolerance=0.02),
    Check("ln-model", "filter_correlation", 0.95, "correlation with the filter that generated the spikes "
          "(bound of issue 7; Chichilnisky 2001 STA)", kind="above"),
    Check("efficient-coding", "levels_mi_infomax_bits", 4.0, "Laughlin (1981): the infomax nonlinearity uses 16 "
          "levels equally, log2(16) = 4 bits", tolerance=0.01),
    Check("avalanches", "size_exponent", 1.5, "critical branching process: P(S) ~ S^-3/2 (Harris 1963)",
          tolerance=0.05),
    Check("avalanches", "duration_exponent", 2.0, "critical branching process: P(T) ~ T^-2 (Harris 1963)",
          tolerance=0.15),
    Check("avalanches", "gamma", 2.0, "mean-field crackling noise: <S>(T) ~ T^2 (Sethna et al. 2001)",
          tolerance=0.1),
    Check("branching-ratio", "m_mr_1pct", 0.98, "the branching ratio that generated the activity; the MR "
          "estimator is unbiased under 1 % subsampling (Wilting & Priesemann 2018)", tolerance=0.01),
    Check("hh-action-potential", "resting_potential_mv", -65.0, "Hodgkin & Huxley (1952) in the modern convention "
          "(rest at -65 mV, NEURON's hh mechanism)", tolerance=0.1),
    Check("hh-channel-block", "max_rate_ttx_hz", 0.0, "without sodium conductance the membrane cannot fire "
          "(Hodgkin & Huxley 1952; TTX block)", tolerance=0.0),
    Check("hh-bifurcation", "hopf_current_ua_cm2", 9.78, "subcritical Hopf bifurcation of the HH equations at 6.3 degC: "
          "I = 9.78 uA/cm^2 (Rinzel 1978; Guckenheimer & Labouriau 1993)", tolerance=0.02),
    Check("hh-bifurcation", "onset_current_ua_cm2", 6.26, "onset of repetitive firing (saddle-node of periodic orbits) "
          "at I = 6.26 uA/cm^2 (Rinzel & Miller 1980)", tolerance=0.05),
    Check("lif-fi", "max_rel_error", 1e-4, "analytic LIF rate 1 / (t_ref + tau_m ln(R I / (R I - (v_th - e_l)))) "
          "(Lapicque 1907; Tuckwell 1988)", kind="below"),
    Check("lif-fi", "rheobase_pa", 375.0, "rheobase C (v_th - e_l) / tau_m = 250 pF x 15 mV / 10 ms = 375 pA",
          tolerance=1e-9),
    Check("jansen-rit-alpha", "peak_hz", 10.0, "alpha rhythm, 8-12 Hz, of the standard parameters (Jansen & Rit "
          "1995)", tolerance=2.0),
    Check("dcm-erp", "true_model_selected", 1, "Bayesian model comparison picks the architecture that generated "
          "the data (David et al. 2006)", tolerance=0.0),
    Check("cuba", "rate_hz", 5.65, "Brian2 and NEST running the same CUBA network, 1 s, seeds 1-3: 5.42-5.87 Hz "
          "(docs/networks.md; the quick tour runs 300 ms)", tolerance=0.6),
    Check("brunel", "ai_rate_hz", "ai_rate_mean_field_hz", "Brunel (2000) mean-field (Siegert) rate of the "
          "asynchronous irregular state", tolerance=0.15, relative=True),
    Check("stp-synapse", "depressing_paired_pulse_ratio", 0.5303, "Tsodyks & Markram (1997): x after 50 ms is "
          "1 - U exp(-50/tau_rec) = 1 - 0.5 exp(-50/800) = 0.5303", tolerance=0.02),
    Check("stochastic-lif", "max_abs_rel_error", 0.05, "Siegert (1951) first-passage rate of the LIF with white "
          "noise, with the dt correction of Brunel & Sergi (1998)", kind="below"),
    Check("shot-noise", "variance_rate_exponent", 1.0, "Campbell's theorem: shot-noise variance proportional to "
          "the rate", tolerance=0.1),
    Check("markov-reset", "serial_correlation", 0.0, "renewal process after a reset (strong Markov property; "
          "Tuckwell 1988): 0 within 3/sqrt(n) = 0.035 for n >= 7500 intervals", tolerance=0.035),
)


def _number(x):
    if isinstance(x, bool) or not isinstance(x, (int, float)):
        return None
    return float(x)


def evaluate(sections: list[dict], checks=CHECKS) -> list[dict]:
    """Rows of the validation table for a tour's ``sections`` (dicts with name, metrics, error).

    Status "pass" or "fail"; "skip" where the experiment was not part of the run.
    """
    by_name = {s["name"]: s for s in sections}
    rows = []
    for c in checks:
        s = by_name.get(c.experiment)
        ref_text = c.reference if isinstance(c.reference, str) else f"{c.reference:g}"
        if c.kind == "approx":
            tol_text = f"+/- {100 * c.tolerance:g} %" if c.relative else f"+/- {c.tolerance:g}"
        else:
            tol_text = "at most" if c.kind == "below" else "at least"
        row = {"experiment": c.experiment, "check": c.metric, "value": None, "reference": None,
               "reference_text": ref_text, "tolerance_text": tol_text, "source": c.source, "status": "skip"}
        rows.append(row)
        if s is None:
            continue
        if s.get("error"):
            row["status"] = "fail"
            continue
        metrics = s.get("metrics", {})
        value = _number(metrics.get(c.metric))
        reference = _number(metrics.get(c.reference)) if isinstance(c.reference, str) else float(c.reference)
        row["value"], row["reference"] = value, reference
        if isinstance(c.reference, str) and reference is not None:
            row["reference_text"] = f"{reference:.6g} ({c.reference})"
        if value is None or reference is None or not math.isfinite(value):
            row["status"] = "fail"
            continue
        if c.kind == "below":
            ok = value <= reference
        elif c.kind == "above":
            ok = value >= reference
        else:
            bound = c.tolerance * abs(reference) if c.relative else c.tolerance
            ok = abs(value - reference) <= bound
        row["status"] = "pass" if ok else "fail"
    return rows
