"""A whole network in SONATA files, out and in: ``net.to_sonata(DIR)`` and ``nl.Network.from_sonata(DIR)``.

Layout (SONATA data format, Dai et al. 2020, PLoS Comput. Biol. 16:e1007696; the specification's
"Networks", "Node types", "Edges" and "Simulation configuration" sections)::

    DIR/circuit_config.json         networks.nodes / networks.edges: which files hold what
    DIR/simulation_config.json      run (dt, tstop), inputs (spike files, current clamps), node_sets_file
    DIR/node_sets.json              one node set per population: {"<name>": {"population": "<name>"}}
    DIR/network/nodes.h5            /nodes/<population>/{node_type_id, node_group_id, node_group_index}
                                    and group 0/ with per-node attributes (0/dynamics_params/<param>)
    DIR/network/node_types.csv      space-separated: node_type_id model_type model_template dynamics_params ...
    DIR/network/edges.h5            /edges/<projection>/{source_node_id, target_node_id (attribute
                                    node_population), edge_type_id, edge_group_id, edge_group_index},
                                    0/{syn_weight, delay}
    DIR/network/edge_types.csv      space-separated: edge_type_id model_template dynamics_params
    DIR/components/*.json           dynamics_params files (model and synapse parameters)
    DIR/inputs/<source>_spikes.h5   spike trains of spike generators (SONATA spike file)

Populations are ``model_type = point_neuron`` nodes whose ``model_template`` is ``neuroladder:<Model class>``;
spike generators and Poisson sources are ``virtual`` nodes. Scalar parameters sit in the node type's
dynamics_params file; per-neuron parameters in ``0/dynamics_params/<name>``; initial states in
``0/init_<variable>`` and initial synaptic values in ``0/synapse_init_<port>``. Each projection is one
edge population (weights ``syn_weight`` in the synapse's unit, ``delay`` in ms); its edge type's
dynamics_params file holds the synapse kernel and any Tsodyks-Markram or STDP parameters.
What SONATA has no word for (Poisson inputs of ``add_poisson_input``, Poisson sources, the network's
random-generator state, each population's synapse ports in order) goes in keys and inputs marked
``"module": "neuroladder"`` or under ``"neuroladder"`` in the JSON files, so that a network written
and read runs to bit-identical spikes.

Files written by others can be read when their nodes are ``nest:iaf_psc_exp`` or ``nest:iaf_cond_exp``
(NEST's parameter names: C_m, tau_m, E_L, V_th, V_reset, t_ref, tau_syn_ex, tau_syn_in, E_ex, E_in)
or ``virtual`` nodes fed by a spike file; synapses then follow NEST's convention (a positive
``syn_weight`` excites, a negative one inhibits, through the excitatory or inhibitory kernel).
Needs h5py (``pip install "neuroladder[io]"``).
"""

from __future__ import annotations

import csv
import importlib
import json
import math
import os
from pathlib import Path
from typing import NamedTuple

import numpy as np

from ..core.errors import ParameterError, SpecError
from ..core.model import Model
from ..core.stimulus import Constant, Step, Sum
from .sonata import SpikeWriter, _h5py, read_spikes

#: Node type ids of populations and of sources start here (SONATA ids are free integers).
_POP_TYPE0, _SOURCE_TYPE0, _EDGE_TYPE0 = 100, 900, 1000


