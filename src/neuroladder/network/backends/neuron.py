"""``backend="neuron"``: the network on NEURON's ParallelContext, cells spread over MPI ranks by gid.

Run a network written with ``net.to_sonata(DIR)`` on R ranks::

    mpirun -n R python -m neuroladder.mpi_run DIR

Every rank reads the same files; cell ``gid`` (the built-in engine's global unit number) lives on rank
``gid % R`` (round robin); each synapse is made on the rank of its target through
``ParallelContext.gid_connect``; spikes are gathered on rank 0 into the usual ``NetworkResult``.

Counterparts (NMODL mechanisms shipped in ``nmodl/``, compiled with NEURON's ``nrnivmodl`` on first use
into ``~/.cache/neuroladder/nrn``; needs a C compiler):

==========================================  ==========================================================
neuroladder                                 NEURON
==========================================  ==========================================================
``LIF`` + <= 2 ``ExpSynapse`` (one kind)    point process ``LIFExp`` (``lifexp.mod``: same equations)
``TraubMiles`` / ``HodgkinHuxley`` +       one-compartment section of 20000 um^2 with the density
conductance ``ExpSynapse``                  mechanism ``TraubMilesNL`` (``traubmiles.mod``) or
                                            ``HodgkinHuxleyNL`` (``hodgkinhuxley.mod``) and one
                                            built-in ``ExpSyn`` per synapse type (g' = -g/tau, a spike
                                            adds w, i = g (v - e): nl.ExpSynapse's equations); weights
                                            mS/cm^2 -> uS by the area; spikes are upward crossings of
                                            the population's ``spike_threshold`` (a NetCon threshold)
spike generator                             ``SpikeRelay`` (``spikerelay.mod``) fed one event per spike
                                            time (NetCon.event after finitialize; the wheel has no
                                            VecStim)
Poisson source / ``add_poisson_input``      built-in ``NetStim`` with noise = 1 (a Poisson process),
                                            one Random123 stream per (gid, input, seed): the same spikes
                                            on any number of ranks, but not the built-in engine's draws
constant / ``Step`` current                 ``LIFExp``'s own current terms; ``IClamp`` for sections
==========================================  ==========================================================

Refused with a ParameterError: other models, alpha and delta kernels, current-based synapses onto
HH-type cells, plasticity (STP, STDP), time-varying Poisson rates, other currents, recordings.
NEURON's fixed step (Crank-Nicolson here, ``secondorder = 2``) reports a threshold crossing at the end
of its step (the built-in engine interpolates inside it), so single spikes agree within dt and chaotic
networks agree in their statistics.
"""

from __future__ import annotations

import hashlib
import math
import os
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from ...core.errors import NeuroLadderError, ParameterError
from ...core.stimulus import Constant, Step
from ..result import NetworkResult
from . import backend_seed, layout

_MODS = sorted((Path(__file__).with_name("nmodl")).glob("*.mod"))

#: the one-compartment section of an HH-type cell: 20000 um^2, the COBAHH benchmark's cell (Brette et
#: al. 2007), also the NEST backend's; per-area values scale by it, the dynamics do not depend on it
HH_AREA_UM2 = 20000.0
#: mS/cm^2 (neuroladder's per-area synaptic conductance) -> uS (NEURON's ExpSyn) on that section
_MS_PER_CM2_TO_US = HH_AREA_UM2 * 1e-8 * 1e3
#: uA/cm^2 (neuroladder's HH current density) -> nA (NEURON's IClamp) on that section
_UA_PER_CM2_TO_NA = HH_AREA_UM2 * 1e-8 * 1e3
#: gid streams of the Random123 generators: a Poisson source's own stream, then one per Poisson input
_SOURCE_STREAM = 0


def _h():
    try:
        from neuron import h
    except ImportError:
        raise NeuroLadderError("backend='neuron' needs NEURON: pip install 'neuroladder[neuron]'") from None
    return h


