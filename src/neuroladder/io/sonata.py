"""Spike output in the SONATA layout (HDF5): ``/spikes/<population>/timestamps`` (ms) and ``node_ids``.

The writer appends as a run goes and flushes after every block of steps, so an interrupted run
keeps what it wrote. Needs h5py (``pip install "neuroladder[io]"``). Layout from the SONATA
data format specification (Dai et al. 2020, PLoS Comput. Biol. 16:e1007696), "Spike file".
"""

from __future__ import annotations

import numpy as np

from ..core.errors import NeuroLadderError


def _h5py():
    try:
        import h5py
    except ImportError:
        raise NeuroLadderError("writing spikes to HDF5 needs h5py: pip install 'neuroladder[io]'") from None
    return h5py


class SpikeWriter:
    """Append spikes of several populations to a SONATA spike file."""

    def __init__(self, path, populations: list[str]):
        h5py = _h5py()
        self.file = h5py.File(path, "w")
        root = self.file.create_group("spikes")
        root.attrs["sorting"] = "by_time"
        self.sets = {}
        for name in populations:
            group = root.create_group(name)
            ts = group.create_dataset("timestamps", shape=(0,), maxshape=(None,), dtype="f8", chunks=(65536,))
            ts.attrs["units"] = "ms"
            ids = group.create_dataset("node_ids", shape=(0,), maxshape=(None,), dtype="u8", chunks=(65536,))
            self.sets[name] = (ts, ids)

    def append(self, name: str, times: np.ndarray, ids: np.ndarray) -> None:
        ts, node_ids = self.sets[name]
        n0 = ts.shape[0]
        ts.resize((n0 + times.size,))
        node_ids.resize((n0 + times.size,))
        ts[n0:] = times
        node_ids[n0:] = ids

    def flush(self) -> None:
        self.file.flush()

    def close(self) -> None:
        self.file.close()


def read_spikes(path) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """{population: (timestamps in ms, node_ids)} from a SONATA spike file."""
    h5py = _h5py()
    with h5py.File(path, "r") as fh:
        return {name: (grp["timestamps"][:], grp["node_ids"][:].astype(np.int64))
                for name, grp in fh["spikes"].items()}
