"""Mutual-information estimators on the Gaussian channel; Laughlin's infomax curve.

Reference values: the Gaussian channel carries 0.5 log2(1 + SNR) bits (Shannon 1948); the
plug-in estimate's first-order bias is (K_x - 1)(K_y - 1) / (2 N ln 2) bits (Miller 1955;
Treves & Panzeri 1995); the MI of a median split of a bivariate normal follows from Sheppard's
formula P(both above median) = 1/4 + arcsin(rho) / (2 pi) (Sheppard 1899).
"""

from __future__ import annotations

import numpy as np
import pytest
from scipy.special import ndtr

from neuroladder import analysis
from neuroladder.core.rng import make_rng


def _channel(snr, n, seed):
    rng = make_rng(seed)
    x = rng.standard_normal(n)
    return x, x + rng.standard_normal(n) / np.sqrt(snr)


def test_binned_gaussian_mi_matches_sheppard_and_converges_to_shannon():
    rho = np.sqrt(0.5)                            # SNR 1
    p11 = 0.25 + np.arcsin(rho) / (2 * np.pi)     # Sheppard's formula; P(0,0) = P(1,1) = p11, the rest 1/2 - p11
    p = np.array([p11, 0.5 - p11, 0.5 - p11, p11])
    exact_2 = float(np.sum(p * np.log2(p / 0.25)))
    assert analysis.gaussian_channel_binned_mi(1.0, 2) == pytest.approx(exact_2, abs=1e-6)
    # nested quantile partitions (8 within 16 within ...): the binned MI rises towards 0.5 log2(2) = 0.5 bits
    values = [analysis.gaussian_channel_binned_mi(1.0, k) for k in (8, 16, 32, 64)]
    assert np.all(np.diff(values) > 0) and values[-1] < 0.5
    assert values[-1] == pytest.approx(analysis.gaussian_channel_mi(1.0), abs=0.01)
    assert analysis.gaussian_channel_mi(3.0) == pytest.approx(1.0)          # 0.5 log2(4)


def test_plugin_bias_is_the_first_order_value_and_corrections_remove_it():
    snr, k, n, reps = 1.0, 8, 1000, 40
    truth = analysis.gaussian_channel_binned_mi(snr, k)      # what every estimator with these bins targets
    est = {m: [] for m in ("plugin", "miller-madow", "quadratic-extrapolation")}
    for seed in range(reps):
        x, y = _channel(snr, n, seed)
        for m in est:
            est[m].append(analysis.mutual_information(x, y, k, method=m, seed=seed))
    bias = analysis.plugin_bias(k, k, n)                     # 49 / (2000 ln 2) = 0.0353 bits
    assert bias == pytest.approx(49 / (2000 * np.log(2)))
    # the mean of 40 estimates has an s.e. of ~0.027 / sqrt(40) = 0.0043 bits: tolerance 0.015 (3.5 s.e.)
    assert np.mean(est["plugin"]) - truth == pytest.approx(bias, abs=0.015)
    assert np.mean(est["miller-madow"]) == pytest.approx(truth, abs=0.015)
    assert np.mean(est["quadratic-extrapolation"]) == pytest.approx(truth, abs=0.015)


@pytest.mark.parametrize("snr", [1.0, 3.0])
def test_estimators_agree_with_the_analytic_gaussian_channel(snr):
    n, k = 200_000, 32
    x, y = _channel(snr, n, 7)
    analytic = analysis.gaussian_channel_mi(snr)
    loss = analytic - analysis.gaussian_channel_binned_mi(snr, k)    # discretisation: 0.012 (SNR 1), 0.028 (SNR 3)
    for method in ("plugin", "miller-madow", "quadratic-extrapolation"):
        value = analysis.mutual_information(x, y, k, method=method, seed=1)
        # within the estimator's stated bias (plug-in: (K-1)^2 / (2 N ln 2) = 0.0035 bits; corrected: ~0)
        # plus 0.01 bits of sampling noise (s.d. ~0.003 at this N), once the discretisation loss is added back
        stated = analysis.plugin_bias(k, k, n) if method == "plugin" else 0.0
        assert value + loss == pytest.approx(analytic + stated, abs=0.01)


def test_channel_information_matches_shannon_for_a_linear_unclipped_neuron():
    # x ~ N(0.5, 0.1^2) stays inside [0, 1] (5 s.d.), f(x) = x, noise s.d. 0.05: SNR 4, 0.5 log2(5) bits
    x = make_rng(3).normal(0.5, 0.1, 400_000)
    value = analysis.channel_information(lambda v: v, x, noise_sd=0.05)
    assert value == pytest.approx(0.5 * np.log2(5.0), abs=0.01)


@pytest.fixture(scope="module")
def laplace():
    rng = make_rng(1)
    scale = 1.0 / np.sqrt(2.0)      # unit variance
    return rng.laplace(0.0, scale, 200_000), rng.laplace(0.0, scale, 200_000), scale


def test_infomax_curve_makes_the_output_uniform(laplace):
    train, test, _ = laplace
    u = analysis.infomax_nonlinearity(train, r_max=1.0)(test)
    # uniform on [0, 1]: mean 1/2, variance 1/12, deciles at 0.1, 0.2, ...
    assert u.mean() == pytest.approx(0.5, abs=0.005)
    assert u.var() == pytest.approx(1 / 12, abs=0.002)
    np.testing.assert_allclose(np.quantile(u, np.arange(1, 10) / 10), np.arange(1, 10) / 10, atol=0.005)
    # 16 equally used levels: log2(16) = 4 bits, the most a 16-level output can carry (Laughlin 1981)
    assert analysis.quantized_output_information(lambda v: u, test, 16) == pytest.approx(4.0, abs=0.005)


def test_infomax_transmits_the_most_of_the_alternatives(laplace):
    train, test, scale = laplace
    s = scale / 2
    curves = {
        "infomax": analysis.infomax_nonlinearity(train),
        "linear": lambda x: np.clip(0.5 + x / 4.0, 0.0, 1.0),
        "gaussian_cdf": ndtr,
        "logistic_matched": lambda x: 1 / (1 + np.exp(-x / s)),
        "logistic_steep": lambda x: 1 / (1 + np.exp(-3 * x / s)),
        "logistic_shallow": lambda x: 1 / (1 + np.exp(-x / (3 * s))),
    }
    # Laughlin's argument holds for small output noise (many discriminable levels); noise s.d. 1 % of the range
    noisy = {k: analysis.channel_information(f, test, noise_sd=0.01) for k, f in curves.items()}
    levels = {k: analysis.quantized_output_information(f, test, 16) for k, f in curves.items()}
    assert max(noisy, key=noisy.get) == "infomax"
    assert max(levels, key=levels.get) == "infomax"
    # and close to the small-noise value log2(1 / 0.01) - 0.5 log2(2 pi e) = 4.597 bits (uniform output)
    assert noisy["infomax"] == pytest.approx(np.log2(100.0) - 0.5 * np.log2(2 * np.pi * np.e), abs=0.05)


def test_quadratic_extrapolation_is_seeded():
    x, y = _channel(1.0, 2000, 0)
    a = analysis.mutual_information(x, y, 8, method="quadratic-extrapolation", seed=3)
    assert a == analysis.mutual_information(x, y, 8, method="quadratic-extrapolation", seed=3)
