"""The model protocol: how every neuroladder model is written, once.

A model is a frozen dataclass whose fields are its parameters (validated in
``__post_init__``) plus a few class attributes that describe it:

``state_names``
    Names of the state variables, in the order of the state vector ``y``.
``equations(t, y, p, i_ext, a, b)``
    A numba-compiled function that writes the right-hand side, vectorised over
    units, in *conditionally linear* form ``dy[s, k]/dt = a[s, k] + b[s, k] * y[s, k]``
    for every unit (column) k: ``y``, ``a``, ``b`` are (n_states, m) arrays, ``p``
    is (n_params, m) and ``i_ext`` (m,). It is a plain loop ``for k in range(y.shape[1])``
    that numba compiles to SIMD code (use :func:`neuroladder.core._math.exp`, which
    vectorises, rather than ``math.exp``). a and b may depend on the whole state. Every solver is built on this one definition:
    Euler and RK4 use ``a + b*y``; exponential Euler advances each variable
    exactly over the step with a and b frozen (for gating variables this is the
    Rush-Larsen scheme, for a LIF membrane it is the exact solution); the
    adaptive solver and the dynamics tools evaluate ``a + b*y``. Writing
    ``b[s] = 0`` and the whole derivative into ``a[s]`` is always allowed (then
    exponential Euler is plain Euler for that variable). ``t`` is in ms, ``p``
    holds the packed parameters (see :meth:`Model._pack`), ``i_ext`` the injected
    current in ``current_unit``.
``membrane_equations(t, y, p, i_ext, a, b)`` (optional)
    The same signature, filling only row 0 (the membrane) at the current gates, without the gates'
    rate functions: the compartmental solver's staggered step needs the membrane twice per step and
    the rates once. Must compute row 0 exactly as ``equations`` does (share the helper).
``reset(y, p, k)`` (optional)
    For integrate-and-fire models: a numba function that resets unit (column) k
    in place when ``y[spike_index, k] >= threshold``. Models without it (conductance-based) only
    *detect* spikes as upward crossings of a voltage (0 mV by default).
``noise(t, y, p, g)`` (optional)
    Diagonal diffusion, vectorised like ``equations``: ``dy = (a + b y) dt + g dW`` (Ito).

The design follows nengo's small ``NeuronType`` contract and Brian2's
separation of equations from state updaters (see ``shared/STYLE.md``).
"""

from __future__ import annotations

import dataclasses
from typing import ClassVar

import numpy as np

from ._math import widen_vectoriser
from .errors import ParameterError


