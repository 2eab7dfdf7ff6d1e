"""Ion-channel kinetics shared by point neurons and compartments."""

from . import hh, traub_miles

__all__ = ["hh", "traub_miles"]
