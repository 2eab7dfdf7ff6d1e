"""The criticality experiments run quickly and report the metrics the issue asks for."""

import pytest

from neuroladder.experiments import run


def test_avalanches_quick():
    res = run("avalanches", quick=True, seed=1)
    m = res.metrics
    for key in ("size_exponent", "duration_exponent", "gamma", "gamma_predicted", "sub_size_exponent",
                "super_size_exponent", "sub_duration_exponent", "super_duration_exponent"):
        assert key in m
    assert m["size_exponent"] == pytest.approx(1.5, abs=0.05)      # theory 3/2
    assert m["duration_exponent"] == pytest.approx(2.0, abs=0.15)  # theory 2 (30 000 avalanches in quick)
    assert m["sub_size_R_vs_truncated"] < 0                       # a cut-off below criticality
    assert set(res.figures) == {"ccdf", "scaling"}


def test_branching_ratio_quick():
    res = run("branching-ratio", quick=True, seed=1)
    m = res.metrics
    assert m["m_true"] == 0.98
    assert m["m_mr_1pct"] == pytest.approx(0.98, abs=0.01)        # Wilting & Priesemann 2018
    assert m["m_conventional_1pct"] < 0.88
    assert "m_conventional_10pct" in m and "m_mr_100pct" in m