class Model:
    """Base class of all models. Subclass it with ``@dataclass(frozen=True)``.

    See the module docstring for the attributes a subclass defines. Example
    (FitzHugh-Nagumo, the full version is ``examples/custom_model.py``)::

        @njit(cache=True)
        def fhn_equations(t, y, p, i_ext, a, b):
            for k in range(y.shape[1]):
                v, w = y[0, k], y[1, k]
                a[0, k] = v - v ** 3 / 3 - w + i_ext[k]; b[0, k] = 0.0
                a[1, k] = (v + p[0, k] - p[1, k] * w) / p[2, k]; b[1, k] = 0.0

        @dataclass(frozen=True)
        class FitzHughNagumo(nl.Model):
            a: float = 0.7
            b: float = 0.8
            tau: float = 12.5
            state_names = ("v", "w")
            equations = staticmethod(fhn_equations)
            def _pack(self): return (self.a, self.b, self.tau)
            def initial_state(self): return {"v": -1.2, "w": -0.6}
    """

    state_names: ClassVar[tuple[str, ...]] = ()
    #: Unit of the injected current ``i_ext``.
    current_unit: ClassVar[str] = "arb. units"
    #: Unit of each state variable (for axis labels); missing names are unitless.
    state_units: ClassVar[dict] = {}
    #: Method used by ``method="auto"``.
    default_method: ClassVar[str] = "rk4"
    #: Name of the variable compared with the spike threshold. A model without such a
    #: variable (a neural mass, an OU process) does not spike; its first variable is then
    #: the one the dynamics tools scan and ``simulate`` records by default.
    spike_variable: ClassVar[str] = "v"
    #: Reset function for integrate-and-fire models (numba), or None.
    reset: ClassVar = None
    #: Diffusion function (numba), or None for deterministic models.
    noise: ClassVar = None

    # -- to be provided by subclasses -------------------------------------
    equations: ClassVar = None
    #: Row 0 of ``equations`` alone (numba), or None (then ``equations`` is used).
    membrane_equations: ClassVar = None

    def _pack(self) -> tuple:
        """Parameters in the order ``equations`` reads them from ``p`` (scalars or per-unit arrays)."""
        raise NotImplementedError

    def initial_state(self) -> dict:
        """Initial values of the state variables (scalars or per-unit arrays)."""
        raise NotImplementedError

    # -- events -------------------------------------------------------------
    def threshold(self):
        """Spike threshold of ``spike_variable`` for models with a reset (mV), else None."""
        return None

    def threshold_at(self, dt: float):
        """The threshold a fixed-step run with step ``dt`` (ms) should use: :meth:`threshold` unless the
        model corrects the step's detection bias (see :class:`neuroladder.stochastic.StochasticLIF`)."""
        return self.threshold()

    def refractory_period(self):
        """Absolute refractory period (ms) during which ``spike_variable`` is clamped after a reset."""
        return 0.0

    # -- accuracy and physical range -------------------------------------------
    #: Per state variable, the (low, high) range outside which a state is not physical; ``simulate``
    #: raises :class:`SimulationDiverged` when a run leaves it. Empty: no bound known.
    physical_range: ClassVar[dict] = {}

    def max_dt(self, method: str) -> float | None:
        """The largest time step (ms) at which ``method`` gives an accurate run of this model, or None.

        ``simulate`` warns (:class:`~neuroladder.core.errors.NeuroLadderWarning`) when ``dt`` exceeds it.
        Each model documents how its bound was obtained; None (the default, and exact integrators)
        means no bound is known or needed.
        """
        return None

    # -- analytic extras (optional) ------------------------------------------
    #: ``jacobian(y, p, i_ext) -> (n_states, n_states)`` in Python, or None (numerical).
    jacobian: ClassVar = None

    # -- shared machinery ------------------------------------------------------
    def replace(self, **changes) -> Model:
        """A copy with some parameters changed (validated again): ``HodgkinHuxley().replace(g_na=0.0)``."""
        names = {f.name for f in dataclasses.fields(self)}
        unknown = sorted(set(changes) - names)
        if unknown:
            raise ParameterError(
                f"{type(self).__name__} has no parameter {', '.join(unknown)}; its parameters are {', '.join(sorted(names))}"
            )
        return dataclasses.replace(self, **changes)

    @property
    def n_states(self) -> int:
        return len(self.state_names)

    @property
    def has_reset(self) -> bool:
        return self.reset is not None

    @property
    def spike_index(self) -> int:
        """Index of ``spike_variable`` (0, the primary variable, for non-spiking models)."""
        return self.state_names.index(self.spike_variable) if self.spikes else 0

    @property
    def spikes(self) -> bool:
        """True when the model has a spike variable (threshold crossings are recorded)."""
        return self.spike_variable in self.state_names

    def parameters(self) -> dict:
        """The model's parameters as a dict (name -> value)."""
        return {f.name: getattr(self, f.name) for f in dataclasses.fields(self)}

    def param_matrix(self, n: int) -> np.ndarray:
        """Packed parameters broadcast to shape (n_params, n), C order (one column per unit)."""
        widen_vectoriser()  # every run lays its parameters out before the model's equations compile
        for name, value in self.parameters().items():
            shape = np.shape(value)
            if shape not in ((), (n,)):
                raise ParameterError(
                    f"{name} has shape {shape}; a per-unit parameter needs one value per unit, shape ({n},)"
                )
        return _broadcast_rows(self._pack(), n, "parameter")

    def state_matrix(self, n: int, overrides: dict | None = None) -> np.ndarray:
        """Initial state broadcast to shape (n_states, n); ``overrides`` replaces some variables."""
        init = dict(self.initial_state())
        for name, value in (overrides or {}).items():
            if name not in self.state_names:
                raise ParameterError(
                    f"initial_state: '{name}' is not a state variable of {type(self).__name__}; "
                    f"its state variables are {', '.join(self.state_names)}"
                )
            init[name] = value
        return _broadcast_rows(tuple(init[s] for s in self.state_names), n, "initial state",
                               names=self.state_names)

    def input_gain(self, n: int = 1) -> np.ndarray:
        """d(dv/dt)/dI for each of n units: how injected current enters the spike variable's equation.

        Measured from ``equations`` (the derivative's change for 1 unit of current), so it needs
        no second copy of the equation; 1/c_m for the membrane models. Synaptic conductances
        enter the network's neurons through it.
        """
        from ._kernels import evaluate_rhs

        y = np.array(self.state_matrix(n))
        p = np.array(self.param_matrix(n))
        f0 = evaluate_rhs(self.equations, 0.0, y, p, np.zeros(n), np.empty_like(y))
        f1 = evaluate_rhs(self.equations, 0.0, y, p, np.ones(n), np.empty_like(y))
        return f1[self.spike_index] - f0[self.spike_index]

    def unit_of(self, name: str) -> str:
        return self.state_units.get(name, "")


def _broadcast_rows(values: tuple, n: int, what: str, names=None) -> np.ndarray:
    out = np.empty((len(values), n))
    for j, v in enumerate(values):
        arr = np.asarray(v, dtype=float)
        label = f"{what} '{names[j]}'" if names else f"{what} #{j}"
        if arr.ndim == 0 or arr.shape == (n,):
            out[j] = arr
        else:
            raise ParameterError(f"{label} has shape {arr.shape}; it must be a scalar or have one value per unit, shape ({n},)")
        if not np.all(np.isfinite(out[j])):
            raise ParameterError(f"{label} contains non-finite values")
    return out
