"""Named, runnable experiments (``neuroladder list``)."""

from . import cable, circuits, coding, criticality, epilepsy, hodgkin_huxley, integrate_and_fire, izhikevich, mass, ml, networks, stochastic  # noqa: F401  (registration)
from . import auditory, spinal  # noqa: F401  (registration)
from .registry import REGISTRY, Choice, Experiment, ExperimentResult, Range, Undefined, experiment, get, run

__all__ = ["REGISTRY", "Choice", "Experiment", "ExperimentResult", "Range", "Undefined", "experiment", "get", "run"]
