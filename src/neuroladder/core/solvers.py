"""The solver registry: each method is data (a name, a kernel code, an order).

Like scipy's ``OdeSolver`` subclasses and diffrax's solvers, a method declares
its order of accuracy; ``tests/core/test_convergence.py`` measures it.
"""

from __future__ import annotations

from dataclasses import dataclass

from . import _kernels
from .errors import ParameterError


@dataclass(frozen=True)
class Method:
    """A fixed-step integration method.

    Attributes
    ----------
    name : str
    code : int
        Selector inside the numba kernel.
    order : int
        Global order of accuracy for smooth deterministic problems.
    strong_order : float
        Strong order with (diagonal) noise: Euler-Maruyama type, 0.5 for
        state-dependent diffusion.
    description : str
    """

    name: str
    code: int
    order: int
    strong_order: float | None
    description: str


METHODS: dict[str, Method] = {
    "euler": Method("euler", _kernels.EULER, 1, 0.5,
                    "forward Euler; with a noise term, Euler-Maruyama"),
    "rk4": Method("rk4", _kernels.RK4, 4, None,
                  "classical 4th-order Runge-Kutta (deterministic models only)"),
    "milstein": Method("milstein", _kernels.MILSTEIN, 1, 1.0,
                       "Euler drift with Milstein's diffusion correction 0.5 g g' (dW^2 - dt) for diagonal noise "
                       "(g' by a forward difference): strong order 1"),
    "exponential_euler": Method(
        "exponential_euler", _kernels.EXPONENTIAL_EULER, 1, 0.5,
        "exponential Euler on the conditionally linear form dy/dt = a + b*y: Rush-Larsen for gating "
        "variables, exact for linear models such as the LIF membrane"),
    "exponential_midpoint": Method(
        "exponential_midpoint", _kernels.EXPONENTIAL_MIDPOINT, 2, None,
        "second-order Rush-Larsen: a half step to the midpoint (a rational, L-stable (0, 2) Pade step, second "
        "order like the exponential one at a division's cost), then the whole step exactly with a, b frozen at the "
        "midpoint (exponential midpoint rule; Perego & Veneziani 2009); two evaluations per step"),
}

#: Adaptive-step integration through scipy.integrate.solve_ivp (small systems).
ADAPTIVE = "adaptive"


def resolve_method(model, method: str) -> str:
    """Turn ``method`` (possibly ``"auto"``) into a known method name, or raise ParameterError."""
    if method == "auto":
        method = model.default_method
        if model.noise is not None and method not in ("euler", "exponential_euler", "milstein"):
            method = "euler"  # a noise term needs a stochastic method: Euler-Maruyama
    if method != ADAPTIVE and method not in METHODS:
        raise ParameterError(
            f"method = {method!r} is unknown; choose one of 'auto', {', '.join(repr(m) for m in METHODS)}, '{ADAPTIVE}'"
        )
    if model.noise is not None and method not in ("euler", "exponential_euler", "milstein"):
        raise ParameterError(
            f"method = {method!r} cannot integrate the noise term of {type(model).__name__}; "
            f"use 'euler' (Euler-Maruyama), 'milstein' or 'exponential_euler'"
        )
    return method
