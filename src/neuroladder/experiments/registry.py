"""Named, runnable experiments: each returns flat metrics and matplotlib figures.

An experiment is a function ``f(quick: bool, **params) -> (metrics, figures)`` registered
with :func:`experiment`, where ``params`` are its keyword parameters with defaults (settable
from the command line with ``--set key=value``), ``metrics`` a flat dict of numbers and
``figures`` a dict ``name -> matplotlib Figure``.
"""

from __future__ import annotations

import inspect
import json
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from ..core.errors import ParameterError
from ..report.style import save


@dataclass(frozen=True)
class Experiment:
    name: str
    func: Callable
    description: str
    defaults: dict = field(default_factory=dict)


REGISTRY: dict[str, Experiment] = {}


def experiment(name: str, description: str):
    """Register ``func`` under ``name``; its keyword defaults become its settable parameters."""

    def decorate(func):
        sig = inspect.signature(func)
        defaults = {k: p.default for k, p in sig.parameters.items() if k != "quick"}
        REGISTRY[name] = Experiment(name, func, description, defaults)
        return func

    return decorate


@dataclass
class ExperimentResult:
    name: str
    metrics: dict
    figures: dict
    seconds: float
    paths: list = field(default_factory=list)

    def to_json(self) -> str:
        return json.dumps({"experiment": self.name, "metrics": self.metrics, "seconds": round(self.seconds, 3),
                           "figures": [str(p) for p in self.paths]}, indent=2)


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
        raise ParameterError(f"--set {key}={value!r}: expected a {type(default).__name__}") from None
    return value


def run(name: str, out_dir: str | Path | None = None, quick: bool = False, **settings) -> ExperimentResult:
    """Run experiment ``name`` (with ``settings`` overriding its defaults); save its figures as PNG in ``out_dir``."""
    exp = get(name)
    kwargs = parse_settings(exp, settings)
    start = time.perf_counter()
    metrics, figures = exp.func(quick=quick, **kwargs)
    seconds = time.perf_counter() - start
    result = ExperimentResult(name, {k: _plain(v) for k, v in metrics.items()}, figures, seconds)
    if out_dir is not None:
        out = Path(out_dir)
        out.mkdir(parents=True, exist_ok=True)
        for fig_name, fig in figures.items():
            path = out / f"{name}_{fig_name}.png"
            save(fig, path)
            result.paths.append(path)
    else:
        from ..report.style import close

        for fig in figures.values():
            close(fig)
    return result


def _plain(v):
    """numpy scalars -> Python numbers, so metrics print and serialise cleanly."""
    try:
        import numpy as np

        if isinstance(v, np.generic):
            return v.item()
    except ImportError:  # pragma: no cover
        pass
    return v