# ---------------------------------------------------------------------------------------------- writing
def write_network(net, directory, tstop: float = 1000.0) -> Path:
    """Write ``net`` (before its first run) as SONATA files under ``directory``; returns the directory.

    ``tstop`` (ms) is the run length that ``simulation_config.json`` names (what
    ``python -m neuroladder.mpi_run DIR`` simulates). Recordings (``net.record``) are not written.
    """
    h5py = _h5py()
    if net._built or net.t != 0.0:
        raise ParameterError("to_sonata: the network has run; export it before its first run (the files "
                             "describe its initial state)")
    if not float(tstop) > 0:
        raise ParameterError(f"tstop = {tstop} ms must be > 0")
    root = Path(directory)
    for sub in ("network", "components", "inputs"):
        (root / sub).mkdir(parents=True, exist_ok=True)
    node_rows, edge_rows = [], []
    with h5py.File(root / "network" / "nodes.h5", "w") as fh:
        nodes = fh.create_group("nodes")
        for i, pop in enumerate(net.populations.values()):
            type_id = _POP_TYPE0 + i
            params = pop.model.parameters()
            scalars = {k: _json_value(v) for k, v in params.items() if np.ndim(v) == 0}
            dyn_file = f"{pop.name}_model.json"
            ports = [_synapse_dict(syn) for syn in pop.ports]
            _dump(root / "components" / dyn_file, {
                **scalars, "neuroladder": {"model_class": f"{type(pop.model).__module__}.{type(pop.model).__name__}",
                                           "method": pop.method, "spike_threshold": pop.spike_threshold,
                                           "synapse_ports": ports}})
            group = _node_group(nodes, pop.name, pop.n, type_id)
            dyn = group.create_group("dynamics_params")
            for k, v in params.items():
                if np.ndim(v) == 1:
                    dyn.create_dataset(k, data=np.asarray(v, dtype=float))
            for var, value in pop.initial.items():
                group.create_dataset(f"init_{var}", data=np.broadcast_to(np.asarray(value, float), (pop.n,)))
            for q, value in pop.synapse_init.items():
                group.create_dataset(f"synapse_init_{q}", data=np.broadcast_to(np.asarray(value, float), (pop.n,)))
            node_rows.append((type_id, "point_neuron", f"neuroladder:{type(pop.model).__name__}", dyn_file, pop.name))
        for i, src in enumerate(net.sources.values()):
            type_id = _SOURCE_TYPE0 + i
            _node_group(nodes, src.name, src.n, type_id)
            node_rows.append((type_id, "virtual", "NONE", "NONE", src.name))
    inputs = {}
    for src in net.sources.values():
        if src.kind == "generator":
            path = root / "inputs" / f"{src.name}_spikes.h5"
            writer = SpikeWriter(path, [src.name])
            times = np.concatenate(src.times) if src.times else np.zeros(0)
            ids = np.concatenate([np.full(t.size, k, np.int64) for k, t in enumerate(src.times)])
            order = np.lexsort((ids, times))
            writer.append(src.name, times[order], ids[order])
            writer.close()
            inputs[f"{src.name}_spikes"] = {"input_type": "spikes", "module": "sonata",
                                            "input_file": f"$BASE_DIR/inputs/{src.name}_spikes.h5",
                                            "node_set": src.name}
        else:
            inputs[f"{src.name}_poisson"] = {"input_type": "spikes", "module": "neuroladder",
                                             "generator": "poisson", "rate_hz": src.rate, "node_set": src.name}
    for k, (post, syn, rate, weight, n_sources) in enumerate(net.poisson_inputs):
        if callable(rate):
            raise ParameterError("to_sonata: a Poisson input with a time-varying rate (a callable) cannot be "
                                 "written; SONATA files hold numbers")
        inputs[f"poisson_input_{k}"] = {"input_type": "poisson_input", "module": "neuroladder", "node_set": post.name,
                                        "rate_hz": float(rate), "weight": weight, "n_sources": n_sources,
                                        "synapse_port": post.ports.index(syn)}
    for pop in net.populations.values():
        if pop.current is not None:
            for j, part in enumerate(_stimulus_parts(pop.current, pop.name)):
                inputs[f"{pop.name}_current_{j}"] = {"input_type": "current_clamp", "module": "neuroladder",
                                                     "node_set": pop.name, "unit": pop.model.current_unit, **part}
    with h5py.File(root / "network" / "edges.h5", "w") as fh:
        edges = fh.create_group("edges")
        for j, proj in enumerate(net.projections):
            name = f"{j:04d}_{proj.pre.name}_to_{proj.post.name}"
            type_id = _EDGE_TYPE0 + j
            grp = edges.create_group(name)
            src = grp.create_dataset("source_node_id", data=proj.pre_idx.astype(np.uint64))
            src.attrs["node_population"] = proj.pre.name
            tgt = grp.create_dataset("target_node_id", data=proj.post_idx.astype(np.uint64))
            tgt.attrs["node_population"] = proj.post.name
            n_syn = proj.n_synapses
            grp.create_dataset("edge_type_id", data=np.full(n_syn, type_id, np.int64))
            grp.create_dataset("edge_group_id", data=np.zeros(n_syn, np.int64))
            grp.create_dataset("edge_group_index", data=np.arange(n_syn, dtype=np.int64))
            g0 = grp.create_group("0")
            g0.create_dataset("syn_weight", data=np.asarray(proj.weight, float))
            g0.create_dataset("delay", data=proj.delay_steps.astype(float) * net.dt)
            dyn_file = f"edge_{j:04d}.json"
            _dump(root / "components" / dyn_file, {
                "synapse": _synapse_dict(proj.synapse), "synapse_port": proj.post.ports.index(proj.synapse),
                "stp": None if proj.stp is None else _fields(proj.stp),
                "stdp": None if proj.stdp is None else _fields(proj.stdp)})
            template = "neuroladder:" + type(proj.synapse).__name__
            edge_rows.append((type_id, template, dyn_file, name))
    _write_csv(root / "network" / "node_types.csv", ("node_type_id", "model_type", "model_template",
                                                      "dynamics_params", "pop_name"), node_rows)
    _write_csv(root / "network" / "edge_types.csv", ("edge_type_id", "model_template", "dynamics_params",
                                                      "edge_population"), edge_rows)
    order = {"populations": list(net.populations), "sources": list(net.sources),
             "projections": [r[3] for r in edge_rows]}
    _dump(root / "circuit_config.json", {
        "manifest": {"$BASE_DIR": ".", "$NETWORK_DIR": "$BASE_DIR/network", "$COMPONENT_DIR": "$BASE_DIR/components"},
        "components": {"point_neuron_models_dir": "$COMPONENT_DIR", "synaptic_models_dir": "$COMPONENT_DIR"},
        "networks": {"nodes": [{"nodes_file": "$NETWORK_DIR/nodes.h5", "node_types_file": "$NETWORK_DIR/node_types.csv"}],
                     "edges": [{"edges_file": "$NETWORK_DIR/edges.h5", "edge_types_file": "$NETWORK_DIR/edge_types.csv"}]},
        "neuroladder": order})
    _dump(root / "node_sets.json", {name: {"population": name} for name in [*net.populations, *net.sources]})
    _dump(root / "simulation_config.json", {
        "manifest": {"$BASE_DIR": ".", "$OUTPUT_DIR": "$BASE_DIR/output"},
        "network": "$BASE_DIR/circuit_config.json", "node_sets_file": "$BASE_DIR/node_sets.json",
        "run": {"tstop": float(tstop), "dt": net.dt},
        "inputs": inputs,
        "output": {"output_dir": "$OUTPUT_DIR", "spikes_file": "spikes.h5"},
        "neuroladder": {"threads": net.threads, "rng": _rng_state(net.rng)}})
    return root


