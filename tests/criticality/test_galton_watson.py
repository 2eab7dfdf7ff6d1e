"""Galton-Watson and network branching against branching-process theory (Harris 1963).

Expected numbers:
* critical (m = 1) mean-field branching process: P(S) ~ S^-3/2, P(T) ~ T^-2, <S>(T) ~ T^2
  (Harris 1963; Sethna et al. 2001 for gamma = (alpha_T - 1)/(tau_S - 1) = 2).
* Poisson offspring: the size distribution is Borel, P(S = s) = e^{-ms} (ms)^{s-1} / s!,
  so P(S = s) ~ s^-3/2 exp(-s (m - 1 - ln m)) -- cut-off rate m - 1 - ln m (Stirling).
* mean size of a sub-critical avalanche: E[S] = sum_g m^g = 1 / (1 - m).
* P(duration = 1) = P(no offspring) = e^-m (Poisson) or (1 - m/K)^K (binomial).
* survival probability q of a super-critical Poisson process: 1 - q = exp(-m q); conditioned on
  extinction it is the sub-critical Poisson(m (1 - q)) process (Athreya & Ney 1972, ch. I).
* sub-critical <S>(T) grows linearly for T >> 1 / (1 - m) (the process conditioned on a long life
  has a stationary law, the Q-process; Athreya & Ney 1972, ch. I), so gamma < 2 there.
"""

import numpy as np
import pytest
from scipy import optimize

import neuroladder as nl
from neuroladder import ParameterError
from neuroladder.analysis import (
    avalanche_shapes,
    crackling_gamma,
    fit_power_law,
    galton_watson,
    shape_collapse,
    size_duration_scaling,
)
from neuroladder.circuits import galton_watson_activity, network_branching


@pytest.fixture(scope="module")
def critical():
    sizes, durations, capped = galton_watson(1.0, 200_000, seed=11, return_capped=True)
    return sizes[~capped], durations[~capped], capped


def test_critical_size_exponent_is_three_halves(critical):
    s, _, _ = critical
    fit = fit_power_law(s)
    assert fit.alpha == pytest.approx(1.5, abs=0.05)      # theory tau_S = 3/2
    assert fit.n_tail > 10_000


def test_critical_duration_exponent_is_two(critical):
    _, d, _ = critical
    fit = fit_power_law(d)
    assert fit.alpha == pytest.approx(2.0, abs=0.1)       # theory alpha_T = 2


def test_critical_scaling_relation_gamma_is_two(critical):
    s, d, _ = critical
    # gamma = 2 is the large-T limit; corrections are O(1/T), so fit from T = 20 on
    sc = size_duration_scaling(s, d, t_min=20)
    assert sc.gamma == pytest.approx(2.0, abs=0.1)        # theory gamma = 2
    pred = crackling_gamma(fit_power_law(d).alpha, fit_power_law(s).alpha)
    assert pred == pytest.approx(2.0, abs=0.15)           # (2 - 1) / (3/2 - 1) = 2


def test_critical_capped_fraction_is_tiny(critical):
    _, _, capped = critical
    # P(T >= 10^6) ~ 2 / 10^6 for the critical Poisson process: a handful at most
    assert capped.sum() <= 5


def test_shape_collapse_of_critical_avalanches():
    act = galton_watson_activity(1.0, 100_000, seed=5)
    shapes = avalanche_shapes(act, min_avalanches=20)
    col = shape_collapse(shapes, t_min=10)
    # mean-field theory: gamma = 2 (Friedman et al. 2012 use the collapse to estimate it);
    # the collapse over T = 10..~140 is pulled low by O(1/T) corrections, hence 0.2
    assert col.gamma == pytest.approx(2.0, abs=0.2)
    assert col.error < 0.01
    # fixed gamma = 2 collapses about as well as the best gamma (error within a factor 3)
    assert shape_collapse(shapes, gamma=2.0, t_min=10).error < 3 * col.error


def test_subcritical_sizes_favour_a_cutoff():
    s, _ = galton_watson(0.9, 100_000, seed=3)
    fit = fit_power_law(s, xmin=10)
    tpl = fit.compare("truncated_power_law")
    assert tpl.R < 0 and tpl.p_value < 1e-6               # the cut-off is needed (CSN Wilks test)
    # Borel asymptotics: s^-3/2 exp(-s (m - 1 - ln m)); m - 1 - ln m = 0.005361 at m = 0.9
    alpha_tpl, lam = tpl.params
    assert lam == pytest.approx(0.9 - 1 - np.log(0.9), rel=0.15)
    assert alpha_tpl == pytest.approx(1.5, abs=0.1)
    # while at the same xmin the critical data need no cut-off
    c, _ = galton_watson(1.0, 100_000, seed=3)
    assert fit_power_law(c, xmin=10).compare("truncated_power_law").p_value > 0.01


