"""``nl.simulate``: run any model for a duration with an injected current."""

from __future__ import annotations

import math
import warnings

import numpy as np

from . import _kernels
from .adaptive import simulate_adaptive
from .blocks import block_layout, from_blocks, to_blocks
from .errors import NeuroLadderWarning, ParameterError, SimulationDiverged
from .model import Model
from .parameters import require_finite, require_int, require_positive
from .progress import Progress
from .result import Result
from .rng import make_rng
from .solvers import ADAPTIVE, METHODS, resolve_method
from .status import raise_for_status
from .stimulus import as_stimulus

#: Unit-steps per kernel call; bounds noise memory and sets how often progress is shown.
_CHUNK_UNIT_STEPS = 4_000_000


def simulate(model, duration: float, dt: float = 0.01, current=0.0, n: int = 1, method: str = "auto",
             seed=None, record=None, record_dt: float | None = None, initial_state: dict | None = None,
             spike_threshold: float = 0.0, progress: bool | None = None, rtol: float = 1e-8,
             atol: float = 1e-10, noise_increments=None) -> Result:
    """Simulate ``n`` independent units of ``model`` for ``duration`` ms.

    Parameters
    ----------
    model : Model
        Any neuroladder model (``HodgkinHuxley()``, ``LIF()``, a user model, ...).
        Objects with their own ``_simulate`` method (cells, networks) are handed over to it.
    duration : float
        Simulated time in ms (> 0, at least one step).
    dt : float
        Time step in ms (> 0). With ``method="adaptive"`` it is the output sampling interval.
    current : number, array (n,), Stimulus or callable of t (ms)
        Injected current in ``model.current_unit``.
    n : int
        Number of independent units (>= 1).
    method : {"auto", "euler", "rk4", "exponential_euler", "adaptive"}
        ``"auto"`` takes ``model.default_method`` (the exact or exponential integrator
        where the model has one). ``"adaptive"`` uses ``scipy.integrate.solve_ivp`` (LSODA)
        with ``rtol``/``atol``; meant for small n.
    seed : None, int or numpy Generator
        For models with a noise term. Same seed, same result.
    record : tuple of str, optional
        State variables to record at every ``record_dt``; ``()`` keeps spikes only. Default:
        the spike variable (``("v",)`` for the neuron models), else the first state variable.
    record_dt : float, optional
        Recording interval in ms (a multiple of ``dt``; default ``dt``).
    initial_state : dict, optional
        Values replacing the model's initial state (scalars or per-unit arrays).
    spike_threshold : float
        For models without a reset (conductance-based): spikes are upward crossings of
        this value of the spike variable (mV, default 0 mV).
    progress : bool or None
        Show a progress bar; None shows one for runs longer than a few seconds.
    noise_increments : array (n_steps, n_states, n), optional
        Wiener increments dW (sqrt(ms) units, variance dt) to use instead of drawing them from
        ``seed``: the same Brownian path at several dt (strong convergence), or external noise.

    Returns
    -------
    Result
        ``res.t`` (ms), ``res["v"]`` ((T,) for n == 1, else (T, n)), ``res.spike_times``.

    Raises
    ------
    ParameterError
        For any invalid argument (the message names it and the allowed range).
    SimulationDiverged
        If a state variable becomes non-finite (says when, which unit and variable).
    """
    if hasattr(model, "_simulate") and not isinstance(model, Model):
        return model._simulate(duration=duration, dt=dt, current=current, method=method, seed=seed,
                               record=record, record_dt=record_dt, progress=progress)
    if not isinstance(model, Model):
        raise ParameterError(f"model must be a neuroladder Model (e.g. nl.HodgkinHuxley()), got {type(model).__name__}")
    n = require_int("n", n, low=1)
    require_positive("dt", dt, "ms")
    require_positive("duration", duration, "ms")
    if duration < dt * (1 - 1e-9):
        raise ParameterError(f"duration = {duration} ms must be at least one time step dt = {dt} ms")
    require_finite("spike_threshold", spike_threshold, "mV")
    n_steps = int(round(duration / dt))
    if not math.isclose(n_steps * dt, duration, rel_tol=1e-9, abs_tol=1e-12):
        warnings.warn(f"duration = {duration} ms is not a multiple of dt = {dt} ms; simulating "
                      f"{n_steps * dt:g} ms ({n_steps} steps)", stacklevel=2)
    rec_every = 1 if record_dt is None else _steps_per_sample(record_dt, dt)
    if record is None:
        record = (model.state_names[model.spike_index],)
    if isinstance(record, str):
        record = (record,)
    for name in record:
        if name not in model.state_names:
            raise ParameterError(f"record: '{name}' is not a state variable of {type(model).__name__}; "
                                 f"choose from {', '.join(model.state_names)}")
    method = resolve_method(model, method)
    _warn_above_max_dt(model, method, dt)
    make_rng(seed)  # reject an invalid seed for every model, not only for models with noise
    if noise_increments is not None:
        if model.noise is None:
            raise ParameterError(f"noise_increments: {type(model).__name__} has no noise term")
        noise_increments = np.asarray(noise_increments, dtype=float)
        expected = (n_steps, model.n_states, n)
        if noise_increments.shape != expected or not np.all(np.isfinite(noise_increments)):
            raise ParameterError(f"noise_increments has shape {noise_increments.shape}; it must be finite with "
                                 f"shape (n_steps, n_states, n) = {expected}")
    stim = as_stimulus(current)
    stim._check_units(n)
    params = model.param_matrix(n)
    state = model.state_matrix(n, initial_state)
    if not model.spikes:
        threshold = np.full(n, np.inf)  # nothing to cross
    elif model.has_reset:
        threshold = np.broadcast_to(np.asarray(model.threshold_at(dt), dtype=float), (n,)).copy()
    else:
        threshold = np.full(n, float(spike_threshold))
    t_ref = np.broadcast_to(np.asarray(model.refractory_period(), dtype=float), (n,)).copy()

    if method == ADAPTIVE:
        result = simulate_adaptive(model, n_steps, dt, stim, state, params, threshold, t_ref, record,
                                   rec_every, rtol, atol)
    else:
        result = _simulate_fixed(model, n_steps, dt, stim, state, params, threshold, t_ref, record, rec_every,
                                 METHODS[method], seed, progress, noise_increments)
    _check_physical_range(model, result, method)
    return result


