"""The network engine: one numba loop over time steps for all populations and projections.

Each step runs these phases, each a function named after it:

1. :func:`_scale_fused_ports` — the fused LIF populations' scaled synapses are brought to the step;
   :func:`_fused_part` delivers the direct synapse segments arriving now into them
   (``_transport.deliver_part``) and steps the fused LIF populations (:mod:`neuroladder.network._lif_fused`);
   with threads, each thread does this for its own part of every population, in one parallel region
   (:func:`_fused_parts`). :func:`_poisson_input` draws Poisson input straight onto the synapses;
2. per population on the generic path, the membranes: :func:`_synaptic_drive` (the ring buffer's
   arrivals and the synaptic currents and conductances over the step, from the closed-form
   evolution of the synaptic variables) then :func:`_blocks_serial` / :func:`_blocks_parallel`
   (:func:`neuroladder.core._kernels.update_block`, the same step and event handling as
   ``nl.simulate``);
3. :func:`_merge_spikes` — the blocks' spikes, in block order (so results do not depend on threads);
4. :func:`_ring_spikes` and :func:`_queue_spikes` — each new spike walks its rows of the synapse tables
   (:mod:`neuroladder.network._transport`);
5. :func:`_source_spikes` — spike generators and Poisson sources emit;
6. :func:`_sample_monitors`.

The loop (:func:`engine`) is compiled for an :class:`~neuroladder.network._records.EnginePlan`: the
phases a network does not use are not compiled (an all-LIF network on one thread compiles neither
the generic block update nor any parallel code; one without inputs, sources or monitors none of
theirs), which is most of the first run's compile time. The phases that run every step are compiled
without numba's reference counting (see the note above :func:`_scale_fused_ports`).
"""

from __future__ import annotations

import functools

import numpy as np
from numba import config, njit, prange, typeof, types

from ..core import _kernels as K
from ..core._compile import compile_notice
from ..core._math import exp
from ._lif_fused import N_SWEEP_SLOTS, SWEEP, lif_port_factors, lif_port_scales, lif_step, sweep_slot
from ._records import EnginePlan
from ._transport import deliver_part, enqueue, grow_queue, port_decay, potentiate, propagate, step_average
from .synapses import ALPHA, DELTA, EXP

E_CONST = float(np.e)


def _blocks_body(equations, reset, noise, has_reset, method, t, dt, st, pr, n, id_offset, stim, rows, per_unit_stim,
                 staged, dc, dg, has_cond, gains_p, v_row, unit, work, gb0, gstep):
    """Advance one population's blocks (in parallel over blocks in :func:`_blocks_parallel`).

    ``noise`` = ``core._kernels.no_noise`` as a function value (networks integrate no noise): update_block
    then has the types ``nl.simulate`` gives it, so a process running both compiles it once, not twice.

    ``rows`` = the stimulus rows at the step's start, middle and end; ``dc``/``dg``: the synaptic
    currents/conductances from :func:`_synaptic_drive`; ``unit`` = (threshold, t_ref, refr_until,
    clamp); ``work`` = :func:`_block_scratch` and :func:`_staging`. Blocks touch disjoint units; each writes its spikes to its
    own staging row, merged afterwards in block order, so results do not depend on the number of threads.
    """
    threshold, t_ref, refr_until, clamp = unit
    scratches, conds, gain_bs, noises, xi_none, stage_t, stage_i, stage_n, block_status = work
    r0, r_mid, r1 = rows
    n_blocks, ns, blk = st.shape
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
        K.update_block(equations, reset, noise, has_reset, np.bool_(False), method, t, dt, st[bi], pr[bi], m, first,
                       id_offset, cur0, cur_mid, cur1, v_row, gain_b, cond, has_cond, threshold, t_ref,
                       refr_until, clamp, xi_none, noises[gb], scratch, stage_t[gb], stage_i[gb],
                       stage_n[gb:gb + 1], block_status[gb], gstep)


