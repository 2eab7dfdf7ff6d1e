"""The network engine: one numba loop over time steps for all populations and projections.

Per step: (1) the inputs arriving now (ring buffer slot, Poisson input) are added to the
synaptic variables (or, for delta synapses, to v); (2) each population's neurons advance by
:func:`neuroladder.core._kernels.update_block` (the same vectorised step and event handling as
``nl.simulate``) with the synaptic currents and conductances at the times each method needs,
computed from the closed-form evolution of the synaptic variables; (3) the synaptic variables
advance exactly; (4) each new spike walks its row of the CSR synapse table and adds its weight
to the ring-buffer slot of its arrival step; (5) spike sources emit; (6) monitors sample.

The fast path for LIF populations with exponential synapses (:func:`_lif_step`): their static
synapses sit in a second table, split per presynaptic unit into segments of one delay and port; a
spike queues its segments (:func:`_enqueue`, a spike queue as Brian2's), and at the arrival step
their weights go straight into the synaptic variables (:func:`_deliver`), which are stored scaled so
that they decay without being rewritten (:func:`lif_port_scales`). The neuron sweep then reads v,
two synaptic variables and the refractory end per unit and writes only v and a flag byte.

Spike timing on the grid (as NEST): a spike emitted inside step s carries the stamp (s+1) dt
and reaches its targets at (s+1) dt + delay, i.e. it is added at the start of step
s + 1 + delay_steps. The ring (and the spike queue) therefore hold ``max_delay_steps + 2`` slots.
"""

from __future__ import annotations

import functools
import math

import numpy as np
from numba import njit, prange, types
from numba.cpython.unsafe.numbers import trailing_zeros

from ..core import _kernels as K
from ..core._math import EXPREL_SERIES_MAX, exp, exprel_series, exprel_step
from ..neurons.lif import lif_drift
from .synapses import ALPHA, DELTA, EXP

_F8, _I8, _B1 = types.float64, types.int64, types.boolean
_V, _M, _T3, _IV = K._V, K._M, K._T3, K._IV
_F4V = types.float32[::1]
_I4V = types.int32[::1]
_U2V = types.uint16[::1]
_LT3 = types.ListType(_T3)
_LM = types.ListType(_M)
_LV = types.ListType(_V)
_LIV = types.ListType(_IV)

E_CONST = math.e


# rows of the per-projection plasticity table ``plast`` (one column per projection)
STP_ON, STP_U, STP_TAU_REC, STP_TAU_FAC, PRE_FIRST, STP_OFF = 0, 1, 2, 3, 4, 5
STDP_ON, A_PLUS, A_MINUS, TAU_PLUS, TAU_MINUS, W_MIN, W_MAX, MULT, PRE_OFF, POST_OFF, POST_FIRST, POST_N, RING_OFF = (
    6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18)
N_PLAST_ROWS = 19


@njit(cache=True, error_model="numpy", inline="always")
def _trace(traces, i, tau, t):
    """Value at t of an exponentially decaying spike trace stored as (value, time of last update)."""
    return traces[0, i] * math.exp(-(t - traces[1, i]) / tau)


@njit(cache=True, error_model="numpy")
def _propagate(sid, t_spike, arrival_slot_base, count, indptr, target, weight, delay, row_delay, ring, n_slots,
               syn_proj, plast, stp_state, traces):
    """Add the weights of unit ``sid``'s outgoing synapses to the ring slots of their arrival steps.

    Plastic projections (``syn_proj`` gives each synapse's projection, ``plast`` their rules):
    * short-term plasticity (Tsodyks-Markram, NEST's ``tsodyks2_synapse`` form): the release
      factor u x of (projection, presynaptic unit) is updated once per spike and scales the weights;
    * pair-based STDP: depression by the postsynaptic trace at the presynaptic spike, then the
      presynaptic trace (in ``traces``) is incremented. Potentiation happens at postsynaptic spikes
      (:func:`_potentiate`).

    ``row_delay[sid]``: the delay (steps) shared by all of the unit's synapses, or -1 (:func:`row_delays`).
    ``arrival_slot_base`` may be any step number; delays are below ``n_slots``, so one conditional
    subtraction replaces a modulo per synapse (an integer division, ~25 cycles, was most of the cost
    of a static synapse).
    """
    base = arrival_slot_base % n_slots
    if syn_proj.shape[0] == 0:  # static synapses only: the tight loops
        d = row_delay[sid]
        if d >= 0:  # one delay for the whole row (usual): one ring row, no per-synapse slot
            slot = base + d
            if slot >= n_slots:
                slot -= n_slots
            arriving = ring[slot]
            for syn in range(indptr[sid], indptr[sid + 1]):
                arriving[target[syn]] += count * weight[syn]
            return
        for syn in range(indptr[sid], indptr[sid + 1]):
            slot = base + delay[syn]
            if slot >= n_slots:
                slot -= n_slots
            ring[slot, target[syn]] += count * weight[syn]
        return
    factor = 1.0
    last_proj = -1
    stdp = False
    for syn in range(indptr[sid], indptr[sid + 1]):
        if syn_proj.shape[0] > 0:
            proj = syn_proj[syn]
            if proj != last_proj:
                if stdp:  # finish the previous projection: its presynaptic trace jumps
                    i = int(plast[PRE_OFF, last_proj]) + sid - int(plast[PRE_FIRST, last_proj])
                    traces[0, i] = _trace(traces, i, plast[TAU_PLUS, last_proj], t_spike) + 1.0
                    traces[1, i] = t_spike
                last_proj = proj
                factor = 1.0
                if plast[STP_ON, proj] > 0.0:
                    U, tau_rec, tau_fac = plast[STP_U, proj], plast[STP_TAU_REC, proj], plast[STP_TAU_FAC, proj]
                    i = int(plast[STP_OFF, proj]) + sid - int(plast[PRE_FIRST, proj])
                    u, x, t_last = stp_state[0, i], stp_state[1, i], stp_state[2, i]
                    h = t_spike - t_last
                    x = 1.0 + (x - x * u - 1.0) * math.exp(-h / tau_rec)
                    u = U + u * (1.0 - U) * (math.exp(-h / tau_fac) if tau_fac > 0.0 else 0.0)
                    stp_state[0, i], stp_state[1, i], stp_state[2, i] = u, x, t_spike
                    factor = u * x
                stdp = plast[STDP_ON, proj] > 0.0
            if stdp:
                post = target[syn] - int(plast[RING_OFF, proj])
                x_post = _trace(traces, int(plast[POST_OFF, proj]) + post, plast[TAU_MINUS, proj], t_spike)
                w = weight[syn]
                dw = plast[A_MINUS, proj] * x_post * (w if plast[MULT, proj] > 0.0 else 1.0)
                weight[syn] = min(max(w - dw, plast[W_MIN, proj]), plast[W_MAX, proj])
        slot = base + delay[syn]
        if slot >= n_slots:
            slot -= n_slots
        ring[slot, target[syn]] += count * factor * weight[syn]
    if stdp:
        i = int(plast[PRE_OFF, last_proj]) + sid - int(plast[PRE_FIRST, last_proj])
        traces[0, i] = _trace(traces, i, plast[TAU_PLUS, last_proj], t_spike) + 1.0
        traces[1, i] = t_spike


