"""Model reduction by fitting: a point model's parameters fitted to a target cell's spike times.

The quality measure is the coincidence factor of Kistler, Gerstner & van Hemmen (1997), as used in the
INCF spike-time prediction competition (Jolivet et al. 2008). The search is a global one (scipy's
differential evolution) over the model's own vectorised simulation: every candidate parameter set of a
generation is one unit of a single ``nl.simulate`` run, the idea of Brian's model-fitting toolbox
(Rossant et al. 2010, Front. Neuroinform. 4:2).
"""

from __future__ import annotations

import inspect
from dataclasses import dataclass, field

import numpy as np
from scipy.optimize import differential_evolution

from ..core.errors import ParameterError
from ..core.model import Model
from ..core.parameters import require_int, require_positive
from ..core.simulate import simulate
from ..core.stimulus import TimeArray


def _train(spikes, name):
    arr = np.asarray(spikes, dtype=float)
    if arr.ndim != 1 or not np.all(np.isfinite(arr)):
        raise ParameterError(f"{name} must be a 1-D array of finite spike times (ms)")
    return np.sort(arr)


def _coincidences(a: np.ndarray, b: np.ndarray, window: float) -> int:
    """Pairs (one spike of each train at most once) with |t_a - t_b| <= window, matched in time order."""
    count, j = 0, 0
    for t in a:
        while j < b.size and b[j] < t - window:
            j += 1
        if j < b.size and b[j] <= t + window:
            count += 1
            j += 1
    return count


def coincidence_factor(spikes_a, spikes_b, window: float = 4.0, duration: float | None = None) -> float:
    """Coincidence factor Gamma of two spike trains (ms): 1 for identical trains, ~0 for independent ones.

    ``Gamma = (N_coinc - 2 nu window N_a) / (0.5 (N_a + N_b)) / (1 - 2 nu window)`` with ``nu = N_b /
    duration`` the rate of train b (the "model"; a is the "data"): the coincidences in excess of those
    expected by chance from a Poisson train of b's rate, normalised so that identical trains give 1
    (Kistler et al. 1997, eq. 25; Jolivet et al. 2008). A coincidence is a pair with ``|t_a - t_b| <=
    window`` (ms), each spike counted once. With equal spike counts Gamma(a, b) = Gamma(b, a); otherwise
    the definition uses b's rate and is not symmetric. ``duration`` (ms) defaults to the last spike time.
    """
    a = _train(spikes_a, "spikes_a")
    b = _train(spikes_b, "spikes_b")
    require_positive("window", window, "ms")
    if a.size == 0 and b.size == 0:
        raise ParameterError("coincidence_factor: both trains are empty; Gamma is undefined")
    if duration is None:
        duration = float(max(a.max(initial=0.0), b.max(initial=0.0)))
    require_positive("duration", duration, "ms")
    nu = b.size / duration
    chance = 1.0 - 2.0 * nu * window
    if chance <= 0:
        raise ParameterError(f"window = {window} ms is too long for train b's rate ({1000 * nu:.0f} Hz): "
                             "2 nu window must stay below 1")
    n_coinc = _coincidences(a, b, window)
    return float((n_coinc - 2.0 * nu * window * a.size) / (0.5 * (a.size + b.size)) / chance)


@dataclass(frozen=True)
class FitResult:
    """The fitted model, its parameters, the mean coincidence factor on the training currents and
    scipy's optimisation record (``nfev`` simulations of single candidates, ``generations``)."""

    model: Model
    params: dict
    gamma: float
    generations: int
    nfev: int
    history: list = field(default_factory=list)


def _stimuli(currents, duration, dt, scale):
    out = []
    for j, c in enumerate(currents):
        arr = np.asarray(c, dtype=float) * scale
        if arr.ndim != 1 or arr.size < 2 or not np.all(np.isfinite(arr)):
            raise ParameterError(f"currents[{j}] must be a 1-D array of finite samples, one per dt")
        out.append(TimeArray(arr, duration / arr.size))
    return out


def simulate_spikes(model: Model, currents, duration: float, dt: float, current_scale: float = 1.0,
                    n: int = 1) -> list[list[np.ndarray]]:
    """Spike trains [current][unit] of ``n`` units of ``model`` (per-unit parameter arrays allowed) under
    each current (arrays sampled evenly over ``duration`` ms), multiplied by ``current_scale``."""
    out = []
    for stim in _stimuli(currents, duration, dt, current_scale):
        res = simulate(model, duration, dt, current=stim, n=n, record=(), progress=False)
        trains = res.spike_times
        out.append([trains] if n == 1 else list(trains))
    return out


