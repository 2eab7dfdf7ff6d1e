"""Validation helpers for model parameters and function arguments.

Every check raises :class:`~neuroladder.core.errors.ParameterError` naming the
parameter, the value given and the allowed range (nengo's ``params.py`` idea:
reject a bad value when the object is made, not deep inside a kernel).
Values may be scalars or arrays (heterogeneous populations); arrays are checked
element-wise and the message shows the first offending element.
"""

from __future__ import annotations

import math

import numpy as np

from .errors import ParameterError


def _as_float_array(name: str, value) -> np.ndarray:
    try:
        arr = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        raise ParameterError(f"{name} must be a number or an array of numbers, got {value!r}") from None
    return arr


def _first_bad(arr: np.ndarray, ok: np.ndarray):
    bad = np.flatnonzero(~ok.ravel())
    return arr.ravel()[bad[0]].item() if bad.size else None


def require_finite(name: str, value, unit: str = "") -> None:
    """Raise ParameterError unless every element of ``value`` is a finite number."""
    arr = _as_float_array(name, value)
    ok = np.isfinite(arr)
    if not ok.all():
        raise ParameterError(f"{name} = {_first_bad(arr, ok)!r}{_u(unit)} is not finite; it must be a finite number")


def require_positive(name: str, value, unit: str = "") -> None:
    """Raise ParameterError unless ``value`` > 0 (and finite)."""
    require_range(name, value, low=0.0, low_open=True, unit=unit)


def positive_float(name: str, value, unit: str = "") -> float:
    """``value`` as a finite float > 0, or a ParameterError naming ``name`` and the allowed range."""
    try:
        v = float(value)
    except (TypeError, ValueError):
        raise ParameterError(f"{name} must be a number > 0{_u(unit)}, got {value!r}") from None
    require_positive(name, v, unit)
    return v


def require_non_negative(name: str, value, unit: str = "") -> None:
    """Raise ParameterError unless ``value`` >= 0 (and finite)."""
    require_range(name, value, low=0.0, unit=unit)


def require_range(name: str, value, low: float = -math.inf, high: float = math.inf,
                  low_open: bool = False, high_open: bool = False, unit: str = "") -> None:
    """Raise ParameterError unless ``low <=/< value <=/< high`` element-wise, and finite."""
    arr = _as_float_array(name, value)
    require_finite(name, arr, unit)
    ok = (arr > low if low_open else arr >= low) & (arr < high if high_open else arr <= high)
    if not ok.all():
        lo = "(" if low_open else "["
        hi = ")" if high_open else "]"
        raise ParameterError(
            f"{name} = {_first_bad(arr, ok)!r}{_u(unit)} is outside the allowed range "
            f"{lo}{low:g}, {high:g}{hi}{_u(unit)}"
        )


def require_int(name: str, value, low: int = 1) -> int:
    """Return ``value`` as int, raising ParameterError unless it is an integer >= ``low``."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, np.integer)):
        raise ParameterError(f"{name} must be an integer >= {low}, got {value!r}")
    if value < low:
        raise ParameterError(f"{name} = {value} is outside the allowed range: it must be an integer >= {low}")
    return int(value)


def require_less(name_a: str, a, name_b: str, b, unit: str = "") -> None:
    """Raise ParameterError unless ``a < b`` element-wise (e.g. v_reset < v_th)."""
    aa, bb = np.broadcast_arrays(_as_float_array(name_a, a), _as_float_array(name_b, b))
    ok = aa < bb
    if not ok.all():
        i = np.flatnonzero(~ok.ravel())[0]
        raise ParameterError(
            f"{name_a} = {aa.ravel()[i].item()!r}{_u(unit)} must be below {name_b} = {bb.ravel()[i].item()!r}{_u(unit)}"
        )


def _u(unit: str) -> str:
    return f" {unit}" if unit else ""