def _node_group(nodes, name, n, type_id):
    grp = nodes.create_group(name)
    grp.create_dataset("node_type_id", data=np.full(n, type_id, np.int64))
    grp.create_dataset("node_group_id", data=np.zeros(n, np.int64))
    grp.create_dataset("node_group_index", data=np.arange(n, dtype=np.int64))
    return grp.create_group("0")


def _synapse_dict(syn) -> dict:
    return {"class": type(syn).__name__, **({} if syn.kind == 2 else {"tau": syn.tau, "e_rev": syn.e_rev})}


def _fields(obj) -> dict:
    import dataclasses

    return {f.name: getattr(obj, f.name) for f in dataclasses.fields(obj)}


def _json_value(v):
    v = v.item() if isinstance(v, np.generic) else v
    if isinstance(v, float) and not math.isfinite(v):
        raise ParameterError(f"to_sonata: parameter value {v} cannot be written as JSON")
    return v


def _stimulus_parts(stim, name):
    """Constant and Step currents (and sums of them) as JSON-ready dicts; other stimuli are refused."""
    parts = stim.parts if isinstance(stim, Sum) else (stim,)
    out = []
    for part in parts:
        if isinstance(part, Constant):
            out.append({"amp": _amp(part.amplitude), "delay": 0.0, "duration": None, "baseline": 0.0})
        elif isinstance(part, Step):
            out.append({"amp": _amp(part.amplitude), "delay": part.start,
                        "duration": None if math.isinf(part.stop) else part.stop - part.start,
                        "stop": None if math.isinf(part.stop) else part.stop, "baseline": _amp(part.baseline)})
        else:
            raise ParameterError(f"to_sonata: population {name!r} has a current {type(part).__name__}; only constant "
                                 f"currents and nl.Step (and their sums) can be written as current clamps")
    return out


