"""Spike transport: a spike's way from its source to the synaptic variables of its targets.

Two tables carry spikes (see :mod:`neuroladder.network._engine` for when each is used):

* the CSR synapse table over global presynaptic ids, whose rows add their weights to a ring buffer of
  per-step arrival slots (:func:`propagate`), with Tsodyks-Markram short-term plasticity and pair-based
  STDP (:func:`potentiate`) per projection, from the plasticity table ``plast``;
* the direct table of the fused LIF populations: a spike queues its segments (one per delay and port;
  :func:`enqueue`, a spike queue as Brian2's) and at the arrival step their weights go straight into
  the (scaled) synaptic variables (:func:`deliver_part`).

Spike timing on the grid (as NEST): a spike emitted inside step s carries the stamp (s+1) dt and
reaches its targets at (s+1) dt + delay, i.e. it is added at the start of step s + 1 + delay_steps.
The ring (and the spike queue) therefore hold ``max_delay_steps + 2`` slots.
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit

from ..core._math import exp
from ..core._prefetch import prefetch

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
def propagate(sid, t_spike, arrival_slot_base, count, indptr, target, weight, delay, row_delay, ring, n_slots,
               syn_proj, plast, stp_state, traces):
    """Add the weights of unit ``sid``'s outgoing synapses to the ring slots of their arrival steps.

    Plastic projections (``syn_proj`` gives each synapse's projection, ``plast`` their rules):
    * short-term plasticity (Tsodyks-Markram, NEST's ``tsodyks2_synapse`` form): the release
      factor u x of (projection, presynaptic unit) is updated once per spike and scales the weights;
    * pair-based STDP: depression by the postsynaptic trace at the presynaptic spike, then the
      presynaptic trace (in ``traces``) is incremented. Potentiation happens at postsynaptic spikes
      (:func:`potentiate`).

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
def potentiate(sid, t_spike, in_ptr, in_syn, in_pre, weight, syn_proj, plast, traces):
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



@njit(cache=True, error_model="numpy", inline="always")
def port_decay(n_steps, dt, tau):
    """exp(-n dt / tau): an exponential synapse's decay over n steps."""
    return exp(-n_steps * dt / tau)


@njit(cache=True, error_model="numpy", inline="always")
def step_average(dt, tau):
    """tau (1 - exp(-dt/tau)) / dt: the mean over a step of exp(-s/tau), s in [0, dt] (the first-order
    methods see this average of an exponential synapse, so each step's charge is exact)."""
    return tau * (1.0 - exp(-dt / tau)) / dt


@njit(cache=True, error_model="numpy", inline="always")
def _queue_entry(slot, code, count, q, q_n):
    """Append (code, count) to the slot's row of the queue array ``q`` (the caller checked the room)."""
    i = q_n[slot]
    q[slot, 2 * i] = code
    q[slot, 2 * i + 1] = count
    q_n[slot] = i + 1


@njit(cache=True, error_model="numpy", inline="always")
def enqueue(sid, arrival_step, count, seg_ptr, seg_delay, unit_delay, delay_all, q, q_n, n_slots):
    """Queue unit ``sid``'s direct synapse segments (one per delay and port) for delivery at their arrival
    steps. When they share one delay (``unit_delay[sid]`` >= 0: :func:`row_delays` of the segments; the
    usual case), one entry (-1 - sid, count) stands for all of them, which :func:`deliver_part` expands,
    so that the spike costs no table read here (the segments are read by the delivering threads); when
    every unit's segments share the one delay ``delay_all`` (>= 0), not even ``unit_delay`` is read.
    Otherwise one (segment, count) entry per segment.

    Returns False, having queued nothing, when a row of ``q`` lacks room for the spike's entries: the
    caller then enlarges the queue (:func:`grow_queue`, which allocates; this allocates nothing, so that
    the time loop's hot phases can run without numba's runtime) and calls again."""
    base = arrival_step % n_slots
    d = delay_all if delay_all >= 0 else unit_delay[sid]
    width = q.shape[1] // 2
    if d >= 0:
        slot = base + d
        if slot >= n_slots:
            slot -= n_slots
        if q_n[slot] >= width:
            return False
        _queue_entry(slot, -1 - sid, count, q, q_n)
        return True
    # room in each row for the segments that go there: a unit's segments are sorted by delay
    # (_build._direct_table), and each run of one delay goes to one row (delays are below n_slots)
    seg, end = seg_ptr[sid], seg_ptr[sid + 1]
    while seg < end:
        run_end = seg + 1
        while run_end < end and seg_delay[run_end] == seg_delay[seg]:
            run_end += 1
        slot = base + seg_delay[seg]
        if slot >= n_slots:
            slot -= n_slots
        if q_n[slot] + (run_end - seg) > width:
            return False
        seg = run_end
    for seg in range(seg_ptr[sid], seg_ptr[sid + 1]):
        slot = base + seg_delay[seg]
        if slot >= n_slots:
            slot -= n_slots
        _queue_entry(slot, seg, count, q, q_n)
    return True


@njit(cache=True, error_model="numpy")
def grow_queue(queue, q):
    """The spike queue with twice the room per slot: a new array holding ``q``'s entries, stored in
    ``queue[0]`` (so it is kept across runs) and returned."""
    bigger = np.zeros((q.shape[0], 2 * q.shape[1]), dtype=np.int64)
    for r in range(q.shape[0]):  # (element by element: a slice assignment's error path compiles string
        for c in range(q.shape[1]):  # formatting, ~2 s of the loop's first compilation)
            bigger[r, c] = q[r, c]
    queue[0] = bigger
    return bigger


@njit(cache=True, error_model="numpy", inline="always")
def _entry_segments(code, seg_ptr):
    """The segments (first, last + 1) of a queue entry: one segment, or (code -1 - unit) all of a unit's."""
    return (code, code + 1) if code >= 0 else (seg_ptr[-1 - code], seg_ptr[-code])


@njit(cache=True, error_model="numpy", inline="always")
def deliver_part(part, slot, delivery):
    """Add the weights of part ``part`` (a range of targets) of every segment arriving now straight to the
    scaled synaptic variables of the fused LIF populations (no ring-buffer row to read and clear in the
    neuron sweep). A segment of one weight (``seg_weight`` not NaN) reads no weight per synapse.

    Each segment's synapses are split into parts by target (``seg_rows[seg, part]``: the first synapse
    of each part; one part per thread, the targets whose blocks that thread sweeps): parts touch disjoint
    targets, and each target receives its additions in the same order whatever the number of parts, so
    results do not depend on threads. ``delivery`` = (queue array, entries per slot, seg_ptr, seg_rows,
    seg_weight, target, weight, the ports' arrival factors, dstate); an entry is a segment or, coded
    -1 - unit, all of a unit's segments (:func:`enqueue`). The caller empties the slot (``q_n[slot] = 0``)
    once every part is delivered.

    Delivery is bound by memory latency, not by the additions: each entry leads through a chain of
    cache misses (its unit's segment range, the segments' rows, their targets), and one part's share of
    the additions is small. So the links of the entries ahead are prefetched (the range 6 entries on, the
    rows 3 on, the targets 1 on) while this one is added: 2-2.5x faster delivery at 64k neurons, on one
    thread or two. A segment's bounds, port and weight offset share one row of ``seg_rows``."""
    q, q_n, seg_ptr, seg_rows, seg_weight, d_target, d_weight, port_inv, dstate = delivery
    port_col = seg_rows.shape[1] - 2
    n = q_n[slot]
    for i in range(n):
        if i + 6 < n and q[slot, 2 * i + 12] < 0:
            prefetch(seg_ptr, -1 - q[slot, 2 * i + 12])
        if i + 3 < n:
            first, last = _entry_segments(q[slot, 2 * i + 6], seg_ptr)
            for seg in range(first, last):
                prefetch(seg_rows[seg], 0)
                prefetch(seg_weight, seg)
        if i + 1 < n:
            first, last = _entry_segments(q[slot, 2 * i + 2], seg_ptr)
            for seg in range(first, last):
                for syn in range(seg_rows[seg, part], seg_rows[seg, part + 1], 16):  # 16 targets: one line
                    prefetch(d_target, syn)
        count = q[slot, 2 * i + 1]
        first, last = _entry_segments(q[slot, 2 * i], seg_ptr)
        for seg in range(first, last):
            row = seg_rows[seg]
            f = count * port_inv[row[port_col]]
            w = seg_weight[seg]
            if w == w:
                fw = f * w
                for syn in range(row[part], row[part + 1]):
                    dstate[d_target[syn]] += fw
            else:
                ofs = row[port_col + 1]
                for syn in range(row[part], row[part + 1]):
                    dstate[d_target[syn]] += f * d_weight[ofs + syn]
