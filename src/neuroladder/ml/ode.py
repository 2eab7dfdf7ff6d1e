"""Continuous-time models of irregularly sampled, partially missing series: Neural ODE, ODE-RNN, GRU-with-gaps.

All three read a sequence of events (time, values, which channels were observed) in time order.
At each event the model first *predicts* the values from what it has seen strictly before, then
*updates* its state with the channels observed there. Predictions at arbitrary query times
(interpolation between observations, extrapolation after the last one) are events with nothing
observed. The models differ only in how the state moves between events:

- :class:`NeuralODE` (Chen et al. 2018): the state is the observed vector itself, ``dx/dt = f(x)``
  with ``f`` a small MLP (or a linear map, ``hidden=0``); an observation overwrites the channels it
  has (a continuous-discrete filter with reset). ``adjoint=True`` back-propagates with torchdiffeq's
  adjoint method (memory O(1) in the number of solver steps).
- :class:`ODERNN` (Rubanova, Chen & Duvenaud 2019): a latent state ``h`` follows ``dh/dt = f(h)``
  between observations and jumps by a GRU cell at each observation (input: values * mask, mask).
- :class:`GRUBaseline`: the same GRU cell, but the state is frozen between observations; the time
  since the previous observation is an extra input, and the readout also gets the time since the
  last observation (the "RNN-Delta t" baseline of Rubanova et al. 2019).

Times are in ms; ``time_scale`` (ms) is the unit the vector fields see (``dh/ds`` with ``s = t /
time_scale``), so that an O(1) network describes dynamics on that time scale. Integration between
events uses torchdiffeq's fixed-step RK4 with steps of at most ``max_step`` time scales.

References
----------
Chen RTQ, Rubanova Y, Bettencourt J, Duvenaud D (2018) Neural ordinary differential equations. NeurIPS.
Rubanova Y, Chen RTQ, Duvenaud D (2019) Latent ODEs for irregularly-sampled time series. NeurIPS.
"""

from __future__ import annotations

import math

import numpy as np
import torch
from torch import nn
from torchdiffeq import odeint, odeint_adjoint

from ..core.errors import ParameterError
from ..core.parameters import positive_float, require_int
from ._training import load_model, save_model, seeded, train
from .data import IrregularSamples

__all__ = ["NeuralODE", "ODERNN", "GRUBaseline"]


class _Rescaled(nn.Module):
    """``dh/ds = gap_b f(h)`` on ``s`` in [0, 1]: every sequence of a batch crosses its own gap in one solve."""

    def __init__(self, field: nn.Module, gap: torch.Tensor):
        super().__init__()
        self.field = field
        self.gap = gap      # a fresh module per solve: the adjoint's backward pass re-reads it later

    def forward(self, s, h):
        return self.gap[:, None] * self.field(h)


def _mlp(n_in, n_hidden, n_out):
    return nn.Sequential(nn.Linear(n_in, n_hidden), nn.Tanh(), nn.Linear(n_hidden, n_out))


def _as_tensors(t, values, mask):
    t = np.asarray(t, dtype=float)
    values = np.asarray(values, dtype=float)
    mask = np.asarray(mask, dtype=bool)
    if t.ndim == 1:
        t, values, mask = t[None], values[None], mask[None]
    if values.ndim != 3 or t.shape != values.shape[:2] or mask.shape != values.shape:
        raise ParameterError(f"expected t (B, n), values (B, n, D) and mask (B, n, D); got shapes {t.shape}, "
                             f"{values.shape}, {mask.shape}")
    if np.any(np.diff(t, axis=1) < 0):
        raise ParameterError("t must be non-decreasing within each sequence (sort the samples by time)")
    if not (np.all(np.isfinite(t)) and np.all(np.isfinite(values[mask]))):
        raise ParameterError("t and the observed values must be finite")
    return (torch.as_tensor(t, dtype=torch.float64), torch.as_tensor(np.where(mask, values, 0.0)),
            torch.as_tensor(mask, dtype=torch.float64))


