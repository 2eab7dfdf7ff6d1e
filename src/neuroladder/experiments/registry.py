"""Named, runnable experiments: each returns flat metrics and matplotlib figures.

An experiment is a function ``f(quick: bool, **params) -> (metrics, figures)`` registered
with :func:`experiment`, where ``params`` are its keyword parameters with defaults (settable
from the command line with ``--set key=value``), ``metrics`` a flat dict of numbers (None, or
a string saying why, where a value is undefined) and ``figures`` a dict ``name -> matplotlib Figure``.

Parameter checking (one mechanism for every experiment)
-------------------------------------------------------
Each parameter declares its allowed values in the decorator, and :func:`run` checks every
value against them *before* the experiment function is called, so a bad ``--set`` gives the
CLI's one-line ``ParameterError`` instead of a traceback from deep inside a solver::

    @experiment(name="my-exp", description="what it shows",
                params={"duration": Range(50.0, 1e5, "ms"),        # float: low <= x <= high
                        "n_cells": Range(1, 10_000),                 # int default -> integers only
                        "rate": Range(0.0, 1e3, "Hz", low_open=True),  # 0 < rate <= 1000
                        "method": Choice("auto", "euler")})        # strings: one of these
    def my_exp(quick=False, duration=500.0, n_cells=100, rate=10.0, method="auto", seed=1): ...

The type comes from the default (an int default accepts only integers, a float default any
real number, a bool default only booleans). ``seed`` needs no declaration (any integer >= 0).
Choose ranges that the experiment really runs in (e.g. a duration long enough for the ISIs
its metrics need), with upper limits that keep a run finite. ``tests/test_experiment_params.py``
sweeps every registered experiment's parameters over bad values (zero, negative, huge, NaN,
wrong type) and fails for a numeric parameter without a declared range.
"""

from __future__ import annotations

import inspect
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from ..core.errors import ParameterError
from ..core.parameters import require_range
from ..report import strict_json
from ..report.style import save


@dataclass(frozen=True)
class Range:
    """Allowed values of a numeric experiment parameter: ``low <= x <= high`` (``<`` where open), finite."""

    low: float
    high: float
    unit: str = ""
    low_open: bool = False
    high_open: bool = False

    def check(self, name: str, value) -> None:
        require_range(name, value, self.low, self.high, low_open=self.low_open, high_open=self.high_open,
                      unit=self.unit)

    def __str__(self):
        unit = f" {self.unit}" if self.unit else ""
        return f"{'(' if self.low_open else '['}{self.low:g}, {self.high:g}{')' if self.high_open else ']'}{unit}"


class Choice:
    """Allowed values of a string experiment parameter."""

    def __init__(self, *options: str):
        self.options = tuple(options)

    def check(self, name: str, value) -> None:
        if value not in self.options:
            raise ParameterError(f"{name} = {value!r} is not allowed; choose one of {', '.join(self.options)}")

    def __repr__(self):
        return f"Choice{self.options!r}"

    def __str__(self):
        return "{" + ", ".join(self.options) + "}"


#: any non-negative integer seed (numpy's SeedSequence accepts no negative one)
SEED_RANGE = Range(0, 2**63 - 1)


@dataclass(frozen=True)
class Experiment:
    name: str
    func: Callable
    description: str
    defaults: dict = field(default_factory=dict)
    #: parameter name -> Range or Choice (see the module docstring)
    params: dict = field(default_factory=dict)

    def check(self, kwargs: dict) -> dict:
        """``kwargs`` typed after the defaults and checked against the declared ranges (ParameterError)."""
        out = {}
        for key, value in kwargs.items():
            value = _typed(key, value, self.defaults[key])
            rule = self.params.get(key, SEED_RANGE if key == "seed" else None)
            if rule is not None:
                rule.check(key, value)
            out[key] = value
        return out


REGISTRY: dict[str, Experiment] = {}


def experiment(name: str, description: str, params: dict | None = None):
    """Register ``func`` under ``name``; its keyword defaults become its settable parameters.

    ``params`` maps parameter names to their allowed values (:class:`Range`, :class:`Choice`);
    :func:`run` checks them before calling ``func``.
    """

    def decorate(func):
        sig = inspect.signature(func)
        defaults = {k: p.default for k, p in sig.parameters.items() if k != "quick"}
        unknown = sorted(set(params or {}) - set(defaults))
        if unknown:
            raise TypeError(f"experiment {name!r} declares ranges for {unknown}, which are not its parameters")
        REGISTRY[name] = Experiment(name, func, description, defaults, dict(params or {}))
        return func

    return decorate