@pytest.mark.parametrize("offspring, p_one", [("poisson", np.exp(-0.5)), ("binomial", (1 - 0.5 / 10) ** 10)])
def test_subcritical_mean_size_and_single_generation(offspring, p_one):
    s, d = galton_watson(0.5, 200_000, offspring=offspring, k=10, seed=2)
    assert s.mean() == pytest.approx(1 / (1 - 0.5), rel=0.02)   # E[S] = 1 / (1 - m)
    assert np.mean(d == 1) == pytest.approx(p_one, abs=0.005)    # no offspring at all


def test_supercritical_runaway_fraction_is_survival_probability():
    s, d, capped = galton_watson(1.1, 50_000, seed=4, max_size=10 ** 6, return_capped=True)
    q = optimize.brentq(lambda q: 1 - q - np.exp(-1.1 * q), 1e-6, 1.0)   # 1 - q = exp(-m q)
    assert capped.mean() == pytest.approx(q, abs=0.01)
    assert np.all(s[capped] >= 10 ** 6)                     # capped ones carry the cap as a lower bound
    assert np.all(s[~capped] < 10 ** 6)
    # conditioned on extinction the process is Poisson(m (1 - q)) (offspring pgf f((1 - q) s) / (1 - q),
    # Athreya & Ney 1972): sub-critical with m* = 0.906, so the finite avalanches have the Borel
    # cut-off m* - 1 - ln m* = 0.00469 (measured over seeds 0-3: within 10 %)
    m_star = 1.1 * (1 - q)
    tpl = fit_power_law(s[~capped], xmin=10).compare("truncated_power_law")
    assert tpl.R < 0 and tpl.p_value < 1e-6
    assert tpl.params[1] == pytest.approx(m_star - 1 - np.log(m_star), rel=0.15)
    assert tpl.params[0] == pytest.approx(1.5, abs=0.1)


def test_network_branching_stationary_mean():
    n, m, h = 50_000, 0.9, 2e-4
    act = network_branching(n, 10, m, h, 20_000, seed=1)
    # branching with immigration: E[A] = N h / (1 - m) = 100 (collisions lower it by ~1 %)
    assert act[1000:].mean() == pytest.approx(n * h / (1 - m), rel=0.05)


def test_galton_watson_is_exported_from_analysis_and_circuits():
    assert nl.analysis.galton_watson is nl.circuits.galton_watson


def test_same_seed_same_result_different_seed_differs():
    a = galton_watson(1.0, 1000, seed=7)
    b = galton_watson(1.0, 1000, seed=7)
    c = galton_watson(1.0, 1000, seed=8)
    assert np.array_equal(a[0], b[0]) and np.array_equal(a[1], b[1])
    assert not np.array_equal(a[0], c[0])
    x, y, z = (network_branching(2000, 5, 0.9, 1e-3, 500, seed=s) for s in (1, 1, 2))
    assert np.array_equal(x, y) and not np.array_equal(x, z)
    u, v = (galton_watson_activity(1.0, 500, seed=3) for _ in range(2))
    assert np.array_equal(u, v)


def test_activity_matches_sizes_and_durations():
    from neuroladder.analysis import avalanches_from_counts
    act = galton_watson_activity(0.9, 2000, seed=9)
    s, d = avalanches_from_counts(act)
    s2, d2 = galton_watson(0.9, 2000, seed=9)
    assert np.array_equal(s, s2) and np.array_equal(d, d2)


@pytest.mark.parametrize("kwargs, name", [
    (dict(m=-0.1, n_avalanches=10), "m"),
    (dict(m=1.0, n_avalanches=0), "n_avalanches"),
    (dict(m=1.0, n_avalanches=10, offspring="geometric"), "offspring"),
    (dict(m=1.0, n_avalanches=10, max_size=0), "max_size"),
    (dict(m=20.0, n_avalanches=10, offspring="binomial", k=10), "m"),
])
def test_galton_watson_rejects_bad_input(kwargs, name):
    with pytest.raises(ParameterError, match=name):
        galton_watson(**kwargs)


@pytest.mark.parametrize("args, name", [
    ((1, 10, 0.9, 0.0, 10), "n_units"),
    ((100, 10, 11.0, 0.0, 10), "m"),
    ((100, 10, 0.9, 1.5, 10), "h"),
    ((100, 10, 0.9, 0.0, 0), "n_steps"),
])
def test_network_branching_rejects_bad_input(args, name):
    with pytest.raises(ParameterError, match=name):
        network_branching(*args)
