"""The one mapping from a kernel's status array to an exception.

Kernels cannot raise informative Python exceptions; they stop and write a status
array ``[code, unit, variable, step]`` instead. :func:`raise_for_status` turns it
into the :class:`~neuroladder.SimulationDiverged` a user sees (or returns when the
status is not an error).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

# the kernels' status codes: OK, DIVERGED (a state variable became non-finite), NEED_SPIKE_SPACE (the
# spike buffer is full: the caller grows it and resumes; not an error), TOO_MANY_SPIKES (a unit crossed
# threshold MAX_SPIKES_PER_STEP times within one step)
from ._kernels import DIVERGED, MAX_SPIKES_PER_STEP, TOO_MANY_SPIKES
from .errors import SimulationDiverged


def raise_for_status(status: Sequence[int], dt: float, method: str,
                     label: Callable[[int, int | None], str]) -> None:
    """Raise the :class:`SimulationDiverged` a kernel's status reports; return if it reports no error.

    Parameters
    ----------
    status : int array [code, unit, variable, step]
        As the kernels write it: ``code`` one of OK, DIVERGED, NEED_SPIKE_SPACE (not an error: the
        caller grows its spike buffer), TOO_MANY_SPIKES; ``unit`` the unit's index; ``variable`` the
        state variable's row; ``step`` the index of the step (0-based) that failed.
    dt : float
        Time step (ms); the error's time is ``(step + 1) * dt``.
    method : str
        The integration method's name, for the message.
    label : callable (unit, variable) -> str
        Names the variable for the message; ``variable`` is the state row for DIVERGED and None for
        TOO_MANY_SPIKES (the spike variable), e.g.
        ``lambda u, q: model.spike_variable if q is None else model.state_names[q]``.
    """
    code, unit, var, step = (int(x) for x in status[:4])
    if code == DIVERGED:
        raise SimulationDiverged((step + 1) * dt, unit, label(unit, var), dt, method)
    if code == TOO_MANY_SPIKES:
        raise SimulationDiverged(
            (step + 1) * dt, unit, label(unit, None), dt, method,
            reason=f"crossed threshold {MAX_SPIKES_PER_STEP} times within one step (firing faster "
                   f"than the step can resolve; check the reset is below threshold or add a refractory period)")
