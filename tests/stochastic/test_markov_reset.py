"""The strong Markov property at the first-passage time makes threshold-reset legitimate: after a
reset the process restarts afresh, so successive ISIs are independent (a renewal process; Tuckwell
1988, ch. 9). Checked on the simulated StochasticLIF: the serial correlation of consecutive ISIs is
0 within 3/sqrt(n) and the ISI distributions after short and after long ISIs agree (KS test at a
fixed seed; p < 0.001 would reject)."""

from __future__ import annotations

import numpy as np

from neuroladder.experiments import run


def test_isi_after_reset_does_not_depend_on_the_path():
    metrics = run("markov-reset", quick=True).metrics
    assert abs(metrics["serial_correlation"]) < 3.0 / np.sqrt(metrics["n_intervals"])
    assert metrics["ks_p_value"] > 1e-3


def test_shot_noise_variance_grows_linearly_with_rate():
    # Campbell: variance proportional to rate, so the log-log slope is 1 (8 rates, 1000 units each)
    metrics = run("shot-noise", quick=True).metrics
    assert abs(metrics["variance_rate_exponent"] - 1.0) < 0.1
    # at 50 Hz x 5 ms the membrane sees separate jumps: skewed, unlike its diffusion approximation
    assert metrics["membrane_skewness_shot_50hz"] > 0.5 > abs(metrics["membrane_skewness_diffusion_50hz"])
