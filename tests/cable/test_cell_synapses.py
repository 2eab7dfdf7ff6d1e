"""Synapses on a cell, on an isopotential compartment where the answer is known.

One compartment of 100 um^2 (1e-6 cm^2) with cm = 1 uF/cm^2 and g_pas = 0.05 mS/cm^2:
C = 1e-3 nF, g_L = 5e-5 uS, tau_m = C/g_L = 20 ms.
* current-based exponential synapse (w nA, tau_s): v - E = (w/C) tau_m tau_s/(tau_m - tau_s)
  (e^{-t/tau_m} - e^{-t/tau_s}) (the LIF PSP formula);
* conductance-based: C dv/dt = -g_L (v - E) + g(t) (E_syn - v), integrated by scipy's solve_ivp at
  rtol 1e-11 as an independent reference.
Crank-Nicolson at dt = 0.005 ms: second-order error ~1e-6 relative; asserted at 1e-4.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy.integrate import solve_ivp

import neuroladder as nl

SIDE = math.sqrt(100.0 / math.pi)
C, G_L, E = 1e-3, 5e-5, -65.0


def one_compartment():
    return nl.Cell.cable(SIDE, SIDE, cm=1.0, g_pas=0.05, e_pas=E, nseg=1)


def test_current_synapse_psp_matches_closed_form():
    cell = one_compartment()
    w, tau_s, t0 = 0.002, 2.0, 5.0
    cell.add_synapse(0, 0.5, [t0], w, nl.ExpSynapse(tau_s))
    res = nl.simulate(cell, 60.0, 0.005, method="crank_nicolson")
    s = np.clip(res.t - t0, 0.0, None)
    tau_m = C / G_L
    expected = (w / C) * tau_m * tau_s / (tau_m - tau_s) * (np.exp(-s / tau_m) - np.exp(-s / tau_s))
    err = np.max(np.abs((res["v"] - E) - expected)) / expected.max()
    assert err < 1e-4


@pytest.mark.parametrize("kind", ["exp", "alpha"])
def test_conductance_synapse_matches_solve_ivp(kind):
    cell = one_compartment()
    w, tau_s, e_syn, t0 = 5e-5, 1.5, 0.0, 5.0
    syn = nl.ExpSynapse(tau_s, e_rev=e_syn) if kind == "exp" else nl.AlphaSynapse(tau_s, e_rev=e_syn)
    cell.add_synapse(0, 0.5, [t0], w, syn)
    res = nl.simulate(cell, 40.0, 0.005, method="crank_nicolson")

    def g(t):
        s = t - t0
        if s < 0:
            return 0.0
        return w * (math.exp(-s / tau_s) if kind == "exp" else s / tau_s * math.exp(1.0 - s / tau_s))

    ref = solve_ivp(lambda t, v: [(-G_L * (v[0] - E) + g(t) * (e_syn - v[0])) / C], (0.0, 40.0), [E],
                    t_eval=res.t, rtol=1e-11, atol=1e-12, max_step=0.01).y[0]
    err = np.max(np.abs(res["v"] - ref)) / np.max(ref - E)
    assert err < 1e-4


def test_conductance_synapse_never_passes_its_reversal():
    cell = one_compartment()
    cell.add_synapse(0, 0.5, [5.0, 5.5, 6.0], 1.0, nl.ExpSynapse(2.0, e_rev=-20.0))  # huge: 2e4 g_L
    res = nl.simulate(cell, 30.0, 0.025)
    assert res["v"].max() <= -20.0 + 1e-9
    assert res["v"].max() > -21.0   # and it gets there (g >> g_L)
