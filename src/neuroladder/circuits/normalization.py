"""Divisive normalization (Carandini & Heeger 2012) and place cells on a track and in a box.

``r_i = gain d_i^n / (sigma^n + sum_j w_ij d_j^n)``: the canonical computation, vectorised over any
leading axes. Applied to Gaussian place-field drive it sparsens the population code when n > 1 (the
exponent sharpens each field while the shared denominator holds the total down); with n = 1 and uniform
weights every cell is divided by the same number, which only rescales the population (sparsening then
needs n > 1 or thresholded competition). The spiking route is excitatory LIF place cells sharing one
inhibitory pool in ``nl.Network`` (feedback inhibition), see :func:`spiking_pool_rates`.

Units: positions in cm, rates in Hz, time in ms (windows of spike counts in s).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..core.errors import ParameterError
from ..core.parameters import require_int, require_non_negative, require_positive, require_range
from ..core.rng import make_rng


def divisive_normalization(drive, sigma: float, n: float = 2.0, weights=None, gain: float = 1.0) -> np.ndarray:
    """``r_i = gain d_i^n / (sigma^n + sum_j w_ij d_j^n)`` over the last axis of ``drive`` (Carandini & Heeger 2012).

    Parameters
    ----------
    drive : array (..., N), >= 0
        The inputs d_i (any leading axes: positions, trials, ...).
    sigma : float >= 0
        Semi-saturation constant (same unit as the drive).
    n : float > 0
        Exponent.
    weights : None or array (N, N), >= 0
        Normalization pool ``w_ij``; None sums over all N cells with weight 1.
    gain : float >= 0
        Response at saturation.
    """
    d = np.asarray(drive, dtype=float)
    if d.ndim == 0 or not np.all(np.isfinite(d)) or np.any(d < 0):
        raise ParameterError("drive must be an array (..., N) of finite values >= 0")
    require_non_negative("sigma", sigma)
    require_range("n", n, 0.0, 100.0, low_open=True)
    require_non_negative("gain", gain)
    dn = d ** n
    if weights is None:
        pool = dn.sum(axis=-1, keepdims=True)
    else:
        w = np.asarray(weights, dtype=float)
        size = d.shape[-1]
        if w.shape != (size, size) or not np.all(np.isfinite(w)) or np.any(w < 0):
            raise ParameterError(f"weights must be a finite array (N, N) = ({size}, {size}) of values >= 0, "
                                 f"got shape {w.shape}")
        pool = dn @ w.T
    denominator = sigma ** n + pool
    if np.any(denominator <= 0):
        raise ParameterError("sigma = 0 with an all-zero drive leaves the normalization undefined (0/0)")
    return gain * dn / denominator


def active_fraction(rates, relative_threshold: float = 0.1) -> float:
    """Mean over positions (leading axes) of the fraction of cells (last axis) whose rate exceeds
    ``relative_threshold`` times the population's maximum at that position (0-1)."""
    r = np.asarray(rates, dtype=float)
    require_range("relative_threshold", relative_threshold, 0.0, 1.0, low_open=True, high_open=True)
    top = r.max(axis=-1, keepdims=True)
    if np.any(top <= 0):
        raise ParameterError("active_fraction: a position where no cell fires has no defined active fraction")
    return float(np.mean(r > relative_threshold * top))


def treves_rolls(rates) -> float:
    """Treves-Rolls population sparseness ``(mean r)^2 / mean(r^2)`` over cells, averaged over positions:
    1 when all cells fire equally, 1/N when one cell fires (lower is sparser; Treves & Rolls 1991)."""
    r = np.asarray(rates, dtype=float)
    second = np.mean(r ** 2, axis=-1)
    if np.any(second <= 0):
        raise ParameterError("treves_rolls: a position where no cell fires has no defined sparseness")
    return float(np.mean(np.mean(r, axis=-1) ** 2 / second))


