"""Export to Neurodata Without Borders (NWB 2, pynwb) and conversion to pandas / xarray.

NWB stores time in seconds: neuroladder's ms become s on the way out. Recorded traces become
``TimeSeries`` in the file's acquisition (one per variable; data of shape (time, units), with the
variable's unit), spikes become the ``units`` table (one row per neuron, its spike times, and for
networks the population and the neuron's index in it). Read back with ``pynwb.NWBHDF5IO``.
Needs the ``io`` extra (``pip install "neuroladder[io]"``). Format: Rübel et al. (2022), eLife
11:e78362.
"""

from __future__ import annotations

import datetime
import hashlib
from pathlib import Path

import numpy as np

from ..core.errors import NeuroLadderError


def _need(module: str):
    import importlib

    try:
        return importlib.import_module(module)
    except ImportError:
        raise NeuroLadderError(f"this needs {module.split('.')[0]}: pip install 'neuroladder[io]'") from None


def _new_file(description: str, identifier: str | None, start_time):
    pynwb = _need("pynwb")
    start = start_time or datetime.datetime(2000, 1, 1, tzinfo=datetime.timezone.utc)  # simulated: no real date
    ident = identifier or hashlib.sha1(description.encode()).hexdigest()
    return pynwb, pynwb.NWBFile(session_description=description, identifier=ident, session_start_time=start)


def _traces(nwbfile, pynwb, series: dict, units: dict, dt_ms: float, t0_ms: float = 0.0):
    for name, data in series.items():
        nwbfile.add_acquisition(pynwb.TimeSeries(name=name, data=np.asarray(data), unit=units.get(name) or "n/a",
                                                 starting_time=t0_ms * 1e-3, rate=1000.0 / dt_ms,
                                                 description=f"simulated {name}"))


def _write(nwbfile, path) -> Path:
    pynwb = _need("pynwb")
    path = Path(path)
    with pynwb.NWBHDF5IO(str(path), "w") as io:
        io.write(nwbfile)
    return path


def result_to_nwb(result, path, description: str = "neuroladder simulation", identifier: str | None = None,
                  start_time=None) -> Path:
    """Write a :class:`neuroladder.Result` (``nl.simulate``, a cell, a brain network) to an NWB file."""
    pynwb, nwbfile = _new_file(description, identifier, start_time)
    every = result.t[1] - result.t[0] if result.t.size > 1 else result.dt
    series = {name: np.asarray(result._traces[name]) for name in result.keys()}
    units = dict(result.units)
    model_units = getattr(result.model, "state_units", None)
    if isinstance(model_units, dict):
        units = {**model_units, **units}
    _traces(nwbfile, pynwb, series, units, float(every), float(result.t[0]))
    if result.spikes[0].size or result.model is not None and getattr(result.model, "spike_variable", "none") != "none":
        for train in result.spike_trains():
            nwbfile.add_unit(spike_times=np.asarray(train) * 1e-3)
    return _write(nwbfile, path)


def network_to_nwb(out, path, description: str = "neuroladder network simulation", identifier: str | None = None,
                   start_time=None) -> Path:
    """Write a :class:`neuroladder.network.NetworkResult`: every neuron's spikes, and recorded states."""
    pynwb, nwbfile = _new_file(description, identifier, start_time)
    nwbfile.add_unit_column(name="population", description="population name")
    nwbfile.add_unit_column(name="neuron", description="index of the neuron in its population")
    for name, st in out.spikes.items():
        for k, train in enumerate(st.trains()):
            nwbfile.add_unit(spike_times=np.asarray(train) * 1e-3, population=name, neuron=k)
    for (pop, var), (_ids, times, values) in out._states.items():
        if len(times):
            step = float(times[1] - times[0]) if len(times) > 1 else out.dt
            _traces(nwbfile, pynwb, {f"{pop}_{var}": values}, {}, step, float(times[0]))
    return _write(nwbfile, path)


def result_to_pandas(result):
    """Recorded traces as a DataFrame indexed by time (ms): one column per variable (and unit when n > 1)."""
    pd = _need("pandas")
    columns = {}
    for name in result.keys():
        data = np.asarray(result._traces[name])
        if result.n == 1:
            columns[name] = data[:, 0]
        else:
            for k in range(data.shape[1]):
                columns[f"{name}[{k}]"] = data[:, k]
    return pd.DataFrame(columns, index=pd.Index(result.t, name="t_ms"))


def result_to_xarray(result):
    """Recorded traces as an ``xarray.Dataset`` with dimensions (t_ms, unit) and each variable's unit."""
    xr = _need("xarray")
    data_vars = {}
    for name in result.keys():
        unit = result.units.get(name) or getattr(result.model, "state_units", {}).get(name, "")
        data_vars[name] = (("t_ms", "unit"), np.asarray(result._traces[name]), {"units": unit})
    n_cols = next(iter(data_vars.values()))[1].shape[1] if data_vars else result.n
    return xr.Dataset(data_vars, coords={"t_ms": result.t, "unit": np.arange(n_cols)},
                      attrs={"dt_ms": result.dt, "method": result.method})
