"""Machine-learning experiments (issue 17): Neural ODEs on irregular samples, a spike Transformer.

torch is imported inside the experiment functions, so the registry (``neuroladder list``) and the
tour work on a core install: without torch they raise :class:`MissingExtraError`, which the tour
reports as skipped.
"""

from __future__ import annotations

import numpy as np

from ..core.errors import MissingExtraError
from ..core.rng import make_rng
from ..report import figure
from .registry import Range, experiment

INSTALL_ML = "install the ml extra: pip install torch==2.13.0 && pip install 'neuroladder[ml]'"


def _import_ml():
    """``neuroladder.ml`` and torch, or a MissingExtraError that says how to install them."""
    try:
        import torch

        from .. import ml
    except ImportError as err:
        raise MissingExtraError(f"this experiment needs torch and torchdiffeq ({err}); {INSTALL_ML}") from None
    torch.set_num_threads(1)   # reproducible weights and no oversubscription of shared cores
    return ml, torch


def _split_samples(ml, samples, extrapolate_from, holdout, missing, rng):
    """Observed samples (held-out and late points removed, channels dropped at random) and held-out targets.

    Sequences keep different numbers of observations; shorter ones are padded with empty events
    (nothing observed, at their last time), which the models pass over. Returns the observed
    samples, the held-out times (B, Q), values (B, Q, D) and a (B, Q) validity mask.
    """
    t, v = samples.t, samples.values
    late = t >= extrapolate_from
    interp = (rng.random(t.shape) < holdout) & ~late
    interp[:, 0] = False                               # every sequence starts with an observation
    observed = ~(late | interp)
    held = ~observed

    def pack(select):
        k = max(1, int(select.sum(axis=1).max()))
        out_t = np.empty((t.shape[0], k))
        out_v = np.zeros((t.shape[0], k, v.shape[2]))
        valid = np.zeros((t.shape[0], k), bool)
        for b in range(t.shape[0]):
            r = np.flatnonzero(select[b])
            out_t[b, :r.size], out_v[b, :r.size], valid[b, :r.size] = t[b, r], v[b, r], True
            out_t[b, r.size:] = t[b, r[-1]] if r.size else t[b, 0]   # padding: empty events, no time passes
        return out_t, out_v, valid

    ot, ov, ovalid = pack(observed)
    om = (rng.random(ov.shape) >= missing) & ovalid[:, :, None]
    om[:, 0] = True               # the first sample is complete: every model starts from a known state
    obs = ml.IrregularSamples(ot, np.where(om, ov, 0.0), om, samples.names)
    qt, qv, qvalid = pack(held)
    return obs, qt, qv, qvalid


@experiment("neural-ode", "Irregular, partially missing samples of Wilson-Cowan oscillations: a Neural ODE, an "
            "ODE-RNN (Rubanova et al. 2019) and a GRU fed the time gaps, trained on one-step-ahead prediction; "
            "held-out error at irregular times (interpolation and extrapolation) as sampling becomes sparser.",
            params={"n_train": Range(2, 2000), "n_test": Range(1, 2000), "window_ms": Range(50.0, 5000.0, "ms"),
                    "missing": Range(0.0, 0.9), "epochs": Range(1, 2000)})
