"""The criticality experiments run quickly and report the metrics the issue asks for."""

import numpy as np
import pytest
from scipy import optimize

from neuroladder.experiments import run


def test_avalanches_quick():
    res = run("avalanches", quick=True, seed=1)
    m = res.metrics
    # issue 7: size_exponent, duration_exponent, gamma at m = 1, prefixed sub_ / super_ for m = 0.9 / 1.1
    for p in ("", "sub_", "super_"):
        for key in ("size_exponent", "duration_exponent", "gamma", "size_cutoff_rate", "size_cutoff_rate_theory"):
            assert np.isfinite(m[p + key]), p + key
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
        assert m[p + "size_cutoff_rate_theory"] == pytest.approx(theory[p], rel=1e-6)
        # with 30 000 avalanches the estimate scatters by 10 % (s.d. over 8 seeds), so 3 s.d.;
        # measured here +16 % and -3 %
        assert m[p + "size_cutoff_rate"] == pytest.approx(theory[p], rel=0.3)
    assert set(res.figures) == {"ccdf", "scaling"}


def test_branching_ratio_quick():
    res = run("branching-ratio", quick=True, seed=1)
    m = res.metrics
    assert m["m_true"] == 0.98
    assert m["m_mr_1pct"] == pytest.approx(0.98, abs=0.01)        # Wilting & Priesemann 2018
    assert m["m_conventional_1pct"] < 0.88
    assert "m_conventional_10pct" in m and "m_mr_100pct" in m
