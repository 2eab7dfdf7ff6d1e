"""Dynamics tools on models whose vector field and stability are known in closed form."""

from __future__ import annotations

import numpy as np
import pytest

import neuroladder as nl
from neuroladder.analysis import classify, vector_field


def test_vector_field_of_lif():
    # tau_m dv/dt = e_l - v + R I (defaults: tau_m 10 ms, e_l -70 mV, R = tau_m / c_m = 0.04 GOhm)
    lif = nl.LIF()
    states = np.array([[-70.0], [-60.0], [-56.0]])
    expected = (-70.0 - states[:, 0] + 0.04 * 200.0) / 10.0
    np.testing.assert_allclose(vector_field(lif, states, current=200.0)[:, 0], expected, rtol=1e-14)


def test_vector_field_of_izhikevich():
    # dv/dt = 0.04 v^2 + 5 v + 140 - u + I ; du/dt = a (b v - u)
    model = nl.Izhikevich()
    v, u, i = -60.0, -10.0, 3.0
    expected = [0.04 * v * v + 5 * v + 140 - u + i, 0.02 * (0.2 * v - u)]
    np.testing.assert_allclose(vector_field(model, [v, u], current=i), expected, rtol=1e-14)


@pytest.mark.parametrize("eigenvalues, stable, kind", [
    ([-1.0, -2.0], True, "stable node"),
    ([-1.0 + 2j, -1.0 - 2j], True, "stable focus"),
    ([1.0, 2.0], False, "unstable node"),
    ([0.5 + 1j, 0.5 - 1j], False, "unstable focus"),
    ([-1.0, 2.0], False, "saddle"),
])
def test_classify(eigenvalues, stable, kind):
    assert classify(np.array(eigenvalues, dtype=complex)) == (stable, kind)


def test_hh_bifurcation_scan():
    # Rinzel & Miller (1980): rest is stable below the Hopf point at 9.78 uA/cm^2 and unstable above;
    # a step from rest gives repetitive firing above ~6.2 uA/cm^2 (so also at 9.5, in the bistable
    # range), at ~70 Hz at 12 uA/cm^2 (Dayan & Abbott Fig. 5.11). The APs overshoot 0 mV and the
    # trough lies below rest and above e_k = -77 mV.
    hh = nl.HodgkinHuxley()
    currents = np.array([0.0, 5.0, 9.5, 10.1, 12.0])
    scan = nl.analysis.bifurcation_scan(hh, currents, duration=300.0, dt=0.01, transient=150.0)
    np.testing.assert_array_equal(scan.rest_stable, currents < 9.78)
    assert scan.rates[0] == 0.0 and scan.rates[1] == 0.0
    assert np.all(scan.rates[2:] > 50.0)
    assert 60.0 < scan.rates[-1] < 85.0
    assert np.all(scan.cycle_max[2:] > 0.0)
    assert np.all((scan.cycle_min[2:] > -77.0) & (scan.cycle_min[2:] < -65.0))
    # below the Hopf point the rest potential depolarises with I (passive + K window): -65 at 0
    assert scan.rest_v[0] == pytest.approx(-65.0, abs=0.5)