@njit(cache=True, error_model="numpy")
def row_delays(indptr, delay):
    """Per presynaptic unit, the delay (steps) all its synapses share, or -1 if they differ."""
    n = indptr.shape[0] - 1
    out = np.full(n, -1, dtype=np.int64)
    for sid in range(n):
        a, b = indptr[sid], indptr[sid + 1]
        if b > a:
            d = delay[a]
            same = True
            for syn in range(a + 1, b):
                if delay[syn] != d:
                    same = False
                    break
            if same:
                out[sid] = d
    return out


@njit(cache=True, error_model="numpy")
def _potentiate(sid, t_spike, in_ptr, in_syn, in_pre, weight, syn_proj, plast, traces):
    """At a postsynaptic spike of unit ``sid``: potentiate its incoming STDP synapses by the presynaptic
    traces, then increment this unit's postsynaptic traces (one per STDP projection onto it)."""
    for e in range(in_ptr[sid], in_ptr[sid + 1]):
        syn = in_syn[e]
        proj = syn_proj[syn]
        i = int(plast[PRE_OFF, proj]) + in_pre[e] - int(plast[PRE_FIRST, proj])
        x_pre = _trace(traces, i, plast[TAU_PLUS, proj], t_spike)
        w = weight[syn]
        dw = plast[A_PLUS, proj] * x_pre * ((plast[W_MAX, proj] - w) if plast[MULT, proj] > 0.0 else 1.0)
        weight[syn] = min(max(w + dw, plast[W_MIN, proj]), plast[W_MAX, proj])
    for proj in range(plast.shape[1]):
        if plast[STDP_ON, proj] > 0.0:
            local = sid - int(plast[POST_FIRST, proj])
            if 0 <= local < int(plast[POST_N, proj]):
                i = int(plast[POST_OFF, proj]) + local
                traces[0, i] = _trace(traces, i, plast[TAU_MINUS, proj], t_spike) + 1.0
                traces[1, i] = t_spike


@njit(cache=True, parallel=True, error_model="numpy")
def _update_blocks(equations, reset, has_reset, method, t, dt, st, pr, n, id_offset, stim, r0, r_mid, r1,
                   per_unit_stim, staged, dc, dg, has_cond, gains_p, v_row, threshold, t_ref, refr_until, clamp,
                   scratches, conds, gain_bs, noises, gb0, stage_t, stage_i, stage_n, block_status, gstep):
    """Advance one population's blocks, in parallel over blocks (threads: ``numba.set_num_threads``).

    Blocks touch disjoint units; each writes its spikes to its own staging row, merged afterwards
    in block order, so results do not depend on the number of threads.
    """
    n_blocks, ns, blk = st.shape
    xi_dummy = np.zeros((1, 1))
    for bi in prange(n_blocks):
        gb = gb0 + bi
        scratch = scratches[gb]
        cur0 = scratch[7]
        cur_mid = scratch[8]
        cur1 = scratch[9]
        cond = conds[gb]
        gain_b = gain_bs[gb]
        first = bi * blk
        m = min(blk, n - first)
        for k in range(m):
            u = first + k
            col = u if per_unit_stim else 0
            cur0[k] = stim[r0, col] + dc[0, u]
        if staged:
            for k in range(m):
                u = first + k
                col = u if per_unit_stim else 0
                cur_mid[k] = stim[r_mid, col] + dc[1, u]
                cur1[k] = stim[r1, col] + dc[2, u]
        if has_cond:
            for k in range(m):
                gain_b[k] = gains_p[first + k]
            for q in range(6):
                if staged or q == 0 or q == 3:
                    for k in range(m):
                        cond[q, k] = dg[q, first + k]
        for k in range(m, blk):  # padding columns repeat the last unit
            cur0[k] = cur0[m - 1]
            cur_mid[k] = cur_mid[m - 1]
            cur1[k] = cur1[m - 1]
            gain_b[k] = gain_b[m - 1]
            for q in range(6):
                cond[q, k] = cond[q, m - 1]
        stage_n[gb] = 0
        block_status[gb, 0] = K.OK
        K.update_block(equations, reset, K.no_noise, has_reset, False, method, t, dt, st[bi], pr[bi], m, first,
                       id_offset, cur0, cur_mid, cur1, v_row, gain_b, cond, has_cond, threshold, t_ref,
                       refr_until, clamp, xi_dummy, noises[gb], scratch, stage_t[gb], stage_i[gb],
                       stage_n[gb:gb + 1], block_status[gb], gstep)


@njit(cache=True, error_model="numpy", inline="always")
def _lif_advance(v0, a, b, h, euler, series_only=False):
    """v after h ms of dv/dt = a + b v from v0: exponential Euler (exact for frozen a, b) or forward Euler,
    ``core._kernels.advance_block``'s two first-order methods written for one LIF unit.

    ``series_only``: exponential Euler's factor from its series alone (what :func:`exprel_step` uses for
    |b h| < EXPREL_SERIES_MAX, so the result is the same there); the caller must flag larger |b h| for
    the event pass. The vectorised sweep then computes no exponential and no division."""
    if euler:
        return v0 + (a + b * v0) * h
    if series_only:
        return v0 + (a + b * v0) * (h * exprel_series(b * h))
    return v0 + (a + b * v0) * exprel_step(b, h)


@njit(cache=True, error_model="numpy", inline="always")
def _lif_fire(v0, v1, thr, tt, h, spike_id, u, vr, t_ref, refr_until, clamp, spk_t, spk_i, cnt):
    """A crossing of ``thr`` between v0 (time tt) and v1 (tt + h): records the spike at the linearly
    interpolated time (as update_block does), resets (lif_reset: v_reset, held for t_ref) and returns
    the spike time."""
    frac = 0.0 if v0 >= thr else min(max((thr - v0) / (v1 - v0), 0.0), 1.0)
    t_spike = tt + frac * h
    spk_t[cnt[0]] = t_spike
    spk_i[cnt[0]] = spike_id
    cnt[0] += 1
    clamp[u] = vr
    refr_until[u] = t_spike + t_ref[u]
    return t_spike


