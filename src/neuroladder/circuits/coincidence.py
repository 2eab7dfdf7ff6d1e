"""Binaural coincidence detection: a detailed auditory neuron against an event-driven detector.

- Input: phase-locked Poisson spike trains. Each stimulus cycle of a tone of ``frequency`` Hz holds a
  Poisson(``rate / frequency``) number of spikes, each at a von Mises phase whose concentration gives
  the requested vector strength (VS = I1(kappa)/I0(kappa), Goldberg & Brown 1969): an inhomogeneous
  Poisson process with rate ``rate * exp(kappa cos(phase)) / I0(kappa)``. The right ear's trains are
  delayed by the interaural time difference (ITD).
- Detailed: :class:`neuroladder.neurons.RothmanManis` type II cells (Rothman & Manis 2003), each
  receiving both sides through exponential conductance synapses, advanced by the core's
  exponential-Euler step (:func:`neuroladder.core._kernels.advance_block`).
- Efficient: Jeffress's (1948) coincidence detector, simulated event by event with no time grid: an
  output spike whenever an input event arrives within ``window`` ms after an event of the other side
  (and outside the output's refractory period).
"""

from __future__ import annotations

import math
from typing import NamedTuple

import numpy as np
from numba import njit
from scipy.optimize import brentq
from scipy.special import i0e, i1e

from ..core import _kernels as K
from ..core.errors import ParameterError
from ..core.parameters import require_int, require_non_negative, require_positive, require_range
from ..core.rng import make_rng
from ..neurons.rothman_manis import RothmanManis


def von_mises_concentration(vector_strength: float) -> float:
    """kappa with I1(kappa)/I0(kappa) = ``vector_strength`` (0 < VS < 1)."""
    require_range("vector_strength", vector_strength, 0.0, 0.999, low_open=True)
    return float(brentq(lambda k: i1e(k) / i0e(k) - vector_strength, 1e-9, 1e4))


def phase_locked_train(frequency: float, vector_strength: float, rate: float, duration: float, delay: float = 0.0,
                       seed=None) -> np.ndarray:
    """Sorted spike times (ms) of one phase-locked Poisson fibre (``rate`` Hz, tone ``frequency`` Hz),
    delayed by ``delay`` ms, within [0, ``duration``) ms."""
    require_positive("frequency", frequency, "Hz")
    require_positive("rate", rate, "Hz")
    require_positive("duration", duration, "ms")
    rng = make_rng(seed)
    kappa = von_mises_concentration(vector_strength)
    period = 1000.0 / frequency
    n_cycles = int(math.ceil((duration + abs(delay)) / period)) + 1
    counts = rng.poisson(rate / frequency, n_cycles)
    cycle = np.repeat(np.arange(n_cycles), counts)
    phase = rng.vonmises(0.0, kappa, cycle.size)  # radians in [-pi, pi]
    times = (cycle + phase / (2.0 * math.pi)) * period + delay
    times = np.sort(times)
    return times[(times >= 0.0) & (times < duration)]


class BinauralInput(NamedTuple):
    """Pooled left and right input (sorted ms) for each cell (one ITD per cell)."""

    itds_us: np.ndarray
    left: list
    right: list
    duration: float


def binaural_input(itds_us, frequency=500.0, vector_strength=0.8, rate=200.0, n_fibres=8, duration=1000.0,
                   seed=None) -> BinauralInput:
    """Independent phase-locked fibres for each ITD (us): ``n_fibres`` per side, pooled per side."""
    n_fibres = require_int("n_fibres", n_fibres, low=1)
    itds = np.asarray(itds_us, dtype=float)
    if itds.ndim != 1 or itds.size < 1 or np.any(np.abs(itds) > 5000.0):
        raise ParameterError("itds_us must be a 1-D list of ITDs within [-5000, 5000] us")
    rng = make_rng(seed)
    left, right = [], []
    for itd in itds:
        left.append(np.sort(np.concatenate([phase_locked_train(frequency, vector_strength, rate, duration, 0.0, rng)
                                            for _ in range(n_fibres)])))
        right.append(np.sort(np.concatenate([phase_locked_train(frequency, vector_strength, rate, duration,
                                                                itd * 1e-3, rng) for _ in range(n_fibres)])))
    return BinauralInput(itds, left, right, float(duration))


# ------------------------------------------------------------------ event-driven detector
@njit(cache=True)
def _detect(left, right, window, refractory, out):
    """Merge two sorted trains; an event fires when the other side's latest event is <= window before it."""
    i = j = 0
    last_l = -1e300
    last_r = -1e300
    last_out = -1e300
    n = 0
    while i < left.shape[0] or j < right.shape[0]:
        if j >= right.shape[0] or (i < left.shape[0] and left[i] <= right[j]):
            t = left[i]
            i += 1
            hit = t - last_r <= window
            last_l = t
        else:
            t = right[j]
            j += 1
            hit = t - last_l <= window
            last_r = t
        if hit and t - last_out >= refractory:
            out[n] = t
            n += 1
            last_out = t
    return n


