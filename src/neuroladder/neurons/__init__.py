"""Point neuron models: Hodgkin-Huxley, Traub-Miles, Wang-Buzsaki, LIF, Izhikevich, AdEx."""

from .adex import AdEx
from .hodgkin_huxley import HodgkinHuxley
from .izhikevich import Izhikevich
from .lif import LIF, AdaptiveLIF
from .traub_miles import TraubMiles
from .wang_buzsaki import WangBuzsaki

__all__ = ["AdaptiveLIF", "AdEx", "HodgkinHuxley", "Izhikevich", "LIF", "TraubMiles", "WangBuzsaki"]
