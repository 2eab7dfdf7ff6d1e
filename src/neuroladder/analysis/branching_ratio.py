"""Branching-ratio estimation: conventional regression and the multistep-regression (MR) estimator.

For a branching process with immigration, ``E[A_{t+1} | A_t] = m A_t + h N``, so the
*conventional* estimate of ``m`` is the slope of the linear regression of ``A_{t+1}`` on
``A_t``. Under subsampling (each event observed with probability ``alpha``, binomial
thinning) the observed ``a_t`` has ``Cov(a_{t+k}, a_t) = alpha^2 m^k Var(A)`` but
``Var(a) = alpha^2 Var(A) + alpha (1 - alpha) E[A]``, so the conventional slope is biased
towards 0: ``m_conv = m alpha Var(A) / (alpha Var(A) + (1 - alpha) E[A])``.

Multistep regression (Wilting J, Priesemann V (2018) Inferring collective dynamical
states from widely unobserved systems. Nat Commun 9:2325): the slopes ``r_k`` of
``a_{t+k}`` on ``a_t`` for ``k = 1..k_max`` follow ``r_k = b m^k`` with an unknown
``b`` that absorbs the subsampling bias; fitting the exponential gives ``m`` independent
of ``alpha``. The autocorrelation time is ``tau = -dt / ln m``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from scipy import fft, optimize

from ..core.errors import ParameterError
from ..core.rng import make_rng


def subsample(counts, fraction, seed=None):
    """Binomial thinning: each event of ``counts`` is observed with probability ``fraction``.

    This is the standard model of sampling a random ``fraction`` of the units of a
    well-mixed network (Wilting & Priesemann 2018). Returns an int64 array like ``counts``.
    """
    c = _as_activity(counts, "counts")
    if not np.isfinite(fraction) or not 0.0 < fraction <= 1.0:
        raise ParameterError(f"fraction (probability of observing an event) must lie in (0, 1], got {fraction!r}")
    if np.any(c != np.round(c)):
        raise ParameterError("counts must be integers >= 0 for binomial thinning")
    return make_rng(seed).binomial(c.astype(np.int64), float(fraction))


def _as_activity(activity, name="activity"):
    a = np.asarray(activity, dtype=float)
    if a.ndim != 1:
        raise ParameterError(f"{name} must be a 1-D time series (events per step), got shape {a.shape}")
    if a.size < 3:
        raise ParameterError(f"{name} must have at least 3 time steps, got {a.size}")
    if not np.all(np.isfinite(a)):
        raise ParameterError(f"{name} contains NaN or infinite values")
    if np.any(a < 0):
        raise ParameterError(f"{name} contains negative values (min {a.min():g}); activity counts are >= 0")
    return a


def _lagged_sums(seg, ks):
    """For each lag k: (n, sum x, sum y, sum x y, sum x x) over the pairs (x, y) = (a_t, a_{t+k}).

    The lagged products for all k come from one FFT autocorrelation (O(T log T) instead of
    O(T k_max)); ``seg`` should be centred (its mean removed) so the sums do not cancel.
    """
    T = seg.size
    out = np.zeros((ks.size, 5))
    n = T - ks
    valid = n > 0
    if not np.any(valid):
        return out
    nfft = fft.next_fast_len(T + int(ks.max()))
    f = fft.rfft(seg, nfft)
    acf = fft.irfft(f * np.conj(f), nfft)
    cs = np.concatenate([[0.0], np.cumsum(seg)])
    cs2 = np.concatenate([[0.0], np.cumsum(seg * seg)])
    kv, nv = ks[valid], n[valid]
    out[valid] = np.column_stack([nv, cs[nv], cs[-1] - cs[kv], acf[kv], cs2[nv]])
    return out


def _block_sums(a, ks, n_blocks):
    """Per block b and lag k the sums of :func:`_lagged_sums` over the pairs inside block b."""
    edges = np.linspace(0, a.size, n_blocks + 1).astype(np.int64)
    return np.array([_lagged_sums(a[edges[b]:edges[b + 1]], ks) for b in range(n_blocks)])


def _slopes(sums):
    n, sx, sy, sxy, sxx = np.moveaxis(sums, -1, 0)
    with np.errstate(invalid="ignore", divide="ignore"):
        return (n * sxy - sx * sy) / (n * sxx - sx * sx)


def _rk(a, ks):
    """Regression slopes of a_{t+k} on a_t, each on all the pairs available at lag k."""
    return _slopes(_lagged_sums(a, ks))


def _fit_exp(ks, r, dt):
    """Fit r_k = b m^k (scipy curve_fit); returns (m, b, sd_m)."""
    good = np.isfinite(r)
    k, rr = ks[good], r[good]
    pos = rr > 0
    if pos.sum() >= 2:
        slope, icpt = np.polyfit(k[pos], np.log(rr[pos]), 1)
        p0 = (float(np.exp(icpt)), float(np.clip(np.exp(slope), 1e-6, 1.5)))
    else:
        p0 = (float(rr[0]) if rr.size else 1.0, 0.5)
    try:
        (b, m), cov = optimize.curve_fit(lambda k, b, m: b * np.abs(m) ** k, k, rr, p0=p0, maxfev=20000)
        sd = float(np.sqrt(cov[1, 1])) if np.all(np.isfinite(cov)) else np.nan
    except (RuntimeError, ValueError):
        return np.nan, np.nan, np.nan
    return float(abs(m)), float(b), sd


@dataclass(frozen=True)
class BranchingRatio:
    """Result of :func:`branching_ratio`.

    ``m``: estimate; ``ci``: confidence interval at level ``level``, from ``ci_method``:
    ``"block bootstrap"`` (percentiles over ``n_boot`` resamples of ``n_blocks``
    contiguous, non-overlapping blocks of the series, each contributing its own
    regression sums) or ``"fit covariance"`` (normal interval from curve_fit's covariance
    for MR, from the ordinary least-squares slope error for the conventional estimator;
    both ignore the autocorrelation of the residuals and are too narrow).
    For MR: ``tau = -dt / ln m`` (units of ``dt``; ``inf`` for ``m >= 1``), ``k`` (lags in
    steps), ``r_k`` (slopes), ``b`` (fitted amplitude).
    """

    method: str
    m: float
    ci: tuple
    ci_method: str
    level: float
    tau: float = np.nan
    b: float = np.nan
    k: np.ndarray = field(default_factory=lambda: np.empty(0), repr=False)
    r_k: np.ndarray = field(default_factory=lambda: np.empty(0), repr=False)
    boot: np.ndarray = field(default_factory=lambda: np.empty(0), repr=False)

    def r_k_fit(self, k=None):
        """The fitted curve ``b m^k`` at lags ``k`` (default: the lags used)."""
        k = self.k if k is None else np.asarray(k, dtype=float)
        return self.b * self.m ** k


def _tau(m, dt):
    return float(-dt / np.log(m)) if 0.0 < m < 1.0 else (np.inf if m >= 1.0 else 0.0)


def branching_ratio(activity, method="mr", k_max=100, dt=1.0, n_boot=100, n_blocks=20, level=0.95,
                    seed=None) -> BranchingRatio:
    """Estimate the branching ratio ``m`` of a population activity time series.

    Parameters
    ----------
    activity : 1-D array
        Events per time step (e.g. :func:`neuroladder.circuits.network_branching`, possibly
        :func:`subsample`\\ d). One step should be one generation of the process.
    method : {"mr", "conventional"}
        ``"mr"``: multistep regression (Wilting & Priesemann 2018), invariant to
        subsampling. ``"conventional"``: slope of ``A_{t+1}`` on ``A_t``, biased towards 0
        under subsampling.
    k_max : int
        Largest lag of MR (steps). Take several times the expected ``tau`` in steps
        (``tau ~ 1 / (1 - m)``; m = 0.98 -> 50 steps) and well below the series length.
    dt : float
        Duration of one step (e.g. ms); only scales ``tau``.
    n_boot : int
        Bootstrap resamples for ``ci`` (block bootstrap over ``n_blocks`` blocks); 0 gives
        the fit-covariance interval instead.
    level : float
        Confidence level of ``ci``.
    seed : None, int or Generator
        For the bootstrap.
    """
    a = _as_activity(activity)
    if method not in ("mr", "conventional"):
        raise ParameterError(f"method must be 'mr' or 'conventional', got {method!r}")
    if int(k_max) != k_max or not 1 <= k_max < a.size - 1:
        raise ParameterError(f"k_max must be an integer in [1, {a.size - 2}] (series length - 2), got {k_max!r}")
    if not np.isfinite(dt) or dt <= 0:
        raise ParameterError(f"dt must be a finite number > 0, got {dt!r}")
    if int(n_boot) != n_boot or n_boot < 0:
        raise ParameterError(f"n_boot must be an integer >= 0, got {n_boot!r}")
    if np.var(a) == 0:
        raise ParameterError("activity is constant: the branching ratio is undefined")
    lag = k_max if method == "mr" else 1
    if n_boot > 0 and (int(n_blocks) != n_blocks or n_blocks < 2 or a.size // n_blocks <= 2 * lag):
        raise ParameterError(f"n_blocks must be an integer >= 2 with blocks longer than twice the largest lag "
                             f"({lag}); got n_blocks={n_blocks!r} for {a.size} steps (or pass n_boot=0)")
    if not 0.0 < level < 1.0:
        raise ParameterError(f"level must lie in (0, 1), got {level!r}")
    ks = np.arange(1, int(k_max) + 1) if method == "mr" else np.array([1])
    a = a - a.mean()          # slopes are shift-invariant; centring keeps the sums accurate
    r = _rk(a, ks)
    q = (1.0 - level) / 2.0
    if method == "conventional":
        m, b, tau = float(r[0]), np.nan, np.nan
        x, y = a[:-1], a[1:]
        resid = (y - y.mean()) - m * (x - x.mean())
        sd = float(np.sqrt(resid @ resid / (x.size - 2) / np.sum((x - x.mean()) ** 2)))
    else:
        m, b, sd = _fit_exp(ks, r, dt)
        tau = _tau(m, dt)
    boot = np.empty(0)
    if n_boot > 0:
        rng = make_rng(seed)
        sums = _block_sums(a, ks, int(n_blocks))
        boot = np.empty(int(n_boot))
        for i in range(int(n_boot)):
            w = np.bincount(rng.integers(0, n_blocks, n_blocks), minlength=n_blocks).astype(float)
            rb = _slopes(np.tensordot(w, sums, axes=(0, 0)))
            boot[i] = rb[0] if method == "conventional" else _fit_exp(ks, rb, dt)[0]
        ok = boot[np.isfinite(boot)]
        ci = (float(np.quantile(ok, q)), float(np.quantile(ok, 1.0 - q))) if ok.size else (np.nan, np.nan)
        ci_method = "block bootstrap"
    else:
        from scipy.stats import norm

        z = norm.ppf(1.0 - q)
        ci = (m - z * sd, m + z * sd)
        ci_method = "fit covariance"
    return BranchingRatio(method, m, ci, ci_method, level, tau, b, ks.astype(float), r, boot)