def _amp(a):
    a = np.asarray(a, float)
    return float(a) if a.ndim == 0 else a.tolist()


def _rng_state(rng) -> dict:
    state = rng.bit_generator.state
    json.dumps(state)  # PCG64's state is plain ints and strings
    return state


def _dump(path, obj):
    with open(path, "w") as fh:
        json.dump(obj, fh, indent=2, allow_nan=False)


def _write_csv(path, header, rows):
    with open(path, "w", newline="") as fh:
        writer = csv.writer(fh, delimiter=" ")
        writer.writerow(header)
        writer.writerows(rows)


# ---------------------------------------------------------------------------------------------- reading
class _SonataConfig(NamedTuple):
    """The two configuration files of a SONATA network, with their paths resolved."""

    root: Path            # the network's directory
    sim: dict             # simulation_config.json ({} when absent)
    circuit: dict         # circuit_config.json
    circuit_path: str     # where circuit_config.json is
    manifest: dict        # the circuit's manifest ($BASE_DIR, ...)
    sim_manifest: dict    # the simulation's manifest
    order: dict           # the circuit's "neuroladder" key: populations, sources and projections in order

    def path(self, value, manifest=None) -> str:
        """A path of the configuration, resolved against ``manifest`` (the circuit's by default)."""
        return _resolve(value, self.root, self.manifest if manifest is None else manifest)


def _read_config(directory) -> _SonataConfig:
    root = Path(directory)
    sim_path = root / "simulation_config.json"
    sim = _load(sim_path) if sim_path.exists() else {}
    circuit_path = _resolve(sim.get("network", "$BASE_DIR/circuit_config.json"), root, {})
    circuit = _load(Path(circuit_path))
    manifest = _manifest(circuit.get("manifest", {}), Path(circuit_path).parent)
    return _SonataConfig(root, sim, circuit, circuit_path, manifest, _manifest(sim.get("manifest", {}), root),
                         circuit.get("neuroladder", {}))


def _network_files(cfg: _SonataConfig):
    """(node file entries, edge file entries) of circuit_config.json's ``networks``."""
    try:
        return cfg.circuit["networks"]["nodes"], cfg.circuit["networks"].get("edges", [])
    except (KeyError, TypeError):
        raise SpecError(f"{cfg.circuit_path}: 'networks.nodes' is missing") from None


def _read_files(cfg: _SonataConfig, entries, kind: str, h5py, read_population):
    """(types by id, populations by name) of the node or edge files (``kind`` "node" or "edge"): each entry's
    ``<kind>_types_file`` (csv) and ``<kind>s_file`` (HDF5, one group per population under ``/<kind>s``),
    each group read by ``read_population(group, types, name)``."""
    types, populations = {}, {}
    for entry in entries:
        for row in _read_csv(cfg.path(entry[f"{kind}_types_file"])):
            types[int(row[f"{kind}_type_id"])] = row
        with h5py.File(cfg.path(entry[f"{kind}s_file"]), "r") as fh:
            for name, grp in fh[f"{kind}s"].items():
                populations[name] = read_population(grp, types, name)
    return types, populations


