"""Input/output: SONATA spike files (h5py, the ``io`` extra)."""

from .sonata import SpikeWriter, read_spikes

__all__ = ["SpikeWriter", "read_spikes"]
