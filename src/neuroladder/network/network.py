"""``nl.Network``: populations of any point model, projections, inputs, monitors."""

from __future__ import annotations

import math
import time
import warnings
from dataclasses import dataclass, field

import numba
import numpy as np
from numba import typed

from ..core import _kernels as K
from ..core._compile import first_class_functions
from ..core.blocks import from_blocks
from ..core.errors import ParameterError
from ..core.model import Model
from ..core.parameters import require_finite, require_int, require_non_negative, require_positive
from ..core.progress import Progress
from ..core.rng import make_rng
from ..core.solvers import ADAPTIVE, resolve_method
from ..core.status import raise_for_status
from ..core.stimulus import as_stimulus
from . import connectivity
from ._build import DIRECT_SYNAPSE_ARRAYS, NetworkLayout, flat_views, fused_lif, layout
from ._engine import engine
from ._lif_fused import is_uniform, sweep_tuple
from ._records import Clock, EnginePlan, Inputs, Monitors, SpikeBuffer
from .result import NetworkResult
from .synapses import DELTA, STDP, TsodyksMarkram, as_synapse

#: Unit-steps of the first engine call of a run; later calls are sized to take about _CHUNK_SECONDS
#: (progress is shown between calls; each call costs ~0.5 ms of set-up, so calls must not be short).
_CHUNK_UNIT_STEPS = 20_000_000
_CHUNK_SECONDS = 0.5