def _typed(key: str, value, default):
    """A Python-API value as the default's type (int, float, bool, str), or a ParameterError."""
    import numbers

    if isinstance(default, bool):
        if not isinstance(value, bool):
            raise ParameterError(f"{key} = {value!r} must be true or false")
        return value
    if isinstance(default, int):
        if isinstance(value, bool):
            raise ParameterError(f"{key} = {value!r} must be an integer")
        if not isinstance(value, numbers.Integral):
            if isinstance(value, numbers.Real) and float(value).is_integer():
                return int(value)
            raise ParameterError(f"{key} = {value!r} must be an integer")
        return int(value)
    if isinstance(default, float):
        if isinstance(value, bool) or not isinstance(value, numbers.Real):
            raise ParameterError(f"{key} = {value!r} must be a number")
        return float(value)
    if isinstance(default, str) and not isinstance(value, str):
        raise ParameterError(f"{key} = {value!r} must be a string")
    return value


class Undefined(NamedTuple):
    """A metric value that does not exist for this run, with the reason (e.g. fewer than two spikes:
    no ISI). :func:`run` reports it as None (``null`` in JSON) with the reason in ``result.notes``."""

    reason: str


@dataclass
class ExperimentResult:
    name: str
    metrics: dict
    figures: dict
    seconds: float
    paths: list = field(default_factory=list)
    #: metric name -> why its value is None
    notes: dict = field(default_factory=dict)

    def shown(self, key: str) -> str:
        """The metric as the CLI table and the HTML report show it: 6 significant digits, or n/a and why."""
        value = self.metrics[key]
        if value is None:
            return f"n/a ({self.notes.get(key, 'undefined')})"
        return f"{value:.6g}" if isinstance(value, float) else str(value)

    def to_json(self) -> str:
        """Strict JSON (undefined values are ``null``, their reasons under ``notes``)."""
        return strict_json.dumps({"experiment": self.name, "metrics": self.metrics, "notes": self.notes,
                                  "seconds": round(self.seconds, 3), "figures": [str(p) for p in self.paths]},
                                 indent=2)


def get(name: str) -> Experiment:
    if name not in REGISTRY:
        raise ParameterError(f"experiment {name!r} is unknown; `neuroladder list` shows them: {', '.join(REGISTRY)}")
    return REGISTRY[name]


def parse_settings(exp: Experiment, settings: list[str] | dict) -> dict:
    """Turn ``["duration=500", ...]`` into typed keyword arguments, checked against the defaults."""
    items = settings.items() if isinstance(settings, dict) else []
    if not isinstance(settings, dict):
        parsed = []
        for s in settings:
            if "=" not in s:
                raise ParameterError(f"--set {s!r}: expected key=value (e.g. --set duration=500)")
            key, value = s.split("=", 1)
            parsed.append((key.strip(), value.strip()))
        items = parsed
    out = {}
    for key, value in items:
        if key not in exp.defaults:
            known = ", ".join(f"{k}={v!r}" for k, v in exp.defaults.items()) or "none"
            raise ParameterError(f"experiment {exp.name!r} has no parameter {key!r}; its parameters: {known}")
        out[key] = _convert(key, value, exp.defaults[key])
    return out


def _convert(key, value, default):
    if not isinstance(value, str):
        return value
    try:
        if isinstance(default, bool):
            if value.lower() in ("1", "true", "yes", "on"):
                return True
            if value.lower() in ("0", "false", "no", "off"):
                return False
            raise ValueError
        if isinstance(default, int):
            return int(value)
        if isinstance(default, float):
            return float(value)
    except ValueError:
        kind = {"bool": "true or false", "int": "an integer", "float": "a number"}[type(default).__name__]
        raise ParameterError(f"--set {key}={value!r}: expected {kind}") from None
    return value


def run(name: str, out_dir: str | Path | None = None, quick: bool = False, **settings) -> ExperimentResult:
    """Run experiment ``name`` (with ``settings`` overriding its defaults); save its figures as PNG in ``out_dir``."""
    exp = get(name)
    kwargs = exp.check(parse_settings(exp, settings))
    start = time.perf_counter()
    metrics, figures = exp.func(quick=quick, **kwargs)
    seconds = time.perf_counter() - start
    plain, notes = _plain_metrics(metrics)
    result = ExperimentResult(name, plain, figures, seconds, notes=notes)
    if out_dir is not None:
        out = Path(out_dir)
        out.mkdir(parents=True, exist_ok=True)
        for fig_name, fig in figures.items():
            path = out / f"{name}_{fig_name}.png"
            save(fig, path)
            result.paths.append(path)
    return result


def _plain_metrics(metrics: dict) -> tuple[dict, dict]:
    """numpy scalars -> Python numbers; Undefined and non-finite values -> None with a note saying why."""
    plain, notes = {}, {}
    for key, value in metrics.items():
        if isinstance(value, Undefined):
            plain[key], notes[key] = None, value.reason
            continue
        value = strict_json.plain(value)
        if value is None:
            notes[key] = "not a finite number"
        plain[key] = value
    return plain, notes
