"""Input currents: constant, step, ramp, sinusoid, sampled arrays and callables of t.

A stimulus is a description of an injected current I(t) in the model's current
unit (``model.current_unit``: uA/cm^2 for Hodgkin-Huxley-type models, pA for
LIF/AdEx, the paper's units for Izhikevich). Stimuli add (``Step(...) + Sinusoid(...)``).
Times are in ms, frequencies in Hz.

Each stimulus can be evaluated at one time (``stim(t)``, used by the adaptive
solver) and sampled on a grid (``stim.sample(times, n)``, used by the fixed-step
kernels, which read the samples on the half-step grid so that RK4 sees the
midpoint values). Amplitudes may be scalars (same for every unit) or arrays of
length ``n`` (one value per unit).
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np

from .errors import ParameterError
from .parameters import require_finite, require_non_negative, require_positive


class Stimulus:
    """Base class. Subclasses implement :meth:`_values` (vectorised over times)."""

    #: True when the value changes with time (a constant needs one sample only).
    time_varying: bool = True

    def __call__(self, t: float):
        """Value at time ``t`` (ms): a scalar, or an array of one value per unit."""
        v = self._values(np.asarray([float(t)]))
        return v[0]

    def _values(self, times: np.ndarray) -> np.ndarray:  # (T,) or (T, U)
        raise NotImplementedError

    def n_units(self) -> int | None:
        """Number of units the stimulus is defined for, or None when it applies to any number."""
        return None

    def sample(self, times: np.ndarray, n: int) -> np.ndarray:
        """Values at ``times`` as an array of shape (T, 1) or (T, n) (float64, C order)."""
        self._check_units(n)
        vals = np.asarray(self._values(np.asarray(times, dtype=float)), dtype=float)
        if vals.ndim == 1:
            vals = vals[:, None]
        if not np.all(np.isfinite(vals)):
            raise ParameterError(f"current: {self!r} produced non-finite values; check its parameters")
        return np.ascontiguousarray(vals)

    def _check_units(self, n: int) -> None:
        m = self.n_units()
        if m is not None and m != n:
            raise ParameterError(
                f"current: {type(self).__name__} has values for {m} units but the simulation has n = {n}; "
                f"give one value per unit or a scalar"
            )

    def __add__(self, other: Stimulus) -> Stimulus:
        return Sum(self, as_stimulus(other))

    __radd__ = __add__


def _amplitude(name: str, value):
    arr = np.asarray(value, dtype=float)
    if arr.ndim > 1:
        raise ParameterError(f"{name} must be a scalar or a 1-D array (one value per unit), got shape {arr.shape}")
    require_finite(name, arr)
    return arr


def _window(times: np.ndarray, start: float, stop: float) -> np.ndarray:
    return (times >= start) & (times < stop)


def _per_unit(profile: np.ndarray, amplitude: np.ndarray) -> np.ndarray:
    """Outer product of a time profile (T,) with a scalar or per-unit amplitude."""
    return profile[:, None] * amplitude[None, :] if amplitude.ndim == 1 else profile * float(amplitude)


def _add(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """x + y for values of shape (T,) or (T, n): a shared (T,) profile is added to every unit's column."""
    if x.ndim != y.ndim:
        x, y = (x[:, None] if x.ndim == 1 else x), (y[:, None] if y.ndim == 1 else y)
    return x + y


class Constant(Stimulus):
    """A constant current ``amplitude`` (scalar or one value per unit) for all t."""

    time_varying = False

    def __init__(self, amplitude=0.0):
        self.amplitude = _amplitude("amplitude", amplitude)

    def _values(self, times):
        return _per_unit(np.ones_like(times), self.amplitude)

    def n_units(self):
        return self.amplitude.size if self.amplitude.ndim == 1 else None

    def __repr__(self):
        return f"Constant({self.amplitude!r})"


