"""A causal, decoder-only Transformer over binned population spike counts.

One token per time bin: the vector of the population's spike counts in that bin, embedded by a
linear map, plus a learned position embedding. Self-attention is causally masked, and the
input is shifted by one bin (a learned start token first), so the output at bin ``t`` sees bins
``< t`` only; a linear head gives each neuron's log expected count in bin ``t``, trained by the
Poisson negative log-likelihood. This is the GPT recipe (Radford et al. 2018) on spike counts, as
in neural-data Transformers (Ye & Pandarinath 2021, NDT, which is bidirectional; here causal, so
it is a generative model of the spike train).
"""

from __future__ import annotations

import numpy as np
import torch
from torch import nn

from ..core.errors import ParameterError
from ..core.parameters import positive_float, require_int
from ._training import load_model, save_model, seeded, train

__all__ = ["SpikeTransformer"]


def _counts(counts, n_neurons) -> np.ndarray:
    c = np.asarray(counts)
    if c.ndim != 2 or c.shape[1] != n_neurons:
        raise ParameterError(f"counts must be (T, n_neurons = {n_neurons}), got shape {c.shape}")
    if not np.all(np.isfinite(c)) or np.any(c < 0):
        raise ParameterError("counts must be finite, non-negative spike counts")
    return c.astype(np.float32)


class SpikeTransformer(nn.Module):
    """Causal Transformer with a Poisson output head per neuron.

    Parameters
    ----------
    n_neurons : int
        Neurons per token (columns of the count matrix).
    d_model, n_layers, n_heads : int
        Width, depth and attention heads (``d_model`` divisible by ``n_heads``); pre-norm layers,
        feed-forward width ``4 d_model``, no dropout (deterministic training).
    context : int
        Bins the model attends over (the longest window; :meth:`log_rates` slides it along).
    seed : int
        Weight initialisation.
    """

    def __init__(self, n_neurons: int, d_model: int = 32, n_layers: int = 2, n_heads: int = 4,
                 context: int = 64, seed: int = 0):
        super().__init__()
        self.n_neurons = require_int("n_neurons", n_neurons)
        require_int("d_model", d_model)
        require_int("n_layers", n_layers)
        require_int("n_heads", n_heads)
        self.context = require_int("context", context, low=2)
        if d_model % n_heads:
            raise ParameterError(f"d_model ({d_model}) must be divisible by n_heads ({n_heads})")
        self.config = dict(n_neurons=n_neurons, d_model=d_model, n_layers=n_layers, n_heads=n_heads,
                           context=context, seed=seed)
        with seeded(seed):
            self.embed = nn.Linear(n_neurons, d_model)
            self.start = nn.Parameter(0.02 * torch.randn(d_model))
            self.position = nn.Embedding(context, d_model)
            layer = nn.TransformerEncoderLayer(d_model, n_heads, 4 * d_model, dropout=0.0, batch_first=True,
                                               norm_first=True)
            self.blocks = nn.TransformerEncoder(layer, n_layers, enable_nested_tensor=False)
            self.norm = nn.LayerNorm(d_model)
            self.head = nn.Linear(d_model, n_neurons)
        self.register_buffer("mask", nn.Transformer.generate_square_subsequent_mask(context), persistent=False)

    def forward(self, previous, starts):
        """Log expected counts (B, L, N). ``previous[:, j]`` is the count vector of the bin before
        position j; ``starts[:, j]`` is True where there is none (the recording's first bin)."""
        length = previous.shape[1]
        x = self.embed(previous) * (~starts)[..., None] + self.start * starts[..., None]
        x = x + self.position.weight[:length]
        x = self.blocks(x, mask=self.mask[:length, :length], is_causal=True)
        return self.head(self.norm(x))

    def _window(self, c, a, length):
        """Inputs for rows ``a .. a + length - 1``: bins ``a - 1 .. a + length - 2`` (start token at row 0)."""
        prev = np.zeros((length, self.n_neurons), np.float32)
        lo = max(a - 1, 0)
        prev[lo - (a - 1):] = c[lo:a + length - 1]
        starts = np.zeros(length, bool)
        if a == 0:
            starts[0] = True
        return prev, starts

    def fit(self, counts, epochs: int = 20, seed=0, lr: float = 3e-3, batch_size: int = 32,
            stride: int | None = None, progress: bool | None = None) -> list[float]:
        """Train on windows of ``context`` bins every ``stride`` bins (default context / 4) by the Poisson
        negative log-likelihood (nats per bin and neuron, constant log n! dropped); returns it per epoch."""
        c = _counts(counts, self.n_neurons)
        length = min(self.context, c.shape[0])
        stride = require_int("stride", stride if stride is not None else max(1, self.context // 4))
        offsets = np.arange(0, c.shape[0] - length + 1, stride)
        windows = [self._window(c, int(a), length) for a in offsets]
        prev = torch.as_tensor(np.stack([w[0] for w in windows]))
        starts = torch.as_tensor(np.stack([w[1] for w in windows]))
        target = torch.as_tensor(np.stack([c[a:a + length] for a in offsets]))
        loss_fn = nn.PoissonNLLLoss(log_input=True, full=False)
        positive_float("lr", lr)

        def loss(idx):
            return loss_fn(self(prev[idx], starts[idx]), target[idx])

        return train(self, loss, len(offsets), epochs, batch_size, lr, seed, "SpikeTransformer", progress)

    @torch.no_grad()
    def log_rates(self, counts) -> np.ndarray:
        """Log expected spike count per bin, (T, n_neurons); row ``t`` depends on bins ``< t`` only.

        The context window slides by half its length; each row is read from the window in which it
        has at least half a context of history (rows of the first window: all the history there is).
        Divide ``exp(log_rates)`` by the bin width for a rate.
        """
        self.eval()
        c = _counts(counts, self.n_neurons)
        total, half = c.shape[0], max(1, self.context // 2)
        out = np.empty((total, self.n_neurons), np.float32)
        n_windows = max(1, (total - 1) // half)
        for w in range(n_windows):
            a = w * half
            length = min(self.context, total - a)
            if length <= 0:
                break
            prev, starts = self._window(c, a, length)
            eta = self(torch.as_tensor(prev)[None], torch.as_tensor(starts)[None])[0].numpy()
            first = 0 if w == 0 else half          # rows a + half .. a + length - 1 of this window
            out[a + first:a + length] = eta[first:]
        return out.astype(float)

    def save(self, path) -> None:
        """Write the configuration and weights; ``SpikeTransformer.load(path)`` restores them."""
        save_model(self, self.config, path)

    @classmethod
    def load(cls, path):
        return load_model(cls, path)