@dataclass(frozen=True)
class PlaceFields:
    """Gaussian place fields: ``baseline + peak exp(-|x - c_i|^2 / (2 width^2))`` (Hz; O'Keefe & Dostrovsky
    1971). ``centres`` (N, dims) in cm; ``width`` cm (field SD); ``peak_hz``, ``baseline_hz`` Hz."""

    centres: np.ndarray
    width: float = 10.0
    peak_hz: float = 20.0
    baseline_hz: float = 0.5

    def __post_init__(self):
        c = np.atleast_2d(np.asarray(self.centres, dtype=float))
        if c.ndim != 2 or c.shape[0] < 2 or not np.all(np.isfinite(c)):
            raise ParameterError("centres must be a finite array (N, dims) with N >= 2")
        object.__setattr__(self, "centres", c if np.ndim(self.centres) == 2 else c.T)
        require_positive("width", self.width, "cm")
        require_positive("peak_hz", self.peak_hz, "Hz")
        require_non_negative("baseline_hz", self.baseline_hz, "Hz")

    @classmethod
    def track(cls, n_cells: int = 100, length_cm: float = 200.0, **kwargs) -> PlaceFields:
        """N fields evenly tiling a linear track of ``length_cm``."""
        n_cells = require_int("n_cells", n_cells, low=2)
        require_positive("length_cm", length_cm, "cm")
        return cls(np.linspace(0.0, length_cm, n_cells)[:, None], **kwargs)

    @classmethod
    def box(cls, n_side: int = 10, side_cm: float = 100.0, **kwargs) -> PlaceFields:
        """n_side^2 fields on a square grid tiling a box of ``side_cm``."""
        n_side = require_int("n_side", n_side, low=2)
        require_positive("side_cm", side_cm, "cm")
        g = np.linspace(0.0, side_cm, n_side)
        xx, yy = np.meshgrid(g, g, indexing="xy")
        return cls(np.column_stack([xx.ravel(), yy.ravel()]), **kwargs)

    def drive(self, positions) -> np.ndarray:
        """Rates (P, N) in Hz at positions (P, dims) cm (or (P,) on a track)."""
        x = np.asarray(positions, dtype=float)
        x = x[:, None] if x.ndim == 1 else x
        if x.shape[-1] != self.centres.shape[1]:
            raise ParameterError(f"positions must have {self.centres.shape[1]} coordinate(s), got shape {x.shape}")
        d2 = ((x[:, None, :] - self.centres[None, :, :]) ** 2).sum(axis=-1)
        return self.baseline_hz + self.peak_hz * np.exp(-d2 / (2.0 * self.width ** 2))


def poisson_counts(rates_hz, window_s: float, n_trials: int, seed=None) -> np.ndarray:
    """Poisson spike counts (trials, P, N) in ``window_s`` seconds from rates (P, N) Hz."""
    require_positive("window_s", window_s, "s")
    n_trials = require_int("n_trials", n_trials, low=1)
    rng = make_rng(seed)
    lam = np.asarray(rates_hz, dtype=float) * window_s
    return rng.poisson(np.broadcast_to(lam, (n_trials, *lam.shape)))


def decode_position(counts, rate_map_hz, grid, window_s: float) -> np.ndarray:
    """Maximum-likelihood position under independent Poisson cells (Zhang et al. 1998).

    ``counts`` (..., N), ``rate_map_hz`` (G, N) the cells' rates at the G candidate positions ``grid``
    (G, dims) or (G,): argmax_x of ``sum_i k_i log(f_i(x) T) - f_i(x) T``. Returns positions (..., dims).
    """
    f = np.asarray(rate_map_hz, dtype=float) * window_s
    if np.any(f <= 0):
        raise ParameterError("rate_map_hz must be > 0 everywhere (give the fields a baseline rate)")
    k = np.asarray(counts, dtype=float)
    loglik = k @ np.log(f).T - f.sum(axis=1)            # (..., G)
    g = np.asarray(grid, dtype=float)
    g = g[:, None] if g.ndim == 1 else g
    return g[np.argmax(loglik, axis=-1)]


