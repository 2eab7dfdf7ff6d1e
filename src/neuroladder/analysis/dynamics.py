"""A neuron as a dynamical system: fixed points, Jacobians, stability, nullclines, bifurcations.

Everything here works on any :class:`~neuroladder.core.model.Model` through its one
``equations`` definition (no second copy of any equation): the vector field is
``f(y) = a + b*y`` evaluated by the same numba function the solvers use.

Units: the spike variable ``v`` in mV, time in ms (eigenvalues in 1/ms), currents
in ``model.current_unit``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import optimize

from ..core._kernels import evaluate_rhs
from ..core.errors import ParameterError
from ..core.model import Model
from ..core.parameters import require_finite, require_int


def vector_field(model: Model, states, current=0.0, t: float = 0.0) -> np.ndarray:
    """dy/dt at one state (n_states,) or at many states (m, n_states), for a constant ``current``."""
    states = np.asarray(states, dtype=float)
    one = states.ndim == 1
    ys = np.ascontiguousarray(np.atleast_2d(states))
    m = ys.shape[0]
    if ys.shape[1] != model.n_states:
        raise ParameterError(f"states must have {model.n_states} columns ({', '.join(model.state_names)}), "
                             f"got shape {states.shape}")
    params = model.param_matrix(1)
    # fresh writable C arrays: the compiled kernel's signature accepts nothing else
    params = np.array(np.broadcast_to(params, (params.shape[0], m)))
    currents = np.array(np.broadcast_to(np.asarray(current, dtype=float), (m,)))
    cols = np.array(ys.T, order="C")
    out = evaluate_rhs(model.equations, float(t), cols, params, currents, np.empty_like(cols)).T
    return out[0] if one else out


def jacobian(model: Model, state, current: float = 0.0) -> np.ndarray:
    """Jacobian d f_i / d y_j at ``state``: the model's analytic one where it has one, else central differences."""
    state = np.asarray(state, dtype=float)
    if model.jacobian is not None:
        return np.asarray(model.jacobian(state, model.param_matrix(1)[:, 0], current), dtype=float)
    ns = state.size
    steps = 1e-6 * np.maximum(1.0, np.abs(state))
    probes = np.repeat(state[None, :], 2 * ns, axis=0)
    probes[np.arange(ns), np.arange(ns)] += steps
    probes[ns + np.arange(ns), np.arange(ns)] -= steps
    f = vector_field(model, probes, current)
    return ((f[:ns] - f[ns:]) / (2.0 * steps[:, None])).T


@dataclass(frozen=True)
class FixedPoint:
    """An equilibrium ``state`` (one value per state variable) with its linear stability.

    ``eigenvalues`` are in 1/ms; ``stable`` is True when every real part is negative;
    ``kind`` is one of "stable node", "stable focus", "unstable node", "unstable focus", "saddle".
    """

    state: np.ndarray
    eigenvalues: np.ndarray
    stable: bool
    kind: str
    current: float

    def __getitem__(self, name_or_index):
        return self.state[name_or_index]


def classify(eigenvalues: np.ndarray) -> tuple[bool, str]:
    """(stable, kind) from the eigenvalues of a Jacobian."""
    re = eigenvalues.real
    oscillatory = np.any(np.abs(eigenvalues.imag) > 1e-12 * np.maximum(1.0, np.abs(re)))
    if np.all(re < 0):
        return True, "stable focus" if oscillatory else "stable node"
    if np.all(re > 0):
        return False, "unstable focus" if oscillatory else "unstable node"
    if np.any(re > 0) and np.any(re < 0):
        # complex pair unstable with a stable real direction is still an unstable focus (saddle-focus)
        return False, "saddle-focus" if oscillatory else "saddle"
    return False, "non-hyperbolic"


def _converged(sol, tol: float = 1e-9) -> bool:
    """True when scipy.optimize.root found a root: MINPACK's hybr reports "not making good progress"
    (success False) when its xtol is below what rounding allows, even at a residual of ~1e-16."""
    return bool(np.all(np.isfinite(sol.x)) and (sol.success or np.max(np.abs(sol.fun)) <= tol))


def _equilibrium(model: Model, y, current):
    """Newton (MINPACK hybr) for f(y) = 0 from ``y``; MINPACK scales its first step by |y|, so a start
    at ~0 can stall: then retry from a nudged start and with Levenberg-Marquardt. Returns (y*, ok)."""
    f = lambda z: vector_field(model, z, current)  # noqa: E731
    y = np.asarray(y, dtype=float)
    for start, method in ((y, "hybr"), (y + 1e-3 * np.maximum(1.0, np.abs(y)), "hybr"), (y, "lm")):
        sol = optimize.root(f, start, method=method, options={"xtol": 1e-13})
        if _converged(sol):
            return sol.x, True
    return y, False


