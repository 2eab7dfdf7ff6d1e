"""Strict JSON for every ``--json`` output: undefined numbers (NaN, +-inf) are written as ``null``.

Python's ``json.dumps`` writes ``NaN`` and ``Infinity`` by default, which strict parsers
(JavaScript's ``JSON.parse``, ``jq``, RFC 8259) reject. Every command that prints JSON goes
through :func:`dumps`.
"""

from __future__ import annotations

import json
import math


def plain(value):
    """``value`` with numpy scalars/arrays as Python numbers/lists and non-finite floats as None."""
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if hasattr(value, "tolist") and not isinstance(value, (str, bytes)):  # numpy scalar or array
        return plain(value.tolist())
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def dumps(obj, **kwargs) -> str:
    """``json.dumps`` of :func:`plain` ``(obj)`` that refuses (ValueError) anything non-standard left."""
    return json.dumps(plain(obj), allow_nan=False, **kwargs)
