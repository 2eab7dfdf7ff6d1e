"""Ion-channel kinetics shared by point neurons and compartments."""

from . import hh, traub_miles, wang_buzsaki

__all__ = ["hh", "traub_miles", "wang_buzsaki"]
