"""The fused LIF step: a LIF population with at most two exponential synapse ports, its synaptic
variables and its membranes advanced in one pass.

Its static synapses arrive through the direct table (:func:`neuroladder.network._transport.deliver_part`)
straight into the synaptic variables, which are stored scaled so that they decay without being
rewritten (:func:`lif_port_scales`). The neuron sweep (:func:`_lif_sweep`) then reads v, two synaptic
variables and the refractory end per unit and writes only v and a flag byte; flagged units redo their
step in the event pass. Same dynamics as the generic block update (``core._kernels.update_block``)
with exponential Euler or Euler, to rounding (tested), several times faster.
"""

from __future__ import annotations

import functools
import math

import numpy as np
from numba import config, njit, types
from numba.cpython.unsafe.numbers import trailing_zeros as _trailing_zeros_intrinsic

from ..core import _kernels as K
from ..core._math import EXPREL_SERIES_MAX, exprel_series, exprel_step
from ..neurons.lif import E_L, INV_C, INV_TAU, V_RESET, lif_drift
from ._transport import port_decay, step_average

_V = types.float64[::1]

if config.DISABLE_JIT:  # the pure-Python reference path: numba's intrinsic has no Python body
    def trailing_zeros(word):
        word = int(word)
        return (word & -word).bit_length() - 1
else:
    trailing_zeros = _trailing_zeros_intrinsic


@njit(cache=True, error_model="numpy", inline="always")
def _lif_advance(v0, a, b, h, euler, series_only=False):
    """v after h ms of dv/dt = a + b v from v0: exponential Euler (exact for frozen a, b) or forward Euler,
    ``core._kernels.advance_block``'s two first-order methods written for one LIF unit.

    ``series_only``: exponential Euler's factor from its series alone (the same Taylor sum as the
    :func:`exprel_step` of the generic path, accurate to rounding for |b h| < EXPREL_SERIES_MAX); the
    caller must flag larger |b h| for the event pass. The vectorised sweep then computes no exponential
    and no division."""
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
            out[bi * blk + k] = dt if euler else exprel_step(-pr[bi, INV_TAU, k], dt)


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


#: The sweep's signature, so that the step takes the sweep as a function value: one compiled step for
#: every variant, and only the variants a network uses are compiled.
SWEEP = types.FunctionType(types.void(
    types.int64, _V, _V, _V, types.UniTuple(types.float64, 8), _V, _V, _V, _V, _V, types.float64, _V, _V, _V, _V, _V,
    types.uint8[::1], types.float64, types.float64, types.float64, types.float64))


@functools.cache
def sweep_kernel(has_cond: bool, uniform: bool, euler: bool):
    """The sweep for one combination of the flags (forward Euler only matters with a conductance port:
    without one, both methods share ``phi``)."""
    return _sweep_kernel(bool(has_cond), bool(uniform), bool(euler) and bool(has_cond))


#: Length of the step's tuple of sweeps: one slot per combination of the flags (:func:`sweep_slot`), so
#: that its type, and with it the compiled step, is the same for any number of populations (a tuple with
#: one sweep per population would compile the step once per population count).
N_SWEEP_SLOTS = 8


@njit(cache=True, inline="always")
def sweep_slot(has_cond, uniform, euler):
    """The slot of the sweep for these flags in the step's tuple of sweeps (:func:`sweep_tuple`)."""
    return 4 * int(has_cond) + 2 * int(uniform) + int(euler and has_cond)


def sweep_tuple(flags) -> tuple:
    """The step's tuple of sweeps for the fused populations' (has_cond, uniform, euler) ``flags``: each
    variant used in its slot; the other slots hold one of those (never called there), so no unused variant
    is compiled. With no fused population, the plain sweep fills every slot."""
    used = {sweep_slot(*f): sweep_kernel(*f) for f in flags} or {0: sweep_kernel(False, False, False)}
    spare = next(iter(used.values()))
    return tuple(used.get(slot, spare) for slot in range(N_SWEEP_SLOTS))


def is_uniform(params, gains, threshold, stim) -> bool:
    """Whether all units of a fused LIF population share parameters (rows of ``params``, (n_params, n)),
    input gain, threshold and input (then the sweep reads each once)."""
    return (stim.shape[1] == 1 and bool(np.all(params == params[:, :1])) and bool(np.all(gains == gains[0]))
            and bool(np.all(threshold == threshold[0])))