def coincidence_detector(left, right, window: float = 0.1, refractory: float = 0.0) -> np.ndarray:
    """Output spike times (ms) of an event-driven coincidence detector (Jeffress 1948).

    An input event at t fires the output when the other side's most recent event lies in
    [t - ``window``, t] (ms) and t is at least ``refractory`` ms after the last output. For
    independent Poisson inputs of rates a and b (per ms) without refractoriness the output rate is
    ``a (1 - e^{-b W}) + b (1 - e^{-a W})`` (:func:`analytic_coincidence_rate`).
    """
    require_positive("window", window, "ms")
    require_non_negative("refractory", refractory, "ms")
    left = np.ascontiguousarray(left, dtype=float)
    right = np.ascontiguousarray(right, dtype=float)
    out = np.empty(left.size + right.size)
    return out[:_detect(left, right, float(window), float(refractory), out)].copy()


def analytic_coincidence_rate(rate_left: float, rate_right: float, window: float) -> float:
    """Output rate (Hz) of :func:`coincidence_detector` for independent Poisson inputs (Hz), window (ms):
    each event fires when at least one event of the other side fell in the preceding window."""
    a, b, w = rate_left * 1e-3, rate_right * 1e-3, window
    return 1e3 * (a * (1.0 - math.exp(-b * w)) + b * (1.0 - math.exp(-a * w)))


# ------------------------------------------------------------------ detailed neuron
def _bin_counts(trains, n_steps, dt):
    counts = np.zeros((n_steps, len(trains)))
    for c, times in enumerate(trains):
        idx = (np.asarray(times) / dt).astype(np.int64)
        np.add.at(counts[:, c], idx[idx < n_steps], 1.0)
    return counts


@njit(cache=True, error_model="numpy")
def _run_detailed(equations, y, p, gain, counts, weight, decay, e_syn, dt, threshold, spk_t, spk_c):
    ns, n = y.shape
    a = np.empty((ns, n))
    b = np.empty((ns, n))
    y0 = np.empty((ns, n))
    acc = np.empty((ns, n))
    cond = np.zeros((6, n))
    zero = np.zeros(n)
    g = np.zeros(n)
    v_prev = y[0].copy()
    m = 0
    for step in range(counts.shape[0]):
        for c in range(n):
            g[c] = g[c] * decay + weight * counts[step, c]
            for r in range(3):
                cond[r, c] = g[c]
                cond[3 + r, c] = g[c] * e_syn
        K.advance_block(equations, K.EXPONENTIAL_EULER, step * dt, dt, y, p, zero, zero, zero, a, b, y0, acc, 0,
                        gain, cond, True)
        for c in range(n):
            v = y[0, c]
            if v_prev[c] < threshold <= v and m < spk_t.shape[0]:
                spk_t[m] = (step + 1) * dt
                spk_c[m] = c
                m += 1
            v_prev[c] = v
    return m


def detailed_detector(inputs: BinauralInput, model: RothmanManis | None = None, weight_ns: float = 9.0,
                      tau: float = 0.2, e_syn: float = 0.0, dt: float = 0.01, threshold: float = -30.0):
    """Spike times (ms) of one Rothman-Manis cell per ITD, both sides through exponential conductance
    synapses of ``weight_ns`` nS per input spike and time constant ``tau`` ms. Returns a list of arrays."""
    model = RothmanManis.type_ii(temperature=38.0) if model is None else model
    require_positive("tau", tau, "ms")
    require_positive("dt", dt, "ms")
    n = len(inputs.left)
    n_steps = int(round(inputs.duration / dt))
    counts = _bin_counts([np.concatenate([l, r]) for l, r in zip(inputs.left, inputs.right)], n_steps, dt)
    y = np.ascontiguousarray(model.state_matrix(n))
    p = np.ascontiguousarray(model.param_matrix(n))
    gain = np.ascontiguousarray(model.input_gain(n))
    weight = float(RothmanManis.conductance_density(weight_ns))
    spk_t = np.empty(n * n_steps // 20 + 100)
    spk_c = np.empty(spk_t.size, dtype=np.int64)
    m = _run_detailed(model.equations, y, p, gain, counts, weight, math.exp(-dt / tau), float(e_syn), float(dt),
                      float(threshold), spk_t, spk_c)
    return [spk_t[:m][spk_c[:m] == c] for c in range(n)], n_steps * n * model.n_states
