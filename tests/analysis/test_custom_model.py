"""The user-model example (examples/custom_model.py, FitzHugh-Nagumo) through every tool.

FitzHugh-Nagumo (FitzHugh 1961, Biophys. J. 1:445):
    dv/dt = v - v^3/3 - w + I,   tau dw/dt = v + a - b w,   a = 0.7, b = 0.8, tau = 12.5.
Everything expected here is derived by hand from these two lines:
- fixed points: w = (v + a)/b and -v^3/3 + (1 - 1/b) v + (I - a/b) = 0 (roots with numpy.roots);
- Jacobian [[1 - v^2, -1], [1/tau, -b/tau]];
- Hopf points where the trace vanishes: 1 - v^2 = b/tau, v = -/+ sqrt(1 - b/tau) = -/+ 0.96747,
  I = (v + a)/b - v + v^3/3 = 0.33128 (lower) and 1.41872 (upper); det > 0 there.
"""

from __future__ import annotations

import numpy as np
import pytest

import neuroladder as nl

A, B, TAU = 0.7, 0.8, 12.5


def hand_fixed_point(current):
    roots = np.roots([-1.0 / 3.0, 0.0, 1.0 - 1.0 / B, current - A / B])
    real = np.sort(roots[np.abs(roots.imag) < 1e-9].real)
    return real, (real + A) / B


def hand_jacobian(v):
    return np.array([[1.0 - v * v, -1.0], [1.0 / TAU, -B / TAU]])


def hopf_currents():
    v = np.array([-1.0, 1.0]) * np.sqrt(1.0 - B / TAU)
    return (v + A) / B - v + v**3 / 3.0


def test_hand_hopf_values():
    np.testing.assert_allclose(hopf_currents(), [0.331281, 1.418719], atol=1e-6)


@pytest.fixture(scope="module")
def reference(fhn):
    # LSODA at rtol 1e-10: error ~1e-8, negligible against the fixed-step errors compared below
    return nl.simulate(fhn, 30.0, dt=0.1, current=0.5, method="adaptive", rtol=1e-10, atol=1e-12, record=("v", "w"))


def max_error(fhn, reference, method, dt):
    res = nl.simulate(fhn, 30.0, dt=dt, current=0.5, method=method, record=("v", "w"), record_dt=0.1,
                      spike_threshold=1.0)
    return max(np.max(np.abs(res[x] - reference[x])) for x in ("v", "w"))


@pytest.mark.parametrize("method", ["euler", "exponential_euler"])
def test_first_order_methods_agree_with_reference(fhn, reference, method):
    # a first-order method's global error is C dt + O(dt^2): halving dt must halve it
    # (Richardson), and with C = O(1) for this O(1) system over one excursion, it is below 3 dt
    dt = 0.01
    e1, e2 = max_error(fhn, reference, method, dt), max_error(fhn, reference, method, dt / 2)
    assert e1 < 3 * dt
    assert e1 / e2 == pytest.approx(2.0, rel=0.1)


def test_rk4_agrees_with_reference(fhn, reference):
    # RK4: C dt^4 = 1e-8 C at dt = 0.01; allow C up to 100
    assert max_error(fhn, reference, "rk4", 0.01) < 1e-6


def test_fixed_points_match_cubic(fhn):
    for current, kind in ((0.0, "stable focus"), (0.5, "unstable focus")):
        v_hand, w_hand = hand_fixed_point(current)
        fps = nl.fixed_points(fhn, current=current, v_range=(-3.0, 3.0))
        assert len(fps) == len(v_hand) == 1
        np.testing.assert_allclose(fps[0].state, [v_hand[0], w_hand[0]], atol=1e-9)
        # eigenvalues of the hand Jacobian: (tr +/- sqrt(tr^2 - 4 det)) / 2
        jac = hand_jacobian(v_hand[0])
        tr, det = np.trace(jac), np.linalg.det(jac)
        expected = (tr + np.array([1, -1]) * np.sqrt(complex(tr * tr - 4 * det))) / 2
        np.testing.assert_allclose(np.sort_complex(fps[0].eigenvalues), np.sort_complex(expected), atol=1e-7)
        assert fps[0].kind == kind  # tr < 0 at I = 0 (stable), tr > 0 at I = 0.5; tr^2 < 4 det: a focus