def _add_populations(net, cfg: _SonataConfig, types, pops_h5) -> dict:
    """Add the point-neuron populations; returns the (excitatory, inhibitory) synapses of each NEST one."""
    components = cfg.path(cfg.circuit.get("components", {}).get("point_neuron_models_dir", "."))
    nest_ports = {}
    for name in cfg.order.get("populations", []) + cfg.order.get("sources", []) or list(pops_h5):
        if name not in pops_h5:
            raise SpecError(f"node population {name!r} is not in the nodes files")
        info = pops_h5[name]
        type_ids = np.unique(info["node_type_id"])
        if type_ids.size != 1:
            raise SpecError(f"node population {name!r} has several node types {type_ids.tolist()}; neuroladder "
                            f"reads one node type per population")
        row = types.get(int(type_ids[0]))
        if row is None:
            raise SpecError(f"node_type_id {int(type_ids[0])} of population {name!r} is not in node_types.csv")
        if row["model_type"] == "virtual":
            continue  # sources are made from the inputs below
        template = row.get("model_template", "")
        dyn = _load(Path(components) / row["dynamics_params"]) if row.get("dynamics_params", "NONE") != "NONE" else {}
        if template.startswith("neuroladder:"):
            _add_own_population(net, name, info, dyn)
        elif template in ("nest:iaf_psc_exp", "nest:iaf_cond_exp"):
            nest_ports[name] = _add_nest_population(net, name, info, dyn, template)
        else:
            raise ParameterError(f"node population {name!r}: model_template {template!r} has no neuroladder "
                                 f"counterpart; readable are neuroladder:<Model>, nest:iaf_psc_exp and "
                                 f"nest:iaf_cond_exp")
    return nest_ports


def _add_sources(net, cfg: _SonataConfig, pops_h5):
    """Sources, from the spike inputs that feed the virtual node populations."""
    inputs = cfg.sim.get("inputs", {})
    virtual = [name for name in (cfg.order.get("sources") or pops_h5) if name not in net.populations]
    for name in virtual:
        spec = next((s for s in inputs.values() if s.get("node_set") == name and s.get("input_type") == "spikes"),
                    None)
        n = pops_h5[name]["n"]
        if spec is None:
            raise SpecError(f"virtual node population {name!r} has no spike input in simulation_config.json")
        if spec.get("module") == "neuroladder" and spec.get("generator") == "poisson":
            net.add_poisson_source(name, n, spec["rate_hz"])
            continue
        path = cfg.path(spec["input_file"], cfg.sim_manifest)
        spikes = read_spikes(path)
        if name not in spikes:
            raise SpecError(f"{path}: no /spikes/{name} group for virtual node population {name!r}")
        times, ids = spikes[name]
        order_ids = np.argsort(ids, kind="stable")
        times, ids = times[order_ids], ids[order_ids]
        bounds = np.searchsorted(ids, np.arange(n + 1))
        net.add_spike_generator(name, [np.sort(times[bounds[k]:bounds[k + 1]]) for k in range(n)])