@dataclass
class Population:
    """A group of ``n`` neurons of one model. Returned by :meth:`Network.add_population`."""

    network: Network
    name: str
    model: Model
    n: int
    method: str
    initial: dict
    ports: list = field(default_factory=list)      # Synapse objects, one port each
    current: object = None
    synapse_init: dict = field(default_factory=dict)
    spike_threshold: float = 0.0
    # set when the network is laid out for the engine (network._build.layout)
    id_offset: int = field(default=-1, init=False)      # global id of neuron 0
    port_base: int = field(default=-1, init=False)      # global number of port 0
    port_rows: int = field(default=0, init=False)       # rows of synaptic variables
    dstate_base: int = field(default=-1, init=False)    # fused LIF: offset of its variables in the flat state

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

    network: Network
    name: str
    n: int
    kind: str           # "generator" or "poisson"
    times: list | None = None
    rate: float = 0.0
    id_offset: int = field(default=-1, init=False)      # global id of source 0 (set at layout)

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
        lay = net.layout
        j = net.projections.index(self)
        if j not in lay.proj_slots:  # a static projection onto a fused LIF population (direct table)
            return self.weight.astype(np.float32).astype(float)
        return lay.synapses.weight[lay.proj_slots[j]].astype(float)

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
        self._layout: NetworkLayout | None = None

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
        return [f"syn{q}" if r == 0 else f"syn{q}_x" for q, syn in enumerate(pop.ports) for r in range(syn.rows)]

    # ---------------------------------------------------------------- running
    def _fused_lif(self, i: int) -> bool:
        """Whether population ``i`` takes the engine's fused LIF step (:func:`_build.fused_lif`)."""
        return fused_lif(self, list(self.populations.values())[i])

    def _build(self):
        self._layout = layout(self)
        self._built = True

    @property
    def layout(self) -> NetworkLayout:
        """The network as the engine runs it (records of flat arrays; built on first use): for inspection
        and tests. See :mod:`neuroladder.network._records`."""
        if not self._built:
            self._build()
        return self._layout

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
        lay = self.layout
        build_s = time.perf_counter() - t_build
        step0 = int(round(self.t / self.dt))
        inputs, sweeps = self._run_inputs(lay, step0, n_steps)
        monitors = self._run_monitors(lay, step0, n_steps)
        # launches numba's thread pool, which must exist before cached parallel code is loaded
        numba.set_num_threads(self.threads)
        spikes, run_s = self._run_steps(lay, inputs, sweeps, monitors, step0, n_steps, progress, spikes_file,
                                        keep_spikes)
        t0 = self.t
        self.t = (step0 + n_steps) * self.dt
        recordings = []
        for mon, out in zip(self.monitors, monitors.out):
            every = mon["every"]
            times = ((step0 // every) + 1 + np.arange(out.shape[0])) * every * self.dt
            recordings.append((mon["pop"].name, mon["var"], mon["ids"], times, out))
        return NetworkResult(self, *spikes, t0, self.t, recordings, build_s, run_s)

    def _run_inputs(self, lay, step0, n_steps):
        """This run's inputs: currents sampled on the half-step grid (or once, if constant), Poisson
        expected counts per step; and each population's sweep (fused LIF: the variant its input allows)."""
        pops = lay.pops
        samples, stim_half = [], []
        for pop in pops:
            stim = pop.current if pop.current is not None else as_stimulus(0.0)
            if stim.time_varying:
                times = (step0 + np.arange(2 * n_steps + 1) * 0.5) * self.dt
                samples.append(np.asarray(stim.sample(times, pop.n), float))
                stim_half.append(1)
            else:
                samples.append(np.asarray(stim.sample(np.zeros(1), pop.n), float))
                stim_half.append(0)
        stim_data, stim_off, stims = flat_views(samples)
        pin_port, pin_weight, pin_lambda = [], [], typed.List.empty_list(numba.float64[::1])
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
        P, views = lay.populations, lay.views
        flags = []
        for pi, pop in enumerate(pops):
            if P.fused[pi]:
                P.lif_uniform[pi] = is_uniform(from_blocks(views.params[pi], pop.n), views.gains[pi],
                                               views.thresholds[pi], samples[pi])
                flags.append((bool(P.lif_cond[pi]), bool(P.lif_uniform[pi]), bool(P.method[pi] == K.EULER)))
        inputs = Inputs(stims=stims, stim_data=stim_data, stim_off=stim_off,
                        stim_cols=np.array([a.shape[1] for a in samples], np.int64),
                        stim_rows=np.array([a.shape[0] for a in samples], np.int64),
                        stim_half=np.array(stim_half, np.int64), stim_step0=step0,
                        poisson_port=np.array(pin_port, np.int64), poisson_weight=np.array(pin_weight, float),
                        poisson_lambda=pin_lambda)
        return inputs, sweep_tuple(flags)

    def _run_monitors(self, lay, step0, n_steps) -> Monitors:
        """The monitors' arrays for this run (NaN where a sample was not taken)."""
        mon_ids = typed.List.empty_list(numba.int64[::1])
        mon_out = typed.List.empty_list(numba.float64[:, ::1])
        mon_pop, mon_var, mon_every = [], [], []
        for mon in self.monitors:
            pop = mon["pop"]
            names = list(pop.model.state_names) + self._port_names(pop)
            first = (step0 // mon["every"]) + 1
            last = (step0 + n_steps) // mon["every"]
            mon_ids.append(np.ascontiguousarray(mon["ids"], np.int64))
            mon_out.append(np.full((max(last - first + 1, 0), mon["ids"].size), np.nan))
            mon_pop.append(lay.pops.index(pop))
            mon_var.append(names.index(mon["var"]))
            mon_every.append(mon["every"])
        return Monitors(np.array(mon_pop, np.int64), np.array(mon_var, np.int64), np.array(mon_every, np.int64),
                        mon_ids, mon_out, np.zeros(max(len(self.monitors), 1), np.int64))

    def _run_steps(self, lay, inputs, sweeps, monitors, step0, n_steps, progress, spikes_file, keep_spikes):
        """The engine calls of one run, in chunks of about _CHUNK_SECONDS (progress is shown between them;
        each call costs ~0.5 ms of set-up, so calls must not be short). Returns the spikes (times, ids) and
        the seconds spent running (after compilation)."""
        capacity = max(1 << 16, 4 * lay.n_neurons * K.MAX_SPIKES_PER_STEP + lay.sources.event_step.size)
        spikes = SpikeBuffer(np.empty(capacity), np.empty(capacity, np.int64), np.zeros(1, np.int64),
                             np.zeros(4, np.int64))
        plan = EnginePlan(len(lay.pops), bool(np.any(lay.populations.fused == 0)),
                          bool(np.any(lay.populations.fused > 0)), self.threads > 1, inputs.poisson_port.size > 0,
                          lay.sources.event_step.size > 0 or lay.sources.poisson_first.size > 0,
                          monitors.pop.size > 0, lay.synapses.target.size > 0, lay.direct.target.size > 0)
        args = (lay.equations, lay.resets, K.no_noise, sweeps, lay.populations, lay.views, inputs, lay.ports,
                lay.synapses, lay.direct, lay.sources, monitors, spikes, self.rng, Clock(self.dt, step0, n_steps))
        run = engine(plan, args)
        t_run = time.perf_counter()
        chunk = max(1, min(n_steps, _CHUNK_UNIT_STEPS // max(lay.n_neurons, 1)))
        bar = Progress(f"network ({lay.n_neurons} neurons)", n_steps, enabled=progress)
        writer = None
        if spikes_file is not None:
            from ..io.sonata import SpikeWriter

            writer = SpikeWriter(spikes_file, [p.name for p in lay.pops])
        kept = []
        done = 0
        try:
            with first_class_functions():
                while done < n_steps:
                    steps = min(chunk, n_steps - done)
                    t_call = time.perf_counter()
                    start = 0
                    while start < steps:
                        spikes.status[:] = 0
                        args = (*args[:12], spikes, self.rng, Clock(self.dt, step0 + done + start, steps - start))
                        start += run(*args)
                        if spikes.status[0] == K.NEED_SPIKE_SPACE:
                            spikes = SpikeBuffer(np.concatenate([spikes.t, np.empty_like(spikes.t)]),
                                                 np.concatenate([spikes.i, np.empty_like(spikes.i)]),
                                                 spikes.counters, spikes.status)
                        elif spikes.status[0] != K.OK:
                            self._raise(spikes.status)
                    if writer is not None:
                        m = spikes.counters[0]
                        self._write_chunk(writer, lay.pops, spikes.t[:m], spikes.i[:m])
                        if keep_spikes:
                            kept.append((spikes.t[:m].copy(), spikes.i[:m].copy()))
                        spikes.counters[0] = 0
                    done += steps
                    bar.update(done)
                    spent = time.perf_counter() - t_call
                    chunk = int(min(8 * chunk, max(chunk // 4, chunk * _CHUNK_SECONDS / max(spent, 1e-6)))) or 1
        finally:
            bar.close()
            if writer is not None:
                writer.close()
        run_s = time.perf_counter() - t_run
        if writer is not None:
            return (np.concatenate([k[0] for k in kept]) if kept else np.zeros(0),
                    np.concatenate([k[1] for k in kept]) if kept else np.zeros(0, np.int64)), run_s
        m = spikes.counters[0]
        return (spikes.t[:m].copy(), spikes.i[:m].copy()), run_s

    @staticmethod
    def _write_chunk(writer, pops, times, ids):
        order = np.lexsort((ids, times))
        times, ids = times[order], ids[order]
        for pop in pops:
            mask = (ids >= pop.id_offset) & (ids < pop.id_offset + pop.n)
            writer.append(pop.name, times[mask], ids[mask] - pop.id_offset)
        writer.flush()

    def _raise(self, status):
        unit = int(status[1])
        pop = next(p for p in reversed(self._layout.pops) if p.id_offset <= unit)

        def label(u, var):
            names = pop.model.state_names
            row = pop.model.spike_index if var is None else var
            name = names[row] if row < len(names) else f"#{row}"
            return f"{name} (population {pop.name!r}, neuron {u - pop.id_offset})"

        raise_for_status(status, self.dt, pop.method, label)

    def memory_per_synapse(self) -> float:
        """Bytes the engine stores per synapse, averaged over all synapses. Synapses through the ring buffer
        (the generic path): target index (4), weight (4), delay (2), and the projection index (2) when a
        projection is plastic (STP or STDP; STDP synapses also appear in an incoming index, +12 bytes each).
        Static synapses onto fused LIF populations: target (4) and weight (4; none in a segment of one
        weight), plus 40 + 8 threads bytes per segment (a presynaptic unit's synapses of one delay and port:
        the first synapse of each thread's part and the end, delay, port, the shared weight, the weights'
        offset). The row pointers
        (8 bytes per presynaptic unit and table) come on top."""
        syn, direct = self.layout.synapses, self.layout.direct
        ring_per = syn.target.itemsize + syn.weight.itemsize + syn.delay.itemsize + (
            syn.proj.itemsize if syn.proj.size else 0)
        n_ring, n_direct = syn.target.size, direct.target.size
        if n_ring + n_direct == 0:
            return float(ring_per)
        direct_bytes = sum(getattr(direct, key).nbytes for key in DIRECT_SYNAPSE_ARRAYS) if n_direct else 0
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
    def from_sonata(cls, directory, threads: int | None = None) -> Network:
        """Read a network written by :meth:`to_sonata` (or a SONATA network of NEST's ``iaf_psc_exp``/
        ``iaf_cond_exp`` neurons and spike-file inputs). See :mod:`neuroladder.io.sonata_network`."""
        from ..io.sonata_network import read_network

        return read_network(directory, threads)

