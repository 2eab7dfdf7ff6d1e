"""Named, runnable experiments (``neuroladder list``)."""

from . import cable, circuits, coding, criticality, epilepsy, hodgkin_huxley, integrate_and_fire, izhikevich, mass, ml, networks, stochastic  # noqa: F401  (registration)
from .registry import REGISTRY, Experiment, ExperimentResult, experiment, get, run

__all__ = ["REGISTRY", "Experiment", "ExperimentResult", "experiment", "get", "run"]
