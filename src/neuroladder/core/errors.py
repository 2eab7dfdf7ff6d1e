"""The exceptions every part of neuroladder raises.

One base class, :class:`NeuroLadderError`, so a user can catch everything the
library signals on purpose; specific subclasses say what went wrong.
"""

from __future__ import annotations


class NeuroLadderError(Exception):
    """Base class of every error neuroladder raises on purpose."""


class NeuroLadderWarning(UserWarning):
    """A run that completed but whose result may be inaccurate (e.g. a time step above the
    model's documented accuracy bound, :meth:`neuroladder.Model.max_dt`)."""


class ParameterError(NeuroLadderError, ValueError):
    """A parameter or argument has a value outside its allowed range.

    The message names the parameter, the value given and the allowed range.
    """


class SpecError(NeuroLadderError, ValueError):
    """A file (morphology, experiment spec, connectome) is malformed; the message names the line."""


class MissingExtraError(NeuroLadderError, ImportError):
    """An optional extra (e.g. ``ml``: torch) is not installed; the message says how to install it.
    ``neuroladder tour`` reports experiments that raise it as skipped, not failed."""


class SimulationDiverged(NeuroLadderError, ArithmeticError):
    """A state variable became non-finite (NaN or infinite) during a simulation.

    Attributes
    ----------
    time : float
        Simulation time (ms) at the end of the step that produced the bad value.
    unit : int
        Index of the unit (neuron, compartment, region) that diverged.
    variable : str
        Name of the state variable that became non-finite.
    dt : float
        The time step (ms) in use.
    method : str
        The integration method in use.
    """

    def __init__(self, time: float, unit: int, variable: str, dt: float, method: str,
                 reason: str = "became non-finite"):
        self.time, self.unit, self.variable, self.dt, self.method = time, unit, variable, dt, method
        super().__init__(
            f"simulation diverged at t = {time:g} ms: state variable '{variable}' of unit {unit} "
            f"{reason} with method '{method}' and dt = {dt:g} ms. "
            f"Try a smaller dt (e.g. dt={dt / 10:g}) or a more stable method "
            f"(method='exponential_euler' for conductance-based models, or 'adaptive')."
        )