class _EventModel(nn.Module):
    """The shared event loop; subclasses define ``initial``, ``evolve``, ``readout`` and ``update``."""

    uses_ode = True

    def __init__(self, dim, time_scale, max_step, adjoint):
        super().__init__()
        self.dim = require_int("dim", dim)
        self.time_scale = positive_float("time_scale", time_scale)
        self.max_step = positive_float("max_step", max_step)
        self.adjoint = bool(adjoint)

    # -- state motion between events ---------------------------------------------------------------
    def _integrate(self, field: nn.Module, h, gap):
        """Move ``h`` across ``gap`` (ms, per sequence) with fixed-step RK4 of <= ``max_step`` time scales."""
        span = float(gap.max()) / self.time_scale
        if span <= 0.0:
            return h
        func = _Rescaled(field, gap / self.time_scale)
        steps = max(1, math.ceil(span / self.max_step))
        s = torch.tensor([0.0, 1.0], dtype=h.dtype)
        options = {"step_size": 1.0 / steps}
        if self.adjoint:
            out = odeint_adjoint(func, h, s, method="rk4", options=options, adjoint_method="rk4",
                                 adjoint_options=options, adjoint_params=tuple(field.parameters()))
        else:
            out = odeint(func, h, s, method="rk4", options=options)
        return out[-1]

    def forward(self, t, x, m):
        """Predictions (B, K, D) at every event from the events strictly before it (t, x, m as tensors)."""
        batch, n_events, _ = x.shape
        h = self.initial(batch)
        t_prev = t[:, 0]
        t_last = t[:, 0]  # time of the last event that observed something
        preds = []
        for k in range(n_events):
            h = self.evolve(h, t[:, k] - t_prev)
            preds.append(self.readout(h, t[:, k] - t_last))
            h, seen = self.update(h, x[:, k], m[:, k], t[:, k] - t_last)
            t_last = torch.where(seen, t[:, k], t_last)
            t_prev = t[:, k]
        return torch.stack(preds, dim=1)

    # -- public API ------------------------------------------------------------------------------
    def fit(self, samples: IrregularSamples, epochs: int = 50, lr: float = 1e-2, batch_size: int = 16,
            seed=0, progress: bool | None = None) -> list[float]:
        """Train on one-step-ahead prediction of every observed entry (MSE); returns the loss per epoch.

        Each observation is predicted from the observations strictly before it, so the model
        learns to carry information across gaps of the lengths it will be asked to bridge.
        Same seed (mini-batch order), same data and same construction seed give the same weights.
        """
        t, x, m = _as_tensors(samples.t, samples.values, samples.mask)

        def loss(idx):
            pred = self(t[idx], x[idx], m[idx])
            return ((pred - x[idx]) ** 2 * m[idx]).sum() / m[idx].sum().clamp(min=1.0)

        return train(self, loss, t.shape[0], epochs, batch_size, lr, seed, type(self).__name__, progress)

    @torch.no_grad()
    def predict(self, samples: IrregularSamples, query_t) -> np.ndarray:
        """Values (B, Q, D) at query times (ms, shape (B, Q) or (Q,)), each from the observations strictly
        before it: between observations this interpolates, after the last one it extrapolates."""
        t, x, m = _as_tensors(samples.t, samples.values, samples.mask)
        q = np.asarray(query_t, dtype=float)
        if q.ndim == 1:
            q = np.tile(q, (t.shape[0], 1))
        if q.ndim != 2 or q.shape[0] != t.shape[0] or not np.all(np.isfinite(q)):
            raise ParameterError(f"query_t must be finite, shape (Q,) or (B = {t.shape[0]}, Q); got {q.shape}")
        tq = torch.as_tensor(q, dtype=torch.float64)
        all_t = torch.cat([tq, t], dim=1)
        # queries sort before an observation at the same time: they may not see it
        key = all_t * 2.0 + torch.cat([torch.zeros_like(tq), torch.ones_like(t)], dim=1) * 1e-9
        order = torch.argsort(key, dim=1, stable=True)
        zeros = torch.zeros(tq.shape + (self.dim,), dtype=torch.float64)
        all_x = torch.cat([zeros, x], dim=1)
        all_m = torch.cat([zeros, m], dim=1)
        gather = order[:, :, None].expand(-1, -1, self.dim)
        pred = self(torch.gather(all_t, 1, order), torch.gather(all_x, 1, gather), torch.gather(all_m, 1, gather))
        where = torch.argsort(order, dim=1)[:, :q.shape[1]]   # position of each query in the sorted events
        return torch.gather(pred, 1, where[:, :, None].expand(-1, -1, self.dim)).numpy()

    def save(self, path) -> None:
        """Write the configuration and weights (torch.save); ``type(model).load(path)`` restores them."""
        save_model(self, self.config, path)

    @classmethod
    def load(cls, path):
        return load_model(cls, path)


