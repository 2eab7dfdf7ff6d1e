"""The causal spike Transformer: causality to the bit, reproducibility, and a likelihood gain on held-out data."""

import numpy as np
import pytest

torch = pytest.importorskip("torch")
pytest.importorskip("torchdiffeq")

import neuroladder as nl  # noqa: E402
from neuroladder import ml  # noqa: E402


@pytest.fixture(autouse=True)
def one_thread():
    torch.set_num_threads(1)


def _modulated_poisson(n_bins, n_neurons, seed):
    """Counts whose expected value per bin is 0.3 (1 + 0.9 sin(2 pi t / 16)) for every neuron: a shared
    rhythm a model can only predict from the recent past of the population."""
    rng = np.random.default_rng(seed)
    t = np.arange(n_bins)
    mu = 0.3 * (1.0 + 0.9 * np.sin(2.0 * np.pi * t / 16.0))[:, None] * np.ones((1, n_neurons))
    return rng.poisson(mu), mu


def test_predictions_up_to_t_ignore_bins_at_and_after_t():
    model = ml.SpikeTransformer(6, d_model=16, n_layers=2, n_heads=2, context=16, seed=0)
    counts, _ = _modulated_poisson(70, 6, seed=0)      # longer than the context: the window slides
    reference = model.log_rates(counts)
    rng = np.random.default_rng(1)
    for t in (0, 1, 7, 8, 15, 16, 23, 40, 69):
        changed = counts.copy()
        changed[t:] = rng.poisson(2.0, changed[t:].shape)
        out = model.log_rates(changed)
        # row t uses bins < t only: rows 0..t are bit-identical
        np.testing.assert_array_equal(out[:t + 1], reference[:t + 1])
        if t < 69:
            assert not np.array_equal(out[t + 1:], reference[t + 1:])   # and the change is seen after t


def test_same_seed_same_weights_and_save_load(tmp_path):
    counts, _ = _modulated_poisson(200, 4, seed=2)
    states = []
    for _ in range(2):
        model = ml.SpikeTransformer(4, d_model=16, n_layers=1, n_heads=2, context=32, seed=5)
        model.fit(counts, epochs=2, seed=6)
        states.append(model.state_dict())
    for key in states[0]:
        assert torch.equal(states[0][key], states[1][key]), key
    model.save(tmp_path / "st.pt")
    loaded = ml.SpikeTransformer.load(tmp_path / "st.pt")
    np.testing.assert_array_equal(loaded.log_rates(counts), model.log_rates(counts))


def test_transformer_gains_bits_per_spike_on_held_out_rhythmic_counts():
    train, _ = _modulated_poisson(1600, 8, seed=3)
    test, mu = _modulated_poisson(400, 8, seed=4)
    model = ml.SpikeTransformer(8, d_model=16, n_layers=1, n_heads=2, context=32, seed=0)
    model.fit(train, epochs=10, seed=0, lr=1e-2)
    skip = 16
    gained = ml.bits_per_spike(model.log_rates(test)[skip:], test[skip:])
    truth = ml.bits_per_spike(np.log(mu[skip:]), test[skip:])   # the generating rates: the ceiling
    # 0 bits/spike is each neuron's mean rate (the definition of the measure); the true rates of this
    # rhythm give truth = 0.32 here; a model that tracks the phase from the past gets a good part of it
    # (measured 0.16 with this seed)
    assert 0.3 * truth < gained < truth + 0.05, (gained, truth)


def test_bad_arguments():
    with pytest.raises(nl.ParameterError, match="divisible"):
        ml.SpikeTransformer(4, d_model=10, n_heads=4)
    model = ml.SpikeTransformer(4, d_model=8, n_heads=2, context=8)
    with pytest.raises(nl.ParameterError, match="n_neurons"):
        model.log_rates(np.zeros((10, 3)))
    with pytest.raises(nl.ParameterError, match="non-negative"):
        model.log_rates(-np.ones((10, 4)))
