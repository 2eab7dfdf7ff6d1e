"""Coding tools against hand-built data with closed-form answers, independent of ``analysis._design``.

The generators (``simulate_ln_poisson``, ``PoissonGLM.simulate``) and the fitters share
``_design.lagged_matrix``, so an off-by-one in the lag convention (``filter[k]`` weights the stimulus
``k`` bins *before* the response bin) would pass any generate-then-fit test. Here the expected
values are computed by direct indexing in the test.
"""

from __future__ import annotations

import numpy as np
import pytest
from scipy.stats import multivariate_normal, norm

from neuroladder import analysis
from neuroladder.analysis.information import gaussian_channel_binned_mi, gaussian_channel_mi


def test_sta_by_hand():
    s = np.arange(100.0) ** 2                      # every value distinct: a shifted lag would differ
    counts = np.zeros(100)
    counts[[10, 20, 55]] = [1, 2, 1]               # a bin with two spikes counts twice
    sta = analysis.spike_triggered_average(s, counts, n_lags=4)
    for k in range(4):
        expected = (s[10 - k] + 2 * s[20 - k] + s[55 - k]) / 4.0
        assert sta[k] == pytest.approx(expected)


def _pulse_data(n_lags=5, spacing=20, n_pulses=60):
    """Isolated unit pulses and deterministic counts: lag k after a pulse has a known mean count."""
    n = spacing * (n_pulses + 1)
    s = np.zeros(n)
    pulses = spacing * np.arange(1, n_pulses + 1)
    s[pulses] = 1.0
    counts = np.zeros(n)
    counts[np.arange(n) % 4 == 1] = 1.0            # background: one spike every 4 bins
    per_lag = ([3, 1], [2, 2], [1, 0], [0, 1], [1, 1])   # lag k: counts alternate over pulses
    for k in range(n_lags):
        counts[pulses + k] = np.resize(per_lag[k], n_pulses)
    return s, counts, pulses


def test_glm_filter_is_the_log_rate_ratio():
    # with disjoint pulse-lag indicators the Poisson-GLM MLE is closed form: bias + w_k = log(mean count at
    # lag k) and bias = log(mean background count), both per bin (log Hz after dividing by dt)
    n_lags, dt = 5, 2.0
    s, counts, pulses = _pulse_data(n_lags)
    near = np.zeros(s.size, bool)
    for k in range(n_lags):
        near[pulses + k] = True
    valid = np.arange(s.size) >= n_lags - 1         # bins whose lags reach before the start are left out
    base = counts[valid & ~near].mean()
    expected_w = [np.log(counts[pulses + k].mean() / base) for k in range(n_lags)]
    glm = analysis.fit_poisson_glm(s, counts, n_stim_lags=n_lags, n_hist_lags=0, dt=dt)
    np.testing.assert_allclose(glm.stim_filter, expected_w, atol=1e-5)
    assert glm.bias == pytest.approx(np.log(base * 1000.0 / dt), abs=1e-5)


def test_generators_put_the_filter_at_the_right_lag():
    # a pulse every 20 bins through filter w: the expected count at lag k is f(w_k) dt, elsewhere f(0) dt
    w = np.array([0.0, 2.0, -1.0, 0.5])
    s = np.zeros(20 * 4000)
    pulses = 20 * np.arange(1, 3999)
    s[pulses] = 1.0
    rate = lambda g: 20.0 * np.exp(g)               # Hz
    counts = analysis.simulate_ln_poisson(s, w, rate, dt=1.0, seed=3)
    glm_counts = analysis.PoissonGLM(w, np.zeros(0), np.log(20.0), dt=1.0).simulate(s, seed=4)
    for c in (counts, glm_counts):
        for k in range(4):
            expected = rate(w[k]) * 1e-3
            mean = c[pulses + k].mean()
            assert mean == pytest.approx(expected, abs=5 * np.sqrt(expected / pulses.size))


@pytest.mark.parametrize("snr, n_bins", [(1.0, 4), (4.0, 3)])
def test_binned_gaussian_mi_against_bivariate_normal_cdf(snr, n_bins):
    # cell probabilities by scipy's bivariate normal CDF (Genz's algorithm), not the function's quadrature
    rho = np.sqrt(snr / (1 + snr))
    cuts = np.concatenate([[-12.0], norm.ppf(np.arange(1, n_bins) / n_bins), [12.0]])
    mvn = multivariate_normal(mean=[0, 0], cov=[[1, rho], [rho, 1]])
    F = np.array([[mvn.cdf([a, b]) for b in cuts] for a in cuts])
    joint = F[1:, 1:] - F[:-1, 1:] - F[1:, :-1] + F[:-1, :-1]
    px = py = np.full(n_bins, 1.0 / n_bins)
    expected = float(np.sum(joint * np.log2(joint / np.outer(px, py))))
    assert gaussian_channel_binned_mi(snr, n_bins) == pytest.approx(expected, abs=2e-4)
    # binning loses information (data-processing inequality) against Shannon's 0.5 log2(1 + SNR)
    assert expected < 0.5 * np.log2(1 + snr)
    assert gaussian_channel_mi(snr) == pytest.approx(0.5 * np.log2(1 + snr))
