"""Dynamic Causal Modelling of evoked responses (DCM for ERP; David et al. 2006, NeuroImage 30:1255).

A DCM is a generative model of sensor data: a network of ERP neural masses
(:mod:`neuroladder.inference.erp_model`) with named forward, backward and lateral connections and
stimulus inputs, seen through a lead field (:mod:`neuroladder.mass.leadfield`). The unknowns are
log-scale factors theta: every present connection has strength nominal * exp(theta) and every input
gain nominal * exp(theta), with Gaussian priors N(0, prior_var). Inversion is variational Laplace
(:func:`~neuroladder.inference.variational_laplace.variational_laplace`); alternative architectures
fitted to the same data are compared by their free energies (:func:`compare`).

Connections are written ``(source, target)`` with regions numbered from 0.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..core.errors import ParameterError
from . import erp_model
from .variational_laplace import LaplacePosterior, variational_laplace

KINDS = ("forward", "backward", "lateral")
#: nominal strengths (1/s) that exp(theta) scales. David et al. (2006) use 32/16/4 for F/B/L with their own
#: input scaling; with the stimulus below a forward strength of 256 makes a target region respond at about
#: a third of its source's amplitude, and backward 16 changes the source's response by ~20 %
NOMINAL = {"forward": 256.0, "backward": 16.0, "lateral": 16.0, "input": 2048.0}


def _pairs(name, value, n):
    out = []
    for item in value or ():
        try:
            src, tgt = (int(k) for k in item)
        except (TypeError, ValueError):
            raise ParameterError(f"{name} must be a list of (source, target) region pairs; got {item!r}") from None
        if not (0 <= src < n and 0 <= tgt < n) or src == tgt:
            raise ParameterError(f"{name} connection {item!r}: regions must be distinct and in 0..{n - 1}")
        out.append((src, tgt))
    if len(set(out)) != len(out):
        raise ParameterError(f"{name} lists a connection twice: {out}")
    return out


@dataclass
class DCMResult:
    """Posterior of one DCM: parameter names, Laplace posterior, and the data it explains."""

    dcm: DCM
    names: list
    posterior: LaplacePosterior
    data: np.ndarray

    @property
    def free_energy(self) -> float:
        return self.posterior.free_energy

    @property
    def mean(self) -> dict:
        """Posterior means of the log-scale parameters theta, by name."""
        return dict(zip(self.names, self.posterior.mean))

    @property
    def sd(self) -> dict:
        return dict(zip(self.names, self.posterior.sd))

    @property
    def strengths(self) -> dict:
        """Posterior-mean connection strengths and input gains, nominal * exp(theta) (1/s)."""
        return {nm: self.dcm.nominal_of(nm) * np.exp(v) for nm, v in self.mean.items()}

    @property
    def fitted(self) -> np.ndarray:
        return self.posterior.fitted.reshape(self.data.shape)

    @property
    def r2(self) -> float:
        """Fraction of the data's variance explained by the fit."""
        resid = self.data - self.fitted
        return float(1.0 - resid.var() / self.data.var())


