"""Channel noise against the statistics of independent two-state-like channels.

At a clamped voltage each channel is in its open state with the HH steady-state probability
p = m_inf^3 h_inf (Na) or n_inf^4 (K) (the Markov schemes' stationary distribution is the product
of binomials; Hille, ch. 18), independently of the others, so the open fraction of N channels has
mean p and variance p (1 - p) / N. Samples: one time point per patch, after 20 ms of relaxation,
over many independent patches (independent samples); tolerance 3 standard errors (mean) and a
fitted exponent -1 +/- 0.1 (variance vs N), as the issue asks.
"""

from __future__ import annotations

import numpy as np
import pytest

from neuroladder.channels import hh
from neuroladder.stochastic import channel_counts, simulate_channel_noise

V = -55.0
M_INF, H_INF, N_INF = hh.steady_state(V)
P_K = N_INF ** 4
P_NA = M_INF ** 3 * H_INF


def open_fractions(area, n, method="markov", seed=1):
    res = simulate_channel_noise(area, 20.0, 0.01, n=n, method=method, seed=seed, v_clamp=V)
    return res["open_na"][-1], res["open_k"][-1]


def test_mean_open_fraction_matches_hh_steady_state():
    area, n = 20.0, 400
    n_na, n_k = channel_counts(area)
    f_na, f_k = open_fractions(area, n)
    assert abs(f_k.mean() - P_K) < 3 * np.sqrt(P_K * (1 - P_K) / n_k / n)
    assert abs(f_na.mean() - P_NA) < 3 * np.sqrt(P_NA * (1 - P_NA) / n_na / n)


def test_open_fraction_variance_scales_as_one_over_n():
    areas = np.array([5.0, 20.0, 80.0, 320.0])
    counts = np.array([channel_counts(a)[1] for a in areas])
    variances = [open_fractions(a, 300, seed=int(a))[1].var() for a in areas]
    slope = np.polyfit(np.log(counts), np.log(variances), 1)[0]
    assert slope == pytest.approx(-1.0, abs=0.1)
    # and the value itself: p (1 - p) / N within 25 % (300 samples: relative SE of a variance ~ 8 %)
    assert variances[1] == pytest.approx(P_K * (1 - P_K) / counts[1], rel=0.25)


def test_markov_and_langevin_agree_at_large_area():
    # 2000 um^2 (120,000 Na channels): both close to deterministic HH, which fires repetitively
    # at 10 uA/cm^2 at ~68 Hz (tests/neurons); rates within 5 %
    rates = {}
    for method in ("markov", "langevin"):
        res = simulate_channel_noise(2000.0, 200.0, 0.01, current=10.0, n=4, method=method, seed=2)
        rates[method] = res.spike_counts.mean() / 0.2
    assert rates["markov"] == pytest.approx(rates["langevin"], rel=0.05)
    assert rates["markov"] == pytest.approx(70.0, rel=0.1)   # 14 spikes in 200 ms, as deterministic HH


def test_same_seed_same_result():
    a = simulate_channel_noise(10.0, 20.0, 0.01, n=3, seed=5)
    b = simulate_channel_noise(10.0, 20.0, 0.01, n=3, seed=5)
    np.testing.assert_array_equal(a["v"], b["v"])


@pytest.mark.parametrize("method", ["markov", "langevin"])
def test_no_conductance_integrates_the_current_exactly(method):
    # g_na = g_k = g_l = 0: the membrane equation is c_m dv/dt = I, so v(t) = v0 + I t / c_m exactly
    # (analytic). Its exponential-Euler factor (exp(b dt) - 1) / b is 0/0 at b = 0 and must take its limit dt.
    from neuroladder.neurons import HodgkinHuxley

    model = HodgkinHuxley(g_na=0.0, g_k=0.0, g_l=0.0, c_m=2.0)
    res = simulate_channel_noise(10.0, 5.0, 0.01, current=3.0, n=2, method=method, seed=3, model=model)
    expected = model.v_init + 3.0 * res.t / 2.0
    np.testing.assert_allclose(res["v"], np.column_stack([expected, expected]), rtol=0, atol=1e-10)
