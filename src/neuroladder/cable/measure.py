"""Measurements on cable simulations: threshold-crossing times and conduction velocity."""

from __future__ import annotations

import numpy as np

from ..core.errors import ParameterError


def crossing_time(t: np.ndarray, v: np.ndarray, threshold: float = 0.0) -> float:
    """First upward crossing of ``threshold`` (mV) by the trace ``v`` (interpolated, ms); NaN if none."""
    t, v = np.asarray(t, dtype=float), np.asarray(v, dtype=float)
    idx = np.flatnonzero((v[:-1] < threshold) & (v[1:] >= threshold))
    if idx.size == 0:
        return float("nan")
    i = int(idx[0])
    return float(t[i] + (threshold - v[i]) / (v[i + 1] - v[i]) * (t[i + 1] - t[i]))


def conduction_velocity(cell, result, site_a, site_b, threshold: float = 0.0) -> float:
    """Velocity (m/s, i.e. mm/ms) between two recorded sites ``(section, x)`` of one section.

    ``result`` must have recorded ``site_a`` and ``site_b`` in that order as its first two sites
    (``record=[site_a, site_b, ...]``); the distance is between the two compartment centres.
    """
    (sec_a, x_a), (sec_b, x_b) = site_a, site_b
    if cell._section_index(sec_a) != cell._section_index(sec_b):
        raise ParameterError("conduction_velocity needs two sites on the same section")
    v = result["v"]
    if v.ndim != 2 or v.shape[1] < 2:
        raise ParameterError("the result must record at least the two sites")
    i = cell._section_index(sec_a)
    pos = cell.positions(i)
    first = cell.compartment(i, 0.0)
    dist = abs(pos[cell.compartment(i, x_b) - first] - pos[cell.compartment(i, x_a) - first])
    dt = crossing_time(result.t, v[:, 1], threshold) - crossing_time(result.t, v[:, 0], threshold)
    return float(dist * 1e-3 / dt)
