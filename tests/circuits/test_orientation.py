"""Orientation selectivity against closed forms and the issue's bounds.

* A difference of unit-area Gaussians responds to a grating cos(k . x) with the grating's value at its
  centre times ``exp(-k^2 sc^2 / 2) - w exp(-k^2 ss^2 / 2)`` (the Gaussians' Fourier transforms): the
  pixel integration must reproduce it.
* ``halfwidth`` of ``exp(kappa cos 2 theta)`` above its minimum: ``cos 2 theta_h = ln(cosh kappa) / kappa``.
* The experiment (quick): the ring's width changes < 10 % over 10-80 % contrast (issue bound), the
  thresholded feedforward cell's width grows with contrast (iceberg effect; Anderson et al. 2000 show the
  spiking output of a thresholded, contrast-scaled input widens), preferred orientations within 2 deg of
  the receptive-field axis (issue bound), the ring within 1.5 deg of Ben-Yishai's marginal-phase width.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

import neuroladder as nl
from neuroladder.analysis.tuning import halfwidth, preferred_orientation
from neuroladder.circuits.orientation import HubelWieselCell
from neuroladder.experiments import run


def test_dog_grating_response_is_its_fourier_transform():
    cell = HubelWieselCell(axis_deg=20.0, pixel=0.025)
    f = cell.preferred_spatial_frequency
    orientations = np.array([0.0, 20.0, 65.0, 110.0])
    amp = cell.linear_responses(orientations, f)
    centres, _ = cell.lgn_cells()
    k = 2 * np.pi * f
    gain = math.exp(-(k * cell.sigma_center) ** 2 / 2) - cell.surround_weight * math.exp(-(k * cell.sigma_surround) ** 2 / 2)
    for o, row in zip(orientations, amp):
        th = np.deg2rad(o)
        across = -np.sin(th) * centres[:, 0] + np.cos(th) * centres[:, 1]
        np.testing.assert_allclose(row, gain * np.exp(1j * k * across), atol=2e-4)


def test_halfwidth_and_preference_of_von_mises_curve():
    theta = np.arange(0.0, 180.0, 0.5)
    kappa, centre = 2.0, 37.0
    r = np.exp(kappa * np.cos(2 * np.deg2rad(theta - centre)))
    expected = 0.5 * math.degrees(math.acos(math.log(math.cosh(kappa)) / kappa))
    assert halfwidth(theta, r) == pytest.approx(expected, abs=0.02)
    assert preferred_orientation(theta, r) == pytest.approx(centre, abs=1e-9)
    with pytest.raises(nl.ParameterError):
        halfwidth(theta, r[:-1])


def test_orientation_experiment_quick():
    m = run("orientation", quick=True, seed=3).metrics
    assert len(m["ff_halfwidth_deg"]) == len(m["ring_halfwidth_deg"]) == 4
    assert m["ring_halfwidth_change"] < 0.10
    assert m["ff_halfwidth_change"] > m["ring_halfwidth_change"]
    assert np.all(np.diff(m["ff_halfwidth_deg"]) > 0)          # iceberg: wider at every higher contrast
    assert m["ring_preferred_error_deg"] < 2.0
    assert m["ff_preferred_error_deg"] < 2.0
    j2 = 6.0
    theta_c = next(th for th in np.linspace(1e-4, np.pi / 2, 200_001) if j2 * (th - np.sin(4 * th) / 4) / np.pi >= 1)
    theory = 0.5 * math.degrees(math.acos(0.5 * (1 + math.cos(2 * theta_c))))
    assert m["ring_halfwidth_deg"] == pytest.approx([theory] * 4, abs=1.5)


def test_orientation_bad_parameters():
    for bad in ({"contrast_low": 0.0}, {"contrast_high": 1.5}, {"n_contrasts": 1}, {"step_deg": 0.0},
                {"epsilon": 0.9}):
        with pytest.raises(nl.ParameterError):
            run("orientation", quick=True, **bad)
