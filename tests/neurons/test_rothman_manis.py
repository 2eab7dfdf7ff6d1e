"""The Rothman & Manis (2003) neuron: current-clamp responses of the paper's type II and I-c cells."""

from __future__ import annotations

import numpy as np
import pytest

import neuroladder as nl
from neuroladder.neurons import RothmanManis


def _spikes(model, nanoamps):
    rest = nl.simulate(model, 300.0, 0.02)["v"][-1]
    res = nl.simulate(model, 120.0, 0.02, current=nl.Step(RothmanManis.current_density(nanoamps), 10.0, 110.0),
                      initial_state={"v": rest}, spike_threshold=-30.0)
    return rest, res.spike_times


def test_type_ii_rests_near_minus_64_and_fires_once_at_onset():
    # RM03 (Figs. 8-9; also Manis & Marx 1991): type II (bushy) cells fire one spike at the onset of a
    # depolarising step, whatever its size, and rest near -64 mV (their model's v_rest).
    for amp in (0.3, 0.5, 1.0, 2.0):
        rest, spikes = _spikes(RothmanManis.type_ii(), amp)
        assert rest == pytest.approx(-64.0, abs=1.5)
        assert spikes.size == 1 and 10.0 < spikes[0] < 15.0


def test_type_ic_fires_tonically_and_faster_with_more_current():
    # RM03: type I-c (stellate) cells fire regular trains whose rate grows with the step.
    _, low = _spikes(RothmanManis.type_ic(), 0.1)
    _, high = _spikes(RothmanManis.type_ic(), 0.2)
    assert low.size >= 5 and high.size > low.size
    isi = np.diff(low)
    assert isi.std() / isi.mean() < 0.2  # regular


def test_rothman_manis_membrane_in_a_one_compartment_cell_matches_the_point_model():
    # The same channel code as a compartment membrane: a one-compartment cell with the cell's
    # exponential-Euler method is the point model (cable/cell.py), so the onset spike coincides.
    model = RothmanManis.type_ii()
    area_um2 = RothmanManis.area_cm2 * 1e8
    diam = float(np.sqrt(area_um2 / np.pi))  # a cylinder with length = diameter has area pi d^2
    cell = nl.Cell.cable(diam, diam, nseg=1, membrane=model)
    cell.add_clamp(0, 0.5, nl.Step(1.0, 10.0, 60.0))  # 1 nA
    v_cell = nl.simulate(cell, 60.0, 0.01, method="exponential_euler")["v"]
    v_point = nl.simulate(model, 60.0, 0.01, current=nl.Step(RothmanManis.current_density(1.0), 10.0, 60.0))["v"]
    assert np.argmax(v_cell) == pytest.approx(np.argmax(v_point), abs=2)
    assert v_cell.max() == pytest.approx(v_point.max(), abs=0.5)
