"""Bad input raises ParameterError naming the argument (DESIGN.md, Errors)."""

from __future__ import annotations

import numpy as np
import pytest

from neuroladder import ParameterError, analysis
from neuroladder.core.rng import make_rng

S = make_rng(0).standard_normal(1000)
N = make_rng(1).poisson(0.1, 1000)
NAN = S.copy()
NAN[10] = np.nan
SIG = analysis.parametric_nonlinearity("sigmoid", [np.log(50.0), 2.0, 0.0])


@pytest.mark.parametrize("call, name", [
    (lambda: analysis.spike_triggered_average([], [], 5), "stimulus"),
    (lambda: analysis.spike_triggered_average(NAN, N, 5), "stimulus"),
    (lambda: analysis.spike_triggered_average(S, N[:-1], 5), "spikes"),
    (lambda: analysis.spike_triggered_average(S, -N, 5), "spikes"),
    (lambda: analysis.spike_triggered_average(S, np.zeros(1000), 5), "spikes"),
    (lambda: analysis.spike_triggered_average(S, N, 0), "n_lags"),
    (lambda: analysis.spike_triggered_average(S, N, -3), "n_lags"),
    (lambda: analysis.spike_triggered_average(S, N, 2.5), "n_lags"),
    (lambda: analysis.spike_triggered_average(S, N, 1000), "n_lags"),
    (lambda: analysis.spike_triggered_average(S, N, 5, dt=0.0), "dt"),
    (lambda: analysis.spike_triggered_average(S, [5.0, 2000.0], 5, dt=1.0, times=True), "spike times"),
    (lambda: analysis.spike_triggered_covariance(S, N, 5, n_shuffles=0), "n_shuffles"),
    (lambda: analysis.fit_ln_model(S, N, 5, n_bins=1), "n_bins"),
    (lambda: analysis.fit_ln_model(S, N, 5, parametric="cubic"), "parametric"),
    (lambda: analysis.parametric_nonlinearity("exp", [1.0]), "params"),
    (lambda: analysis.simulate_ln_poisson(S, [1.0, 0.5], lambda g: g, seed=1), "nonlinearity"),
    (lambda: analysis.simulate_ln_poisson(S, [np.nan], SIG, seed=1), "filter"),
    (lambda: analysis.simulate_ln_poisson(S, [1.0], SIG, dt=-1.0, seed=1), "dt"),
    (lambda: analysis.simulate_ln_poisson(S, [1.0], SIG, seed=-1), "seed"),
    (lambda: analysis.fit_poisson_glm(S, N, 0, 2), "n_stim_lags"),
    (lambda: analysis.fit_poisson_glm(S, N, 5, -1), "n_hist_lags"),
    (lambda: analysis.fit_poisson_glm(S, N[:10], 5, 2), "spikes"),
    (lambda: analysis.fit_poisson_glm(S, N, 5, 2, l2=-1.0), "l2"),
    (lambda: analysis.fit_poisson_glm(S, N, 5, 2, basis="splines"), "basis"),
    (lambda: analysis.raised_cosine_basis(10, 11), "n_basis"),
    (lambda: analysis.PoissonGLM([1.0], [0.0], float("nan")), "bias"),
    (lambda: analysis.mutual_information(S, S[:-1]), "x and y"),
    (lambda: analysis.mutual_information(S, NAN), "y"),
    (lambda: analysis.mutual_information([], []), "x"),
    (lambda: analysis.mutual_information(S, S, method="nsb"), "method"),
    (lambda: analysis.mutual_information(S, S, n_bins=1), "n_bins"),
    (lambda: analysis.gaussian_channel_mi(-1.0), "snr"),
    (lambda: analysis.infomax_nonlinearity([]), "samples"),
    (lambda: analysis.infomax_nonlinearity(S, r_max=0.0), "r_max"),
    (lambda: analysis.channel_information(SIG, S, noise_sd=0.0), "noise_sd"),
    (lambda: analysis.quantized_output_information(SIG, S, n_levels=1), "n_levels"),
])
def test_bad_input_raises_parameter_error_naming_the_argument(call, name):
    with pytest.raises(ParameterError, match=name):
        call()
