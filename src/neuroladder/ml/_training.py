"""Seeded training helpers shared by the models: weight init under a fixed seed, the loop, save/load."""

from __future__ import annotations

import contextlib

import torch

from ..core.errors import ParameterError
from ..core.parameters import positive_float, require_int
from ..core.progress import Progress
from ..core.rng import make_rng


@contextlib.contextmanager
def seeded(seed: int):
    """Draw torch random numbers (weight init) from ``seed`` without leaving the global torch state changed."""
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(int(seed))
        yield


def train(module: torch.nn.Module, loss_of_batch, n_items: int, epochs: int, batch_size: int, lr: float,
          seed, label: str, progress: bool | None = None) -> list[float]:
    """Adam over shuffled mini-batches: ``loss_of_batch(indices) -> scalar tensor``. Returns loss per epoch.

    The shuffling comes from ``seed`` (numpy Generator); with the same seed, data and initial weights,
    the trained weights are the same (CPU, one thread or deterministic kernels).
    """
    epochs = require_int("epochs", epochs)
    batch_size = require_int("batch_size", batch_size)
    lr = positive_float("lr", lr)
    rng = make_rng(seed)
    opt = torch.optim.Adam(module.parameters(), lr=lr)
    bar = Progress(label, epochs, enabled=progress)
    history = []
    module.train()
    for epoch in range(epochs):
        order = rng.permutation(n_items)
        total = 0.0
        for start in range(0, n_items, batch_size):
            idx = order[start:start + batch_size]
            opt.zero_grad()
            loss = loss_of_batch(idx)
            if not torch.isfinite(loss):
                raise ArithmeticError(f"{label}: the training loss became non-finite in epoch {epoch}; "
                                      f"try a smaller lr (now {lr:g})")
            loss.backward()
            opt.step()
            total += float(loss.detach()) * idx.size
        history.append(total / n_items)
        bar.update(epoch + 1)
    bar.close()
    module.eval()
    return history


def save_model(module: torch.nn.Module, config: dict, path) -> None:
    torch.save({"class": type(module).__name__, "config": config, "state": module.state_dict()}, path)


def load_model(cls, path):
    blob = torch.load(path, map_location="cpu", weights_only=False)
    if blob.get("class") != cls.__name__:
        raise ParameterError(f"{path}: holds a {blob.get('class')!r}, not a {cls.__name__}")
    model = cls(**blob["config"])
    model.load_state_dict(blob["state"])
    model.eval()
    return model
