"""Branching-ratio estimators under subsampling (Wilting & Priesemann 2018, Nat Commun 9:2325).

Theory: for activity A_t of a branching process with immigration and binomial
subsampling a_t ~ Binomial(A_t, alpha),
* r_k = slope of a_{t+k} on a_t = b m^k with b = alpha^2 Var(A) / Var(a): the MR estimate
  of m is unbiased at any alpha;
* the conventional slope r_1 = m alpha Var(A) / (alpha Var(A) + (1 - alpha) E[A]) -> 0 as alpha -> 0.
"""

import numpy as np
import pytest

from neuroladder import ParameterError
from neuroladder.analysis import branching_ratio, subsample
from neuroladder.circuits import network_branching

M = 0.98


# the fixture takes ~15 s (a 200,000-step network run): its tests are marked slow
@pytest.fixture(scope="module")
def activity():
    # N = 10^5 units, mean activity N h / (1 - m) = 100 << N, so collisions change m by ~0.1 %
    return network_branching(100_000, 10, M, 100 * (1 - M) / 100_000, 150_000, seed=21)


@pytest.mark.slow
def test_mr_recovers_m_at_one_percent_where_conventional_fails(activity):
    obs = subsample(activity, 0.01, seed=1)
    mr = branching_ratio(obs, "mr", k_max=150, n_boot=50, seed=2)
    conv = branching_ratio(obs, "conventional", n_boot=0)
    assert mr.m == pytest.approx(M, abs=0.01)            # W&P 2018: MR invariant to subsampling
    assert M - conv.m > 0.1                              # conventional biased towards 0
    # ... by the amount theory predicts from the full activity's moments
    alpha, var, mean = 0.01, activity.var(), activity.mean()
    predicted = M * alpha * var / (alpha * var + (1 - alpha) * mean)
    assert conv.m == pytest.approx(predicted, abs=0.05)
    assert mr.ci[0] < mr.m < mr.ci[1] and mr.ci_method == "block bootstrap"
    assert mr.tau == pytest.approx(-1 / np.log(M), rel=0.5)   # tau = -1 / ln m ~ 49.5 steps


@pytest.mark.slow
def test_full_sampling_both_agree(activity):
    mr = branching_ratio(activity, "mr", k_max=150, n_boot=0)
    conv = branching_ratio(activity, "conventional", n_boot=0)
    assert mr.m == pytest.approx(M, abs=0.01) and conv.m == pytest.approx(M, abs=0.01)
    assert mr.ci_method == "fit covariance"
    # r_k curve: b = 1 without subsampling (r_1 = m)
    assert mr.b == pytest.approx(1.0, abs=0.05)
    np.testing.assert_allclose(mr.r_k_fit([0]), [mr.b])


def test_ar1_exact_slopes():
    # an AR(1) process x_{t+1} = 0.9 x_t + noise has r_k = 0.9^k exactly (Gaussian, no subsampling)
    rng = np.random.default_rng(3)
    x = np.empty(200_000)
    x[0] = 0.0
    e = rng.standard_normal(x.size)
    for t in range(1, x.size):
        x[t] = 0.9 * x[t - 1] + e[t]
    res = branching_ratio(x + 50.0, "mr", k_max=30, n_boot=0)
    assert res.m == pytest.approx(0.9, abs=0.005)


def test_subsample_thins_binomially():
    c = np.full(100_000, 50)
    s = subsample(c, 0.1, seed=1)
    assert s.mean() == pytest.approx(5.0, rel=0.01)      # alpha E[A]
    assert s.var() == pytest.approx(50 * 0.1 * 0.9, rel=0.03)   # binomial variance n p (1 - p)


@pytest.mark.slow
def test_same_seed_same_result(activity):
    a = branching_ratio(activity[:20_000], "mr", k_max=50, n_boot=20, seed=4)
    b = branching_ratio(activity[:20_000], "mr", k_max=50, n_boot=20, seed=4)
    c = branching_ratio(activity[:20_000], "mr", k_max=50, n_boot=20, seed=5)
    assert a.ci == b.ci and a.ci != c.ci
    assert np.array_equal(subsample(activity[:100], 0.5, seed=1), subsample(activity[:100], 0.5, seed=1))


@pytest.mark.parametrize("kwargs, name", [
    (dict(activity=[1.0, 2.0]), "activity"),
    (dict(activity=[1.0, np.nan, 2.0, 3.0]), "activity"),
    (dict(activity=[1.0, -2.0, 2.0, 3.0]), "activity"),
    (dict(activity=np.arange(100.0), method="fancy"), "method"),
    (dict(activity=np.arange(100.0), k_max=0), "k_max"),
    (dict(activity=np.ones(100), k_max=5), "constant"),
])
def test_bad_input(kwargs, name):
    with pytest.raises(ParameterError, match=name):
        branching_ratio(**kwargs)
    with pytest.raises(ParameterError, match="fraction"):
        subsample([1, 2, 3], 1.5)
