"""Conductance-based synapses: the current g (E - v) drives v towards E and never past it.

With membrane conductance g_L = c_m / tau_m and a synaptic conductance g, dv/dt = 0 at
    v_qss = (g_L e_l + g E) / (g_L + g)                      (a weighted mean of e_l and E),
which lies between e_l and E for every g >= 0; for g >> g_L, v relaxes to it with the time constant
c_m / (g_L + g) and v_qss -> E. Below rest, E < e_l, the synapse hyperpolarises; at E = v = e_l it
shunts without moving v.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy.integrate import solve_ivp

import neuroladder as nl

C_M, TAU_M, E_L = 250.0, 20.0, -70.0   # pF, ms, mV -> g_L = 12.5 nS
G_L = C_M / TAU_M


def _run(synapse, weights_times, duration, dt=0.1, v_th=50.0):
    net = nl.Network(dt=dt, seed=1)
    pop = net.add_population("P", nl.LIF(c_m=C_M, tau_m=TAU_M, e_l=E_L, v_th=v_th, v_reset=-80.0), 1)
    for i, (w, times) in enumerate(weights_times):
        gen = net.add_spike_generator(f"S{i}", list(times))
        net.connect(gen, pop, weight=w, delay=dt, synapse=synapse)
    net.record(pop, "v")
    out = net.run(duration)
    assert out.spikes["P"].times.size == 0
    t, v = out.state("P", "v")
    return t, v[:, 0]


@pytest.mark.parametrize("e_rev", [0.0, -80.0])
def test_huge_conductance_saturates_at_reversal(e_rev):
    # w = 1e5 nS (8000 g_L), tau_s = 1000 ms, arriving at 1.1 ms: v jumps to within ~0.01 mV of E in
    # ~5 c_m/g = 0.0125 ms and then follows v_qss(g(t)) with g(t) = w exp(-(t - 1.1)/tau_s)
    # (e.g. -0.00879 mV at t = 6 ms for E = 0). Required: never past E, and within 1e-4 mV of v_qss
    # from 0.5 ms after arrival (quasi-static lag ~ (c_m/g) dv_qss/dt ~ 1e-9 mV).
    w, tau_s, arrival = 1e5, 1000.0, 1.1
    t, v = _run(nl.ExpSynapse(tau_s, e_rev=e_rev), [(w, [1.0])], 10.0)
    side = np.sign(e_rev - E_L)      # +1: excitatory (v rises to E), -1: inhibitory
    assert np.all(side * (v - e_rev) <= 1e-9)       # never beyond E
    late = t >= arrival + 0.5
    g = w * np.exp(-(t[late] - arrival) / tau_s)
    v_qss = (G_L * E_L + g * e_rev) / (G_L + g)
    np.testing.assert_allclose(v[late], v_qss, atol=1e-4)
    assert abs(v[-1] - e_rev) < 0.02                  # |E - e_l| g_L / (g_L + g) = 70 / 8000 = 0.0088 mV


def test_train_of_excitatory_inputs_never_passes_reversal():
    # 200 spikes, one every 0.5 ms, 500 nS each through 5 ms: g builds up to ~ 500 * 10 = 5000 nS
    # (mean N r w tau), v_qss = (12.5 * -70 + 5000 * -10) / 5012.5 ~ -10.15 mV with E = -10 mV;
    # the threshold (50 mV) is never reached and v must stay below E at all times.
    e_rev = -10.0
    times = 0.5 * np.arange(1, 201)
    t, v = _run(nl.ExpSynapse(5.0, e_rev=e_rev), [(500.0, times)], 110.0)
    assert v.max() <= e_rev
    assert v.max() > e_rev - 0.5                      # it gets close: v_qss - E ~ -0.15 mV at the plateau


def test_inhibitory_reversal_below_rest_hyperpolarises():
    # E_inh = -80 mV < e_l = -70 mV: v falls below rest and stays above -80 mV; the trajectory matches
    # solve_ivp (rtol 1e-12) of dv/dt = -(v - e_l)/tau_m + w exp(-s/tau_s)(E - v)/c_m to the
    # exponential-Euler accuracy h^2/(12 tau_m tau_s) (test_network_psp.py) times a safety factor 5.
    dt, w, tau_s, e_rev, arrival = 0.1, 50.0, 10.0, -80.0, 1.1
    t, v = _run(nl.ExpSynapse(tau_s, e_rev=e_rev), [(w, [1.0])], 80.0, dt=dt)
    assert np.all(v >= e_rev)
    assert v.min() < E_L - 1.0                        # a hyperpolarisation of more than 1 mV
    after = t > arrival + 1e-9
    f = lambda s, y: [-(y[0] - E_L) / TAU_M + w * math.exp(-s / tau_s) * (e_rev - y[0]) / C_M]
    sol = solve_ivp(f, (0.0, t[after][-1] - arrival), [E_L], t_eval=t[after] - arrival, method="DOP853",
                    rtol=1e-12, atol=1e-12)
    depth = E_L - sol.y[0].min()
    assert np.abs(v[after] - sol.y[0]).max() / depth < 5 * dt ** 2 / (12 * TAU_M * tau_s)
    assert np.all(v[~after] == E_L)


def test_shunting_at_rest_moves_nothing():
    # E = e_l: the synaptic current g (E - v) vanishes at v = e_l, so v stays at rest for any g
    t, v = _run(nl.ExpSynapse(5.0, e_rev=E_L), [(1e4, [1.0, 2.0, 3.0])], 20.0)
    np.testing.assert_allclose(v, E_L, atol=1e-9)


def test_exponential_midpoint_in_a_network_is_second_order(loglog_slope):
    # a Traub-Miles cell (default method: exponential_midpoint) receiving conductance input in a network: the
    # method needs the synaptic conductance at the step's midpoint (the engine stages it as for RK4). Error of
    # v at 12 ms against RK4 at dt = 0.0025 ms; halving dt must divide it by ~4 (order 2), as for nl.simulate
    def v_end(dt, method):
        net = nl.Network(dt=dt, seed=1)
        pop = net.add_population("P", nl.TraubMiles(gates_at_rest=True, v_init=-65.0), 1, method=method,
                                 spike_threshold=-20.0)
        gen = net.add_spike_generator("S", [2.0, 5.0])
        # 0.01 nS per spike: an 8-mV depolarisation, no spike (a smooth trajectory for an order measurement)
        net.connect(gen, pop, weight=0.01, delay=1.0, synapse=nl.ExpSynapse(tau=5.0, e_rev=0.0))
        net.record(pop, "v")
        t, v = net.run(12.0).state("P", "v")
        return v[-1, 0]

    ref = v_end(0.0025, "rk4")
    dts = [0.05, 0.025, 0.0125]
    errors = [abs(v_end(dt, "auto") - ref) for dt in dts]
    assert min(errors) > 1e-6
    assert 1.7 < loglog_slope(dts, errors) < 2.3
