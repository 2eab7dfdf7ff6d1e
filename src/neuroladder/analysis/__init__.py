"""Analysis: dynamics (fixed points, nullclines, bifurcations), f-I curves, spike statistics."""

from .dynamics import (
    BifurcationScan,
    FixedPoint,
    Nullclines,
    bifurcation_scan,
    classify,
    fixed_points,
    hopf_current,
    jacobian,
    nullclines,
    resting_state,
    vector_field,
)
from .firing import fi_curve, onset_current, repetitive_firing
from .spikes import adaptation_index, adaptation_ratio, burst_count, cv_isi, isi, isi_gap

__all__ = [
    "BifurcationScan", "FixedPoint", "Nullclines", "adaptation_index", "adaptation_ratio", "bifurcation_scan",
    "burst_count", "classify", "cv_isi", "fi_curve", "fixed_points", "hopf_current", "isi", "isi_gap", "jacobian",
    "nullclines", "onset_current", "repetitive_firing", "resting_state", "vector_field",
]