class DCM:
    """A DCM for evoked responses: connections, inputs, lead field, sampling times.

    Parameters
    ----------
    n_regions : number of sources
    forward, backward, lateral : lists of ``(source, target)`` pairs (regions from 0)
    inputs : regions receiving the stimulus (a Gaussian bump at ``onset`` ms, ``width`` ms)
    lead_field : (n_channels, n_regions) microvolt per nA m (fixed dipole orientations; see
        :func:`neuroladder.mass.orient`)
    times : (n_times,) sampling times in ms, a regular grid starting at 0
    dipole_gain : nA m of dipole moment per mV of pyramidal depolarisation
    prior_var : prior variance of every log-scale parameter (default 1/2)
    dt : integration step (ms); model : overrides of :data:`erp_model.DEFAULTS`
    """

    def __init__(self, n_regions, forward=(), backward=(), lateral=(), inputs=(0,), lead_field=None, times=None,
                 dipole_gain: float = 10.0, prior_var: float = 0.5, dt: float = 0.5, **model):
        if int(n_regions) != n_regions or n_regions < 1:
            raise ParameterError(f"n_regions must be a positive integer, got {n_regions!r}")
        self.n = n = int(n_regions)
        self.connections = {k: _pairs(k, v, n) for k, v in zip(KINDS, (forward, backward, lateral))}
        self.inputs = sorted({int(i) for i in inputs})
        if not self.inputs or any(not 0 <= i < n for i in self.inputs):
            raise ParameterError(f"inputs must name at least one region in 0..{n - 1}; got {inputs!r}")
        lf = np.asarray(lead_field, dtype=float) if lead_field is not None else np.eye(n)
        if lf.ndim != 2 or lf.shape[1] != n or not np.all(np.isfinite(lf)):
            raise ParameterError(f"lead_field must be a finite (n_channels, {n}) array; got shape {lf.shape}")
        self.lead_field = lf
        t = np.asarray(times if times is not None else np.arange(0.0, 300.0, 4.0), dtype=float)
        if t.ndim != 1 or t.size < 2 or abs(t[0]) > 1e-12 or not np.allclose(np.diff(t), t[1] - t[0]):
            raise ParameterError("times must be a regular grid of sampling times in ms starting at 0")
        if not (prior_var > 0):
            raise ParameterError(f"prior_var must be positive, got {prior_var!r}")
        self.times, self.dipole_gain, self.prior_var, self.dt, self.model = t, float(dipole_gain), prior_var, dt, model
        self.names = [f"{k} {s}->{g}" for k in KINDS for s, g in self.connections[k]] + \
                     [f"input {i}" for i in self.inputs]

    @property
    def n_params(self) -> int:
        return len(self.names)

    @staticmethod
    def nominal_of(name: str) -> float:
        return NOMINAL[name.split()[0]]

    def _matrices(self, theta):
        mats = {k: np.zeros((self.n, self.n)) for k in KINDS}
        it = iter(np.asarray(theta, dtype=float))
        for k in KINDS:
            for s, g in self.connections[k]:
                mats[k][g, s] = NOMINAL[k] * np.exp(next(it))
        c = np.zeros(self.n)
        for i in self.inputs:
            c[i] = NOMINAL["input"] * np.exp(next(it))
        return mats, c

    def theta_from(self, values: dict) -> np.ndarray:
        """Log-scale parameter vector from a dict ``name -> theta`` (missing names: prior mean 0)."""
        unknown = set(values) - set(self.names)
        if unknown:
            raise ParameterError(f"unknown DCM parameters {sorted(unknown)}; this model has {self.names}")
        return np.array([float(values.get(nm, 0.0)) for nm in self.names])

    def sources(self, theta=None) -> np.ndarray:
        """Pyramidal depolarisation (mV) of each region at ``times``: (n_times, n_regions)."""
        theta = np.zeros(self.n_params) if theta is None else np.asarray(theta, dtype=float)
        if theta.shape != (self.n_params,):
            raise ParameterError(f"theta must have {self.n_params} entries ({self.names}); got shape {theta.shape}")
        mats, c = self._matrices(theta)
        return erp_model.pyramidal_response(mats["forward"], mats["backward"], mats["lateral"], c, self.times,
                                            dt=self.dt, **self.model)

    def predict(self, theta=None) -> np.ndarray:
        """Sensor data (microvolt) predicted at ``theta``: (n_times, n_channels)."""
        return self.dipole_gain * self.sources(theta) @ self.lead_field.T

    def fit(self, data, max_iter: int = 128) -> DCMResult:
        """Invert the model on sensor ``data`` (n_times, n_channels) by variational Laplace."""
        data = np.asarray(data, dtype=float)
        expected = (self.times.size, self.lead_field.shape[0])
        if data.shape != expected:
            raise ParameterError(f"data must have shape (n_times, n_channels) = {expected} to match times and the "
                                 f"lead field; got {data.shape}")
        if not np.all(np.isfinite(data)):
            raise ParameterError("data contain NaN or infinite values")
        prior_cov = self.prior_var * np.eye(self.n_params)
        post = variational_laplace(self.predict, data, np.zeros(self.n_params), prior_cov, max_iter=max_iter)
        return DCMResult(self, list(self.names), post, data)


def compare(results) -> np.ndarray:
    """Posterior model probabilities from free energies (flat prior over models): softmax(F)."""
    f = np.array([r.free_energy if isinstance(r, DCMResult) else float(r) for r in results])
    if f.size == 0:
        raise ParameterError("compare needs at least one fitted model")
    p = np.exp(f - f.max())
    return p / p.sum()


#: the synthetic three-region study of the ``dcm-erp`` experiment: a serial hierarchy 0 -> 1 -> 2 with
#: backward connections (the true model) and three alternatives
ARCHITECTURES = {
    "serial F": dict(forward=[(0, 1), (1, 2)]),
    "serial F+B": dict(forward=[(0, 1), (1, 2)], backward=[(1, 0), (2, 1)]),
    "parallel F+B": dict(forward=[(0, 1), (0, 2)], backward=[(1, 0), (2, 0)]),
    "serial F+B+skip": dict(forward=[(0, 1), (1, 2), (0, 2)], backward=[(1, 0), (2, 1)]),
}
TRUE_ARCHITECTURE = "serial F+B"
TRUE_THETA = {"forward 0->1": 0.3, "forward 1->2": -0.2, "backward 1->0": 0.4, "backward 2->1": -0.3, "input 0": 0.2}
#: source positions (mm; x to the nose, y to the left ear): left and right temporal, frontal midline
SOURCE_POSITIONS = np.array([[-10.0, 55.0, 25.0], [-10.0, -55.0, 25.0], [35.0, 0.0, 60.0]])


def synthetic_study(snr: float = 4.0, seed=None, radius: float = 90.0):
    """Synthetic EEG of the three-region study: 19 10-20 electrodes on a homogeneous sphere, radial dipoles,
    average reference, white sensor noise with SD = RMS(signal) / snr.

    Returns ``(models, data, clean, theta_true)``: ``models`` maps architecture names to unfitted DCMs
    (all sharing the lead field and sampling times), ``data`` and ``clean`` are (n_times, 19) microvolt.
    """
    from ..core.rng import make_rng
    from ..mass.leadfield import average_reference, electrodes_10_20, lead_field_sphere, orient, radial_orientations

    if not (snr > 0):
        raise ParameterError(f"snr must be positive, got {snr!r}")
    _, electrodes = electrodes_10_20(radius)
    lead = average_reference(orient(lead_field_sphere(electrodes, SOURCE_POSITIONS, radius=radius),
                                    radial_orientations(SOURCE_POSITIONS)))
    models = {name: DCM(3, lead_field=lead, **spec) for name, spec in ARCHITECTURES.items()}
    true = models[TRUE_ARCHITECTURE]
    theta_true = true.theta_from(TRUE_THETA)
    clean = true.predict(theta_true)
    data = clean + make_rng(seed).normal(0.0, clean.std() / snr, clean.shape)
    return models, data, clean, theta_true
