"""Noise currents usable as the ``current=`` of any simulation.

* :class:`OUCurrent`: an Ornstein-Uhlenbeck current, sampled exactly on the simulation's time grid
  (the AR(1) update ``x' = m + (x - m) e^{-h/tau} + s sqrt(1 - e^{-2h/tau}) xi`` is the exact
  transition of the OU process for any step h; Gillespie 1996, Phys. Rev. E 54:2084).

Each unit gets its own stream; the same ``seed`` gives the same currents.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from ..core.errors import ParameterError
from ..core.parameters import require_finite, require_non_negative, require_positive
from ..core.rng import make_rng
from ..core.stimulus import Stimulus


class OUCurrent(Stimulus):
    """Ornstein-Uhlenbeck current with ``mean``, stationary SD ``sigma`` and correlation time ``tau`` (ms).

    Units are the model's current unit. The path starts from the stationary distribution; its
    autocorrelation is ``sigma^2 exp(-|lag| / tau)``. Only fixed-step methods can use it (the
    adaptive solver would ask for values at arbitrary times one by one).
    """

    def __init__(self, mean: float = 0.0, sigma: float = 1.0, tau: float = 5.0, seed=None):
        require_finite("mean", mean)
        require_non_negative("sigma", sigma)
        require_positive("tau", tau, "ms")
        self.mean, self.sigma, self.tau = float(mean), float(sigma), float(tau)
        self.seed = seed

    def __call__(self, t: float):
        raise ParameterError("OUCurrent is sampled on a time grid: use a fixed-step method, not 'adaptive'")

    def sample(self, times: np.ndarray, n: int) -> np.ndarray:
        times = np.asarray(times, dtype=float)
        if times.ndim != 1 or np.any(np.diff(times) < 0):
            raise ParameterError("OUCurrent needs increasing sample times")
        rng = make_rng(self.seed)
        out = np.empty((times.size, n))
        x = self.mean + self.sigma * rng.standard_normal(n)
        out[0] = x
        decay = np.exp(-np.diff(times) / self.tau)
        spread = self.sigma * np.sqrt(1.0 - decay ** 2)
        # one draw of every step's normals: the same stream, row by row, as one draw per step
        _ou_steps(out, self.mean, decay, spread, rng.standard_normal((times.size - 1, n)))
        return out

    def _values(self, times):
        return self.sample(times, 1)[:, 0]

    def __repr__(self):
        return f"OUCurrent(mean={self.mean}, sigma={self.sigma}, tau={self.tau})"


@njit(cache=True)
def _ou_steps(out, mean, decay, spread, normals):
    """Fill rows 1.. of ``out`` (time, unit) from row 0 by the AR(1) update of :class:`OUCurrent` (compiled:
    a recursion over every sample, which a Python loop makes the cost of long currents)."""
    for j in range(1, out.shape[0]):
        for u in range(out.shape[1]):
            out[j, u] = mean + (out[j - 1, u] - mean) * decay[j - 1] + spread[j - 1] * normals[j - 1, u]


class WhiteNoiseCurrent(Stimulus):
    """Gaussian white-noise current, piecewise constant over intervals of ``dt`` ms (NEST's
    ``noise_generator``): on each interval every unit draws an independent N(``mean``, ``std``^2).

    Its integral over a time T has variance ``std^2 dt T``: the white-noise intensity is
    ``std sqrt(dt)`` (current unit times sqrt(ms)). Choose ``dt`` equal to (or a multiple of) the
    simulation step. Only fixed-step methods can use it.
    """

    def __init__(self, mean: float = 0.0, std: float = 1.0, dt: float = 0.1, seed=None):
        require_finite("mean", mean)
        require_non_negative("std", std)
        require_positive("dt", dt, "ms")
        self.mean, self.std, self.dt, self.seed = float(mean), float(std), float(dt), seed

    def __call__(self, t: float):
        raise ParameterError("WhiteNoiseCurrent is sampled on a time grid: use a fixed-step method, not 'adaptive'")

    def sample(self, times: np.ndarray, n: int) -> np.ndarray:
        times = np.asarray(times, dtype=float)
        idx = np.floor(times / self.dt + 1e-9).astype(np.int64)
        if idx.size and idx.min() < 0:
            raise ParameterError("WhiteNoiseCurrent needs times >= 0")
        rng = make_rng(self.seed)
        draws = self.mean + self.std * rng.standard_normal((int(idx.max()) + 1 if idx.size else 0, n))
        return np.ascontiguousarray(draws[idx])

    def _values(self, times):
        return self.sample(times, 1)[:, 0]

    def __repr__(self):
        return f"WhiteNoiseCurrent(mean={self.mean}, std={self.std}, dt={self.dt})"


class ShotNoiseCurrent(Stimulus):
    """Synaptic shot noise: Poisson release events, each a sum of quanta, filtered exponentially.

    Presynaptic spikes arrive at ``rate`` (Hz); each releases Binomial(``n_sites``,
    ``release_probability``) vesicles, each adding ``weight`` (current unit) that decays with
    ``tau`` (ms). Sampled exactly on a uniform grid (event times uniform within each interval).
    The noise is signal-dependent: by Campbell's theorem (Campbell 1909; Rice 1944) the stationary
    mean is ``r N p w tau`` and the variance ``r E[c^2] w^2 tau / 2`` with
    ``E[c^2] = N p (1 - p) + (N p)^2``, both proportional to the rate r (r in 1/ms here).
    :meth:`diffusion_approximation` gives the Gaussian (OU) current with the same moments, which
    fails when few events overlap within ``tau`` (r tau small: the current is a train of jumps).
    """

    def __init__(self, rate: float, weight: float, tau: float = 5.0, release_probability: float = 1.0,
                 n_sites: int = 1, seed=None):
        require_non_negative("rate", rate, "Hz")
        require_finite("weight", weight)
        require_positive("tau", tau, "ms")
        if not 0.0 < release_probability <= 1.0:
            raise ParameterError(f"release_probability = {release_probability} must be in (0, 1]")
        if isinstance(n_sites, bool) or not isinstance(n_sites, (int, np.integer)) or n_sites < 1:
            raise ParameterError(f"n_sites = {n_sites!r} must be an integer >= 1")
        self.rate, self.weight, self.tau = float(rate), float(weight), float(tau)
        self.p, self.n_sites, self.seed = float(release_probability), int(n_sites), seed

    def moments(self) -> tuple[float, float]:
        """(mean, variance) of the stationary current (Campbell's theorem)."""
        r = self.rate * 1e-3
        mean_c = self.n_sites * self.p
        mean_c2 = self.n_sites * self.p * (1 - self.p) + mean_c ** 2
        return r * mean_c * self.weight * self.tau, r * mean_c2 * self.weight ** 2 * self.tau / 2.0

    def diffusion_approximation(self, seed=None) -> OUCurrent:
        """The OU current with the same mean, variance and correlation time."""
        mean, var = self.moments()
        return OUCurrent(mean, float(np.sqrt(var)), self.tau, seed=self.seed if seed is None else seed)

    def __call__(self, t: float):
        raise ParameterError("ShotNoiseCurrent is sampled on a time grid: use a fixed-step method, not 'adaptive'")

    def sample(self, times: np.ndarray, n: int) -> np.ndarray:
        times = np.asarray(times, dtype=float)
        steps = np.diff(times)
        if times.ndim != 1 or (steps.size and not np.allclose(steps, steps[0])):
            raise ParameterError("ShotNoiseCurrent needs uniformly spaced sample times")
        rng = make_rng(self.seed)
        out = np.empty((times.size, n))
        mean, var = self.moments()
        # start near stationarity: the stationary mean (the first tau of a run relaxes the rest)
        x = np.full(n, mean)
        out[0] = x
        if times.size == 1:
            return out
        h = steps[0]
        decay = np.exp(-h / self.tau)
        lam = self.rate * 1e-3 * h
        for j in range(1, times.size):
            events = rng.poisson(lam, n)
            x = x * decay
            total = int(events.sum())
            if total:
                unit = np.repeat(np.arange(n), events)
                age = rng.uniform(0.0, h, total)               # time from the event to the sample
                quanta = rng.binomial(self.n_sites, self.p, total)
                np.add.at(x, unit, self.weight * quanta * np.exp(-age / self.tau))
            out[j] = x
        return out

    def _values(self, times):
        return self.sample(times, 1)[:, 0]

    def __repr__(self):
        return (f"ShotNoiseCurrent(rate={self.rate} Hz, weight={self.weight}, tau={self.tau}, "
                f"p={self.p}, n_sites={self.n_sites})")
