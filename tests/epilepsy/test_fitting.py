"""Coincidence factor and model fitting.

* ``coincidence_factor`` worked by hand from Kistler et al. (1997) eq. 25 / Jolivet et al. (2008):
  a = [10, 50, 90], b = [12, 70, 91] ms, window 4 ms, T = 100 ms: N_coinc = 2, nu = 0.03/ms,
  <N_coinc> = 2 nu window N_a = 0.72, Gamma = (2 - 0.72) / 3 / (1 - 0.24) = 0.56140...
* 1 for identical trains; ~0 (within 0.1, mean over 20 seeds) for independent Poisson trains; with equal
  counts, Gamma(a, b) = Gamma(b, a).
* ``fit_model`` recovers an AdEx cell's own parameters (slow: ~20 s), and reduces the Wang-Buzsaki
  interneuron to an AdEx with Gamma >= 0.7 on a held-out current (Jolivet et al. 2008: good point models
  reach 0.7-0.9), in the epilepsy-ladder experiment's test.
"""

from __future__ import annotations

import numpy as np
import pytest

import neuroladder as nl
from neuroladder.analysis.fitting import coincidence_factor, fit_model, simulate_spikes


def test_worked_example():
    g = coincidence_factor([10.0, 50.0, 90.0], [12.0, 70.0, 91.0], window=4.0, duration=100.0)
    assert g == pytest.approx((2 - 0.72) / 3.0 / 0.76, rel=1e-12)


def test_identical_independent_symmetric():
    rng = np.random.default_rng(0)
    a = np.sort(rng.uniform(0, 10_000.0, 200))
    assert coincidence_factor(a, a, 4.0, 10_000.0) == pytest.approx(1.0)
    gammas = [coincidence_factor(np.sort(rng.uniform(0, 10_000.0, 200)), np.sort(rng.uniform(0, 10_000.0, 200)),
                                 4.0, 10_000.0) for _ in range(20)]
    assert abs(np.mean(gammas)) < 0.1
    b = np.sort(rng.uniform(0, 10_000.0, 200))
    assert coincidence_factor(a, b, 4.0, 10_000.0) == pytest.approx(coincidence_factor(b, a, 4.0, 10_000.0))
    with pytest.raises(nl.ParameterError):
        coincidence_factor([], [], 4.0, 100.0)
    with pytest.raises(nl.ParameterError, match="window"):
        coincidence_factor(a, b, 0.0, 100.0)


def test_fit_model_bad_input():
    with pytest.raises(nl.ParameterError, match="no parameter"):
        fit_model(nl.AdEx(), [np.array([1.0])], [np.ones(10)], {"tau_q": (0, 1)}, 100.0)
    with pytest.raises(nl.ParameterError, match="pair up"):
        fit_model(nl.AdEx(), [np.array([1.0])], [np.ones(10), np.ones(10)], {"c_m": (100, 300)}, 100.0)


@pytest.mark.slow
def test_fit_model_recovers_adex_parameters():
    true = nl.AdEx(c_m=200.0, g_l=10.0, e_l=-65.0, v_t=-52.0, delta_t=2.0, tau_w=100.0, a=0.0, b=40.0,
                   v_reset=-60.0, t_ref=2.0)
    dur, dt = 2000.0, 0.05
    ts = np.arange(0, dur, dt)
    cur = [nl.OUCurrent(350.0, 200.0, 3.0, seed=s).sample(ts, 1)[:, 0] for s in (1, 2)]
    target = [tr[0] for tr in simulate_spikes(true, cur, dur, dt)]
    fit = fit_model(true.replace(c_m=100.0, g_l=20.0, v_t=-45.0, b=0.0), target, cur,
                    {"c_m": (100.0, 400.0), "g_l": (2.0, 30.0), "v_t": (-60.0, -45.0), "b": (0.0, 120.0)},
                    dur, dt, popsize=15, maxiter=100, seed=1, window=0.5)
    # a 0.5 ms window makes the spike times constrain the parameters (at 4 ms, C and g_l trade off)
    assert fit.params["c_m"] == pytest.approx(200.0, rel=0.05)
    assert fit.params["g_l"] == pytest.approx(10.0, rel=0.05)
    assert fit.params["v_t"] == pytest.approx(-52.0, abs=0.5)
    assert fit.params["b"] == pytest.approx(40.0, rel=0.05)
