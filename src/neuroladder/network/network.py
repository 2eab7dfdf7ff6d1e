"""``nl.Network``: populations of any point model, projections, inputs, monitors."""

from __future__ import annotations

import math
import time
import warnings
from dataclasses import dataclass, field

import numpy as np
from numba import typed

from ..core import _kernels as K
from ..core.errors import ParameterError, SimulationDiverged
from ..core.model import Model
from ..core.parameters import require_finite, require_int, require_non_negative, require_positive
from ..core.progress import Progress
from ..core.rng import make_rng
from ..core.simulate import block_layout, from_blocks, to_blocks
from ..core.solvers import ADAPTIVE, METHODS, resolve_method
from ..core.stimulus import as_stimulus
from . import connectivity
from ._engine import engine
from .result import NetworkResult
from ._engine import N_PLAST_ROWS
from . import _engine as E
from .synapses import DELTA, EXP, STDP, TsodyksMarkram, as_synapse

#: Unit-steps of the first engine call of a run; later calls are sized to take about _CHUNK_SECONDS
#: (progress is shown between calls; each call costs ~0.5 ms of set-up, so calls must not be short).
_CHUNK_UNIT_STEPS = 20_000_000
_CHUNK_SECONDS = 0.5
#: The direct table's per-synapse and per-segment arrays (Network._direct_table), for memory_per_synapse
_DIRECT_SYNAPSE_ARRAYS = ("d_target", "d_weight", "seg_begin", "seg_delay", "seg_port", "seg_weight", "seg_wofs")


@dataclass
class Population:
    """A group of ``n`` neurons of one model. Returned by :meth:`Network.add_population`."""

    network: "Network"
    name: str
    model: Model
    n: int
    method: str
    initial: dict
    ports: list = field(default_factory=list)      # Synapse objects, one port each
    current: object = None
    synapse_init: dict = field(default_factory=dict)
    spike_threshold: float = 0.0

    def __len__(self):
        return self.n

    def port(self, synapse) -> int:
        """Index of the port for ``synapse`` (created on first use)."""
        if synapse not in self.ports:
            if self.network._built:
                raise ParameterError("the network has run; add synapse types before the first run")
            if synapse.conductance and synapse.kind == DELTA:
                raise ParameterError("a delta synapse cannot be conductance-based")
            self.ports.append(synapse)
        return self.ports.index(synapse)

    def __repr__(self):
        return f"Population({self.name!r}, {type(self.model).__name__}, n={self.n})"


@dataclass
class SpikeSource:
    """Spike generators (given times) or Poisson sources; connect them like a population."""

    network: "Network"
    name: str
    n: int
    kind: str           # "generator" or "poisson"
    times: list | None = None
    rate: float = 0.0

    def __len__(self):
        return self.n


@dataclass
class Projection:
    pre: object
    post: Population
    pre_idx: np.ndarray
    post_idx: np.ndarray
    weight: np.ndarray
    delay_steps: np.ndarray
    synapse: object
    stp: TsodyksMarkram | None = None
    stdp: STDP | None = None

    @property
    def weights(self) -> np.ndarray:
        """Current weights (changed by STDP during runs), in the order of ``pre_idx``/``post_idx``."""
        net = self.pre.network
        if not net._built:
            return self.weight.copy()
        S = net._state
        j = net.projections.index(self)
        if j not in S["proj_slots"]:  # a static projection onto a fused LIF population (direct table)
            return self.weight.astype(np.float32).astype(float)
        return S["weight"][S["proj_slots"][j]].astype(float)

    @property
    def n_synapses(self) -> int:
        return self.pre_idx.size


