"""nl.TraubMiles against the Traub & Miles (1991) rate functions written out here by hand (as printed in
Brette et al. 2007, J. Comput. Neurosci. 23:349, benchmark 3), not the package's channel code."""

from __future__ import annotations

import numpy as np

import neuroladder as nl

VT = -63.0


def _rates(v):
    am = 0.32 * (13 - v + VT) / (np.exp((13 - v + VT) / 4) - 1)
    bm = 0.28 * (v - VT - 40) / (np.exp((v - VT - 40) / 5) - 1)
    ah = 0.128 * np.exp((17 - v + VT) / 18)
    bh = 4.0 / (1 + np.exp((40 - v + VT) / 5))
    an = 0.032 * (15 - v + VT) / (np.exp((15 - v + VT) / 5) - 1)
    bn = 0.5 * np.exp((10 - v + VT) / 40)
    return am, bm, ah, bh, an, bn


def _steady_current(v):
    """Total ionic current (uA/cm^2) at v with every gate at its steady state (benchmark 3 densities)."""
    am, bm, ah, bh, an, bn = _rates(v)
    m, h, n = am / (am + bm), ah / (ah + bh), an / (an + bn)
    return 100.0 * m ** 3 * h * (v - 50.0) + 30.0 * n ** 4 * (v + 90.0) + 0.05 * (v + 60.0)


def test_rate_functions_match_the_published_formulas():
    from neuroladder.channels import traub_miles as tm

    v = np.linspace(-90.0, 40.0, 131) + 0.123   # off the removable singularities
    for got, expected in zip(tm.gate_rates_reference(v, VT), _rates(v)):
        np.testing.assert_allclose(got, expected, rtol=1e-10)


def test_no_resting_state_so_it_fires_on_its_own():
    # with benchmark 3's densities (g_L 0.05, E_L -60, V_T -63 mV) the steady-state I-V of the published
    # rates is inward from -90 to -45 mV: no fixed point, so the isolated cell fires spontaneously
    v = np.arange(-90.0, -44.0, 0.5) + 0.123
    assert np.all(_steady_current(v) < 0)
    res = nl.simulate(nl.TraubMiles(gates_at_rest=True), 500.0, 0.01, current=0.0)
    assert len(res.spike_times) >= 3
    # spikes overshoot towards E_Na = 50 mV
    assert 20.0 < res["v"].max() < 50.0


def test_more_current_fires_faster():
    rates = [len(nl.simulate(nl.TraubMiles(gates_at_rest=True), 200.0, 0.01, current=i, record=()).spike_times)
             for i in (0.0, 2.0, 5.0)]
    assert rates[0] < rates[1] < rates[2]