@dataclass
class _Plan:
    """What check_network decided per population: its kind ("lif", "hh") and current terms."""

    kind: dict = field(default_factory=dict)
    currents: dict = field(default_factory=dict)


def check_network(net) -> _Plan:
    """Refuse what the NEURON backend has no counterpart for; returns the per-population plan."""
    from ...neurons import LIF, HodgkinHuxley, TraubMiles
    from ..synapses import EXP

    plan = _Plan()
    for name, pop in net.populations.items():
        if type(pop.model) is LIF:
            if len(pop.ports) > 2 or any(s.kind != EXP for s in pop.ports):
                raise ParameterError(f"backend='neuron': population {name!r} needs at most two exponential synapse "
                                     f"types (nl.ExpSynapse); it has {[type(s).__name__ for s in pop.ports]}")
            if len({s.conductance for s in pop.ports}) > 1:
                raise ParameterError(f"backend='neuron': population {name!r} mixes current- and conductance-based "
                                     f"synapses; LIFExp takes one kind")
            plan.kind[name] = "lif"
        elif type(pop.model) in (TraubMiles, HodgkinHuxley):
            for s in pop.ports:
                if s.kind != EXP or not s.conductance:
                    raise ParameterError(
                        f"backend='neuron': population {name!r} ({type(pop.model).__name__}) has a "
                        f"{type(s).__name__}{'' if s.conductance else ' without e_rev'}; HH-type cells take "
                        f"conductance-based exponential synapses (nl.ExpSynapse(tau, e_rev=...), NEURON's ExpSyn) only")
            plan.kind[name] = "hh"
        else:
            raise ParameterError(f"backend='neuron': population {name!r} is a {type(pop.model).__name__}; the "
                                 f"NEURON backend maps nl.LIF (mechanism LIFExp), nl.TraubMiles (TraubMilesNL) and "
                                 f"nl.HodgkinHuxley (HodgkinHuxleyNL) only")
    for proj in net.projections:
        if proj.stp is not None or proj.stdp is not None:
            raise ParameterError("backend='neuron': plastic synapses (STP, STDP) are not mapped to NEURON")
    for post, _syn, rate, _w, _n in net.poisson_inputs:
        if callable(rate):
            raise ParameterError(f"backend='neuron': the Poisson input to {post.name!r} has a time-varying rate; "
                                 f"only constant rates are mapped (NetStim with noise = 1)")
    if net.monitors:
        raise ParameterError("backend='neuron': recordings are not mapped; spikes are returned")
    for name, pop in net.populations.items():
        stim = pop.current
        if stim is None:
            plan.currents[name] = {}
        elif isinstance(stim, Constant):
            plan.currents[name] = {"i_base": stim.amplitude}
        elif isinstance(stim, Step) and stim.amplitude.ndim == 0 and stim.baseline.ndim == 0:
            plan.currents[name] = {"i_amp": float(stim.amplitude), "i_base": float(stim.baseline),
                                   "i_start": stim.start, "i_stop": min(stim.stop, 1e300)}
        else:
            raise ParameterError(f"backend='neuron': population {name!r} has a current {stim!r}; mapped are "
                                 f"constant currents and nl.Step with one amplitude")
    return plan


def load_mechanisms(pc=None):
    """Compile the shipped .mod files with nrnivmodl once (rank 0; the others wait) and load them."""
    h = _h()
    if hasattr(h, "LIFExp") and hasattr(h, "SpikeRelay"):
        return
    digest = hashlib.sha1(b"".join(m.name.encode() + m.read_bytes() for m in _MODS)).hexdigest()[:12]
    where = Path(os.environ.get("NEUROLADDER_CACHE", Path.home() / ".cache" / "neuroladder")) / "nrn" / digest
    lib = where / "x86_64" / ".libs" / "libnrnmech.so"
    alt = where / "x86_64" / "libnrnmech.so"
    rank = int(pc.id()) if pc is not None else 0
    if rank == 0 and not (lib.exists() or alt.exists()):
        where.mkdir(parents=True, exist_ok=True)
        for mod in _MODS:
            (where / mod.name).write_bytes(mod.read_bytes())
        done = subprocess.run(["nrnivmodl"], cwd=where, capture_output=True, text=True, check=False)
        if done.returncode != 0:
            raise NeuroLadderError(f"nrnivmodl failed in {where} (a C compiler is needed):\n{done.stderr[-2000:]}")
    if pc is not None:
        pc.barrier()
    h.nrn_load_dll(str(lib if lib.exists() else alt))


