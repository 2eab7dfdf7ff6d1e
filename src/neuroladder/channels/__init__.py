"""Ion-channel kinetics shared by point neurons and compartments."""

from . import hh

__all__ = ["hh"]
