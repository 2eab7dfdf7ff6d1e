"""``backend="neuron"``: the network on NEURON's ParallelContext, cells spread over MPI ranks by gid.

Run a network written with ``net.to_sonata(DIR)`` on R ranks::

    mpirun -n R python -m neuroladder.mpi_run DIR

Every rank reads the same files; cell ``gid`` (the built-in engine's global unit number) lives on rank
``gid % R`` (round robin); each synapse is made on the rank of its target through
``ParallelContext.gid_connect``; spikes are gathered on rank 0 into the usual ``NetworkResult``.

Supported: ``nl.LIF`` with at most two exponential synapse types, all current- or all
conductance-based, through the NMODL mechanism ``LIFExp`` shipped in ``nmodl/lifexp.mod`` (the same
equations; compiled with NEURON's ``nrnivmodl`` on first use into ``~/.cache/neuroladder/nrn``; needs a C
compiler); constant and ``nl.Step`` currents with one amplitude.
Refused with a ParameterError: other models (the HH family is not mapped yet), alpha and delta kernels,
plasticity, spike sources and Poisson inputs (not yet), recordings. NEURON's fixed step detects the threshold at the end
of a step (the built-in engine inside it), so single spikes agree within dt and networks in statistics.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import time
from pathlib import Path

import numpy as np

from ...core.errors import NeuroLadderError, ParameterError
from ...core.stimulus import Constant, Step
from ..result import NetworkResult
from . import layout

_MOD = Path(__file__).with_name("nmodl") / "lifexp.mod"


def _h():
    try:
        from neuron import h
    except ImportError:
        raise NeuroLadderError("backend='neuron' needs NEURON: pip install 'neuroladder[neuron]'") from None
    return h


def check_network(net):
    """Refuse what the NEURON backend has no counterpart for; returns {population: current dict}."""
    from ...neurons import LIF
    from ..synapses import EXP

    for name, pop in net.populations.items():
        if type(pop.model) is not LIF:
            raise ParameterError(f"backend='neuron': population {name!r} is a {type(pop.model).__name__}; the "
                                 f"NEURON backend maps nl.LIF (mechanism LIFExp) only so far")
        if len(pop.ports) > 2 or any(s.kind != EXP for s in pop.ports):
            raise ParameterError(f"backend='neuron': population {name!r} needs at most two exponential synapse "
                                 f"types (nl.ExpSynapse); it has {[type(s).__name__ for s in pop.ports]}")
        if len({s.conductance for s in pop.ports}) > 1:
            raise ParameterError(f"backend='neuron': population {name!r} mixes current- and conductance-based "
                                 f"synapses; LIFExp takes one kind")
    for proj in net.projections:
        if proj.stp is not None or proj.stdp is not None:
            raise ParameterError("backend='neuron': plastic synapses (STP, STDP) are not mapped to NEURON")
    if net.poisson_inputs or net.sources:
        raise ParameterError("backend='neuron': spike sources and Poisson inputs are not mapped to NEURON yet "
                             "(NEURON's wheel has no VecStim; Poisson streams would differ per rank)")
    if net.monitors:
        raise ParameterError("backend='neuron': recordings are not mapped; spikes are returned")
    currents = {}
    for name, pop in net.populations.items():
        stim = pop.current
        if stim is None:
            currents[name] = {}
        elif isinstance(stim, Constant):
            currents[name] = {"i_base": stim.amplitude}
        elif isinstance(stim, Step) and stim.amplitude.ndim == 0 and stim.baseline.ndim == 0:
            currents[name] = {"i_amp": float(stim.amplitude), "i_base": float(stim.baseline), "i_start": stim.start,
                              "i_stop": min(stim.stop, 1e300)}
        else:
            raise ParameterError(f"backend='neuron': population {name!r} has a current {stim!r}; mapped are "
                                 f"constant currents and nl.Step with one amplitude")
    return currents


def load_mechanisms(pc=None):
    """Compile ``lifexp.mod`` with nrnivmodl once (rank 0; the others wait) and load it."""
    h = _h()
    if hasattr(h, "LIFExp"):
        return
    digest = hashlib.sha1(_MOD.read_bytes()).hexdigest()[:12]
    where = Path(os.environ.get("NEUROLADDER_CACHE", Path.home() / ".cache" / "neuroladder")) / "nrn" / digest
    lib = where / "x86_64" / ".libs" / "libnrnmech.so"
    alt = where / "x86_64" / "libnrnmech.so"
    rank = int(pc.id()) if pc is not None else 0
    if rank == 0 and not (lib.exists() or alt.exists()):
        where.mkdir(parents=True, exist_ok=True)
        (where / _MOD.name).write_bytes(_MOD.read_bytes())
        done = subprocess.run(["nrnivmodl"], cwd=where, capture_output=True, text=True)
        if done.returncode != 0:
            raise NeuroLadderError(f"nrnivmodl failed in {where} (a C compiler is needed):\n{done.stderr[-2000:]}")
    if pc is not None:
        pc.barrier()
    h.nrn_load_dll(str(lib if lib.exists() else alt))


def run_neuron(net, duration: float) -> NetworkResult:
    """Simulate ``net`` for ``duration`` ms on NEURON (all MPI ranks call this; rank 0 gets every spike,
    the other ranks a result holding their own cells' spikes)."""
    currents = check_network(net)
    h = _h()
    pc = h.ParallelContext()
    load_mechanisms(pc)
    rank, n_ranks = int(pc.id()), int(pc.nhost())
    t_build = time.perf_counter()
    offsets, shim = layout(net)
    keep = []  # NEURON objects must stay referenced
    cells = {}
    for name, pop in net.populations.items():
        model = pop.model
        params = {k: np.broadcast_to(np.asarray(v, float), (pop.n,)) for k, v in model.parameters().items()
                  if k in ("c_m", "tau_m", "e_l", "v_th", "v_reset", "t_ref")}
        v0 = model.state_matrix(pop.n, pop.initial)[0]
        conductance = any(s.conductance for s in pop.ports)
        init = {q: np.broadcast_to(np.asarray(v, float), (pop.n,)) for q, v in pop.synapse_init.items()}
        for i in range(pop.n):
            gid = offsets[name] + i
            if gid % n_ranks != rank:
                continue
            sec = h.Section(name=f"{name}_{i}")
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
            for k, v in currents[name].items():
                setattr(cell, k, float(np.broadcast_to(np.asarray(v, float), (pop.n,))[i]))
            pc.set_gid2node(gid, rank)
            nc = h.NetCon(cell, None)
            pc.cell(gid, nc)
            cells[gid] = cell
            keep += [sec, nc]
    ported = []
    for proj in net.projections:
        port = float(proj.post.ports.index(proj.synapse))
        pre_gid = offsets[proj.pre.name] + proj.pre_idx
        post_gid = offsets[proj.post.name] + proj.post_idx
        # + 1e-6 ms: NEURON's spike exchange under MPI refuses a minimum delay of exactly dt (rounding); a
        # fixed step delivers an event in the step its time falls in, so the offset changes no delivery
        delays = proj.delay_steps.astype(float) * net.dt + 1e-6
        for k in np.flatnonzero(post_gid % n_ranks == rank):
            nc = pc.gid_connect(int(pre_gid[k]), cells[int(post_gid[k])])
            nc.weight[0] = float(proj.weight[k])
            nc.delay = float(delays[k])
            keep.append(nc)
            ported.append((nc, port))
    t_vec, id_vec = h.Vector(), h.Vector()
    pc.spike_record(-1, t_vec, id_vec)
    h.dt = net.dt
    pc.set_maxstep(10)  # the spike exchange interval: the smallest delay between ranks
    build_s = time.perf_counter() - t_build
    t_run = time.perf_counter()
    h.finitialize(-65.0)
    # NetCon weights after the first are per-connection state that finitialize sets to 0: the synapse
    # type (port) is written after it
    for nc, port in ported:
        nc.weight[1] = port
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
    return NetworkResult(shim, times, ids, 0.0, float(duration), [], build_s, run_s)
