"""EEG forward models: lead fields from current dipoles to scalp electrodes.

The electric potential that a current dipole (moment q at position r0) produces at a point r of a
volume conductor of conductivity sigma is linear in q, V = L(r, r0) . q; stacked over electrodes
and sources, ``L`` is the lead field and sensor data are ``L @ source_activity + noise``.

Two conductors with closed-form solutions:

* an infinite homogeneous medium: V = q . (r - r0) / (4 pi sigma |r - r0|^3);
* a homogeneous sphere of radius R with an insulating outside (Frank 1952; closed form of
  Brody, Terry & Ideker 1973, as written by Mosher, Leahy & Lewis 1999, IEEE TBME 46:245),
  on the surface |r| = R, with d = r - r0::

      V = 1/(4 pi sigma) [ 2 q.d / |d|^3 + (|d| q.r + R q.d) / (R |d| (R |d| + r.d)) ]

  It follows from the Neumann Green's function of the sphere (derivation in docs/mass.md), whose
  Legendre series the tests compare it with.

Units: positions in mm, conductivity in S/m, dipole moments in nA m, potentials in microvolts
(1 nA m / (S/m mm^2) = 1e3 microvolt, the factor ``_UV``).

Electrode positions: :func:`electrodes_10_20` places the 19 electrodes of the international
10-20 system (Jasper 1958) on a sphere from their angles, for the idealised head whose nasion,
inion and pre-auricular points lie on the equator.
"""

from __future__ import annotations

import numpy as np

from ..core.errors import ParameterError

_UV = 1e3  # microvolts per (nA m / (S/m * mm^2))


def _points(name: str, value, allow_single=True) -> np.ndarray:
    arr = np.asarray(value, dtype=float)
    if allow_single and arr.ndim == 1:
        arr = arr[None, :]
    if arr.ndim != 2 or arr.shape[1] != 3:
        raise ParameterError(f"{name} must be an array of 3-D positions, shape (n, 3); got shape {np.shape(value)}")
    if not np.all(np.isfinite(arr)):
        raise ParameterError(f"{name} contains NaN or infinite coordinates")
    return arr


def _check_sigma(sigma: float) -> float:
    if not (np.isfinite(sigma) and sigma > 0):
        raise ParameterError(f"sigma (conductivity, S/m) must be positive, got {sigma!r}")
    return float(sigma)


def lead_field_infinite(electrodes, dipoles, sigma: float = 0.33) -> np.ndarray:
    """Lead field of current dipoles in an infinite homogeneous medium.

    Parameters
    ----------
    electrodes : (n_el, 3) array, mm
    dipoles : (n_dip, 3) array, mm (dipole positions)
    sigma : float, S/m

    Returns
    -------
    (n_el, n_dip, 3) array, microvolt per nA m: ``V[e] = sum_k L[e, k] . q[k]``.
    """
    el = _points("electrodes", electrodes)
    dp = _points("dipoles", dipoles)
    sigma = _check_sigma(sigma)
    d = el[:, None, :] - dp[None, :, :]
    dist = np.linalg.norm(d, axis=-1)
    if np.any(dist == 0):
        raise ParameterError("a dipole sits exactly on an electrode: the potential is singular there")
    return _UV * d / (4.0 * np.pi * sigma * dist[..., None] ** 3)


def lead_field_sphere(electrodes, dipoles, radius: float = 90.0, sigma: float = 0.33) -> np.ndarray:
    """Lead field of current dipoles inside a homogeneous conducting sphere (surface electrodes).

    The sphere is centred at the origin; electrodes are projected radially onto its surface
    (as EEG electrodes sit on the scalp) and dipoles must lie strictly inside.

    Parameters
    ----------
    electrodes : (n_el, 3) array, mm
    dipoles : (n_dip, 3) array, mm
    radius : float, mm (default 90 mm, a head-sized sphere)
    sigma : float, S/m (default 0.33, brain/scalp)

    Returns
    -------
    (n_el, n_dip, 3) array, microvolt per nA m.

    The potential is referenced to infinity, as the closed form gives it; its mean over the sphere's
    surface is zero (no net current leaves the sphere). Re-reference with :func:`average_reference`.
    """
    el = _points("electrodes", electrodes)
    dp = _points("dipoles", dipoles)
    sigma = _check_sigma(sigma)
    if not (np.isfinite(radius) and radius > 0):
        raise ParameterError(f"radius must be positive (mm), got {radius!r}")
    norms = np.linalg.norm(el, axis=1)
    if np.any(norms == 0):
        raise ParameterError("an electrode sits at the sphere's centre: it has no direction to project onto the surface")
    r = el * (radius / norms)[:, None]
    depth = np.linalg.norm(dp, axis=1)
    if np.any(depth >= radius):
        k = int(np.argmax(depth >= radius))
        raise ParameterError(f"dipole {k} at {depth[k]:.3g} mm from the centre is not inside the sphere of "
                             f"radius {radius:g} mm")
    d = r[:, None, :] - dp[None, :, :]                     # (n_el, n_dip, 3)
    dn = np.linalg.norm(d, axis=-1)[..., None]
    r_dot_d = np.einsum("ek,edk->ed", r, d)[..., None]
    rr = r[:, None, :]
    term_infinite = 2.0 * d / dn ** 3
    term_boundary = (dn * rr + radius * d) / (radius * dn * (radius * dn + r_dot_d))
    return _UV * (term_infinite + term_boundary) / (4.0 * np.pi * sigma)