def _reduced(model: Model, current: float):
    """F(v): the spike variable's derivative with the other variables at their conditional equilibrium."""
    iv = model.spike_index
    others = [s for s in range(model.n_states) if s != iv]
    guess = model.state_matrix(1)[others, 0]

    def solve_others(v, x0):
        if not others:
            return np.empty(0), True

        def g(x):
            y = np.empty(model.n_states)
            y[iv] = v
            y[others] = x
            return vector_field(model, y, current)[others]

        sol = optimize.root(g, x0, method="hybr", options={"xtol": 1e-12})
        return sol.x, _converged(sol)

    def full_state(v, x):
        y = np.empty(model.n_states)
        y[iv] = v
        y[others] = x
        return y

    return iv, others, guess, solve_others, full_state


def fixed_points(model: Model, current: float = 0.0, v_range=(-100.0, 60.0), n_grid: int = 321) -> list[FixedPoint]:
    """All fixed points with the spike variable in ``v_range`` (mV), for a constant ``current``.

    Method: for each v on a grid the other variables are solved for their own
    equilibrium (continuation along the grid), which reduces the search to the
    roots of one function F(v) = dv/dt; each sign change is refined with Brent's
    method and polished with a full Newton solve (scipy.optimize.root).
    Sorted by v.
    """
    require_finite("current", current)
    n_grid = require_int("n_grid", n_grid, low=3)
    lo, hi = (float(x) for x in v_range)
    if not hi > lo:
        raise ParameterError(f"v_range = {v_range} must be (low, high) with high > low")
    iv, others, x, solve_others, full_state = _reduced(model, current)
    grid = np.linspace(lo, hi, n_grid)
    values, xs = np.full(n_grid, np.nan), []
    for j, v in enumerate(grid):
        x, ok = solve_others(v, x)
        xs.append(x.copy())
        if ok:
            values[j] = vector_field(model, full_state(v, x), current)[iv]
    points = []
    for j in range(n_grid - 1):
        f0, f1 = values[j], values[j + 1]
        if not (np.isfinite(f0) and np.isfinite(f1)) or np.sign(f0) == np.sign(f1):
            continue
        x_guess = xs[j]

        def reduced(v, x_guess=x_guess):  # bound now: the closure is used within this iteration
            x_v, _ = solve_others(v, x_guess)
            return vector_field(model, full_state(v, x_v), current)[iv]

        v_star = optimize.brentq(reduced, grid[j], grid[j + 1], xtol=1e-13)
        points.append((v_star, solve_others(v_star, x_guess)[0]))
    result = []
    for v_star, x_star in points:
        y = full_state(v_star, x_star)
        sol = optimize.root(lambda z: vector_field(model, z, current), y, method="hybr", options={"xtol": 1e-13})
        if _converged(sol):
            y = sol.x
        if any(np.allclose(y, fp.state, rtol=1e-7, atol=1e-9) for fp in result):
            continue  # a root on a grid point is bracketed by two intervals
        eig = np.linalg.eigvals(jacobian(model, y, current))
        stable, kind = classify(eig)
        result.append(FixedPoint(y, eig, stable, kind, float(current)))
    return result


def resting_state(model: Model, current: float = 0.0) -> np.ndarray:
    """The stable fixed point nearest the model's initial state (its rest), or the initial state itself
    when the model has no stable fixed point in the default range (e.g. a pacemaker)."""
    init = model.state_matrix(1)[:, 0]
    stable = [fp for fp in fixed_points(model, current) if fp.stable]
    if model.has_reset:
        thr = np.min(np.asarray(model.threshold(), dtype=float))
        stable = [fp for fp in stable if fp.state[model.spike_index] < thr]
    if not stable:
        return init
    iv = model.spike_index
    return min(stable, key=lambda fp: abs(fp.state[iv] - init[iv])).state.copy()


@dataclass(frozen=True)
class Nullclines:
    """The two nullclines of a 2-D model on a grid: contour ``dx = 0`` and ``dy = 0`` levels.

    ``x``, ``y`` are the grid axes (state variables ``names``); ``dx``, ``dy`` the derivatives on the grid
    (shape (len(y), len(x))), ready for ``plt.contour(x, y, dx, levels=[0])``.
    """

    names: tuple[str, str]
    x: np.ndarray
    y: np.ndarray
    dx: np.ndarray
    dy: np.ndarray

    def curves(self, which: int = 0) -> list[np.ndarray]:
        """The zero level of ``dx`` (which=0) or ``dy`` (which=1) as a list of (m, 2) polylines."""
        from matplotlib.figure import Figure  # no pyplot: no backend chosen, no figure left open

        ax = Figure().add_subplot()
        cs = ax.contour(self.x, self.y, self.dx if which == 0 else self.dy, levels=[0.0])
        return [np.asarray(s) for s in cs.allsegs[0]]


def nullclines(model: Model, current: float = 0.0, x_range=(-80.0, 40.0), y_range=(-20.0, 20.0),
               n: int = 201) -> Nullclines:
    """Nullclines of a two-variable model (FitzHugh-Nagumo, Izhikevich, AdEx, Wilson-Cowan, ...)."""
    if model.n_states != 2:
        raise ParameterError(f"nullclines need a model with 2 state variables; {type(model).__name__} has "
                             f"{model.n_states} ({', '.join(model.state_names)})")
    n = require_int("n", n, low=3)
    xs = np.linspace(*x_range, n)
    ys = np.linspace(*y_range, n)
    xx, yy = np.meshgrid(xs, ys)
    f = vector_field(model, np.column_stack([xx.ravel(), yy.ravel()]), current)
    return Nullclines(tuple(model.state_names), xs, ys, f[:, 0].reshape(xx.shape), f[:, 1].reshape(xx.shape))


