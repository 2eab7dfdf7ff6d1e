"""Divisive normalization and place-cell decoding against closed forms.

* ``divisive_normalization`` worked by hand for three cells; sigma -> infinity gives the power law
  ``gain d^n / sigma^n``; n = 1 with uniform weights divides every cell by one number (so the active
  fraction and the Treves-Rolls sparseness, both scale-free, do not change): Carandini & Heeger (2012).
* Treves-Rolls sparseness is 1 for a flat population and 1/N for one active cell (Treves & Rolls 1991).
* Maximum-likelihood decoding of Poisson counts from Gaussian place fields approaches the Cramer-Rao
  bound ``1 / sqrt(J)``, ``J = T sum_i f_i'(x)^2 / f_i(x)`` (Fisher information of independent Poisson
  cells; Seung & Sompolinsky 1993), computed here by hand from the fields' derivative.
* The experiment: with n = 2 normalization lowers the active fraction and the Treves-Rolls value for the
  same drive, and so does the shared inhibitory pool in the spiking network (issue 14's must-holds).
"""

from __future__ import annotations

import numpy as np
import pytest

import neuroladder as nl
from neuroladder.circuits.normalization import (
    PlaceFields,
    active_fraction,
    decoding_error,
    divisive_normalization,
    treves_rolls,
)
from neuroladder.experiments import run


def test_worked_example():
    d = np.array([1.0, 2.0, 3.0])
    r = divisive_normalization(d, sigma=1.0, n=2.0, gain=10.0)
    np.testing.assert_allclose(r, 10.0 * d ** 2 / (1.0 + 1.0 + 4.0 + 9.0), rtol=1e-15)
    w = np.array([[0.0, 1.0, 0.0], [0.5, 0.0, 0.5], [0.0, 0.0, 2.0]])
    r = divisive_normalization(d, sigma=2.0, n=1.0, weights=w)
    np.testing.assert_allclose(r, [1.0 / (2 + 2), 2.0 / (2 + 0.5 + 1.5), 3.0 / (2 + 6)], rtol=1e-15)
    # vectorised over leading axes
    many = divisive_normalization(np.stack([d, 2 * d]), sigma=1.0)
    np.testing.assert_allclose(many[1], divisive_normalization(2 * d, sigma=1.0))


def test_limits():
    rng = np.random.default_rng(0)
    d = rng.uniform(0.0, 5.0, (7, 30))
    sigma = 1e6
    np.testing.assert_allclose(divisive_normalization(d, sigma, n=2.5, gain=3.0) * sigma ** 2.5 / 3.0, d ** 2.5,
                               rtol=1e-9)
    r1 = divisive_normalization(d, 0.7, n=1.0)
    ratio = r1 / d
    np.testing.assert_allclose(ratio, ratio[:, :1] * np.ones_like(ratio), rtol=1e-12)
    assert active_fraction(r1) == pytest.approx(active_fraction(d), abs=1e-12)
    assert treves_rolls(r1) == pytest.approx(treves_rolls(d), rel=1e-12)
    assert treves_rolls(np.ones((1, 8))) == pytest.approx(1.0)
    assert treves_rolls(np.eye(8)[:1]) == pytest.approx(1.0 / 8)


def test_n2_sparsens_the_place_code():
    track = PlaceFields.track(80, 200.0)
    d = track.drive(np.linspace(10, 190, 91))
    r = divisive_normalization(d, sigma=2.0, n=2.0, weights=np.full((80, 80), 1 / 80))
    assert active_fraction(r) < active_fraction(d)
    assert treves_rolls(r) < treves_rolls(d)


def test_decoding_reaches_cramer_rao_bound():
    track = PlaceFields.track(60, 200.0, width=10.0, peak_hz=20.0, baseline_hz=0.5)
    x = np.linspace(40.0, 160.0, 25)
    window = 1.0
    c = track.centres[:, 0]
    gauss = np.exp(-(x[:, None] - c[None]) ** 2 / (2 * 10.0 ** 2))
    f = 0.5 + 20.0 * gauss
    fprime = -20.0 * gauss * (x[:, None] - c[None]) / 10.0 ** 2
    fisher = window * np.sum(fprime ** 2 / f, axis=1)
    bound = np.sqrt(np.mean(1.0 / fisher))
    grid = np.arange(0.0, 200.0 + 1e-9, 0.1)
    err = decoding_error(track.drive(x), x, grid, track.drive(grid), window, 400, seed=5)
    assert err == pytest.approx(bound, rel=0.15)


def test_bad_input():
    with pytest.raises(nl.ParameterError, match="drive"):
        divisive_normalization(np.array([1.0, -1.0]), 1.0)
    with pytest.raises(nl.ParameterError, match="sigma"):
        divisive_normalization(np.ones(3), -1.0)
    with pytest.raises(nl.ParameterError, match="weights"):
        divisive_normalization(np.ones(3), 1.0, weights=np.ones((2, 2)))
    with pytest.raises(nl.ParameterError):
        divisive_normalization(np.zeros(3), 0.0)
    with pytest.raises(nl.ParameterError, match="sigma_hz"):
        run("place-normalization", quick=True, sigma_hz=0.0)


@pytest.mark.slow  # ~20 s warm; the default run must stay near 5 minutes cold (CI runs slow tests too)
def test_place_normalization_experiment_quick():
    m = run("place-normalization", quick=True, seed=2).metrics
    assert m["active_fraction_normalized"] < m["active_fraction_raw"]
    assert m["treves_rolls_normalized"] < m["treves_rolls_raw"]
    assert m["active_fraction_normalized_2d"] < m["active_fraction_raw_2d"]
    assert m["active_fraction_spiking_pool"] < m["active_fraction_spiking_free"]
    # Gaussian fields 10 cm wide, 100 cells on 2 m, 0.5 s windows: the bound (as in the test above) is ~1 cm
    assert 0.3 < m["decoding_error_cm_raw"] < 3.0