@dataclass
class _Cell:
    """One cell on this rank: the NetCon that reports its spikes, where each synapse type's events go
    ((target, port code for LIFExp's second weight or None), weight scale), and what must stay alive."""

    source: object
    targets: list
    scale: float
    keep: list


def _per_neuron(value, n):
    return np.broadcast_to(np.asarray(value, float), (n,))


def _lif_cells(h, pop, plan, local):
    """LIFExp point processes for the local neurons ``local`` of an nl.LIF population."""
    model = pop.model
    params = {k: _per_neuron(v, pop.n) for k, v in model.parameters().items()
              if k in ("c_m", "tau_m", "e_l", "v_th", "v_reset", "t_ref")}
    v0 = model.state_matrix(pop.n, pop.initial)[0]
    conductance = any(s.conductance for s in pop.ports)
    init = {q: _per_neuron(v, pop.n) for q, v in pop.synapse_init.items()}
    currents = {k: _per_neuron(v, pop.n) for k, v in plan.currents[pop.name].items()}
    cells = {}
    for i in local:
        sec = h.Section(name=f"{pop.name}_{i}")
        cell = h.LIFExp(sec(0.5))
        for k, arr in params.items():
            setattr(cell, k, float(arr[i]))
        cell.v0 = float(v0[i])
        cell.conductance = 1.0 if conductance else 0.0
        for q, syn in enumerate(pop.ports):
            side = ("ex", "in")[q]
            setattr(cell, f"tau_{side}", syn.tau)
            if syn.conductance:
                setattr(cell, f"e_{side}", syn.e_rev)
            if q in init:
                setattr(cell, f"g{side}0", float(init[q][i]))
        for k, arr in currents.items():
            setattr(cell, k, float(arr[i]))
        cells[i] = _Cell(h.NetCon(cell, None), [(cell, float(q)) for q in range(len(pop.ports))], 1.0, [sec, cell])
    return cells, []


def _membrane(model, n):
    """(density mechanism, its range parameters per neuron) with the same equations as an HH-type model;
    conductances mS/cm^2 -> S/cm^2."""
    p = {k: _per_neuron(v, n) for k, v in model.parameters().items() if k != "gates_at_rest"}
    values = {"gnabar": p["g_na"] * 1e-3, "gkbar": p["g_k"] * 1e-3, "gl": p["g_l"] * 1e-3,
              "ena": p["e_na"], "ek": p["e_k"], "el": p["e_l"]}
    if "v_t" in p:  # nl.TraubMiles
        return "TraubMilesNL", {**values, "vt": p["v_t"]}
    phi = p["q10"] ** ((p["temperature"] - 6.3) / 10.0)  # nl.HodgkinHuxley
    return "HodgkinHuxleyNL", {**values, "phi": phi, "shift_m": p["shift_m"], "shift_h": p["shift_h"],
                               "shift_n": p["shift_n"]}