@njit(cache=True, error_model="numpy")
def _lif_events(v_old, a, b, vr, t, t_end, eps, u, threshold, t_ref, refr_until, clamp, spike_id, spk_t, spk_i, cnt,
                euler):
    """The events of one LIF unit inside a step: :func:`core._kernels._redo_unit` specialised to the
    one-state LIF with frozen a, b (for LIF they do not change within a step): the same sub-steps,
    without calls through function pointers. ``euler``: forward Euler sub-steps instead of exponential
    Euler (``advance_block``'s two first-order methods). Returns (v, n_spikes), or n_spikes = -1 when
    there were too many crossings."""
    tt = t
    v = v_old
    n_spikes = 0
    while t_end - tt > eps:
        h = t_end - tt
        refractory = refr_until[u] > tt + eps
        if refractory:
            h = min(h, refr_until[u] - tt)
        if refractory:
            v = clamp[u]
            tt += h
            continue
        v0 = v
        v = _lif_advance(v0, a, b, h, euler)
        thr = threshold[u]
        if not (v >= thr):
            break
        tt = _lif_fire(v0, v, thr, tt, h, spike_id, u, vr, t_ref, refr_until, clamp, spk_t, spk_i, cnt)
        n_spikes += 1
        if n_spikes >= K.MAX_SPIKES_PER_STEP:
            return v, -1
        v = vr
    return v, n_spikes


@njit(cache=True, error_model="numpy")
def lif_factors(pr, n, dt, euler, out):
    """The factor of (a + b v) in one step of every LIF unit when no conductance enters the membrane (it is
    then the same at every step): exprel_step(-1/tau_m, dt) for exponential Euler, dt for Euler."""
    n_blocks, _, blk = pr.shape
    for bi in range(n_blocks):
        for k in range(min(blk, n - bi * blk)):
            out[bi * blk + k] = dt if euler else exprel_step(-pr[bi, 0, k], dt)


@njit(cache=True, error_model="numpy", inline="always")
def _lif_drive(g0, g1, stim, inv_tau, e_l, inv_c, gain, pf, has_cond):
    """dv/dt = a + b v of one LIF unit over the step: returns (a, b).

    ``g0``, ``g1``: the unit's two exponential synaptic variables as stored (scaled, see
    :func:`lif_port_scales`); ``pf`` = the ports' per-step factors as scalars (s0, s1, cur0, cur1, cnd0,
    cnd1, erev0, erev1), where ``s`` turns a stored value into the step average of the synaptic current
    or conductance. With no conductance port both are currents (a missing port reads zeros). One
    definition for the vectorised sweep and the event pass, so both see the same drift.

    The synapses enter the LIF equation (:func:`lif_drift`) linearly: a current I adds I/c_m to a, a
    conductance g adds gain g E_rev to a and -gain g to b. Written as a = a0 + g0 alpha0 + g1 alpha1 and
    b = b0 - (g0 beta0 + g1 beta1), with a0, b0 = lif_drift(stim) and the per-port coefficients alpha,
    beta grouped apart, so that for a uniform population (scalar parameters) LLVM hoists them out of
    the sweep: two multiply-adds per port and unit remain (COBA with Euler: 0.72 -> 0.58 ns per unit).
    """
    s0, s1, cur0, cur1, cnd0, cnd1, erev0, erev1 = pf
    a0, b0 = lif_drift(inv_tau, e_l, inv_c, stim)
    if not has_cond:
        return a0 + (g0 * (s0 * inv_c) + g1 * (s1 * inv_c)), b0
    alpha0 = s0 * (cur0 * inv_c + cnd0 * gain * erev0)
    alpha1 = s1 * (cur1 * inv_c + cnd1 * gain * erev1)
    beta0 = s0 * cnd0 * gain
    beta1 = s1 * cnd1 * gain
    return a0 + (g0 * alpha0 + g1 * alpha1), b0 - (g0 * beta0 + g1 * beta1)


@njit(cache=True, error_model="numpy", inline="always")
def _lif_sweep(m, stim_row, g0, g1, pf, inv_tau, e_l, inv_c, gain, phi, v_reset, v_row, v_old, refr, clamp, thr,
               flags, dt, lo, hi, t_end, has_cond, uniform, euler):
    """The vectorised part of a LIF step in one pass over the units: the synaptic drive (read, not
    written: the synaptic variables decay through their scale, :func:`lif_port_scales`), exponential
    Euler of the membrane, refractory clamp and flags.

    Each unit reads v, its two synaptic variables and its refractory end, and writes v(t + dt), v(t)
    to ``v_old`` (from which the event pass redoes the step of a flagged unit) and one flag byte. Both
    stores are unconditional: keeping v(t) in place for flagged units only became a masked store, which
    cost more than the second stream (0.58 -> 0.47 ns per unit, COBA with Euler). ``has_cond`` and ``uniform``
    are literal constants at every call, so after inlining LLVM drops the branches. ``uniform``: every
    unit has the same parameters and input (element 0 of each array), read once instead of streamed.
    ``euler``: forward Euler for v (only matters with a conductance: otherwise ``phi`` holds the step's
    factor of either method, :func:`lif_factors`).
    """
    if uniform:
        inv_tau0, e_l0, inv_c0, gain0, phi0, thr0, stim0 = (inv_tau[0], e_l[0], inv_c[0], gain[0], phi[0], thr[0],
                                                            stim_row[0])
    for k in range(m):
        if uniform:
            aa, bb = _lif_drive(g0[k], g1[k], stim0, inv_tau0, e_l0, inv_c0, gain0, pf, has_cond)
        else:
            aa, bb = _lif_drive(g0[k], g1[k], stim_row[k], inv_tau[k], e_l[k], inv_c[k], gain[k], pf, has_cond)
        v0 = v_row[k]
        r = refr[k]
        held = v_reset if uniform else clamp[k]
        thr_k = thr0 if uniform else thr[k]
        if has_cond:
            # refractoriness ending inside the step is integrated here, from the clamp over the rest of the
            # step (as the event pass would, and at no extra cost: the step's factor is per unit anyway),
            # so it is not flagged: this halves the events of a spike. Outside the series' range the
            # event pass takes the exact factor.
            free_run = r <= lo
            start = v0 if free_run else held
            h = dt if free_run else t_end - r
            free = _lif_advance(start, aa, bb, h, euler, series_only=True)
            redo = np.uint8(0) if euler else np.uint8(abs(bb * h) >= EXPREL_SERIES_MAX)
            v, flag = K.flag_unit(free, r, held, thr_k, 0.0, lo, hi, True, redo)
        else:
            free = v0 + (aa + bb * v0) * (phi0 if uniform else phi[k])
            v, flag = K.flag_unit(free, r, held, thr_k, 0.0, lo, hi)
        v_old[k] = v0
        v_row[k] = v
        flags[k] = flag | np.uint8(v * 0.0 != 0.0)
    # flags past m (the row's padding to whole 64-byte lines) stay zero from allocation: each block has
    # its own row and a fixed m, so nothing ever writes there


