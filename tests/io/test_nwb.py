"""NWB export read back by pynwb itself; pandas and xarray views of a result."""

from __future__ import annotations

import numpy as np
import pytest

import neuroladder as nl

pynwb = pytest.importorskip("pynwb")


def test_single_neuron_round_trip(tmp_path):
    res = nl.simulate(nl.HodgkinHuxley(), duration=60.0, dt=0.01, current=nl.Step(10.0, start=10.0),
                      record=("v", "n"), record_dt=0.1, n=2)
    path = res.to_nwb(tmp_path / "hh.nwb")
    with pynwb.NWBHDF5IO(str(path), "r") as io:
        f = io.read()
        v = f.acquisition["v"]
        np.testing.assert_array_equal(v.data[:], res["v"])
        assert v.unit == "mV" and v.rate == pytest.approx(10_000.0)  # samples every 0.1 ms = 10 kHz
        np.testing.assert_array_equal(f.acquisition["n"].data[:], res["n"])
        units = f.units.to_dataframe()
        assert len(units) == 2
        for k in range(2):  # NWB keeps seconds
            np.testing.assert_allclose(units["spike_times"].iloc[k], res.spike_times[k] * 1e-3, rtol=0, atol=1e-15)
    assert sum(len(s) for s in res.spike_times) > 4


def test_network_spikes_round_trip(tmp_path):
    net = nl.Network(dt=0.1, seed=3)
    E = net.add_population("E", nl.LIF(), 20, v=-60.0)
    net.add_poisson_input(E, rate=3000.0, weight=60.0)
    net.record(E, "v", ids=[0, 1])
    out = net.run(100.0)
    path = out.to_nwb(tmp_path / "net.nwb")
    with pynwb.NWBHDF5IO(str(path), "r") as io:
        f = io.read()
        units = f.units.to_dataframe()
        assert list(units["population"]) == ["E"] * 20 and list(units["neuron"]) == list(range(20))
        trains = out.spikes["E"].trains()
        assert sum(len(t) for t in trains) > 20
        for k in range(20):
            np.testing.assert_allclose(units["spike_times"].iloc[k], trains[k] * 1e-3, rtol=0, atol=1e-15)
        np.testing.assert_array_equal(f.acquisition["E_v"].data[:], out.state("E", "v")[1])


def test_pandas_and_xarray_views():
    pytest.importorskip("pandas")
    xr = pytest.importorskip("xarray")
    res = nl.simulate(nl.LIF(), duration=20.0, dt=0.1, current=400.0, n=3)
    df = res.to_pandas()
    assert list(df.columns) == ["v[0]", "v[1]", "v[2]"] and df.index.name == "t_ms"
    np.testing.assert_array_equal(df["v[1]"].to_numpy(), res["v"][:, 1])
    ds = res.to_xarray()
    assert isinstance(ds, xr.Dataset) and ds["v"].dims == ("t_ms", "unit")
    np.testing.assert_array_equal(ds["v"].values, res["v"])
