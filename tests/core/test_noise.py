"""Seeds and the Euler-Maruyama noise path, with a tiny Ornstein-Uhlenbeck model written here.

dx = -x / tau dt + sigma dW (Ito). Exact moments from x(0) = 0 (Gardiner, Handbook of
Stochastic Methods, sec. 3.8.4): mean 0, variance sigma^2 tau / 2 (1 - exp(-2 t / tau)).
Euler-Maruyama's stationary variance is sigma^2 dt / (1 - (1 - dt/tau)^2) = sigma^2 tau / (2 - dt/tau),
a relative bias of dt / (2 tau) = 2.5e-3 here, included in the expected value.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pytest
from numba import njit

import neuroladder as nl


# the Model protocol (core/model.py): y, a, b, g are (n_states, m) arrays, one column per unit,
# p is (n_params, m) and i_ext (m,)
@njit
def ou_equations(t, y, p, i_ext, a, b):
    for k in range(y.shape[1]):
        a[0, k] = i_ext[k]
        b[0, k] = -1.0 / p[0, k]


@njit
def ou_noise(t, y, p, g):
    for k in range(y.shape[1]):
        g[0, k] = p[1, k]


@dataclass(frozen=True)
class OrnsteinUhlenbeck(nl.Model):
    tau: float = 10.0
    sigma: float = 0.5

    state_names = ("x",)
    spike_variable = "x"
    equations = staticmethod(ou_equations)
    noise = staticmethod(ou_noise)
    default_method = "euler"

    def _pack(self):
        return (self.tau, self.sigma)

    def initial_state(self):
        return {"x": 0.0}


OU = OrnsteinUhlenbeck()
NO_SPIKES = 1e9  # the spike detector never fires on x


def run(seed, n=4, duration=20.0):
    return nl.simulate(OU, duration, dt=0.1, n=n, seed=seed, record=("x",), spike_threshold=NO_SPIKES)


def test_same_seed_same_result():
    a, b = run(1234), run(1234)
    assert np.array_equal(a["x"], b["x"])
    assert np.std(a["x"][-1]) > 0.0  # the units are driven by noise (not a trivial equality)


def test_different_seed_different_result():
    a, b = run(1234), run(1235)
    # independent paths: the final values differ by ~sigma sqrt(tau) ~ 1.6, never by < 1e-6
    assert np.min(np.abs(a["x"][-1] - b["x"][-1])) > 1e-6


def test_generator_seed_is_used_not_copied():
    # a Generator is consumed: the same generator gives a new path the second time, while two
    # generators from the same seed give the same path
    g = np.random.default_rng(7)
    first, second = run(g), run(g)
    assert not np.array_equal(first["x"], second["x"])
    assert np.array_equal(run(np.random.default_rng(7))["x"], first["x"])


def test_deterministic_methods_rejected_for_noise():
    with pytest.raises(nl.ParameterError, match=r"method = 'rk4' cannot integrate the noise term"):
        nl.simulate(OU, 10.0, dt=0.1, method="rk4", seed=1, record=("x",))


def test_ou_stationary_variance():
    tau, sigma, dt, duration, n = 10.0, 0.5, 0.05, 60.0, 4000
    res = nl.simulate(OU, duration, dt=dt, n=n, seed=2024, record=(), spike_threshold=NO_SPIKES)
    x = res.final_state["x"]
    exact = sigma**2 * tau / 2.0 * (1.0 - math.exp(-2.0 * duration / tau))
    expected = exact / (1.0 - dt / (2.0 * tau))  # Euler-Maruyama bias, see module docstring
    # standard error of a Gaussian sample variance: var sqrt(2 / (n - 1)) (3 SE = 6.7 %)
    se = expected * math.sqrt(2.0 / (n - 1))
    assert np.var(x, ddof=1) == pytest.approx(expected, abs=3 * se)
    # and the mean: 0 within 3 standard errors sqrt(var / n)
    assert np.mean(x) == pytest.approx(0.0, abs=3 * math.sqrt(expected / n))
