"""The registered ml experiments, quick mode, against independent expectations (slow: they train)."""

import pytest

torch = pytest.importorskip("torch")
pytest.importorskip("torchdiffeq")

from neuroladder.experiments import run  # noqa: E402


@pytest.mark.slow  # ~1-2 min on 2 cores: six trainings
def test_neural_ode_experiment_continuous_time_beats_gru():
    m = run("neural-ode", quick=True).metrics
    # data are standardised: 1.0 is the error of predicting the mean, the floor any model must beat
    for name in ("ode", "odernn", "gru"):
        assert m[f"{name}_test_mse"] < 1.0, m
    # the claim of Rubanova et al. (2019): continuous-time state beats a GRU fed the gaps on irregular data
    assert m["ode_test_mse"] < 0.8 * m["gru_test_mse"], m
    assert m["odernn_test_mse"] < 0.8 * m["gru_test_mse"], m


@pytest.mark.slow  # ~1 min: a 10 s Brunel network, a Transformer and 30 GLMs
def test_spike_transformer_experiment_scores_above_the_mean_rate():
    m = run("spike-transformer", quick=True).metrics
    # 0 bits/spike is each neuron's own mean rate (the measure's definition, Pillow et al. 2008)
    assert m["transformer_bits_per_spike"] > 0.0, m
    assert m["glm_bits_per_spike"] > 0.0, m
