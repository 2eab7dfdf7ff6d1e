"""Circuit-level models: branching processes, the spinal stretch-reflex loop, binaural coincidence detection."""

from .branching import galton_watson, galton_watson_activity, network_branching, random_targets
from .coincidence import analytic_coincidence_rate, binaural_input, coincidence_detector, detailed_detector, phase_locked_train
from .spinal import Protocol, ReflexLoop, oscillation_cycles, plateau_protocol, ramp_protocol, simulate_reflex

__all__ = ["Protocol", "ReflexLoop", "analytic_coincidence_rate", "binaural_input", "coincidence_detector",
           "detailed_detector", "galton_watson", "galton_watson_activity", "network_branching", "oscillation_cycles",
           "phase_locked_train", "plateau_protocol", "ramp_protocol", "random_targets", "simulate_reflex"]
