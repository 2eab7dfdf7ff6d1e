"""The coding experiments run quickly and meet issue 7's bounds in their quick form."""

from __future__ import annotations

import pytest

from neuroladder.experiments import run


@pytest.mark.slow
def test_ln_model_experiment_recovers_the_filter():
    res = run("ln-model", quick=True, seed=3)
    m = res.metrics
    # issue 7: recovered filter correlation > 0.95 (STA and GLM)
    assert m["filter_correlation"] > 0.95
    assert m["glm_filter_correlation"] > 0.95
    assert m["nonlinearity_rel_rmse"] < 0.1     # a sigmoid with 80 Hz max, ~1000 spikes: Poisson scatter ~4 %
    assert set(res.figures) == {"ln_recovery"}
    assert run("ln-model", quick=True, seed=3).metrics == m     # same seed, same result


def test_efficient_coding_experiment_infomax_is_best():
    res = run("efficient-coding", quick=True, seed=2)
    m = res.metrics
    # issue 7: the infomax nonlinearity gives the highest MI of the alternatives
    assert m["infomax_is_best"] == 1.0
    others = [v for k, v in m.items() if k.startswith("mi_") and k != "mi_infomax_bits"]
    assert m["mi_infomax_bits"] > max(others)
    assert m["levels_mi_infomax_bits"] == pytest.approx(m["levels_max_bits"], abs=0.01)   # log2(16) = 4 bits
    assert set(res.figures) == {"efficient_coding"}
