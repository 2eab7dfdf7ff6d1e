"""NetworkResult.rate / .synchrony / .raster and run(keep_spikes=False), on networks whose spikes are
known by construction (each input spike fires its target once: a 30 mV delta jump over a 15 mV gap)."""

from __future__ import annotations

import numpy as np
import pytest

import neuroladder as nl


def _driven(times_per_neuron, n):
    net = nl.Network(dt=0.1, seed=1)
    pop = net.add_population("cells", nl.LIF(), n)
    src = net.add_spike_generator("drive", times_per_neuron)
    net.connect(src, pop, rule="one_to_one", weight=30.0, delay=1.0, synapse=nl.DeltaSynapse())
    return net


def test_rate_and_synchrony_of_a_fully_synchronous_population():
    n, times = 20, np.array([10.0, 30.0, 50.0, 70.0])
    out = _driven([times] * n, n).run(100.0)
    st = out.spikes["cells"]
    assert len(st) == n * times.size                      # every input spike fires every cell once
    t, rate = out.rate("cells", bin=10.0)
    # 4 spikes per cell in 100 ms: 40 Hz on average; each spike bin holds the whole population: 100 Hz
    assert rate.mean() == pytest.approx(40.0)
    assert np.sort(rate)[-4:] == pytest.approx([100.0] * 4)
    # identical count signals: population variance equals single-neuron variance (Golomb 2007): 1
    assert out.synchrony("cells", bin=10.0) == pytest.approx(1.0)


def test_synchrony_of_a_staggered_population():
    # each cell fires once, alone in its 1 ms bin, B = 100 bins: a single cell's count variance is
    # (B - 1) / B^2, the population mean's (1/N in N bins) is (B - N) / (N B^2), so the ratio is
    # (B - N) / (N (B - 1)), ~1/N for N << B (asynchronous)
    n, bins = 50, 100
    out = _driven([np.array([5.0 + 1.7 * j]) for j in range(n)], n).run(100.0)
    assert len(out.spikes["cells"]) == n
    assert out.synchrony("cells", bin=1.0) == pytest.approx((bins - n) / (n * (bins - 1)), rel=1e-9)


def test_raster_draws_every_spike_with_labelled_axes():
    out = _driven([np.array([10.0, 20.0])] * 5, 5).run(40.0)
    fig = out.raster()
    ax = fig.axes[0]
    assert ax.get_xlabel() == "time (ms)" and ax.get_ylabel() == "neuron"
    assert sum(len(c.get_offsets()) for c in ax.collections) == 10
    assert ax.get_legend() is None                        # one population: no legend naming it


def test_keep_spikes_false_streams_to_the_file_only(tmp_path):
    pytest.importorskip("h5py")
    from neuroladder.io.sonata import read_spikes

    path = tmp_path / "spikes.h5"
    out = _driven([np.array([10.0, 20.0])] * 3, 3).run(40.0, spikes_file=path, keep_spikes=False)
    assert sum(len(s) for s in out.spikes.values()) == 0
    times, ids = read_spikes(path)["cells"]
    assert times.size == 6 and sorted(set(ids.tolist())) == [0, 1, 2]