def _sweep_kernel(has_cond, uniform, euler):
    """:func:`_lif_sweep` compiled apart for one combination of its literal flags, so that only this loop
    gets FMA contraction (its exponential is a polynomial: COBA 1.92 -> 1.53 s per 10 s)."""

    @njit(cache=True, error_model="numpy", fastmath={"contract"})
    def sweep(m, stim_row, g0, g1, pf, inv_tau, e_l, inv_c, gain, phi, v_reset, v_row, v_old, refr, clamp, thr,
              flags, dt, lo, hi, t_end):
        _lif_sweep(m, stim_row, g0, g1, pf, inv_tau, e_l, inv_c, gain, phi, v_reset, v_row, v_old, refr, clamp, thr,
                   flags, dt, lo, hi, t_end, has_cond, uniform, euler)

    return sweep


# (conductance port, uniform units, forward Euler); without a conductance both methods share phi
_sweep_cur_uniform = _sweep_kernel(False, True, False)
_sweep_cond_uniform = _sweep_kernel(True, True, False)
_sweep_cond_uniform_euler = _sweep_kernel(True, True, True)
_sweep_cur = _sweep_kernel(False, False, False)
_sweep_cond = _sweep_kernel(True, False, False)
_sweep_cond_euler = _sweep_kernel(True, False, True)