class Step(Stimulus):
    """``amplitude`` for ``start <= t < stop`` (ms), ``baseline`` otherwise."""

    def __init__(self, amplitude, start=0.0, stop=math.inf, baseline=0.0):
        self.amplitude = _amplitude("amplitude", amplitude)
        self.baseline = _amplitude("baseline", baseline)
        require_non_negative("start", start, "ms")
        if not stop > start:
            raise ParameterError(f"stop = {stop} ms must be later than start = {start} ms")
        self.start, self.stop = float(start), float(stop)

    def _values(self, times):
        on = _window(times, self.start, self.stop).astype(float)
        return _add(_per_unit(on, self.amplitude), _per_unit(1.0 - on, self.baseline))

    def n_units(self):
        sizes = {a.size for a in (self.amplitude, self.baseline) if a.ndim == 1}
        return sizes.pop() if sizes else None

    def __repr__(self):
        return f"Step({self.amplitude!r}, start={self.start}, stop={self.stop}, baseline={self.baseline!r})"


class Ramp(Stimulus):
    """Linear ramp from ``amplitude_start`` at ``start`` to ``amplitude_stop`` at ``stop`` (ms); 0 outside."""

    def __init__(self, amplitude_start, amplitude_stop, start, stop):
        self.amplitude_start = _amplitude("amplitude_start", amplitude_start)
        self.amplitude_stop = _amplitude("amplitude_stop", amplitude_stop)
        require_non_negative("start", start, "ms")
        if not stop > start or not math.isfinite(stop):
            raise ParameterError(f"stop = {stop} ms must be finite and later than start = {start} ms")
        self.start, self.stop = float(start), float(stop)

    def _values(self, times):
        on = _window(times, self.start, self.stop).astype(float)
        frac = np.clip((times - self.start) / (self.stop - self.start), 0.0, 1.0) * on
        return _add(_per_unit(on - frac, self.amplitude_start), _per_unit(frac, self.amplitude_stop))

    def n_units(self):
        sizes = {a.size for a in (self.amplitude_start, self.amplitude_stop) if a.ndim == 1}
        return sizes.pop() if sizes else None

    def __repr__(self):
        return f"Ramp({self.amplitude_start!r}, {self.amplitude_stop!r}, start={self.start}, stop={self.stop})"


class Sinusoid(Stimulus):
    """``offset + amplitude * sin(2 pi frequency t / 1000 + phase)`` for ``start <= t < stop``; 0 outside.

    ``frequency`` in Hz, ``phase`` in radians, t in ms.
    """

    def __init__(self, amplitude, frequency, phase=0.0, offset=0.0, start=0.0, stop=math.inf):
        self.amplitude = _amplitude("amplitude", amplitude)
        self.offset = _amplitude("offset", offset)
        require_positive("frequency", frequency, "Hz")
        require_finite("phase", phase, "rad")
        require_non_negative("start", start, "ms")
        if not stop > start:
            raise ParameterError(f"stop = {stop} ms must be later than start = {start} ms")
        self.frequency, self.phase, self.start, self.stop = float(frequency), float(phase), float(start), float(stop)

    def _values(self, times):
        on = _window(times, self.start, self.stop).astype(float)
        wave = np.sin(2.0 * np.pi * self.frequency * times / 1000.0 + self.phase) * on
        return _add(_per_unit(wave, self.amplitude), _per_unit(on, self.offset))

    def n_units(self):
        sizes = {a.size for a in (self.amplitude, self.offset) if a.ndim == 1}
        return sizes.pop() if sizes else None

    def __repr__(self):
        return f"Sinusoid({self.amplitude!r}, {self.frequency} Hz, phase={self.phase}, offset={self.offset!r})"