@njit(cache=True, error_model="numpy", inline="always")
def _block_row(flat, start, row, blk, m):
    """The first ``m`` values of row ``row`` of a block stored flat from ``start`` (rows of ``blk`` values)."""
    at = start + row * blk
    return flat[at:at + m]


@njit(cache=True, error_model="numpy", inline="always")
def lif_step(sweep, t, dt, pops, pi, stim_row, dstate, rows, pf_rows, has_cond, uniform, euler, lif_bufs, staging,
             gstep, b_lo, b_hi):
    """One step of blocks ``b_lo`` .. ``b_hi`` of fused LIF population ``pi`` (all of them on one thread;
    with threads, each thread's part; ``network._engine._fused_part``): per block, :func:`_lif_sweep`,
    then the events of the flagged units, the usual two in place and the rest by :func:`_lif_events`.

    ``pops``: the flat :class:`~neuroladder.network._records.Populations`; ``stim_row``: this step's input
    row of the population (1 or n values); ``rows``: where the ports' variables start in ``dstate``
    (-1: no port); ``pf_rows``: :func:`lif_port_factors`, with the per-step factors of
    :func:`lif_port_scales`; ``staging`` = (stage_t, stage_i, stage_n, block_status); ``lif_bufs`` =
    (flag rows, input-spread rows, zeros, v(t) rows) per global block: plain 2-D arrays, since taking a
    block's scratch tuple from a list cost one atomic reference-count update per array in it, ~0.5 us
    per step. Every array is a 1-D slice of a flat one, and the caller is compiled without numba's
    reference counting (``_nrt=False``): the step makes ~20 views per block and allocates nothing, and
    each view would otherwise cost two atomic updates of the array's shared count (with threads, both
    cores updating the same counts).

    (About 120 lines with this docstring: the innermost per-block loop of the hot path, kept as one body
    so that the two common events are handled in place next to the sweep; the rare events are already
    their own function, :func:`_lif_events`.)
    """
    n, id_offset, blk, n_par = pops.n[pi], pops.id_offset[pi], pops.block[pi], pops.n_params[pi]
    ids = slice(id_offset, id_offset + n)
    threshold, t_ref, refr_until, clamp = pops.threshold[ids], pops.t_ref[ids], pops.refr_until[ids], pops.clamp[ids]
    gains_p, factor = pops.gain[ids], pops.lif_factor[ids]
    flag_rows, spread_rows, zeros_row, old_rows = lif_bufs
    stage_t, stage_i, stage_n, block_status = staging
    gb0 = pops.block_start[pi]
    t_end = t + dt
    eps = 1e-9 * dt
    lo = t + eps
    hi = t_end - eps
    per_unit_stim = stim_row.shape[0] > 1
    pf = (pf_rows[0, 0], pf_rows[1, 0], pf_rows[0, 1], pf_rows[1, 1], pf_rows[0, 2], pf_rows[1, 2],
          pf_rows[0, 3], pf_rows[1, 3])
    for bi in range(b_lo, b_hi):
        gb = gb0 + bi
        first = bi * blk
        m = min(blk, n - first)
        # 1-D views throughout: indices known to be >= 0 let LLVM drop numpy's negative-index
        # wraparound, and the loop vectorises. v is state row 0 of the block
        v_row = _block_row(pops.state, pops.state_off[pi] + bi * pops.n_states[pi] * blk, 0, blk, m)
        p_at = pops.param_off[pi] + bi * n_par * blk
        v_reset = _block_row(pops.params, p_at, V_RESET, blk, m)
        v_old = old_rows[gb, :m]
        flags = flag_rows[gb]
        zeros = zeros_row[:m]  # stands in for a missing port: stays zero
        stage_n[gb] = 0
        block_status[gb, 0] = K.OK
        g0 = dstate[rows[0] + first:rows[0] + first + m] if rows[0] >= 0 else zeros
        g1 = dstate[rows[1] + first:rows[1] + first + m] if rows[1] >= 0 else zeros
        inv_tau = _block_row(pops.params, p_at, INV_TAU, blk, m)
        e_l = _block_row(pops.params, p_at, E_L, blk, m)
        inv_c = _block_row(pops.params, p_at, INV_C, blk, m)
        gain = gains_p[first:first + m]
        phi = factor[first:first + m]
        refr = refr_until[first:first + m]
        clamps = clamp[first:first + m]
        thr = threshold[first:first + m]
        if per_unit_stim:
            src = stim_row[first:first + m]
        elif uniform:
            src = stim_row[:1]
        else:  # one input for all, but other parameters differ: spread it over the block
            src = spread_rows[gb, :m]
            s0 = stim_row[0]
            for k in range(m):
                src[k] = s0
        args = (m, src, g0, g1, pf, inv_tau, e_l, inv_c, gain, phi, v_reset[0], v_row, v_old, refr, clamps, thr, flags,
                dt, lo, hi, t_end)
        sweep(*args)
        # events, unit by unit: the flagged units redo their step from v(t)
        # the flag rows are whole 64-byte lines, seen as groups of 8 words of 8 flags: skip 64 units at once
        # when none is flagged (usually so), then take the flagged bytes of each nonzero word, lowest first,
        # by their set bits. (No reshape: its error path compiles numba's string formatting, ~2 s.)
        words = flags.view(np.uint64)
        spk_t = stage_t[gb]
        spk_i = stage_i[gb]
        cnt = stage_n[gb:gb + 1]
        failed = False
        for gi in range(words.shape[0] // 8):
            w0 = 8 * gi
            if (words[w0] | words[w0 + 1] | words[w0 + 2] | words[w0 + 3] | words[w0 + 4] | words[w0 + 5]
                    | words[w0 + 6] | words[w0 + 7]) == 0:
                continue
            for j in range(8):
                word = words[w0 + j]
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
                            _lif_fire(v0, v1, thr[k], t, dt, id_offset + u, u, v_reset[k], t_ref, refr_until, clamp, spk_t,
                                      spk_i, cnt)
                            v_row[k] = v_reset[k]
                            continue
                    v, got = _lif_events(v_old[k], aa, bb, v_reset[k], t, t_end, eps, u, threshold, t_ref,
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


@njit(cache=True, error_model="numpy")
def lif_port_factors(dt, port_first, port_last, port_tau, port_erev, port_dbase, pf, rows):
    """Constants of a fused LIF population's (at most two) exponential ports, once per run: ``pf`` rows
    (the step's factor, set by :func:`lif_port_scales`; current mask; conductance mask; E_rev or 0;
    step-average factor tau (1 - exp(-dt/tau)) / dt) and ``rows``: where each port's variables start
    in the flat ``DirectTable.dstate`` (``port_dbase``; -1 where there is no port).
    Returns whether any port is a conductance."""
    has_cond = False
    rows[0], rows[1] = -1, -1
    for j in range(port_last - port_first):
        port = port_first + j
        tau = port_tau[port]
        erev = port_erev[port]
        pf[j, 4] = step_average(dt, tau)
        rows[j] = port_dbase[port]
        if erev == erev:
            has_cond = True
            pf[j, 2] = 1.0
            pf[j, 3] = erev
        else:
            pf[j, 1] = 1.0
    return has_cond



@njit(cache=True, error_model="numpy")
def lif_port_scales(dt, port_first, port_last, port_tau, port_dbase, port_nsince, port_renorm, port_inv, dstate,
                    n, pf):
    """The scaled exponential synapses of a fused LIF population, at the start of a step.

    Their variables are not decayed by rewriting every value each step (the sweep is bound by its store
    streams): the stored value G of a port stands for g = G exp(-j dt / tau), j = ``port_nsince`` steps
    since the port's last renormalisation. An arrival of weight w adds w exp(+j dt / tau)
    (``port_inv``); the sweep reads the step average g avg as G (avg exp(-j dt / tau)) (``pf[:, 0]``).
    Every ``port_renorm`` steps (about 100 tau: the factors stay within exp(+-100)) G becomes g and j
    restarts, at fixed steps of the simulation, so results do not depend on how a run is split.
    The evolution stays exact (exponential decay between arrivals); only the rounding differs from
    decaying each value every step (relative 1e-15 per step, measured against the generic path).
    Ports ``port_first`` .. ``port_last`` are the population's; each port's ``n`` variables (one per
    unit) start at ``port_dbase[port]`` in the flat ``dstate``.
    """
    for jp in range(port_last - port_first):
        port = port_first + jp
        tau = port_tau[port]
        if port_nsince[port] >= port_renorm[port]:
            f = port_decay(port_nsince[port], dt, tau)
            first = port_dbase[port]  # the port's n variables in the flat dstate
            for k in range(first, first + n):
                dstate[k] *= f
            port_nsince[port] = 0
        pf[jp, 0] = pf[jp, 4] * port_decay(port_nsince[port], dt, tau)
        port_inv[port] = port_decay(-port_nsince[port], dt, tau)
