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
from .fitting import FitResult, coincidence_factor, fit_model
from .spikes import adaptation_index, adaptation_ratio, burst_count, cv_isi, isi, isi_gap
from .tuning import halfwidth, preferred_orientation

__all__ = [
    "BifurcationScan", "FitResult", "FixedPoint", "Nullclines", "adaptation_index", "adaptation_ratio", "bifurcation_scan",
    "burst_count", "classify", "coincidence_factor", "fit_model", "cv_isi", "fi_curve", "fixed_points", "halfwidth", "hopf_current", "isi", "isi_gap",
    "jacobian", "preferred_orientation",
    "nullclines", "onset_current", "repetitive_firing", "resting_state", "vector_field",
]

# --- criticality (avalanches, power laws, branching ratio): add imports and __all__ names here ---
from ..circuits.branching import galton_watson  # the issue asks for nl.analysis.galton_watson too
from .avalanches import (
    avalanche_shapes,
    avalanches,
    avalanches_from_counts,
    bin_spikes,
    mean_interevent_interval,
)
from .branching_ratio import BranchingRatio, branching_ratio, subsample
from .powerlaw import Comparison, PowerLawFit, PowerLawVerdict, fit_power_law, sample_power_law
from .scaling import ShapeCollapse, SizeDurationScaling, crackling_gamma, shape_collapse, size_duration_scaling

__all__ += [
    "BranchingRatio", "Comparison", "PowerLawFit", "PowerLawVerdict", "ShapeCollapse", "SizeDurationScaling",
    "avalanche_shapes", "avalanches", "avalanches_from_counts", "bin_spikes", "branching_ratio", "crackling_gamma",
    "fit_power_law", "galton_watson", "mean_interevent_interval", "sample_power_law", "shape_collapse",
    "size_duration_scaling", "subsample",
]

# --- coding (STA/STC, LN, GLM, information, efficient coding): add imports and __all__ names here ---
from .coding import (  # noqa: E402
    LNModel,
    STCResult,
    fit_ln_model,
    parametric_nonlinearity,
    simulate_ln_poisson,
    spike_triggered_average,
    spike_triggered_covariance,
)
from .glm import PoissonGLM, fit_poisson_glm, raised_cosine_basis  # noqa: E402
from .information import (  # noqa: E402
    EmpiricalCDF,
    channel_information,
    gaussian_channel_binned_mi,
    gaussian_channel_mi,
    infomax_nonlinearity,
    mutual_information,
    plugin_bias,
    quantized_output_information,
)

__all__ += [
    "EmpiricalCDF", "LNModel", "PoissonGLM", "STCResult", "channel_information", "fit_ln_model", "fit_poisson_glm",
    "gaussian_channel_binned_mi", "gaussian_channel_mi", "infomax_nonlinearity", "mutual_information",
    "parametric_nonlinearity", "plugin_bias", "quantized_output_information", "raised_cosine_basis",
    "simulate_ln_poisson", "spike_triggered_average", "spike_triggered_covariance",
]