def _rest_branch(model: Model, currents: np.ndarray):
    """Continue the resting fixed point over increasing currents (Newton from the previous point)."""
    y = resting_state(model, float(currents[0]))
    states, eigs = [], []
    for current in currents:
        y_new, ok = _equilibrium(model, y, current)
        if ok:
            y = y_new
        states.append(y.copy())
        eigs.append(np.linalg.eigvals(jacobian(model, y, current)))
    return np.array(states), eigs


def hopf_current(model: Model, current_range=(0.0, 20.0), n_grid: int = 81) -> float:
    """Current at which the followed fixed point changes stability through a complex pair (Andronov-Hopf).

    Follows the rest branch over ``current_range`` (Newton continuation from the rest at the
    range's start) and refines the first zero crossing, in either direction, of the largest real
    part of the Jacobian's eigenvalues with Brent's method; crossings at a jump of the branch (a
    saddle-node where continuation lands on another branch) are skipped. NaN when there is none.
    For Hodgkin-Huxley at 6.3 degC the literature value is about 9.78 uA/cm^2 (Rinzel & Miller 1980).
    """
    currents = np.linspace(*current_range, require_int("n_grid", n_grid, low=3))
    states, eigs = _rest_branch(model, currents)
    growth = np.array([e.real.max() for e in eigs])
    oscillatory = np.array([np.abs(e.imag).max() > 1e-9 for e in eigs])
    steps = np.linalg.norm(np.diff(states, axis=0), axis=1)
    typical = np.median(steps) if steps.size else 0.0
    # a Hopf point: the leading real part changes sign (either way) on a complex pair, along a
    # continuous branch (a jump means the branch vanished in a saddle-node and Newton found another)
    crossings = [j for j in range(currents.size - 1)
                 if np.sign(growth[j]) != np.sign(growth[j + 1]) and oscillatory[j] and oscillatory[j + 1]
                 and steps[j] <= 10.0 * typical + 1e-12]
    if not crossings:
        return float("nan")
    j = crossings[0]
    start = states[j]

    def lead(current):
        y_c, _ = _equilibrium(model, start, current)
        return np.linalg.eigvals(jacobian(model, y_c, current)).real.max()

    return float(optimize.brentq(lead, currents[j], currents[j + 1], xtol=1e-10))


@dataclass(frozen=True)
class BifurcationScan:
    """A one-parameter scan over constant current.

    Attributes
    ----------
    currents : (m,) currents scanned.
    rest_v : (m,) spike variable of the followed rest branch (mV).
    rest_stable : (m,) bool, its linear stability.
    cycle_min, cycle_max : (m,) min and max of the spike variable over the last part of a simulation
        started from rest (the limit cycle where the neuron fires, else the fixed point).
    rates : (m,) firing rate over that last part (Hz).
    """

    currents: np.ndarray
    rest_v: np.ndarray
    rest_stable: np.ndarray
    cycle_min: np.ndarray
    cycle_max: np.ndarray
    rates: np.ndarray


def bifurcation_scan(model: Model, currents, duration: float = 500.0, dt: float = 0.01,
                     transient: float = 250.0, method: str = "auto") -> BifurcationScan:
    """Fixed-point branch with stability, and limit-cycle extrema from simulation, over ``currents``.

    All currents run as one vectorised population, each starting from rest at zero input with the
    current switched on at t = 0; the cycle extrema and rates are taken after ``transient`` ms.
    """
    from ..core.simulate import simulate

    currents = np.asarray(currents, dtype=float)
    if currents.ndim != 1 or currents.size < 1:
        raise ParameterError(f"currents must be a 1-D array with at least one value, got shape {currents.shape}")
    if not 0 <= transient < duration:
        raise ParameterError(f"transient = {transient} ms must lie in [0, duration = {duration} ms)")
    order = np.argsort(currents)
    states, eigs = _rest_branch(model, currents[order])
    rest_v = np.empty(currents.size)
    rest_stable = np.empty(currents.size, dtype=bool)
    rest_v[order] = states[:, model.spike_index]
    rest_stable[order] = [classify(e)[0] for e in eigs]
    rest = resting_state(model)
    res = simulate(model, duration, dt, current=currents, n=currents.size, method=method,
                   initial_state=dict(zip(model.state_names, rest)), record=(model.spike_variable,))
    v = res[model.spike_variable].reshape(res.t.size, currents.size)[res.t >= transient]
    times, ids = res.spikes
    late = times >= transient
    rates = np.bincount(ids[late], minlength=currents.size) / ((duration - transient) / 1000.0)
    return BifurcationScan(currents, rest_v, rest_stable, v.min(axis=0), v.max(axis=0), rates)
