"""``nl.Cell``: a morphology discretised into compartments, with a passive membrane and current clamps.

Units (NEURON's): lengths and diameters um, ``cm`` uF/cm^2, ``ra`` ohm cm, ``g_pas`` mS/cm^2,
``e_pas`` and v mV, clamp currents nA, time ms. Compartments sit at segment centres (each
section split into ``nseg`` equal segments, by NEURON's d_lambda rule unless given); adjacent
compartments are joined by the axial conductance of the two half segments between their centres.
The implicit solvers (backward Euler, Crank-Nicolson) solve the tree system by Hines'
elimination in O(N) per step (:mod:`neuroladder.cable.hines`).

Active membranes reuse the point models' channel code (no second copy): ``membrane=`` takes any
conductance-based :class:`~neuroladder.core.model.Model` (e.g. ``nl.HodgkinHuxley()``, or one per
region) whose conditionally linear equations ``dv/dt = a + b v`` give each compartment's ionic
current ``c_m (a + b v)`` with the gates frozen; the implicit solvers take v implicitly (Hines)
and then advance the gates by exponential Euler at the new v, staggered half a step as NEURON
does. ``method="exponential_euler"`` instead advances every compartment exactly as
``nl.simulate`` advances a point model, with the axial current as injected current: a
one-compartment cell then reproduces the point model.
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit, types

from ..core import _kernels as K
from ..core._compile import lazy_kernel
from ..core.errors import ParameterError
from ..core.model import Model
from ..core.parameters import require_int, require_positive, require_range
from ..core.result import Result
from ..core.status import raise_for_status
from ..core.stimulus import Stimulus, as_stimulus
from .constants import d_lambda_nseg
from .hines import hines_factor, hines_solve, hines_solve_factored

METHODS = {"backward_euler": 1.0, "crank_nicolson": 0.5, "exponential_euler": 0.0}


class SynapticConductance(Stimulus):
    """Sum of exponential (``w e^{-s/tau}``) or alpha (``w (s/tau) e^{1 - s/tau}``) kernels at given
    spike times (ms): a synaptic current (nA) or conductance (uS) time course, in closed form."""

    def __init__(self, spike_times, weight: float, tau: float, alpha: bool = False):
        times = np.sort(np.asarray(spike_times, dtype=float).ravel())
        if not np.all(np.isfinite(times)) or np.any(times < 0):
            raise ParameterError("spike_times must be finite times >= 0 ms")
        require_positive("tau", tau, "ms")
        if not np.isfinite(weight):
            raise ParameterError(f"weight = {weight} must be finite")
        self.times, self.weight, self.tau, self.alpha = times, float(weight), float(tau), alpha

    def _values(self, t):
        out = np.zeros_like(t, dtype=float)
        for t_k in self.times:
            s = t - t_k
            on = s >= 0.0
            z = np.where(on, s, 0.0) / self.tau
            out += np.where(on, z * np.exp(1.0 - z) if self.alpha else np.exp(-z), 0.0)
        return self.weight * out


class Cell:
    """A compartmental cell: ``nl.Cell(morphology, cm=1.0, ra=100.0, g_pas=0.05, e_pas=-65.0)``.

    Parameters
    ----------
    morphology : neuroladder.cable.morphology.Morphology
    cm : specific capacitance, uF/cm^2 (> 0)
    ra : axial resistivity, ohm cm (> 0)
    g_pas : leak conductance density, mS/cm^2 (>= 0; 0.05 mS/cm^2 is r_m = 20000 ohm cm^2)
    e_pas : leak reversal, mV
    nseg : segments per section (one int for all, or a sequence); None applies NEURON's
        d_lambda rule with ``d_lambda`` and ``freq`` (Hz).
    membrane : Model or {region: Model}, optional
        An active membrane (e.g. ``nl.HodgkinHuxley()``) for all sections, or one per region
        ("soma", "axon", "basal", "apical", "custom"; every region of the morphology needs one, all of
        one model class). The model's ``c_m`` replaces ``cm``; its leak replaces ``g_pas``/``e_pas``.
    """

    def __init__(self, morphology, cm: float = 1.0, ra: float = 100.0, g_pas: float = 0.05,
                 e_pas: float = -65.0, nseg=None, d_lambda: float = 0.1, freq: float = 100.0, membrane=None):
        require_positive("cm", cm, "uF/cm^2")
        require_positive("ra", ra, "ohm cm")
        require_range("g_pas", g_pas, 0.0, 1e6, unit="mS/cm^2")
        require_range("e_pas", e_pas, -200.0, 200.0, unit="mV")
        self.morphology = morphology
        self.cm, self.ra, self.g_pas, self.e_pas = float(cm), float(ra), float(g_pas), float(e_pas)
        self.clamps: list[tuple[int, object]] = []
        self.conductances: list[tuple[int, object, float]] = []
        self.membrane = membrane
        if membrane is not None:
            models = list(membrane.values()) if isinstance(membrane, dict) else [membrane]
            if not all(isinstance(m, Model) for m in models) or len({type(m) for m in models}) != 1:
                raise ParameterError("membrane must be a Model or a dict {region: Model} of one model class")
            if not hasattr(models[0], "c_m"):
                raise ParameterError(f"membrane {type(models[0]).__name__} has no c_m (uF/cm^2): it must be a "
                                     f"conductance-based model with current densities")
            self.cm = float(np.max(np.asarray(models[0].c_m)))
        self.discretize(nseg=nseg, d_lambda=d_lambda, freq=freq)

    # ---------------------------------------------------------------- building
    @classmethod
    def cable(cls, length: float, diam: float, **kwargs) -> Cell:
        """A single cylindrical section (um)."""
        from .morphology import Morphology

        return cls(Morphology.cable(length, diam), **kwargs)

    @classmethod
    def ball_and_stick(cls, soma_diam: float = 20.0, dend_length: float = 500.0, dend_diam: float = 2.0,
                       **kwargs) -> Cell:
        """A soma (a cylinder with the sphere's area) with one dendrite (um)."""
        from .morphology import Morphology

        return cls(Morphology.ball_and_stick(soma_diam, dend_length, dend_diam), **kwargs)

    @classmethod
    def from_swc(cls, path, **kwargs) -> Cell:
        """A cell from an SWC file (:func:`neuroladder.cable.swc.read_swc`)."""
        from .swc import read_swc

        return cls(read_swc(path), **kwargs)

    def discretize(self, nseg=None, d_lambda: float = 0.1, freq: float = 100.0) -> dict:
        """Split every section into segments; returns {section name: nseg}."""
        sections = self.morphology.sections
        if nseg is None:
            counts = [d_lambda_nseg(s.length, s.diam, self.ra, self.cm, d_lambda, freq) for s in sections]
        elif np.ndim(nseg) == 0:
            counts = [require_int("nseg", nseg, low=1)] * len(sections)
        else:
            counts = [require_int("nseg", int(k) if float(k).is_integer() else k, low=1) for k in nseg]
            if len(counts) != len(sections):
                raise ParameterError(f"nseg has {len(counts)} values for {len(sections)} sections")
        first, parent, dx, diam = [], [], [], []
        for sec, k in zip(sections, counts):
            first.append(len(dx))
            for j in range(k):
                if j > 0:
                    parent.append(len(dx) - 1)
                elif sec.parent < 0:
                    parent.append(-1)
                else:
                    pk = counts[sec.parent]
                    parent.append(first[sec.parent] + min(int(sec.parent_x * pk), pk - 1))
                dx.append(sec.length / k)
                diam.append(sec.diam)
        self.nseg = dict(zip((s.name for s in sections), counts))
        self._region = np.repeat(np.array([getattr(s, "region", "custom") for s in sections]), counts)
        self._section_of = np.repeat(np.array([s.name for s in sections]), counts)
        self._first = np.array(first)
        self._counts = np.array(counts)
        self.parent = np.array(parent, dtype=np.int64)
        if np.count_nonzero(self.parent < 0) != 1 or self.parent[0] != -1:
            raise ParameterError("the morphology must have exactly one root section, listed first")
        self.dx = np.array(dx)                      # um
        self.diam = np.array(diam)                  # um
        area_cm2 = math.pi * self.diam * self.dx * 1e-8
        self.area_cm2 = area_cm2
        self.capacitance = self._cm_per_compartment() * area_cm2 * 1e3          # nF
        self.g_leak = self.g_pas * area_cm2 * 1e3            # uS (mS/cm^2 * cm^2 = mS = 1e3 uS)
        # axial conductance from a compartment to its parent: the two half segments in series
        half_r = 4.0 * self.ra * (0.5 * self.dx * 1e-4) / (math.pi * (self.diam * 1e-4) ** 2)  # ohm
        g_ax = np.zeros(self.n)
        g_ax[1:] = 1e6 / (half_r[1:] + half_r[self.parent[1:]])  # uS
        self.g_axial = g_ax
        return dict(self.nseg)

    def _models(self):
        """The membrane model of each compartment (None for a passive cell).

        A dict ``membrane`` is keyed by region ("soma", "axon", ...) or by section name; a section's
        own entry wins over its region's.
        """
        if self.membrane is None:
            return None
        if not isinstance(self.membrane, dict):
            return [self.membrane] * self._region.size
        out = []
        for name, region in zip(self._section_of, self._region):
            model = self.membrane.get(name, self.membrane.get(region))
            if model is None:
                raise ParameterError(f"membrane has no model for section {name!r} (region {region!r})")
            out.append(model)
        return out

    def _cm_per_compartment(self):
        models = self._models()
        if models is None:
            return np.full(self._region.size, self.cm)
        return np.array([float(m.c_m) for m in models])

    def _membrane_arrays(self):
        """(state (n_states, n), params (n_params, n)) of the active membrane, gates at steady state."""
        models = self._models()
        cache = {}
        for m in models:
            if id(m) not in cache:
                cache[id(m)] = (m.state_matrix(1)[:, 0], m.param_matrix(1)[:, 0])
        state = np.array([cache[id(m)][0] for m in models]).T
        params = np.array([cache[id(m)][1] for m in models]).T
        return np.ascontiguousarray(state), np.ascontiguousarray(params)

    @property
    def n(self) -> int:
        """Number of compartments."""
        return self.dx.size

    def compartment(self, section, x: float) -> int:
        """Index of the compartment holding position ``x`` (0..1) of ``section`` (index or name)."""
        i = self._section_index(section)
        require_range("x", x, 0.0, 1.0)
        k = self._counts[i]
        return int(self._first[i] + min(int(x * k), k - 1))

    def positions(self, section) -> np.ndarray:
        """Distance (um) of each compartment centre of ``section`` from the section's x = 0."""
        i = self._section_index(section)
        k = self._counts[i]
        return (np.arange(k) + 0.5) * self.morphology.sections[i].length / k

    def _section_index(self, section) -> int:
        names = [s.name for s in self.morphology.sections]
        if isinstance(section, str):
            if section not in names:
                raise ParameterError(f"section {section!r} is unknown; sections: {', '.join(names[:10])}...")
            return names.index(section)
        idx = int(section)
        if not 0 <= idx < len(names):
            raise ParameterError(f"section index {section} is outside [0, {len(names) - 1}]")
        return idx

    def _kernels(self):
        """(equations, membrane, split) of the membrane's model class (one class per cell): ``membrane`` is
        the model's ``membrane_equations`` (row 0 alone; ``split`` True) or ``equations`` when it has none."""
        model = self._models()[0]
        split = model.membrane_equations is not None
        return model.equations, model.membrane_equations if split else model.equations, split

    def add_clamp(self, section, x: float, current) -> None:
        """Inject ``current`` (nA; any stimulus of ``nl.simulate``) at ``x`` of ``section`` (NEURON's IClamp)."""
        self.clamps.append((self.compartment(section, x), as_stimulus(current)))

    def add_synapse(self, section, x: float, spike_times, weight: float, synapse=None) -> None:
        """A synapse at ``x`` of ``section`` driven by presynaptic ``spike_times`` (ms).

        ``synapse``: ``nl.ExpSynapse(tau, e_rev=None)`` (default tau 2 ms) or ``nl.AlphaSynapse``;
        current-based weights in nA, conductance-based (``e_rev`` in mV) in uS, as NEURON's
        ExpSyn/AlphaSynapse point processes. The kernel is evaluated in closed form at the times the
        solver needs.
        """
        from ..network.synapses import AlphaSynapse, ExpSynapse

        syn = ExpSynapse(2.0) if synapse is None else synapse
        if not isinstance(syn, (ExpSynapse, AlphaSynapse)):
            raise ParameterError("synapse must be nl.ExpSynapse(...) or nl.AlphaSynapse(...) for a cell")
        kernel = SynapticConductance(spike_times, weight, syn.tau, alpha=isinstance(syn, AlphaSynapse))
        idx = self.compartment(section, x)
        if syn.conductance:
            self.conductances.append((idx, kernel, float(syn.e_rev)))
        else:
            self.clamps.append((idx, kernel))

    # ---------------------------------------------------------------- solving
    def _matrix(self, theta: float, dt: float):
        """Diagonal and off-diagonal of (C/dt + theta (G + L)) in Hines order."""
        d = (self.capacitance / dt if math.isfinite(dt) else 0.0) + theta * self.g_leak
        a = np.zeros(self.n)
        a[1:] = -theta * self.g_axial[1:]
        np.add.at(d, np.arange(1, self.n), theta * self.g_axial[1:])
        np.add.at(d, self.parent[1:], theta * self.g_axial[1:])
        return d, a

    def steady_state(self, currents: dict | None = None) -> np.ndarray:
        """Membrane potential (mV) of every compartment at equilibrium with constant clamp currents.

        ``currents``: {(section, x): nA}; None uses the cell's clamps at t = 0.
        """
        injected = np.zeros(self.n)
        if currents is None:
            for idx, stim in self.clamps:
                injected[idx] += float(np.asarray(stim(0.0)))
        else:
            for (section, x), amp in currents.items():
                injected[self.compartment(section, x)] += amp
        d, a = self._matrix(1.0, math.inf)
        rhs = self.g_leak * self.e_pas + injected
        return hines_solve(d, a, self.parent, rhs, np.empty(self.n))

    def _simulate(self, duration, dt, current=None, method="auto", seed=None, record=None, record_dt=None,
                  progress=None, initial_v=None):
        require_positive("dt", dt, "ms")
        require_positive("duration", duration, "ms")
        if method == "auto":
            method = "backward_euler"
        if method not in METHODS:
            raise ParameterError(f"method = {method!r} is unknown for cells; choose 'backward_euler' or "
                                 f"'crank_nicolson'")
        if current not in (None, 0, 0.0):
            raise ParameterError("current: inject into a cell with cell.add_clamp(section, x, current)")
        n_steps = int(round(duration / dt))
        if n_steps < 1:
            raise ParameterError(f"duration = {duration} ms must be at least one step dt = {dt} ms")
        every = 1 if record_dt is None else int(round(record_dt / dt))
        if every < 1:
            raise ParameterError(f"record_dt = {record_dt} ms must be a whole multiple of dt = {dt} ms")
        if isinstance(record, str) and record == "all":
            rec_idx = np.arange(self.n, dtype=np.int64)  # whole-cell snapshots, compartment order
        else:
            sites = [(0, 0.5)] if record is None else list(record)
            try:
                rec_idx = np.array([self.compartment(s, x) for s, x in sites], dtype=np.int64)
            except (TypeError, ValueError):
                raise ParameterError('record for a cell is a list of (section, x) pairs, or "all"') from None
        theta = METHODS[method]
        if self.membrane is None and method == "exponential_euler":
            raise ParameterError("method 'exponential_euler' is for cells with an active membrane; use "
                                 "'backward_euler' or 'crank_nicolson'")
        # clamp currents at the times each method needs: the step end (BE), midpoint (CN) or start
        times = (np.arange(n_steps) + theta) * dt
        # one column per clamp (a full (steps, compartments) array would be huge for long cables)
        clamp_idx = np.array([idx for idx, _ in self.clamps] or [0], dtype=np.int64)
        injected = np.zeros((n_steps, clamp_idx.size))
        for q, (_, stim) in enumerate(self.clamps):
            injected[:, q] = stim.sample(times, 1)[:, 0]
        cond_idx = np.array([idx for idx, _, _ in self.conductances] or [0], dtype=np.int64)
        cond_erev = np.array([e for _, _, e in self.conductances] or [0.0])
        cond = np.zeros((n_steps, cond_idx.size))
        for q, (_, kernel, _) in enumerate(self.conductances):
            cond[:, q] = kernel.sample(times, 1)[:, 0]
        out = np.empty((n_steps // every + 1, rec_idx.size))
        status = np.zeros(2, dtype=np.int64)
        if self.membrane is None:
            v = np.full(self.n, self.e_pas) if initial_v is None else np.broadcast_to(
                np.asarray(initial_v, dtype=float), (self.n,)).copy()
            d, a = self._matrix(theta, dt)
            _run_cable(d, a, self.parent, self.capacitance / dt, self.g_leak, self.e_pas, self.g_axial, theta,
                       injected, clamp_idx, cond, cond_idx, cond_erev, v, rec_idx, every, out, status)
        else:
            y, p = self._membrane_arrays()
            if initial_v is not None:
                y[0] = initial_v
            d, a = self._matrix(max(theta, 1e-300), dt)  # axial part and C/dt (exponential Euler ignores it)
            d = d - max(theta, 1e-300) * self.g_leak      # the membrane model carries the leak
            _run_active(*self._kernels(), theta, dt, y, p, self.capacitance, self.area_cm2, d, a, self.parent,
                        self.g_axial, injected, clamp_idx, cond, cond_idx, cond_erev, rec_idx, every, out, status)
            v = y[0]
        # the cable kernels write [diverged?, steps done]; reported at the first recorded compartment
        raise_for_status((status[0], rec_idx[0], 0, status[1] - 1), dt, method, lambda unit, var: "v")
        t = np.arange(out.shape[0]) * every * dt
        return Result(t, {"v": out}, np.zeros(0), np.zeros(0, np.int64), rec_idx.size, dt, n_steps * dt, method,
                      self, {"v": v.copy()}, units={"v": "mV"})


# fastmath "contract" alone: LLVM may fuse a * b + c into one FMA (one rounding instead of two, so never less
# accurate); no reassociation, no approximate functions, NaN and inf kept. The gates' exponential step is a
# chain of such multiply-adds: the HH cable step took 11 % less time on an Intel Xeon (docs/performance.md).
# Results are then reproducible on one machine; in the last bits they may differ from nl.simulate's
# unfused update of the same equations (1e-11 mV over 50 ms of a one-compartment HH cell).
@lazy_kernel(types.void(K.EQUATIONS, K.EQUATIONS, types.boolean, types.float64, types.float64, K._M, K._M, K._V,
                        K._V, K._V, K._V, K._IV, K._V, K._M, K._IV, K._M, K._IV, K._V, K._IV, types.int64, K._M,
                        K._IV), estimate_s=10, error_model="numpy", fastmath={"contract"})
def _run_active(equations, membrane, split, theta, dt, y, p, cap, area, d0, a, parent, g_axial, injected, clamp_idx,
                cond, cond_idx, cond_erev, rec_idx, every, out, status):
    """Steps of an active cell. theta > 0: v implicit (Hines) with the channel conductances of the
    current gates, then the gates by exponential Euler at the new v (NEURON's staggered scheme).
    theta == 0: every compartment by exponential Euler as a point model, axial current as input.

    ``membrane`` fills row 0 of a, b alone (the model's ``membrane_equations``; ``split`` True) or is
    ``equations`` itself (``split`` False). Split, a step evaluates the rate functions once (at the new
    v, for the gates) and the membrane after the gates have moved, ready for the next step's matrix;
    otherwise the full equations run at both points."""
    ns, n = y.shape
    a_m = np.empty((ns, n))
    b_m = np.empty((ns, n))
    zero = np.zeros(n)
    i_ext = np.empty(n)
    inj = np.zeros(n)
    g_syn = np.zeros(n)
    ge_syn = np.zeros(n)
    d = np.empty(n)
    rhs = np.empty(n)
    lv = np.empty(n)
    cap_dt = cap / dt
    for q in range(rec_idx.shape[0]):
        out[0, q] = y[0, rec_idx[q]]
    for i in range(n):
        lv[i] = 0.0
    for step in range(injected.shape[0]):
        t = step * dt
        if theta < 1.0:  # axial currents (backward Euler does not need them explicitly)
            for i in range(n):
                lv[i] = 0.0
            for i in range(1, n):
                flow = g_axial[i] * (y[0, i] - y[0, parent[i]])   # nA
                lv[i] += flow
                lv[parent[i]] -= flow
        for q in range(clamp_idx.shape[0]):
            inj[clamp_idx[q]] = 0.0
        for q in range(clamp_idx.shape[0]):
            inj[clamp_idx[q]] += injected[step, q]
        for q in range(cond_idx.shape[0]):
            g_syn[cond_idx[q]] = 0.0
            ge_syn[cond_idx[q]] = 0.0
        for q in range(cond_idx.shape[0]):
            g_syn[cond_idx[q]] += cond[step, q]
            ge_syn[cond_idx[q]] += cond[step, q] * cond_erev[q]
        if theta == 0.0:
            for i in range(n):  # nA -> uA/cm^2 (the model's current density)
                i_ext[i] = (inj[i] + ge_syn[i] - g_syn[i] * y[0, i] - lv[i]) / area[i] * 1e-3
            equations(t, y, p, i_ext, a_m, b_m)
            K.exponential_step_rows(y, y, a_m, b_m, dt, 0, ns, n)   # as nl.simulate's exponential Euler
        else:
            if step == 0 or not split:
                membrane(t, y, p, zero, a_m, b_m)   # row 0 at this step's gates
            for i in range(n):
                vi = y[0, i]
                d[i] = d0[i] - theta * cap[i] * b_m[0, i] + theta * g_syn[i]
                rhs[i] = cap_dt[i] * vi + cap[i] * a_m[0, i] + (1.0 - theta) * (cap[i] * b_m[0, i] * vi - lv[i]) \
                    + inj[i] + ge_syn[i] - (1.0 - theta) * g_syn[i] * vi
            hines_solve(d, a, parent, rhs, y[0])
            equations(t + dt, y, p, zero, a_m, b_m)
            K.exponential_step_rows(y, y, a_m, b_m, dt, 1, ns, n)   # the gates (rows 1..), v held
            if split:
                membrane(t + dt, y, p, zero, a_m, b_m)   # row 0 at the new gates, for the next step
        if not np.isfinite(y[0, 0]):
            status[0] = 1
            status[1] = step + 1
            return
        if (step + 1) % every == 0:
            r = (step + 1) // every
            for q in range(rec_idx.shape[0]):
                out[r, q] = y[0, rec_idx[q]]


@njit(cache=True, error_model="numpy")
def _run_cable(d0, a, parent, c_dt, g_leak, e_pas, g_axial, theta, injected, clamp_idx, cond, cond_idx, cond_erev,
               v, rec_idx, every, out, status):
    """Implicit steps: (C/dt + theta (G + L)) v' = C/dt v - (1 - theta) (G + L) v + G E + I."""
    n = v.shape[0]
    rhs = np.empty(n)
    lv = np.empty(n)
    for q in range(rec_idx.shape[0]):
        out[0, q] = v[rec_idx[q]]
    inj = np.zeros(n)
    inv_d, f = hines_factor(d0, a, parent)  # the passive matrix is constant: eliminate it once
    synaptic_g = cond_idx.shape[0] > 0 and cond.shape[1] > 0 and np.any(cond != 0.0)
    d = d0.copy()
    for step in range(injected.shape[0]):
        for q in range(clamp_idx.shape[0]):
            inj[clamp_idx[q]] = 0.0
        for q in range(clamp_idx.shape[0]):
            inj[clamp_idx[q]] += injected[step, q]
        if theta < 1.0:  # L v: axial currents over the tree edges (backward Euler does not need them)
            for i in range(n):
                lv[i] = 0.0
            for i in range(1, n):
                flow = g_axial[i] * (v[i] - v[parent[i]])
                lv[i] += flow
                lv[parent[i]] -= flow
            for i in range(n):
                rhs[i] = c_dt[i] * v[i] - (1.0 - theta) * (g_leak[i] * v[i] + lv[i]) + g_leak[i] * e_pas + inj[i]
        else:
            for i in range(n):
                rhs[i] = c_dt[i] * v[i] + g_leak[i] * e_pas + inj[i]
        if synaptic_g:
            # synaptic conductances change the matrix: add them and eliminate this step's matrix
            for i in range(n):
                d[i] = d0[i]
            for q in range(cond_idx.shape[0]):
                i = cond_idx[q]
                g = cond[step, q]
                d[i] += theta * g
                rhs[i] += g * (cond_erev[q] - (1.0 - theta) * v[i])
            hines_solve(d, a, parent, rhs, v)
        else:
            hines_solve_factored(inv_d, f, a, parent, rhs, v)
        if not np.isfinite(v[0]):
            status[0] = 1
            status[1] = step + 1
            return
        if (step + 1) % every == 0:
            r = (step + 1) // every
            for q in range(rec_idx.shape[0]):
                out[r, q] = v[rec_idx[q]]