class NeuralODE(_EventModel):
    """A Neural ODE ``dx/dt = f(x) / time_scale`` on the observed channels (Chen et al. 2018).

    Parameters
    ----------
    dim : int
        Number of channels D.
    hidden : int
        Width of the MLP ``f`` (one tanh hidden layer); 0 makes ``f`` linear, ``f(x) = W x + b``, so
        :meth:`system_matrix` is the fitted ``A`` of ``dx/dt = A x + b`` (1/ms).
    time_scale : float (ms); max_step : float (time scales per RK4 step).
    adjoint : bool
        Gradients by torchdiffeq's adjoint ODE instead of back-propagating through the solver.
    seed : int
        Weight initialisation.
    """

    def __init__(self, dim: int, hidden: int = 32, time_scale: float = 1.0, max_step: float = 0.25,
                 adjoint: bool = False, seed: int = 0):
        super().__init__(dim, time_scale, max_step, adjoint)
        self.hidden = require_int("hidden", hidden, low=0)
        self.config = dict(dim=dim, hidden=hidden, time_scale=time_scale, max_step=max_step, adjoint=adjoint,
                           seed=seed)
        with seeded(seed):
            field = nn.Linear(dim, dim) if hidden == 0 else _mlp(dim, hidden, dim)
            if hidden == 0:
                nn.init.zeros_(field.weight)
                nn.init.zeros_(field.bias)
            self.field = field.double()
            self.x0 = nn.Parameter(torch.zeros(dim, dtype=torch.float64))

    def initial(self, batch):
        return self.x0.expand(batch, -1)

    def evolve(self, h, gap):
        return self._integrate(self.field, h, gap)

    def readout(self, h, since_last):
        return h

    def update(self, h, x, m, since_last):
        return m * x + (1.0 - m) * h, m.sum(dim=1) > 0

    @torch.no_grad()
    def vector_field(self, x) -> np.ndarray:
        """The fitted ``dx/dt`` (per ms) at states ``x`` (..., D)."""
        return (self.field(torch.as_tensor(np.asarray(x, dtype=float))) / self.time_scale).numpy()

    def system_matrix(self) -> np.ndarray:
        """``A`` (1/ms) of the linear field ``dx/dt = A x + b`` (only with ``hidden=0``)."""
        if self.hidden != 0:
            raise ParameterError("system_matrix needs a linear field: build NeuralODE(dim, hidden=0)")
        return self.field.weight.detach().numpy() / self.time_scale


class ODERNN(_EventModel):
    """ODE-RNN (Rubanova et al. 2019): latent ``dh/dt = f(h) / time_scale`` between observations, a GRU
    jump at each observation (input: values * mask and the mask), linear readout ``h -> x``.

    Parameters: ``dim`` channels, ``latent`` size of ``h``, ``hidden`` width of ``f``'s tanh layer,
    ``time_scale`` (ms), ``max_step``, ``adjoint`` as :class:`NeuralODE`, ``seed`` for the weights.
    """

    def __init__(self, dim: int, latent: int = 16, hidden: int = 32, time_scale: float = 1.0,
                 max_step: float = 0.25, adjoint: bool = False, seed: int = 0):
        super().__init__(dim, time_scale, max_step, adjoint)
        self.latent = require_int("latent", latent)
        require_int("hidden", hidden)
        self.config = dict(dim=dim, latent=latent, hidden=hidden, time_scale=time_scale, max_step=max_step,
                           adjoint=adjoint, seed=seed)
        with seeded(seed):
            self.field = _mlp(latent, hidden, latent).double()
            self.cell = nn.GRUCell(2 * dim, latent).double()
            self.out = nn.Linear(latent, dim).double()

    def initial(self, batch):
        return torch.zeros(batch, self.latent, dtype=torch.float64)

    def evolve(self, h, gap):
        return self._integrate(self.field, h, gap)

    def readout(self, h, since_last):
        return self.out(h)

    def update(self, h, x, m, since_last):
        seen = m.sum(dim=1) > 0
        return torch.where(seen[:, None], self.cell(torch.cat([x * m, m], dim=1), h), h), seen


class GRUBaseline(_EventModel):
    """GRU with time gaps as input: the state is frozen between observations; each update gets
    values * mask, the mask and the gap since the previous observation (in time scales), and the
    readout gets the time since the last observation. No ODE: the discrete-time baseline."""

    uses_ode = False

    def __init__(self, dim: int, latent: int = 16, hidden: int = 32, time_scale: float = 1.0, seed: int = 0):
        super().__init__(dim, time_scale, 1.0, False)
        self.latent = require_int("latent", latent)
        require_int("hidden", hidden)
        self.config = dict(dim=dim, latent=latent, hidden=hidden, time_scale=time_scale, seed=seed)
        with seeded(seed):
            self.cell = nn.GRUCell(2 * dim + 1, latent).double()
            self.out = _mlp(latent + 1, hidden, dim).double()

    def initial(self, batch):
        return torch.zeros(batch, self.latent, dtype=torch.float64)

    def evolve(self, h, gap):
        return h

    def readout(self, h, since_last):
        return self.out(torch.cat([h, (since_last / self.time_scale)[:, None]], dim=1))

    def update(self, h, x, m, since_last):
        seen = m.sum(dim=1) > 0
        inp = torch.cat([x * m, m, (since_last / self.time_scale)[:, None]], dim=1)
        return torch.where(seen[:, None], self.cell(inp, h), h), seen
