"""Circuits built from the rungs below: branching processes, orientation selectivity (Hubel-Wiesel and the
Ben-Yishai ring), divisive normalization of place cells, adaptation (AHP against synaptic depression), the spinal
stretch-reflex loop, binaural coincidence detection, and epilepsy across the ladder."""

from . import adaptation, normalization, orientation
from .branching import galton_watson, galton_watson_activity, network_branching, random_targets
from .coincidence import (
    analytic_coincidence_rate,
    binaural_input,
    coincidence_detector,
    detailed_detector,
    phase_locked_train,
)
from .normalization import PlaceFields, active_fraction, decode_position, divisive_normalization, treves_rolls
from .orientation import HubelWieselCell, RingCircuit, feedforward_tuning, lif_tuning, ring_tuning
from .spinal import Protocol, ReflexLoop, oscillation_cycles, plateau_protocol, ramp_protocol, simulate_reflex

__all__ = ["HubelWieselCell", "PlaceFields", "Protocol", "ReflexLoop", "RingCircuit", "active_fraction",
           "adaptation", "analytic_coincidence_rate", "binaural_input", "coincidence_detector", "decode_position",
           "detailed_detector", "divisive_normalization", "feedforward_tuning", "galton_watson",
           "galton_watson_activity", "lif_tuning", "network_branching", "normalization", "orientation",
           "oscillation_cycles", "phase_locked_train", "plateau_protocol", "ramp_protocol", "random_targets",
           "ring_tuning", "simulate_reflex", "treves_rolls"]
