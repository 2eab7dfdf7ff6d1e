"""Point neuron models: Hodgkin-Huxley, LIF, Izhikevich, AdEx, motoneuron, Rothman-Manis."""

from .adex import AdEx
from .hodgkin_huxley import HodgkinHuxley
from .izhikevich import Izhikevich
from .lif import LIF, AdaptiveLIF
from .motoneuron import Motoneuron
from .rothman_manis import RothmanManis
from .traub_miles import TraubMiles

__all__ = ["AdaptiveLIF", "AdEx", "HodgkinHuxley", "Izhikevich", "LIF", "Motoneuron", "RothmanManis", "TraubMiles"]