def orient(lead_field: np.ndarray, orientations) -> np.ndarray:
    """Collapse an (n_el, n_dip, 3) lead field onto fixed dipole orientations -> (n_el, n_dip).

    ``orientations``: (n_dip, 3), normalised here; :func:`radial_orientations` gives radial ones.
    """
    lf = np.asarray(lead_field, dtype=float)
    ori = _points("orientations", orientations)
    if lf.ndim != 3 or lf.shape[2] != 3 or ori.shape[0] != lf.shape[1]:
        raise ParameterError(f"orientations must have one 3-vector per dipole: lead field {lf.shape}, "
                             f"orientations {ori.shape}")
    ori = ori / np.linalg.norm(ori, axis=1, keepdims=True)
    return np.einsum("edk,dk->ed", lf, ori)


def radial_orientations(dipoles) -> np.ndarray:
    """Unit vectors pointing from the sphere's centre through each dipole (pyramidal cells in a gyral crown)."""
    dp = _points("dipoles", dipoles)
    n = np.linalg.norm(dp, axis=1, keepdims=True)
    if np.any(n == 0):
        raise ParameterError("a dipole at the centre has no radial direction; give its orientation explicitly")
    return dp / n


def average_reference(lead_field: np.ndarray) -> np.ndarray:
    """Re-reference a lead field to the average of its electrodes (subtract the electrode mean)."""
    lf = np.asarray(lead_field, dtype=float)
    return lf - lf.mean(axis=0, keepdims=True)


# 10-20 system: (name, angle from the vertex Cz in degrees, azimuth in degrees counter-clockwise from
# the nose seen from above). Midline and coronal chains are in steps of 10 % and 20 % of the
# nasion-inion and pre-auricular arcs (180 degrees on the idealised sphere), so Fpz, T3, Oz, T4 lie
# 18 degrees above the equator; the outer ring (Fp1 ... O2) is at the same height every 36 degrees.
_RING = 72.0
_MAIN = [
    ("Fp1", _RING, 18.0), ("Fp2", _RING, -18.0),
    ("F7", _RING, 54.0), ("F8", _RING, -54.0),
    ("T3", _RING, 90.0), ("T4", _RING, -90.0),
    ("T5", _RING, 126.0), ("T6", _RING, -126.0),
    ("O1", _RING, 162.0), ("O2", _RING, -162.0),
    ("Fz", 36.0, 0.0), ("Cz", 0.0, 0.0), ("Pz", 36.0, 180.0),
    ("C3", 36.0, 90.0), ("C4", 36.0, -90.0),
]
# F3, F4, P3, P4 lie halfway along the great circle from the midline electrode to the ring electrode.
_MIDWAY = [("F3", "Fz", "F7"), ("F4", "Fz", "F8"), ("P3", "Pz", "T5"), ("P4", "Pz", "T6")]
ORDER_10_20 = ("Fp1", "Fp2", "F7", "F3", "Fz", "F4", "F8", "T3", "C3", "Cz", "C4", "T4",
               "T5", "P3", "Pz", "P4", "T6", "O1", "O2")


def _unit(theta_deg: float, phi_deg: float) -> np.ndarray:
    th, ph = np.radians(theta_deg), np.radians(phi_deg)
    # x towards the nose, y towards the left ear, z towards the vertex
    return np.array([np.sin(th) * np.cos(ph), np.sin(th) * np.sin(ph), np.cos(th)])


def _slerp_midpoint(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    m = a + b
    return m / np.linalg.norm(m)


def electrodes_10_20(radius: float = 90.0) -> tuple[tuple[str, ...], np.ndarray]:
    """The 19 electrodes of the 10-20 system on a sphere of ``radius`` mm.

    Returns ``(names, positions)`` with positions (19, 3) in mm: x towards the nose, y towards the left
    ear, z up. Computed from the system's angles (see the table in this module), not from a measured cap.
    """
    if not (np.isfinite(radius) and radius > 0):
        raise ParameterError(f"radius must be positive (mm), got {radius!r}")
    pos = {name: _unit(th, ph) for name, th, ph in _MAIN}
    for name, a, b in _MIDWAY:
        pos[name] = _slerp_midpoint(pos[a], pos[b])
    return ORDER_10_20, radius * np.array([pos[n] for n in ORDER_10_20])


def sensor_data(lead_field: np.ndarray, sources: np.ndarray, noise_sd: float = 0.0, seed=None) -> np.ndarray:
    """Simulated sensor data ``L @ sources + noise``.

    lead_field : (n_el, n_src) (fixed orientations; see :func:`orient`), microvolt per nA m
    sources : (n_src, n_time) source moments, nA m
    noise_sd : standard deviation of white Gaussian measurement noise, microvolt
    """
    from ..core.rng import make_rng

    lf = np.asarray(lead_field, dtype=float)
    src = np.asarray(sources, dtype=float)
    if lf.ndim != 2:
        raise ParameterError(f"lead_field must be 2-D (electrodes, sources) with fixed orientations; got shape {lf.shape}")
    if src.ndim != 2 or src.shape[0] != lf.shape[1]:
        raise ParameterError(f"sources must have shape ({lf.shape[1]}, n_time) to match the lead field "
                             f"{lf.shape}; got {src.shape}")
    if not (np.isfinite(noise_sd) and noise_sd >= 0):
        raise ParameterError(f"noise_sd must be >= 0, got {noise_sd!r}")
    out = lf @ src
    if noise_sd > 0:
        out = out + make_rng(seed).normal(0.0, noise_sd, size=out.shape)
    return out
