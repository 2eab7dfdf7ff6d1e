"""Channel noise in the Hodgkin-Huxley membrane: finite numbers of stochastic channels.

* ``method="markov"``: every channel is a Markov chain: the 8-state Na scheme (m0h0 ... m3h1, open
  m3h1) and the 5-state K scheme (n0 ... n4, open n4) with the HH rates (Skaugen & Walloe 1979;
  Schneidman, Freedman & Segev 1998). Per step each state's channels leave with probability
  1 - exp(-(sum of its exit rates) dt) (binomial) and are split among the exits in proportion to
  the rates (sequential binomials): exact when at most one transition happens per channel and step,
  with an error O((rate dt)^2) per step otherwise (rates here are < 10/ms; at dt = 0.01 ms < 1 %).
* ``method="langevin"``: the system-size approximation of Fox & Lu (1994): each gate follows
  ``dx = (alpha (1 - x) - beta x) dt + sqrt((alpha (1 - x) + beta x) / N) dW`` with N the number
  of channels carrying it, clipped to [0, 1]; open fractions m^3 h and n^4.

Channel counts come from the membrane area and densities (defaults 60 Na and 18 K channels per
um^2; Hille), and the maximal conductances of the :class:`~neuroladder.neurons.HodgkinHuxley` model
set the single-channel conductances. Both methods tend to deterministic HH as the area grows.
The voltage is integrated by exponential Euler with the open fractions of the step's start, using the
membrane equation of :func:`neuroladder.channels.na_k_leak.membrane_drift` (the one every HH model uses).
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit

from ..channels import hh
from ..channels.na_k_leak import membrane_drift
from ..core._math import exprel_step
from ..core.errors import ParameterError, SimulationDiverged
from ..core.parameters import require_int, require_positive
from ..core.result import Result
from ..core.rng import make_rng
from ..core.stimulus import as_stimulus
from ..neurons import HodgkinHuxley


@njit(cache=True)
def _leave(rng, count, rates, dt, out):
    """Split the ``count`` channels of one state among its exits (``rates``), writing numbers to ``out``."""
    total = 0.0
    for r in rates:
        total += r
    for j in range(rates.shape[0]):
        out[j] = 0
    if count == 0 or total <= 0.0:
        return
    moving = rng.binomial(count, 1.0 - math.exp(-total * dt))
    rest = total
    for j in range(rates.shape[0] - 1):
        if moving == 0 or rest <= 0.0:
            break
        k = rng.binomial(moving, min(1.0, rates[j] / rest))
        out[j] = k
        moving -= k
        rest -= rates[j]
    out[rates.shape[0] - 1] += moving


@njit(cache=True, inline="always", error_model="numpy")
def _membrane_step(u, step, v, f_na, f_k, p, current, dt, v_clamp, rec, spikes, n_spk):
    """Advance unit u's voltage by exponential Euler with the open fractions f_na, f_k (HH packing of
    p), record it and detect an upward crossing of 0 mV."""
    if not v_clamp:
        a, b = membrane_drift(p[0], p[1] * f_na, p[2] * f_k, p[3], p[4], p[5], p[6], current)
        v_old = v[u]
        # exprel_step is (exp(b dt) - 1) / b with its limit dt at b = 0 (no channel open, g_l = 0)
        v[u] += (a + b * v[u]) * exprel_step(b, dt)
        if v_old < 0.0 <= v[u] and n_spk[0] < spikes.shape[0]:
            spikes[n_spk[0], 0] = (step + (0.0 - v_old) / (v[u] - v_old)) * dt
            spikes[n_spk[0], 1] = u
            n_spk[0] += 1
    rec[step + 1, u, 0] = v[u]
    rec[step + 1, u, 1] = f_na
    rec[step + 1, u, 2] = f_k


# numpy's error model: exprel_step computes a discarded 0/0 branch at b = 0, which must not raise
@njit(cache=True, error_model="numpy")
def _run_markov(rng, v, na, k, p, current, dt, v_clamp, rec, spikes, n_spk):
    n_units = v.shape[0]
    n_steps = current.shape[0]
    exits = np.zeros(2, dtype=np.int64)
    r2 = np.zeros(2)
    rates3 = np.zeros(3)
    out3 = np.zeros(3, dtype=np.int64)
    dna = np.zeros(8, dtype=np.int64)
    dk = np.zeros(5, dtype=np.int64)
    for step in range(n_steps):
        for u in range(n_units):
            am, bm, ah, bh, an, bn = hh.gate_rates(v[u], p[7], p[8], p[9], p[10], p[11], p[12], p[13], p[14])
            for s in range(8):
                dna[s] = 0
            for s in range(5):
                dk[s] = 0
            # Na: state index i + 4 j for m-level i (0..3) and h-level j (0..1)
            for j in range(2):
                for i in range(4):
                    s = i + 4 * j
                    r2[0] = (3 - i) * am if i < 3 else 0.0   # m up
                    r2[1] = i * bm                            # m down
                    exits_h = bh if j == 1 else ah
                    # three exits: m up, m down, h flip
                    n_here = na[u, s]
                    if n_here == 0:
                        continue
                    rates3[0] = r2[0]
                    rates3[1] = r2[1]
                    rates3[2] = exits_h
                    _leave(rng, n_here, rates3, dt, out3)
                    dna[s] -= out3[0] + out3[1] + out3[2]
                    if out3[0]:
                        dna[s + 1] += out3[0]
                    if out3[1]:
                        dna[s - 1] += out3[1]
                    if out3[2]:
                        dna[i + 4 * (1 - j)] += out3[2]
            for i in range(5):
                r2[0] = (4 - i) * an if i < 4 else 0.0
                r2[1] = i * bn
                if k[u, i] == 0:
                    continue
                _leave(rng, k[u, i], r2, dt, exits)
                dk[i] -= exits[0] + exits[1]
                if exits[0]:
                    dk[i + 1] += exits[0]
                if exits[1]:
                    dk[i - 1] += exits[1]
            for s in range(8):
                na[u, s] += dna[s]
            for s in range(5):
                k[u, s] += dk[s]
            n_na = 0
            n_k = 0
            for s in range(8):
                n_na += na[u, s]
            for s in range(5):
                n_k += k[u, s]
            f_na = na[u, 7] / n_na
            f_k = k[u, 4] / n_k
            _membrane_step(u, step, v, f_na, f_k, p, current[step], dt, v_clamp, rec, spikes, n_spk)
    return 0


# numpy's error model: exprel_step computes a discarded 0/0 branch at b = 0, which must not raise
@njit(cache=True, error_model="numpy")
def _run_langevin(rng, v, gates, p, n_na, n_k, current, dt, v_clamp, rec, spikes, n_spk):
    n_units = v.shape[0]
    sq = math.sqrt(dt)
    for step in range(current.shape[0]):
        for u in range(n_units):
            am, bm, ah, bh, an, bn = hh.gate_rates(v[u], p[7], p[8], p[9], p[10], p[11], p[12], p[13], p[14])
            m, h, n = gates[u, 0], gates[u, 1], gates[u, 2]
            f_na = m * m * m * h
            f_k = n * n * n * n
            # Fox & Lu (1994): Euler-Maruyama of each gate with variance (alpha (1-x) + beta x) / N
            m += (am * (1 - m) - bm * m) * dt + math.sqrt(max(am * (1 - m) + bm * m, 0.0) / n_na) * sq * rng.standard_normal()
            h += (ah * (1 - h) - bh * h) * dt + math.sqrt(max(ah * (1 - h) + bh * h, 0.0) / n_na) * sq * rng.standard_normal()
            n += (an * (1 - n) - bn * n) * dt + math.sqrt(max(an * (1 - n) + bn * n, 0.0) / n_k) * sq * rng.standard_normal()
            gates[u, 0] = min(max(m, 0.0), 1.0)
            gates[u, 1] = min(max(h, 0.0), 1.0)
            gates[u, 2] = min(max(n, 0.0), 1.0)
            _membrane_step(u, step, v, f_na, f_k, p, current[step], dt, v_clamp, rec, spikes, n_spk)
    return 0


def channel_counts(area: float, na_density: float = 60.0, k_density: float = 18.0) -> tuple[int, int]:
    """Numbers of Na and K channels on ``area`` um^2 at the given densities (channels per um^2)."""
    require_positive("area", area, "um^2")
    return max(1, int(round(na_density * area))), max(1, int(round(k_density * area)))


def simulate_channel_noise(area: float, duration: float, dt: float = 0.01, current: float = 0.0, n: int = 1,
                           method: str = "markov", seed=None, model: HodgkinHuxley | None = None,
                           na_density: float = 60.0, k_density: float = 18.0, v_clamp: float | None = None,
                           max_spikes: int = 1_000_000) -> Result:
    """Simulate ``n`` independent HH patches of ``area`` um^2 with stochastic channels.

    ``current`` is a constant or time-varying stimulus in uA/cm^2; ``v_clamp`` (mV) holds the voltage
    fixed (to study the channels alone). Returns a Result with ``v`` (mV), ``open_na`` and ``open_k``
    (open fractions) traces and spikes (0 mV upward crossings). Same seed, same result.
    """
    model = HodgkinHuxley() if model is None else model
    n = require_int("n", n, low=1)
    require_positive("dt", dt, "ms")
    require_positive("duration", duration, "ms")
    if method not in ("markov", "langevin"):
        raise ParameterError(f"method = {method!r} is unknown; choose 'markov' or 'langevin'")
    n_na, n_k = channel_counts(area, na_density, k_density)
    n_steps = int(round(duration / dt))
    times = np.arange(n_steps) * dt
    stim = as_stimulus(current)
    cur = np.ascontiguousarray(np.broadcast_to(stim.sample(times, 1)[:, 0], (n_steps,)))
    p = model.param_matrix(1)[:, 0].copy()
    rng = make_rng(seed)
    v0 = model.v_init if v_clamp is None else float(v_clamp)
    v = np.full(n, float(v0))
    m_inf, h_inf, n_inf = hh.steady_state(v0, **model.kinetics())
    rec = np.empty((n_steps + 1, n, 3))
    spikes = np.empty((max_spikes, 2))
    n_spk = np.zeros(1, dtype=np.int64)
    if method == "markov":
        # start from the binomial/multinomial steady state of the gates at v0
        na = np.zeros((n, 8), dtype=np.int64)
        k = np.zeros((n, 5), dtype=np.int64)
        p_m = np.array([math.comb(3, i) * m_inf ** i * (1 - m_inf) ** (3 - i) for i in range(4)])
        p_na = np.concatenate([p_m * (1 - h_inf), p_m * h_inf])
        p_k = np.array([math.comb(4, i) * n_inf ** i * (1 - n_inf) ** (4 - i) for i in range(5)])
        for u in range(n):
            na[u] = rng.multinomial(n_na, p_na / p_na.sum())
            k[u] = rng.multinomial(n_k, p_k / p_k.sum())
        rec[0, :, 1] = na[:, 7] / n_na
        rec[0, :, 2] = k[:, 4] / n_k
        _run_markov(rng, v, na, k, p, cur, dt, v_clamp is not None, rec, spikes, n_spk)
    else:
        gates = np.tile([m_inf, h_inf, n_inf], (n, 1))
        rec[0, :, 1] = m_inf ** 3 * h_inf
        rec[0, :, 2] = n_inf ** 4
        _run_langevin(rng, v, gates, p, float(n_na), float(n_k), cur, dt, v_clamp is not None, rec, spikes, n_spk)
    rec[0, :, 0] = v0
    if not np.all(np.isfinite(rec)):
        raise SimulationDiverged(duration, 0, "v", dt, method)
    m = int(n_spk[0])
    t = np.arange(n_steps + 1) * dt
    traces = {"v": rec[:, :, 0], "open_na": rec[:, :, 1], "open_k": rec[:, :, 2]}
    return Result(t, traces, spikes[:m, 0].copy(), spikes[:m, 1].astype(np.int64), n, dt, n_steps * dt, method,
                  model, {"v": v.copy()}, units={"v": "mV"})
