"""Poisson generalised linear model (GLM) with stimulus and spike-history filters.

``rate(t) = exp(bias + sum_k k[k] s(t - k) + sum_j h[j] n(t - 1 - j))`` (Hz), counts per bin of
``dt`` ms ``n(t) ~ Poisson(rate(t) dt)``. The exponential is the canonical link, so the
negative log-likelihood is convex in the weights (Paninski 2004) and Newton's method with
its analytic gradient and Hessian converges fast; here scipy's trust-region Newton
(``trust-exact``) does the steps. Filters may be expanded in a basis, e.g. the raised
cosines of Pillow et al. (2008).

Units: time bins of ``dt`` ms, rates in Hz, ``bias`` = log of the baseline rate in Hz,
``k`` per stimulus unit, ``h`` per spike (log gain: ``exp(h[j])`` multiplies the rate
``j + 1`` bins after a spike).

References
----------
Paninski L (2004) Maximum likelihood estimation of cascade point-process neural encoding
    models. Network 15:243-262.
Truccolo W, Eden UT, Fellows MR, Donoghue JP, Brown EN (2005) A point process framework
    relating neural spiking activity to spiking history. J Neurophysiol 93:1074-1089.
Pillow JW, Shlens J, Paninski L, et al. (2008) Spatio-temporal correlations and visual
    signalling in a complete neuronal population. Nature 454:995-999 (raised-cosine basis,
    Supplementary Methods).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numba import njit
from scipy import optimize
from scipy.special import gammaln

from ..core.errors import ParameterError
from ..core.rng import make_rng
from ._design import lagged_matrix, positive, series, spike_counts
from ._design import n_lags as _n_lags

__all__ = ["PoissonGLM", "fit_poisson_glm", "raised_cosine_basis"]

#: the largest expected count per bin a simulation allows (keeps self-exciting runaways finite)
MAX_COUNT_PER_BIN = 50.0


def raised_cosine_basis(n_lags: int, n_basis: int, offset: float = 1.0) -> np.ndarray:
    """Raised cosines on a log-stretched time axis (Pillow et al. 2008): fine early, broad late.

    ``B_j(t) = (1 + cos(clip(y(t) - c_j, -pi, pi))) / 2`` with ``y(t) = a log(t + offset)``,
    peaks ``c_j`` evenly spaced pi/2 apart (so the bumps sum to a flat 2 between the first
    and last peak) from ``y(0)`` to ``y(n_lags - 1)``.

    Returns
    -------
    ndarray (n_lags, n_basis): column ``j`` is basis function ``j`` sampled at lags ``0..n_lags-1``.
    """
    if isinstance(n_lags, bool) or not isinstance(n_lags, (int, np.integer)) or n_lags < 1:
        raise ParameterError(f"n_lags must be an int >= 1, got {n_lags!r}")
    if isinstance(n_basis, bool) or not isinstance(n_basis, (int, np.integer)) or not 1 <= n_basis <= n_lags:
        raise ParameterError(f"n_basis must be an int in [1, n_lags = {n_lags}], got {n_basis!r}")
    offset = positive(offset, "offset")
    t = np.arange(n_lags, dtype=float)
    y_lo, y_hi = np.log(offset), np.log(n_lags - 1 + offset)
    if n_basis == 1:
        return np.ones((n_lags, 1))
    # spacing pi/2 in the stretched coordinate: scale the log axis so n_basis peaks span it
    a = (n_basis - 1) * (np.pi / 2) / max(y_hi - y_lo, 1e-12)
    y = a * (np.log(t + offset) - y_lo)
    peaks = np.arange(n_basis) * (np.pi / 2)
    return 0.5 * (1.0 + np.cos(np.clip(y[:, None] - peaks[None, :], -np.pi, np.pi)))


@dataclass(frozen=True)
class PoissonGLM:
    """A Poisson GLM: stimulus filter ``stim_filter`` (by lag 0..), history filter ``hist_filter``
    (lag 1.. bins after a spike), ``bias`` (log Hz), bin width ``dt`` (ms).

    Build one directly to simulate a known neuron, or get one from :func:`fit_poisson_glm`, which
    also fills ``log_likelihood`` (nats, full Poisson), standard errors from the inverse
    Hessian (``*_se``), and ``converged`` / ``n_iter``.
    """

    stim_filter: np.ndarray
    hist_filter: np.ndarray
    bias: float
    dt: float = 1.0
    log_likelihood: float = float("nan")
    stim_filter_se: np.ndarray | None = None
    hist_filter_se: np.ndarray | None = None
    bias_se: float = float("nan")
    converged: bool = True
    n_iter: int = 0

    def __post_init__(self):
        object.__setattr__(self, "stim_filter", series(self.stim_filter, "stim_filter"))
        h = np.asarray(self.hist_filter, dtype=float).reshape(-1)
        if not np.all(np.isfinite(h)):
            raise ParameterError("hist_filter must be finite")
        object.__setattr__(self, "hist_filter", h)
        if not np.isfinite(self.bias):
            raise ParameterError(f"bias must be finite (log rate in Hz), got {self.bias!r}")
        object.__setattr__(self, "dt", positive(self.dt, "dt"))

    def rate(self, stimulus, spikes) -> np.ndarray:
        """Conditional intensity (Hz) per bin given the stimulus and the observed spike counts."""
        s = series(stimulus, "stimulus")
        n = spike_counts(s, spikes, self.dt, False)
        eta = self.bias + lagged_matrix(s, self.stim_filter.size) @ self.stim_filter
        if self.hist_filter.size:
            eta = eta + lagged_matrix(n, self.hist_filter.size, start=1) @ self.hist_filter
        return np.exp(np.minimum(eta, np.log(MAX_COUNT_PER_BIN * 1000.0 / self.dt)))

    def simulate(self, stimulus, seed=None) -> np.ndarray:
        """Spike counts per bin generated bin by bin, each bin's rate shaped by the spikes already drawn.

        Counts are drawn by inverting the Poisson CDF with uniforms from ``seed``'s generator
        (no global random state); the expected count per bin is capped at
        ``MAX_COUNT_PER_BIN`` so a self-exciting history filter cannot overflow.
        """
        s = series(stimulus, "stimulus")
        drive = self.bias + np.log(self.dt / 1000.0) + lagged_matrix(s, self.stim_filter.size) @ self.stim_filter
        u = make_rng(seed).random(s.size)
        return _simulate_kernel(drive, self.hist_filter, u, np.log(MAX_COUNT_PER_BIN))


@njit(cache=True)
def _simulate_kernel(drive, hist, u, log_cap):
    n = np.zeros(drive.size, np.int64)
    for t in range(drive.size):
        eta = drive[t]
        for j in range(min(hist.size, t)):
            eta += hist[j] * n[t - 1 - j]
        mu = np.exp(min(eta, log_cap))
        p = np.exp(-mu)
        cdf = p
        c = 0
        while u[t] > cdf and p > 0.0:
            c += 1
            p *= mu / c
            cdf += p
        n[t] = c
    return n


def _basis(basis, n_stim, n_hist):
    if basis is None:
        return np.eye(n_stim), np.eye(n_hist)
    if isinstance(basis, str):
        if basis != "raised_cosine":
            raise ParameterError(f"basis must be None, 'raised_cosine' or a pair of arrays, got {basis!r}")
        # about one bump per three lags keeps early detail and smooths the late tail
        return (raised_cosine_basis(n_stim, max(1, min(n_stim, (n_stim + 2) // 3))),
                raised_cosine_basis(n_hist, max(1, min(n_hist, (n_hist + 2) // 3))) if n_hist else np.eye(0))
    try:
        bs, bh = (np.asarray(b, dtype=float) for b in basis)
    except (TypeError, ValueError):
        raise ParameterError("basis must be None, 'raised_cosine' or a pair (stim_basis, hist_basis) "
                             "of arrays") from None
    if bs.ndim != 2 or bs.shape[0] != n_stim or bh.ndim != 2 or bh.shape[0] != n_hist:
        raise ParameterError(f"basis arrays must have shapes (n_stim_lags = {n_stim}, m) and "
                             f"(n_hist_lags = {n_hist}, m'), got {bs.shape} and {bh.shape}")
    return bs, bh


def fit_poisson_glm(stimulus, spikes, n_stim_lags, n_hist_lags, basis=None, l2=0.0, dt=1.0,
                    times=False) -> PoissonGLM:
    """Maximum-likelihood Poisson GLM with exponential link (Paninski 2004; Pillow et al. 2008).

    Minimises ``-log L(w) + l2/2 |w_filters|^2`` with
    ``-log L = sum_t [mu_t - n_t log mu_t + log n_t!]``, ``mu_t = exp(X_t w)`` the expected count,
    gradient ``X^T (mu - n)`` and Hessian ``X^T diag(mu) X`` (both analytic; the problem is
    convex), by scipy's ``trust-exact`` Newton method. Bins whose lags reach before the
    recording are left out of the likelihood.

    Parameters
    ----------
    stimulus : 1-D array, one value per bin of ``dt`` ms.
    spikes : counts per bin (or spike times in ms with ``times=True``).
    n_stim_lags : int >= 1, stimulus filter length (lags 0..n_stim_lags-1).
    n_hist_lags : int >= 0, history filter length (lags 1..n_hist_lags; 0 = no history).
    basis : None (one weight per lag), ``"raised_cosine"`` (Pillow et al. 2008, about
        ``n_lags / 3`` bumps each), or a pair ``(stim_basis, hist_basis)`` of arrays (lags x functions).
    l2 : ridge penalty (>= 0) on the basis weights (not the bias).
    dt : bin width (ms).
    """
    s = series(stimulus, "stimulus")
    dt = positive(dt, "dt")
    n = spike_counts(s, spikes, dt, times)
    ks = _n_lags(n_stim_lags, "n_stim_lags", s.size)
    kh = _n_lags(n_hist_lags, "n_hist_lags", s.size, minimum=0)
    try:
        l2 = float(l2)
    except (TypeError, ValueError):
        raise ParameterError(f"l2 must be a number >= 0, got {l2!r}") from None
    if not np.isfinite(l2) or l2 < 0:
        raise ParameterError(f"l2 must be finite and >= 0, got {l2!r}")
    bs, bh = _basis(basis, ks, kh)
    first = max(ks - 1, kh)
    parts = [np.ones((s.size, 1)), lagged_matrix(s, ks) @ bs]
    if kh:
        parts.append(lagged_matrix(n, kh, start=1) @ bh)
    X = np.hstack(parts)[first:]
    y = n[first:]
    if y.sum() <= 0:
        raise ParameterError("spikes contain no spike in the fitted bins; the GLM is not identifiable")
    offset = np.log(dt / 1000.0)
    penalty = np.full(X.shape[1], l2)
    penalty[0] = 0.0

    def fun(w):
        eta = np.minimum(X @ w + offset, 700.0)
        mu = np.exp(eta)
        f = float(np.sum(mu - y * eta) + 0.5 * np.sum(penalty * w * w))
        return f, X.T @ (mu - y) + penalty * w

    def hess(w):
        mu = np.exp(np.minimum(X @ w + offset, 700.0))
        return (X * mu[:, None]).T @ X + np.diag(penalty)

    w0 = np.zeros(X.shape[1])
    w0[0] = np.log(y.mean() * 1000.0 / dt)          # start at the mean rate: a bounded first Newton step
    res = optimize.minimize(fun, w0, jac=True, hess=hess, method="trust-exact", options={"gtol": 1e-6})
    w = res.x
    eta = X @ w + offset
    ll = float(np.sum(y * eta - np.exp(eta) - gammaln(y + 1.0)))
    try:
        cov = np.linalg.inv(hess(w))
    except np.linalg.LinAlgError:
        cov = np.full((w.size, w.size), np.nan)
    ms = bs.shape[1]
    cov_s = bs @ cov[1:1 + ms, 1:1 + ms] @ bs.T
    k = bs @ w[1:1 + ms]
    if kh:
        cov_h = bh @ cov[1 + ms:, 1 + ms:] @ bh.T
        h, h_se = bh @ w[1 + ms:], np.sqrt(np.maximum(np.diag(cov_h), 0.0))
    else:
        h, h_se = np.zeros(0), np.zeros(0)
    return PoissonGLM(k, h, float(w[0]), dt, ll, np.sqrt(np.maximum(np.diag(cov_s), 0.0)), h_se,
                      float(np.sqrt(max(cov[0, 0], 0.0))), bool(res.success), int(res.nit))