def _hh_cells(h, pop, plan, local):
    """One-compartment sections with the model's density mechanism and an ExpSyn per synapse type, for the
    HH family (nl.TraubMiles, nl.HodgkinHuxley)."""
    c_m = _per_neuron(pop.model.c_m, pop.n)
    mechanism, values = _membrane(pop.model, pop.n)
    state = pop.model.state_matrix(pop.n, pop.initial)  # rows v, m, h, n
    init = {q: _per_neuron(v, pop.n) for q, v in pop.synapse_init.items()}
    currents = {k: _per_neuron(v, pop.n) for k, v in plan.currents[pop.name].items()}
    diameter = math.sqrt(HH_AREA_UM2 / math.pi)  # L = diam: the side of the cylinder has the area
    cells, after_init = {}, []
    for i in local:
        sec = h.Section(name=f"{pop.name}_{i}")
        sec.L = sec.diam = diameter
        sec.nseg = 1
        sec.cm = float(c_m[i])
        sec.insert(mechanism)
        seg = sec(0.5)
        mech = getattr(seg, mechanism)
        for k, arr in values.items():
            setattr(mech, k, float(arr[i]))
        mech.m0, mech.h0, mech.n0 = (float(state[r, i]) for r in (1, 2, 3))
        sec.v = float(state[0, i])  # finitialize() without an argument keeps it
        keep = [sec]
        synapses = []
        for q, syn in enumerate(pop.ports):
            expsyn = h.ExpSyn(seg)
            expsyn.tau, expsyn.e = syn.tau, syn.e_rev
            synapses.append((expsyn, None))
            if q in init:  # ExpSyn's INITIAL sets g = 0: the starting value is written after finitialize
                after_init.append((expsyn, float(init[q][i]) * _MS_PER_CM2_TO_US))
        keep += [s for s, _ in synapses]
        if currents:
            base = h.IClamp(seg)
            base.delay, base.dur, base.amp = 0.0, 1e9, float(currents["i_base"][i]) * _UA_PER_CM2_TO_NA
            keep.append(base)
            if "i_amp" in currents:
                start, stop = float(currents["i_start"][i]), float(currents["i_stop"][i])
                step = h.IClamp(seg)
                step.delay, step.dur = start, min(stop, 1e9) - start
                step.amp = float(currents["i_amp"][i] - currents["i_base"][i]) * _UA_PER_CM2_TO_NA
                keep.append(step)
        source = h.NetCon(seg._ref_v, None, sec=sec)
        source.threshold = pop.spike_threshold
        cells[i] = _Cell(source, synapses, _MS_PER_CM2_TO_US, keep)
    return cells, after_init


_BUILDERS = {"lif": _lif_cells, "hh": _hh_cells}


def _poisson_stim(h, rate_hz, gid, stream, seed):
    """A NetStim firing as a Poisson process of ``rate_hz`` from t = 0 on its own Random123 stream."""
    stim = h.NetStim()
    stim.start, stim.noise = 0.0, 1.0
    stim.interval = 1000.0 / rate_hz if rate_hz > 0 else 1e9
    stim.number = 1e9 if rate_hz > 0 else 0
    stim.noiseFromRandom123(int(gid), int(stream), int(seed))
    return stim


def _connect(h, source, cell, port, weight, delay):
    """A NetCon from ``source`` (None for a gid connection made by the caller) to synapse type ``port``."""
    target, code = cell.targets[port]
    nc = h.NetCon(source, target)
    nc.weight[0] = float(weight) * cell.scale
    nc.delay = delay
    return nc, code


