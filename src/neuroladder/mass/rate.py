"""``nl.RateNetwork``: N coupled firing-rate units, the rung between spiking networks and neural masses.

``tau dr_i/dt = -r_i + f(sum_j W_ij r_j + b_i + g_i I(t))`` (Wilson & Cowan 1973; Dayan & Abbott 2001,
ch. 7), with ``f`` threshold-linear, a threshold power law ``k [x - theta]_+^n`` or a sigmoid, and ``W``
either a dense matrix or the ring kernel ``W(theta_i - theta_j) = (J0 + J2 cos 2(theta_i - theta_j)) / N``
of Ben-Yishai, Bar-Or & Sompolinsky (1995) on N preferred orientations ``theta_i = 180 i / N`` deg.

The whole network is *one* model whose state vector holds the N rates (``r0 ... r{N-1}``), so it runs
through ``nl.simulate`` with every fixed-step and the adaptive solver, and ``nl.fixed_points``,
``nl.analysis.jacobian`` and the other dynamics tools see the N-dimensional system. The units of
``nl.simulate`` (its ``n``) are independent copies of the network: one copy per stimulus, all in one
vectorised run. ``I(t)`` is the injected ``current`` of ``nl.simulate`` (one value per copy, or a
stimulus); it reaches unit i with weight ``input_weights[i]`` (an array (N,), or (N, n) to give each copy
its own input pattern, e.g. one grating orientation per copy). Rates in Hz (or arbitrary units),
time in ms.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from numba import njit

from ..core._math import exp, kernel
from ..core.errors import ParameterError
from ..core.model import Model, _broadcast_rows
from ..core.parameters import require_int, require_non_negative, require_positive, require_range

#: The transfer functions ``f`` and their codes in the packed parameters.
TRANSFERS = {"threshold_linear": 0, "power_law": 0, "sigmoid": 1}

# Packed parameter rows before the per-unit rows (see RateNetwork._pack)
_INV_TAU, _KIND, _GAIN, _THRESHOLD, _EXPONENT, _RING, _J0, _J2, _N_HEAD = range(9)


@njit(cache=True, inline="always", error_model="numpy")
def rate_transfer(x, kind, gain, threshold, exponent):
    """f(x), written once: ``gain [x - threshold]_+^exponent`` (kind 0; threshold-linear for exponent 1)
    or the sigmoid ``gain / (1 + exp(-(x - threshold) / exponent))`` (kind 1: gain is the maximal rate,
    exponent the slope scale)."""
    if kind == 0.0:
        z = x - threshold
        if z <= 0.0:
            return 0.0
        return gain * z if exponent == 1.0 else gain * z ** exponent
    return gain / (1.0 + exp(-(x - threshold) / exponent))


@njit(cache=True, error_model="numpy")
def _recurrent_input(y, p, k, n_units, out):
    """out[i] = sum_j W_ij r_j for copy (column) k: the ring kernel through its three moments, O(N),
    or the dense matrix stored row-major after the bias and input-weight rows, O(N^2)."""
    head = _N_HEAD + 2 * n_units
    if p[_RING, k] != 0.0:
        total = 0.0
        c2 = 0.0
        s2 = 0.0
        for j in range(n_units):
            r = y[j, k]
            total += r
            c2 += p[head + j, k] * r
            s2 += p[head + n_units + j, k] * r
        for i in range(n_units):
            out[i] = (p[_J0, k] * total + p[_J2, k] * (p[head + i, k] * c2 + p[head + n_units + i, k] * s2)) / n_units
    else:
        for i in range(n_units):
            acc = 0.0
            row = head + i * n_units
            for j in range(n_units):
                acc += p[row + j, k] * y[j, k]
            out[i] = acc


@kernel
def rate_network_equations(t, y, p, i_ext, a, b):
    """tau dr_i/dt = -r_i + f(x_i), x_i = sum_j W_ij r_j + b_i + g_i I: a_i = f(x_i) / tau, b_i = -1 / tau."""
    n_units = y.shape[0]
    x = np.empty(n_units)
    for k in range(y.shape[1]):
        _recurrent_input(y, p, k, n_units, x)
        inv_tau = p[_INV_TAU, k]
        for i in range(n_units):
            drive = x[i] + p[_N_HEAD + i, k] + p[_N_HEAD + n_units + i, k] * i_ext[k]
            a[i, k] = rate_transfer(drive, p[_KIND, k], p[_GAIN, k], p[_THRESHOLD, k], p[_EXPONENT, k]) * inv_tau
            b[i, k] = -inv_tau


@dataclass(frozen=True, eq=False)
class RateNetwork(Model):
    """N firing-rate units ``tau dr/dt = -r + f(W r + b + g I(t))``; make one with :meth:`dense` or :meth:`ring`.

    Parameters
    ----------
    n_units : int
        N, the number of rate units (the model's state has N variables ``r0 ... r{N-1}``).
    weights : array (N, N) or None
        Dense coupling ``W_ij`` (from j to i, in units of input per unit rate); None for the ring kernel.
    j0, j2 : float
        Ring kernel ``(J0 + J2 cos 2(theta_i - theta_j)) / N`` (used when ``weights`` is None); J0 < 0 is
        broad inhibition, J2 > 0 local excitation (Ben-Yishai et al. 1995).
    tau : float
        Time constant (ms, > 0).
    transfer : {"threshold_linear", "power_law", "sigmoid"}
        ``f``: ``gain [x - threshold]_+`` ; ``gain [x - threshold]_+^exponent`` ; ``gain / (1 + exp(-(x -
        threshold) / exponent))`` (gain = maximal rate, exponent = slope scale).
    gain, threshold, exponent : float
        The transfer function's parameters (``exponent`` is forced to 1 for "threshold_linear").
    bias : float or array (N,)
        Constant input ``b_i``.
    input_weights : float, array (N,) or (N, n)
        ``g_i``: how the injected current reaches each unit; (N, n) gives each of the n simulated copies
        its own pattern (one stimulus per copy).
    initial_rates : float or array (N,) or (N, n)
        Initial r (default 0).

    Sources: H. R. Wilson & J. D. Cowan, Kybernetik 13:55 (1973); R. Ben-Yishai, R. L. Bar-Or &
    H. Sompolinsky, PNAS 92:3844 (1995); P. Dayan & L. F. Abbott, *Theoretical Neuroscience* (2001), ch. 7.
    """

    n_units: int = 2
    weights: object = None
    j0: float = 0.0
    j2: float = 0.0
    tau: float = 10.0
    transfer: str = "threshold_linear"
    gain: float = 1.0
    threshold: float = 0.0
    exponent: float = 1.0
    bias: object = 0.0
    input_weights: object = 1.0
    initial_rates: object = 0.0

    current_unit = "input units"
    spike_variable = "none"
    default_method = "rk4"
    equations = staticmethod(rate_network_equations)

    # -- construction ----------------------------------------------------------------------------------
    @classmethod
    def dense(cls, weights, **kwargs) -> RateNetwork:
        """A network with the dense coupling matrix ``weights`` (N, N): ``W[i, j]`` from unit j to unit i."""
        arr = np.asarray(weights, dtype=float) if not isinstance(weights, str) else None
        if arr is None or arr.ndim != 2 or arr.shape[0] != arr.shape[1] or arr.shape[0] < 1:
            raise ParameterError(f"weights must be a square matrix (N, N), got {np.shape(weights)}")
        return cls(n_units=arr.shape[0], weights=arr, **kwargs)

    @classmethod
    def ring(cls, n_units: int, j0: float, j2: float, **kwargs) -> RateNetwork:
        """The orientation ring of Ben-Yishai et al. (1995): N units with preferred orientations
        ``180 i / N`` deg coupled by ``(J0 + J2 cos 2(theta_i - theta_j)) / N``."""
        return cls(n_units=n_units, weights=None, j0=j0, j2=j2, **kwargs)

    def __post_init__(self):
        n = require_int("n_units", self.n_units, low=1)
        object.__setattr__(self, "n_units", n)
        if self.transfer not in TRANSFERS:
            raise ParameterError(f"transfer = {self.transfer!r} is unknown; choose from {', '.join(TRANSFERS)}")
        if self.weights is not None:
            w = np.asarray(self.weights, dtype=float)
            if w.shape != (n, n):
                raise ParameterError(f"weights must have shape (n_units, n_units) = ({n}, {n}), got {w.shape}")
            require_range("weights", w, -1e6, 1e6)
            w = np.array(w)
            w.setflags(write=False)
            object.__setattr__(self, "weights", w)
        for name in ("j0", "j2"):
            require_range(name, getattr(self, name), -1e6, 1e6)
        require_positive("tau", self.tau, "ms")
        require_non_negative("gain", self.gain)
        require_range("threshold", self.threshold, -1e9, 1e9)
        require_positive("exponent", self.exponent)
        if self.transfer == "threshold_linear" and self.exponent != 1.0:
            raise ParameterError(f"exponent = {self.exponent} needs transfer='power_law' (threshold_linear has 1)")
        for name in ("bias", "input_weights", "initial_rates"):
            self._rows(name, None)

    def _rows(self, name: str, n_copies: int | None) -> np.ndarray:
        """A per-unit field as (N, 1) or (N, n_copies) rows, checked."""
        arr = np.asarray(getattr(self, name), dtype=float)
        if arr.ndim == 0:
            arr = np.full(self.n_units, float(arr))
        if arr.ndim == 1:
            arr = arr[:, None]
        if arr.ndim != 2 or arr.shape[0] != self.n_units or (
                arr.shape[1] != 1 and n_copies is not None and arr.shape[1] != n_copies):
            want = f"(N,) = ({self.n_units},)" + (f" or (N, n) = ({self.n_units}, {n_copies})" if n_copies else "")
            raise ParameterError(f"{name} must be a number or an array of shape {want}, got {np.shape(getattr(self, name))}")
        require_range(name, arr, -1e9, 1e9)
        return arr

    # -- the model protocol ------------------------------------------------------------------------------
    @property
    def state_names(self) -> tuple[str, ...]:
        return tuple(f"r{i}" for i in range(self.n_units))

    @property
    def preferred_deg(self) -> np.ndarray:
        """Preferred orientations of the ring's units, ``180 i / N`` deg (for dense networks too, as labels)."""
        return 180.0 * np.arange(self.n_units) / self.n_units

    def _head(self) -> tuple:
        kind = TRANSFERS[self.transfer]
        return (1.0 / float(self.tau), float(kind), float(self.gain), float(self.threshold),
                float(self.exponent), 1.0 if self.weights is None else 0.0, float(self.j0), float(self.j2))

    def _coupling_rows(self) -> np.ndarray:
        if self.weights is None:
            theta = np.deg2rad(2.0 * self.preferred_deg)
            return np.concatenate([np.cos(theta), np.sin(theta)])
        return np.asarray(self.weights, dtype=float).ravel()

    def _pack(self):
        return (*self._head(), *self._rows("bias", None)[:, 0], *self._rows("input_weights", None)[:, 0],
                *self._coupling_rows())

    def param_matrix(self, n: int) -> np.ndarray:
        """Packed parameters (n_params, n): the head, bias and input-weight rows (per copy where given),
        then the coupling (ring: cos and sin of twice the preferred angles; dense: W row-major)."""
        head = _broadcast_rows(self._head(), n, "parameter")
        per_unit = [np.broadcast_to(self._rows(name, n), (self.n_units, n)) for name in ("bias", "input_weights")]
        rows = self._coupling_rows()
        coupling = np.broadcast_to(rows[:, None], (rows.size, n))
        return np.ascontiguousarray(np.vstack([head, *per_unit, coupling]))

    def initial_state(self):
        rows = self._rows("initial_rates", None)
        return {name: rows[i, 0] for i, name in enumerate(self.state_names)}

    def state_matrix(self, n: int, overrides: dict | None = None) -> np.ndarray:
        base = np.array(np.broadcast_to(self._rows("initial_rates", n), (self.n_units, n)))
        for name, value in (overrides or {}).items():
            if name not in self.state_names:
                raise ParameterError(f"initial_state: '{name}' is not a state variable of RateNetwork "
                                     f"(r0 ... r{self.n_units - 1})")
            base[self.state_names.index(name)] = np.broadcast_to(np.asarray(value, dtype=float), (n,))
        return base

    # -- analysis ---------------------------------------------------------------------------------------
    def coupling_matrix(self) -> np.ndarray:
        """W as a dense (N, N) matrix (the ring kernel evaluated on the preferred orientations)."""
        if self.weights is not None:
            return np.array(self.weights)
        theta = np.deg2rad(self.preferred_deg)
        return (self.j0 + self.j2 * np.cos(2.0 * (theta[:, None] - theta[None, :]))) / self.n_units

    def jacobian(self, state, p=None, current=0.0) -> np.ndarray:
        """Analytic Jacobian ``(-1 + diag(f'(x)) W) / tau`` at ``state`` (N,) for a constant current."""
        r = np.asarray(state, dtype=float)
        w = self.coupling_matrix()
        x = w @ r + self._rows("bias", None)[:, 0] + self._rows("input_weights", None)[:, 0] * float(current)
        z = x - self.threshold
        if self.transfer == "sigmoid":
            s = 1.0 / (1.0 + np.exp(-z / self.exponent))
            slope = self.gain * s * (1.0 - s) / self.exponent
        else:
            slope = np.where(z > 0.0, self.gain * self.exponent * np.maximum(z, 0.0) ** (self.exponent - 1.0), 0.0)
        return (-np.eye(self.n_units) + slope[:, None] * w) / self.tau

    @staticmethod
    def rates(result) -> np.ndarray:
        """The recorded rates of a result as one array: (T, N) for one copy, (T, n, N) for n copies.
        Record them with ``record=net.state_names``."""
        names = [name for name in result.keys() if name.startswith("r") and name[1:].isdigit()]
        if not names:
            raise ParameterError("no rates were recorded; pass record=net.state_names to nl.simulate")
        names.sort(key=lambda s: int(s[1:]))
        return np.stack([result[name] for name in names], axis=-1)


def ring_marginal_width(j2: float) -> float:
    """Edge of the activity profile, theta_c (deg), of the ring in the marginal phase (Ben-Yishai et al. 1995).

    With threshold-linear units the tuned profile is ``m(theta) = A [cos 2 theta - cos 2 theta_c]_+``; its
    second Fourier mode is self-consistent when ``J2 f2(theta_c) = 1`` with
    ``f2(theta_c) = (theta_c - sin(4 theta_c) / 4) / pi`` (theta_c in rad; the input's tuning drops out in
    the marginal phase, which needs J2 > 2). The half-width at half-height of that profile is
    ``arccos((1 + cos 2 theta_c) / 2) / 2``: see :func:`ring_marginal_halfwidth`.
    """
    require_range("j2", j2, 2.0, 1e6, low_open=True)
    lo, hi = 1e-9, math.pi / 2
    target = math.pi / j2
    for _ in range(200):  # f2 rises monotonically from 0 to 1/2 on (0, pi/2): bisection
        mid = 0.5 * (lo + hi)
        if mid - math.sin(4.0 * mid) / 4.0 < target:
            lo = mid
        else:
            hi = mid
    return math.degrees(0.5 * (lo + hi))


def ring_marginal_halfwidth(j2: float) -> float:
    """Half-width at half-height (deg) of the marginal-phase profile ``[cos 2 theta - cos 2 theta_c]_+``."""
    theta_c = math.radians(ring_marginal_width(j2))
    return math.degrees(0.5 * math.acos(0.5 * (1.0 + math.cos(2.0 * theta_c))))
