"""Orientation selectivity: Hubel & Wiesel's feedforward simple cell and the recurrent ring of Ben-Yishai et al.

Feedforward (Hubel & Wiesel 1962): LGN ON- and OFF-centre cells with difference-of-Gaussians receptive
fields (Rodieck 1965; Enroth-Cugell & Robson 1966) whose centres lie on rows along the simple cell's
axis, ON row flanked by two OFF rows. A drifting sinusoidal grating is integrated against each field on a
pixel grid, the LGN cells rectify, the simple cell sums them and applies a threshold (a rate
``[u - theta]_+``) or drives a spiking ``nl.LIF``. Because the threshold is fixed while the linear drive
scales with contrast, the tuning widens with contrast (the "iceberg effect").

Recurrent (Ben-Yishai, Bar-Or & Sompolinsky 1995): ``nl.RateNetwork.ring`` with weakly tuned input
``c (1 - eps + eps cos 2(theta - theta0))``, local excitation J2 and broad inhibition J0; in the marginal
phase the width is set by J2 alone (:func:`neuroladder.mass.rate.ring_marginal_halfwidth`), whatever the
contrast.

Units: visual space in degrees of visual angle ("vdeg"), orientations in deg, spatial frequency in
cycles/vdeg, temporal frequency in Hz, rates in Hz, time in ms.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..analysis.tuning import halfwidth, preferred_orientation
from ..core.errors import ParameterError
from ..core.parameters import require_int, require_non_negative, require_positive, require_range
from ..core.simulate import simulate
from ..core.stimulus import TimeArray
from ..mass.rate import RateNetwork
from ..neurons.lif import LIF
from ..stochastic.noise import WhiteNoiseCurrent


def difference_of_gaussians(x, y, sigma_center: float, sigma_surround: float, surround_weight: float):
    """Centre-surround receptive field at offsets (x, y) (vdeg): ``G_c - w G_s`` with unit-area Gaussians
    of widths ``sigma_center`` < ``sigma_surround`` (vdeg); ``w`` is the surround's integrated weight
    relative to the centre (Rodieck 1965). Units 1/vdeg^2."""
    r2 = np.asarray(x) ** 2 + np.asarray(y) ** 2
    g_c = np.exp(-r2 / (2 * sigma_center ** 2)) / (2 * np.pi * sigma_center ** 2)
    g_s = np.exp(-r2 / (2 * sigma_surround ** 2)) / (2 * np.pi * sigma_surround ** 2)
    return g_c - surround_weight * g_s


def grating(x, y, orientation_deg, spatial_frequency: float, phase=0.0):
    """Contrast pattern ``cos(2 pi f (n . x) + phase)`` of a sinusoidal grating whose *bars* lie along
    ``orientation_deg`` (so its wave vector n is perpendicular to them); f in cycles/vdeg."""
    theta = np.deg2rad(orientation_deg)
    across = -np.sin(theta) * np.asarray(x) + np.cos(theta) * np.asarray(y)
    return np.cos(2 * np.pi * spatial_frequency * across + phase)


@dataclass(frozen=True)
class HubelWieselCell:
    """A simple cell fed by rows of LGN cells (Hubel & Wiesel 1962, their Fig. 19).

    Parameters
    ----------
    axis_deg : receptive-field axis (deg): the orientation of the rows of LGN centres.
    n_per_row : LGN cells per row; ``spacing`` (vdeg) between them along the row.
    flank_offset : distance (vdeg) from the ON row to each of the two OFF rows.
    sigma_center, sigma_surround, surround_weight : the LGN difference of Gaussians (vdeg; weight 0-1).
        Defaults near cat X cells at ~5 deg eccentricity (centre radius ~0.35 vdeg; Linsenmeier et al. 1982).
    background_hz : LGN maintained rate; ``lgn_gain_hz`` LGN rate per unit of linear response at contrast 1.
        With the defaults the LGN modulation stays below the maintained rate up to 80 % contrast, so the
        LGN cells do not rectify and the simple cell's mean input u is untuned (its modulation is tuned).
    threshold_hz : the simple cell's threshold on its LGN input u (Hz), just above the maintained rate.
    pixel : pixel size (vdeg) of the grid the gratings are integrated on.
    """

    axis_deg: float = 30.0
    n_per_row: int = 5
    spacing: float = 0.4
    flank_offset: float = 0.6
    sigma_center: float = 0.25
    sigma_surround: float = 0.75
    surround_weight: float = 0.9
    background_hz: float = 40.0
    lgn_gain_hz: float = 100.0
    threshold_hz: float = 43.0
    pixel: float = 0.05

    def __post_init__(self):
        require_range("axis_deg", self.axis_deg, -360.0, 360.0, unit="deg")
        require_range("n_per_row", require_int("n_per_row", self.n_per_row, low=1), 1, 100)
        for name in ("spacing", "flank_offset", "sigma_center", "sigma_surround", "pixel"):
            require_positive(name, getattr(self, name), "vdeg")
        require_range("surround_weight", self.surround_weight, 0.0, 1.0)
        if self.sigma_surround <= self.sigma_center:
            raise ParameterError(f"sigma_surround = {self.sigma_surround} vdeg must exceed sigma_center = "
                                 f"{self.sigma_center} vdeg")
        if self.pixel > self.sigma_center / 2:
            raise ParameterError(f"pixel = {self.pixel} vdeg must be at most sigma_center / 2 = "
                                 f"{self.sigma_center / 2} vdeg to resolve the LGN centres")
        for name in ("background_hz", "lgn_gain_hz", "threshold_hz"):
            require_non_negative(name, getattr(self, name), "Hz")

    @property
    def preferred_spatial_frequency(self) -> float:
        """Cycles/vdeg at which an ON row sits on a bright bar while the OFF rows sit on dark ones: 1 / (2 d)."""
        return 1.0 / (2.0 * self.flank_offset)

    def lgn_cells(self) -> tuple[np.ndarray, np.ndarray]:
        """Centres (n, 2) in vdeg and signs (+1 ON, -1 OFF) of the LGN cells."""
        a = np.deg2rad(self.axis_deg)
        along = np.array([np.cos(a), np.sin(a)])
        normal = np.array([-np.sin(a), np.cos(a)])
        s = (np.arange(self.n_per_row) - (self.n_per_row - 1) / 2) * self.spacing
        rows = [(0.0, 1.0), (self.flank_offset, -1.0), (-self.flank_offset, -1.0)]
        centres = np.vstack([s[:, None] * along + off * normal for off, _ in rows])
        signs = np.concatenate([np.full(s.size, sign) for _, sign in rows])
        return centres, signs

    def _pixels(self):
        centres, _ = self.lgn_cells()
        extent = np.abs(centres).max() + 4.0 * self.sigma_surround
        axis = np.arange(-extent, extent + self.pixel / 2, self.pixel)
        return np.meshgrid(axis, axis, indexing="xy")

    def linear_responses(self, orientations_deg, spatial_frequency: float | None = None) -> np.ndarray:
        """Complex linear response (orientations, cells) of each LGN field to a unit-contrast grating:
        the field integrated against the grating's cosine and sine phases on the pixel grid, so a grating
        drifting at temporal frequency f_t gives ``Re(A exp(-2 pi i f_t t))``."""
        f = self.preferred_spatial_frequency if spatial_frequency is None else spatial_frequency
        require_positive("spatial_frequency", f, "cycles/vdeg")
        x, y = self._pixels()
        centres, _ = self.lgn_cells()
        fields = np.stack([difference_of_gaussians(x - cx, y - cy, self.sigma_center, self.sigma_surround,
                                                   self.surround_weight).ravel() for cx, cy in centres])
        fields *= self.pixel ** 2
        out = []
        for theta in np.atleast_1d(np.asarray(orientations_deg, dtype=float)):
            cos_img = grating(x, y, theta, f).ravel()
            sin_img = grating(x, y, theta, f, phase=-np.pi / 2).ravel()
            out.append(fields @ cos_img + 1j * (fields @ sin_img))
        return np.array(out)

    def mean_lgn_input(self, orientations_deg, contrasts, temporal_frequency: float = 2.0, n_phases: int = 48,
                       spatial_frequency: float | None = None) -> tuple[np.ndarray, np.ndarray]:
        """u(t): the mean rectified LGN rate (Hz) over one cycle of a drifting grating, shape
        (contrasts, orientations, n_phases), with the times (ms) of the phases."""
        require_positive("temporal_frequency", temporal_frequency, "Hz")
        n_phases = require_int("n_phases", n_phases, low=4)
        contrasts = np.atleast_1d(np.asarray(contrasts, dtype=float))
        require_range("contrasts", contrasts, 0.0, 1.0)
        _, signs = self.lgn_cells()
        amp = self.linear_responses(orientations_deg, spatial_frequency)            # (O, cells)
        t = np.arange(n_phases) / n_phases * 1000.0 / temporal_frequency
        carrier = np.exp(-2j * np.pi * temporal_frequency * t * 1e-3)               # (T,)
        linear = np.real(amp[:, :, None] * carrier[None, None, :]) * signs[None, :, None]
        rates = np.maximum(self.background_hz + self.lgn_gain_hz * contrasts[:, None, None, None] * linear[None], 0.0)
        return rates.mean(axis=2), t

    def rate_response(self, u) -> np.ndarray:
        """The thresholded simple cell: ``[u - threshold]_+`` (Hz)."""
        return np.maximum(np.asarray(u) - self.threshold_hz, 0.0)


@dataclass(frozen=True)
class TuningResult:
    """Tuning curves (contrasts, orientations) with their half-widths and preferred orientations (deg)."""

    orientations_deg: np.ndarray
    contrasts: np.ndarray
    responses: np.ndarray
    halfwidth_deg: np.ndarray
    preferred_deg: np.ndarray

    @property
    def halfwidth_change(self) -> float:
        """(max - min) / min of the half-widths over contrasts."""
        w = self.halfwidth_deg
        return float((np.max(w) - np.min(w)) / np.min(w))

    def preferred_error(self, expected_deg: float) -> float:
        """Largest distance (deg, on the 180-deg circle) of a preferred orientation from ``expected_deg``."""
        d = np.abs((self.preferred_deg - expected_deg + 90.0) % 180.0 - 90.0)
        return float(np.max(d))


def _tuning(orientations, contrasts, responses) -> TuningResult:
    widths = np.array([halfwidth(orientations, r) for r in responses])
    prefs = np.array([preferred_orientation(orientations, r) for r in responses])
    if not (np.all(np.isfinite(widths)) and np.all(np.isfinite(prefs))):
        low = contrasts[~(np.isfinite(widths) & np.isfinite(prefs))]
        raise ParameterError(f"no response at contrast(s) {low.tolist()}: raise the contrast or lower the threshold")
    return TuningResult(np.asarray(orientations, float), np.asarray(contrasts, float), responses, widths, prefs)


def feedforward_tuning(cell: HubelWieselCell, orientations_deg, contrasts, temporal_frequency: float = 2.0,
                       n_phases: int = 48) -> TuningResult:
    """Mean rate (Hz, over a cycle) of the thresholded simple cell per contrast and grating orientation."""
    u, _ = cell.mean_lgn_input(orientations_deg, contrasts, temporal_frequency, n_phases)
    return _tuning(orientations_deg, contrasts, cell.rate_response(u).mean(axis=2))


def lif_tuning(cell: HubelWieselCell, orientations_deg, contrasts, temporal_frequency: float = 2.0,
               cycles: int = 2, dt: float = 0.1, neuron: LIF | None = None, noise_pa: float = 0.0,
               seed=None) -> TuningResult:
    """The same simple cell as a spiking ``nl.LIF``: its current is ``rheobase u(t) / threshold``, so the
    LIF starts firing where the rate model's threshold lies; one LIF per (contrast, orientation), all in
    one ``nl.simulate`` run. Rates in Hz from the spike count over ``cycles`` grating cycles.
    ``noise_pa``: SD (pA) of an independent white-noise current per LIF, redrawn every ms (``seed``)."""
    neuron = LIF() if neuron is None else neuron
    cycles = require_int("cycles", cycles, low=1)
    period = 1000.0 / temporal_frequency
    n_phases = max(4, int(round(period / 1.0)))   # u(t) sampled every ~1 ms of the cycle
    u, _ = cell.mean_lgn_input(orientations_deg, contrasts, temporal_frequency, n_phases)
    n_c, n_o, _ = u.shape
    scale = neuron.rheobase() / max(cell.threshold_hz, 1e-9)
    samples = np.tile(u.reshape(n_c * n_o, n_phases).T, (cycles, 1)) * scale       # (T, units)
    current = TimeArray(samples, period / n_phases)
    require_non_negative("noise_pa", noise_pa, "pA")
    if noise_pa > 0.0:
        current = current + WhiteNoiseCurrent(0.0, noise_pa, dt=1.0, seed=seed)
    res = simulate(neuron, cycles * period, dt, current=current, n=n_c * n_o, record=())
    counts = np.array([len(s) for s in res.spike_times], dtype=float)
    rates = (counts / (cycles * period * 1e-3)).reshape(n_c, n_o)
    return _tuning(orientations_deg, contrasts, rates)


@dataclass(frozen=True)
class RingCircuit:
    """Ben-Yishai et al. (1995) ring: N rate units, kernel ``(J0 + J2 cos 2 dtheta) / N``, threshold-linear
    units with ``threshold``, input ``input_scale c (1 - epsilon + epsilon cos 2(theta - theta0))`` for a
    grating of contrast c at orientation theta0. Defaults lie in the marginal phase (J2 > 2, strong
    inhibition), where the width is set by J2."""

    n_units: int = 180
    j0: float = -2.0
    j2: float = 6.0
    epsilon: float = 0.1
    threshold: float = 1.0
    input_scale: float = 20.0
    tau: float = 10.0

    def __post_init__(self):
        require_range("n_units", require_int("n_units", self.n_units, low=8), 8, 100_000)
        require_range("epsilon", self.epsilon, 0.0, 0.5)
        require_positive("input_scale", self.input_scale)
        require_positive("tau", self.tau, "ms")

    def network(self, stimulus_deg, contrasts) -> tuple[RateNetwork, np.ndarray]:
        """The ring with one copy per (contrast, stimulus orientation): input weights (N, copies) and the
        per-copy current ``input_scale * contrast``."""
        pref = np.deg2rad(180.0 * np.arange(self.n_units) / self.n_units)
        stim = np.deg2rad(np.asarray(stimulus_deg, dtype=float))
        contrasts = np.asarray(contrasts, dtype=float)
        pattern = 1.0 - self.epsilon + self.epsilon * np.cos(2.0 * (pref[:, None] - stim[None, :]))
        pattern = np.tile(pattern, (1, contrasts.size))
        currents = np.repeat(self.input_scale * contrasts, stim.size)
        net = RateNetwork.ring(self.n_units, self.j0, self.j2, tau=self.tau, threshold=self.threshold,
                               input_weights=pattern)
        return net, currents

    def steady_rates(self, stimulus_deg, contrasts, duration: float = 300.0, dt: float = 0.1) -> np.ndarray:
        """Rates (contrasts, stimuli, N) at the end of ``duration`` ms (~30 time constants: steady)."""
        net, currents = self.network(stimulus_deg, contrasts)
        res = simulate(net, duration, dt, current=currents, n=currents.size, record=())
        final = np.stack([res.final_state[name] for name in net.state_names], axis=-1)   # (copies, N)
        return final.reshape(np.size(contrasts), np.size(stimulus_deg), self.n_units)


def ring_tuning(ring: RingCircuit, orientations_deg, contrasts, probe_deg: float, duration: float = 300.0,
                dt: float = 0.1) -> TuningResult:
    """Tuning curve of the ring unit preferring ``probe_deg`` (nearest unit) over grating orientation."""
    rates = ring.steady_rates(orientations_deg, contrasts, duration, dt)
    unit = int(round(np.mod(probe_deg, 180.0) / 180.0 * ring.n_units)) % ring.n_units
    return _tuning(orientations_deg, contrasts, rates[:, :, unit])