def _warn_above_max_dt(model, method: str, dt: float) -> None:
    """Warn (once per call, before any work) when dt exceeds the model's accuracy bound for method."""
    if method == ADAPTIVE:
        return  # dt is then only the output interval
    bound = model.max_dt(method)
    if bound is not None and dt > bound * (1 + 1e-9):
        warnings.warn(NeuroLadderWarning(
            f"dt = {dt:g} ms is above {type(model).__name__}'s accuracy bound of {bound:g} ms for method "
            f"'{method}' (see {type(model).__name__}.max_dt): spikes may be lost or distorted; use dt <= {bound:g} ms"),
            stacklevel=3)


def _check_physical_range(model, result: Result, method: str) -> None:
    """Raise SimulationDiverged when a recorded trace or the final state leaves the model's physical range.

    A check on the result, not in the kernels: it costs one pass over the recorded arrays.
    """
    for name, (low, high) in model.physical_range.items():
        trace = result._traces.get(name)  # (samples, n)
        series = [(trace.reshape(len(result.t), -1), result.t)] if trace is not None else []
        series.append((np.atleast_1d(result.final_state[name])[None, :], np.array([result.duration])))
        for values, times in series:
            bad = (values < low) | (values > high)
            if bad.any():
                step, unit = np.argwhere(bad)[0]
                raise SimulationDiverged(
                    float(times[step]), int(unit), name, result.dt, method,
                    reason=f"reached {values[step, unit]:.4g} {model.unit_of(name)}, outside its physical range "
                           f"[{low:g}, {high:g}] (a numerical blow-up or a non-physical input)")


