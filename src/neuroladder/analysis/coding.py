"""Stimulus-response coding: spike-triggered average and covariance, the LN model.

Units: time bins of ``dt`` ms, rates in Hz, the stimulus in its own units (e.g. contrast).
A filter is indexed by lag: ``filter[k]`` weights the stimulus ``k`` bins before the
response bin (``k = 0`` is the response bin itself).

References
----------
Chichilnisky EJ (2001) A simple white noise analysis of neuronal light responses.
    Network 12:199-213. (STA as the LN filter estimate; histogram nonlinearity.)
Bussgang JJ (1952) Crosscorrelation functions of amplitude-distorted Gaussian signals.
    (For a Gaussian stimulus the STA of an LN neuron is proportional to its filter.)
Schwartz O, Pillow JW, Rust NC, Simoncelli EP (2006) Spike-triggered neural
    characterization. J Vision 6:484-507. (STC and its significance test.)
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
from scipy import optimize

from ..core.errors import ParameterError
from ..core.rng import make_rng
from ._design import lagged_matrix, positive, series, spike_counts
from ._design import n_lags as _n_lags

__all__ = ["LNModel", "STCResult", "fit_ln_model", "parametric_nonlinearity", "simulate_ln_poisson",
           "spike_triggered_average", "spike_triggered_covariance"]


def _prepare(stimulus, spikes, n_lags, dt, times):
    s = series(stimulus, "stimulus")
    dt = positive(dt, "dt")
    n = spike_counts(s, spikes, dt, times)
    k = _n_lags(n_lags, "n_lags", s.size)
    X = lagged_matrix(s, k)[k - 1:]      # drop the first k-1 rows: their early lags are padding, not stimulus
    n = n[k - 1:]
    if n.sum() <= 0:
        raise ParameterError("spikes contain no spike after the first n_lags - 1 bins; nothing to average")
    return s, X, n, k, dt


def spike_triggered_average(stimulus, spikes, n_lags, dt=1.0, times=False) -> np.ndarray:
    """Spike-triggered average: the mean stimulus ``k`` bins before a spike, ``k = 0..n_lags-1``.

    ``sta[k] = sum_t n_t s_{t-k} / sum_t n_t`` (each spike weighted by its count; bins whose
    early lags would fall before the recording are skipped). For a Gaussian white stimulus and
    an LN neuron, the STA is proportional to the linear filter (Bussgang 1952; Chichilnisky 2001).

    Parameters
    ----------
    stimulus : 1-D array, one value per bin of ``dt`` ms.
    spikes : spike counts per bin (same length), or spike times in ms if ``times=True``.
    n_lags : int >= 1, number of lags (filter length in bins).
    dt : bin width (ms); used only to bin spike times.
    times : treat ``spikes`` as spike times (ms) instead of counts.

    Returns
    -------
    ndarray (n_lags,): ``sta[k]`` at ``k * dt`` ms before the spike, in stimulus units.
    """
    _, X, n, _, _ = _prepare(stimulus, spikes, n_lags, dt, times)
    return n @ X / n.sum()


@dataclass(frozen=True)
class STCResult:
    """Spike-triggered covariance analysis (Schwartz et al. 2006).

    Attributes
    ----------
    sta : spike-triggered average (n_lags,).
    delta_cov : spike-triggered covariance minus prior stimulus covariance (n_lags, n_lags).
    eigenvalues : eigenvalues of ``delta_cov``, sorted by decreasing absolute value.
    eigenvectors : matching unit eigenvectors as columns (n_lags, n_lags).
    null_bounds : (low, high) range of eigenvalues expected with no stimulus dependence,
        from spike trains shifted in time against the stimulus.
    significant : boolean mask over ``eigenvalues``: outside ``null_bounds``.
    """

    sta: np.ndarray
    delta_cov: np.ndarray
    eigenvalues: np.ndarray
    eigenvectors: np.ndarray
    null_bounds: tuple
    significant: np.ndarray

    @property
    def significant_vectors(self) -> np.ndarray:
        """The eigenvectors (columns) whose eigenvalues are significant: the STC filters."""
        return self.eigenvectors[:, self.significant]


def _delta_cov(X, n, prior):
    hit = np.flatnonzero(n)             # only bins with spikes enter C_spike: a few percent of the rows
    w = n[hit] / n[hit].sum()
    mean = w @ X[hit]
    centred = X[hit] - mean
    c_spike = (centred * w[:, None]).T @ centred
    return mean, c_spike - prior


def spike_triggered_covariance(stimulus, spikes, n_lags, dt=1.0, times=False, n_shuffles=20,
                               seed=None) -> STCResult:
    """Spike-triggered covariance: directions in which spike-triggered stimuli vary more or less than all stimuli.

    ``delta_cov = C_spike - C_prior`` with ``C_spike`` the count-weighted covariance of the
    spike-triggered stimuli (about the STA) and ``C_prior`` the covariance of all stimulus
    windows. Its eigenvectors with eigenvalues far from zero are the filters of the neuron's
    feature subspace (positive: excitatory, e.g. the two phases of a complex cell; negative:
    suppressive). Significance (Schwartz et al. 2006, Sect. "Significance testing", simplified
    to one step): the spike train is shifted circularly against the stimulus by random offsets
    ``n_shuffles`` times, which keeps its count statistics and destroys its stimulus dependence;
    eigenvalues outside the range of all shifted eigenvalues are significant.

    Parameters as :func:`spike_triggered_average`, plus ``n_shuffles`` (int >= 1) and ``seed``.
    """
    if isinstance(n_shuffles, (bool, np.bool_)) or not isinstance(n_shuffles, (int, np.integer)) or n_shuffles < 1:
        raise ParameterError(f"n_shuffles must be an int >= 1, got {n_shuffles!r}")
    _, X, n, k, _ = _prepare(stimulus, spikes, n_lags, dt, times)
    rng = make_rng(seed)
    prior = np.cov(X, rowvar=False, bias=True).reshape(k, k)
    sta, dc = _delta_cov(X, n, prior)
    vals, vecs = np.linalg.eigh(dc)
    order = np.argsort(-np.abs(vals))
    vals, vecs = vals[order], vecs[:, order]
    lo, hi = np.inf, -np.inf
    for _ in range(int(n_shuffles)):
        # shifts of at least n_lags keep the shifted train off the stimulus window that drove it
        shift = int(rng.integers(k, max(k + 1, n.size - k)))
        null_vals = np.linalg.eigvalsh(_delta_cov(X, np.roll(n, shift), prior)[1])
        lo, hi = min(lo, null_vals[0]), max(hi, null_vals[-1])
    significant = (vals < lo) | (vals > hi)
    return STCResult(sta, dc, vals, vecs, (float(lo), float(hi)), significant)


# --- parametric nonlinearities: rate (Hz) as a function of the generator signal g -----------------

def _exp(g, p):
    return np.exp(np.clip(p[0] + p[1] * g, -700.0, 700.0))


def _softplus(g, p):
    return np.exp(p[0]) * np.logaddexp(0.0, p[1] * (g - p[2]))


def _sigmoid(g, p):
    return np.exp(p[0]) / (1.0 + np.exp(np.clip(-p[1] * (g - p[2]), -700.0, 700.0)))


#: name -> (function(g, params), parameter names). Rates in Hz; log-scale amplitudes keep them positive.
PARAMETRIC = {
    "exp": (_exp, ("log_rate_hz", "gain")),
    "softplus": (_softplus, ("log_scale_hz", "gain", "threshold")),
    "sigmoid": (_sigmoid, ("log_max_rate_hz", "gain", "midpoint")),
}


def parametric_nonlinearity(name: str, params) -> Callable:
    """The nonlinearity ``g -> rate (Hz)`` of family ``name`` (``exp``, ``softplus``, ``sigmoid``).

    exp: ``exp(a + b g)``; softplus: ``e^a log(1 + e^{b (g - c)})``; sigmoid: ``e^a / (1 + e^{-b (g - c)})``.
    """
    if name not in PARAMETRIC:
        raise ParameterError(f"parametric must be one of {sorted(PARAMETRIC)} or None, got {name!r}")
    f, names = PARAMETRIC[name]
    p = np.asarray(params, dtype=float)
    if p.shape != (len(names),):
        raise ParameterError(f"params of the {name} nonlinearity must be {len(names)} numbers {names}, got {params!r}")
    return lambda g: f(np.asarray(g, dtype=float), p)


@dataclass(frozen=True)
class LNModel:
    """A fitted linear-nonlinear (LN) Poisson model: ``rate(t) = f((filter * stimulus)(t))``.

    Attributes
    ----------
    filter : unit-norm linear filter by lag (n_lags,), the normalised STA.
    dt : bin width (ms).
    bin_edges, bin_centers : generator-signal bins of the histogram nonlinearity.
    rates : nonparametric nonlinearity, mean rate (Hz) of the bins with generator signal in each bin.
    rates_sem : its standard error (Hz), from the Poisson variance of the counts.
    parametric : the parametric family fitted (``None`` if none), ``params`` its parameters.
    log_likelihood : Poisson log-likelihood (nats) of the counts under the parametric fit.
    """

    filter: np.ndarray
    dt: float
    bin_edges: np.ndarray
    bin_centers: np.ndarray
    rates: np.ndarray
    rates_sem: np.ndarray
    parametric: str | None = None
    params: np.ndarray | None = None
    log_likelihood: float = float("nan")
    extra: dict = field(default_factory=dict)

    def generator(self, stimulus) -> np.ndarray:
        """Filtered stimulus ``g(t) = sum_k filter[k] s(t - k)`` (zeros before the start)."""
        s = series(stimulus, "stimulus")
        return lagged_matrix(s, self.filter.size) @ self.filter

    def nonparametric(self, g) -> np.ndarray:
        """Histogram nonlinearity at generator values ``g`` (Hz), linearly interpolated, flat outside."""
        return np.interp(np.asarray(g, dtype=float), self.bin_centers, self.rates)

    def nonlinearity(self, g) -> np.ndarray:
        """Rate (Hz) at generator values ``g``: the parametric fit if any, else the histogram."""
        if self.parametric is None:
            return self.nonparametric(g)
        return parametric_nonlinearity(self.parametric, self.params)(g)

    def predict(self, stimulus) -> np.ndarray:
        """Predicted firing rate (Hz) per bin for ``stimulus``."""
        return self.nonlinearity(self.generator(stimulus))


def _histogram_nonlinearity(g, n, dt, n_bins):
    # equal-count bins: every point of the estimate rests on the same number of samples
    edges = np.quantile(g, np.linspace(0.0, 1.0, n_bins + 1))
    edges = np.unique(edges)
    idx = np.clip(np.searchsorted(edges, g, side="right") - 1, 0, edges.size - 2)
    m = edges.size - 1
    occupancy = np.bincount(idx, minlength=m)
    counts = np.bincount(idx, weights=n, minlength=m)
    gsum = np.bincount(idx, weights=g, minlength=m)
    ok = occupancy > 0
    seconds = occupancy[ok] * dt / 1000.0
    rates = counts[ok] / seconds
    sem = np.sqrt(counts[ok]) / seconds
    centers = gsum[ok] / occupancy[ok]      # mean g in the bin, not the midpoint: unbiased for skewed bins
    return edges, centers, rates, sem


def _initial_params(name, centers, rates):
    r = np.maximum(rates, 1e-3)
    spread = max(float(np.ptp(centers)), 1e-9)
    if name == "exp":
        b, a = np.polyfit(centers, np.log(r), 1)
        return np.array([a, b])
    mid = float(np.interp(0.5 * (r.min() + r.max()), np.sort(r), centers[np.argsort(r)]))
    if name == "sigmoid":
        return np.array([np.log(1.2 * r.max()), 8.0 / spread, mid])
    slope = (r[-1] - r[0]) / spread
    return np.array([np.log(max(slope, 1e-3)), 1.0, mid])


def _fit_parametric(name, g, n, dt, centers, rates):
    f, _ = PARAMETRIC[name]
    sec = dt / 1000.0

    def neg_ll(p):
        mu = f(g, p) * sec + 1e-300
        return float(np.sum(mu - n * np.log(mu)))

    p0 = _initial_params(name, centers, rates)
    # a derivative-free start, then a quasi-Newton polish: robust to the flat likelihood of poor starts
    res = optimize.minimize(neg_ll, p0, method="Nelder-Mead", options={"maxiter": 2000, "xatol": 1e-6, "fatol": 1e-6})
    res = optimize.minimize(neg_ll, res.x, method="BFGS")
    ll = -res.fun - float(np.sum(_log_factorial(n)))
    return res.x, ll


def _log_factorial(n):
    from scipy.special import gammaln

    return gammaln(n + 1.0)


def fit_ln_model(stimulus, spikes, n_lags, n_bins=25, parametric="softplus", dt=1.0, times=False,
                 whiten=False) -> LNModel:
    """Fit an LN model: filter from the STA, nonlinearity from a histogram and a parametric fit.

    The filter is the STA normalised to unit length (Chichilnisky 2001); with ``whiten=True``
    it is ``C^-1 STA`` (the prior stimulus covariance removed, for correlated stimuli). The
    nonparametric nonlinearity is the mean rate in ``n_bins`` equal-count bins of the generator
    signal ``g = filter . stimulus window``; the parametric one (``exp``, ``softplus`` or
    ``sigmoid``, or ``None``) maximises the Poisson likelihood of the counts given ``g``
    (scipy.optimize: Nelder-Mead, then BFGS).

    Parameters
    ----------
    stimulus, spikes, n_lags, dt, times : as :func:`spike_triggered_average`.
    n_bins : int >= 2, bins of the histogram nonlinearity.
    parametric : family of the parametric nonlinearity or None.
    whiten : divide out the stimulus covariance from the STA.
    """
    if isinstance(n_bins, (bool, np.bool_)) or not isinstance(n_bins, (int, np.integer)) or n_bins < 2:
        raise ParameterError(f"n_bins must be an int >= 2, got {n_bins!r}")
    if parametric is not None and parametric not in PARAMETRIC:
        raise ParameterError(f"parametric must be one of {sorted(PARAMETRIC)} or None, got {parametric!r}")
    _, X, n, k, dt = _prepare(stimulus, spikes, n_lags, dt, times)
    sta = n @ X / n.sum()
    filt = np.linalg.solve(np.cov(X, rowvar=False, bias=True).reshape(k, k), sta) if whiten else sta
    norm = np.linalg.norm(filt)
    if norm == 0:
        raise ParameterError("the spike-triggered average is zero; the spikes carry no linear stimulus dependence")
    filt = filt / norm
    g = X @ filt
    edges, centers, rates, sem = _histogram_nonlinearity(g, n, dt, int(n_bins))
    params, ll = (None, float("nan"))
    if parametric is not None:
        params, ll = _fit_parametric(parametric, g, n, dt, centers, rates)
    return LNModel(filt, dt, edges, centers, rates, sem, parametric, params, ll,
                   {"sta": sta, "n_spikes": float(n.sum())})


def simulate_ln_poisson(stimulus, filter, nonlinearity: Callable, dt=1.0, seed=None) -> np.ndarray:
    """Spike counts of an LN-Poisson neuron: ``n_t ~ Poisson(f(sum_k filter[k] s_{t-k}) dt)``.

    Parameters
    ----------
    stimulus : 1-D array, one value per bin of ``dt`` ms.
    filter : 1-D array by lag (``filter[0]`` acts on the current bin).
    nonlinearity : callable, generator signal -> rate (Hz, >= 0, finite).
    dt : bin width (ms).
    seed : int or numpy Generator.

    Returns
    -------
    ndarray of int: counts per bin.
    """
    s = series(stimulus, "stimulus")
    k = series(filter, "filter")
    dt = positive(dt, "dt")
    if k.size > s.size:
        raise ParameterError(f"filter (length {k.size}) must not be longer than stimulus (length {s.size})")
    rate = np.asarray(nonlinearity(lagged_matrix(s, k.size) @ k), dtype=float)
    if rate.shape != s.shape or not np.all(np.isfinite(rate)) or np.any(rate < 0):
        raise ParameterError("nonlinearity must map the generator signal to finite rates >= 0 (Hz), one per bin")
    return make_rng(seed).poisson(rate * dt / 1000.0)