# One body, two compilations: a parallel region costs ~1.3 us per call even on one thread, and
# parallel code takes several times longer to compile, so one-thread runs use the serial one.
_blocks_serial = njit(cache=True, error_model="numpy")(_blocks_body)
_blocks_parallel = njit(cache=True, parallel=True, error_model="numpy")(_blocks_body)


@njit(cache=True, error_model="numpy", inline="always")
def _staging(pops):
    """Per-block spike staging, allocated once per engine call: (stage_t, stage_i, stage_n, block_status)."""
    npop = pops.n.shape[0]
    max_blk = max(1, pops.block.max())
    n_all_blocks = pops.block_start[npop]
    stage_t = np.empty((n_all_blocks, max_blk * K.MAX_SPIKES_PER_STEP))
    stage_i = np.empty((n_all_blocks, max_blk * K.MAX_SPIKES_PER_STEP), dtype=np.int64)
    stage_n = np.zeros(n_all_blocks, dtype=np.int64)
    block_status = np.zeros((n_all_blocks, 4), dtype=np.int64)
    return stage_t, stage_i, stage_n, block_status


@njit(cache=True, error_model="numpy", inline="always")
def _block_scratch(pops):
    """The generic path's per-block scratch (one tuple type for every block), allocated once per engine
    call: (scratches, conds, gain_bs, noises, xi_none); ``xi_none`` is update_block's noise input, unused
    (networks integrate no noise)."""
    ns, n_par, blk = pops.n_states, pops.n_params, pops.block
    scratches = [K.make_scratch(ns[0], n_par[0], blk[0])]
    conds = [np.zeros((6, blk[0]))]
    gain_bs = [np.empty(blk[0])]
    noises = [np.zeros((ns[0], blk[0]))]
    for pi in range(pops.n.shape[0]):
        for bi in range(pops.block_start[pi + 1] - pops.block_start[pi]):
            if pi == 0 and bi == 0:
                continue
            scratches.append(K.make_scratch(ns[pi], n_par[pi], blk[pi]))
            conds.append(np.zeros((6, blk[pi])))
            gain_bs.append(np.empty(blk[pi]))
            noises.append(np.zeros((ns[pi], blk[pi])))
    return scratches, conds, gain_bs, noises, np.zeros((1, 1))


