"""Crackling-noise scaling relation and avalanche shape collapse.

Sethna JP, Dahmen KA, Myers CR (2001) Crackling noise. Nature 410:242-250: if
``P(S) ~ S^-tau_S``, ``P(T) ~ T^-alpha_T`` and ``<S>(T) ~ T^gamma`` then
``gamma = (alpha_T - 1) / (tau_S - 1)``, and the mean avalanche shape of duration ``T``
scales as ``s(t, T) = T^(gamma - 1) F(t / T)``.
Friedman N et al. (2012) Universal critical dynamics in high resolution neuronal
avalanche data. PRL 108:208102: the shapes of different durations collapse onto one
curve ``F`` after that rescaling; ``gamma`` can be read off the best collapse.

For a critical (mean-field) branching process tau_S = 3/2, alpha_T = 2 and gamma = 2.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import optimize

from ..core.errors import ParameterError


@dataclass(frozen=True)
class SizeDurationScaling:
    """``<S>(T) ~ T^gamma``: the fit and the points it used."""

    gamma: float
    intercept: float        #: ln <S> at T = 1 on the fitted line
    gamma_error: float      #: standard error of the slope (least squares, points treated as independent)
    durations: np.ndarray   #: (bin-mean) durations T of the fit points (bins)
    mean_sizes: np.ndarray  #: mean size of each point
    counts: np.ndarray      #: avalanches averaged in each point


def size_duration_scaling(sizes, durations, min_count=10, t_min=10, t_max=None, bins="log",
                          bins_per_decade=10) -> SizeDurationScaling:
    """Fit ``<S>(T) ~ T^gamma`` by least squares of ln <S> against ln T.

    Parameters
    ----------
    sizes, durations : arrays
        One entry per avalanche (durations in bins or generations, >= 1).
    min_count : int
        Each point of the fit averages at least this many avalanches (so the mean size is
        not dominated by one avalanche).
    t_min, t_max : int
        Durations used. ``gamma`` is a large-``T`` statement and ``<S>(T)`` has corrections
        of relative order ``1/T`` (for the critical Galton-Watson process the local slope
        is ~1.86 between T = 20 and 50 and ~2.0 above 50), so start the fit where the
        leading term dominates.
    bins : {"log", "distinct"}
        ``"log"`` (default): group durations in logarithmic bins (``bins_per_decade``) and
        regress the log of the bin-mean size on the log of the bin-mean duration; this
        reaches the rare long avalanches. ``"distinct"``: one point per distinct duration.
    """
    s = np.asarray(sizes, dtype=float).ravel()
    d = np.asarray(durations).ravel()
    if s.size == 0 or s.shape != d.shape:
        raise ParameterError(f"sizes and durations must be non-empty arrays of equal length, got {s.size} "
                             f"and {d.size}")
    if np.any(s < 0) or not np.all(np.isfinite(s)):
        raise ParameterError("sizes must be finite and >= 0")
    if not np.all(np.isfinite(d.astype(float))) or np.any(d < 1):
        raise ParameterError("durations must be finite and >= 1 (bins)")
    if bins not in ("log", "distinct"):
        raise ParameterError(f"bins must be 'log' or 'distinct', got {bins!r}")
    use = d >= t_min
    if t_max is not None:
        use &= d <= t_max
    s, d = s[use], d[use].astype(float)
    if d.size == 0:
        raise ParameterError(f"no avalanche has a duration in [t_min, t_max] = [{t_min}, {t_max}]")
    if bins == "log":
        n_edges = max(int(np.log10(d.max() / d.min()) * bins_per_decade), 1) + 1
        edges = np.geomspace(d.min(), d.max() * (1 + 1e-9), n_edges)
        label = np.clip(np.searchsorted(edges, d, side="right") - 1, 0, edges.size - 2)
    else:
        label = d
    _, inv, n = np.unique(label, return_inverse=True, return_counts=True)
    mean_t = np.bincount(inv, weights=d) / n
    mean_s = np.bincount(inv, weights=s) / n
    keep = n >= min_count
    if keep.sum() < 3:
        raise ParameterError(f"fewer than 3 duration bins have >= min_count = {min_count} avalanches in "
                             f"[t_min, t_max]; lower min_count or give more avalanches")
    lt, ls = np.log(mean_t[keep]), np.log(mean_s[keep])
    (slope, icpt), cov = np.polyfit(lt, ls, 1, cov=True)
    return SizeDurationScaling(float(slope), float(icpt), float(np.sqrt(cov[0, 0])), mean_t[keep],
                               mean_s[keep], n[keep])


def crackling_gamma(duration_exponent, size_exponent) -> float:
    """Predicted ``gamma = (alpha_T - 1) / (tau_S - 1)`` (Sethna et al. 2001)."""
    if not np.isfinite(duration_exponent):
        raise ParameterError(f"duration_exponent must be finite, got {duration_exponent!r}")
    if not np.isfinite(size_exponent) or size_exponent == 1.0:
        raise ParameterError(f"size_exponent must be finite and differ from 1 (the prediction divides by "
                             f"tau_S - 1), got {size_exponent!r}")
    return (float(duration_exponent) - 1.0) / (float(size_exponent) - 1.0)


@dataclass(frozen=True)
class ShapeCollapse:
    """Result of :func:`shape_collapse`."""

    gamma: float             #: exponent used for the rescaling (given or fitted)
    error: float             #: collapse error at ``gamma`` (0 = perfect collapse)
    grid: np.ndarray         #: rescaled time t / T of the common grid, in (0, 1)
    curves: dict             #: T -> rescaled shape on ``grid``
    scaling_function: np.ndarray  #: mean of the rescaled curves, the estimate of F


def _rescaled(shapes, gamma, grid):
    curves = {}
    for T, prof in shapes.items():
        prof = np.asarray(prof[0] if isinstance(prof, tuple) else prof, dtype=float)
        x = (np.arange(T) + 0.5) / T       # bin centres in units of the duration
        curves[T] = np.interp(grid, x, prof / T ** (gamma - 1.0))
    return curves


def _collapse_error(curves):
    y = np.array(list(curves.values()))
    spread = np.mean(np.var(y, axis=0))
    scale = (y.max() - y.min()) ** 2
    return float(spread / scale) if scale > 0 else np.inf


def shape_collapse(shapes, gamma=None, gamma_bounds=(1.0, 3.0), n_grid=50, t_min=4) -> ShapeCollapse:
    """Collapse mean avalanche shapes with ``s(t, T) / T^(gamma - 1)`` against ``t / T``.

    Parameters
    ----------
    shapes : dict
        ``{T: profile}`` or ``{T: (profile, n)}`` as returned by
        :func:`neuroladder.analysis.avalanche_shapes`.
    gamma : float, optional
        Rescaling exponent. Default: the value in ``gamma_bounds`` minimising the collapse
        error (Friedman et al. 2012).
    t_min : int
        Use durations ``>= t_min`` bins (very short shapes are dominated by discreteness).

    The collapse error is the mean (over the grid) variance across durations of the
    rescaled curves, divided by the squared range of the curves (dimensionless; small is
    good, ~1e-3 for a clean collapse).
    """
    use = {int(T): v for T, v in shapes.items() if int(T) >= t_min}
    if len(use) < 2:
        raise ParameterError(f"shape_collapse needs shapes of at least 2 durations >= t_min = {t_min}, "
                             f"got {sorted(use)}")
    # only the part of (0, 1) that every duration's bin centres cover (no extrapolation)
    edge = 0.5 / min(use)
    grid = np.linspace(edge, 1.0 - edge, n_grid)
    if gamma is None:
        res = optimize.minimize_scalar(lambda g: _collapse_error(_rescaled(use, g, grid)), bounds=gamma_bounds,
                                       method="bounded", options={"xatol": 1e-4})
        gamma = float(res.x)
    curves = _rescaled(use, float(gamma), grid)
    return ShapeCollapse(float(gamma), _collapse_error(curves), grid, curves,
                         np.mean(np.array(list(curves.values())), axis=0))
