"""Noise currents usable as the ``current=`` of any simulation.

* :class:`OUCurrent`: an Ornstein-Uhlenbeck current, sampled exactly on the simulation's time grid
  (the AR(1) update ``x' = m + (x - m) e^{-h/tau} + s sqrt(1 - e^{-2h/tau}) xi`` is the exact
  transition of the OU process for any step h; Gillespie 1996, Phys. Rev. E 54:2084).

Each unit gets its own stream; the same ``seed`` gives the same currents.
"""

from __future__ import annotations

import numpy as np

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
        for j in range(1, times.size):
            x = self.mean + (x - self.mean) * decay[j - 1] + spread[j - 1] * rng.standard_normal(n)
            out[j] = x
        return out

    def _values(self, times):
        return self.sample(times, 1)[:, 0]

    def __repr__(self):
        return f"OUCurrent(mean={self.mean}, sigma={self.sigma}, tau={self.tau})"