@njit(cache=True, error_model="numpy", inline="always")
def _lif_step(t, dt, st, pr, n, id_offset, stim, r0, ps, rows, pf_rows, has_cond, uniform, euler, gains_p,
              unit, factor, lif_bufs, gb0, staging, gstep):
    """One step of a LIF population with at most two exponential synapse ports (:func:`_update_lif_serial`
    on one thread, :func:`_update_lif_parallel` on more): per block, :func:`_lif_sweep`, then the events
    of the flagged units, the usual two in place and the rest by :func:`_lif_events`.

    ``rows``: the ports' rows in ``ps`` (-1: no port); ``pf_rows``: :func:`lif_port_factors`, with the
    per-step factors of :func:`lif_port_scales`; ``unit`` = (threshold, t_ref, refr_until, clamp);
    ``staging`` = (stage_t, stage_i, stage_n, block_status); ``factor``: :func:`lif_factors`, used when
    no port is conductance-based; ``lif_bufs`` = (flag rows, input-spread rows, zeros, v(t) rows) per
    global block: plain 2-D arrays, since taking a block's scratch tuple from a list cost one atomic
    reference-count update per array in it, ~0.5 us per step.
    """
    threshold, t_ref, refr_until, clamp = unit
    flag_rows, spread_rows, zeros_row, old_rows = lif_bufs
    stage_t, stage_i, stage_n, block_status = staging
    n_blocks, ns, blk = st.shape
    t_end = t + dt
    eps = 1e-9 * dt
    lo = t + eps
    hi = t_end - eps
    per_unit_stim = stim.shape[1] > 1
    pf = (pf_rows[0, 0], pf_rows[1, 0], pf_rows[0, 1], pf_rows[1, 1], pf_rows[0, 2], pf_rows[1, 2],
          pf_rows[0, 3], pf_rows[1, 3])
    for bi in prange(n_blocks):
        gb = gb0 + bi
        first = bi * blk
        m = min(blk, n - first)
        p = pr[bi]
        # 1-D views throughout: indices known to be >= 0 let LLVM drop numpy's negative-index
        # wraparound, and the loop vectorises
        v_row = st[bi, 0, :m]
        v_old = old_rows[gb, :m]
        flags = flag_rows[gb]
        zeros = zeros_row[:m]  # stands in for a missing port: stays zero
        stage_n[gb] = 0
        block_status[gb, 0] = K.OK
        g0 = ps[rows[0], first:first + m] if rows[0] >= 0 else zeros
        g1 = ps[rows[1], first:first + m] if rows[1] >= 0 else zeros
        inv_tau = p[0, :m]
        e_l = p[1, :m]
        inv_c = p[2, :m]
        gain = gains_p[first:first + m]
        phi = factor[first:first + m]
        refr = refr_until[first:first + m]
        clamps = clamp[first:first + m]
        thr = threshold[first:first + m]
        if per_unit_stim:
            src = stim[r0, first:first + m]
        elif uniform:
            src = stim[r0, :1]
        else:  # one input for all, but other parameters differ: spread it over the block
            src = spread_rows[gb, :m]
            s0 = stim[r0, 0]
            for k in range(m):
                src[k] = s0
        args = (m, src, g0, g1, pf, inv_tau, e_l, inv_c, gain, phi, p[3, 0], v_row, v_old, refr, clamps, thr, flags,
                dt, lo, hi, t_end)
        if uniform:
            if has_cond and euler:
                _sweep_cond_uniform_euler(*args)
            elif has_cond:
                _sweep_cond_uniform(*args)
            else:
                _sweep_cur_uniform(*args)
        elif has_cond and euler:
            _sweep_cond_euler(*args)
        elif has_cond:
            _sweep_cond(*args)
        else:
            _sweep_cur(*args)
        # events, unit by unit: the flagged units redo their step from v(t)
        # the flag rows are whole 64-byte lines, seen as groups of 8 words of 8 flags: skip 64 units at once
        # when none is flagged (usually so), then take the flagged bytes of each nonzero word, lowest first,
        # by their set bits. Constant and range indices, so no negative-index wraparound code.
        groups = flags.view(np.uint64).reshape((flags.shape[0] // 64, 8))
        spk_t = stage_t[gb]
        spk_i = stage_i[gb]
        cnt = stage_n[gb:gb + 1]
        failed = False
        for gi in range(groups.shape[0]):
            row = groups[gi]
            if (row[0] | row[1] | row[2] | row[3] | row[4] | row[5] | row[6] | row[7]) == 0:
                continue
            for j in range(8):
                word = row[j]
                while word != 0:
                    k = 64 * gi + 8 * j + trailing_zeros(word) // 8
                    word &= word - np.uint64(1)
                    u = first + k
                    aa, bb = _lif_drive(g0[k], g1[k], src[0] if uniform else src[k],
                                        inv_tau[k], e_l[k], inv_c[k], gain[k], pf, has_cond)
                    # the two usual events, without a call: refractoriness ending inside the step with no
                    # crossing after it, and one crossing followed by refractoriness to the step's end
                    # (the general case, and NaN, go to _lif_events)
                    r_end = refr[k]
                    if r_end > lo:
                        v = _lif_advance(clamps[k], aa, bb, t_end - r_end, euler)
                        if v < thr[k]:
                            v_row[k] = v
                            continue
                    else:
                        v0 = v_old[k]
                        v1 = _lif_advance(v0, aa, bb, dt, euler)
                        if v1 >= thr[k] and cnt[0] < spk_t.shape[0] and t + t_ref[u] >= hi:
                            # t_ref >= dt: a crossing anywhere in the step leaves the unit refractory to its end
                            _lif_fire(v0, v1, thr[k], t, dt, id_offset + u, u, p[3, k], t_ref, refr_until, clamp, spk_t,
                                      spk_i, cnt)
                            v_row[k] = p[3, k]
                            continue
                    v, got = _lif_events(v_old[k], aa, bb, p[3, k], t, t_end, eps, u, threshold, t_ref,
                                         refr_until, clamp, id_offset + u, spk_t, spk_i, cnt, euler)
                    v_row[k] = v
                    if got < 0:
                        block_status[gb, 0] = K.TOO_MANY_SPIKES
                        block_status[gb, 1] = u
                        block_status[gb, 3] = gstep
                        failed = True
                        break
                    if not math.isfinite(v):
                        block_status[gb, 0] = K.DIVERGED
                        block_status[gb, 1] = u
                        block_status[gb, 2] = 0
                        block_status[gb, 3] = gstep
                        failed = True
                        break
                if failed:
                    break
            if failed:
                break


@njit(cache=True, error_model="numpy", _nrt=False)
def _update_lif_serial(t, dt, st, pr, n, id_offset, stim, r0, ps, rows, pf_rows, has_cond, uniform, euler, gains_p,
                       unit, factor, lif_bufs, gb0, staging, gstep):
    """:func:`_lif_step` on one thread, compiled without numba's reference counting (``_nrt=False``): the
    step makes ~20 array views per block and allocates nothing, and each view otherwise costs two atomic
    reference-count updates. (The engine loop cannot be compiled so: it takes its arrays from lists,
    which need numba's runtime; those reference counts are ~6 % of a COBA run.)"""
    _lif_step(t, dt, st, pr, n, id_offset, stim, r0, ps, rows, pf_rows, has_cond, uniform, euler, gains_p, unit,
              factor, lif_bufs, gb0, staging, gstep)


@njit(cache=True, parallel=True, error_model="numpy")
def _update_lif_parallel(t, dt, st, pr, n, id_offset, stim, r0, ps, rows, pf_rows, has_cond, uniform, euler,
                         gains_p, unit, factor, lif_bufs, gb0, staging, gstep):
    """:func:`_lif_step` with the blocks shared among the threads. (On one thread the engine calls
    :func:`_update_lif_serial` instead: a parallel region costs ~1.3 us per call even with one thread,
    against ~3 us for the whole sweep over 4000 units.)"""
    _lif_step(t, dt, st, pr, n, id_offset, stim, r0, ps, rows, pf_rows, has_cond, uniform, euler, gains_p, unit,
              factor, lif_bufs, gb0, staging, gstep)


@njit(cache=True, error_model="numpy")
def lif_port_factors(dt, port_first, port_last, port_tau, port_erev, port_row, pf, rows):
    """Constants of a fused LIF population's (at most two) exponential ports, once per run: ``pf`` rows
    (the step's factor, set by :func:`lif_port_scales`; current mask; conductance mask; E_rev or 0;
    step-average factor tau (1 - exp(-dt/tau)) / dt) and ``rows`` (-1 where there is no port).
    Returns whether any port is a conductance."""
    has_cond = False
    rows[0], rows[1] = -1, -1
    for j in range(port_last - port_first):
        port = port_first + j
        tau = port_tau[port]
        erev = port_erev[port]
        pf[j, 4] = _step_average(dt, tau)
        rows[j] = port_row[port]
        if erev == erev:
            has_cond = True
            pf[j, 2] = 1.0
            pf[j, 3] = erev
        else:
            pf[j, 1] = 1.0
    return has_cond


@njit(cache=True, error_model="numpy", inline="always")
def _port_decay(n_steps, dt, tau):
    """exp(-n dt / tau): an exponential synapse's decay over n steps."""
    return exp(-n_steps * dt / tau)


@njit(cache=True, error_model="numpy", inline="always")
def _step_average(dt, tau):
    """tau (1 - exp(-dt/tau)) / dt: the mean over a step of exp(-s/tau), s in [0, dt] (the first-order
    methods see this average of an exponential synapse, so each step's charge is exact)."""
    return tau * (1.0 - exp(-dt / tau)) / dt


@njit(cache=True, error_model="numpy")
def lif_port_scales(dt, port_first, port_last, port_tau, port_row, port_nsince, port_renorm, port_inv, ps, pf):
    """The scaled exponential synapses of a fused LIF population, at the start of a step.

    Their variables are not decayed by rewriting every value each step (the sweep is bound by its store
    streams): the stored value G of a port stands for g = G exp(-j dt / tau), j = ``port_nsince`` steps
    since the port's last renormalisation. An arrival of weight w adds w exp(+j dt / tau)
    (``port_inv``); the sweep reads the step average g avg as G (avg exp(-j dt / tau)) (``pf[:, 0]``).
    Every ``port_renorm`` steps (about 100 tau: the factors stay within exp(+-100)) G becomes g and j
    restarts, at fixed steps of the simulation, so results do not depend on how a run is split.
    The evolution stays exact (exponential decay between arrivals); only the rounding differs from
    decaying each value every step (relative 1e-15 per step, measured against the generic path).
    """
    for jp in range(port_last - port_first):
        port = port_first + jp
        tau = port_tau[port]
        if port_nsince[port] >= port_renorm[port]:
            f = _port_decay(port_nsince[port], dt, tau)
            row = ps[port_row[port]]
            for k in range(row.shape[0]):
                row[k] *= f
            port_nsince[port] = 0
        pf[jp, 0] = pf[jp, 4] * _port_decay(port_nsince[port], dt, tau)
        port_inv[port] = _port_decay(-port_nsince[port], dt, tau)


@njit(cache=True, error_model="numpy")
def _enqueue(sid, arrival_step, count, seg_ptr, seg_delay, q, queue, q_n, n_slots):
    """Queue unit ``sid``'s direct synapse segments (one per delay and port) for delivery at their
    arrival steps: (segment, count) pairs in the slot's row of ``q``. When a row is full, ``q`` is
    doubled and the new array stored in ``queue[0]`` (kept across runs) and returned."""
    base = arrival_step % n_slots
    for seg in range(seg_ptr[sid], seg_ptr[sid + 1]):
        slot = base + seg_delay[seg]
        if slot >= n_slots:
            slot -= n_slots
        i = q_n[slot]
        if 2 * i + 2 > q.shape[1]:
            bigger = np.zeros((q.shape[0], 2 * q.shape[1]), dtype=np.int64)
            bigger[:, :q.shape[1]] = q
            queue[0] = bigger
            q = bigger
        q[slot, 2 * i] = seg
        q[slot, 2 * i + 1] = count
        q_n[slot] = i + 1
    return q


@njit(cache=True, error_model="numpy")
def _deliver(slot, q, q_n, seg_begin, seg_port, seg_weight, seg_wofs, d_target, d_weight, port_inv, dstate):
    """Add the weights of the segments arriving now straight to the scaled synaptic variables of the
    fused LIF populations (no ring-buffer row to read and clear in the neuron sweep). A segment of one
    weight (``seg_weight`` not NaN) reads no weight per synapse."""
    for i in range(q_n[slot]):
        seg = q[slot, 2 * i]
        f = q[slot, 2 * i + 1] * port_inv[seg_port[seg]]
        w = seg_weight[seg]
        if w == w:
            fw = f * w
            for syn in range(seg_begin[seg], seg_begin[seg + 1]):
                dstate[d_target[syn]] += fw
        else:
            ofs = seg_wofs[seg]
            for syn in range(seg_begin[seg], seg_begin[seg + 1]):
                dstate[d_target[syn]] += f * d_weight[ofs + syn]
    q_n[slot] = 0


@njit(cache=True, error_model="numpy")
def lif_uniform(pr, n, gains, threshold, stim):
    """Whether all units of a fused LIF population share parameters, input gain, threshold and input
    (then :func:`_lif_sweep` reads them once). The parameter blocks are compared value by value."""
    if stim.shape[1] > 1:
        return False
    n_blocks, n_par, blk = pr.shape
    for u in range(n):
        if gains[u] != gains[0] or threshold[u] != threshold[0]:
            return False
        for q in range(n_par):
            if pr[u // blk, q, u % blk] != pr[0, q, 0]:
                return False
    return True


@njit(cache=True, error_model="numpy")
def _local_list(items):
    """The arrays of a (non-empty) typed List in a numba list, for the time loop."""
    out = [items[0]]
    for i in range(1, len(items)):
        out.append(items[i])
    return out


def _engine_signature(npop):
    eqs = types.UniTuple(K.EQUATIONS, npop)
    resets = types.UniTuple(K.RESET, npop)
    return _I8(eqs, resets, _LT3, _LT3, _IV, _IV, _IV, _IV, _IV, _IV, _IV, _LV, _LV, _LV, _LV, _LV, _LM, _IV,
               _LM, _IV, _IV, _V, _V, _IV, _IV, _M,
               _IV, _I4V, _F4V, _U2V, _U2V, _M, _M, _M, _IV, _IV, _I4V,
               _IV, _IV, _IV,
               _IV, _IV, _V,
               _IV, _V, _LV, _IV,
               types.NumPyRandomGeneratorType("NumPyRandomGeneratorType"),
               _F8, _I8, _I8,
               _V, _IV, _IV, _IV,
               _IV, _IV, _IV, _LIV, _LM, _IV,
               _V, _I4V, _F4V, _IV, _IV, _IV, _IV, _V, _IV, _IV, _IV, _IV, _V, types.ListType(types.int64[:, ::1]), _IV)


@functools.lru_cache(maxsize=None)
def engine(npop: int):
    """The compiled engine for ``npop`` populations (one compilation per population count, cached on disk)."""
    return njit(_engine_signature(npop), cache=True, error_model="numpy")(_run_network)


def _run_network(eqs, resets, states, params, n_pop, methods, has_reset, fast, spike_index, id_offset, block_start,
                 thresholds, t_refs, refr_untils, clamps, gains, stims, stim_half,
                 port_states, port_pop_start, port_kind, port_tau, port_erev, port_row, port_ring_off, ring,
                 indptr, target, weight, delay, syn_proj, plast, stp_state, traces, in_ptr, in_syn, in_pre,
                 ev_step, ev_src, ev_pos,
                 psrc_first, psrc_count, psrc_rate,
                 pin_port, pin_weight, pin_lambda, pin_n,
                 rng, dt, step0, n_steps,
                 spk_t, spk_i, counters, status,
                 mon_pop, mon_var, mon_every, mon_ids, mon_out, mon_count,
                 dstate, d_target, d_weight, seg_ptr, seg_begin, seg_delay, seg_port, seg_weight, seg_wofs,
                 port_dbase, port_nsince, port_renorm, port_inv, queue, q_n):
    npop = n_pop.shape[0]
    n_slots = ring.shape[0]
    n_total = 0
    for pi in range(npop):
        n_total += n_pop[pi]
    capacity = spk_t.shape[0]
    half = 0.5 * dt
    # per-block scratch, allocated once (same tuple type for every block), and per-block spike staging
    scratches = [K.make_scratch(states[0].shape[1], params[0].shape[1], states[0].shape[2])]
    conds = [np.zeros((6, states[0].shape[2]))]
    gain_bs = [np.empty(states[0].shape[2])]
    noises = [np.zeros((states[0].shape[1], states[0].shape[2]))]
    max_blk = 1
    for pi in range(npop):
        max_blk = max(max_blk, states[pi].shape[2])
        for bi in range(states[pi].shape[0]):
            if pi == 0 and bi == 0:
                continue
            scratches.append(K.make_scratch(states[pi].shape[1], params[pi].shape[1], states[pi].shape[2]))
            conds.append(np.zeros((6, states[pi].shape[2])))
            gain_bs.append(np.empty(states[pi].shape[2]))
            noises.append(np.zeros((states[pi].shape[1], states[pi].shape[2])))
    n_all_blocks = block_start[npop]
    stage_t = np.empty((n_all_blocks, max_blk * K.MAX_SPIKES_PER_STEP))
    stage_i = np.empty((n_all_blocks, max_blk * K.MAX_SPIKES_PER_STEP), dtype=np.int64)
    stage_n = np.zeros(n_all_blocks, dtype=np.int64)
    block_status = np.zeros((n_all_blocks, 4), dtype=np.int64)
    xi_dummy = np.zeros((1, 1))
    lif_bufs = (np.zeros((n_all_blocks, 64 * ((max_blk + 63) // 64)), dtype=np.uint8), np.zeros((n_all_blocks, max_blk)),
                np.zeros(max_blk), np.zeros((n_all_blocks, max_blk)))
    lif_fac = [np.zeros(n_pop[0] if fast[0] > 0 else 0)]
    for pi in range(1, npop):
        lif_fac.append(np.zeros(n_pop[pi] if fast[pi] > 0 else 0))
    row_delay = row_delays(indptr, delay)
    lif_pf = np.zeros((npop, 2, 5))
    lif_rows = np.full((npop, 2), -1, dtype=np.int64)
    lif_cond = np.zeros(npop, dtype=np.bool_)
    lif_same = np.zeros(npop, dtype=np.bool_)
    for pi in range(npop):
        if fast[pi] > 0:
            lif_factors(params[pi], n_pop[pi], dt, methods[pi] == K.EULER, lif_fac[pi])
            lif_cond[pi] = lif_port_factors(dt, port_pop_start[pi], port_pop_start[pi + 1], port_tau, port_erev,
                                            port_row, lif_pf[pi], lif_rows[pi])
            lif_same[pi] = lif_uniform(params[pi], n_pop[pi], gains[pi], thresholds[pi], stims[pi])
    drive_curs = [np.zeros((3, n_pop[0]))]
    drive_conds = [np.zeros((6, n_pop[0]))]
    for pi in range(1, npop):
        drive_curs.append(np.zeros((3, n_pop[pi])))
        drive_conds.append(np.zeros((6, n_pop[pi])))
    # numba lists of the typed lists' arrays: an item costs ~1 ns there, ~15 ns in a typed List
    states_l = _local_list(states)
    params_l = _local_list(params)
    port_states_l = _local_list(port_states)
    stims_l = _local_list(stims)
    thresholds_l = _local_list(thresholds)
    t_refs_l = _local_list(t_refs)
    refr_untils_l = _local_list(refr_untils)
    clamps_l = _local_list(clamps)
    gains_l = _local_list(gains)
    mon_ids_l = _local_list(mon_ids)
    mon_out_l = _local_list(mon_out)
    qarr = queue[0]
    staging = (stage_t, stage_i, stage_n, block_status)
    for j in range(n_steps):
        gstep = step0 + j
        t = gstep * dt
        if counters[0] + n_total * K.MAX_SPIKES_PER_STEP + ev_step.shape[0] > capacity:
            status[0] = K.NEED_SPIKE_SPACE
            return j
        slot = gstep % n_slots
        # ---- the scaled synapses of fused LIF populations, then the direct synapses arriving now
        for pi in range(npop):
            if fast[pi] > 0:
                lif_port_scales(dt, port_pop_start[pi], port_pop_start[pi + 1], port_tau, port_row, port_nsince,
                                port_renorm, port_inv, port_states_l[pi], lif_pf[pi])
        if q_n[slot] > 0:
            _deliver(slot, qarr, q_n, seg_begin, seg_port, seg_weight, seg_wofs, d_target, d_weight, port_inv, dstate)
        # ---- Poisson input straight onto synapses: counts drawn per neuron and step
        for q in range(pin_port.shape[0]):
            port = pin_port[q]
            pi = 0
            while port >= port_pop_start[pi + 1]:
                pi += 1
            lam_arr = pin_lambda[q]
            lam = lam_arr[gstep] if lam_arr.shape[0] > 1 else lam_arr[0]
            if lam <= 0.0:
                continue
            off = port_ring_off[port]
            dbase = port_dbase[port]
            for k in range(n_pop[pi]):
                c = rng.poisson(lam)
                if c > 0:
                    if dbase >= 0:  # a fused LIF port: straight onto its scaled variable
                        dstate[dbase + k] += c * pin_weight[q] * port_inv[port]
                    else:
                        ring[slot, off + k] += c * pin_weight[q]
        for pi in range(npop):
            n = n_pop[pi]
            n_blocks = block_start[pi + 1] - block_start[pi]
            method = methods[pi]
            # methods that read the synaptic drive at the start, middle and end of the step
            staged = method == K.RK4 or method == K.EXPONENTIAL_MIDPOINT
            before = counters[0]
            gb0 = block_start[pi]
            if fast[pi] > 0:
                # a LIF population with exponential synapses: fused synapse + membrane step
                stim = stims_l[pi]
                r0 = K.stimulus_rows(gstep, stim.shape[0] == 1, stim_half[pi] == 1)[0]
                unit = (thresholds_l[pi], t_refs_l[pi], refr_untils_l[pi], clamps_l[pi])
                args = (t, dt, states_l[pi], params_l[pi], n, id_offset[pi], stim, r0, port_states_l[pi], lif_rows[pi],
                        lif_pf[pi], lif_cond[pi], lif_same[pi], method == K.EULER, gains_l[pi], unit, lif_fac[pi],
                        lif_bufs, gb0, staging, gstep)
                if fast[pi] == 1:
                    _update_lif_serial(*args)
                else:
                    _update_lif_parallel(*args)
            else:
                # ---- (1) arriving input, the synaptic drive over this step and the exact decay of the
                # synaptic variables to the step's end: one pass per synapse type. Methods of order 1 see
                # the step average of each synaptic current/conductance (the step's charge is exact);
                # RK4 and the exponential midpoint see its values at the start, middle and end of the step.
                st = states_l[pi]
                pr = params_l[pi]
                ps = port_states_l[pi]
                blk = st.shape[2]
                v_row = spike_index[pi]
                dc = drive_curs[pi]
                dg = drive_conds[pi]
                has_cond = False
                for q in range(6):
                    if staged or q == 0 or q == 3:
                        for k in range(n):
                            dg[q, k] = 0.0
                    if q < 3 and (staged or q == 0):
                        for k in range(n):
                            dc[q, k] = 0.0
                for port in range(port_pop_start[pi], port_pop_start[pi + 1]):
                    kind = port_kind[port]
                    row = port_row[port]
                    off = port_ring_off[port]
                    if kind == DELTA:  # a jump of the spike variable
                        for k in range(n):
                            w = ring[slot, off + k]
                            if w != 0.0:
                                st[k // blk, v_row, k % blk] += w
                                ring[slot, off + k] = 0.0
                        continue
                    tau = port_tau[port]
                    erev = port_erev[port]
                    conductance = erev == erev
                    has_cond = has_cond or conductance
                    out = dg if conductance else dc
                    ge = erev if conductance else 0.0  # conductances also add G * E_rev to rows 3-5
                    e_h = exp(-dt / tau)
                    e_half = exp(-half / tau)
                    avg = _step_average(dt, tau)
                    if kind == EXP:
                        if not staged:
                            for k in range(n):
                                g0 = ps[row, k] + ring[slot, off + k]
                                ring[slot, off + k] = 0.0
                                ga = g0 * avg
                                out[0, k] += ga
                                dg[3, k] += ga * ge
                                ps[row, k] = g0 * e_h
                        else:
                            for k in range(n):
                                g0 = ps[row, k] + ring[slot, off + k]
                                ring[slot, off + k] = 0.0
                                g_mid = g0 * e_half
                                g_end = g0 * e_h
                                out[0, k] += g0
                                out[1, k] += g_mid
                                out[2, k] += g_end
                                dg[3, k] += g0 * ge
                                dg[4, k] += g_mid * ge
                                dg[5, k] += g_end * ge
                                ps[row, k] = g_end
                    else:  # ALPHA: g(s) = (g + x s) e^{-s/tau}, x(s) = x e^{-s/tau}; a spike adds w e / tau to x
                        scale = E_CONST / tau
                        avg_x = (tau * tau * (1.0 - e_h) - tau * dt * e_h) / dt
                        for k in range(n):
                            x0 = ps[row + 1, k] + scale * ring[slot, off + k]
                            ring[slot, off + k] = 0.0
                            g0 = ps[row, k]
                            g_end = (g0 + x0 * dt) * e_h
                            if staged:
                                g_mid = (g0 + x0 * half) * e_half
                                out[0, k] += g0
                                out[1, k] += g_mid
                                out[2, k] += g_end
                                dg[3, k] += g0 * ge
                                dg[4, k] += g_mid * ge
                                dg[5, k] += g_end * ge
                            else:
                                ga = g0 * avg + x0 * avg_x
                                out[0, k] += ga
                                dg[3, k] += ga * ge
                            ps[row, k] = g_end
                            ps[row + 1, k] = x0 * e_h
                # ---- (2) neurons, block by block
                stim = stims_l[pi]
                const_stim = stim.shape[0] == 1
                per_unit_stim = stim.shape[1] > 1
                r0, r_mid, r1 = K.stimulus_rows(gstep, const_stim, stim_half[pi] == 1)
                _update_blocks(eqs[pi], resets[pi], has_reset[pi] == 1, method, t, dt, st, pr, n, id_offset[pi],
                               stim, r0, r_mid, r1, per_unit_stim, staged, dc, dg, has_cond, gains_l[pi], v_row,
                               thresholds_l[pi], t_refs_l[pi], refr_untils_l[pi], clamps_l[pi], scratches, conds, gain_bs,
                               noises, gb0, stage_t, stage_i, stage_n, block_status, gstep)
            # merge the blocks' spikes in block order (deterministic whatever the thread count)
            for bi in range(n_blocks):
                gb = gb0 + bi
                if block_status[gb, 0] != K.OK:
                    for q in range(4):
                        status[q] = block_status[gb, q]
                    status[1] += id_offset[pi]
                    return j
                for q in range(stage_n[gb]):
                    spk_t[counters[0]] = stage_t[gb, q]
                    spk_i[counters[0]] = stage_i[gb, q]
                    counters[0] += 1
            # ---- (4) propagate this population's new spikes
            for s in range(before, counters[0]):
                if indptr[spk_i[s] + 1] > indptr[spk_i[s]]:  # a call costs ~25 ns even for an empty row
                    _propagate(spk_i[s], spk_t[s], gstep + 1, 1.0, indptr, target, weight, delay, row_delay, ring,
                               n_slots, syn_proj, plast, stp_state, traces)
                qarr = _enqueue(spk_i[s], gstep + 1, 1, seg_ptr, seg_delay, qarr, queue, q_n, n_slots)
                if in_syn.shape[0] > 0:
                    _potentiate(spk_i[s], spk_t[s], in_ptr, in_syn, in_pre, weight, syn_proj, plast, traces)
        # ---- (5) spike sources: generators (given times) and Poisson sources
        while ev_pos[0] < ev_step.shape[0] and ev_step[ev_pos[0]] <= gstep:
            if ev_step[ev_pos[0]] == gstep:
                _propagate(ev_src[ev_pos[0]], (gstep + 1) * dt, gstep + 1, 1.0, indptr, target, weight, delay,
                           row_delay, ring, n_slots, syn_proj, plast, stp_state, traces)
                qarr = _enqueue(ev_src[ev_pos[0]], gstep + 1, 1, seg_ptr, seg_delay, qarr, queue, q_n, n_slots)
            ev_pos[0] += 1
        for g in range(psrc_first.shape[0]):
            lam = psrc_rate[g] * dt * 1e-3
            for src in range(psrc_first[g], psrc_first[g] + psrc_count[g]):
                c = rng.poisson(lam)
                if c > 0:
                    _propagate(src, (gstep + 1) * dt, gstep + 1, float(c), indptr, target, weight, delay, row_delay,
                               ring, n_slots, syn_proj, plast, stp_state, traces)
                    qarr = _enqueue(src, gstep + 1, c, seg_ptr, seg_delay, qarr, queue, q_n, n_slots)
        for pi in range(npop):  # the scaled synapses are one step older
            if fast[pi] > 0:
                for port in range(port_pop_start[pi], port_pop_start[pi + 1]):
                    port_nsince[port] += 1
        # ---- (6) monitors
        for mi in range(mon_pop.shape[0]):
            if (gstep + 1) % mon_every[mi] != 0:
                continue
            pi = mon_pop[mi]
            var = mon_var[mi]
            st = states_l[pi]
            blk = st.shape[2]
            ns = st.shape[1]
            ids = mon_ids_l[mi]
            out = mon_out_l[mi]
            scale = 1.0  # a fused LIF population's synaptic variables are stored scaled (lif_port_scales)
            if var >= ns and fast[pi] > 0:
                for port in range(port_pop_start[pi], port_pop_start[pi + 1]):
                    if port_row[port] == var - ns:
                        scale = _port_decay(port_nsince[port], dt, port_tau[port])
            row = mon_count[mi]
            if row < out.shape[0]:
                for jj in range(ids.shape[0]):
                    u = ids[jj]
                    if var < ns:
                        out[row, jj] = st[u // blk, var, u % blk]
                    else:
                        out[row, jj] = port_states_l[pi][var - ns, u] * scale
                mon_count[mi] = row + 1
    return n_steps
