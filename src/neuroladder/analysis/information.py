"""Mutual information: plug-in estimators with bias corrections, the Gaussian channel, efficient coding.

Estimators (all in bits) work on paired samples ``(x, y)`` binned into a joint histogram.
The plug-in (maximum-likelihood) estimate is biased upward; to first order in 1/N the bias is
``(K_xy - K_x - K_y + 1) / (2 N ln 2)`` with ``K`` the numbers of bins with nonzero
probability (Miller 1955; Treves & Panzeri 1995; Panzeri & Treves 1996).

- ``"plugin"``: no correction.
- ``"miller-madow"``: subtracts that first-order bias, counting *occupied* bins
  (Miller 1955 applied to each of the three entropies of ``I = H(X) + H(Y) - H(X, Y)``).
- ``"quadratic-extrapolation"``: the estimate on the full data and on random halves and
  quarters is fitted with ``I(N) = I_inf + a/N + b/N^2`` and extrapolated to ``N -> inf``
  (Strong et al. 1998; the 1/N expansion of Treves & Panzeri 1995). This, not the Bayesian
  bin-counting of Panzeri & Treves (1996), is the third correction offered here.

Efficient coding: a neuron with a bounded output range and fixed output noise transmits the
most information when every output level is used equally often, so its infomax
input-output curve is ``r_max`` times the cumulative distribution of its inputs
(Laughlin 1981).

References
----------
Miller GA (1955) Note on the bias of information estimates. In: Information Theory in
    Psychology, Free Press, 95-100.
Treves A, Panzeri S (1995) The upward bias in measures of information derived from limited
    data samples. Neural Comput 7:399-407.
Panzeri S, Treves A (1996) Analytical estimates of limited sampling biases in different
    information measures. Network 7:87-107.
Strong SP, Koberle R, de Ruyter van Steveninck RR, Bialek W (1998) Entropy and information
    in neural spike trains. Phys Rev Lett 80:197-200.
Shannon CE (1948) A mathematical theory of communication (Gaussian channel, Theorem 16/17).
Laughlin S (1981) A simple coding procedure enhances a neuron's information capacity.
    Z Naturforsch 36c:910-912.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from scipy.special import ndtr

from ..core.errors import ParameterError
from ..core.rng import make_rng
from ._design import positive, series

__all__ = ["EmpiricalCDF", "MI_METHODS", "channel_information", "gaussian_channel_binned_mi",
           "gaussian_channel_mi", "infomax_nonlinearity", "mutual_information", "plugin_bias",
           "quantized_output_information"]

MI_METHODS = ("plugin", "miller-madow", "quadratic-extrapolation")
_LN2 = np.log(2.0)


def _entropy_bits(counts: np.ndarray) -> float:
    c = counts[counts > 0].astype(float)
    p = c / c.sum()
    return float(-np.sum(p * np.log2(p)))


def _bin_index(v: np.ndarray, bins, name: str) -> tuple[np.ndarray, int]:
    """Bin labels 0..K-1 for ``v``: ``bins`` an int (equal-count bins) or an array of edges."""
    if isinstance(bins, (int, np.integer)) and not isinstance(bins, (bool, np.bool_)):
        if bins < 2:
            raise ParameterError(f"n_bins must be >= 2, got {bins}")
        # equal-count (quantile) bins: every bin is occupied, so no bin is wasted on empty tails
        edges = np.quantile(v, np.linspace(0.0, 1.0, int(bins) + 1))[1:-1]
        return np.searchsorted(edges, v, side="right"), int(bins)
    edges = np.asarray(bins, dtype=float)
    if edges.ndim != 1 or edges.size < 3 or np.any(np.diff(edges) <= 0):
        raise ParameterError(f"bins for {name} must be an int >= 2 or >= 3 increasing edges")
    return np.clip(np.searchsorted(edges, v, side="right") - 1, 0, edges.size - 2), edges.size - 1


def _plugin(ix, iy, kx, ky):
    joint = np.bincount(ix * ky + iy, minlength=kx * ky)
    hx = _entropy_bits(np.bincount(ix, minlength=kx))
    hy = _entropy_bits(np.bincount(iy, minlength=ky))
    return hx + hy - _entropy_bits(joint), joint


def plugin_bias(n_x_bins: int, n_y_bins: int, n_samples: int) -> float:
    """First-order bias (bits) of the plug-in MI when every joint bin has nonzero probability.

    ``(K_x - 1)(K_y - 1) / (2 N ln 2)`` (Miller 1955; Treves & Panzeri 1995): the expected
    excess of the plug-in estimate over the true MI of the binned variables, to order 1/N.
    """
    return (n_x_bins - 1) * (n_y_bins - 1) / (2.0 * n_samples * _LN2)


def mutual_information(x, y, n_bins=16, method="miller-madow", seed=None) -> float:
    """Mutual information (bits) between paired samples ``x`` and ``y`` from their joint histogram.

    Parameters
    ----------
    x, y : 1-D arrays of equal length (continuous values are binned; integer codes too).
    n_bins : int (equal-count bins for both) or a pair ``(bins_x, bins_y)``, each an int or edges.
    method : ``"plugin"``, ``"miller-madow"`` or ``"quadratic-extrapolation"`` (module docstring).
    seed : random subsets for ``"quadratic-extrapolation"``.

    The MI of the *binned* variables is at most that of the continuous ones (data processing);
    the gap shrinks as bins get finer while the sampling bias grows as ``K^2 / N``.
    """
    xa, ya = series(x, "x"), series(y, "y")
    if xa.size != ya.size:
        raise ParameterError(f"x and y must be paired samples of equal length, got {xa.size} and {ya.size}")
    if method not in MI_METHODS:
        raise ParameterError(f"method must be one of {MI_METHODS}, got {method!r}")
    bx, by = n_bins if isinstance(n_bins, (tuple, list)) and len(n_bins) == 2 else (n_bins, n_bins)
    ix, kx = _bin_index(xa, bx, "x")
    iy, ky = _bin_index(ya, by, "y")
    n = xa.size
    if method == "plugin":
        return _plugin(ix, iy, kx, ky)[0]
    if method == "miller-madow":
        mi, joint = _plugin(ix, iy, kx, ky)
        occ_x = np.count_nonzero(np.bincount(ix, minlength=kx))
        occ_y = np.count_nonzero(np.bincount(iy, minlength=ky))
        return float(mi - (np.count_nonzero(joint) - occ_x - occ_y + 1) / (2.0 * n * _LN2))
    if n < 8:
        raise ParameterError(f"quadratic-extrapolation needs at least 8 samples, got {n}")
    rng = make_rng(seed)
    perm = rng.permutation(n)
    sizes, values = [], []
    for parts in (1, 2, 4):
        chunks = np.array_split(perm, parts)
        sizes.append(np.mean([c.size for c in chunks]))
        values.append(np.mean([_plugin(ix[c], iy[c], kx, ky)[0] for c in chunks]))
    inv = 1.0 / np.asarray(sizes)
    # exact quadratic through three points in 1/N; its constant term is the N -> inf limit
    coeffs = np.polyfit(inv, np.asarray(values), 2)
    return float(coeffs[-1])


def gaussian_channel_mi(snr) -> float:
    """``I = 0.5 log2(1 + SNR)`` bits: Gaussian input through additive Gaussian noise (Shannon 1948)."""
    snr = float(snr)
    if not np.isfinite(snr) or snr < 0:
        raise ParameterError(f"snr must be finite and >= 0, got {snr!r}")
    return 0.5 * np.log2(1.0 + snr)


def gaussian_channel_binned_mi(snr, n_bins: int, n_grid: int = 20001) -> float:
    """Exact MI (bits) of the Gaussian channel after equal-count binning of input and output.

    ``x ~ N(0, 1)``, ``y = x + noise`` standardised: a bivariate normal with correlation
    ``rho = sqrt(SNR / (1 + SNR))``. Each variable is cut at its ``j / n_bins`` quantiles and the
    cell probabilities ``P(i, j) = int_{x-bin i} phi(x) [Phi((b_{j+1} - rho x)/s) - Phi((b_j - rho x)/s)] dx``
    (``s = sqrt(1 - rho^2)``) are integrated numerically on ``n_grid`` points over ``|x| < 9``.
    This is the value every histogram estimator with these bins converges to as N grows;
    ``gaussian_channel_mi(snr) - gaussian_channel_binned_mi(snr, K)`` is the discretisation loss.
    """
    from scipy.special import ndtri

    rho = np.sqrt(float(snr) / (1.0 + float(snr)))
    s = np.sqrt(1.0 - rho * rho)
    cuts = ndtri(np.arange(1, n_bins) / n_bins)
    x = np.linspace(-9.0, 9.0, n_grid)
    w = np.exp(-0.5 * x * x) / np.sqrt(2 * np.pi) * (x[1] - x[0])
    b = np.concatenate([[-np.inf], cuts, [np.inf]])
    cond = np.diff(ndtr((b[None, :] - rho * x[:, None]) / s), axis=1)       # P(y-bin j | x)
    xbin = np.searchsorted(cuts, x, side="right")
    joint = np.zeros((n_bins, n_bins))
    np.add.at(joint, xbin, cond * w[:, None])
    joint /= joint.sum()
    px, py = joint.sum(1), joint.sum(0)
    nz = joint > 0
    return float(np.sum(joint[nz] * np.log2(joint[nz] / np.outer(px, py)[nz])))


class EmpiricalCDF:
    """``f(x) = r_max * F(x)`` with ``F`` the empirical CDF of ``samples``, linearly interpolated.

    Sample ``i`` of ``n`` (sorted) sits at ``(i + 1/2) / n``: a continuous, strictly increasing
    curve between the smallest and largest sample, clamped at ``1/(2n)`` and ``1 - 1/(2n)`` outside.
    """

    def __init__(self, samples, r_max: float = 1.0):
        self.x = np.sort(series(samples, "samples"))
        self.r_max = positive(r_max, "r_max")
        self.levels = (np.arange(self.x.size) + 0.5) / self.x.size

    def __call__(self, x) -> np.ndarray:
        return self.r_max * np.interp(np.asarray(x, dtype=float), self.x, self.levels)


def infomax_nonlinearity(samples, r_max=1.0) -> EmpiricalCDF:
    """Laughlin's (1981) infomax curve: ``r_max`` times the empirical CDF of the inputs ``samples``.

    Applied to inputs from the same distribution it makes the output uniform on ``[0, r_max]``,
    the maximum-entropy output of a bounded range, hence (with small, input-independent output
    noise) the most information transmitted.
    """
    return EmpiricalCDF(samples, r_max)


def channel_information(nonlinearity: Callable, samples, noise_sd, r_max=1.0, grid_step=None) -> float:
    """Information (bits) through a bounded neuron with additive Gaussian output noise.

    Channel model: ``r = f(x) + eta``, with ``f(x)`` clipped to ``[0, r_max]`` (the bounded
    output range), ``eta ~ N(0, noise_sd^2)`` independent of ``x``, ``x`` distributed as
    ``samples``. Because ``f`` is deterministic and the noise additive,
    ``I(x; r) = h(r) - h(eta)``, ``h(eta) = 0.5 log2(2 pi e noise_sd^2)``. The density of ``r`` is
    the histogram of ``f(samples)`` on a fine grid (``grid_step``, default ``noise_sd / 20``)
    convolved with the Gaussian noise density; ``h(r)`` is its Riemann sum. With ``N`` samples
    the only sampling error is that of the smoothed histogram, tiny for ``N >> r_max / noise_sd``.

    For small noise the uniform output (the infomax curve) maximises ``h(r)`` and the
    information approaches ``log2(r_max / noise_sd) - 0.5 log2(2 pi e)`` (slightly above it,
    since noise spreads ``r`` beyond the range). At larger noise curves that pile outputs at
    the two ends of the range transmit more: the capacity-achieving output of an
    amplitude-limited Gaussian channel is discrete with mass at the ends (Smith 1971), and
    Laughlin's argument is a small-noise (many discriminable levels) argument. Measured in
    docs/coding.md.
    """
    x = series(samples, "samples")
    sd = positive(noise_sd, "noise_sd")
    r_max = positive(r_max, "r_max")
    step = sd / 20.0 if grid_step is None else positive(grid_step, "grid_step")
    u = np.asarray(nonlinearity(x), dtype=float)
    if u.shape != x.shape or not np.all(np.isfinite(u)):
        raise ParameterError("nonlinearity must return one finite value per sample")
    u = np.clip(u, 0.0, r_max)
    pad = 8.0 * sd
    edges = np.arange(-pad, r_max + pad + step, step)
    mass, _ = np.histogram(u, edges)
    mass = mass / mass.sum()
    half = int(np.ceil(pad / step))
    kernel = np.exp(-0.5 * (np.arange(-half, half + 1) * step / sd) ** 2)
    kernel /= kernel.sum() * step                    # a density: mass convolved with it is a density
    from scipy.signal import fftconvolve  # scipy.signal is a slow import: only when used

    dens = np.clip(fftconvolve(mass, kernel, mode="same"), 0.0, None)
    nz = dens > 0
    h_r = -np.sum(dens[nz] * np.log2(dens[nz])) * step
    h_noise = 0.5 * np.log2(2 * np.pi * np.e * sd * sd)
    return float(h_r - h_noise)


def quantized_output_information(nonlinearity: Callable, samples, n_levels: int, r_max=1.0) -> float:
    """Information (bits) when the output is read as one of ``n_levels`` equal-width levels of ``[0, r_max]``.

    Laughlin's (1981) picture of a finite number of discriminable response levels: with no
    other noise the information is the entropy of the level used, at most ``log2(n_levels)``,
    reached exactly when every level is used equally often (the infomax curve).
    """
    x = series(samples, "samples")
    r_max = positive(r_max, "r_max")
    if isinstance(n_levels, bool) or not isinstance(n_levels, (int, np.integer)) or n_levels < 2:
        raise ParameterError(f"n_levels must be an int >= 2, got {n_levels!r}")
    u = np.clip(np.asarray(nonlinearity(x), dtype=float) / r_max, 0.0, 1.0)
    levels = np.minimum((u * n_levels).astype(int), n_levels - 1)
    return _entropy_bits(np.bincount(levels, minlength=n_levels))
