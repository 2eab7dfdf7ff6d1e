"""Siegert rate and ISI CV of the white-noise LIF neuron (Brunel 2000 convention).

tau_m dV/dt = mu - V + sigma sqrt(tau_m) xi(t); threshold v_th, reset v_reset, refractory t_ref.
Every expected number comes from outside the code under test: the noiseless LIF formula, a
small-noise expansion, an ODE integration of the backward Kolmogorov equations, and a seeded
Euler-Maruyama simulation. Parameters are Brunel's (2000) model A neuron: tau_m = 20 ms,
v_th = 20 mV, v_reset = 10 mV, t_ref = 2 ms. No published rate was checked (we found no
tabulated Siegert value that could be verified offline); the ODE check (b) stands in for it.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy.integrate import solve_ivp

from neuroladder.core.errors import ParameterError
from neuroladder.stochastic import siegert_cv, siegert_rate

TAU, VTH, VR, TREF = 20.0, 20.0, 10.0, 2.0


def lif_rate_hz(mu, tau=TAU, v_th=VTH, v_reset=VR, t_ref=TREF):
    """Noiseless LIF: V(t) = mu + (v_reset - mu) e^{-t/tau} reaches v_th at tau ln((mu - v_reset)/(mu - v_th))."""
    if mu <= v_th:
        return 0.0
    return 1000.0 / (t_ref + tau * math.log((mu - v_reset) / (mu - v_th)))


# ---------------------------------------------------------------- (a) deterministic limit

@pytest.mark.parametrize("mu", [20.5, 25.0, 40.0])
def test_sigma_zero_is_the_lif_rate(mu):
    assert siegert_rate(mu, 0.0, TAU, VTH, VR, TREF) == pytest.approx(lif_rate_hz(mu), rel=1e-12)


def test_small_sigma_converges_to_the_lif_rate():
    # the leading correction is O(sigma^2): each factor 10 in sigma cuts the error ~100-fold
    errors = [abs(siegert_rate(25.0, s, TAU, VTH, VR, TREF) / lif_rate_hz(25.0) - 1) for s in (1e-1, 1e-2, 1e-3)]
    assert errors[0] < 1e-3
    assert errors[1] < errors[0] / 50 and errors[2] < errors[1] / 50
    assert errors[2] < 1e-7


def test_subthreshold_without_noise_is_silent_and_small_noise_nearly_so():
    assert siegert_rate(15.0, 0.0, TAU, VTH, VR, TREF) == 0.0
    assert siegert_rate(20.0, 0.0, TAU, VTH, VR, TREF) == 0.0
    # escape over a barrier: the mean passage time grows like e^{y_th^2}, y_th = (v_th - mu)/sigma = 5, so the
    # rate is of order e^{-25} kHz = 1e-8 Hz times an algebraic prefactor (< 1 here)
    small = siegert_rate(15.0, 1.0, TAU, VTH, VR, TREF)
    assert 0.0 < small < 1e-8


def test_extreme_inputs_give_finite_numbers_without_warnings():
    with np.errstate(all="raise"):
        import warnings

        with warnings.catch_warnings():
            warnings.simplefilter("error")
            rates = siegert_rate(np.array([-1e9, -100.0, 0.0, 15.0, 25.0, 1e9]), np.array([[1e-6], [1.0], [50.0]]),
                                 TAU, VTH, VR, TREF)
            cvs = siegert_cv(np.array([-100.0, 15.0, 25.0]), 1e-3, TAU, VTH, VR, TREF)
    assert rates.shape == (3, 6) and np.all(np.isfinite(rates)) and np.all(rates >= 0)
    assert rates[1, 0] == 0.0  # e^{-10^18}: underflows to exactly 0, not nan
    # mu = 1e9 mV: passage takes tau ln(1 + 10/(1e9 - 20)) ~ 2e-7 ms, so the rate is 1 / t_ref
    assert rates[1, 5] == pytest.approx(lif_rate_hz(1e9), rel=1e-9)
    assert np.all(np.isfinite(cvs))


def test_broadcasting_and_scalar_return():
    assert isinstance(siegert_rate(25.0, 5.0, TAU, VTH, VR, TREF), float)
    out = siegert_rate([15.0, 25.0], [[2.0], [5.0]], TAU, VTH, VR, TREF)
    assert out.shape == (2, 2)
    assert out[1, 1] == pytest.approx(siegert_rate(25.0, 5.0, TAU, VTH, VR, TREF), rel=1e-14)


# ---------------------------------------------------------------- (b) backward Kolmogorov ODE

def fpt_moments_by_ode(mu, sigma, tau=TAU, v_th=VTH, v_reset=VR, t_ref=TREF):
    """Rate (Hz) and ISI CV from the backward Kolmogorov equations, integrated as an ODE (no erf).

    Derivation. With y = (V - mu) / sigma and s = t / tau the model becomes dy = -y ds + dW_s
    (generator L = -y d/dy + (1/2) d^2/dy^2). The moments T_n(y) of the first-passage time
    (in units of tau) from y to y_th obey L T_1 = -1 and L T_2 = -2 T_1 with T_n(y_th) = 0 and
    T_n' bounded as y -> -inf (no absorbing boundary below). Writing g = T_1', the first equation
    is g' = 2 y g - 2; its bounded solution is approached by starting far below (y0 = min(y_r, 0) - 10,
    g(y0) = 1/y0, the leading asymptotic term): a wrong start decays like e^{y^2 - y0^2} < e^{-100}
    at y_r. With H' = g, H(y0) = 0, the mean passage time is T_1(y) = H(y) - H(y_th).
    For the second moment put T_2' = -C a + b with C = H(y_th), a' = 2 y a - 4, b' = 2 y b - 4 H
    (so that (T_2')' = 2 y T_2' - 4 T_1), started at a = 2/y0, b = 0; with A' = a, B' = b,
    T_2(y_r) = C [A(y_th) - A(y_r)] - [B(y_th) - B(y_r)]. Then the mean ISI is t_ref + tau T_1(y_r)
    and its variance tau^2 (T_2 - T_1^2) (the refractory period is a constant shift).
    All six first-order equations are integrated together with DOP853 at rtol 1e-13.
    """
    y_th = (v_th - mu) / sigma
    y_r = (v_reset - mu) / sigma
    y0 = min(y_r, 0.0) - 10.0

    def rhs(y, z):
        g, h, a, b, _, _ = z
        return [2 * y * g - 2, g, 2 * y * a - 4, 2 * y * b - 4 * h, a, b]

    sol = solve_ivp(rhs, (y0, y_th), [1 / y0, 0.0, 2 / y0, 0.0, 0.0, 0.0], method="DOP853",
                    rtol=1e-13, atol=1e-13, t_eval=[y_r, y_th])
    assert sol.success
    _, h, _, _, big_a, big_b = sol.y
    t1 = h[0] - h[1]
    t2 = h[1] * (big_a[1] - big_a[0]) - (big_b[1] - big_b[0])
    mean = t_ref + tau * t1
    return 1000.0 / mean, tau * math.sqrt(t2 - t1 * t1) / mean


ODE_POINTS = [(15.0, 5.0), (25.0, 5.0), (10.0, 3.0), (20.0, 1.0), (30.0, 2.0), (22.0, 0.5), (12.0, 6.0)]


@pytest.mark.parametrize("mu,sigma", ODE_POINTS)
def test_rate_and_cv_match_the_backward_kolmogorov_ode(mu, sigma):
    rate_ode, cv_ode = fpt_moments_by_ode(mu, sigma)
    assert siegert_rate(mu, sigma, TAU, VTH, VR, TREF) == pytest.approx(rate_ode, rel=1e-6)
    assert siegert_cv(mu, sigma, TAU, VTH, VR, TREF) == pytest.approx(cv_ode, rel=1e-6)


# ---------------------------------------------------------------- (d) CV limits

def test_cv_deterministic_limit_matches_small_noise_expansion():
    # Linearising around the noiseless path V*(t), the deviation d(t) is an OU process started at 0:
    # Var d(T*) = (sigma^2 / 2)(1 - e^{-2 T*/tau}); the crossing time shifts by d / V*'(T*) with
    # V*'(T*) = (mu - v_th) / tau and e^{-T*/tau} = (mu - v_th)/(mu - v_reset). So
    # SD(ISI) = (sigma/sqrt 2) sqrt(1 - ((mu - v_th)/(mu - v_reset))^2) tau / (mu - v_th), to O(sigma^2).
    mu = 25.0
    t_star = TAU * math.log((mu - VR) / (mu - VTH))
    for sigma in (1e-2, 1e-3):
        sd = sigma / math.sqrt(2) * math.sqrt(1 - ((mu - VTH) / (mu - VR)) ** 2) * TAU / (mu - VTH)
        assert siegert_cv(mu, sigma, TAU, VTH, VR, TREF) == pytest.approx(sd / (TREF + t_star), rel=1e-5)
    assert siegert_cv(mu, 0.0, TAU, VTH, VR, TREF) == 0.0
    assert math.isnan(siegert_cv(15.0, 0.0, TAU, VTH, VR, TREF))  # never fires: no ISI


def test_cv_poisson_limit_far_below_threshold():
    # Far below threshold escapes are rare and memoryless: the ISI is exponential, CV -> 1, the
    # approach being monotone as the barrier grows (mu falls) and the refractory time becomes negligible.
    devs = [1 - siegert_cv(mu, 2.0, TAU, VTH, VR, TREF) for mu in (14.0, 12.0, 10.0)]
    assert 0 < devs[0] < 2e-3 and 0 < devs[1] < devs[0] / 10 and 0 <= devs[2] < devs[1] / 10
    assert siegert_cv(0.0, 2.0, TAU, VTH, VR, TREF) == pytest.approx(1.0, abs=1e-9)
    assert siegert_cv(-100.0, 1.0, TAU, VTH, VR, TREF) == pytest.approx(1.0, abs=1e-9)


def test_refractory_period_lowers_the_cv_by_the_mean_ratio():
    # The variance of the ISI does not depend on t_ref; the mean is t_ref + T, so CV scales as T / (t_ref + T).
    mu, sigma = 18.0, 4.0
    r0 = siegert_rate(mu, sigma, TAU, VTH, VR, 0.0)
    r5 = siegert_rate(mu, sigma, TAU, VTH, VR, 5.0)
    assert 1000 / r5 - 1000 / r0 == pytest.approx(5.0, rel=1e-9)
    ratio = siegert_cv(mu, sigma, TAU, VTH, VR, 5.0) / siegert_cv(mu, sigma, TAU, VTH, VR, 0.0)
    assert ratio == pytest.approx((1000 / r0) / (1000 / r5), rel=1e-9)


# ---------------------------------------------------------------- (e) Euler-Maruyama simulation

def first_passage_times_em(mu, sigma, n, dt, seed, tau=TAU, v_th=VTH, v_reset=VR):
    """First-passage times (ms) from v_reset to v_th, one per trajectory, by Euler-Maruyama.

    V <- V + (mu - V) dt/tau + sigma sqrt(dt/tau) N(0, 1), threshold checked on the grid. Each
    trajectory runs until it crosses; crossed ones are dropped. Since every ISI of the renewal
    process is t_ref + one such passage, their mean is the mean ISI with no renewal
    (start-up or window) bias.
    """
    rng = np.random.default_rng(seed)
    mu = np.asarray(mu, dtype=float)
    drift, keep_frac = mu * dt / tau, 1.0 - dt / tau
    kick = np.asarray(sigma, dtype=float) * math.sqrt(dt / tau) * np.ones_like(mu)
    v = np.full(mu.shape, v_reset)
    idx = np.arange(mu.size)
    out = np.empty(mu.size)
    step = 0
    while idx.size:
        step += 1
        v = keep_frac * v + drift + kick * rng.standard_normal(idx.size)
        hit = v >= v_th
        if hit.any():
            out[idx[hit]] = step * dt
            stay = ~hit
            v, drift, kick, idx = v[stay], drift[stay], kick[stay], idx[stay]
    return out


@pytest.mark.slow
def test_euler_maruyama_simulation_agrees_with_siegert():
    # Discrete-time bias: checking the threshold only on the grid misses crossings between steps, so
    # the simulated rate is low. For a random walk with per-step SD s = sigma sqrt(dt/tau) this acts
    # like a threshold raised by beta s, beta = -zeta(1/2)/sqrt(2 pi) = 0.5826 (Siegmund's corrected
    # diffusion approximation; Broadie, Glasserman & Kou 1997, Math. Finance 7:325), vanishing as
    # sqrt(dt). Here s = 0.112 mV: about 2 % low (sub) and 1 % low (supra). Statistical SE of the mean
    # ISI is CV / sqrt(n): 0.6 % and 0.4 % with n = 16000 per point.
    n, dt = 16000, 0.01
    points = [(15.0, 5.0), (25.0, 5.0)]
    mus = np.repeat([p[0] for p in points], n)
    sigmas = np.repeat([p[1] for p in points], n)
    fpt = first_passage_times_em(mus, sigmas, n, dt, seed=20000183)
    for k, (mu, sigma) in enumerate(points):
        isi = TREF + fpt[k * n:(k + 1) * n]
        rate_sim = 1000.0 / isi.mean()
        se = isi.std(ddof=1) / math.sqrt(n) / isi.mean()  # relative
        theory = siegert_rate(mu, sigma, TAU, VTH, VR, TREF)
        assert rate_sim == pytest.approx(theory, rel=0.05)
        assert rate_sim < theory  # the discrete-time bias is one-sided
        shifted = siegert_rate(mu, sigma, TAU, VTH + 0.5826 * sigma * math.sqrt(dt / TAU), VR, TREF)
        assert rate_sim == pytest.approx(shifted, rel=4 * se + 0.003)
        cv_sim = isi.std(ddof=1) / isi.mean()
        assert cv_sim == pytest.approx(siegert_cv(mu, sigma, TAU, VTH, VR, TREF), rel=0.03)


# ---------------------------------------------------------------- (f) bad input

@pytest.mark.parametrize("kwargs,name", [
    (dict(tau_m=0.0), "tau_m"),
    (dict(tau_m=-1.0), "tau_m"),
    (dict(sigma=-0.1), "sigma"),
    (dict(v_reset=20.0), "v_reset"),
    (dict(v_reset=25.0), "v_reset"),
    (dict(t_ref=-1.0), "t_ref"),
    (dict(mu=math.nan), "mu"),
    (dict(sigma=math.inf), "sigma"),
    (dict(v_th=math.inf), "v_th"),
    (dict(tau_m=[20.0, math.nan]), "tau_m"),
    (dict(mu="a lot"), "mu"),
])
@pytest.mark.parametrize("func", [siegert_rate, siegert_cv])
def test_bad_input_raises_parameter_error_naming_the_parameter(func, kwargs, name):
    args = dict(mu=15.0, sigma=5.0, tau_m=TAU, v_th=VTH, v_reset=VR, t_ref=TREF)
    args.update(kwargs)
    with pytest.raises(ParameterError, match=name):
        func(**args)
