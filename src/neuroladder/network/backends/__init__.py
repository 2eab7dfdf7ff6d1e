"""Running a :class:`neuroladder.Network` on other engines: NEST (``backend="nest"``) and NEURON's
ParallelContext under MPI (``backend="neuron"``, ``python -m neuroladder.mpi_run DIR``).

Each backend maps every population, synapse and input to a counterpart with the same equations, or
refuses the network with a :class:`~neuroladder.ParameterError` that says which part and why; it never
runs a silently different network. A backend run starts at t = 0, leaves the network as it was (it can
still run on the built-in engine) and returns the usual :class:`~neuroladder.network.NetworkResult`.
"""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np

from ...core.errors import ParameterError

BACKENDS = ("neuroladder", "nest", "neuron")


def check_backend(backend: str) -> str:
    if backend not in BACKENDS:
        raise ParameterError(f"backend = {backend!r} is unknown; choose one of {', '.join(map(repr, BACKENDS))}")
    return backend


def run_on_backend(net, backend: str, duration: float, threads: int | None = None, **options):
    """Dispatch ``net.run(duration, backend=...)`` to the backend's module."""
    if net._built or net.t != 0.0:
        raise ParameterError(f"backend = {backend!r}: the network has already run on the built-in engine; "
                             f"build a fresh network (a backend run starts at t = 0)")
    if backend == "nest":
        from .nest import run_nest

        return run_nest(net, duration, threads=threads or net.threads, **options)
    from .neuron import run_neuron

    return run_neuron(net, duration, **options)


def backend_seed(net) -> int:
    """A seed for a backend's own generators (NEST's kernel, NEURON's Random123 streams), derived from the
    network's generator state without advancing it: same network seed, same backend spikes."""
    state = net.rng.bit_generator.state.get("state", {})
    values = [v for v in (state.values() if isinstance(state, dict) else [state]) if isinstance(v, int)]
    entropy = [(v >> shift) & 0xFFFFFFFF for v in values for shift in range(0, 128, 32)] or [0]
    return int(np.random.default_rng(np.random.SeedSequence(entropy)).integers(1, 2 ** 31 - 1))


def layout(net):
    """Global unit numbering as the built-in engine's (populations first, then sources) without building
    the network: {name: id offset}, and a stand-in with what :class:`NetworkResult` reads."""
    offsets, offset = {}, 0
    for name, pop in [*net.populations.items(), *net.sources.items()]:
        offsets[name] = offset
        offset += pop.n
    shim = SimpleNamespace(dt=net.dt, populations={
        name: SimpleNamespace(name=name, n=pop.n, id_offset=offsets[name]) for name, pop in net.populations.items()})
    return offsets, shim


def port_sides(pop, net) -> dict:
    """For a population whose engine routes synapses by the sign of their weight (NEST's ``iaf_psc_exp``,
    NEURON's LIF mechanism here): which side ("ex", "in") each port feeds, or refusal.

    Current-based ports: a port whose weights are all >= 0 feeds "ex", all <= 0 "in", mixed: both (then
    both sides need its time constant). Conductance-based ports (weights >= 0 by nature): the first
    feeds "ex", the second "in" (its reversal potential becomes E_in and its weights are sent negated).
    Returns {port: side} and {side: synapse}.
    """
    weights = {q: [] for q in range(len(pop.ports))}
    for proj in net.projections:
        if proj.post is pop:
            weights[pop.ports.index(proj.synapse)].append(np.asarray(proj.weight, float))
    for post, syn, _rate, w, _n in net.poisson_inputs:
        if post is pop:
            weights[pop.ports.index(syn)].append(np.array([w]))
    conductance = {syn.conductance for syn in pop.ports}
    if len(conductance) > 1:
        raise ParameterError(f"population {pop.name!r} mixes current- and conductance-based synapses; the "
                             f"backends' neuron models take one kind")
    sides, kernels = {}, {}
    if conductance == {True}:
        for q, side in zip(range(len(pop.ports)), ("ex", "in")):
            w = np.concatenate(weights[q]) if weights[q] else np.zeros(0)
            if np.any(w < 0):
                raise ParameterError(f"population {pop.name!r}: conductance synapse {pop.ports[q]} has negative "
                                     f"weights; conductances must be >= 0 nS")
            sides[q], kernels[side] = side, pop.ports[q]
        return sides, kernels
    for q, syn in enumerate(pop.ports):
        w = np.concatenate(weights[q]) if weights[q] else np.zeros(0)
        wanted = ["ex"] if np.all(w >= 0) else ["in"] if np.all(w <= 0) else ["ex", "in"]
        for side in wanted:
            if side in kernels and kernels[side] != syn:
                raise ParameterError(
                    f"population {pop.name!r}: synapses {kernels[side]} and {syn} both carry "
                    f"{'positive' if side == 'ex' else 'negative'} weights; the backend's LIF routes synapses by "
                    f"the sign of their weight (one excitatory and one inhibitory kernel)")
            kernels[side] = syn
        sides[q] = wanted[0] if len(wanted) == 1 else "both"
    return sides, kernels
