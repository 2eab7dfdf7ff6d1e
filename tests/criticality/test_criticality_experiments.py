"""The criticality experiments' measured metrics against branching-process theory (quick mode)."""

import numpy as np
import pytest
from scipy import optimize

from neuroladder.experiments import run


def test_avalanches_quick():
    res = run("avalanches", quick=True, seed=1)
    m = res.metrics
    assert m["size_exponent"] == pytest.approx(1.5, abs=0.05)      # theory 3/2
    assert m["duration_exponent"] == pytest.approx(2.0, abs=0.15)  # theory 2 (30 000 avalanches in quick)
    assert m["gamma"] == pytest.approx(2.0, abs=0.1)               # theory 2 (measured 1.95)
    assert m["gamma_predicted"] == pytest.approx(2.0, abs=0.15)    # (alpha_T - 1) / (tau_S - 1)
    # off criticality <S>(T) turns linear for T >> 1 / (1 - m) = 10 (Q-process), so over T >= 20 the
    # slope lies between 1 and the critical 2 (measured 1.43 and 1.54)
    # Borel cut-off m - 1 - ln m; above criticality that of the dual m* = m (1 - q), 1 - q = exp(-m q)
    q = optimize.brentq(lambda q: 1 - q - np.exp(-1.1 * q), 1e-6, 1.0)
    theory = {"sub_": 0.9 - 1 - np.log(0.9), "super_": 1.1 * (1 - q) - 1 - np.log(1.1 * (1 - q))}
    for p in ("sub_", "super_"):
        assert 1.0 < m[p + "gamma"] < 1.8
        assert m[p + "size_R_vs_truncated"] < 0                     # a cut-off away from criticality
        # with 30 000 avalanches the estimate scatters by 10 % (s.d. over 8 seeds), so 3 s.d.;
        # measured here +16 % and -3 %
        assert m[p + "size_cutoff_rate"] == pytest.approx(theory[p], rel=0.3)
    assert set(res.figures) == {"ccdf", "scaling"}


def test_branching_ratio_quick():
    res = run("branching-ratio", quick=True, seed=1)
    m = res.metrics
    # the MR estimator is unbiased under subsampling (Wilting & Priesemann 2018): the true m = 0.98
    for pct in ("100", "10", "1"):
        assert m[f"m_mr_{pct}pct"] == pytest.approx(0.98, abs=0.01)
    # the conventional regression of binomially subsampled activity (fraction alpha) is biased to
    # m / (1 + (1 - alpha) <A> / (alpha Var A)) (Wilting & Priesemann 2018, Eq. 3 with r_1 = m), where
    # the stationary Var A = <A> (sigma^2 + 1 - m) / (1 - m^2) for binomial(k = 10, m/k) offspring
    # (sigma^2 = m (1 - m/k)) and Poisson drive of mean <A> (1 - m): 0.980, 0.703, 0.183
    sigma2 = 0.98 * (1 - 0.098)
    var_over_mean = (sigma2 + 1 - 0.98) / (1 - 0.98 ** 2)
    for pct, alpha in (("100", 1.0), ("10", 0.1), ("1", 0.01)):
        expected = 0.98 / (1 + (1 - alpha) / (alpha * var_over_mean))
        assert m[f"m_conventional_{pct}pct"] == pytest.approx(expected, rel=0.05)   # measured within 3.1 %