def _steps_per_sample(record_dt: float, dt: float) -> int:
    require_positive("record_dt", record_dt, "ms")
    k = int(round(record_dt / dt))
    if k < 1 or not math.isclose(k * dt, record_dt, rel_tol=1e-9):
        raise ParameterError(f"record_dt = {record_dt} ms must be a whole multiple of dt = {dt} ms")
    return k


def _simulate_fixed(model, n_steps, dt, stim, state, params, threshold, t_ref, record, rec_every,
                    method, seed, progress, noise_increments=None) -> Result:
    ns, n = state.shape
    if stim.time_varying:
        # samples on the half-step grid, so RK4 reads the current at stage midpoints
        stim_values = stim.sample(np.arange(2 * n_steps + 1) * (0.5 * dt), n)
    else:
        stim_values = stim.sample(np.zeros(1), n)
    n_blocks, block = block_layout(n)
    state_b = to_blocks(state, n_blocks, block)
    params_b = to_blocks(params, n_blocks, block)
    rec_vars = np.array([model.state_names.index(r) for r in record], dtype=np.int64)
    n_samples = n_steps // rec_every + 1
    rec = np.empty((len(rec_vars), n_samples, n))
    rec[:, 0, :] = state[rec_vars]
    refr_until = np.full(n, -np.inf)
    clamp_value = np.zeros(n)
    capacity = max(65_536, 8 * n * _kernels.MAX_SPIKES_PER_STEP)
    spk_t = np.empty(capacity)
    spk_i = np.empty(capacity, dtype=np.int64)
    counters = np.zeros(1, dtype=np.int64)
    status = np.zeros(4, dtype=np.int64)
    has_noise = model.noise is not None
    rng = make_rng(seed) if has_noise else None
    reset = model.reset if model.has_reset else _kernels.no_reset
    noise = model.noise if has_noise else _kernels.no_noise
    chunk = max(1, min(n_steps, _CHUNK_UNIT_STEPS // (n * (ns if has_noise else 1))))
    bar = Progress(f"{type(model).__name__} x{n}", n_steps, enabled=progress)
    done = 0
    while done < n_steps:
        steps = min(chunk, n_steps - done)
        if not has_noise:
            xi = np.zeros((1, 1, 1))
        elif noise_increments is not None:
            xi = np.ascontiguousarray(noise_increments[done:done + steps] / math.sqrt(dt))
        else:
            xi = rng.standard_normal((steps, ns, n))
        start = 0
        while start < steps:
            status[:] = 0
            finished = _kernels.run_fixed_step(
                model.equations, reset, noise, model.has_reset, has_noise, method.code,
                state_b, params_b, n, stim_values, stim.time_varying, dt, done + start, steps - start,
                model.spike_index, threshold, t_ref, refr_until, clamp_value,
                xi[start:] if has_noise else xi, rec_vars, rec_every, rec, spk_t, spk_i, counters, status)
            start += finished
            raise_for_status(status, dt, method.name,
                             lambda unit, var: model.spike_variable if var is None else model.state_names[var])
            if status[0] == _kernels.NEED_SPIKE_SPACE:
                spk_t = np.concatenate([spk_t, np.empty_like(spk_t)])
                spk_i = np.concatenate([spk_i, np.empty_like(spk_i)])
        done += steps
        bar.update(done)
    bar.close()
    m = counters[0]
    traces = {name: rec[q] for q, name in enumerate(record)}
    t = np.arange(n_samples) * (rec_every * dt)
    final_state = from_blocks(state_b, n)
    final = {s: final_state[j].copy() for j, s in enumerate(model.state_names)}
    return Result(t, traces, spk_t[:m].copy(), spk_i[:m].copy(), n, dt, n_steps * dt, method.name, model, final,
                  units={s: model.unit_of(s) for s in model.state_names})

