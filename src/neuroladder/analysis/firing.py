"""Firing-rate responses: f-I curves and the onset of repetitive firing."""

from __future__ import annotations

import numpy as np

from ..core.errors import ParameterError
from ..core.model import Model
from ..core.parameters import require_positive
from ..core.simulate import simulate
from .dynamics import resting_state


def fi_curve(model: Model, currents, duration: float = 1000.0, dt: float = 0.01, method: str = "auto",
             spike_threshold: float = 0.0, progress: bool | None = None) -> np.ndarray:
    """Firing rate (Hz) for each constant current in ``currents`` (``model.current_unit``).

    Each unit starts from its resting state at zero input (the stable fixed point found by
    :func:`~neuroladder.analysis.dynamics.resting_state`), the current is switched on at
    t = 0, and the rate is the spike count over ``duration`` divided by ``duration``. All
    currents run as one vectorised population. Spikes of models without a reset are upward
    crossings of ``spike_threshold`` (mV).
    """
    currents = np.asarray(currents, dtype=float)
    if currents.ndim != 1 or currents.size == 0:
        raise ParameterError(f"currents must be a 1-D array of at least one current, got shape {currents.shape}")
    require_positive("duration", duration, "ms")
    rest = resting_state(model)
    res = simulate(model, duration, dt, current=currents, n=currents.size, method=method, record=(),
                   initial_state=dict(zip(model.state_names, rest)), spike_threshold=spike_threshold,
                   progress=progress)
    return res.spike_counts / (res.duration / 1000.0)


def repetitive_firing(spike_times: np.ndarray, duration: float, min_spikes: int = 4) -> bool:
    """True when a train fires repetitively to the end: at least ``min_spikes`` spikes and the
    last spike within two mean inter-spike intervals of the end of the run."""
    spike_times = np.asarray(spike_times, dtype=float)
    if spike_times.size < min_spikes:
        return False
    isi = np.diff(spike_times).mean()
    return duration - spike_times[-1] <= 2.0 * isi


def onset_current(model: Model, current_range=(0.0, 20.0), duration: float = 200.0, dt: float = 0.01,
                  tol: float = 1e-3, method: str = "auto", n_grid: int = 41) -> float:
    """Smallest step current from rest that gives repetitive firing (bisection to ``tol``).

    A step from the resting state at zero input, held for ``duration`` ms; "repetitive" as in
    :func:`repetitive_firing`. For Hodgkin-Huxley (6.3 degC) the literature value for a long
    step from rest is about 6.2 uA/cm^2. Returns NaN when no current in the range fires.
    """
    lo, hi = (float(x) for x in current_range)
    rest = dict(zip(model.state_names, resting_state(model)))

    def fires(currents):
        res = simulate(model, duration, dt, current=np.asarray(currents, dtype=float), n=len(currents),
                       method=method, record=(), initial_state=rest)
        return np.array([repetitive_firing(s, duration) for s in res.spike_trains()])

    grid = np.linspace(lo, hi, n_grid)
    ok = fires(grid)
    if not ok.any():
        return float("nan")
    first = int(np.argmax(ok))
    if first == 0:
        return float(grid[0])
    a, b = grid[first - 1], grid[first]
    while b - a > tol:
        # eight probes per population run: bisection in octaves, vectorised
        probes = np.linspace(a, b, 10)[1:-1]
        hit = fires(probes)
        if hit.any():
            k = int(np.argmax(hit))
            a, b = (probes[k - 1] if k > 0 else a), probes[k]
        else:
            a = probes[-1]
    return float(b)
