"""EEG lead fields: closed forms against independent analytic solutions (issue 6).

Expected values come from outside the code under test:
* the Legendre-series solution of the Neumann problem for a point current source in an insulated
  sphere (Frank 1952), summed here term by term and differentiated numerically for a dipole;
* the potential of a centred dipole, 3 q cos(theta) / (4 pi sigma R^2) (three times the
  infinite-medium value; e.g. Nunez & Srinivasan 2006, ch. 6);
* Helmholtz reciprocity and rotational symmetry, which any correct lead field satisfies.
"""

from __future__ import annotations

import numpy as np
import pytest
from scipy.special import eval_legendre

from neuroladder import ParameterError
from neuroladder.mass import electrodes_10_20, lead_field_infinite, lead_field_sphere, orient, sensor_data

R, SIGMA, UV = 90.0, 0.33, 1e3


def series_monopole(r_surface, r0, n_terms=400):
    """Surface potential of a unit current source at r0 in an insulated sphere (Legendre series).

    Inside the sphere the potential is sum_l (r0^l / r^(l+1) + B_l r^l) P_l(cos g); dV/dr = 0 at R gives
    B_l = (l+1)/l r0^l / R^(2l+1), so on the surface V = sum_l (2l+1)/l r0^l / R^(l+1) P_l (l >= 1;
    the l = 0 term cancels for a dipole)."""
    rn = np.linalg.norm(r0)
    cosg = r_surface @ r0 / (R * rn) if rn > 0 else np.zeros(len(r_surface))
    ls = np.arange(1, n_terms + 1)
    coef = (2 * ls + 1) / ls * (rn / R) ** ls / R
    return np.array([np.sum(coef * eval_legendre(ls, c)) for c in cosg]) / (4 * np.pi * SIGMA)


def series_dipole(r_surface, r0, h=1e-4):
    grad = np.empty((len(r_surface), 3))
    for k in range(3):
        e = np.zeros(3)
        e[k] = h
        grad[:, k] = (series_monopole(r_surface, r0 + e) - series_monopole(r_surface, r0 - e)) / (2 * h)
    return UV * grad


def test_sphere_matches_legendre_series_within_1_percent():
    _, el = electrodes_10_20(R)
    for r0 in ([0.0, 0.0, 60.0], [20.0, -30.0, 40.0], [-50.0, 10.0, 30.0]):
        r0 = np.array(r0)
        closed = lead_field_sphere(el, r0, radius=R, sigma=SIGMA)[:, 0, :]
        series = series_dipole(el, r0)
        rel = np.abs(closed - series).max() / np.abs(series).max()
        assert rel < 0.01, (r0, rel)


def test_centred_dipole_is_three_times_infinite_medium():
    # V = 3 q cos(theta) / (4 pi sigma R^2) for a dipole at the centre of an insulated sphere
    _, el = electrodes_10_20(R)
    q = np.array([0.0, 0.0, 10.0])
    v = lead_field_sphere(el, [0.0, 0.0, 0.0], radius=R, sigma=SIGMA)[:, 0, :] @ q
    cos_t = el[:, 2] / R
    expected = UV * 3 * 10.0 * cos_t / (4 * np.pi * SIGMA * R ** 2)
    np.testing.assert_allclose(v, expected, rtol=1e-9, atol=1e-12)


def test_infinite_medium_is_the_limit_of_two_monopoles():
    # a dipole is the limit of +I at r0 + s/2 and -I at r0 - s/2 with I s = q
    el = np.array([[10.0, 20.0, 30.0], [-40.0, 5.0, 0.0]])
    r0, q, s = np.array([1.0, 2.0, 3.0]), np.array([0.3, -0.2, 0.5]), 1e-4
    lf = lead_field_infinite(el, r0, sigma=SIGMA)[:, 0, :] @ q
    qs = q / np.linalg.norm(q)
    i = np.linalg.norm(q) / s
    plus, minus = r0 + qs * s / 2, r0 - qs * s / 2
    mono = UV * i * (1 / np.linalg.norm(el - plus, axis=1) - 1 / np.linalg.norm(el - minus, axis=1)) / (4 * np.pi * SIGMA)
    np.testing.assert_allclose(lf, mono, rtol=1e-6)


