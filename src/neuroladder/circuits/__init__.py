"""Circuits built from the rungs below: branching processes, orientation selectivity (Hubel-Wiesel and the
Ben-Yishai ring), divisive normalization of place cells, adaptation (AHP against synaptic depression)."""

from . import adaptation, normalization, orientation
from .branching import galton_watson, galton_watson_activity, network_branching, random_targets
from .normalization import PlaceFields, active_fraction, decode_position, divisive_normalization, treves_rolls
from .orientation import HubelWieselCell, RingCircuit, feedforward_tuning, lif_tuning, ring_tuning

__all__ = ["HubelWieselCell", "PlaceFields", "RingCircuit", "active_fraction", "adaptation", "decode_position",
           "divisive_normalization", "feedforward_tuning", "galton_watson", "galton_watson_activity", "lif_tuning",
           "network_branching", "normalization", "orientation", "random_targets", "ring_tuning", "treves_rolls"]