def fit_model(model: Model, target_spikes, currents, bounds: dict, duration: float, dt: float = 0.05,
              current_scale: float = 1.0, window: float = 4.0, popsize: int = 12, maxiter: int = 60,
              seed=None, tol: float = 1e-3, progress: bool = False) -> FitResult:
    """Fit ``model``'s parameters named in ``bounds`` to ``target_spikes`` under ``currents``.

    Parameters
    ----------
    model : Model
        The point model to fit (e.g. ``nl.AdEx()``); parameters not in ``bounds`` keep its values.
    target_spikes : list of arrays
        The target's spike times (ms), one array per current.
    currents : list of arrays
        Each current sampled evenly over ``duration`` ms (the target's units; multiplied by ``current_scale``
        before it enters ``model``, e.g. 20 pA per uA/cm^2 for a 2000 um^2 membrane).
    bounds : dict name -> (low, high)
        Search box of each fitted parameter, in the model's units.
    duration, dt : float
        Length of each current (ms) and the fitting simulations' step (ms).
    window : float
        Coincidence window (ms) of :func:`coincidence_factor`.
    popsize, maxiter, seed, tol
        Differential evolution (scipy): ``popsize * len(bounds)`` candidates per generation, all simulated
        as the units of one ``nl.simulate`` run per current.

    Returns
    -------
    FitResult
        Cost minimised: ``1 - mean Gamma`` over the currents.
    """
    if not isinstance(model, Model):
        raise ParameterError(f"model must be a neuroladder Model, got {type(model).__name__}")
    if not isinstance(bounds, dict) or not bounds:
        raise ParameterError("bounds must be a non-empty dict name -> (low, high)")
    names = list(bounds)
    known = set(model.parameters())
    for name in names:
        if name not in known:
            raise ParameterError(f"bounds: {type(model).__name__} has no parameter {name!r}; its parameters are "
                                 f"{', '.join(sorted(known))}")
        lo, hi = bounds[name]
        if not (np.isfinite(lo) and np.isfinite(hi) and hi > lo):
            raise ParameterError(f"bounds[{name!r}] = {bounds[name]} must be finite (low, high) with high > low")
    targets = [_train(s, f"target_spikes[{j}]") for j, s in enumerate(target_spikes)]
    if len(targets) != len(currents) or not targets:
        raise ParameterError(f"target_spikes ({len(targets)}) and currents ({len(currents)}) must pair up, "
                             "at least one each")
    require_positive("duration", duration, "ms")
    require_positive("dt", dt, "ms")
    popsize = require_int("popsize", popsize, low=2)
    maxiter = require_int("maxiter", maxiter, low=1)
    stimuli = _stimuli(currents, duration, dt, current_scale)
    history = []

    def _valid_columns(x):
        try:
            candidates(x)
            return np.ones(x.shape[1], dtype=bool)
        except ParameterError:
            ok = np.zeros(x.shape[1], dtype=bool)
            for j in range(x.shape[1]):
                try:
                    candidates(x[:, j:j + 1])
                    ok[j] = True
                except ParameterError:
                    pass
            return ok

    def candidates(x):
        return model.replace(**{name: np.ascontiguousarray(x[i]) for i, name in enumerate(names)})

    def cost(x):
        x = x[:, None] if x.ndim == 1 else x                   # (n_params, S)
        valid = _valid_columns(x)
        out = np.full(x.shape[1], 2.0)                          # invalid combinations (e.g. v_t >= v_peak)
        if valid.any():
            trial = candidates(x[:, valid])
            gammas = np.zeros(int(valid.sum()))
            for stim, target in zip(stimuli, targets):
                res = simulate(trial, duration, dt, current=stim, n=gammas.size, record=(), progress=False)
                trains = res.spike_times if gammas.size > 1 else [res.spike_times]
                for u, train in enumerate(trains):
                    gammas[u] += _gamma_or_floor(target, train, window, duration)
            out[valid] = 1.0 - gammas / len(targets)
        history.append(float(out.min()))
        if progress:
            print(f"fit_model: generation {len(history)}, best Gamma {1 - out.min():.3f}", flush=True)
        return out

    result = differential_evolution(cost, [bounds[n] for n in names], popsize=popsize, maxiter=maxiter, tol=tol,
                                    **{_DE_RNG: np.random.default_rng(seed)}, vectorized=True,
                                    updating="deferred", polish=False)
    params = {name: float(result.x[i]) for i, name in enumerate(names)}
    fitted = model.replace(**params)
    return FitResult(fitted, params, float(1.0 - result.fun), int(result.nit), int(result.nfev), history)


# scipy >= 1.15 names the generator argument rng; older versions call it seed
_DE_RNG = "rng" if "rng" in inspect.signature(differential_evolution).parameters else "seed"


def _gamma_or_floor(target, train, window, duration):
    """Gamma, or -1 where it is undefined (an empty model train against an empty target is a perfect 1)."""
    if train.size == 0:
        return 1.0 if target.size == 0 else -1.0
    try:
        return coincidence_factor(target, train, window, duration)
    except ParameterError:          # the candidate fires so fast that 2 nu window >= 1
        return -1.0