def test_resting_state(fhn):
    v_hand, w_hand = hand_fixed_point(0.0)  # v = -1.19941
    np.testing.assert_allclose(nl.resting_state(fhn), [v_hand[0], w_hand[0]], atol=1e-9)


def test_numerical_jacobian_equals_hand_jacobian(fhn):
    # the model defines no analytic Jacobian, so jacobian() uses central differences: truncation
    # h^2 |f'''| / 6 ~ 1e-12 (f''' = -2 for the cubic) plus rounding eps |f| / h ~ 1e-10
    for state in ([-1.2, -0.6], [0.3, 0.1], [1.8, 1.5], [-2.0, 0.0]):
        np.testing.assert_allclose(nl.analysis.jacobian(fhn, np.array(state), 0.5), hand_jacobian(state[0]),
                                   rtol=0, atol=1e-6)


def test_hopf_current_matches_analytic(fhn):
    assert nl.hopf_current(fhn, current_range=(0.0, 1.0)) == pytest.approx(hopf_currents()[0], abs=1e-6)


def test_nullclines(fhn):
    nc = nl.nullclines(fhn, current=0.5, x_range=(-2.5, 2.5), y_range=(-1.0, 2.5), n=101)
    vv, ww = np.meshgrid(nc.x, nc.y)
    np.testing.assert_allclose(nc.dx, vv - vv**3 / 3.0 - ww + 0.5, rtol=0, atol=1e-12)
    np.testing.assert_allclose(nc.dy, (vv + A - B * ww) / TAU, rtol=0, atol=1e-12)
    # the traced v-nullcline is w = v - v^3/3 + I, up to the contour's linear interpolation
    # along grid edges: h^2/8 max|d^2/dv^2| = 0.05^2 / 8 * 2 * 2.5 = 1.6e-3
    pts = np.concatenate(nc.curves(0))
    assert pts.shape[0] > 50
    np.testing.assert_allclose(pts[:, 1], pts[:, 0] - pts[:, 0] ** 3 / 3.0 + 0.5, rtol=0, atol=2e-3)
    # the w-nullcline is the straight line w = (v + a)/b (exact for linear interpolation)
    line = np.concatenate(nc.curves(1))
    np.testing.assert_allclose(line[:, 1], (line[:, 0] + A) / B, rtol=0, atol=1e-9)


def test_fi_curve(fhn):
    duration = 1000.0
    rates = nl.fi_curve(fhn, [0.0, 0.2, 0.5], duration=duration, dt=0.05, spike_threshold=1.0)
    # below the lower Hopf point (0.3313) rest is stable: no repetitive firing. I = 0 is the rest each
    # unit starts from (0 spikes); the step to 0.2 may trigger the one excursion of an excitable cell
    assert rates[0] == 0.0
    assert rates[1] <= 1000.0 / duration
    # at I = 0.5 the only fixed point is an unstable focus: a limit cycle; its period from an
    # independent solver (LSODA) predicts the count to within one spike per duration
    ref = nl.simulate(fhn, 300.0, dt=0.1, current=0.5, method="adaptive", rtol=1e-10, atol=1e-12, record=(),
                      spike_threshold=1.0)
    period = np.mean(np.diff(ref.spike_times[1:]))
    assert rates[2] == pytest.approx(1000.0 / period, abs=1000.0 / duration + 1e-9)


def test_bifurcation_scan(fhn):
    currents = np.array([0.0, 0.2, 0.5, 1.0, 1.6])
    scan = nl.analysis.bifurcation_scan(fhn, currents, duration=400.0, dt=0.05, transient=200.0)
    v_hand = [hand_fixed_point(i)[0][0] for i in currents]
    np.testing.assert_allclose(scan.rest_v, v_hand, atol=1e-8)
    # stable outside the Hopf points 0.3313 < I < 1.4187 (analytic, module docstring)
    lo, hi = hopf_currents()
    np.testing.assert_array_equal(scan.rest_stable, (currents < lo) | (currents > hi))
    # oscillation (upward 0-crossings of v after the transient) only between the Hopf points here
    assert np.all(scan.rates[2:4] > 0) and np.all(scan.rates[[0, 1, 4]] == 0)
