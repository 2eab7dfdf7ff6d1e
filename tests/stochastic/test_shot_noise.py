"""Shot noise against Campbell's theorem (Campbell 1909; Rice 1944): for Poisson events of rate r
(1/ms), each adding c w with c ~ Binomial(N, p), filtered by e^{-t/tau}:
    mean = r N p w tau,   variance = r E[c^2] w^2 tau / 2,   E[c^2] = N p (1 - p) + (N p)^2.
Both grow linearly with r: signal-dependent noise. Ensembles of 20,000 independent units after
10 tau (stationary); tolerances 3 standard errors: SE(mean) = sd/sqrt(n) and
SE(var) = sqrt((kappa_4 + 2 var^2)/n), with the fourth cumulant from Campbell's theorem,
kappa_k = r E[c^k] w^k tau / k (the current is far from Gaussian when r tau ~ 1)."""

from __future__ import annotations

import math

import numpy as np
import pytest

import neuroladder as nl

N = 20_000


def _binomial_moment(n_sites, p, k):
    c = np.arange(n_sites + 1)
    pmf = np.array([math.comb(n_sites, int(j)) * p ** j * (1 - p) ** (n_sites - j) for j in c])
    return float(np.sum(pmf * c ** k))


def _sample(rate, p=0.5, n_sites=4, w=2.0, tau=5.0, seed=1):
    stim = nl.ShotNoiseCurrent(rate, w, tau, release_probability=p, n_sites=n_sites, seed=seed)
    x = stim.sample(np.arange(0.0, 60.0, 0.1), N)[-1]
    r = rate * 1e-3
    mean = r * _binomial_moment(n_sites, p, 1) * w * tau
    var = r * _binomial_moment(n_sites, p, 2) * w ** 2 * tau / 2
    kappa4 = r * _binomial_moment(n_sites, p, 4) * w ** 4 * tau / 4
    return x, mean, var, kappa4


@pytest.mark.parametrize("rate", [200.0, 2000.0])
def test_campbell_mean_and_variance(rate):
    x, mean, var, kappa4 = _sample(rate)
    assert abs(x.mean() - mean) < 3 * math.sqrt(var / N)
    assert abs(x.var() - var) < 3 * math.sqrt((kappa4 + 2 * var ** 2) / N)


def test_variance_is_proportional_to_rate():
    low = _sample(500.0, seed=2)[0]
    high = _sample(2000.0, seed=3)[0]
    assert high.var() / low.var() == pytest.approx(4.0, rel=0.05)


def test_moments_and_diffusion_approximation_match():
    stim = nl.ShotNoiseCurrent(1000.0, 2.0, 5.0, release_probability=0.3, n_sites=5, seed=1)
    mean, var = stim.moments()
    ou = stim.diffusion_approximation()
    assert (ou.mean, ou.sigma ** 2, ou.tau) == pytest.approx((mean, var, 5.0))


def test_bad_release_probability():
    with pytest.raises(nl.ParameterError, match="release_probability"):
        nl.ShotNoiseCurrent(100.0, 1.0, release_probability=1.5)