class Network:
    """A spiking network: ``net = nl.Network(dt=0.1, seed=1)``.

    Parameters
    ----------
    dt : float
        Time step (ms). Delays are whole steps.
    seed : None, int or numpy Generator
        Draws connectivity, weights/delays given as distributions, and Poisson input.
        Same seed, same spikes.
    threads : int
        Threads for the neuron updates (blocks of neurons in parallel; default 1). Results do
        not depend on it.

    Examples
    --------
    >>> net = nl.Network(dt=0.1, seed=1)
    >>> E = net.add_population("E", nl.LIF(), 800, v=-60.0)
    >>> net.connect(E, E, rule="fixed_probability", p=0.1, weight=20.0, delay=1.5, synapse=nl.ExpSynapse(5.0))
    >>> net.add_poisson_input(E, rate=2000.0, weight=50.0)
    >>> out = net.run(500.0)
    >>> out.spikes["E"].times, out.rate("E", bin=5.0)
    """

    def __init__(self, dt: float = 0.1, seed=None, threads: int = 1):
        require_positive("dt", dt, "ms")
        import numba

        self.threads = require_int("threads", threads, low=1)
        if self.threads > numba.config.NUMBA_NUM_THREADS:
            raise ParameterError(f"threads = {threads} exceeds the {numba.config.NUMBA_NUM_THREADS} threads numba "
                                 f"can use on this machine")
        self.dt = float(dt)
        self.rng = make_rng(seed)
        self.populations: dict[str, Population] = {}
        self.sources: dict[str, SpikeSource] = {}
        self.projections: list[Projection] = []
        self.poisson_inputs: list[tuple] = []
        self.monitors: list[dict] = []
        self.t = 0.0
        self._built = False
        self._state = None

    # ---------------------------------------------------------------- building
    def _check_name(self, name):
        if not isinstance(name, str) or not name:
            raise ParameterError(f"name must be a non-empty string, got {name!r}")
        if name in self.populations or name in self.sources:
            raise ParameterError(f"name {name!r} is already used in this network")
        if self._built:
            raise ParameterError("the network has run; add populations and connections before the first run")

    def add_population(self, name: str, model: Model, n: int, method: str = "auto", spike_threshold: float = 0.0,
                       **initial_state) -> Population:
        """Add ``n`` neurons of ``model`` (parameters may be per-neuron arrays of length n).

        ``initial_state``: values (scalars or arrays of length n) replacing the model's initial state,
        e.g. ``v=rng.uniform(-60, -50, n)``. ``method`` as in :func:`nl.simulate` (no "adaptive").
        ``spike_threshold`` (mV): spikes of models without a reset are its upward crossings.
        """
        self._check_name(name)
        if not isinstance(model, Model):
            raise ParameterError(f"model must be a neuroladder Model, got {type(model).__name__}")
        n = require_int("n", n, low=1)
        method = resolve_method(model, method)
        if method == ADAPTIVE:
            raise ParameterError("method = 'adaptive' is not available in networks; use a fixed-step method")
        if model.noise is not None:
            raise ParameterError(f"{type(model).__name__} has a noise term; networks do not integrate noise yet")
        model.param_matrix(n)  # validates per-neuron parameter shapes
        model.state_matrix(n, initial_state)
        require_finite("spike_threshold", spike_threshold, "mV")
        pop = Population(self, name, model, n, method, dict(initial_state), spike_threshold=float(spike_threshold))
        self.populations[name] = pop
        return pop

    def add_spike_generator(self, name: str, spike_times) -> SpikeSource:
        """Sources that fire at given times (ms): one array (one source) or a list of arrays (one per source)."""
        self._check_name(name)
        if isinstance(spike_times, np.ndarray) and spike_times.ndim == 1 or (
                isinstance(spike_times, (list, tuple)) and spike_times and np.isscalar(spike_times[0])):
            spike_times = [spike_times]
        trains = []
        for i, train in enumerate(spike_times):
            arr = np.asarray(train, dtype=float)
            if arr.ndim != 1 or not np.all(np.isfinite(arr)) or np.any(arr < self.dt - 1e-9):
                raise ParameterError(f"spike_times[{i}] must be a 1-D array of finite times >= dt = {self.dt} ms")
            trains.append(np.sort(arr))
        src = SpikeSource(self, name, len(trains), "generator", times=trains)
        self.sources[name] = src
        return src

    def add_poisson_source(self, name: str, n: int, rate: float) -> SpikeSource:
        """``n`` independent Poisson spike sources of ``rate`` Hz (connect them like a population)."""
        self._check_name(name)
        n = require_int("n", n, low=1)
        require_non_negative("rate", rate, "Hz")
        src = SpikeSource(self, name, n, "poisson", rate=float(rate))
        self.sources[name] = src
        return src

    def _own(self, obj, arg):
        if isinstance(obj, str):
            obj = self.populations.get(obj) or self.sources.get(obj)
        if not isinstance(obj, (Population, SpikeSource)) or obj.network is not self:
            raise ParameterError(f"{arg} must be a population or source of this network, got {obj!r}")
        return obj

    def connect(self, pre, post, rule: str = "all_to_all", weight=1.0, delay=None, synapse="exp", *,
                p: float | None = None, k: int | None = None, pre_ids=None, post_ids=None, matrix=None,
                allow_autapses: bool = True, allow_multapses: bool = True,
                stp: TsodyksMarkram | None = None, stdp: STDP | None = None) -> Projection:
        """Connect ``pre`` to ``post`` (see :mod:`neuroladder.network.connectivity` for the rules).

        weight : constant, array (one per synapse) or callable ``f(rng, size)``; unit: the post model's
            current unit (current-based), its conductance unit (conductance-based) or mV (delta).
            With ``rule="sparse"`` the matrix's values are the weights.
        delay : ms, >= dt (default dt); constant, array or callable. Rounded to whole steps, with a
            warning stating the change when a delay is not a multiple of dt.
        synapse : :class:`nl.ExpSynapse`, :class:`nl.AlphaSynapse`, :class:`nl.DeltaSynapse` or
            "exp"/"alpha"/"delta". Projections with equal synapses share one synaptic variable.
        stp : :class:`nl.TsodyksMarkram`, optional
            Short-term depression/facilitation of this projection's transmission.
        stdp : :class:`nl.STDP`, optional
            Pair-based spike-timing-dependent plasticity of this projection's weights.
        """
        pre = self._own(pre, "pre")
        post = self._own(post, "post")
        if not isinstance(post, Population):
            raise ParameterError("post must be a population (spike sources cannot receive synapses)")
        if self._built:
            raise ParameterError("the network has run; add connections before the first run")
        syn = as_synapse(synapse)
        if stp is not None and not isinstance(stp, TsodyksMarkram):
            raise ParameterError(f"stp must be nl.TsodyksMarkram(U, tau_rec, tau_facil) or None, got {stp!r}")
        if stdp is not None and not isinstance(stdp, STDP):
            raise ParameterError(f"stdp must be nl.STDP(...) or None, got {stdp!r}")
        pre_i, post_i, w_sparse = connectivity.connect_pairs(
            rule, pre.n, post.n, self.rng, pre is post, allow_autapses, allow_multapses, p=p, k=k,
            pre=pre_ids, post=post_ids, matrix=matrix)
        n_syn = pre_i.size
        weights = w_sparse if w_sparse is not None else connectivity.draw_values("weight", weight, n_syn, self.rng,
                                                                                  "synaptic weight")
        delays = connectivity.draw_values("delay", self.dt if delay is None else delay, n_syn, self.rng, "ms")
        if np.any(delays < 0):
            raise ParameterError(f"delay must be >= 0 ms, got minimum {delays.min()} ms")
        steps = np.rint(delays / self.dt)
        if np.any(np.abs(steps * self.dt - delays) > 1e-9 * np.maximum(1.0, delays)):
            worst = np.argmax(np.abs(steps * self.dt - delays))
            warnings.warn(f"delays are whole steps of dt = {self.dt} ms: e.g. {delays[worst]:g} ms becomes "
                          f"{steps[worst] * self.dt:g} ms", stacklevel=2)
        if n_syn and steps.min() < 1:
            warnings.warn(f"delays below dt = {self.dt} ms are raised to one step", stacklevel=2)
            steps = np.maximum(steps, 1)
        if n_syn and steps.max() > np.iinfo(np.uint16).max:
            raise ParameterError(f"delay of {steps.max() * self.dt} ms exceeds {np.iinfo(np.uint16).max} steps")
        post.port(syn)
        if len(self.projections) >= np.iinfo(np.uint16).max:
            raise ParameterError("too many projections (at most 65535)")
        if stdp is not None and (np.any(weights < stdp.w_min) or np.any(weights > stdp.w_max)):
            raise ParameterError(f"weight must lie in [w_min, w_max] = [{stdp.w_min}, {stdp.w_max}] for STDP")
        proj = Projection(pre, post, pre_i, post_i, weights, steps.astype(np.uint16), syn, stp, stdp)
        self.projections.append(proj)
        return proj

    def add_poisson_input(self, post, rate, weight: float, synapse="exp", n_sources: int = 1):
        """Independent Poisson input to every neuron of ``post``: ``n_sources`` sources of ``rate`` Hz each.

        Each step every neuron receives ``Poisson(n_sources * rate * dt)`` spikes of ``weight``
        (drawn with the network's generator). ``rate`` may be a number or a callable of t (ms)
        (sampled once per step; vectorised if it accepts arrays).
        """
        post = self._own(post, "post")
        if not isinstance(post, Population):
            raise ParameterError("post must be a population")
        n_sources = require_int("n_sources", n_sources, low=1)
        require_finite("weight", weight)
        if not callable(rate):
            require_non_negative("rate", rate, "Hz")
        syn = as_synapse(synapse)
        post.port(syn)
        self.poisson_inputs.append((post, syn, rate, float(weight), n_sources))

    def initialize_synapse(self, post, synapse, values):
        """Initial value of a synaptic variable (e.g. a conductance in nS), one value or one per neuron."""
        post = self._own(post, "post")
        syn = as_synapse(synapse)
        q = post.port(syn)
        arr = np.asarray(values, dtype=float)
        if arr.shape not in ((), (post.n,)) or not np.all(np.isfinite(arr)):
            raise ParameterError(f"values must be a finite scalar or an array of shape ({post.n},)")
        post.synapse_init[q] = arr

    def inject(self, post, current):
        """Inject ``current`` (any stimulus of ``nl.simulate``: number, per-neuron array, nl.Step, ...)."""
        post = self._own(post, "post")
        stim = as_stimulus(current)
        stim._check_units(post.n)
        post.current = stim if post.current is None else post.current + stim

    def record(self, population, variables=("v",), ids=None, interval: float | None = None):
        """Record state variables (or synaptic variables ``syn0``, ``syn1``... in port order) of chosen neurons."""
        pop = self._own(population, "population")
        if isinstance(variables, str):
            variables = (variables,)
        names = list(pop.model.state_names) + self._port_names(pop)
        for var in variables:
            if var not in names:
                raise ParameterError(f"record: {var!r} is not a variable of population {pop.name!r}; "
                                     f"choose from {', '.join(names)}")
        ids = np.arange(pop.n) if ids is None else np.asarray(ids, dtype=np.int64)
        if ids.ndim != 1 or (ids.size and (ids.min() < 0 or ids.max() >= pop.n)):
            raise ParameterError(f"ids must be indices in [0, {pop.n - 1}]")
        every = 1 if interval is None else int(round(interval / self.dt))
        if every < 1 or not math.isclose(every * self.dt, interval or self.dt, rel_tol=1e-9):
            raise ParameterError(f"interval = {interval} ms must be a whole multiple of dt = {self.dt} ms")
        for var in variables:
            self.monitors.append({"pop": pop, "var": var, "ids": ids, "every": every})

    @staticmethod
    def _port_names(pop):
        names, row = [], 0
        for q, syn in enumerate(pop.ports):
            for r in range(syn.rows):
                names.append(f"syn{q}" if r == 0 else f"syn{q}_x")
        return names

    # ---------------------------------------------------------------- running
    def _fused_lif(self, i: int) -> bool:
        """Whether population ``i`` takes the engine's fused LIF step (same dynamics as the generic path,
        to rounding; several times faster): exactly ``nl.LIF`` integrated by exponential Euler or Euler, with at
        most two synapse ports, both exponential (e.g. one excitatory and one inhibitory synapse type),
        and only static synapses onto it (plastic ones go through the ring buffer's generic path)."""
        from ..neurons.lif import LIF

        pop = list(self.populations.values())[i]
        return (type(pop.model) is LIF and METHODS[pop.method].code in (K.EXPONENTIAL_EULER, K.EULER)
                and len(pop.ports) <= 2 and all(syn.kind == EXP for syn in pop.ports)
                and not any(proj.post is pop and (proj.stp is not None or proj.stdp is not None)
                            for proj in self.projections))

    def _build(self):
        pops = list(self.populations.values())
        if not pops:
            raise ParameterError("the network has no population; add one with net.add_population(...)")
        offset = 0
        for pop in pops:
            pop.id_offset = offset
            offset += pop.n
        n_neurons = offset
        for src in self.sources.values():
            src.id_offset = offset
            offset += src.n
        n_units = offset
        # ports: global numbering, ring targets
        port_kind, port_tau, port_erev, port_row, port_ring_off, port_pop_start = [], [], [], [], [], [0]
        ring_width = 0
        for pop in pops:
            row = 0
            pop.port_base = len(port_kind)
            for syn in pop.ports:
                port_kind.append(syn.kind)
                port_tau.append(syn.tau if math.isfinite(syn.tau) else 1.0)
                port_erev.append(np.nan if syn.e_rev is None else syn.e_rev)
                port_row.append(row)
                port_ring_off.append(ring_width)
                row += syn.rows
                ring_width += pop.n
            pop.port_rows = row
            port_pop_start.append(len(port_kind))
        # fused LIF populations keep their (exponential) synaptic variables in one flat array, scaled
        # (engine.lif_port_scales), and receive their synapses straight into it (engine._deliver)
        fused = [self._fused_lif(i) for i in range(len(pops))]
        port_dbase = np.full(len(port_kind), -1, np.int64)
        port_renorm = np.zeros(len(port_kind), np.int64)
        dstate_size = 0
        for i, pop in enumerate(pops):
            pop.dstate_base = dstate_size if fused[i] else -1
            if fused[i]:
                for q in range(len(pop.ports)):
                    port = pop.port_base + q
                    port_dbase[port] = dstate_size + port_row[port] * pop.n
                    # renormalise every ~100 tau: the scale factors stay within exp(+-100)
                    port_renorm[port] = max(1, int(100.0 * port_tau[port] / self.dt))
                dstate_size += max(pop.port_rows, 1) * pop.n
        dstate = np.zeros(max(dstate_size, 1))
        # synapses in one CSR table over global presynaptic ids
        plast = np.zeros((N_PLAST_ROWS, max(len(self.projections), 1)))
        n_stp = n_traces = 0
        for j, proj in enumerate(self.projections):
            plast[E.PRE_FIRST, j] = proj.pre.id_offset
            if proj.stp is not None:
                plast[[E.STP_ON, E.STP_U, E.STP_TAU_REC, E.STP_TAU_FAC, E.STP_OFF], j] = (
                    1.0, proj.stp.U, proj.stp.tau_rec, proj.stp.tau_facil, n_stp)
                n_stp += proj.pre.n
            if proj.stdp is not None:
                r = proj.stdp
                q = self._port(proj)
                plast[[E.STDP_ON, E.A_PLUS, E.A_MINUS, E.TAU_PLUS, E.TAU_MINUS, E.W_MIN, E.W_MAX, E.MULT, E.PRE_OFF,
                       E.POST_OFF, E.POST_FIRST, E.POST_N, E.RING_OFF], j] = (
                    1.0, r.a_plus, r.a_minus, r.tau_plus, r.tau_minus, r.w_min, r.w_max, float(r.multiplicative),
                    n_traces, n_traces + proj.pre.n, proj.post.id_offset, proj.post.n, port_ring_off[q])
                n_traces += proj.pre.n + proj.post.n
        stp_state = np.zeros((3, max(n_stp, 1)))
        for j, proj in enumerate(self.projections):
            if proj.stp is not None:
                first = int(plast[E.STP_OFF, j])
                # u = U, x = 1 and no previous spike: the first spike transmits w U (NEST's
                # tsodyks2_synapse instead counts from a spike at t = 0)
                stp_state[0, first:first + proj.pre.n] = proj.stp.U
                stp_state[1, first:first + proj.pre.n] = 1.0
                stp_state[2, first:first + proj.pre.n] = -np.inf
        traces = np.zeros((2, max(n_traces, 1)))
        plastic = n_stp + n_traces > 0
        ring_proj = [j for j, proj in enumerate(self.projections) if proj.post.dstate_base < 0]
        direct_proj = [j for j, proj in enumerate(self.projections) if proj.post.dstate_base >= 0]
        if ring_proj:
            pre_g, tgt, w, d, _, proj_of = self._gather(ring_proj, port_ring_off)
            order = np.argsort(pre_g, kind="stable")
            target = tgt[order].astype(np.int32)
            weight = w[order].astype(np.float32)
            delay = d[order].astype(np.uint16)
            proj_of = proj_of[order].astype(np.uint16)
            syn_proj = proj_of if plastic else np.zeros(0, np.uint16)
            # where each projection's synapses went in the CSR order (to read weights back)
            slot_of = np.empty(order.size, np.int64)
            slot_of[order] = np.arange(order.size)
            bounds = np.cumsum([0] + [self.projections[j].n_synapses for j in ring_proj])
            proj_slots = {j: slot_of[bounds[r]:bounds[r + 1]] for r, j in enumerate(ring_proj)}
            # incoming STDP synapses of each postsynaptic unit (CSC), for potentiation at its spikes
            stdp_syn = np.flatnonzero(plast[E.STDP_ON, proj_of] > 0.0)
            post_g = np.concatenate([self.projections[j].post.id_offset + self.projections[j].post_idx
                                     for j in ring_proj])[order][stdp_syn]
            by_post = np.argsort(post_g, kind="stable")
            in_syn = stdp_syn[by_post].astype(np.int64)
            in_pre = pre_g[order][in_syn].astype(np.int32)
            in_ptr = np.concatenate([[0], np.cumsum(np.bincount(post_g, minlength=n_units))]).astype(np.int64)
            indptr = np.concatenate([[0], np.cumsum(np.bincount(pre_g, minlength=n_units))]).astype(np.int64)
            max_delay = int(delay.max()) if delay.size else 1
        else:
            target = np.zeros(0, np.int32)
            weight = np.zeros(0, np.float32)
            delay = np.zeros(0, np.uint16)
            syn_proj = np.zeros(0, np.uint16)
            proj_slots = {}
            in_syn, in_pre = np.zeros(0, np.int64), np.zeros(0, np.int32)
            in_ptr = np.zeros(n_units + 1, np.int64)
            indptr = np.zeros(n_units + 1, np.int64)
            max_delay = 1
        direct = self._direct_table(direct_proj, port_dbase, n_units)
        max_delay = max(max_delay, direct["max_delay"])
        if ring_width >= np.iinfo(np.int32).max or dstate_size >= np.iinfo(np.int32).max:
            raise ParameterError("too many synaptic targets for 32-bit indices")
        self._state = {
            "pops": pops, "n_neurons": n_neurons, "indptr": indptr, "target": target, "weight": weight,
            "delay": delay, "syn_proj": syn_proj, "plast": plast, "stp_state": stp_state, "traces": traces,
            "in_ptr": in_ptr, "in_syn": in_syn, "in_pre": in_pre, "proj_slots": proj_slots, "ring": np.zeros((max_delay + 2, max(ring_width, 1))),
            "port_kind": np.array(port_kind, np.int64), "port_tau": np.array(port_tau, float),
            "port_erev": np.array(port_erev, float), "port_row": np.array(port_row, np.int64),
            "port_ring_off": np.array(port_ring_off, np.int64), "port_pop_start": np.array(port_pop_start, np.int64),
            "dstate": dstate, "port_dbase": port_dbase, "port_renorm": port_renorm,
            "port_nsince": np.zeros(len(port_kind), np.int64), "port_inv": np.ones(len(port_kind)),
            "queue": typed.List([np.zeros((max_delay + 2, 64), np.int64)]), "q_n": np.zeros(max_delay + 2, np.int64),
            **{k: v for k, v in direct.items() if k != "max_delay"},
        }
        S = self._state
        S["states"], S["params"], S["thresholds"], S["t_refs"] = typed.List(), typed.List(), typed.List(), typed.List()
        S["refr"], S["clamps"], S["gains"], S["port_states"] = typed.List(), typed.List(), typed.List(), typed.List()
        block_start = [0]
        for pop in pops:
            model, n = pop.model, pop.n
            nb, blk = block_layout(n, self.threads)
            block_start.append(block_start[-1] + nb)
            S["states"].append(to_blocks(model.state_matrix(n, pop.initial), nb, blk))
            S["params"].append(to_blocks(model.param_matrix(n), nb, blk))
            if not model.spikes:
                thr = np.full(n, np.inf)
            elif model.has_reset:
                thr = np.broadcast_to(np.asarray(model.threshold_at(self.dt), float), (n,)).copy()
            else:
                thr = np.full(n, pop.spike_threshold)
            S["thresholds"].append(thr)
            S["t_refs"].append(np.broadcast_to(np.asarray(model.refractory_period(), float), (n,)).copy())
            S["refr"].append(np.full(n, -np.inf))
            S["clamps"].append(np.zeros(n))
            S["gains"].append(np.array(model.input_gain(n), dtype=float))
            if pop.dstate_base >= 0:  # a view into the flat scaled state (see above)
                ps = dstate[pop.dstate_base:pop.dstate_base + max(pop.port_rows, 1) * n].reshape(-1, n)
            else:
                ps = np.zeros((max(pop.port_rows, 1), n))
            for q, values in pop.synapse_init.items():
                ps[S["port_row"][pop.port_base + q]] = values
            S["port_states"].append(ps)
        S["block_start"] = np.array(block_start, np.int64)
        S["eqs"] = tuple(pop.model.equations for pop in pops)
        S["resets"] = tuple(pop.model.reset if pop.model.has_reset else K.no_reset for pop in pops)
        fused_code = 1 if self.threads == 1 else 2  # fused LIF step: 1 on one thread, 2 in a parallel region
        S["meta"] = {k: np.array(v, np.int64) for k, v in {
            "n_pop": [p.n for p in pops], "methods": [METHODS[p.method].code for p in pops],
            "has_reset": [int(p.model.has_reset) for p in pops], "spike_index": [p.model.spike_index for p in pops],
            "id_offset": [p.id_offset for p in pops],
            "fast": [int(f) * fused_code for f in fused]}.items()}
        # sources
        ev = [(np.rint(t / self.dt).astype(np.int64) - 1, np.full(t.size, s.id_offset + i, np.int64))
              for s in self.sources.values() if s.kind == "generator" for i, t in enumerate(s.times)]
        if ev:
            ev_step = np.concatenate([e[0] for e in ev])
            ev_src = np.concatenate([e[1] for e in ev])
            order = np.lexsort((ev_src, ev_step))
            S["ev_step"], S["ev_src"] = ev_step[order], ev_src[order]
        else:
            S["ev_step"], S["ev_src"] = np.zeros(0, np.int64), np.zeros(0, np.int64)
        S["ev_pos"] = np.zeros(1, np.int64)
        psrc = [s for s in self.sources.values() if s.kind == "poisson"]
        S["psrc_first"] = np.array([s.id_offset for s in psrc], np.int64)
        S["psrc_count"] = np.array([s.n for s in psrc], np.int64)
        S["psrc_rate"] = np.array([s.rate for s in psrc], float)
        self._built = True

    @staticmethod
    def _port(proj) -> int:
        """The global number of the port (synapse type of the postsynaptic population) a projection feeds."""
        return proj.post.port_base + proj.post.ports.index(proj.synapse)

    def _gather(self, proj_ids, port_base_index):
        """The synapses of projections ``proj_ids``, concatenated: global presynaptic ids, targets as indices of
        the table that ``port_base_index`` lays out (per port: the index of its unit 0), weights, delays
        (steps), ports and projection numbers."""
        cols = ([], [], [], [], [], [])
        for j in proj_ids:
            proj = self.projections[j]
            q, n_syn = self._port(proj), proj.n_synapses
            for col, values in zip(cols, (proj.pre.id_offset + proj.pre_idx, port_base_index[q] + proj.post_idx,
                                          proj.weight, proj.delay_steps.astype(np.int64),
                                          np.full(n_syn, q, np.int64), np.full(n_syn, j, np.int64))):
                col.append(values)
        return tuple(np.concatenate(col) for col in cols)

    def _direct_table(self, direct_proj, port_dbase, n_units):
        """The static synapses onto fused LIF populations, by presynaptic unit and, within a unit, by
        (delay, port): each run of equal (unit, delay, port) is a *segment*, queued as one entry when the
        unit spikes and delivered at its arrival step (a spike queue, as Brian2's, instead of a ring row).

        A segment whose synapses all have one weight stores it once (``seg_weight``; NEST's
        ``static_synapse_hom_w``): delivery then reads no weight per synapse (~30 % faster) and the
        synapse costs its target index alone. Other segments keep their weights in ``d_weight`` from
        ``seg_wofs[seg] + syn`` (``seg_weight`` is NaN there).

        Returns d_target (int32: index into the flat scaled state), d_weight (float32), seg_ptr (each
        unit's segments), seg_begin (first synapse of each segment, plus the end), seg_delay (steps),
        seg_port, seg_weight, seg_wofs, and the largest delay."""
        if not direct_proj:
            return {"d_target": np.zeros(0, np.int32), "d_weight": np.zeros(0, np.float32),
                    "seg_ptr": np.zeros(n_units + 1, np.int64), "seg_begin": np.zeros(1, np.int64),
                    "seg_delay": np.zeros(0, np.int64), "seg_port": np.zeros(0, np.int64),
                    "seg_weight": np.zeros(0), "seg_wofs": np.zeros(0, np.int64), "max_delay": 1}
        pre, tgt, w, d, port, _ = self._gather(direct_proj, port_dbase)
        order = np.lexsort((np.arange(pre.size), port, d, pre))  # stable within (unit, delay, port)
        pre, tgt, w, d, port = pre[order], tgt[order], w[order].astype(np.float32), d[order], port[order]
        starts = np.flatnonzero(np.r_[True, (pre[1:] != pre[:-1]) | (d[1:] != d[:-1]) | (port[1:] != port[:-1])])
        seg_begin = np.r_[starts, pre.size].astype(np.int64)
        seg_ptr = np.concatenate([[0], np.cumsum(np.bincount(pre[starts], minlength=n_units))]).astype(np.int64)
        # one weight per segment where its float32 weights are all equal (compared as stored)
        seg_id = np.repeat(np.arange(starts.size), np.diff(seg_begin))
        first_w = w[starts]
        homogeneous = np.bincount(seg_id, weights=(w != first_w[seg_id]), minlength=starts.size) == 0
        seg_weight = np.where(homogeneous, first_w.astype(float), np.nan)
        kept = ~homogeneous[seg_id]  # synapses whose weights stay per synapse
        n_kept_before = np.r_[0, np.cumsum(kept)][starts]  # kept weights of the segments before each one
        seg_wofs = (n_kept_before - starts).astype(np.int64)
        return {"d_target": tgt.astype(np.int32), "d_weight": w[kept], "seg_ptr": seg_ptr,
                "seg_begin": seg_begin, "seg_delay": d[starts].astype(np.int64),
                "seg_port": port[starts].astype(np.int64), "seg_weight": seg_weight, "seg_wofs": seg_wofs,
                "max_delay": int(d.max()) if d.size else 1}

    def run(self, duration: float, progress: bool | None = None, spikes_file=None,
            keep_spikes: bool = True, backend: str = "neuroladder", **backend_options) -> NetworkResult:
        """Simulate ``duration`` ms (continuing from the previous run, if any) and return the recordings.

        backend : "neuroladder" (the built-in engine), "nest" (PyNEST; ``threads=`` its threads) or
            "neuron" (NEURON's ParallelContext; under ``mpirun`` the cells are spread over the ranks).
            Another engine runs the same network from t = 0, or refuses it with a ParameterError
            naming the part it has no counterpart for (see :mod:`neuroladder.network.backends`).

        spikes_file : path, optional
            Stream every population's spikes to this SONATA HDF5 file (``/spikes/<name>/timestamps``
            in ms and ``node_ids``), flushed after every block of steps so an interrupted run keeps
            what it wrote. Needs h5py (the ``io`` extra).
        keep_spikes : bool
            With ``spikes_file``, False keeps no spikes in memory (``out.spikes`` is then empty):
            the file is the record of a long run.
        """
        require_positive("duration", duration, "ms")
        if backend != "neuroladder" or backend_options:
            from .backends import check_backend, run_on_backend

            if check_backend(backend) == "neuroladder":
                raise ParameterError(f"unknown argument(s) {', '.join(backend_options)} for the built-in engine")
            return run_on_backend(self, backend, duration, **backend_options)
        n_steps = int(round(duration / self.dt))
        if n_steps < 1:
            raise ParameterError(f"duration = {duration} ms must be at least one step dt = {self.dt} ms")
        t_build = time.perf_counter()
        if not self._built:
            self._build()
        build_s = time.perf_counter() - t_build
        S = self._state
        pops = S["pops"]
        step0 = int(round(self.t / self.dt))
        # inputs over this run: currents sampled on the half-step grid, Poisson expected counts per step
        stims, stim_half = typed.List(), []
        for pop in pops:
            stim = pop.current if pop.current is not None else as_stimulus(0.0)
            if stim.time_varying:
                times = (step0 + np.arange(2 * n_steps + 1) * 0.5) * self.dt
                stims.append(stim.sample(times, pop.n))
                stim_half.append(1)
            else:
                stims.append(stim.sample(np.zeros(1), pop.n))
                stim_half.append(0)
        pin_port, pin_weight, pin_lambda = [], [], typed.List()
        for post, syn, rate, weight, n_src in self.poisson_inputs:
            pin_port.append(post.port_base + post.ports.index(syn))
            pin_weight.append(weight)
            if callable(rate):
                t = (step0 + np.arange(n_steps)) * self.dt
                r = np.asarray(as_stimulus(rate)._values(t), dtype=float).reshape(-1)
                if r.size != n_steps or np.any(r < 0) or not np.all(np.isfinite(r)):
                    raise ParameterError("rate(t) must return one finite rate >= 0 Hz per time")
                lam = np.zeros(step0 + n_steps)
                lam[step0:] = n_src * r * self.dt * 1e-3
            else:
                lam = np.array([n_src * rate * self.dt * 1e-3])
            pin_lambda.append(lam)
        # monitors
        mon_ids, mon_out, mon_pop, mon_var, mon_every = typed.List(), typed.List(), [], [], []
        for mon in self.monitors:
            pop = mon["pop"]
            names = list(pop.model.state_names) + self._port_names(pop)
            first = (step0 // mon["every"]) + 1
            last = (step0 + n_steps) // mon["every"]
            mon_ids.append(mon["ids"])
            mon_out.append(np.full((max(last - first + 1, 0), mon["ids"].size), np.nan))
            mon_pop.append(pops.index(pop))
            mon_var.append(names.index(mon["var"]))
            mon_every.append(mon["every"])
        if not self.monitors:  # the engine needs typed lists with a known element type
            mon_ids.append(np.zeros(0, np.int64))
            mon_out.append(np.zeros((0, 0)))
        mon_count = np.zeros(max(len(self.monitors), 1), np.int64)
        capacity = max(1 << 16, 4 * S["n_neurons"] * K.MAX_SPIKES_PER_STEP + S["ev_step"].size)
        spk_t, spk_i = np.empty(capacity), np.empty(capacity, np.int64)
        counters, status = np.zeros(1, np.int64), np.zeros(4, np.int64)
        import numba

        # launches numba's thread pool, which must exist before cached parallel code is loaded
        numba.set_num_threads(self.threads)
        run = engine(len(pops))
        meta = S["meta"]
        chunk = max(1, min(n_steps, _CHUNK_UNIT_STEPS // max(S["n_neurons"], 1)))
        bar = Progress(f"network ({S['n_neurons']} neurons)", n_steps, enabled=progress)
        writer = None
        if spikes_file is not None:
            from ..io.sonata import SpikeWriter

            writer = SpikeWriter(spikes_file, [p.name for p in pops])
        kept_t, kept_i = [], []
        # the engine's arguments that stay the same for every call of this run
        network_args = (
            S["eqs"], S["resets"], S["states"], S["params"], meta["n_pop"], meta["methods"], meta["has_reset"],
            meta["fast"], meta["spike_index"], meta["id_offset"], S["block_start"], S["thresholds"], S["t_refs"],
            S["refr"], S["clamps"], S["gains"], stims, np.array(stim_half, np.int64),
            S["port_states"], S["port_pop_start"], S["port_kind"], S["port_tau"], S["port_erev"], S["port_row"],
            S["port_ring_off"], S["ring"], S["indptr"], S["target"], S["weight"], S["delay"], S["syn_proj"],
            S["plast"], S["stp_state"], S["traces"], S["in_ptr"], S["in_syn"], S["in_pre"],
            S["ev_step"], S["ev_src"], S["ev_pos"], S["psrc_first"], S["psrc_count"], S["psrc_rate"])
        input_args = (np.array(pin_port, np.int64), np.array(pin_weight, float),
                      pin_lambda if len(pin_lambda) else _empty_list(), np.zeros(0, np.int64))
        monitor_args = (np.array(mon_pop, np.int64), np.array(mon_var, np.int64), np.array(mon_every, np.int64),
                        mon_ids, mon_out, mon_count)
        direct_args = tuple(S[key] for key in ("dstate", "d_target", "d_weight", "seg_ptr", "seg_begin", "seg_delay",
                                                "seg_port", "seg_weight", "seg_wofs", "port_dbase", "port_nsince",
                                                "port_renorm", "port_inv", "queue", "q_n"))
        t_run = time.perf_counter()
        done = 0
        while done < n_steps:
            steps = min(chunk, n_steps - done)
            t_call = time.perf_counter()
            start = 0
            while start < steps:
                status[:] = 0
                finished = run(*network_args, *input_args, self.rng, self.dt, step0 + done + start, steps - start,
                               spk_t, spk_i, counters, status, *monitor_args, *direct_args)
                start += finished
                if status[0] == K.NEED_SPIKE_SPACE:
                    spk_t = np.concatenate([spk_t, np.empty_like(spk_t)])
                    spk_i = np.concatenate([spk_i, np.empty_like(spk_i)])
                elif status[0] != K.OK:
                    if writer is not None:
                        writer.close()
                    self._raise(status)
            if writer is not None:
                m = counters[0]
                self._write_chunk(writer, pops, spk_t[:m], spk_i[:m])
                if keep_spikes:
                    kept_t.append(spk_t[:m].copy())
                    kept_i.append(spk_i[:m].copy())
                counters[0] = 0
            done += steps
            bar.update(done)
            spent = time.perf_counter() - t_call
            chunk = int(min(8 * chunk, max(chunk // 4, chunk * _CHUNK_SECONDS / max(spent, 1e-6)))) or 1
        bar.close()
        if writer is not None:
            writer.close()
            spk_t = np.concatenate(kept_t) if kept_t else np.zeros(0)
            spk_i = np.concatenate(kept_i) if kept_i else np.zeros(0, np.int64)
            counters[0] = spk_t.size
        run_s = time.perf_counter() - t_run
        t0 = self.t
        self.t = (step0 + n_steps) * self.dt
        m = counters[0]
        monitors = []
        for i, mon in enumerate(self.monitors):
            every = mon["every"]
            first = (step0 // every) + 1
            times = (first + np.arange(mon_out[i].shape[0])) * every * self.dt
            monitors.append((mon["pop"].name, mon["var"], mon["ids"], times, mon_out[i]))
        return NetworkResult(self, spk_t[:m].copy(), spk_i[:m].copy(), t0, self.t, monitors, build_s, run_s)

    @staticmethod
    def _write_chunk(writer, pops, times, ids):
        order = np.lexsort((ids, times))
        times, ids = times[order], ids[order]
        for pop in pops:
            mask = (ids >= pop.id_offset) & (ids < pop.id_offset + pop.n)
            writer.append(pop.name, times[mask], ids[mask] - pop.id_offset)
        writer.flush()

    def _raise(self, status):
        code, unit, var, step = (int(x) for x in status)
        pops = self._state["pops"]
        pop = next(p for p in reversed(pops) if p.id_offset <= unit)
        names = pop.model.state_names
        label = names[var] if var < len(names) else f"#{var}"
        where = f"{label} (population {pop.name!r}, neuron {unit - pop.id_offset})"
        if code == K.DIVERGED:
            raise SimulationDiverged((step + 1) * self.dt, unit, where, self.dt, pop.method)
        raise SimulationDiverged((step + 1) * self.dt, unit, where, self.dt, pop.method,
                                 reason=f"crossed threshold {K.MAX_SPIKES_PER_STEP} times within one step")

    def memory_per_synapse(self) -> float:
        """Bytes the engine stores per synapse, averaged over all synapses. Synapses through the ring buffer
        (the generic path): target index (4), weight (4), delay (2), and the projection index (2) when a
        projection is plastic (STP or STDP; STDP synapses also appear in an incoming index, +12 bytes each).
        Static synapses onto fused LIF populations: target (4) and weight (4; none in a segment of one
        weight), plus 40 bytes per segment (a presynaptic unit's synapses of one delay and port: first
        synapse, delay, port, the shared weight, the weights' offset). The row pointers
        (8 bytes per presynaptic unit and table) come on top."""
        if not self._built:
            self._build()
        S = self._state
        ring_per = S["target"].itemsize + S["weight"].itemsize + S["delay"].itemsize + (
            S["syn_proj"].itemsize if S["syn_proj"].size else 0)
        n_ring, n_direct = S["target"].size, S["d_target"].size
        if n_ring + n_direct == 0:
            return float(ring_per)
        direct_bytes = sum(S[key].nbytes for key in _DIRECT_SYNAPSE_ARRAYS) if n_direct else 0
        return float((n_ring * ring_per + direct_bytes) / (n_ring + n_direct))

    @property
    def n_synapses(self) -> int:
        return int(sum(p.n_synapses for p in self.projections))

    # ---------------------------------------------------------------- other engines
    def to_sonata(self, directory, tstop: float = 1000.0):
        """Write this network (before its first run) as SONATA files in ``directory`` (created if needed):
        nodes and edges HDF5, node and edge type CSVs, ``circuit_config.json`` and ``simulation_config.json``
        (``tstop`` ms). :meth:`from_sonata` reads it back to bit-identical spikes. Needs h5py (``io`` extra).
        See :mod:`neuroladder.io.sonata_network`."""
        from ..io.sonata_network import write_network

        return write_network(self, directory, tstop)

    @classmethod
    def from_sonata(cls, directory, threads: int | None = None) -> "Network":
        """Read a network written by :meth:`to_sonata` (or a SONATA network of NEST's ``iaf_psc_exp``/
        ``iaf_cond_exp`` neurons and spike-file inputs). See :mod:`neuroladder.io.sonata_network`."""
        from ..io.sonata_network import read_network

        return read_network(directory, threads)


def _empty_list():
    out = typed.List()
    out.append(np.zeros(1))
    out.pop()
    return out
