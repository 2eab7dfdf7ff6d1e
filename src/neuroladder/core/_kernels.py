"""numba kernels of the fixed-step solvers (one definition, used for every model).

Layout: units are grouped in blocks of up to ``BLOCK`` columns. The state is an
array (n_blocks, n_states, block) and the parameters (n_blocks, n_params, block),
so one block is a C-contiguous (n_states, block) array whose rows run over units:
a model's ``equations`` loop over a block's units is unit-stride and LLVM turns it
into SIMD code (with :func:`neuroladder.core._math.exp`). Padding columns of the
last block copy the last real unit and are ignored.

Each step is one vectorised pass over every block (:func:`advance_block`), then a
scalar pass over the units of the block for events. A unit with an event inside
the step is redone from its start on a one-column copy, in the manner of NEST's
precise-spiking models: the crossing time is found by linear interpolation, the
whole state is interpolated to it, the reset is applied there and the rest of the
step is integrated from the reset state (or the unit stays refractory, its spike
variable clamped, up to ``t_spike + t_ref``, which may end mid-step). Spike times
are therefore not rounded to the grid: a LIF reproduces its analytic rate to
~1e-5 at dt = 0.1 ms.
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit, types

from ._compile import lazy_kernel
from ._math import exprel_step

# The model functions are passed to the kernels as first-class function values
# typed by their signatures (not by their identity), so each kernel is compiled
# once and cached on disk for every model, instead of once per model and process.
_F8 = types.float64
_I8 = types.int64
_B1 = types.boolean
_V = types.float64[::1]
_M = types.float64[:, ::1]
_T3 = types.float64[:, :, ::1]
_IV = types.int64[::1]
EQUATIONS = types.FunctionType(types.void(_F8, _M, _M, _V, _M, _M))
RESET = types.FunctionType(types.void(_M, _M, _I8))
NOISE = types.FunctionType(types.void(_F8, _M, _M, _M))

EULER = 0
RK4 = 1
EXPONENTIAL_EULER = 2
MILSTEIN = 3  # Euler drift + Milstein diffusion (diagonal noise)
EXPONENTIAL_MIDPOINT = 4

OK = 0
DIVERGED = 1
NEED_SPIKE_SPACE = 2
TOO_MANY_SPIKES = 3

#: Units per block: small enough for the block's scratch arrays to stay in L1.
BLOCK = 4096
#: A unit may cross threshold at most this many times within one step.
MAX_SPIKES_PER_STEP = 4


@njit(cache=True, error_model="numpy")
def no_reset(y, p, k):  # pragma: no cover - placeholder for models without events
    pass


@njit(cache=True, error_model="numpy")
def no_noise(t, y, p, g):  # pragma: no cover - placeholder for deterministic models
    pass


@njit(cache=True, error_model="numpy", inline="always")
def _couple(a, b, v_row, gain, cond, stage, m):
    """Add synaptic conductances to the spike variable's row: g (E - v) in the model's current unit.

    ``cond`` rows 0-2 hold the total conductance G at the start, middle and end of the step,
    rows 3-5 the sum of G_port * E_port at the same times; ``gain`` converts current to dv/dt.
    """
    for k in range(m):
        a[v_row, k] += gain[k] * cond[3 + stage, k]
        b[v_row, k] -= gain[k] * cond[stage, k]


@njit(cache=True, error_model="numpy", inline="always")
def exponential_step_rows(y, start, a, b, h, first, ns, m):
    """y = start + (a + b start) (e^{bh} - 1) / b for rows ``first..ns-1``: the exact step of
    dy/dt = a + b y with a, b frozen (``start`` may be ``y`` itself). The one definition of the
    exponential-Euler (Rush-Larsen) update; the cable solver calls it for the gates alone (first = 1)."""
    for s in range(first, ns):
        for k in range(m):
            bs = b[s, k]
            y[s, k] = start[s, k] + (a[s, k] + bs * start[s, k]) * exprel_step(bs, h)


@njit(cache=True, error_model="numpy", inline="always")
def _midpoint_predictor(y, start, a, b, h, ns, m):
    """y = start + (a + b start) (R(bh) - 1) / b with R(z) = 1 / (1 - z + z^2/2), the (0, 2) Pade
    approximant of e^z: a rational step of dy/dt = a + b y, accurate to second order like the
    exponential step it replaces but with one division instead of an exponential and a series. R is
    L-stable and lies in (0, 1] for z <= 0, so however stiff the equation a gate moves monotonically
    towards its steady state and stays in [0, 1]; the denominator is >= 1/2 for every real z."""
    for s in range(ns):
        for k in range(m):
            bs = b[s, k]
            z = bs * h
            y[s, k] = start[s, k] + (a[s, k] + bs * start[s, k]) * (h * (1.0 - 0.5 * z) / (1.0 + z * (0.5 * z - 1.0)))


@njit(cache=True, error_model="numpy", inline="always")
def _exponential_step(y, start, a, b, h, ns, m):
    """:func:`exponential_step_rows` over every row."""
    exponential_step_rows(y, start, a, b, h, 0, ns, m)


@njit(cache=True, error_model="numpy")
def advance_block(equations, method, t, h, y, p, i0, i_mid, i1, a, b, y0, acc, v_row, gain, cond, has_cond):
    """Advance every column (unit) of ``y`` (n_states, m) in place from t to t + h.

    This is the only definition of each fixed-step method; the vectorised pass and the
    one-unit event path of :func:`update_block` both call it. ``i0, i_mid, i1`` are the injected
    currents at the start, middle and end of the step (Euler and exponential Euler read ``i0``,
    which callers may set to the step average); with ``has_cond`` the synaptic conductances in
    ``cond`` (see :func:`_couple`) enter the equation of row ``v_row``.
    """
    ns, m = y.shape
    if method == EXPONENTIAL_EULER:
        # exact for frozen a, b: y + (a + b y) (e^{bh} - 1) / b  (Rush-Larsen for gates)
        equations(t, y, p, i0, a, b)
        if has_cond:
            _couple(a, b, v_row, gain, cond, 0, m)
        _exponential_step(y, y, a, b, h, ns, m)
    elif method == EXPONENTIAL_MIDPOINT:
        # second-order Rush-Larsen (exponential midpoint): a half step by the (0, 2) Pade approximant of the
        # exponential (second order, L-stable, one division; issue 21: the default's cost fell from 1.9x to 1.4x
        # exponential Euler's at unchanged spike times, 0.0066 vs 0.0065 ms at dt 0.01) gives the midpoint
        # state; a, b frozen there advance the whole step exactly from the start
        # (the midpoint state goes to the scratch y0, so y keeps the start without a copy)
        equations(t, y, p, i0, a, b)
        if has_cond:
            _couple(a, b, v_row, gain, cond, 0, m)
        _midpoint_predictor(y0, y, a, b, 0.5 * h, ns, m)
        equations(t + 0.5 * h, y0, p, i_mid, a, b)
        if has_cond:
            _couple(a, b, v_row, gain, cond, 1, m)
        _exponential_step(y, y, a, b, h, ns, m)
    elif method == EULER or method == MILSTEIN:
        equations(t, y, p, i0, a, b)
        if has_cond:
            _couple(a, b, v_row, gain, cond, 0, m)
        for s in range(ns):
            for k in range(m):
                y[s, k] += h * (a[s, k] + b[s, k] * y[s, k])
    else:  # classical RK4 on f = a + b y; stage derivatives accumulate in acc
        half = 0.5 * h
        for s in range(ns):
            for k in range(m):
                y0[s, k] = y[s, k]
        equations(t, y, p, i0, a, b)
        if has_cond:
            _couple(a, b, v_row, gain, cond, 0, m)
        for s in range(ns):
            for k in range(m):
                f = a[s, k] + b[s, k] * y0[s, k]
                acc[s, k] = f
                y[s, k] = y0[s, k] + half * f
        equations(t + half, y, p, i_mid, a, b)
        if has_cond:
            _couple(a, b, v_row, gain, cond, 1, m)
        for s in range(ns):
            for k in range(m):
                f = a[s, k] + b[s, k] * y[s, k]
                acc[s, k] += 2.0 * f
                y[s, k] = y0[s, k] + half * f
        equations(t + half, y, p, i_mid, a, b)
        if has_cond:
            _couple(a, b, v_row, gain, cond, 1, m)
        for s in range(ns):
            for k in range(m):
                f = a[s, k] + b[s, k] * y[s, k]
                acc[s, k] += 2.0 * f
                y[s, k] = y0[s, k] + h * f
        equations(t + h, y, p, i1, a, b)
        if has_cond:
            _couple(a, b, v_row, gain, cond, 2, m)
        for s in range(ns):
            for k in range(m):
                f = a[s, k] + b[s, k] * y[s, k]
                y[s, k] = y0[s, k] + (h / 6.0) * (acc[s, k] + f)


@njit(cache=True)
def make_scratch(ns, n_par, blk):
    """Scratch arrays of one block, in the order :func:`update_block` unpacks them.

    a, b, y0, acc, y_old : (n_states, block); probe (block,); flags (block rounded up to 8,) uint8;
    cur0, cur_mid, cur1 : (block,); y1, a1, b1, y01, acc1, yo1 : (n_states, 1); p1 (n_params, 1);
    c0, c_mid, c1, gain1 : (1,); cond1 (6, 1); gp (n_states, block): diffusion derivatives (Milstein);
    nz1 (n_states, 1): one unit's noise increment over the step.
    """
    return (np.empty((ns, blk)), np.empty((ns, blk)), np.empty((ns, blk)), np.empty((ns, blk)),
            np.empty((ns, blk)), np.empty(blk), np.zeros(8 * ((blk + 7) // 8), dtype=np.uint8),
            np.empty(blk), np.empty(blk), np.empty(blk),
            np.empty((ns, 1)), np.empty((ns, 1)), np.empty((ns, 1)), np.empty((ns, 1)), np.empty((ns, 1)),
            np.empty((ns, 1)), np.empty((n_par, 1)), np.empty(1), np.empty(1), np.empty(1), np.empty(1),
            np.zeros((6, 1)), np.zeros((ns, blk)), np.zeros((ns, 1)))


@njit(cache=True, error_model="numpy")
def _redo_unit(equations, reset, has_reset, method, t, t_end, eps, y, p, i0, i_mid, i1, a, b, y0, acc, y_old,
               spike_index, gain, cond, has_cond, threshold, t_ref, refr_until, clamp_value, u, spike_id,
               spk_t, spk_i, counters, noisy, noise_inc):
    """Integrate one unit (one-column arrays, y at time t) to t_end with events inside the step.

    With ``noisy``, the step's noise increment ``noise_inc`` (n_states, 1) is spread over the
    sub-steps in proportion to their length (the mean path of the Brownian bridge between the
    step's ends), so a crossing caused by the noise is found inside the step, not lost.
    Returns the number of threshold crossings, or -1 if there were too many.
    """
    ns = y.shape[0]
    tt = t
    n_spikes = 0
    while t_end - tt > eps:
        h = t_end - tt
        refractory = refr_until[u] > tt + eps
        if refractory:
            h = min(h, refr_until[u] - tt)
        for s in range(ns):
            y_old[s, 0] = y[s, 0]
        advance_block(equations, method, tt, h, y, p, i0, i_mid, i1, a, b, y0, acc, spike_index, gain, cond,
                      has_cond)
        if noisy:
            share = h / (t_end - t)
            for s in range(ns):
                y[s, 0] += noise_inc[s, 0] * share
        if refractory:
            y[spike_index, 0] = clamp_value[u]
            tt += h
            continue
        v_new = y[spike_index, 0]
        v_old = y_old[spike_index, 0]
        thr = threshold[u]
        if not (v_new >= thr and (has_reset or v_old < thr)):
            break  # no crossing in the rest of the step (a NaN also ends here; caught by the caller)
        if v_old >= thr:
            frac = 0.0  # already at threshold when the step began (e.g. a delta-synapse jump)
        else:
            frac = min(max((thr - v_old) / (v_new - v_old), 0.0), 1.0)
        t_spike = tt + frac * h
        spk_t[counters[0]] = t_spike
        spk_i[counters[0]] = spike_id
        counters[0] += 1
        n_spikes += 1
        if not has_reset:
            break
        if n_spikes >= MAX_SPIKES_PER_STEP:
            return -1
        # interpolate the whole state to the crossing, reset there, go on from it
        for s in range(ns):
            y[s, 0] = y_old[s, 0] + frac * (y[s, 0] - y_old[s, 0])
        reset(y, p, 0)
        clamp_value[u] = y[spike_index, 0]
        refr_until[u] = t_spike + t_ref[u]
        tt = t_spike
    return n_spikes


_NO_REDO = np.uint8(0)


@njit(cache=True, error_model="numpy", inline="always")
def flag_unit(free, refr_end, held, thr, probe, lo, hi, partial_done=False, redo=_NO_REDO):
    """One unit after the vectorised advance: ``(v, flag)``. ``v`` is the clamp value ``held`` if the
    unit is refractory for the whole step (until >= ``hi`` = t_end - eps), else the advanced ``free``.
    ``flag`` (uint8) asks for the scalar event pass: a possible crossing of ``thr``, refractoriness
    ending inside the step (until > ``lo`` = t + eps; not when ``partial_done``: the caller integrated
    that part of the step itself), another reason ``redo`` (uint8) of the caller, or a non-finite
    ``probe`` (``probe * 0 != 0``); the first three only for a unit not refractory to the step's end.

    Written for the vectoriser: the caller loads both ``held`` and ``free`` before this select (a load
    under a condition cannot be speculated, and kept the loop scalar at ~0.8 ns per unit, 4x slower),
    and the flag is built with bitwise operators rather than short-circuit ``and``/``or``."""
    whole = refr_end >= hi
    v = held if whole else free
    live = np.uint8(refr_end < hi)
    partial = np.uint8(0) if partial_done else np.uint8(refr_end > lo)
    crossing = np.uint8(v >= thr)
    return v, ((crossing | partial | redo) & live) | np.uint8(probe * 0.0 != 0.0)


@njit(cache=True, error_model="numpy", inline="always")
def flag_units(v_row, refr, clamp, thr, probe, t, t_end, eps, flags, m):
    """:func:`flag_unit` over a block: clamps ``v_row`` in place and fills ``flags`` (0 past ``m``).
    ``probe`` may be ``v_row`` itself (read after the clamp) or a sum of ``state * 0`` over its rows."""
    lo = t + eps
    hi = t_end - eps
    for k in range(m):
        held = clamp[k]
        free = v_row[k]
        v, flag = flag_unit(free, refr[k], held, thr[k], 0.0, lo, hi)
        v_row[k] = v
        flags[k] = flag | np.uint8(probe[k] * 0.0 != 0.0)
    for k in range(m, flags.shape[0]):
        flags[k] = 0


@njit(cache=True, error_model="numpy")
def update_block(equations, reset, noise, has_reset, has_noise, method, t, dt, y, p, m, first, id_offset,
                 cur0, cur_mid, cur1, spike_index, gain, cond, has_cond, threshold, t_ref, refr_until,
                 clamp_value, xi_step, g, scratch, spk_t, spk_i, counters, status, gstep):
    """One step of one block of units: vectorised advance, then events for the flagged units only.

    ``m`` real units starting at unit ``first`` (index into the event arrays and ``xi_step``'s
    columns); spikes are written with id ``id_offset + first + k``. Returns False (and fills
    ``status``) on divergence or too many crossings.
    """
    (a, b, y0, acc, y_old, probe, flags, _c0, _cm, _c1,
     y1, a1, b1, y01, acc1, yo1, p1, c0, c_mid, c1, gain1, cond1, gp, nz1) = scratch
    ns, blk = y.shape
    n_par = p.shape[0]
    t_end = t + dt
    eps = 1e-9 * dt
    sq = math.sqrt(dt)
    milstein = method == MILSTEIN
    if has_noise:
        noise(t, y, p, g)
        if milstein:
            # dg_s/dy_s by a forward difference, one state variable at a time (diagonal noise)
            for s in range(ns):
                for r in range(ns):
                    for k in range(blk):
                        y0[r, k] = y[r, k]
                for k in range(blk):
                    y0[s, k] += 1e-6 * max(1.0, abs(y[s, k]))
                noise(t, y0, p, acc)
                for k in range(blk):
                    gp[s, k] = (acc[s, k] - g[s, k]) / (y0[s, k] - y[s, k])
    for s in range(ns):
        for k in range(blk):
            y_old[s, k] = y[s, k]
    advance_block(equations, method, t, dt, y, p, cur0, cur_mid, cur1, a, b, y0, acc, spike_index, gain, cond,
                  has_cond)
    if has_noise:
        for s in range(ns):
            for k in range(m):
                dw = sq * xi_step[s, first + k]
                y[s, k] += g[s, k] * dw + (0.5 * g[s, k] * gp[s, k] * (dw * dw - dt) if milstein else 0.0)
    # flag the units that need attention, in a loop LLVM vectorises: a possible threshold
    # crossing, refractoriness, or a non-finite state (x * 0 is NaN for inf and NaN)
    for k in range(blk):
        probe[k] = y[0, k] * 0.0
    for s in range(1, ns):
        for k in range(blk):
            probe[k] += y[s, k] * 0.0
    flag_units(y[spike_index], refr_until[first:first + m], clamp_value[first:first + m], threshold[first:first + m],
               probe, t, t_end, eps, flags, m)
    # the scalar pass visits only the 8-unit words that hold a flag
    words = flags.view(np.uint64)
    for w in range(words.shape[0]):
        if words[w] == 0:
            continue
        for k in range(8 * w, 8 * w + 8):
            if flags[k] == 0:
                continue
            u = first + k
            v_old = y_old[spike_index, k]
            v_new = y[spike_index, k]
            refractory = refr_until[u] > t + eps
            crossed = v_new >= threshold[u] and (has_reset or v_old < threshold[u])
            if refractory and refr_until[u] >= t_end - eps:
                y[spike_index, k] = clamp_value[u]  # refractory for the whole step
            elif refractory or (crossed and has_reset):
                # an event inside the step: redo this unit from the start of the step
                for s in range(ns):
                    y1[s, 0] = y_old[s, k]
                for q in range(n_par):
                    p1[q, 0] = p[q, k]
                c0[0] = cur0[k]
                c_mid[0] = cur_mid[k]
                c1[0] = cur1[k]
                gain1[0] = gain[k]
                for q in range(6):
                    cond1[q, 0] = cond[q, k]
                if has_noise:
                    for r in range(ns):
                        dw = sq * xi_step[r, u]
                        nz1[r, 0] = g[r, k] * dw + (0.5 * g[r, k] * gp[r, k] * (dw * dw - dt) if milstein else 0.0)
                got = _redo_unit(equations, reset, has_reset, method, t, t_end, eps, y1, p1, c0, c_mid, c1,
                                 a1, b1, y01, acc1, yo1, spike_index, gain1, cond1, has_cond, threshold, t_ref,
                                 refr_until, clamp_value, u, id_offset + u, spk_t, spk_i, counters, has_noise, nz1)
                if got < 0:
                    status[0] = TOO_MANY_SPIKES
                    status[1] = u
                    status[3] = gstep
                    return False
                for s in range(ns):
                    y[s, k] = y1[s, 0]
            elif crossed:
                frac = (threshold[u] - v_old) / (v_new - v_old)
                spk_t[counters[0]] = t + min(max(frac, 0.0), 1.0) * dt
                spk_i[counters[0]] = id_offset + u
                counters[0] += 1
            for s in range(ns):
                if not math.isfinite(y[s, k]):
                    status[0] = DIVERGED
                    status[1] = u
                    status[2] = s
                    status[3] = gstep
                    return False
    return True


@njit(cache=True, inline="always")
def stimulus_rows(gstep, constant, sampled_half):
    """Rows of a sampled stimulus at the start, middle and end of step ``gstep``, counted from the step of
    the stimulus's first sample."""
    if constant:
        return 0, 0, 0
    if sampled_half:
        return 2 * gstep, 2 * gstep + 1, 2 * gstep + 2
    return gstep, gstep, gstep + 1


@lazy_kernel(_I8(EQUATIONS, RESET, NOISE, _B1, _B1, _I8, _T3, _T3, _I8, _M, _B1, _F8, _I8, _I8, _I8, _V, _V, _V, _V,
                 _T3, _IV, _I8, _T3, _V, _IV, _IV, _IV), estimate_s=40, error_model="numpy")
def run_fixed_step(equations, reset, noise, has_reset, has_noise, method,
                   state, params, n, stim, stim_sampled_half, dt, step0, n_steps,
                   spike_index, threshold, t_ref, refr_until, clamp_value,
                   xi, rec_vars, rec_every, rec, spk_t, spk_i, counters, status):
    """Integrate ``n_steps`` steps of ``n`` independent units, starting at global step ``step0``.

    Parameters (arrays are modified in place where that is their job)
    ----------
    state : (n_blocks, n_states, block) ; params : (n_blocks, n_params, block)
    n : number of real units (the last block may be padded).
    stim : (T, U) samples of the injected current; U is 1 (shared) or n. T == 1: constant;
        otherwise sampled on the half-step grid (``stim_sampled_half``: index 2 g at the start of
        global step g, 2 g + 1 at its midpoint) or on the step grid.
    threshold, t_ref, refr_until, clamp_value : (n,) event bookkeeping (mV, ms).
    xi : (n_steps, n_states, n) standard normal numbers when ``has_noise``.
    rec_vars : indices of recorded variables; ``rec`` (n_rec_vars, n_samples, n) receives a sample
        after every ``rec_every`` global steps.
    spk_t, spk_i : spike time (ms) and unit buffers; ``counters[0]`` spikes written so far.
    status : int64[4] <- (code, unit, variable, global step) on an early return.

    Returns the number of steps completed.
    """
    n_blocks, ns, blk = state.shape
    scratch = make_scratch(ns, params.shape[1], blk)
    cur0, cur_mid, cur1 = scratch[7], scratch[8], scratch[9]
    g = np.zeros((ns, blk))
    gain = np.zeros(blk)
    cond = np.zeros((6, blk))
    capacity = spk_t.shape[0]
    const_stim = stim.shape[0] == 1
    per_unit_stim = stim.shape[1] > 1
    for j in range(n_steps):
        gstep = step0 + j
        t = gstep * dt
        if counters[0] + n * MAX_SPIKES_PER_STEP > capacity:
            status[0] = NEED_SPIKE_SPACE
            return j
        r0, r_mid, r1 = stimulus_rows(gstep, const_stim, stim_sampled_half)
        for bi in range(n_blocks):
            first = bi * blk
            for k in range(blk):
                col = min(first + k, n - 1) if per_unit_stim else 0
                cur0[k] = stim[r0, col]
                cur_mid[k] = stim[r_mid, col]
                cur1[k] = stim[r1, col]
            m = min(blk, n - first)
            xi_step = xi[j] if has_noise else xi[0]
            # id offset and has_cond as run-time values, as the network engine passes them: literals would
            # give update_block types of its own here, and a process running both would compile it twice
            ok = update_block(equations, reset, noise, has_reset, has_noise, method, t, dt, state[bi], params[bi],
                              m, first, np.int64(0), cur0, cur_mid, cur1, spike_index, gain, cond, np.bool_(False),
                              threshold, t_ref, refr_until, clamp_value, xi_step, g,
                              scratch, spk_t, spk_i, counters, status, gstep)
            if not ok:
                return j
        if (gstep + 1) % rec_every == 0:
            r = (gstep + 1) // rec_every
            for q in range(rec_vars.shape[0]):
                var = rec_vars[q]
                for bi in range(n_blocks):
                    first = bi * blk
                    for k in range(min(blk, n - first)):
                        rec[q, r, first + k] = state[bi, var, k]
    return n_steps


@lazy_kernel(_M(EQUATIONS, _F8, _M, _M, _V, _M), estimate_s=2, error_model="numpy")
def evaluate_rhs(equations, t, states, params, currents, out):
    """``out = a + b * y`` for states (n_states, m): the derivative, for adaptive solvers and analysis."""
    a = np.empty_like(states)
    b = np.empty_like(states)
    equations(t, states, params, currents, a, b)
    ns, m = states.shape
    for s in range(ns):
        for k in range(m):
            out[s, k] = a[s, k] + b[s, k] * states[s, k]
    return out