def neural_ode(quick=False, n_train=32, n_test=32, window_ms=150.0, missing=0.3, epochs=30, seed=1):
    ml, torch = _import_ml()
    from ..core.simulate import simulate
    from ..mass import WilsonCowan

    levels = (40, 16) if quick else (60, 30, 15)   # samples per sequence, before hold-out and extrapolation
    if quick:
        epochs = min(epochs, 25)
    rng = make_rng(seed)
    n = n_train + n_test
    res = simulate(WilsonCowan(), window_ms, 0.05, current=1.25, n=n, record=("E", "I"), record_dt=0.5,
                   initial_state={"E": rng.uniform(0.0, 0.4, n), "I": rng.uniform(0.0, 0.4, n)})
    traces = np.stack([res["E"], res["I"]], axis=-1)              # (T, n, 2)
    mean, sd = traces[:, :n_train].mean(axis=(0, 1)), traces[:, :n_train].std(axis=(0, 1))
    extrapolate_from = 0.8 * window_ms
    metrics, fits = {}, {}
    builders = {"ode": lambda s: ml.NeuralODE(2, hidden=32, time_scale=10.0, max_step=0.5, seed=s),
                "odernn": lambda s: ml.ODERNN(2, latent=16, hidden=32, time_scale=10.0, max_step=0.5, seed=s),
                "gru": lambda s: ml.GRUBaseline(2, latent=16, hidden=32, time_scale=10.0, seed=s)}
    for level in levels:
        samples = ml.irregular_samples(res, level, missing=0.0, seed=rng)
        samples = ml.IrregularSamples(samples.t, (samples.values - mean) / sd, samples.mask, samples.names)
        train = ml.IrregularSamples(*(a[:n_train] for a in (samples.t, samples.values, samples.mask)),
                                    samples.names)
        test = ml.IrregularSamples(*(a[n_train:] for a in (samples.t, samples.values, samples.mask)),
                                   samples.names)
        train_obs = _split_samples(ml, train, window_ms + 1.0, 0.0, missing, rng)[0]
        test_obs, query_t, truth, valid = _split_samples(ml, test, extrapolate_from, 0.25, missing, rng)
        late = (query_t >= extrapolate_from) & valid
        for name, build in builders.items():
            model = build(seed)
            model.fit(train_obs, epochs=epochs, lr=1e-2, batch_size=8, seed=seed)
            pred = model.predict(test_obs, query_t)
            metrics[f"{name}_test_mse_n{level}"] = float(np.mean((pred[valid] - truth[valid]) ** 2))
            metrics[f"{name}_extrapolation_mse_n{level}"] = float(np.mean((pred[late] - truth[late]) ** 2))
            if level == levels[-1]:
                grid = np.linspace(0.0, window_ms, 301)
                fits[name] = (model.predict(ml.IrregularSamples(*(a[:1] for a in (test_obs.t, test_obs.values,
                                                                                  test_obs.mask)),
                                                                test_obs.names), grid[None])[0], grid)
        metrics[f"observed_per_sequence_n{level}"] = float(test_obs.mask.any(axis=2).sum(axis=1).mean())
    sparse = levels[-1]
    for name in builders:
        metrics[f"{name}_test_mse"] = metrics[f"{name}_test_mse_n{sparse}"]
    metrics["sparsest_samples_per_sequence"] = float(sparse)
    metrics["variance_of_standardised_data"] = 1.0   # the MSE of predicting the mean

    fig, axes = figure(1, 3, width=14.0, height=3.8)
    truth_t, truth_e = res.t, (res["E"][:, n_train] - mean[0]) / sd[0]
    ax = axes[0]
    ax.plot(truth_t, truth_e, "k-", lw=2.5, alpha=0.3, label="simulation")
    for name, (pred, grid) in fits.items():
        ax.plot(grid, pred[:, 0], lw=1.2, label=name)
    m0 = test_obs.mask[0, :, 0]   # observed E of the first test sequence
    ax.plot(test_obs.t[0, m0], test_obs.values[0, m0, 0], "ko", ms=3, label="observed E")
    ax.axvline(extrapolate_from, color="grey", ls=":")
    ax.set_xlabel("time (ms)")
    ax.set_ylabel("E (standardised)")
    ax.set_title(f"fits at arbitrary times, {sparse} samples")
    ax.legend(fontsize=7)
    for name in builders:
        axes[1].semilogy(levels, [metrics[f"{name}_test_mse_n{lv}"] for lv in levels], "o-", label=name)
        axes[2].semilogy(levels, [metrics[f"{name}_extrapolation_mse_n{lv}"] for lv in levels], "o-", label=name)
    for ax, what in ((axes[1], "held-out (all)"), (axes[2], "extrapolation (last 20%)")):
        ax.set_xlabel(f"samples per sequence ({window_ms:g} ms)")
        ax.set_ylabel("test MSE (standardised units$^2$)")
        ax.set_title(what)
        ax.invert_xaxis()
        ax.legend()
    return metrics, {"fits": fig}