def _add_projections(net, cfg: _SonataConfig, edge_types, edge_pops, nest_ports):
    """One projection per edge population (NEST ones split by weight sign onto their two synapses)."""
    from ..network.synapses import STDP, TsodyksMarkram

    syn_components = cfg.path(cfg.circuit.get("components", {}).get("synaptic_models_dir", "."))
    for name in cfg.order.get("projections") or sorted(edge_pops):
        e = edge_pops[name]
        pre, post = e["source_population"], e["target_population"]
        if post not in net.populations:
            raise SpecError(f"edge population {name!r} targets {post!r}, which is not a neuron population")
        row = edge_types[e["type_id"]]
        template = row.get("model_template", "")
        if template.startswith("neuroladder:"):
            dyn = _load(Path(syn_components) / row["dynamics_params"])
            syn = _synapse(dyn["synapse"])
            stp = None if dyn.get("stp") is None else TsodyksMarkram(**dyn["stp"])
            stdp = None if dyn.get("stdp") is None else STDP(**dyn["stdp"])
            net.connect(pre, post, rule="explicit", pre_ids=e["source"], post_ids=e["target"], weight=e["weight"],
                        delay=e["delay"], synapse=syn, stp=stp, stdp=stdp)
        elif post in nest_ports and template in ("static_synapse", "nest:static_synapse", ""):
            exc, inh = nest_ports[post]
            w = e["weight"]
            for mask, syn in ((w >= 0, exc), (w < 0, inh)):
                if mask.any():
                    # conductance synapses carry |w| (nS); current ones keep the sign (pA)
                    weight = np.abs(w[mask]) if syn.conductance else w[mask]
                    net.connect(pre, post, rule="explicit", pre_ids=e["source"][mask], post_ids=e["target"][mask],
                                weight=weight, delay=e["delay"][mask], synapse=syn)
        else:
            raise ParameterError(f"edge population {name!r}: synapse model_template {template!r} has no "
                                 f"neuroladder counterpart onto population {post!r}")


def _add_inputs(net, inputs: dict):
    """The inputs other than spike files: neuroladder Poisson inputs and current clamps."""
    for key, spec in inputs.items():
        kind = spec.get("input_type")
        if kind == "spikes":
            continue
        target = spec.get("node_set")
        if target not in net.populations:
            raise SpecError(f"input {key!r}: node_set {target!r} is not a neuron population")
        pop = net.populations[target]
        if kind == "poisson_input" and spec.get("module") == "neuroladder":
            net.add_poisson_input(pop, rate=spec["rate_hz"], weight=spec["weight"],
                                  synapse=pop.ports[spec["synapse_port"]], n_sources=spec["n_sources"])
        elif kind == "current_clamp" and spec.get("module") == "neuroladder":
            amp = np.asarray(spec["amp"], float)
            baseline = np.asarray(spec.get("baseline", 0.0), float)
            if spec.get("duration") is None and spec.get("delay", 0.0) == 0.0 and not np.any(baseline):
                net.inject(pop, Constant(amp if amp.ndim else float(amp)))
            else:
                stop = math.inf if spec.get("stop") is None else spec["stop"]
                net.inject(pop, Step(amp if amp.ndim else float(amp), start=spec["delay"], stop=stop,
                                     baseline=baseline if baseline.ndim else float(baseline)))
        else:
            raise ParameterError(f"input {key!r}: input_type {kind!r} (module {spec.get('module')!r}) is not "
                                 f"supported; readable are spike files, neuroladder Poisson inputs and current clamps")


def read_network(directory, threads: int | None = None):
    """Read a network written by :func:`write_network` (or a SONATA network of NEST's LIF models).

    Returns the :class:`neuroladder.Network`; ``net.sonata_tstop`` is the run length (ms) that
    ``simulation_config.json`` names.
    """
    from ..network import Network

    h5py = _h5py()
    cfg = _read_config(directory)
    run = cfg.sim.get("run", {})
    extra = cfg.sim.get("neuroladder", {})
    net = Network(dt=float(run.get("dt", 0.1)), seed=0, threads=threads or extra.get("threads", 1))
    if "rng" in extra:
        net.rng.bit_generator.state = extra["rng"]
    net.sonata_tstop = float(run.get("tstop", 1000.0))
    node_files, edge_files = _network_files(cfg)
    types, pops_h5 = _read_files(cfg, node_files, "node", h5py, lambda grp, _types, _name: _read_node_population(grp))
    nest_ports = _add_populations(net, cfg, types, pops_h5)
    _add_sources(net, cfg, pops_h5)
    edge_types, edge_pops = _read_files(cfg, edge_files, "edge", h5py, _read_edge_population)
    _add_projections(net, cfg, edge_types, edge_pops, nest_ports)
    _add_inputs(net, cfg.sim.get("inputs", {}))
    if "rng" in extra:  # connecting explicit pairs draws nothing, but keep the written state exactly
        net.rng.bit_generator.state = extra["rng"]
    return net


