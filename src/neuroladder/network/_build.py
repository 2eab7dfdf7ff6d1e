"""A network laid out as the engine's records (:mod:`neuroladder.network._records`), once before its
first run: global ids, synapse ports, the synapse tables and the population arrays."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from numba import typed

from ..core import _kernels as K
from ..core.blocks import block_layout, thread_parts, to_blocks
from ..core.errors import ParameterError
from ..core.solvers import METHODS
from . import _transport as T
from ._lif_fused import lif_factors
from ._records import DirectTable, Populations, PopulationViews, Ports, Sources, Synapses
from .synapses import EXP

#: The direct table's per-synapse and per-segment arrays, for Network.memory_per_synapse
DIRECT_SYNAPSE_ARRAYS = ("target", "weight", "seg_rows", "seg_delay", "seg_weight")


@dataclass
class NetworkLayout:
    """What the engine runs: the records, plus the bookkeeping to read results back."""

    pops: list                  # Population objects, in population number order
    n_neurons: int
    populations: Populations
    views: PopulationViews      # per-population views of ``populations``
    ports: Ports
    synapses: Synapses
    direct: DirectTable
    sources: Sources
    equations: tuple            # each population's model equations (first-class function values)
    resets: tuple
    proj_slots: dict            # projection number -> its synapses' positions in the CSR table


def fused_lif(net, pop) -> bool:
    """Whether ``pop`` takes the engine's fused LIF step (same dynamics as the generic path, to rounding;
    several times faster): exactly ``nl.LIF`` integrated by exponential Euler or Euler, with at most two
    synapse ports, both exponential (e.g. one excitatory and one inhibitory synapse type), and only
    static synapses onto it (plastic ones go through the ring buffer's generic path)."""
    from ..neurons.lif import LIF

    return (type(pop.model) is LIF and METHODS[pop.method].code in (K.EXPONENTIAL_EULER, K.EULER)
            and len(pop.ports) <= 2 and all(syn.kind == EXP for syn in pop.ports)
            and not any(proj.post is pop and (proj.stp is not None or proj.stdp is not None)
                        for proj in net.projections))


def layout(net) -> NetworkLayout:
    """Lay ``net`` out for the engine (sets each population's ``id_offset``, ``port_base``, ``port_rows``
    and ``dstate_base``)."""
    pops = list(net.populations.values())
    if not pops:
        raise ParameterError("the network has no population; add one with net.add_population(...)")
    n_neurons, n_units = _number_units(pops, net.sources.values())
    fused = [fused_lif(net, pop) for pop in pops]
    ports, dstate_size = _ports(pops, fused, net.dt)
    plast, stp_state, traces = _plasticity(net.projections, ports.ring_off)
    ring_proj = [j for j, proj in enumerate(net.projections) if proj.post.dstate_base < 0]
    direct_proj = [j for j, proj in enumerate(net.projections) if proj.post.dstate_base >= 0]
    synapses, proj_slots, ring_delay = _synapse_table(net, ring_proj, ports.ring_off, plast, stp_state, traces,
                                                      n_units)
    blocks = [_thread_blocks(pop.n, net.threads) for pop in pops]
    direct, direct_delay = _direct_table(net, direct_proj, ports.dbase, n_units, _dstate_parts(pops, blocks,
                                                                                              dstate_size))
    max_delay = max(ring_delay, direct_delay)
    ring_width = int(sum(pop.n * len(pop.ports) for pop in pops))
    if ring_width >= np.iinfo(np.int32).max or dstate_size >= np.iinfo(np.int32).max:
        raise ParameterError("too many synaptic targets for 32-bit indices")
    ports = ports._replace(ring=np.zeros((max_delay + 2, max(ring_width, 1))))
    direct = direct._replace(queue=typed.List([np.zeros((max_delay + 2, 64), np.int64)]),
                             queue_n=np.zeros(max_delay + 2, np.int64))
    populations, views = _population_arrays(pops, fused, blocks, net.dt, ports, direct.dstate)
    return NetworkLayout(
        pops, n_neurons, populations, views, ports, synapses, direct, _sources(net.sources.values(), net.dt),
        tuple(pop.model.equations for pop in pops),
        tuple(pop.model.reset if pop.model.has_reset else K.no_reset for pop in pops), proj_slots)


def _number_units(pops, sources):
    """Global ids: neurons first (population by population), then spike sources."""
    offset = 0
    for pop in pops:
        pop.id_offset = offset
        offset += pop.n
    n_neurons = offset
    for src in sources:
        src.id_offset = offset
        offset += src.n
    return n_neurons, offset


def _ports(pops, fused, dt):
    """The port table (the ring is sized later; the synaptic variables are laid out by
    :func:`_population_arrays`). Fused LIF populations keep their exponential synaptic variables in one
    flat array, scaled (``_lif_fused.lif_port_scales``), and receive their synapses straight into it
    (``_transport.deliver_part``)."""
    kind, tau, erev, row_of, ring_off, pop_start = [], [], [], [], [], [0]
    ring_width = 0
    for pop in pops:
        row = 0
        pop.port_base = len(kind)
        for syn in pop.ports:
            kind.append(syn.kind)
            tau.append(syn.tau if math.isfinite(syn.tau) else 1.0)
            erev.append(np.nan if syn.e_rev is None else syn.e_rev)
            row_of.append(row)
            ring_off.append(ring_width)
            row += syn.rows
            ring_width += pop.n
        pop.port_rows = row
        pop_start.append(len(kind))
    dbase = np.full(len(kind), -1, np.int64)
    renorm = np.zeros(len(kind), np.int64)
    dstate_size = 0
    for i, pop in enumerate(pops):
        pop.dstate_base = dstate_size if fused[i] else -1
        if fused[i]:
            for q in range(len(pop.ports)):
                port = pop.port_base + q
                dbase[port] = dstate_size + row_of[port] * pop.n
                # renormalise every ~100 tau: the scale factors stay within exp(+-100)
                renorm[port] = max(1, int(100.0 * tau[port] / dt))
            dstate_size += max(pop.port_rows, 1) * pop.n
    ports = Ports(np.array(pop_start, np.int64), np.array(kind, np.int64), np.array(tau, float),
                  np.array(erev, float), np.array(row_of, np.int64), np.array(ring_off, np.int64), np.zeros((1, 1)),
                  dbase, np.zeros(len(kind), np.int64), renorm, np.ones(len(kind)))
    return ports, dstate_size


def port_of(proj) -> int:
    """The global number of the port (synapse type of the postsynaptic population) a projection feeds."""
    return proj.post.port_base + proj.post.ports.index(proj.synapse)


def _plasticity(projections, ring_off):
    """The plasticity table (``_transport``'s rows, a column per projection), the short-term plasticity
    state (u = U, x = 1, no previous spike: the first spike transmits w U; NEST's ``tsodyks2_synapse``
    instead counts from a spike at t = 0) and the STDP traces."""
    plast = np.zeros((T.N_PLAST_ROWS, max(len(projections), 1)))
    n_stp = n_traces = 0
    for j, proj in enumerate(projections):
        plast[T.PRE_FIRST, j] = proj.pre.id_offset
        if proj.stp is not None:
            plast[[T.STP_ON, T.STP_U, T.STP_TAU_REC, T.STP_TAU_FAC, T.STP_OFF], j] = (
                1.0, proj.stp.U, proj.stp.tau_rec, proj.stp.tau_facil, n_stp)
            n_stp += proj.pre.n
        if proj.stdp is not None:
            r = proj.stdp
            plast[[T.STDP_ON, T.A_PLUS, T.A_MINUS, T.TAU_PLUS, T.TAU_MINUS, T.W_MIN, T.W_MAX, T.MULT, T.PRE_OFF,
                   T.POST_OFF, T.POST_FIRST, T.POST_N, T.RING_OFF], j] = (
                1.0, r.a_plus, r.a_minus, r.tau_plus, r.tau_minus, r.w_min, r.w_max, float(r.multiplicative),
                n_traces, n_traces + proj.pre.n, proj.post.id_offset, proj.post.n, ring_off[port_of(proj)])
            n_traces += proj.pre.n + proj.post.n
    stp_state = np.zeros((3, max(n_stp, 1)))
    for j, proj in enumerate(projections):
        if proj.stp is not None:
            first = int(plast[T.STP_OFF, j])
            stp_state[:, first:first + proj.pre.n] = np.array([[proj.stp.U], [1.0], [-np.inf]])
    return plast, stp_state, np.zeros((2, max(n_traces, 1)))


def gather(net, proj_ids, port_base_index):
    """The synapses of projections ``proj_ids``, concatenated: global presynaptic ids, targets as indices of
    the table that ``port_base_index`` lays out (per port: the index of its unit 0), weights, delays
    (steps), ports and projection numbers."""
    cols = ([], [], [], [], [], [])
    for j in proj_ids:
        proj = net.projections[j]
        q, n_syn = port_of(proj), proj.n_synapses
        for col, values in zip(cols, (proj.pre.id_offset + proj.pre_idx, port_base_index[q] + proj.post_idx,
                                      proj.weight, proj.delay_steps.astype(np.int64),
                                      np.full(n_syn, q, np.int64), np.full(n_syn, j, np.int64))):
            col.append(values)
    return tuple(np.concatenate(col) for col in cols)


def _synapse_table(net, ring_proj, ring_off, plast, stp_state, traces, n_units):
    """The CSR table of the synapses through the ring buffer (onto populations of the generic path, and
    plastic ones), with each projection's synapse positions and the largest delay (steps)."""
    if not ring_proj:
        empty = Synapses(np.zeros(n_units + 1, np.int64), np.zeros(0, np.int32), np.zeros(0, np.float32),
                         np.zeros(0, np.uint16), np.full(n_units, -1, np.int64), np.zeros(0, np.uint16), plast,
                         stp_state, traces, np.zeros(n_units + 1, np.int64), np.zeros(0, np.int64),
                         np.zeros(0, np.int32))
        return empty, {}, 1
    plastic = bool(np.any(plast[T.STP_ON] > 0) or np.any(plast[T.STDP_ON] > 0))
    pre_g, tgt, w, d, _, proj_of = gather(net, ring_proj, ring_off)
    order = np.argsort(pre_g, kind="stable")
    delay = d[order].astype(np.uint16)
    proj_of = proj_of[order].astype(np.uint16)
    # where each projection's synapses went in the CSR order (to read weights back)
    slot_of = np.empty(order.size, np.int64)
    slot_of[order] = np.arange(order.size)
    bounds = np.cumsum([0] + [net.projections[j].n_synapses for j in ring_proj])
    proj_slots = {j: slot_of[bounds[r]:bounds[r + 1]] for r, j in enumerate(ring_proj)}
    # incoming STDP synapses of each postsynaptic unit (CSC), for potentiation at its spikes
    stdp_syn = np.flatnonzero(plast[T.STDP_ON, proj_of] > 0.0)
    post_g = np.concatenate([net.projections[j].post.id_offset + net.projections[j].post_idx
                             for j in ring_proj])[order][stdp_syn]
    by_post = np.argsort(post_g, kind="stable")
    in_syn = stdp_syn[by_post].astype(np.int64)
    indptr = np.concatenate([[0], np.cumsum(np.bincount(pre_g, minlength=n_units))]).astype(np.int64)
    table = Synapses(
        indptr, tgt[order].astype(np.int32), w[order].astype(np.float32), delay, T.row_delays(indptr, delay),
        proj_of if plastic else np.zeros(0, np.uint16), plast, stp_state, traces,
        np.concatenate([[0], np.cumsum(np.bincount(post_g, minlength=n_units))]).astype(np.int64), in_syn,
        pre_g[order][in_syn].astype(np.int32))
    return table, proj_slots, int(delay.max()) if delay.size else 1


def _thread_blocks(n, threads):
    """A population's blocks and their shares among the threads: (n_blocks, block, first block of each
    thread's part)."""
    nb, blk = block_layout(n, threads)
    return nb, blk, thread_parts(nb, threads)


def _dstate_parts(pops, blocks, dstate_size):
    """The part (thread) of each fused LIF synaptic variable in ``dstate``: the thread whose blocks hold its
    unit (``Populations.part_block``; ``blocks``: :func:`_thread_blocks` per population), so that it is
    written by delivery and read by the sweep on one core."""
    part = np.zeros(max(dstate_size, 1), np.int64)
    for pop, (nb, blk, part_block) in zip(pops, blocks):
        if pop.dstate_base >= 0:
            block_part = np.searchsorted(part_block, np.arange(nb), side="right") - 1
            rows = max(pop.port_rows, 1)
            part[pop.dstate_base:pop.dstate_base + rows * pop.n] = np.tile(block_part[np.arange(pop.n) // blk], rows)
    return part


def _direct_table(net, direct_proj, port_dbase, n_units, dstate_part):
    """The static synapses onto fused LIF populations, by presynaptic unit and, within a unit, by
    (delay, port): each run of equal (unit, delay, port) is a *segment*, queued as one entry when the
    unit spikes and delivered at its arrival step (a spike queue, as Brian2's, instead of a ring row).
    With threads, each segment's synapses are further split by target into one part per thread
    (``seg_rows``; ``dstate_part`` gives each target's), delivered in parallel by the thread that
    then sweeps those targets.

    A segment whose synapses all have one weight stores it once (``seg_weight``; NEST's
    ``static_synapse_hom_w``): delivery then reads no weight per synapse (~30 % faster) and the
    synapse costs its target index alone. Other segments keep their weights in ``weight`` from
    the segment's offset in ``seg_rows`` + syn (``seg_weight`` is NaN there). Returns the table (its queue is added by
    :func:`layout`) and the largest delay (steps)."""
    dstate = np.zeros(dstate_part.size)
    n_parts = max(1, net.threads)
    pre, tgt, w, d, port, _ = gather(net, direct_proj, port_dbase) if direct_proj else (np.zeros(0),) * 6
    if pre.size == 0:  # no projection, or only empty ones (e.g. p = 0)
        return DirectTable(dstate, np.zeros(0, np.int32), np.zeros(0, np.float32), np.zeros(n_units + 1, np.int64),
                           np.zeros((0, n_parts + 3), np.int64), np.zeros(0, np.int64), np.full(n_units, -1, np.int64),
                           -1, np.zeros(0), None, None), 1
    # within a (unit, delay, port) segment, synapses by part (a target range per thread), else as given:
    # each target then receives its additions in the same order for any number of parts
    part = dstate_part[tgt]
    order = np.lexsort((np.arange(pre.size), part, port, d, pre))
    pre, tgt, w, d, port, part = pre[order], tgt[order], w[order].astype(np.float32), d[order], port[order], part[order]
    starts = np.flatnonzero(np.r_[True, (pre[1:] != pre[:-1]) | (d[1:] != d[:-1]) | (port[1:] != port[:-1])])
    seg_begin = np.r_[starts, pre.size].astype(np.int64)
    seg_ptr = np.concatenate([[0], np.cumsum(np.bincount(pre[starts], minlength=n_units))]).astype(np.int64)
    seg_id = np.repeat(np.arange(starts.size), np.diff(seg_begin))
    per_part = np.bincount(seg_id * n_parts + part, minlength=starts.size * n_parts).reshape(starts.size, n_parts)
    seg_bounds = starts[:, None] + np.concatenate([np.zeros((starts.size, 1), np.int64),
                                                   np.cumsum(per_part, axis=1)], axis=1)
    # one weight per segment where its float32 weights are all equal (compared as stored)
    first_w = w[starts]
    homogeneous = np.bincount(seg_id, weights=(w != first_w[seg_id]), minlength=starts.size) == 0
    kept = ~homogeneous[seg_id]  # synapses whose weights stay per synapse
    n_kept_before = np.r_[0, np.cumsum(kept)][starts]  # kept weights of the segments before each one
    seg_delay = d[starts].astype(np.int64)
    seg_rows = np.column_stack([seg_bounds, port[starts], n_kept_before - starts]).astype(np.int64)
    unit_delay = T.row_delays(seg_ptr, seg_delay)
    has_segments = np.diff(seg_ptr) > 0
    one_delay = np.all(unit_delay[has_segments] == seg_delay[0])
    table = DirectTable(dstate, tgt.astype(np.int32), w[kept], seg_ptr, seg_rows, seg_delay, unit_delay,
                        int(seg_delay[0]) if one_delay else -1, np.where(homogeneous, first_w.astype(float), np.nan),
                        None, None)
    return table, int(d.max()) if d.size else 1


def _population_arrays(pops, fused, blocks, dt, ports, dstate):
    """The neurons' flat arrays (:class:`Populations`) and their per-population views with each
    population's synaptic variables (:class:`PopulationViews`; a fused LIF population's variables are a
    view into the flat ``dstate``), laid out in ``blocks`` (:func:`_thread_blocks` per population)."""
    state_blocks = [to_blocks(p.model.state_matrix(p.n, p.initial), nb, blk) for p, (nb, blk, _) in zip(pops, blocks)]
    param_blocks = [to_blocks(p.model.param_matrix(p.n), nb, blk) for p, (nb, blk, _) in zip(pops, blocks)]
    state, state_off, states = flat_views(state_blocks)
    params, param_off, param_views = flat_views(param_blocks)
    n_neurons = sum(p.n for p in pops)
    unit = {name: np.zeros(n_neurons) for name in ("threshold", "t_ref", "refr_until", "clamp", "gain", "lif_factor")}
    unit["refr_until"][:] = -np.inf
    offsets = [slice(p.id_offset, p.id_offset + p.n) for p in pops]
    port_states, block_start = [], [0]
    for pi, (pop, (nb, _, _), is_fused, ids) in enumerate(zip(pops, blocks, fused, offsets)):
        model, n = pop.model, pop.n
        block_start.append(block_start[-1] + nb)
        if not model.spikes:
            unit["threshold"][ids] = np.inf
        elif model.has_reset:
            unit["threshold"][ids] = np.asarray(model.threshold_at(dt), float)
        else:
            unit["threshold"][ids] = pop.spike_threshold
        unit["t_ref"][ids] = np.asarray(model.refractory_period(), float)
        unit["gain"][ids] = np.asarray(model.input_gain(n), dtype=float)
        if is_fused:
            lif_factors(param_views[pi], n, dt, METHODS[pop.method].code == K.EULER, unit["lif_factor"][ids])
        if pop.dstate_base >= 0:
            ps = dstate[pop.dstate_base:pop.dstate_base + max(pop.port_rows, 1) * n].reshape(-1, n)
        else:
            ps = np.zeros((max(pop.port_rows, 1), n))
        for q, values in pop.synapse_init.items():
            ps[ports.row[pop.port_base + q]] = values
        port_states.append(ps)
    per_pop = {
        "block": [b[1] for b in blocks], "n_states": [sb.shape[1] for sb in state_blocks],
        "n_params": [pb.shape[1] for pb in param_blocks],
        "n": [p.n for p in pops], "method": [METHODS[p.method].code for p in pops],
        "has_reset": [int(p.model.has_reset) for p in pops], "fused": [int(f) for f in fused],
        "spike_index": [p.model.spike_index for p in pops], "id_offset": [p.id_offset for p in pops],
        "block_start": block_start,
        "lif_cond": [int(f and any(syn.conductance for syn in p.ports)) for p, f in zip(pops, fused)],
        "lif_uniform": [0] * len(pops)}  # set per run: it depends on the run's input
    populations = Populations(state, state_off, params, param_off, **unit,
                              **{k: np.array(v, np.int64) for k, v in per_pop.items()},
                              part_block=np.array([b[2] for b in blocks]))
    views = PopulationViews(states, param_views, *(typed.List([unit[name][ids] for ids in offsets])
                                                   for name in ("threshold", "t_ref", "refr_until", "clamp", "gain")),
                            typed.List(port_states))
    return populations, views


def flat_views(arrays):
    """Arrays laid back to back in one flat array: (flat, (k,) start offsets, typed list of views of it
    with the arrays' shapes)."""
    off = np.cumsum([0] + [a.size for a in arrays])
    flat = np.empty(int(off[-1]))
    views = typed.List()
    for a, start in zip(arrays, off):
        view = flat[start:start + a.size].reshape(a.shape)
        view[...] = a
        views.append(view)
    return flat, off[:-1].astype(np.int64), views


def _sources(sources, dt):
    """Spike generators' events as (step, source) sorted by step, and the Poisson sources."""
    ev = [(np.rint(t / dt).astype(np.int64) - 1, np.full(t.size, s.id_offset + i, np.int64))
          for s in sources if s.kind == "generator" for i, t in enumerate(s.times)]
    if ev:
        ev_step = np.concatenate([e[0] for e in ev])
        ev_src = np.concatenate([e[1] for e in ev])
        order = np.lexsort((ev_src, ev_step))
        ev_step, ev_src = ev_step[order], ev_src[order]
    else:
        ev_step, ev_src = np.zeros(0, np.int64), np.zeros(0, np.int64)
    psrc = [s for s in sources if s.kind == "poisson"]
    return Sources(ev_step, ev_src, np.zeros(1, np.int64), np.array([s.id_offset for s in psrc], np.int64),
                   np.array([s.n for s in psrc], np.int64), np.array([s.rate for s in psrc], float))
