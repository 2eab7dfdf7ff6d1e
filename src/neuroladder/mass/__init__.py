"""Neural masses: Wilson-Cowan, Jansen-Rit, the Brunel mean-field rate, brain networks with delays,
and the EEG forward model (lead fields, 10-20 electrodes)."""

from .brain import BrainNetwork, example_connectome, load_matrix
from .epileptor import Epileptor
from .leadfield import (
    average_reference,
    electrodes_10_20,
    lead_field_infinite,
    lead_field_sphere,
    orient,
    radial_orientations,
    sensor_data,
)
from .meanfield import brunel_mean_field
from .models import JansenRit, WilsonCowan
from .rate import RateNetwork

__all__ = ["BrainNetwork", "Epileptor", "JansenRit", "RateNetwork", "WilsonCowan", "average_reference", "brunel_mean_field",
           "electrodes_10_20", "example_connectome", "lead_field_infinite", "lead_field_sphere", "load_matrix",
           "orient", "radial_orientations", "sensor_data"]
