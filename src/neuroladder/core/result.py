"""The result of a simulation: plain numpy arrays with named accessors."""

from __future__ import annotations

import numpy as np

from .errors import ParameterError


class Result:
    """Recorded traces and spikes of a simulation of ``n`` units.

    Attributes
    ----------
    t : ndarray (T,)
        Sample times in ms.
    n : int
        Number of units.
    dt : float
        Integration time step (ms).
    duration : float
        Simulated time (ms).
    method : str
        Integration method used.
    model : Model
        The simulated model.
    final_state : dict
        State at the end of the run, one array of length n per variable.

    ``res["v"]`` is a recorded variable: shape (T,) when n == 1, (T, n) otherwise.
    ``res.spike_times`` is one array (n == 1) or a list of n arrays, in ms.
    """

    def __init__(self, t, traces: dict, spike_times, spike_units, n: int, dt: float, duration: float,
                 method: str, model, final_state: dict, units: dict | None = None):
        self.t = t
        self._traces = traces
        order = np.lexsort((spike_units, spike_times))
        self._spike_t = np.asarray(spike_times, dtype=float)[order]
        self._spike_i = np.asarray(spike_units, dtype=np.int64)[order]
        self.n, self.dt, self.duration, self.method, self.model = n, dt, duration, method, model
        self.final_state = final_state
        self.units = units or {}

    def __getitem__(self, name: str) -> np.ndarray:
        if name not in self._traces:
            hint = f"recorded: {', '.join(self._traces) or 'none'}"
            raise KeyError(f"'{name}' was not recorded ({hint}); pass record=({name!r}, ...) to simulate")
        arr = self._traces[name]
        return arr[:, 0] if self.n == 1 else arr

    def __contains__(self, name: str) -> bool:
        return name in self._traces

    def keys(self):
        return self._traces.keys()

    @property
    def spikes(self) -> tuple[np.ndarray, np.ndarray]:
        """All spikes as flat arrays ``(times_ms, unit_ids)`` sorted by time."""
        return self._spike_t, self._spike_i

    @property
    def spike_times(self):
        """Spike times (ms): an array for n == 1, a list of n arrays otherwise."""
        per_unit = self.spike_trains()
        return per_unit[0] if self.n == 1 else per_unit

    def spike_trains(self) -> list[np.ndarray]:
        """A list of n arrays of spike times (ms), whatever n is."""
        order = np.argsort(self._spike_i, kind="stable")
        ids, times = self._spike_i[order], self._spike_t[order]
        bounds = np.searchsorted(ids, np.arange(self.n + 1))
        return [times[bounds[k]:bounds[k + 1]] for k in range(self.n)]

    @property
    def spike_counts(self) -> np.ndarray:
        """Number of spikes of each unit, shape (n,)."""
        return np.bincount(self._spike_i, minlength=self.n)

    def rates(self) -> np.ndarray:
        """Mean firing rate of each unit over the run (Hz), shape (n,)."""
        return self.spike_counts / (self.duration / 1000.0)

    def unit(self, k: int) -> Result:
        """The result restricted to unit ``k`` (so that ``res.unit(3)["v"]`` is 1-D)."""
        if not 0 <= k < self.n:
            raise ParameterError(f"unit index k = {k} is outside [0, {self.n - 1}]")
        mask = self._spike_i == k
        return Result(self.t, {name: a[:, k:k + 1] for name, a in self._traces.items()},
                      self._spike_t[mask], np.zeros(mask.sum(), dtype=np.int64), 1, self.dt, self.duration,
                      self.method, self.model, {s: v[k:k + 1] for s, v in self.final_state.items()}, self.units)

    def to_nwb(self, path, description: str = "neuroladder simulation", **kwargs):
        """Write traces and spikes to an NWB file (pynwb, the ``io`` extra); times in seconds there."""
        from ..io.nwb import result_to_nwb

        return result_to_nwb(self, path, description, **kwargs)

    def to_pandas(self):
        """Recorded traces as a pandas DataFrame indexed by time (ms)."""
        from ..io.nwb import result_to_pandas

        return result_to_pandas(self)

    def to_xarray(self):
        """Recorded traces as an xarray Dataset with dimensions (t_ms, unit)."""
        from ..io.nwb import result_to_xarray

        return result_to_xarray(self)

    def __repr__(self):
        return (f"Result(n={self.n}, duration={self.duration:g} ms, dt={self.dt:g} ms, method={self.method!r}, "
                f"recorded={list(self._traces)}, spikes={self._spike_t.size})")