@njit(cache=True, error_model="numpy", inline="always")
def _fused_constants(pops, ports, dt):
    """Per-run constants of the fused LIF populations: (port factors, port rows, flag and input-spread
    buffers per global block) (see :func:`_lif_fused.lif_step`)."""
    npop = pops.n.shape[0]
    max_blk = max(1, pops.block.max())
    n_all_blocks = pops.block_start[npop]
    lif_bufs = (np.zeros((n_all_blocks, 64 * ((max_blk + 63) // 64)), dtype=np.uint8),
                np.zeros((n_all_blocks, max_blk)), np.zeros(max_blk), np.zeros((n_all_blocks, max_blk)))
    port_factors = np.zeros((npop, 2, 5))
    port_rows = np.full((npop, 2), -1, dtype=np.int64)
    for pi in range(npop):
        if pops.fused[pi] > 0:
            lif_port_factors(dt, ports.pop_start[pi], ports.pop_start[pi + 1], ports.tau, ports.erev, ports.dbase,
                             port_factors[pi], port_rows[pi])
    return port_factors, port_rows, lif_bufs


# The phases below that run every step are compiled without numba's reference counting (``_nrt=False``)
# and not inlined into the time loop: there, each array read from a tuple, a record or a list, each view
# and each tuple built costs an atomic reference-count update on the array's shared count (a fifth of a
# CUBA step). They allocate nothing and read the flat arrays of the records, not lists (which need
# numba's runtime); only compiled code calls them, so they have no Python wrapper either.

@njit(cache=True, error_model="numpy", _nrt=False, no_cpython_wrapper=True, no_cfunc_wrapper=True)
def _scale_fused_ports(pops, ports, dstate, port_factors, dt):
    """Phase 1: the fused LIF populations' scaled synapses brought to this step (the queued direct
    synapse segments arriving now are then delivered into them: :func:`_fused_part`)."""
    for pi in range(pops.n.shape[0]):
        if pops.fused[pi] > 0:
            lif_port_scales(dt, ports.pop_start[pi], ports.pop_start[pi + 1], ports.tau, ports.dbase, ports.nsince,
                            ports.renorm, ports.inv, dstate, pops.n[pi], port_factors[pi])


@njit(cache=True, error_model="numpy", _nrt=False, no_cpython_wrapper=True, no_cfunc_wrapper=True)
def _fused_part(part, sweep_now, sweeps, pops, stim, port_rows, port_factors, lif_bufs, staging, delivery, t, dt, slot,
                gstep, stim_step):
    """One thread's part of a step of the fused LIF populations (all of it on one thread): delivery of the
    direct synapses onto its targets (``delivery`` = :func:`_transport.deliver_part`'s argument), then, if
    ``sweep_now`` (an int64, 0 or 1), the step of its blocks of each fused population
    (``Populations.part_block``), with the population's sweep from its slot of ``sweeps``. The targets it
    delivers to are the units it sweeps, so parts never touch the same data and each synaptic variable
    stays in one core's cache. ``stim`` = the flat input samples of ``Inputs``: (stim_data,
    stim_off, stim_cols, stim_rows, stim_half), sampled from the run's first step: ``stim_step`` = the
    step's number within the run."""
    deliver_part(part, slot, delivery)
    if sweep_now == 0:
        return
    stim_data, stim_off, stim_cols, stim_rows, stim_half = stim
    dstate = delivery[-1]
    for pi in range(pops.n.shape[0]):
        if pops.fused[pi] > 0:
            cols = stim_cols[pi]
            at = stim_off[pi] + cols * K.stimulus_rows(stim_step, stim_rows[pi] == 1, stim_half[pi] == 1)[0]
            has_cond, uniform, euler = pops.lif_cond[pi] == 1, pops.lif_uniform[pi] == 1, pops.method[pi] == K.EULER
            lif_step(sweeps[sweep_slot(has_cond, uniform, euler)], t, dt, pops, pi, stim_data[at:at + cols], dstate,
                     port_rows[pi], port_factors[pi], has_cond, uniform, euler, lif_bufs, staging, gstep,
                     pops.part_block[pi, part], pops.part_block[pi, part + 1])


@njit(cache=True, parallel=True, error_model="numpy")
def _fused_parts(sweep_now, sweeps, pops, stim, port_rows, port_factors, lif_bufs, staging, delivery, t, dt, slot,
                 gstep, stim_step):
    """:func:`_fused_part` of every thread, in one parallel region per step (a region costs a few us of
    launch and barrier, against ~30 us for a 64k-neuron step on each of two threads)."""
    for part in prange(pops.part_block.shape[1] - 1):
        # prange's index is unsigned: as int64, the part has the type of the one-thread call (one compilation)
        _fused_part(np.int64(part), sweep_now, sweeps, pops, stim, port_rows, port_factors, lif_bufs, staging,
                    delivery, t, dt, slot, gstep, stim_step)


@njit(cache=True, error_model="numpy", inline="always")
def _poisson_input(pops, inputs, ports, direct, rng, slot, gstep):
    """Phase 1: Poisson input straight onto synapses, counts drawn per neuron and step."""
    for q in range(inputs.poisson_port.shape[0]):
        port = inputs.poisson_port[q]
        pi = 0
        while port >= ports.pop_start[pi + 1]:
            pi += 1
        lam_arr = inputs.poisson_lambda[q]
        lam = lam_arr[gstep] if lam_arr.shape[0] > 1 else lam_arr[0]
        if lam <= 0.0:
            continue
        off = ports.ring_off[port]
        dbase = ports.dbase[port]
        w = inputs.poisson_weight[q]
        for k in range(pops.n[pi]):
            c = rng.poisson(lam)
            if c > 0:
                if dbase >= 0:  # a fused LIF port: straight onto its scaled variable
                    direct.dstate[dbase + k] += c * w * ports.inv[port]
                else:
                    ports.ring[slot, off + k] += c * w


@njit(cache=True, error_model="numpy", inline="always")
def _add_staged(out, dg, k, g0, g_mid, g_end, ge):
    """Unit ``k``'s synaptic current or conductance at the start, middle and end of the step into ``out``
    rows 0-2, and (conductances, ``ge`` = E_rev; 0 for currents) conductance x E_rev into ``dg`` rows 3-5."""
    out[0, k] += g0
    out[1, k] += g_mid
    out[2, k] += g_end
    dg[3, k] += g0 * ge
    dg[4, k] += g_mid * ge
    dg[5, k] += g_end * ge


@njit(cache=True, error_model="numpy")
def _synaptic_drive(pi, n, ports, ps, st, v_row, slot, dt, staged, dc, dg):
    """Phase 2 (generic path): the ring buffer's arrivals onto population ``pi``, its synaptic drive over
    the step, and the exact evolution of its synaptic variables ``ps`` to the step's end. One pass per
    synapse type. Methods of order 1 see the step average of each synaptic current/conductance (the
    step's charge is exact); RK4 and the exponential midpoint (``staged``) its values at the start,
    middle and end of the step. ``dc`` rows: currents at those times; ``dg`` rows 0-2: conductances,
    3-5: conductance x E_rev. Returns whether a port is a conductance."""
    ring = ports.ring
    blk = st.shape[2]
    half = 0.5 * dt
    has_cond = False
    for q in range(6):
        if staged or q == 0 or q == 3:
            for k in range(n):
                dg[q, k] = 0.0
        if q < 3 and (staged or q == 0):
            for k in range(n):
                dc[q, k] = 0.0
    for port in range(ports.pop_start[pi], ports.pop_start[pi + 1]):
        kind = ports.kind[port]
        row = ports.row[port]
        off = ports.ring_off[port]
        if kind == DELTA:  # a jump of the spike variable
            for k in range(n):
                w = ring[slot, off + k]
                if w != 0.0:
                    st[k // blk, v_row, k % blk] += w
                    ring[slot, off + k] = 0.0
            continue
        tau = ports.tau[port]
        erev = ports.erev[port]
        conductance = erev == erev
        has_cond = has_cond or conductance
        out = dg if conductance else dc
        ge = erev if conductance else 0.0  # conductances also add G * E_rev to rows 3-5
        e_h = exp(-dt / tau)
        e_half = exp(-half / tau)
        avg = step_average(dt, tau)
        if kind == EXP:
            for k in range(n):
                g0 = ps[row, k] + ring[slot, off + k]
                ring[slot, off + k] = 0.0
                g_end = g0 * e_h
                if staged:
                    _add_staged(out, dg, k, g0, g0 * e_half, g_end, ge)
                else:
                    ga = g0 * avg
                    out[0, k] += ga
                    dg[3, k] += ga * ge
                ps[row, k] = g_end
        elif kind == ALPHA:  # g(s) = (g + x s) e^{-s/tau}, x(s) = x e^{-s/tau}; a spike adds w e / tau to x
            scale = E_CONST / tau
            avg_x = (tau * tau * (1.0 - e_h) - tau * dt * e_h) / dt
            for k in range(n):
                x0 = ps[row + 1, k] + scale * ring[slot, off + k]
                ring[slot, off + k] = 0.0
                g0 = ps[row, k]
                g_end = (g0 + x0 * dt) * e_h
                if staged:
                    _add_staged(out, dg, k, g0, (g0 + x0 * half) * e_half, g_end, ge)
                else:
                    ga = g0 * avg + x0 * avg_x
                    out[0, k] += ga
                    dg[3, k] += ga * ge
                ps[row, k] = g_end
                ps[row + 1, k] = x0 * e_h
    return has_cond


@njit(cache=True, error_model="numpy", _nrt=False, no_cpython_wrapper=True, no_cfunc_wrapper=True)
def _merge_spikes(block_first, block_end, id_offset, staging, spk_t, spk_i, counters, status):
    """Phase 3: a population's staged spikes (its global blocks ``block_first`` .. ``block_end``), in block
    order, into the spike buffer. Returns False (with ``status`` set) if a block failed."""
    stage_t, stage_i, stage_n, block_status = staging
    for gb in range(block_first, block_end):
        if block_status[gb, 0] != K.OK:
            for q in range(4):
                status[q] = block_status[gb, q]
            status[1] += id_offset
            return False
        c = counters[0]
        for q in range(stage_n[gb]):
            spk_t[c + q] = stage_t[gb, q]
            spk_i[c + q] = stage_i[gb, q]
        counters[0] = c + stage_n[gb]
    return True


@njit(cache=True, error_model="numpy", _nrt=False, no_cpython_wrapper=True, no_cfunc_wrapper=True)
def _ring_spikes(first, spikes, syn, ports, gstep):
    """Phase 4, the CSR table: spikes ``first`` .. the buffer's end (this step's of one population) add
    their synapses' weights to the ring buffer; STDP synapses are depressed, and potentiated at
    postsynaptic spikes."""
    spk_t, spk_i, n_spikes = spikes.t, spikes.i, spikes.counters[0]
    indptr, target, weight, delay, row_delay = syn.indptr, syn.target, syn.weight, syn.delay, syn.row_delay
    proj, plast, stp_state, traces = syn.proj, syn.plast, syn.stp_state, syn.traces
    ring = ports.ring
    n_slots = ring.shape[0]
    stdp = syn.in_syn.shape[0] > 0
    for s in range(first, n_spikes):
        sid = spk_i[s]
        if indptr[sid + 1] > indptr[sid]:  # a call costs ~25 ns even for an empty row
            propagate(sid, spk_t[s], gstep + 1, 1.0, indptr, target, weight, delay, row_delay, ring, n_slots, proj,
                      plast, stp_state, traces)
        if stdp:
            potentiate(sid, spk_t[s], syn.in_ptr, syn.in_syn, syn.in_pre, weight, proj, plast, traces)


@njit(cache=True, error_model="numpy", _nrt=False, no_cpython_wrapper=True, no_cfunc_wrapper=True)
def _queue_spikes(first, spikes, segments, q, queue_n, gstep):
    """Phase 4, the direct table: spikes ``first`` .. the buffer's end queue their segments for delivery
    (:func:`_transport.enqueue`) in the queue array ``q``; ``segments`` = (seg_ptr, seg_delay,
    unit_delay, delay_all) of the DirectTable (not the record: its queue list needs numba's runtime).
    Returns the index of the first spike not queued, for want of room (the buffer's end when all were)."""
    spk_i, n_spikes = spikes.i, spikes.counters[0]
    seg_ptr, seg_delay, unit_delay, delay_all = segments
    for s in range(first, n_spikes):
        if not enqueue(spk_i[s], gstep + 1, 1, seg_ptr, seg_delay, unit_delay, delay_all, q, queue_n, q.shape[0]):
            return s
    return n_spikes


@njit(cache=True, error_model="numpy", inline="always")
def _emit(src, count, t_spike, syn, ports, direct, q, gstep):
    """One source's spike(s) at the end of step ``gstep`` into both tables. Returns the queue array
    (enlarged if it lacked room)."""
    n_slots = ports.ring.shape[0]
    propagate(src, t_spike, gstep + 1, count, syn.indptr, syn.target, syn.weight, syn.delay, syn.row_delay,
              ports.ring, n_slots, syn.proj, syn.plast, syn.stp_state, syn.traces)
    while not enqueue(src, gstep + 1, int(count), direct.seg_ptr, direct.seg_delay, direct.unit_delay,
                      direct.delay_all, q, direct.queue_n, n_slots):
        q = grow_queue(direct.queue, q)
    return q


@njit(cache=True, error_model="numpy", inline="always")
def _source_spikes(sources, syn, ports, direct, q, rng, dt, gstep):
    """Phase 5: spike generators (given times) and Poisson sources. Returns the queue array (see
    :func:`_emit`)."""
    pos = sources.event_pos
    t_spike = (gstep + 1) * dt
    while pos[0] < sources.event_step.shape[0] and sources.event_step[pos[0]] <= gstep:
        if sources.event_step[pos[0]] == gstep:
            q = _emit(sources.event_source[pos[0]], 1.0, t_spike, syn, ports, direct, q, gstep)
        pos[0] += 1
    for g in range(sources.poisson_first.shape[0]):
        lam = sources.poisson_rate[g] * dt * 1e-3
        for src in range(sources.poisson_first[g], sources.poisson_first[g] + sources.poisson_count[g]):
            c = rng.poisson(lam)
            if c > 0:
                q = _emit(src, float(c), t_spike, syn, ports, direct, q, gstep)
    return q


@njit(cache=True, error_model="numpy", _nrt=False, no_cpython_wrapper=True, no_cfunc_wrapper=True)
def _age_fused_ports(fused_of, ports):
    """End of a step: the fused LIF populations' scaled synapses are one step older."""
    for pi in range(fused_of.shape[0]):
        if fused_of[pi] > 0:
            for port in range(ports.pop_start[pi], ports.pop_start[pi + 1]):
                ports.nsince[port] += 1


@njit(cache=True, error_model="numpy", inline="always")
def _sample_monitors(monitors, pops, ports, states, port_states, dt, gstep):
    """Phase 6: the monitors due after step ``gstep``. A fused LIF population's synaptic variables are
    stored scaled (:func:`_lif_fused.lif_port_scales`) and unscaled here."""
    for mi in range(monitors.pop.shape[0]):
        if (gstep + 1) % monitors.every[mi] != 0:
            continue
        pi = monitors.pop[mi]
        var = monitors.var[mi]
        st = states[pi]
        blk = st.shape[2]
        ns = st.shape[1]
        ids = monitors.ids[mi]
        out = monitors.out[mi]
        scale = 1.0
        if var >= ns and pops.fused[pi] > 0:
            for port in range(ports.pop_start[pi], ports.pop_start[pi + 1]):
                if ports.row[port] == var - ns:
                    scale = port_decay(ports.nsince[port], dt, ports.tau[port])
        row = monitors.count[mi]
        if row < out.shape[0]:
            for jj in range(ids.shape[0]):
                u = ids[jj]
                if var < ns:
                    out[row, jj] = st[u // blk, var, u % blk]
                else:
                    out[row, jj] = port_states[pi][var - ns, u] * scale
            monitors.count[mi] = row + 1


@njit(cache=True, error_model="numpy")
def _local_list(items):
    """The arrays of a (non-empty) typed List in a numba list, for the time loop."""
    out = [items[0]]
    for i in range(1, len(items)):
        out.append(items[i])
    return out


def _make_loop(plan: EnginePlan):
    """The time loop for one plan. The plan's flags are constants of the closure: numba prunes the
    branches they rule out before typing, so the phases a network does not use are not compiled (for
    CUBA, sources, Poisson input and monitors were 8 of the loop's 15 s). (The closure holds only these
    booleans, taken from the plan by name: numba's disk cache keys a closure on its cell contents, and a compiled
    function there would change the key in every process. For the same reason the fused LIF sweeps come
    in as function values, ``sweeps``, not as functions named in the loop.)"""
    generic, fused, parallel, poisson_input = plan.generic, plan.fused, plan.parallel, plan.poisson_input
    sources_emit, monitored = plan.sources, plan.monitors
    ring_synapses, direct_synapses = plan.ring_synapses, plan.direct_synapses

    def time_loop(equations, resets, noise, sweeps, pops, views, inputs, ports, syn, direct, sources, monitors, spikes,
                  rng, clock):
        """``clock.n_steps`` steps from global step ``clock.step0``; returns the steps completed (fewer, with
        ``spikes.status`` set, when the spike buffer needs room or a unit failed).

        (About 110 lines: each phase is its own function; this body is their calls in order, each behind
        the plan flag that prunes it. What the fused path's steps read is taken from the records once,
        before the loop, and passed whole to the phases: here, compiled with numba's runtime, each field
        read, list item or tuple built would cost a reference-count update every step. The generic path
        still reads its population's arrays per step, a small cost beside its block update.)"""

        npop = pops.n.shape[0]
        dt = clock.dt
        n_slots = ports.ring.shape[0]
        n_total = 0
        for pi in range(npop):
            n_total += pops.n[pi]
        staging = _staging(pops)
        if generic:
            work = _block_scratch(pops) + staging
            drive_cur = [np.zeros((3, pops.n[0]))]
            drive_cond = [np.zeros((6, pops.n[0]))]
            for pi in range(1, npop):
                drive_cur.append(np.zeros((3, pops.n[pi])))
                drive_cond.append(np.zeros((6, pops.n[pi])))
        # numba lists of the typed lists' arrays (generic path, monitors): an item costs ~1 ns there, ~15 ns
        # in a typed List
        if generic or monitored:
            states = _local_list(views.states)
            port_states = _local_list(views.port_states)
        if generic:
            params = _local_list(views.params)
            stims = _local_list(inputs.stims)
            thresholds = _local_list(views.thresholds)
            t_refs = _local_list(views.t_refs)
            refr_until = _local_list(views.refr_until)
            clamps = _local_list(views.clamps)
            gains = _local_list(views.gains)
        port_factors, port_rows, lif_bufs = _fused_constants(pops, ports, dt)
        # the fused part's flags as run-time integers: literal arguments (0, True) would make numba compile
        # it once more per literal value
        part0 = np.int64(0)
        sweep_after_delivery = np.int64(0 if poisson_input else 1)
        sweep_again = np.int64(1)
        stim = (inputs.stim_data, inputs.stim_off, inputs.stim_cols, inputs.stim_rows, inputs.stim_half)
        counters = spikes.counters
        capacity = spikes.t.shape[0] - n_total * K.MAX_SPIKES_PER_STEP - sources.event_step.shape[0]
        queue_n = direct.queue_n
        n_of, method_of, fused_of, id_offset_of = pops.n, pops.method, pops.fused, pops.id_offset
        block_start, stim_half, stim_step0 = pops.block_start, inputs.stim_half, inputs.stim_step0
        spk_t, spk_i, status = spikes.t, spikes.i, spikes.status
        dstate = direct.dstate
        q = direct.queue[0]  # the spike queue's array, replaced when it grows
        q_width = q.shape[1]
        segments = (direct.seg_ptr, direct.seg_delay, direct.unit_delay, direct.delay_all)
        delivery = (q, queue_n, direct.seg_ptr, direct.seg_rows, direct.seg_weight, direct.target, direct.weight,
                    ports.inv, dstate)
        for j in range(clock.n_steps):
            gstep = clock.step0 + j
            stim_step = gstep - stim_step0  # the input is sampled from the run's first step
            t = gstep * dt
            if counters[0] > capacity:
                status[0] = K.NEED_SPIKE_SPACE
                return j
            slot = gstep % n_slots
            if fused:  # delivery and the fused populations' step (one parallel region with threads)
                _scale_fused_ports(pops, ports, dstate, port_factors, dt)
                # (arguments passed one by one: a tuple of them would cost reference counts every step)
                if parallel:
                    _fused_parts(sweep_after_delivery, sweeps, pops, stim, port_rows, port_factors, lif_bufs,
                                 staging, delivery, t, dt, slot, gstep, stim_step)
                else:
                    _fused_part(part0, sweep_after_delivery, sweeps, pops, stim, port_rows, port_factors, lif_bufs,
                                staging, delivery, t, dt, slot, gstep, stim_step)
                queue_n[slot] = 0
            if poisson_input:  # drawn in order on one thread, after delivery
                _poisson_input(pops, inputs, ports, direct, rng, slot, gstep)
                if fused:  # delivered: this pass only steps the fused populations
                    if parallel:
                        _fused_parts(sweep_again, sweeps, pops, stim, port_rows, port_factors, lif_bufs, staging,
                                     delivery, t, dt, slot, gstep, stim_step)
                    else:
                        _fused_part(part0, sweep_again, sweeps, pops, stim, port_rows, port_factors, lif_bufs, staging,
                                    delivery, t, dt, slot, gstep, stim_step)
            for pi in range(npop):
                before = counters[0]
                if generic and fused_of[pi] == 0:
                    method = method_of[pi]
                    stim_p = stims[pi]
                    unit = (thresholds[pi], t_refs[pi], refr_until[pi], clamps[pi])
                    # methods that read the synaptic drive at the start, middle and end of the step
                    staged = method == K.RK4 or method == K.EXPONENTIAL_MIDPOINT
                    st = states[pi]
                    v_row = pops.spike_index[pi]
                    has_cond = _synaptic_drive(pi, n_of[pi], ports, port_states[pi], st, v_row, slot, dt, staged,
                                               drive_cur[pi], drive_cond[pi])
                    rows = K.stimulus_rows(stim_step, stim_p.shape[0] == 1, stim_half[pi] == 1)
                    args = (equations[pi], resets[pi], noise, pops.has_reset[pi] == 1, method, t, dt, st, params[pi],
                            n_of[pi], id_offset_of[pi], stim_p, rows, stim_p.shape[1] > 1, staged, drive_cur[pi],
                            drive_cond[pi], has_cond, gains[pi], v_row, unit, work, block_start[pi], gstep)
                    if parallel:
                        _blocks_parallel(*args)
                    else:
                        _blocks_serial(*args)
                if not _merge_spikes(block_start[pi], block_start[pi + 1], id_offset_of[pi], staging, spk_t, spk_i,
                                     counters, status):
                    return j
                if counters[0] > before:  # the tables a network does not use are not compiled
                    if ring_synapses:
                        _ring_spikes(before, spikes, syn, ports, gstep)
                    if direct_synapses:
                        s = _queue_spikes(before, spikes, segments, q, queue_n, gstep)
                        while s < counters[0]:
                            q = grow_queue(direct.queue, q)
                            s = _queue_spikes(s, spikes, segments, q, queue_n, gstep)
            if sources_emit:
                q = _source_spikes(sources, syn, ports, direct, q, rng, dt, gstep)
            if direct_synapses or sources_emit:
                if q.shape[1] != q_width:  # the queue grew: deliver from its new array
                    q_width = q.shape[1]
                    delivery = (q,) + delivery[1:]
            if fused:
                _age_fused_ports(fused_of, ports)
            if monitored:
                _sample_monitors(monitors, pops, ports, states, port_states, dt, gstep)
        return clock.n_steps

    return time_loop


#: First-compile estimates (s, 2-core machine) for the notice shown while the loop compiles.
_COMPILE_ESTIMATE_S = {"base": 10, "generic": 25, "parallel": 25, "sources": 5, "poisson_input": 3}


def engine(plan: EnginePlan, args: tuple):
    """The time loop compiled for ``plan`` and the types of ``args`` (the loop's arguments; one
    compilation per plan and argument types, cached on disk). With ``NUMBA_DISABLE_JIT=1`` the plain
    Python loop: the reference path, which the tests compare with the compiled one."""
    if config.DISABLE_JIT:
        return _make_loop(plan)
    signature = types.int64(types.UniTuple(K.EQUATIONS, plan.n_pop), types.UniTuple(K.RESET, plan.n_pop), K.NOISE,
                            types.UniTuple(SWEEP, N_SWEEP_SLOTS), *(typeof(a) for a in args[4:]))
    return _engine(plan, signature)


@functools.cache
def _engine(plan, signature):
    estimate = _COMPILE_ESTIMATE_S["base"] + sum(_COMPILE_ESTIMATE_S[key] * getattr(plan, key)
                                                 for key in ("generic", "parallel", "sources", "poisson_input"))
    with compile_notice(estimate):
        loop = _make_loop(plan)
        return njit(signature, cache=True, error_model="numpy")(loop)
