"""Neural masses (partly built): Wilson-Cowan, Jansen-Rit and the Brunel mean-field rate;
brain networks and DCM are to come."""

from .brain import BrainNetwork, example_connectome, load_matrix
from .meanfield import brunel_mean_field
from .models import JansenRit, WilsonCowan

__all__ = ["BrainNetwork", "JansenRit", "WilsonCowan", "brunel_mean_field", "example_connectome", "load_matrix"]
