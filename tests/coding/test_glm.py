"""Poisson GLM: a neuron simulated from known stimulus and history filters is fitted back.

Tolerance: the maximum-likelihood estimate is asymptotically normal with covariance the inverse
Fisher information (the Hessian of the negative log-likelihood; Paninski 2004), so every fitted
coefficient lies within 4 of its standard errors of the truth (40 coefficients: a 4-s.e.
excursion anywhere has probability ~0.3 %).
"""

from __future__ import annotations

import numpy as np
import pytest

from neuroladder import analysis
from neuroladder.core.rng import make_rng

T = 200_000    # 200 s of 1-ms bins, about 6000 spikes
LAG = np.arange(20.0)
K_TRUE = 0.8 * ((LAG / 3) * np.exp(1 - LAG / 3) - 0.6 * (LAG / 6) * np.exp(1 - LAG / 6))   # biphasic
H_LAG = np.arange(1.0, 21.0)
H_TRUE = -4.0 * np.exp(-H_LAG / 2.0) + 0.5 * np.exp(-((H_LAG - 8.0) / 3.0) ** 2)          # refractory, then rebound
BIAS = np.log(20.0)                                                                       # 20 Hz baseline


@pytest.fixture(scope="module")
def glm_data():
    s = make_rng(1).standard_normal(T)
    n = analysis.PoissonGLM(K_TRUE, H_TRUE, BIAS, dt=1.0).simulate(s, seed=2)
    return s, n


@pytest.mark.slow
def test_glm_recovers_stimulus_and_history_filters(glm_data):
    s, n = glm_data
    fit = analysis.fit_poisson_glm(s, n, 20, 20)
    assert fit.converged
    assert np.all(np.abs(fit.stim_filter - K_TRUE) < 4 * fit.stim_filter_se)
    assert np.all(np.abs(fit.hist_filter - H_TRUE) < 4 * fit.hist_filter_se)
    assert abs(fit.bias - BIAS) < 4 * fit.bias_se
    assert np.corrcoef(fit.stim_filter, K_TRUE)[0, 1] > 0.95
    assert np.corrcoef(fit.hist_filter, H_TRUE)[0, 1] > 0.95
    # the refractory dip is there: true h[0] = -4 e^-0.5 + 0.5 e^-49/9 = -2.43 (from H_TRUE above)
    assert fit.hist_filter[0] < -1.0


def test_raised_cosine_basis_fits_smooth_filters(glm_data):
    s, n = glm_data
    fit = analysis.fit_poisson_glm(s, n, 20, 20, basis="raised_cosine")
    # 7 + 7 smooth bumps instead of 40 free lags: the smooth truth is still captured
    assert np.corrcoef(fit.stim_filter, K_TRUE)[0, 1] > 0.99
    assert np.corrcoef(fit.hist_filter, H_TRUE)[0, 1] > 0.95
    B = analysis.raised_cosine_basis(30, 8)
    assert B.shape == (30, 8)
    assert np.all(np.diff(np.argmax(B, axis=0)) >= 0)       # bumps in order, log-spaced: late ones broad
    assert np.all((B >= 0) & (B <= 1))


def test_l2_shrinks_the_filters(glm_data):
    s, n = glm_data
    free = analysis.fit_poisson_glm(s[:50_000], n[:50_000], 20, 5)
    ridge = analysis.fit_poisson_glm(s[:50_000], n[:50_000], 20, 5, l2=1e5)
    assert np.linalg.norm(ridge.stim_filter) < 0.2 * np.linalg.norm(free.stim_filter)


@pytest.mark.slow
def test_log_likelihood_beats_the_model_without_history(glm_data):
    s, n = glm_data
    with_h = analysis.fit_poisson_glm(s, n, 20, 20)
    without = analysis.fit_poisson_glm(s, n, 20, 0)
    assert without.hist_filter.size == 0
    # nested models: the history terms are real, so the likelihood-ratio statistic is far above
    # chi^2_20's 99.9 % point (45.3, tables)
    assert 2 * (with_h.log_likelihood - without.log_likelihood) > 45.3


def test_simulation_is_seeded_and_respects_refractoriness():
    s = make_rng(0).standard_normal(20_000)
    glm = analysis.PoissonGLM(K_TRUE, H_TRUE, BIAS)
    a, b = glm.simulate(s, seed=5), glm.simulate(s, seed=5)
    assert np.array_equal(a, b)
    assert not np.array_equal(a, glm.simulate(s, seed=6))
    # a strong refractory filter (e^-20 after a spike) forbids spikes in adjacent bins
    hard = analysis.PoissonGLM(K_TRUE, [-20.0, -20.0], np.log(200.0)).simulate(s, seed=1)
    hit = np.flatnonzero(hard)
    assert hit.size > 100 and np.all(np.diff(hit) > 2)
