"""Inference: Dynamic Causal Modelling of evoked responses by variational Laplace."""

from .dcm import ARCHITECTURES, DCM, TRUE_ARCHITECTURE, DCMResult, compare, synthetic_study
from .variational_laplace import LaplacePosterior, variational_laplace

__all__ = ["ARCHITECTURES", "TRUE_ARCHITECTURE", "synthetic_study", "DCM", "DCMResult", "LaplacePosterior", "compare", "variational_laplace"]