def decoding_error(fields_rates_hz, positions, grid, grid_rates_hz, window_s: float, n_trials: int, seed=None) -> float:
    """Root-mean-square ML decoding error (cm) over positions and trials of Poisson counts."""
    counts = poisson_counts(fields_rates_hz, window_s, n_trials, seed)
    decoded = decode_position(counts, grid_rates_hz, grid, window_s)
    x = np.asarray(positions, dtype=float)
    x = x[:, None] if x.ndim == 1 else x
    return float(np.sqrt(np.mean(np.sum((decoded - x[None]) ** 2, axis=-1))))


def place_current_pa(drive_hz, baseline_hz: float = 0.5, offset_pa: float = 200.0, pa_per_hz: float = 12.0):
    """The current (pA) a place field's drive (Hz) injects into an excitatory LIF place cell:
    ``offset + k (d - baseline)``; the offset sits below the LIF's rheobase (375 pA for NEST's defaults),
    so a cell fires only inside its field."""
    return offset_pa + pa_per_hz * (np.asarray(drive_hz, dtype=float) - baseline_hz)


def spiking_pool_rates(drive_pa, inhibition: bool = True, n_inhibitory: int = 20, w_ei_nS: float = 6.0,
                       w_ie_nS: float = 4.0, duration: float = 2000.0, dt: float = 0.1, seed=None) -> np.ndarray:
    """Place cells as excitatory LIFs sharing one inhibitory pool, in ``nl.Network``.

    ``drive_pa`` (P, N): the injected current (pA) of each of N excitatory LIFs at each of P positions; each
    position is its own population pair in one network (E_p -> I_p all-to-all, excitatory conductance
    ``w_ei_nS`` nS, tau 5 ms; I_p -> E_p all-to-all, inhibitory conductance ``w_ie_nS`` nS, tau 10 ms,
    reversal -80 mV), so the pool divides out the shared drive the way the denominator of
    :func:`divisive_normalization` does. ``inhibition=False`` leaves the pool unconnected. Returns rates
    (P, N) in Hz over ``duration`` ms after a 200 ms transient.
    """
    from ..network import ExpSynapse, Network
    from ..neurons.lif import LIF

    drive = np.asarray(drive_pa, dtype=float)
    n_inhibitory = require_int("n_inhibitory", n_inhibitory, low=1)
    require_non_negative("w_ei_nS", w_ei_nS, "nS")
    require_non_negative("w_ie_nS", w_ie_nS, "nS")
    if drive.ndim != 2 or not np.all(np.isfinite(drive)):
        raise ParameterError(f"drive_pa must be a finite array (positions, cells), got shape {drive.shape}")
    require_positive("duration", duration, "ms")
    net = Network(dt=dt, seed=seed)
    exc = ExpSynapse(tau=5.0, e_rev=0.0)
    inh = ExpSynapse(tau=10.0, e_rev=-80.0)
    rng = make_rng(seed)
    pops = []
    for p, row in enumerate(drive):
        e = net.add_population(f"E{p}", LIF(), row.size, v=rng.uniform(-70.0, -55.0, row.size))
        net.inject(e, row)
        net.add_poisson_input(e, rate=1000.0, weight=20.0, synapse="exp")   # background: irregular spike times
        if inhibition:
            i = net.add_population(f"I{p}", LIF(tau_m=5.0), n_inhibitory)
            net.connect(e, i, "all_to_all", weight=w_ei_nS, synapse=exc)
            net.connect(i, e, "all_to_all", weight=w_ie_nS, synapse=inh)
        pops.append(e)
    transient = 200.0
    out = net.run(transient + duration, progress=False)
    rates = np.empty(drive.shape)
    for p, e in enumerate(pops):
        trains = out.spikes[e.name]
        keep = trains.times >= transient
        rates[p] = np.bincount(trains.ids[keep], minlength=e.n) / (duration * 1e-3)
    return rates