class TimeArray(Stimulus):
    """Samples ``values`` taken every ``dt`` ms from t = 0, held constant between samples.

    ``values`` has shape (T,) (same for every unit) or (T, n) (one column per unit);
    after the last sample the last value is held (as Brian2's TimedArray does).
    """

    def __init__(self, values, dt: float):
        arr = np.asarray(values, dtype=float)
        if arr.ndim not in (1, 2) or arr.shape[0] == 0:
            raise ParameterError(f"values must have shape (time,) or (time, n) with at least one sample, got {arr.shape}")
        require_finite("values", arr)
        require_positive("dt", dt, "ms")
        self.values, self.dt = arr, float(dt)

    def _values(self, times):
        idx = np.clip(np.floor(times / self.dt + 1e-9).astype(np.int64), 0, self.values.shape[0] - 1)
        return self.values[idx]

    def n_units(self):
        return self.values.shape[1] if self.values.ndim == 2 else None

    def __repr__(self):
        return f"TimeArray(shape={self.values.shape}, dt={self.dt})"


class FunctionOfTime(Stimulus):
    """A Python callable ``func(t)`` of time in ms returning a scalar or one value per unit.

    The callable is tried with a whole array of times first (fast when it is
    written with numpy); if that fails or gives the wrong shape it is called once per time.
    """

    def __init__(self, func: Callable):
        if not callable(func):
            raise ParameterError(f"current must be a number, an array, a Stimulus or a callable of t, got {func!r}")
        self.func = func

    def _values(self, times):
        try:
            out = np.asarray(self.func(times), dtype=float)
            if out.shape[:1] == times.shape and out.ndim in (1, 2):
                return out
        except Exception:  # noqa: BLE001 - fall back to scalar calls, errors surface there
            pass
        rows = [np.asarray(self.func(float(t)), dtype=float) for t in times]
        try:
            return np.stack(rows)
        except ValueError:
            raise ParameterError("current: the callable returned values of different shapes at different times") from None

    def __repr__(self):
        return f"FunctionOfTime({getattr(self.func, '__name__', self.func)!r})"


class Sum(Stimulus):
    """The sum of several stimuli."""

    def __init__(self, *parts: Stimulus):
        self.parts = parts
        self.time_varying = any(p.time_varying for p in parts)

    def _values(self, times):
        vals = [np.asarray(p._values(times), dtype=float) for p in self.parts]
        if any(v.ndim == 2 for v in vals):
            vals = [v if v.ndim == 2 else v[:, None] for v in vals]
        return sum(vals[1:], vals[0])

    def sample(self, times: np.ndarray, n: int) -> np.ndarray:
        """Each part sampled for ``n`` units, then added: a part that draws one value per unit (white
        noise) keeps its independent columns instead of being sampled once for all units."""
        self._check_units(n)
        parts = [p.sample(times, n) for p in self.parts]
        width = max(v.shape[1] for v in parts)
        return np.ascontiguousarray(sum((np.broadcast_to(v, (v.shape[0], width)) for v in parts[1:]), parts[0]))

    def n_units(self):
        sizes = {p.n_units() for p in self.parts} - {None}
        if len(sizes) > 1:
            raise ParameterError(f"current: the summed stimuli are defined for different numbers of units {sorted(sizes)}")
        return sizes.pop() if sizes else None

    def __repr__(self):
        return " + ".join(repr(p) for p in self.parts)


def as_stimulus(current) -> Stimulus:
    """Turn what a user passes as ``current=`` into a :class:`Stimulus`.

    A number is a constant; a 1-D array is one constant per unit; a callable is a
    function of t (ms). A time course sampled in an array must be wrapped in
    :class:`TimeArray` so that its sampling interval is explicit.
    """
    if isinstance(current, Stimulus):
        return current
    if callable(current):
        return FunctionOfTime(current)
    arr = np.asarray(current) if not isinstance(current, (str, bytes)) else None
    if arr is None or arr.dtype.kind not in "biuf":
        raise ParameterError(f"current must be a number, an array, a Stimulus or a callable of t, got {current!r}")
    if arr.ndim == 0:
        return Constant(float(arr))
    if arr.ndim == 1:
        return Constant(arr)
    raise ParameterError(
        f"current has shape {arr.shape}; a 2-D array is ambiguous: for values over time (and units) "
        f"use nl.TimeArray(values, dt=...), for one constant per unit pass a 1-D array"
    )
