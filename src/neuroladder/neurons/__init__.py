"""Point neuron models: Hodgkin-Huxley, Traub-Miles, Wang-Buzsaki, LIF, Izhikevich, AdEx, motoneuron, Rothman-Manis."""

from .adex import AdEx
from .hodgkin_huxley import HodgkinHuxley
from .izhikevich import Izhikevich
from .lif import LIF, AdaptiveLIF
from .motoneuron import Motoneuron
from .rothman_manis import RothmanManis
from .traub_miles import TraubMiles
from .wang_buzsaki import WangBuzsaki

__all__ = ["AdaptiveLIF", "AdEx", "HodgkinHuxley", "Izhikevich", "LIF", "Motoneuron", "RothmanManis", "TraubMiles",
           "WangBuzsaki"]