def run_neuron(net, duration: float) -> NetworkResult:
    """Simulate ``net`` for ``duration`` ms on NEURON (all MPI ranks call this; rank 0 gets every spike,
    the other ranks a result holding their own cells' spikes)."""
    plan = check_network(net)
    h = _h()
    pc = h.ParallelContext()
    load_mechanisms(pc)
    pc.gid_clear()  # a run before in this process left its gids
    rank, n_ranks = int(pc.id()), int(pc.nhost())
    seed = backend_seed(net)
    t_build = time.perf_counter()
    offsets, shim = layout(net)
    keep = []  # NEURON objects must stay referenced
    cells, after_init, ported = {}, [], []
    for name, pop in net.populations.items():
        local = [i for i in range(pop.n) if (offsets[name] + i) % n_ranks == rank]
        made, init = _BUILDERS[plan.kind[name]](h, pop, plan, local)
        after_init += init
        for i, cell in made.items():
            gid = offsets[name] + i
            pc.set_gid2node(gid, rank)
            pc.cell(gid, cell.source)
            cells[gid] = cell
            keep += [cell.source, *cell.keep]
    relays = []
    for name, src in net.sources.items():
        for i in range(src.n):
            gid = offsets[name] + i
            if gid % n_ranks != rank:
                continue
            if src.kind == "generator":
                relay = h.SpikeRelay()
                feed = h.NetCon(None, relay)
                # on the grid, as the built-in engine delivers them (a source fires in the step ending at t)
                relays.append((feed, np.rint(np.asarray(src.times[i]) / net.dt) * net.dt))
                keep += [relay, feed]
            else:
                relay = _poisson_stim(h, src.rate, gid, _SOURCE_STREAM, seed)
                keep.append(relay)
            pc.set_gid2node(gid, rank)
            out = h.NetCon(relay, None)
            pc.cell(gid, out)
            keep.append(out)
    for proj in net.projections:
        port = proj.post.ports.index(proj.synapse)
        pre_gid = offsets[proj.pre.name] + proj.pre_idx
        post_gid = offsets[proj.post.name] + proj.post_idx
        # + 1e-6 ms: NEURON's spike exchange under MPI refuses a minimum delay of exactly dt (rounding); a
        # fixed step delivers an event in the step its time falls in, so the offset changes no delivery
        delays = proj.delay_steps.astype(float) * net.dt + 1e-6
        for k in np.flatnonzero(post_gid % n_ranks == rank):
            cell = cells[int(post_gid[k])]
            target, code = cell.targets[port]
            nc = pc.gid_connect(int(pre_gid[k]), target)
            nc.weight[0] = float(proj.weight[k]) * cell.scale
            nc.delay = float(delays[k])
            keep.append(nc)
            if code is not None:
                ported.append((nc, code))
    for j, (post, syn, rate, weight, n_src) in enumerate(net.poisson_inputs):
        if rate == 0:
            continue
        port = post.ports.index(syn)
        for i in range(post.n):
            gid = offsets[post.name] + i
            if gid % n_ranks != rank:
                continue
            # n_sources independent Poisson trains of `rate` onto one neuron are one train of n_sources * rate;
            # delivered in the step the event falls in, as the built-in engine's per-step Poisson counts
            stim = _poisson_stim(h, rate * n_src, gid, _SOURCE_STREAM + 1 + j, seed)
            nc, code = _connect(h, stim, cells[gid], port, weight, 0.0)
            keep += [stim, nc]
            if code is not None:
                ported.append((nc, code))
    t_vec, id_vec = h.Vector(), h.Vector()
    pc.spike_record(-1, t_vec, id_vec)
    h.dt = net.dt
    h.secondorder = 2  # Crank-Nicolson: second order in dt for the sections' voltage (HH-type cells)
    pc.set_maxstep(10)  # the spike exchange interval: the smallest delay between ranks
    build_s = time.perf_counter() - t_build
    t_run = time.perf_counter()
    h.finitialize()  # no argument: each section keeps the v it was given
    # NetCon weights after the first are per-connection state that finitialize sets to 0: the synapse
    # type (port) is written after it; so are ExpSyn's starting conductances and the generators' events
    for nc, code in ported:
        nc.weight[1] = code
    for expsyn, g in after_init:
        expsyn.g = g
    for feed, times in relays:
        for t in times:
            feed.event(float(t))
    pc.psolve(float(duration))
    run_s = time.perf_counter() - t_run
    times, ids = np.array(t_vec), np.array(id_vec).astype(np.int64)
    n_neurons = sum(p.n for p in net.populations.values())
    mine = ids < n_neurons  # source spikes are not reported, as in the built-in engine
    gathered = pc.py_gather((times[mine], ids[mine]), 0)
    if rank == 0 and gathered is not None:
        times = np.concatenate([g[0] for g in gathered])
        ids = np.concatenate([g[1] for g in gathered])
    else:
        times, ids = times[mine], ids[mine]
    pc.gid_clear()
    return NetworkResult(shim, times, ids, 0.0, float(duration), [], build_s, run_s)
