"""Tuning curves over orientation (period 180 deg): preferred orientation and half-width at half-height."""

from __future__ import annotations

import numpy as np

from ..core.errors import ParameterError


def _curve(orientations_deg, response):
    theta = np.asarray(orientations_deg, dtype=float)
    r = np.asarray(response, dtype=float)
    if theta.ndim != 1 or r.shape != theta.shape or theta.size < 3:
        raise ParameterError(f"orientations_deg and response must be 1-D arrays of equal length >= 3, got "
                             f"{theta.shape} and {r.shape}")
    if not (np.all(np.isfinite(theta)) and np.all(np.isfinite(r))):
        raise ParameterError("orientations_deg and response must be finite")
    theta = np.mod(theta, 180.0)
    order = np.argsort(theta, kind="stable")
    theta, r = theta[order], r[order]
    keep = np.concatenate([[True], np.diff(theta) > 1e-9])  # 0 and 180 deg are one orientation
    return theta[keep], r[keep]


def preferred_orientation(orientations_deg, response) -> float:
    """Preferred orientation (deg in [0, 180)) as the circular mean ``arg(sum r e^{2 i theta}) / 2``.

    Orientation is periodic over 180 deg, hence the doubled angle (Swindale 1998). The curve should
    sample the whole period evenly. Returns NaN for a flat curve (no preference).
    """
    theta, r = _curve(orientations_deg, response)
    z = np.sum(r * np.exp(2j * np.deg2rad(theta)))
    if abs(z) <= 1e-12 * max(np.sum(np.abs(r)), 1e-300):
        return float("nan")
    return float(np.mod(np.rad2deg(np.angle(z)) / 2.0, 180.0))


def halfwidth(orientations_deg, response) -> float:
    """Half-width at half-height (deg) of a periodic tuning curve.

    The height is measured from the curve's minimum; from the peak the curve is followed both ways
    (wrapping at 180 deg) to where it first falls to half the height, located by linear interpolation
    between samples; the half-width is half the distance between the two crossings. NaN for a flat curve.
    """
    theta, r = _curve(orientations_deg, response)
    n = theta.size
    lo, hi = r.min(), r.max()
    if hi - lo <= 1e-12 * max(abs(hi), 1e-300):
        return float("nan")
    half = lo + 0.5 * (hi - lo)
    peak = int(np.argmax(r))
    period = 180.0

    def crossing(direction):
        for step in range(1, n):
            j0 = (peak + direction * (step - 1)) % n
            j1 = (peak + direction * step) % n
            if r[j1] <= half:
                t0 = theta[peak] + direction * _arc(theta, peak, j0, direction, period)
                t1 = theta[peak] + direction * _arc(theta, peak, j1, direction, period)
                frac = (r[j0] - half) / (r[j0] - r[j1])
                return t0 + frac * (t1 - t0)
        return theta[peak] + direction * period / 2

    return float(0.5 * abs(crossing(+1) - crossing(-1)))


def _arc(theta, start, j, direction, period):
    """Distance (deg) walked from sample ``start`` to sample ``j`` in ``direction`` on the circle."""
    d = (theta[j] - theta[start]) * direction
    return d % period
