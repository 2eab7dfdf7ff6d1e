"""Named, runnable experiments (``neuroladder list``)."""

from . import (  # noqa: F401  (registration)  # noqa: F401  (registration)
    auditory,
    cable,
    circuits,
    coding,
    criticality,
    epilepsy,
    hodgkin_huxley,
    integrate_and_fire,
    izhikevich,
    mass,
    ml,
    networks,
    spinal,
    stochastic,
)
from .registry import REGISTRY, Choice, Experiment, ExperimentResult, Range, Undefined, experiment, get, run

__all__ = ["REGISTRY", "Choice", "Experiment", "ExperimentResult", "Range", "Undefined", "experiment", "get", "run"]
