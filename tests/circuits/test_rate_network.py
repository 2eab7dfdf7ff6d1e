"""nl.RateNetwork against closed forms.

* A threshold-linear network whose units all stay above threshold is linear:
  ``tau dr/dt = (W - 1) r + h``, solved exactly by the matrix exponential (scipy.linalg.expm).
* Its fixed point is ``(1 - W)^-1 h`` and its Jacobian ``(W - 1) / tau`` (linear algebra by hand).
* The ring kernel computed through its three moments (O(N)) equals the dense matrix it stands for.
* Ben-Yishai, Bar-Or & Sompolinsky (1995), marginal phase: the profile is ``[cos 2 theta - cos 2 theta_c]_+``
  with ``J2 (theta_c - sin(4 theta_c) / 4) / pi = 1``; solved here with brentq, independently of the package.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import linalg, optimize

import neuroladder as nl
from neuroladder.analysis.tuning import halfwidth

W = np.array([[0.5, -0.4], [0.6, -0.3]])
H = np.array([2.0, 1.0])


def test_linear_regime_matches_matrix_exponential():
    r0 = np.array([0.5, 0.2])
    net = nl.RateNetwork.dense(W, tau=10.0, input_weights=H, initial_rates=r0)
    res = nl.simulate(net, 50.0, 0.05, current=1.0, record=net.state_names)
    rates = nl.RateNetwork.rates(res)
    a = (W - np.eye(2)) / 10.0
    fixed = np.linalg.solve(np.eye(2) - W, H)
    for t, r in zip(res.t[::100], rates[::100]):
        exact = fixed + linalg.expm(a * t) @ (r0 - fixed)
        assert np.all(exact > 0)                        # stays in the linear (above-threshold) regime
        np.testing.assert_allclose(r, exact, rtol=1e-9, atol=1e-11)


def test_fixed_point_and_jacobian():
    net = nl.RateNetwork.dense(W, tau=10.0, input_weights=H)
    points = nl.fixed_points(net, 1.0, v_range=(-1.0, 10.0))
    assert len(points) == 1
    np.testing.assert_allclose(points[0].state, np.linalg.solve(np.eye(2) - W, H), rtol=1e-10)
    np.testing.assert_allclose(nl.analysis.jacobian(net, points[0].state, 1.0), (W - np.eye(2)) / 10.0, atol=1e-14)
    assert points[0].stable


def test_power_law_and_sigmoid_transfer():
    # one unit, no coupling: the steady state is f(h) itself
    for kw, expected in ((dict(transfer="power_law", gain=0.5, threshold=1.0, exponent=2.0), 0.5 * 2.0 ** 2),
                         (dict(transfer="sigmoid", gain=50.0, threshold=2.0, exponent=0.5),
                          50.0 / (1.0 + math.exp(-(3.0 - 2.0) / 0.5)))):
        net = nl.RateNetwork.dense(np.zeros((1, 1)), tau=5.0, **kw)
        res = nl.simulate(net, 200.0, 0.1, current=3.0)
        assert res["r0"][-1] == pytest.approx(expected, rel=1e-9)


def test_ring_moments_equal_dense_kernel():
    ring = nl.RateNetwork.ring(36, j0=-2.0, j2=5.0, tau=10.0, threshold=0.5,
                               input_weights=1.0 + 0.2 * np.cos(np.deg2rad(2 * np.arange(36) * 5.0)))
    dense = nl.RateNetwork.dense(ring.coupling_matrix(), tau=10.0, threshold=0.5, input_weights=ring.input_weights)
    a = nl.RateNetwork.rates(nl.simulate(ring, 100.0, 0.1, current=3.0, record=ring.state_names))
    b = nl.RateNetwork.rates(nl.simulate(dense, 100.0, 0.1, current=3.0, record=dense.state_names))
    np.testing.assert_allclose(a, b, rtol=1e-10, atol=1e-12)


def _marginal_halfwidth(j2):
    theta_c = optimize.brentq(lambda th: j2 * (th - math.sin(4 * th) / 4) / math.pi - 1.0, 1e-6, math.pi / 2)
    return math.degrees(0.5 * math.acos(0.5 * (1 + math.cos(2 * theta_c))))


@pytest.mark.parametrize("j2", [4.0, 6.0])
def test_ring_width_is_ben_yishai_marginal_phase(j2):
    n = 360
    pref = np.deg2rad(180.0 * np.arange(n) / n)
    eps = 0.05
    widths = []
    for contrast in (4.0, 16.0):
        ring = nl.RateNetwork.ring(n, j0=-2.0, j2=j2, tau=10.0, threshold=1.0,
                                   input_weights=1 - eps + eps * np.cos(2 * (pref - np.pi / 2)))
        res = nl.simulate(ring, 400.0, 0.1, current=contrast, record=())
        profile = np.array([res.final_state[name][0] for name in ring.state_names])
        widths.append(halfwidth(180.0 * np.arange(n) / n, profile))
    # finite epsilon and the threshold move the width slightly off the eps -> 0 limit
    assert widths == pytest.approx([_marginal_halfwidth(j2)] * 2, abs=0.6)
    assert nl.mass.rate.ring_marginal_halfwidth(j2) == pytest.approx(_marginal_halfwidth(j2), abs=1e-9)


def test_bad_parameters():
    with pytest.raises(nl.ParameterError, match="weights"):
        nl.RateNetwork.dense(np.zeros((2, 3)))
    with pytest.raises(nl.ParameterError, match="tau"):
        nl.RateNetwork.dense(np.zeros((2, 2)), tau=0.0)
    with pytest.raises(nl.ParameterError, match="transfer"):
        nl.RateNetwork.dense(np.zeros((2, 2)), transfer="relu6")
    with pytest.raises(nl.ParameterError, match="input_weights"):
        nl.RateNetwork.dense(np.zeros((2, 2)), input_weights=np.ones(3))
    with pytest.raises(nl.ParameterError, match="n_units"):
        nl.RateNetwork.ring(0, j0=-1.0, j2=3.0)
