"""AdEx (Brette & Gerstner 2005): rheobase-free checks against closed forms."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.optimize import brentq

import neuroladder as nl


def test_subthreshold_steady_state():
    # At rest with I = 0 the fixed point solves (g_l + a)(v - e_l) = g_l delta_t exp((v - v_t) / delta_t)
    # with w = a (v - e_l) (Brette & Gerstner 2005, Table 1 values). The exponential term near e_l is
    # 30 * 2 * exp(-20.2 / 2) = 2.5e-3 pA, so v* = e_l + ~7.3e-5 mV; solved here by hand with brentq.
    g_l, e_l, v_t, delta_t, a = 30.0, -70.6, -50.4, 2.0, 4.0
    v_star = brentq(lambda v: (g_l + a) * (v - e_l) - g_l * delta_t * np.exp((v - v_t) / delta_t), e_l - 1, e_l + 1,
                    xtol=1e-14)
    assert v_star - e_l == pytest.approx(7.3e-5, rel=0.01)
    rest = nl.resting_state(nl.AdEx())
    assert rest[0] == pytest.approx(v_star, abs=1e-9)
    assert rest[1] == pytest.approx(a * (v_star - e_l), abs=1e-9)


def test_spike_triggered_adaptation_increment():
    # After each spike w jumps by b = 80.5 pA (the reset rule w <- w + b); the first reset happens
    # from w(t_1) > 0, so w right after the first spike exceeds b. We check the jump directly:
    # record w at a fine step and look at the discontinuity at the first spike.
    model = nl.AdEx()
    res = nl.simulate(model, 200.0, dt=0.01, current=800.0, record=("v", "w"))
    t1 = res.spike_times[0]
    k = int(np.searchsorted(res.t, t1))
    jump = res["w"][k] - res["w"][k - 1]
    # dw/dt is at most (a |v - e_l| + |w|) / tau_w < (4 * 71 + 200) / 144 ~ 3.4 pA/ms, i.e. < 0.034 pA per step
    assert jump == pytest.approx(80.5, abs=0.05)
