"""The typed records the network engine's time loop takes (``network._engine``).

``Network._build`` (through :mod:`neuroladder.network._build`) lays a network out once as these flat
arrays; ``Network.run`` adds the per-run inputs and monitors. Each record is a NamedTuple, which numba
passes as one struct: the loop takes about ten arguments instead of one per array, and a record's
fields are named where they are read.

The neurons' arrays are flat, all populations back to back (:class:`Populations`), so that their types do
not depend on the number of populations and the phases that run every step can be compiled without
numba's runtime (``_nrt=False``, which cannot read lists): there, reading an array from a list, a tuple
or a record costs an atomic reference-count update, which was a fifth of a CUBA step. The generic path,
the monitors and Python read the same memory per population through :class:`PopulationViews` (typed
lists of views). Everything else is indexed by global ids (neurons first, then spike sources), ports
(one per synapse type of a population) or projections.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
from numba import typed


class Populations(NamedTuple):
    """The neurons: flat arrays over all populations, and arrays over populations (``pi``)."""

    state: np.ndarray           # every population's state blocks (n_blocks, n_states, block), flat, back to back
    state_off: np.ndarray       # (n_pop,) where population pi's blocks start in ``state``
    params: np.ndarray          # the parameter blocks (n_blocks, n_params, block), flat, back to back
    param_off: np.ndarray       # (n_pop,)
    block: np.ndarray           # (n_pop,) units per block
    n_states: np.ndarray        # (n_pop,) state rows per block
    n_params: np.ndarray        # (n_pop,) parameter rows per block
    threshold: np.ndarray       # (n_neurons,) by global id: spike threshold (mV or the model's unit)
    t_ref: np.ndarray           # refractory period (ms)
    refr_until: np.ndarray      # end of the current refractory period (ms)
    clamp: np.ndarray           # value the spike variable is held at while refractory
    gain: np.ndarray            # input current -> d(spike variable)/dt
    lif_factor: np.ndarray      # fused LIF: factor of (a + b v) in a step (_lif_fused.lif_factors); else 0
    n: np.ndarray               # (n_pop,) neurons
    method: np.ndarray          # solver code (core._kernels)
    has_reset: np.ndarray       # 1 where the model resets after a spike
    fused: np.ndarray           # 1 where the population takes the fused LIF step, 0 the generic block update
    spike_index: np.ndarray     # the spike variable's state row
    id_offset: np.ndarray       # global id of unit 0
    block_start: np.ndarray     # (n_pop + 1,) first global block of each population
    lif_cond: np.ndarray        # fused LIF: 1 if a port is a conductance
    lif_uniform: np.ndarray     # fused LIF: 1 if all units share parameters, gain, threshold and input
    part_block: np.ndarray      # (n_pop, threads + 1): first block of each thread's part (core.blocks.thread_parts)


class PopulationViews(NamedTuple):
    """Per population ``pi``, views of :class:`Populations`' flat arrays (the generic path's blocks), and
    the synaptic variables."""

    states: typed.List          # (n_blocks, n_states, block)
    params: typed.List          # (n_blocks, n_params, block)
    thresholds: typed.List      # (n,)
    t_refs: typed.List
    refr_until: typed.List
    clamps: typed.List
    gains: typed.List
    port_states: typed.List     # (rows, n) synaptic variables (a fused LIF population's: views of DirectTable.dstate,
                                # at Ports.dbase)


class Inputs(NamedTuple):
    """Injected currents and Poisson input of one run."""

    stims: typed.List           # (T, 1 or n) current samples per population (T = 1: constant), views of:
    stim_data: np.ndarray       # all populations' samples, flat, back to back
    stim_off: np.ndarray        # (n_pop,) where population pi's samples start
    stim_cols: np.ndarray       # (n_pop,) 1 (one input for all units) or n
    stim_rows: np.ndarray       # (n_pop,) T
    stim_half: np.ndarray       # 1 where samples lie on the half-step grid
    stim_step0: int             # global step of sample row 0 (the run's first step)
    poisson_port: np.ndarray    # Poisson inputs: the port each feeds
    poisson_weight: np.ndarray
    poisson_lambda: typed.List  # expected count per neuron and step: (1,) constant or (steps,) over time


class Ports(NamedTuple):
    """Synapse types of the populations ("ports") and the ring buffer of arrivals (their variables:
    ``PopulationViews.port_states``)."""

    pop_start: np.ndarray       # (n_pop + 1,) first port of each population
    kind: np.ndarray            # network.synapses EXP / ALPHA / DELTA
    tau: np.ndarray             # ms
    erev: np.ndarray            # mV; NaN for a current synapse
    row: np.ndarray             # first row in the population's port states
    ring_off: np.ndarray        # column of unit 0 in the ring
    ring: np.ndarray            # (max_delay + 2, width): weights arriving per step slot
    dbase: np.ndarray           # fused LIF port: offset of its variables in DirectTable.dstate, else -1
    nsince: np.ndarray          # fused LIF port: steps since its scaled variables were renormalised
    renorm: np.ndarray          # fused LIF port: renormalise after this many steps
    inv: np.ndarray             # fused LIF port: factor of an arriving weight (exp(+j dt / tau))


class Synapses(NamedTuple):
    """The CSR synapse table over global presynaptic ids (generic path), with plasticity."""

    indptr: np.ndarray
    target: np.ndarray          # int32: ring column
    weight: np.ndarray          # float32
    delay: np.ndarray           # uint16: steps
    row_delay: np.ndarray       # a row's common delay, or -1 (_transport.row_delays)
    proj: np.ndarray            # uint16 projection per synapse; empty when nothing is plastic
    plast: np.ndarray           # (N_PLAST_ROWS, n_proj): _transport's rows
    stp_state: np.ndarray       # (3, n): u, x, time of the last spike
    traces: np.ndarray          # (2, n): STDP traces (value, time of last update)
    in_ptr: np.ndarray          # incoming STDP synapses per postsynaptic unit (CSC)
    in_syn: np.ndarray
    in_pre: np.ndarray


class DirectTable(NamedTuple):
    """Static synapses onto fused LIF populations, in segments (Network._direct_table), and their queue."""

    dstate: np.ndarray          # the fused populations' scaled synaptic variables, flat
    target: np.ndarray          # int32 index into dstate
    weight: np.ndarray          # float32, for segments of unequal weights
    seg_ptr: np.ndarray
    seg_rows: np.ndarray        # (segments, parts + 3): first synapse of each part (a target range) and the end,
                                # port, offset of the segment's weights in ``weight`` (one row: one cache line)
    seg_delay: np.ndarray
    unit_delay: np.ndarray      # per unit, the delay all its segments share, or -1 (_transport.enqueue)
    delay_all: int              # the delay every unit's segments share, or -1
    seg_weight: np.ndarray      # the segment's one weight, or NaN
    queue: typed.List           # [(slots, 2 * capacity)] (segment or -1 - unit, count) pairs per arrival slot
    queue_n: np.ndarray         # entries per slot


class Sources(NamedTuple):
    """Spike generators (given times, as steps) and Poisson sources."""

    event_step: np.ndarray
    event_source: np.ndarray
    event_pos: np.ndarray       # (1,) next event
    poisson_first: np.ndarray
    poisson_count: np.ndarray
    poisson_rate: np.ndarray    # Hz


class Monitors(NamedTuple):
    """State monitors of one run."""

    pop: np.ndarray
    var: np.ndarray             # state row, or n_states + port row for a synaptic variable
    every: np.ndarray           # steps between samples
    ids: typed.List
    out: typed.List             # (samples, ids)
    count: np.ndarray           # samples written


class SpikeBuffer(NamedTuple):
    """Spikes written by the loop; ``status`` <- (code, unit, variable, step) on an early return."""

    t: np.ndarray
    i: np.ndarray
    counters: np.ndarray        # (1,) spikes written
    status: np.ndarray          # (4,)


class Clock(NamedTuple):
    dt: float                   # ms
    step0: int                  # global step of the call's first step
    n_steps: int


class EnginePlan(NamedTuple):
    """What a network needs compiled: the time loop is specialised on it, so a run compiles only the
    phases it uses (e.g. no generic block update for an all-LIF network, no threads for one)."""

    n_pop: int
    generic: bool               # some population takes the generic block update
    fused: bool                 # some population takes the fused LIF step
    parallel: bool              # threads > 1
    poisson_input: bool         # the run has Poisson input onto synapses (Inputs.poisson_port)
    sources: bool               # the network has spike generators or Poisson sources
    monitors: bool              # the run has state monitors
    ring_synapses: bool         # the CSR synapse table (through the ring buffer) has synapses
    direct_synapses: bool       # the direct table (onto fused LIF populations) has synapses
