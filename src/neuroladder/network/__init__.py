"""Spiking networks: populations, projections, synapses, inputs, monitors and the event-driven engine."""

from .connectivity import normal, uniform
from .network import Network, Population, Projection, SpikeSource
from .result import NetworkResult, SpikeTrains
from .synapses import STDP, AlphaSynapse, DeltaSynapse, ExpSynapse, Synapse, TsodyksMarkram

__all__ = ["STDP", "AlphaSynapse", "DeltaSynapse", "ExpSynapse", "Network", "NetworkResult", "Population", "Projection",
           "SpikeSource", "SpikeTrains", "Synapse", "TsodyksMarkram", "normal", "uniform"]