def _read_node_population(grp) -> dict:
    type_id = grp["node_type_id"][:]
    n = type_id.size
    group_ids = grp["node_group_id"][:] if "node_group_id" in grp else np.zeros(n, np.int64)
    if np.unique(group_ids).size > 1:
        raise SpecError(f"node population {grp.name}: several node groups; neuroladder reads one group per population")
    index = grp["node_group_index"][:] if "node_group_index" in grp else np.arange(n)
    attrs, dyn = {}, {}
    gname = str(int(group_ids[0])) if n else "0"
    if gname in grp:
        g = grp[gname]
        for key, ds in g.items():
            if key == "dynamics_params":
                dyn = {k: v[:][index] for k, v in ds.items()}
            elif hasattr(ds, "shape"):
                attrs[key] = ds[:][index]
    return {"n": n, "node_type_id": type_id, "attrs": attrs, "dynamics": dyn}


def _read_edge_population(grp, edge_types, name) -> dict:
    src, tgt = grp["source_node_id"], grp["target_node_id"]
    type_ids = np.unique(grp["edge_type_id"][:])
    if type_ids.size != 1:
        raise SpecError(f"edge population {name!r} has several edge types; neuroladder reads one per edge population")
    type_id = int(type_ids[0])
    row = edge_types.get(type_id, {})
    n = src.shape[0]
    index = grp["edge_group_index"][:] if "edge_group_index" in grp else np.arange(n)
    g0 = grp["0"] if "0" in grp else {}

    def column(key, default):
        if key in g0:
            return np.asarray(g0[key][:], float)[index]
        if row.get(key, "NONE") not in ("NONE", "", None):
            return np.full(n, float(row[key]))
        if default is None:
            raise SpecError(f"edge population {name!r} has no {key!r} (in group 0 or edge_types.csv)")
        return np.full(n, default)

    return {"source": src[:].astype(np.int64), "target": tgt[:].astype(np.int64),
            "source_population": _attr_str(src.attrs["node_population"]),
            "target_population": _attr_str(tgt.attrs["node_population"]),
            "type_id": type_id, "weight": column("syn_weight", None), "delay": column("delay", None)}


def _attr_str(value) -> str:
    return value.decode() if isinstance(value, bytes) else str(value)


def _model_class(path: str):
    module, _, name = path.rpartition(".")
    if not module.startswith("neuroladder."):
        raise ParameterError(f"model class {path!r}: only neuroladder's own models are read from SONATA files")
    cls = getattr(importlib.import_module(module), name, None)
    if not (isinstance(cls, type) and issubclass(cls, Model)):
        raise SpecError(f"model class {path!r} is not a neuroladder Model")
    return cls


def _add_own_population(net, name, info, dyn):
    extra = dyn.get("neuroladder", {})
    cls = _model_class(extra["model_class"])
    params = {k: v for k, v in dyn.items() if k != "neuroladder"}
    params.update({k: v for k, v in info["dynamics"].items()})
    model = cls(**params)
    initial = {k[len("init_"):]: v for k, v in info["attrs"].items() if k.startswith("init_")}
    pop = net.add_population(name, model, info["n"], method=extra.get("method", "auto"),
                             spike_threshold=extra.get("spike_threshold", 0.0), **initial)
    for port in extra.get("synapse_ports", []):
        pop.port(_synapse(port))
    for k, v in info["attrs"].items():
        if k.startswith("synapse_init_"):
            net.initialize_synapse(pop, pop.ports[int(k[len("synapse_init_"):])], v)


