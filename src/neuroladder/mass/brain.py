"""``nl.BrainNetwork``: N regions of any node model coupled by a weight matrix with conduction delays.

Each region is a unit of one model (e.g. ``nl.WilsonCowan()`` or ``nl.JansenRit()``). The input
to region i at time t is ``coupling * sum_j W[i, j] out_j(t - D[i, j])`` plus an optional external
current and node noise, where ``out`` is one state variable of the node (``output=``, e.g. "E")
and the delays D = tract lengths / velocity are whole steps, read from a ring buffer of the past
outputs. Nodes advance with the same vectorised block step as ``nl.simulate``.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from ..core import _kernels as K
from ..core._compile import compile_notice
from ..core.blocks import block_layout, from_blocks, to_blocks
from ..core.errors import ParameterError, SpecError
from ..core.model import Model
from ..core.parameters import require_non_negative, require_positive
from ..core.result import Result
from ..core.rng import make_rng
from ..core.solvers import METHODS, resolve_method


def load_matrix(source, name: str = "matrix") -> np.ndarray:
    """A square connectivity matrix from an array, a ``.npy`` file or a ``.csv`` file (comma-separated)."""
    if isinstance(source, (str, bytes)) or hasattr(source, "__fspath__"):
        path = str(source)
        try:
            if path.endswith(".npy"):
                arr = np.load(path)
            else:
                arr = np.loadtxt(path, delimiter=",", ndmin=2)
        except ValueError as err:
            raise SpecError(f"{path}: {name} must be numeric ({err})") from None
    else:
        arr = np.asarray(source, dtype=float)
    arr = np.asarray(arr, dtype=float)
    if arr.ndim != 2 or arr.shape[0] != arr.shape[1]:
        raise ParameterError(f"{name} must be a square matrix, got shape {arr.shape}")
    if not np.all(np.isfinite(arr)):
        raise ParameterError(f"{name} contains NaN or infinite entries")
    return arr


def example_connectome(n: int = 20, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """A small synthetic structural connectome (weights, tract lengths in mm), made here, not measured.

    Regions sit on a sphere of radius 70 mm in two hemispheres; connection probability and weight
    fall off exponentially with distance (length constant 40 mm, the exponential distance rule of
    Ercsey-Ravasz et al. 2013), homotopic regions are linked across hemispheres, weights are
    symmetric and normalised to a maximum of 1, tract lengths are 1.2 x the Euclidean distance.
    """
    rng = make_rng(seed)
    half = n // 2
    theta = rng.uniform(0.3, np.pi - 0.3, half)
    phi = rng.uniform(-np.pi / 2, np.pi / 2, half)
    left = np.column_stack([np.sin(theta) * np.cos(phi), np.sin(theta) * np.sin(phi), np.cos(theta)]) * 70.0
    left[:, 0] = -np.abs(left[:, 0]) - 5.0
    right = left * np.array([-1.0, 1.0, 1.0])
    pos = np.vstack([left, right])[:n]
    dist = np.linalg.norm(pos[:, None] - pos[None], axis=2)
    weights = np.exp(-dist / 40.0) * (rng.random((n, n)) < np.exp(-dist / 60.0))
    weights = np.triu(weights, 1)
    weights = weights + weights.T
    for i in range(min(half, n - half)):
        weights[i, i + half] = weights[i + half, i] = 0.5
    np.fill_diagonal(weights, 0.0)
    return weights / weights.max(), 1.2 * dist


@njit(cache=True, error_model="numpy")
def _coupling(history, head, n_hist, weights, delay, coupling, difference, out):
    """out_i = coupling sum_j W_ij x_j(t - D_ij), minus x_i(t) in each term for difference coupling."""
    n = weights.shape[0]
    for i in range(n):
        acc = 0.0
        own = history[head, i]
        for j in range(n):
            w = weights[i, j]
            if w != 0.0:
                acc += w * (history[(head - delay[i, j]) % n_hist, j] - (own if difference else 0.0))
        out[i] = coupling * acc


@njit(error_model="numpy")
def _run_brain(equations, method, state, params, n, weights, delay, coupling, difference, ext, draws, noisy, dt, n_steps, out_row,
               rec_vars, every, history, samples, status):
    """The whole run in one loop: delayed coupling from the ring buffer, then the block step of the nodes."""
    n_blocks, ns, blk = state.shape
    n_hist = history.shape[0]
    scratch = K.make_scratch(ns, params.shape[1], blk)
    cur0, cur_mid, cur1 = scratch[7], scratch[8], scratch[9]
    gain = np.zeros(blk)
    cond = np.zeros((6, blk))
    g = np.zeros((ns, blk))
    thr = np.full(n, np.inf)
    tref = np.zeros(n)
    refr = np.full(n, -np.inf)
    clamp = np.zeros(n)
    spk_t = np.empty(4 * n * K.MAX_SPIKES_PER_STEP + 16)
    spk_i = np.empty(4 * n * K.MAX_SPIKES_PER_STEP + 16, dtype=np.int64)
    counters = np.zeros(1, dtype=np.int64)
    xi = np.zeros((1, 1))
    coupled = np.empty(n)
    head = 0
    for step in range(n_steps):
        _coupling(history, head, n_hist, weights, delay, coupling, difference, coupled)
        for bi in range(n_blocks):
            first = bi * blk
            m = min(blk, n - first)
            for k in range(blk):
                u = min(first + k, n - 1)
                value = coupled[u] + ext[u] + (draws[step, u] if noisy else 0.0)
                cur0[k] = value
                cur_mid[k] = value
                cur1[k] = value
            counters[0] = 0
            ok = K.update_block(equations, K.no_reset, K.no_noise, False, False, method, step * dt, dt, state[bi],
                                params[bi], m, first, 0, cur0, cur_mid, cur1, 0, gain, cond, False, thr, tref, refr,
                                clamp, xi, g, scratch, spk_t, spk_i, counters, status, step)
            if not ok:
                return
        head = (head + 1) % n_hist
        for bi in range(n_blocks):
            first = bi * blk
            for k in range(min(blk, n - first)):
                history[head, first + k] = state[bi, out_row, k]
        if (step + 1) % every == 0:
            r = (step + 1) // every
            for q in range(rec_vars.shape[0]):
                for bi in range(n_blocks):
                    first = bi * blk
                    for k in range(min(blk, n - first)):
                        samples[r, q, first + k] = state[bi, rec_vars[q], k]


class BrainNetwork:
    """Regions of ``model`` coupled through ``weights`` (N x N) with ``delays`` (ms) or ``lengths``/``velocity``.

    Parameters
    ----------
    model : Model (one per region; per-region parameter arrays allowed)
    weights : array, .npy or .csv path; W[i, j] is the weight from region j to region i, >= 0
    lengths, velocity : tract lengths (mm, same shape) and conduction velocity (m/s = mm/ms), or
    delays : delays (ms) directly; rounded to whole steps of ``dt``
    coupling : global coupling strength
    output : the node state variable that other regions receive (default the first)
    difference : False for linear coupling ``sum_j W_ij x_j(t - D_ij)``; True for difference (diffusive)
        coupling ``sum_j W_ij (x_j(t - D_ij) - x_i(t))`` (TVB's ``Difference``; the permittivity coupling of
        the Epileptor, Proix et al. 2014), which vanishes when all regions are in the same state
    """

    def __init__(self, model: Model, weights, lengths=None, velocity: float | None = None, delays=None,
                 coupling: float = 1.0, output: str | None = None, dt: float = 0.1, difference: bool = False):
        if not isinstance(model, Model):
            raise ParameterError("model must be a neuroladder Model")
        self.weights = load_matrix(weights, "weights")
        n = self.weights.shape[0]
        if np.any(self.weights < 0):
            raise ParameterError("weights must be >= 0 (a negative weight would flip the output's sign)")
        if delays is None:
            if lengths is None:
                delays = np.zeros((n, n))
            else:
                lengths = load_matrix(lengths, "lengths")
                require_positive("velocity", velocity, "m/s")
                delays = lengths / velocity
        delays = load_matrix(delays, "delays")
        if delays.shape != (n, n):
            raise ParameterError(f"delays have shape {delays.shape}; weights have {(n, n)}")
        if np.any(delays < 0):
            raise ParameterError("delays (or lengths) must be >= 0")
        require_positive("dt", dt, "ms")
        require_non_negative("coupling", coupling)
        self.model, self.n, self.dt, self.coupling = model, n, float(dt), float(coupling)
        self.difference = bool(difference)
        self.output = model.state_names[0] if output is None else output
        if self.output not in model.state_names:
            raise ParameterError(f"output {self.output!r} is not a state variable of {type(model).__name__}")
        self.delay_steps = np.rint(delays / dt).astype(np.int64)

    def run(self, duration: float, current=0.0, noise: float = 0.0, seed=None, method: str = "auto",
            record=None, record_dt: float | None = None, initial_state: dict | None = None) -> Result:
        """Simulate ``duration`` ms; ``current`` is a constant external input (scalar or per region) and
        ``noise`` the SD of an independent Gaussian input per region and step. Returns a Result whose
        traces have one column per region."""
        require_positive("duration", duration, "ms")
        require_non_negative("noise", noise)
        method = resolve_method(self.model, method)
        if method not in METHODS:
            raise ParameterError(f"method {method!r}: brain networks use fixed-step methods")
        n, dt = self.n, self.dt
        n_steps = int(round(duration / dt))
        ext = np.broadcast_to(np.asarray(current, dtype=float), (n,)).copy()
        rec_names = (self.output,) if record is None else tuple(record)
        rec_vars = [self.model.state_names.index(r) for r in rec_names]
        every = 1 if record_dt is None else int(round(record_dt / dt))
        nb, blk = block_layout(n)
        state = to_blocks(self.model.state_matrix(n, initial_state), nb, blk)
        params = to_blocks(self.model.param_matrix(n), nb, blk)
        out_row = self.model.state_names.index(self.output)
        n_hist = int(self.delay_steps.max()) + 1
        history = np.zeros((n_hist, n))
        history[:] = from_blocks(state, n)[out_row]
        rng = make_rng(seed)
        samples = np.empty((n_steps // every + 1, len(rec_vars), n))
        samples[0] = from_blocks(state, n)[rec_vars]
        draws = noise * rng.standard_normal((n_steps, n)) if noise > 0 else np.zeros((1, n))
        status = np.zeros(4, np.int64)
        with compile_notice(10.0):  # its first call compiles; the model function goes in as a function value
            _run_brain(self.model.equations, METHODS[method].code, state, params, n, self.weights, self.delay_steps,
                       self.coupling, self.difference, ext, draws, noise > 0, dt, n_steps, out_row,
                       np.array(rec_vars, np.int64), every, history, samples, status)
        if status[0]:
            from ..core.errors import SimulationDiverged

            raise SimulationDiverged((status[3] + 1) * dt, int(status[1]), self.model.state_names[status[2]], dt,
                                     method)
        t = np.arange(samples.shape[0]) * every * dt
        traces = {name: samples[:, q, :] for q, name in enumerate(rec_names)}
        final = {name: v.copy() for name, v in zip(self.model.state_names, from_blocks(state, n))}
        return Result(t, traces, np.zeros(0), np.zeros(0, np.int64), n, dt, n_steps * dt, method, self.model, final)


