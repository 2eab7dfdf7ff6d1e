"""Power-law fitting (Clauset, Shalizi & Newman 2009) on data whose law is known.

Data are generated here, independently of the code under test: continuous power laws
with scipy.stats.pareto, discrete ones by exact inverse-CDF sampling with the Hurwitz
zeta function (P(X >= k) = zeta(alpha, k) / zeta(alpha, xmin)). Each data set has a
non-power-law body below xmin (uniform), so xmin is meaningful.
"""

import numpy as np
import pytest
from scipy import special, stats

from neuroladder import ParameterError
from neuroladder.analysis import fit_power_law, sample_power_law

ALPHA = 2.5
SEEDS = range(10)


def discrete_power_law(alpha, xmin, n, rng, kmax=10 ** 6):
    """Exact inverse-CDF sampling of p(k) = k^-alpha / zeta(alpha, xmin), k >= xmin (k <= kmax)."""
    k = np.arange(xmin, kmax + 1, dtype=float)
    ccdf = special.zeta(alpha, k) / special.zeta(alpha, xmin)       # P(X >= k), decreasing
    u = rng.random(n)
    return k[np.searchsorted(-ccdf, -u, side="right") - 1]           # largest k with P(X >= k) >= u


def discrete_data(seed, xmin=10, n_tail=30_000):
    rng = np.random.default_rng(seed)
    body = rng.integers(1, xmin, n_tail // 3)
    return np.concatenate([body, discrete_power_law(ALPHA, xmin, n_tail, rng)])


def continuous_data(seed, xmin=5.0, n_tail=30_000):
    rng = np.random.default_rng(seed)
    body = rng.uniform(1.0, xmin, n_tail // 3)
    # scipy's pareto(b) has pdf b x^-(b+1) for x >= scale: alpha = b + 1
    return np.concatenate([body, stats.pareto(b=ALPHA - 1, scale=xmin).rvs(n_tail, random_state=rng)])


@pytest.fixture(scope="module")
def discrete_fits():
    return [fit_power_law(discrete_data(s), discrete=True) for s in SEEDS]


@pytest.fixture(scope="module")
def continuous_fits():
    return [fit_power_law(continuous_data(s), discrete=False) for s in SEEDS]


def test_discrete_alpha_within_two_percent(discrete_fits):
    for fit in discrete_fits:
        assert fit.alpha == pytest.approx(ALPHA, rel=0.02)       # the generating exponent


def test_continuous_alpha_within_two_percent(continuous_fits):
    for fit in continuous_fits:
        assert fit.alpha == pytest.approx(ALPHA, rel=0.02)


def test_discrete_xmin_recovered(discrete_fits):
    xmins = np.array([f.xmin for f in discrete_fits])
    # KS minimisation never lets the body in (xmin_hat >= 10) ...
    assert np.all(xmins >= 10)
    # ... but, since every xmin' >= xmin is also a power law, it overshoots at times (CSN
    # §3.3, Fig. 4): measured over 60 seeds 57 % exact, 95 % within a factor 2
    assert np.mean(xmins <= 20) >= 0.9
    assert np.mean(xmins == 10) >= 0.4


def test_continuous_xmin_recovered(continuous_fits):
    xmins = np.array([f.xmin for f in continuous_fits])
    assert np.all(xmins >= 0.98 * 5.0)            # at most a body point just below 5
    assert np.mean(xmins <= 10.0) >= 0.9          # within a factor 2 (measured 97 % of 60 seeds)
    # continuous xmin is a data point: exact recovery is impossible, and the overshoot of
    # KS minimisation is wider than for discrete data (measured: 42 % of 60 seeds within 5 %)


GOF_SEEDS = range(30)


@pytest.mark.slow
def test_discrete_xmin_recovered_exactly_by_gof_method():
    # "gof" (Deluca & Corral 2013) takes the smallest xmin whose power law passes a KS test
    # at level 0.05. Below xmin = 10 the uniform body is rejected outright, at xmin = 10 the
    # null holds, so the exact xmin comes back with probability 1 - level = 0.95 (binomial
    # SD over 30 seeds 0.04). Measured: 100 % of these 30 seeds, 97 % of 100.
    xmins = np.array([fit_power_law(discrete_data(s), xmin_method="gof", seed=s).xmin for s in GOF_SEEDS])
    assert np.mean(xmins == 10) >= 0.9


@pytest.mark.slow
def test_continuous_xmin_recovered_by_gof_method():
    # continuous candidates are data values (3000 of them, ~0.3 % apart near 5), so
    # "recovered" = within 1 % of 5. Expected 1 - level = 0.95; measured 96 % of 100 seeds
    # (with the default 300 candidates, ~3 % apart, 92 % of 100 are within 2 %).
    xmins = np.array([fit_power_law(continuous_data(s), discrete=False, xmin_method="gof", seed=s,
                                    max_candidates=3000).xmin for s in GOF_SEEDS])
    assert np.mean(np.abs(xmins / 5.0 - 1.0) < 0.01) >= 0.9


def test_gof_method_is_reproducible_and_validates_its_arguments():
    d = discrete_data(3)
    a = fit_power_law(d, xmin_method="gof", seed=7)
    b = fit_power_law(d, xmin_method="gof", seed=7)
    assert (a.xmin, a.alpha, a.ks) == (b.xmin, b.alpha, b.ks)
    for kwargs, name in (({"xmin_method": "mle"}, "xmin_method"), ({"level": 1.5}, "level"),
                         ({"n_sims": 0}, "n_sims")):
        with pytest.raises(ParameterError, match=name):
            fit_power_law(d, **kwargs)


def test_known_xmin_gives_closed_form_and_eq_3_7():
    x = continuous_data(0)
    fit = fit_power_law(x, discrete=False, xmin=5.0)
    tail = x[x >= 5.0]
    assert fit.alpha == pytest.approx(1 + tail.size / np.sum(np.log(tail / 5.0)), rel=1e-12)   # CSN eq. 3.1
    d = discrete_data(0)
    dfit = fit_power_law(d, xmin=10)
    dtail = d[d >= 10]
    # CSN eq. 3.7: alpha ~ 1 + n / sum(ln(x / (xmin - 1/2))), good to ~1 % for xmin >= 6
    assert dfit.alpha == pytest.approx(1 + dtail.size / np.sum(np.log(dtail / 9.5)), rel=0.01)
    assert dfit.alpha_error == pytest.approx((dfit.alpha - 1) / np.sqrt(dtail.size))    # CSN eq. 3.2


def test_sampler_matches_the_zeta_pmf():
    x = sample_power_law(2.5, 3, 200_000, discrete=True, seed=1)
    k = np.arange(3, 8)
    expected = k ** -2.5 / special.zeta(2.5, 3)
    observed = np.array([np.mean(x == v) for v in k])
    # binomial sampling error: 4 standard deviations
    assert np.all(np.abs(observed - expected) < 4 * np.sqrt(expected * (1 - expected) / 200_000))


def test_power_law_data_pass_the_bootstrap():
    fit = fit_power_law(continuous_data(1, n_tail=10_000), discrete=False)
    # true power law: p is uniform on (0, 1); CSN reject at p <= 0.1
    assert fit.p_value(n_boot=40, seed=1) > 0.1


def lognormal_data(seed, n=10_000, mu=1.0, sigma=1.0):
    return stats.lognorm(s=sigma, scale=np.exp(mu)).rvs(n, random_state=seed)


def test_lognormal_is_not_a_power_law_over_a_stated_range():
    x = lognormal_data(0, n=20_000)
    # the power-law hypothesis over the upper half (xmin = the median e^mu), where the
    # log-normal's curvature spans two decades. Both CSN criteria reject it: bootstrap
    # p < 0.1 (§4.1) and the likelihood ratio favours the log-normal (R < 0, Vuong p < 0.01)
    fit = fit_power_law(x, discrete=False, xmin=np.exp(1.0))
    verdict = fit.verdict(n_boot=40, seed=2)
    assert verdict.p_value < 0.1 and verdict.support == "none" and not verdict.power_law
    cmp = verdict.comparisons["lognormal"]
    assert cmp.R < 0 and cmp.p_value < 0.01 and cmp.favours == "lognormal"
    # above the unconstrained KS-chosen xmin the far tail is short and may pass as a power law
    # (CSN §5); even there the ratio does not favour the power law significantly
    cmp_ks = fit_power_law(x, discrete=False).compare("lognormal")
    assert not (cmp_ks.R > 0 and cmp_ks.p_value < 0.1)


LN_SEEDS = range(10)


@pytest.mark.slow
def test_lognormal_is_not_declared_a_power_law_when_the_tail_must_hold_a_tenth_of_the_data():
    # CSN's whole procedure: xmin by KS minimisation, re-estimated in every bootstrap set, and the
    # verdict of §6 (p > 0.1 and no alternative significantly better), with the tail required to
    # hold >= 10 % of the data. (Without that, the KS xmin of 10 000 log-normal values drifts into
    # the far tail, locally a power law of exponent 1 + (ln x - mu) / sigma^2, and 3 to 6 in 10 such
    # data sets pass: docs/criticality.md.) Measured on these seeds: bootstrap p <= 0.1 in all 10
    # and the log-normal significantly better (Vuong p <= 0.02) in all 10, so either criterion
    # alone rejects.
    for seed in LN_SEEDS:
        x = lognormal_data(seed)
        verdict = fit_power_law(x, discrete=False, min_tail=x.size // 10).verdict(n_boot=20, seed=seed)
        assert not verdict.power_law, seed
        cmp = verdict.comparisons["lognormal"]
        assert cmp.R < 0 and cmp.p_value < 0.1, seed


def test_power_law_data_are_declared_a_power_law_by_the_same_procedure():
    # the control for the test above: power-law data pass the same procedure. Under the null,
    # bootstrap p is uniform (P(p > 0.1) = 0.9) and the nested cut-off is significant at 0.1 with
    # probability <= 0.1 (Wilks), so each set passes with probability ~0.85; >= 6 of 10 fails
    # with probability 1 % (binomial). Measured: 9 of 10 "moderate" (the log-normal, which
    # contains the power law as a limit, is never ruled out), 1 "with cut-off".
    declared = []
    for seed in LN_SEEDS:
        x = continuous_data(seed, n_tail=3000)
        verdict = fit_power_law(x, discrete=False, min_tail=x.size // 10).verdict(n_boot=20, seed=seed)
        declared.append(verdict.power_law)
        assert verdict.comparisons["exponential"].favours == "power_law"
    assert sum(declared) >= 6
    # against the exponential alone every alternative is ruled out: the "good" category
    only_exp = fit_power_law(continuous_data(0, n_tail=3000), discrete=False).verdict(
        n_boot=20, seed=0, alternatives=("exponential",))
    assert only_exp.support == "good"


def test_lognormal_fit_recovers_its_parameters():
    # the tail above xmin = 5 of mu = 2, sigma = 1 (about 83 % of 50 000 values). Continuous, and
    # discrete by rounding, whose pmf is exactly the mass over [k - 1/2, k + 1/2] that the discrete
    # log-normal uses. Seed-to-seed s.d. measured over 8 seeds: 0.016 (mu), 0.008 (sigma): 4 s.d.
    x = lognormal_data(4, n=50_000, mu=2.0)
    k = np.round(x)
    for data, discrete in ((x, False), (k[k >= 1], True)):
        mu, sigma = fit_power_law(data, discrete=discrete, xmin=5).compare("lognormal").params
        assert mu == pytest.approx(2.0, abs=0.06) and sigma == pytest.approx(1.0, abs=0.03)


def test_verdict_is_reproducible_and_validates_its_arguments():
    fit = fit_power_law(continuous_data(2, n_tail=2000), discrete=False)
    a, b = fit.verdict(n_boot=10, seed=3), fit.verdict(n_boot=10, seed=3)
    assert (a.support, a.p_value) == (b.support, b.p_value)
    with pytest.raises(ParameterError, match="level"):
        fit.verdict(n_boot=10, level=0.0)
    with pytest.raises(ParameterError, match="alternatives"):
        fit.verdict(n_boot=10, alternatives=("gamma",))


def test_exponential_data_favour_the_exponential():
    x = 1.0 + stats.expon(scale=20.0).rvs(20_000, random_state=3)
    fit = fit_power_law(x, discrete=False, xmin=1.0)
    cmp = fit.compare("exponential")
    assert cmp.R < 0 and cmp.p_value < 1e-6
    assert cmp.params[0] == pytest.approx(1 / 20.0, rel=0.03)     # the generating rate


def test_discrete_alternatives_are_normalised():
    from neuroladder.analysis.powerlaw import _loglik_pointwise
    k = np.arange(4, 400_000, dtype=float)
    for name, params in (("exponential", (0.1,)), ("lognormal", (1.0, 1.5)), ("truncated_power_law", (1.7, 0.01)),
                         ("power_law", (2.2,))):
        total = np.exp(_loglik_pointwise(name, params, k, 4.0, True)).sum()
        assert total == pytest.approx(1.0, abs=2e-3 if name == "power_law" else 1e-6), name


def test_same_seed_same_p_value():
    fit = fit_power_law(continuous_data(2, n_tail=2000), discrete=False)
    assert fit.p_value(n_boot=10, seed=5) == fit.p_value(n_boot=10, seed=5)
    a = sample_power_law(2.0, 1, 100, seed=1)
    assert np.array_equal(a, sample_power_law(2.0, 1, 100, seed=1))
    assert not np.array_equal(a, sample_power_law(2.0, 1, 100, seed=2))


def test_ccdf_overlays_the_data():
    fit = fit_power_law(discrete_data(0), xmin=10)
    x, c = fit.ccdf()
    assert c[0] == 1.0 and np.all(np.diff(c) <= 0)
    xf, cf = fit.ccdf(data=False)
    assert cf[0] == pytest.approx(fit.n_tail / fit.n)


@pytest.mark.parametrize("data, kwargs, name", [
    ([], {}, "data"),
    ([1.0, 2.0, -3.0], {}, "data"),
    ([1.0, 0.0, 3.0], {}, "data"),
    ([1.0, np.nan, 3.0], {}, "data"),
    ([1.5, 2.0, 3.0], {"discrete": True}, "discrete"),
    ([1, 2, 3, 4], {"xmin": 10}, "xmin"),
    ([1, 2, 3, 4], {"xmin": -1}, "xmin"),
])
def test_invalid_data_raise_parameter_error(data, kwargs, name):
    with pytest.raises(ParameterError, match=name):
        fit_power_law(data, **kwargs)


@pytest.mark.parametrize("args, kwargs, name", [
    ((1.0, 1, 10), {}, "alpha"),
    ((np.nan, 1, 10), {}, "alpha"),
    ((2.5, 1.5, 10), {"discrete": True}, "xmin"),
    ((2.5, -1.0, 10), {"discrete": False}, "xmin"),
])
def test_sampler_rejects_bad_input(args, kwargs, name):
    with pytest.raises(ParameterError, match=name):
        sample_power_law(*args, **kwargs)


def test_invalid_comparison_raises():
    fit = fit_power_law(discrete_data(0), xmin=10)
    with pytest.raises(ParameterError, match="other_distribution"):
        fit.compare("gamma")
    with pytest.raises(ParameterError, match="n_boot"):
        fit.p_value(n_boot=0)
