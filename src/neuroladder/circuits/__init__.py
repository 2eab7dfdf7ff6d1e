"""Circuit-level generative models (branching processes)."""

from .branching import galton_watson, galton_watson_activity, network_branching, random_targets

__all__ = ["galton_watson", "galton_watson_activity", "network_branching", "random_targets"]
