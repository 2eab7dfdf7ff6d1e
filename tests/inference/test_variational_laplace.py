"""Variational Laplace against the exact Bayesian answer for a linear-Gaussian model.

For y = X theta + e with e ~ N(0, 1/pi I) and theta ~ N(m, C) the posterior is Gaussian with
Sigma = (pi X'X + C^-1)^-1, mu = Sigma (pi X'y + C^-1 m), and the log evidence is
log N(y; X m, X C X' + I/pi) (Bishop 2006, eqs. 3.49-3.54 and 3.86). With the noise precision pinned by a
very tight hyperprior, variational Laplace must reproduce all three.
"""

from __future__ import annotations

import numpy as np
import pytest
from scipy.stats import multivariate_normal

from neuroladder import ParameterError
from neuroladder.inference import variational_laplace


def _problem(seed=0, n=60, p=3, noise_sd=0.5):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n, p))
    theta = np.array([0.8, -0.4, 0.3])[:p]
    y = x @ theta + rng.normal(0, noise_sd, n)
    return x, y, noise_sd


def test_linear_gaussian_posterior_and_evidence_are_exact():
    x, y, sd = _problem()
    m, c = np.zeros(3), 0.5 * np.eye(3)
    pi = 1 / sd ** 2
    post = variational_laplace(lambda th: x @ th, y, m, c, hyper_prior=(np.log(pi), 1e-10), step=1e-6)
    sigma = np.linalg.inv(pi * x.T @ x + np.linalg.inv(c))
    mu = sigma @ (pi * x.T @ y + np.linalg.solve(c, m))
    np.testing.assert_allclose(post.mean, mu, rtol=1e-5, atol=1e-7)
    np.testing.assert_allclose(post.cov, sigma, rtol=1e-5)
    log_evidence = multivariate_normal(x @ m, x @ c @ x.T + np.eye(len(y)) / pi).logpdf(y)
    assert post.free_energy == pytest.approx(log_evidence, abs=1e-3)
    assert post.converged


def test_noise_precision_is_estimated():
    x, y, sd = _problem(seed=1, n=2000)
    post = variational_laplace(lambda th: x @ th, y, np.zeros(3), np.eye(3))
    # with 2000 residuals the sample SD is within a few percent of the true SD (its standard error is sd / sqrt(2n))
    assert post.noise_sd == pytest.approx(sd, rel=0.05)


def test_nonlinear_model_converges_to_the_map():
    # y = a exp(-t / b): Gauss-Newton with Levenberg-Marquardt damping must find the least-squares optimum
    # that scipy's independent trust-region solver finds when the prior is negligible
    from scipy.optimize import least_squares

    t = np.linspace(0, 5, 80)
    rng = np.random.default_rng(3)
    y = 2.0 * np.exp(-t / 1.3) + rng.normal(0, 0.05, t.size)
    model = lambda th: np.exp(th[0]) * np.exp(-t / np.exp(th[1]))
    post = variational_laplace(model, y, np.zeros(2), 1e6 * np.eye(2))
    ref = least_squares(lambda th: model(th) - y, x0=np.zeros(2), xtol=1e-12, ftol=1e-12)
    np.testing.assert_allclose(post.mean, ref.x, atol=1e-4)


def test_bad_inputs():
    x, y, _ = _problem()
    with pytest.raises(ParameterError, match="prior_cov"):
        variational_laplace(lambda th: x @ th, y, np.zeros(3), np.eye(2))
    with pytest.raises(ParameterError, match="NaN"):
        variational_laplace(lambda th: x @ th, np.r_[y[:-1], np.nan], np.zeros(3), np.eye(3))
    with pytest.raises(ParameterError, match="data points"):
        variational_laplace(lambda th: (x @ th)[:-1], y, np.zeros(3), np.eye(3))
