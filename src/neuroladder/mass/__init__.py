"""Neural masses (partly built): Wilson-Cowan and Jansen-Rit; brain networks and DCM are to come."""

from .models import JansenRit, WilsonCowan

__all__ = ["JansenRit", "WilsonCowan"]