def test_reciprocity_lead_field_is_gradient_of_injected_current_potential():
    # Helmholtz: V_a - V_b for dipole q at r0 equals q . grad Phi(r0), Phi the potential that unit current
    # injected at electrode a and withdrawn at b sets up inside the sphere. By the symmetry of the Neumann
    # Green's function, Phi(r0) = G(r_a, r0) - G(r_b, r0) (series above, evaluated at interior points).
    names, el = electrodes_10_20(R)
    a, b = el[names.index("F3")], el[names.index("P4")]
    r0 = np.array([15.0, 25.0, 45.0])
    lf = lead_field_sphere(np.array([a, b]), r0, radius=R, sigma=SIGMA)[:, 0, :]
    h = 1e-4
    grad = np.empty(3)
    for k in range(3):
        e = np.zeros(3)
        e[k] = h
        phi = [series_monopole(np.array([a]), p)[0] - series_monopole(np.array([b]), p)[0] for p in (r0 + e, r0 - e)]
        grad[k] = UV * (phi[0] - phi[1]) / (2 * h)
    np.testing.assert_allclose(lf[0] - lf[1], grad, rtol=5e-4)


def test_rotation_symmetry_and_zero_surface_mean():
    rng = np.random.default_rng(0)
    _, el = electrodes_10_20(R)
    r0, q = np.array([10.0, -20.0, 50.0]), np.array([1.0, 2.0, -0.5])
    rot, _ = np.linalg.qr(rng.normal(size=(3, 3)))
    v = lead_field_sphere(el, r0, R, SIGMA)[:, 0, :] @ q
    v_rot = lead_field_sphere(el @ rot.T, rot @ r0, R, SIGMA)[:, 0, :] @ (rot @ q)
    np.testing.assert_allclose(v_rot, v, rtol=1e-10, atol=1e-12)
    # no current leaves the insulated sphere, and the l = 0 term of the potential vanishes:
    # the surface mean (Fibonacci lattice, 20 000 nearly uniform points) is ~0 next to the typical value
    n = 20_000
    k = np.arange(n) + 0.5
    z = 1 - 2 * k / n
    phi = np.pi * (1 + 5 ** 0.5) * k
    pts = R * np.column_stack([np.sqrt(1 - z * z) * np.cos(phi), np.sqrt(1 - z * z) * np.sin(phi), z])
    vs = lead_field_sphere(pts, r0, R, SIGMA)[:, 0, :] @ q
    assert abs(vs.mean()) < 1e-3 * np.abs(vs).max()


def test_10_20_positions_follow_the_system_angles():
    names, el = electrodes_10_20(R)
    assert len(names) == 19 and len(set(names)) == 19
    np.testing.assert_allclose(np.linalg.norm(el, axis=1), R)
    p = dict(zip(names, el / R))
    ang = lambda a, b: np.degrees(np.arccos(np.clip(p[a] @ p[b], -1, 1)))
    # midline: Fz-Cz-Pz 20 % of the 180-degree nasion-inion arc = 36 degrees
    assert ang("Fz", "Cz") == pytest.approx(36.0) and ang("Cz", "Pz") == pytest.approx(36.0)
    # coronal: T3-C3-Cz-C4-T4 in 36-degree steps
    assert ang("T3", "C3") == pytest.approx(36.0) and ang("C4", "T4") == pytest.approx(36.0)
    # left-right mirror symmetry
    for left, right in (("F3", "F4"), ("P3", "P4"), ("O1", "O2"), ("F7", "F8")):
        np.testing.assert_allclose(p[left] * [1, -1, 1], p[right], atol=1e-12)
    # F3 is equidistant from Fz and F7
    assert ang("F3", "Fz") == pytest.approx(ang("F3", "F7"))


def test_bad_inputs_raise_parameter_error():
    _, el = electrodes_10_20(R)
    with pytest.raises(ParameterError, match="dipole 0"):
        lead_field_sphere(el, [0.0, 0.0, 95.0], radius=R)
    with pytest.raises(ParameterError, match="electrodes"):
        lead_field_sphere(np.ones((4, 2)), [0.0, 0.0, 10.0])
    with pytest.raises(ParameterError, match="sigma"):
        lead_field_infinite(el, [0.0, 0.0, 10.0], sigma=-1.0)
    with pytest.raises(ParameterError, match="NaN"):
        lead_field_sphere(el, [np.nan, 0.0, 10.0])
    lf = orient(lead_field_sphere(el, [[0.0, 0.0, 50.0]]), [[0.0, 0.0, 1.0]])
    with pytest.raises(ParameterError, match="sources must have shape"):
        sensor_data(lf, np.ones((2, 10)))


def test_sensor_data_is_lead_field_times_sources_plus_seeded_noise():
    _, el = electrodes_10_20(R)
    lf = orient(lead_field_sphere(el, [[0.0, 0.0, 50.0]]), [[0.0, 0.0, 1.0]])
    src = np.sin(np.linspace(0, 3, 50))[None, :]
    np.testing.assert_allclose(sensor_data(lf, src), lf @ src)
    a, b = sensor_data(lf, src, 0.5, seed=3), sensor_data(lf, src, 0.5, seed=3)
    np.testing.assert_array_equal(a, b)
    assert np.std(a - lf @ src) == pytest.approx(0.5, rel=0.1)
