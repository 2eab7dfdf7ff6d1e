"""numba kernels of the fixed-step solvers (one definition, used for every model).

Layout: the state is an array of shape (n_units, n_states) and the packed
parameters (n_units, n_params), so one unit's state ``state[k]`` is contiguous
and is updated in place. The loop is time-outer, unit-inner (the shape a
network engine needs, and consecutive units are independent so the CPU
overlaps their work).

Events follow NEST's precise-spiking models: the crossing time is found by
linear interpolation inside the step, the whole state is interpolated to it,
the reset is applied there and the rest of the step is integrated from the
reset state (or the unit stays refractory, with its spike variable clamped, up
to ``t_spike + t_ref``). Spike times are therefore not rounded to the grid,
which is what lets a LIF reproduce its analytic rate to 1e-4 at dt = 0.1 ms.
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit

EULER = 0
RK4 = 1
EXPONENTIAL_EULER = 2

OK = 0
DIVERGED = 1
NEED_SPIKE_SPACE = 2
TOO_MANY_SPIKES = 3

#: A unit may cross threshold at most this many times within one step.
MAX_SPIKES_PER_STEP = 4


@njit(cache=True)
def no_reset(y, p):  # pragma: no cover - placeholder for models without events
    pass


@njit(cache=True)
def no_noise(t, y, p, g):  # pragma: no cover - placeholder for deterministic models
    pass


@njit
def _first_nonfinite(y):
    for s in range(y.shape[0]):
        if not math.isfinite(y[s]):
            return s
    return -1


@njit
def run_fixed_step(equations, reset, noise, has_reset, has_noise, method,
                   state, params, stim, stim_sampled_half, dt, step0, n_steps,
                   spike_index, threshold, t_ref, refr_until, clamp_value,
                   xi, rec_vars, rec_every, rec, spk_t, spk_i, counters, status):
    """Integrate ``n_steps`` steps of all units, starting at global step ``step0``.

    Parameters (all arrays are modified in place where that is their job)
    ----------
    state : (n, n_states) ; params : (n, n_params)
    stim : (T, U) samples of the injected current. T == 1: constant. Otherwise
        sampled on the half-step grid (``stim_sampled_half``: index 2*g at the
        start of global step g) or on the step grid.
    threshold, t_ref, refr_until, clamp_value : (n,) event bookkeeping (mV, ms).
    xi : (n_steps, n, n_states) standard normal numbers when ``has_noise``.
    rec_vars : indices of recorded variables; ``rec`` (n_rec_vars, n_samples, n)
        receives a sample after every ``rec_every`` global steps.
    spk_t, spk_i : spike time (ms) and unit buffers; ``counters[0]`` spikes written.
    status : int64[4] <- (code, unit, variable, global step) on early return.

    Returns the number of steps completed.
    """
    n, ns = state.shape
    a = np.empty(ns)
    b = np.empty(ns)
    acc = np.empty(ns)
    y = np.empty(ns)
    y_old = np.empty(ns)
    g = np.zeros(ns)
    capacity = spk_t.shape[0]
    const_stim = stim.shape[0] == 1
    per_unit_stim = stim.shape[1] > 1
    eps = 1e-9 * dt
    for j in range(n_steps):
        gstep = step0 + j
        t = gstep * dt
        t_end = t + dt
        if counters[0] + n * MAX_SPIKES_PER_STEP > capacity:
            status[0] = NEED_SPIKE_SPACE
            return j
        for k in range(n):
            # work on a private copy of the unit's state: numba then keeps it in
            # registers (a view into `state` measured ~30 % slower)
            for s in range(ns):
                y[s] = state[k, s]
            p = params[k]
            col = k if per_unit_stim else 0
            if const_stim:
                i0 = stim[0, col]
                i_mid = i0
                i1 = i0
            elif stim_sampled_half:
                i0 = stim[2 * gstep, col]
                i_mid = stim[2 * gstep + 1, col]
                i1 = stim[2 * gstep + 2, col]
            else:
                i0 = stim[gstep, col]
                i_mid = i0
                i1 = stim[gstep + 1, col]
            if has_noise:
                noise(t, y, p, g)
            tt = t
            n_spikes_here = 0
            while t_end - tt > eps:
                h = t_end - tt
                refractory = refr_until[k] > tt + eps
                if refractory:
                    h = min(h, refr_until[k] - tt)
                for s in range(ns):
                    y_old[s] = y[s]
                # ---- advance y from tt to tt + h (one copy of each method, kept in
                # the kernel body: numba then inlines `equations`, which halves the cost)
                if method == EXPONENTIAL_EULER:
                    equations(tt, y, p, i0, a, b)
                    for s in range(ns):
                        bs = b[s]
                        slope = a[s] + bs * y[s]
                        if bs != 0.0:
                            # exact for frozen a, b: y + (a + b y) (e^{bh} - 1) / b
                            y[s] += slope * ((math.exp(bs * h) - 1.0) / bs)
                        else:
                            y[s] += slope * h
                elif method == EULER:
                    equations(tt, y, p, i0, a, b)
                    for s in range(ns):
                        y[s] += h * (a[s] + b[s] * y[s])
                else:  # classical RK4; stage derivatives accumulate in acc
                    half = 0.5 * h
                    equations(tt, y, p, i0, a, b)
                    for s in range(ns):
                        kk = a[s] + b[s] * y_old[s]
                        acc[s] = kk
                        y[s] = y_old[s] + half * kk
                    equations(tt + half, y, p, i_mid, a, b)
                    for s in range(ns):
                        kk = a[s] + b[s] * y[s]
                        acc[s] += 2.0 * kk
                        y[s] = y_old[s] + half * kk
                    equations(tt + half, y, p, i_mid, a, b)
                    for s in range(ns):
                        kk = a[s] + b[s] * y[s]
                        acc[s] += 2.0 * kk
                        y[s] = y_old[s] + h * kk
                    equations(tt + h, y, p, i1, a, b)
                    for s in range(ns):
                        kk = a[s] + b[s] * y[s]
                        y[s] = y_old[s] + (h / 6.0) * (acc[s] + kk)
                # ---- events
                if refractory:
                    y[spike_index] = clamp_value[k]
                    tt += h
                    continue
                v_new = y[spike_index]
                v_old = y_old[spike_index]
                thr = threshold[k]
                if not (v_new >= thr and (has_reset or v_old < thr)):
                    break  # no spike (a NaN also ends here and is caught below)
                frac = (thr - v_old) / (v_new - v_old) if v_new > v_old else 1.0
                frac = min(max(frac, 0.0), 1.0)
                t_spike = tt + frac * h
                spk_t[counters[0]] = t_spike
                spk_i[counters[0]] = k
                counters[0] += 1
                if not has_reset:
                    break
                n_spikes_here += 1
                if n_spikes_here >= MAX_SPIKES_PER_STEP:
                    status[0] = TOO_MANY_SPIKES
                    status[1] = k
                    status[3] = gstep
                    return j
                # interpolate the whole state to the crossing, reset there, go on from it
                for s in range(ns):
                    y[s] = y_old[s] + frac * (y[s] - y_old[s])
                reset(y, p)
                clamp_value[k] = y[spike_index]
                refr_until[k] = t_spike + t_ref[k]
                tt = t_spike
            if has_noise:
                sq = math.sqrt(dt)
                for s in range(ns):
                    y[s] += g[s] * sq * xi[j, k, s]
            for s in range(ns):
                state[k, s] = y[s]
            bad = _first_nonfinite(y)
            if bad >= 0:
                status[0] = DIVERGED
                status[1] = k
                status[2] = bad
                status[3] = gstep
                return j
        if (gstep + 1) % rec_every == 0:
            r = (gstep + 1) // rec_every
            for q in range(rec_vars.shape[0]):
                var = rec_vars[q]
                for k in range(n):
                    rec[q, r, k] = state[k, var]
    return n_steps


@njit
def evaluate_rhs(equations, t, states, params, currents, out):
    """``out[k] = a + b * y`` for every unit k: the derivative, for adaptive solvers and analysis."""
    n, ns = states.shape
    a = np.empty(ns)
    b = np.empty(ns)
    for k in range(n):
        equations(t, states[k], params[k], currents[k], a, b)
        for s in range(ns):
            out[k, s] = a[s] + b[s] * states[k, s]
    return out