#: NEST parameter names of iaf_psc_exp / iaf_cond_exp -> nl.LIF's
_NEST_LIF = {"C_m": "c_m", "tau_m": "tau_m", "E_L": "e_l", "V_th": "v_th", "V_reset": "v_reset", "t_ref": "t_ref"}
#: NEST's defaults for the two models (NEST 3 documentation of iaf_psc_exp and iaf_cond_exp)
_NEST_DEFAULTS = {
    "nest:iaf_psc_exp": {"C_m": 250.0, "tau_m": 10.0, "E_L": -70.0, "V_th": -55.0, "V_reset": -70.0, "t_ref": 2.0,
                         "tau_syn_ex": 2.0, "tau_syn_in": 2.0},
    "nest:iaf_cond_exp": {"C_m": 250.0, "E_L": -70.0, "g_L": 16.6667, "V_th": -55.0, "V_reset": -60.0, "t_ref": 2.0,
                          "tau_syn_ex": 0.2, "tau_syn_in": 2.0, "E_ex": 0.0, "E_in": -85.0}}


def _add_nest_population(net, name, info, dyn, template):
    from ..network.synapses import ExpSynapse
    from ..neurons import LIF

    p = {**_NEST_DEFAULTS[template], **{k: v for k, v in dyn.items() if not isinstance(v, dict)}, **info["dynamics"]}
    if template == "nest:iaf_cond_exp" and "tau_m" not in p:
        p["tau_m"] = np.asarray(p["C_m"], float) / np.asarray(p["g_L"], float)
    model = LIF(**{ours: p[theirs] for theirs, ours in _NEST_LIF.items()})
    initial = {"v": info["attrs"]["V_m"]} if "V_m" in info["attrs"] else ({"v": p["V_m"]} if "V_m" in p else {})
    pop = net.add_population(name, model, info["n"], **initial)
    if template == "nest:iaf_psc_exp":
        exc, inh = ExpSynapse(float(p["tau_syn_ex"])), ExpSynapse(float(p["tau_syn_in"]))
    else:
        exc = ExpSynapse(float(p["tau_syn_ex"]), e_rev=float(p["E_ex"]))
        inh = ExpSynapse(float(p["tau_syn_in"]), e_rev=float(p["E_in"]))
    if exc == inh:  # one kernel serves both signs
        inh = exc
    pop.port(exc)
    pop.port(inh)
    return exc, inh


def _synapse(d: dict):
    from ..network import synapses

    cls = {"ExpSynapse": synapses.ExpSynapse, "AlphaSynapse": synapses.AlphaSynapse,
           "DeltaSynapse": synapses.DeltaSynapse}.get(d.get("class"))
    if cls is None:
        raise ParameterError(f"synapse class {d.get('class')!r} is unknown; neuroladder reads ExpSynapse, "
                             f"AlphaSynapse and DeltaSynapse")
    return cls() if cls is synapses.DeltaSynapse else cls(tau=d["tau"], e_rev=d["e_rev"])


def _load(path):
    try:
        with open(path) as fh:
            return json.load(fh)
    except FileNotFoundError:
        raise SpecError(f"{path}: file not found") from None
    except json.JSONDecodeError as err:
        raise SpecError(f"{path}: not valid JSON ({err})") from None


def _read_csv(path):
    with open(path, newline="") as fh:
        return list(csv.DictReader(fh, delimiter=" ", skipinitialspace=True))


def _manifest(manifest: dict, base: Path) -> dict:
    out = {"$BASE_DIR": str(base)}
    for key, value in manifest.items():
        if key == "$BASE_DIR":
            out[key] = str((base / value).resolve()) if not os.path.isabs(value) else value
    for _ in range(4):  # entries may refer to each other
        for key, value in manifest.items():
            if key != "$BASE_DIR":
                out[key] = _substitute(value, out)
    return out


def _substitute(value: str, manifest: dict) -> str:
    for key in sorted(manifest, key=len, reverse=True):
        value = value.replace(key, manifest[key])
    return value


def _resolve(value: str, root: Path, manifest: dict) -> str:
    value = _substitute(value, {"$BASE_DIR": str(root), **{k: v for k, v in manifest.items()}})
    return value if os.path.isabs(value) else str(root / value)