def _glm_log_rates(analysis, train, test, n_lags, bin_ms):
    """Per neuron, ``nl.analysis.fit_poisson_glm`` with a self-history filter and a coupling filter on the
    summed counts of the other neurons (lagged by one bin, so it is causal); log expected counts on ``test``."""
    out = np.empty(test.shape)
    for i in range(train.shape[1]):
        def coupling(c, i=i):  # i bound now (the closure is used within this iteration)
            others = c.sum(axis=1) - c[:, i]
            return np.concatenate([[0.0], others[:-1]]).astype(float)

        glm = analysis.fit_poisson_glm(coupling(train), train[:, i], n_lags, n_lags, basis="raised_cosine",
                                       l2=1.0, dt=bin_ms)
        out[:, i] = np.log(glm.rate(coupling(test), test[:, i]) * bin_ms / 1000.0)
    return out


@experiment("spike-transformer", "A causal decoder-only Transformer on binned spikes of a Brunel (2000) network "
            "(asynchronous-irregular regime, small): held-out bits per spike over each neuron's mean rate, "
            "against a Poisson GLM with history and population-coupling filters; predicted vs actual rasters.",
            params={"duration_ms": Range(2000.0, 600_000.0, "ms"), "bin_ms": Range(0.5, 50.0, "ms"),
                    "n_neurons": Range(1, 200), "epochs": Range(1, 2000), "context": Range(4, 512)})
def spike_transformer(quick=False, duration_ms=20_000.0, bin_ms=2.0, n_neurons=30, epochs=40, context=32,
                      seed=1):
    ml, torch = _import_ml()
    from .. import analysis
    from .networks import brunel_network

    if quick:
        duration_ms, epochs = min(duration_ms, 10_000.0), min(epochs, 30)
    out = brunel_network(5.0, 2.0, seed, scale=0.05).run(duration_ms)
    counts = ml.binned_counts(out, bin_ms, ["E"])[:, :n_neurons]
    split = int(0.8 * counts.shape[0])
    train, test = counts[:split], counts[split:]
    model = ml.SpikeTransformer(n_neurons, d_model=32, n_layers=2, n_heads=4, context=context, seed=seed)
    history = model.fit(train, epochs=epochs, seed=seed, lr=3e-3)   # lr: the better of 1e-2, 3e-3 tried
    # the test block's first rows would see no history: score from half a context on, for both models
    skip = context // 2
    eta_tr = model.log_rates(test)[skip:]
    n_lags = 10
    eta_glm = _glm_log_rates(analysis, train, test, n_lags, bin_ms)[skip:]
    scored = test[skip:]
    metrics = {
        "transformer_bits_per_spike": ml.bits_per_spike(eta_tr, scored),
        "glm_bits_per_spike": ml.bits_per_spike(eta_glm, scored),
        "transformer_train_bits_per_spike": ml.bits_per_spike(model.log_rates(train)[skip:], train[skip:]),
        "final_train_loss": float(history[-1]),
        "rate_hz": float(counts.mean() * 1000.0 / bin_ms),
        "n_test_spikes": float(scored.sum()),
        "n_train_bins": float(split),
    }
    fig, axes = figure(1, 3, width=14.0, height=4.0)
    show = slice(0, min(250, scored.shape[0]))
    t_ms = (split + skip + np.arange(scored.shape[0]))[show] * bin_ms
    extent = (t_ms[0], t_ms[-1] + bin_ms, n_neurons, 0)
    for ax, img, title in ((axes[0], scored[show], "actual counts"),
                           (axes[1], np.exp(eta_tr[show]), "Transformer expected counts"),
                           (axes[2], np.exp(eta_glm[show]), "GLM expected counts")):
        im = ax.imshow(img.T, aspect="auto", extent=extent, cmap="Greys", interpolation="nearest",
                       vmin=0.0, vmax=max(1.0, float(np.percentile(scored, 99.5))))
        ax.set_xlabel("time (ms)")
        ax.set_ylabel("neuron")
        ax.set_title(title)
    fig.colorbar(im, ax=axes[2], label=f"spikes per {bin_ms:g} ms bin")
    return metrics, {"rasters": fig}
