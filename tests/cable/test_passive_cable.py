"""The passive cable against cable theory (Rall 1959; Koch, Biophysics of Computation, ch. 2).

Sealed finite cable of length L, current I0 injected at x = 0:
    V(x) - E = I0 r_i lambda cosh((L - x)/lambda) / sinh(L/lambda),   R_in = r_i lambda coth(L/lambda),
with r_i = 4 Ra / (pi d^2) (ohm per cm) and lambda = sqrt(r_m d / (4 Ra)).
Units: um, ohm cm, uF/cm^2, mS/cm^2 (g_pas = 0.05 mS/cm^2 is r_m = 20000 ohm cm^2), nA, mV.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

import neuroladder as nl

L, D, RA, CM, G_PAS, E = 1000.0, 1.0, 100.0, 1.0, 0.05, -65.0
R_M = 1.0 / (G_PAS * 1e-3)                      # ohm cm^2
LAM_CM = math.sqrt(R_M * D * 1e-4 / (4 * RA))   # cm
R_I = 4 * RA / (math.pi * (D * 1e-4) ** 2)      # ohm / cm


def analytic(x_um, i0_na):
    x = x_um * 1e-4
    return E + i0_na * 1e-9 * R_I * LAM_CM * np.cosh((L * 1e-4 - x) / LAM_CM) / np.sinh(L * 1e-4 / LAM_CM) * 1e3


def cable(nseg):
    return nl.Cell.cable(L, D, cm=CM, ra=RA, g_pas=G_PAS, e_pas=E, nseg=nseg)


def test_steady_state_matches_cosh_solution():
    cell = cable(501)
    v = cell.steady_state({(0, 0.0): 0.1})
    x = cell.positions(0)
    expected = analytic(x, 0.1)
    dv, de = v - E, expected - E
    assert np.max(np.abs(dv - de)) / np.max(de) < 0.005  # the 0.5 %


def test_input_resistance_is_r_inf_coth():
    cell = cable(501)
    v0 = cell.steady_state({(0, 0.0): 0.1})[0]
    r_in = (v0 - E) * 1e-3 / 0.1e-9                            # ohm
    expected = R_I * LAM_CM / math.tanh(L * 1e-4 / LAM_CM)     # ohm
    assert r_in == pytest.approx(expected, rel=0.005)


def test_decay_length_of_a_long_cable_is_lambda():
    # a cable 10 lambda long behaves as semi-infinite: V ~ exp(-x/lambda); fit the log slope
    long_l = 10 * LAM_CM * 1e4
    cell = nl.Cell.cable(long_l, D, cm=CM, ra=RA, g_pas=G_PAS, e_pas=E, nseg=2001)
    v = cell.steady_state({(0, 0.0): 0.1}) - E
    x = cell.positions(0)
    window = (x > 0.5 * LAM_CM * 1e4) & (x < 4 * LAM_CM * 1e4)
    slope = np.polyfit(x[window], np.log(v[window]), 1)[0]
    assert -1.0 / slope == pytest.approx(LAM_CM * 1e4, rel=0.01)


def test_membrane_time_constant_from_a_step_is_rm_cm():
    # after a current step ends, the slowest mode of a sealed cable decays with tau = r_m c_m
    tau = R_M * CM * 1e-6 * 1e3   # ohm cm^2 * uF/cm^2 = 1e-6 s -> ms: 20 ms
    cell = cable(51)
    cell.add_clamp(0, 0.0, nl.Step(0.1, start=0.0, stop=50.0))
    res = nl.simulate(cell, duration=200.0, dt=0.025, record=[(0, 1.0)])
    t, v = res.t, res["v"] - E  # one recorded site: a 1-D trace
    late = (t > 120.0) & (t < 190.0)
    slope = np.polyfit(t[late], np.log(v[late]), 1)[0]
    assert -1.0 / slope == pytest.approx(tau, rel=0.01)


def _error_at(cell_nseg, dt, method, t_end=2.0):
    cell = cable(cell_nseg)
    cell.add_clamp(0, 0.0, 0.5)
    res = nl.simulate(cell, duration=t_end, dt=dt, method=method, record=[(0, 0.0)])
    return res["v"][-1]


@pytest.mark.parametrize("method, order", [("crank_nicolson", 2.0), ("backward_euler", 1.0)])
def test_order_in_time(method, order):
    # errors against a fine-dt reference of the same spatial grid; slope of log error vs log dt
    ref = _error_at(21, 0.0005, "crank_nicolson")
    dts = np.array([0.1, 0.05, 0.025, 0.0125])
    errs = np.array([abs(_error_at(21, dt, method) - ref) for dt in dts])
    slope = np.polyfit(np.log(dts), np.log(errs), 1)[0]
    assert slope == pytest.approx(order, abs=0.2)


def test_spatial_error_is_second_order():
    # steady-state error against the analytic solution at the injection site, nseg doubling
    ns = np.array([11, 21, 41, 81, 161])
    errs = []
    for k in ns:
        cell = cable(int(k))
        v = cell.steady_state({(0, 0.0): 0.1})
        x = cell.positions(0)
        errs.append(np.max(np.abs(v - analytic(x, 0.1))))
    slope = np.polyfit(np.log(L / ns), np.log(errs), 1)[0]
    assert slope == pytest.approx(2.0, abs=0.2)
