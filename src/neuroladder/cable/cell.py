"""``nl.Cell``: a morphology discretised into compartments, with a passive membrane and current clamps.

Units (NEURON's): lengths and diameters um, ``cm`` uF/cm^2, ``ra`` ohm cm, ``g_pas`` mS/cm^2,
``e_pas`` and v mV, clamp currents nA, time ms. Compartments sit at segment centres (each
section split into ``nseg`` equal segments, by NEURON's d_lambda rule unless given); adjacent
compartments are joined by the axial conductance of the two half segments between their centres.
The implicit solvers (backward Euler, Crank-Nicolson) solve the tree system by Hines'
elimination in O(N) per step (:mod:`neuroladder.cable.hines`).

This is the passive part of the cable rung: active channels in compartments, synapses and the
HH axon come with the rest of issue 4.
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit

from ..core.errors import ParameterError, SimulationDiverged
from ..core.parameters import require_int, require_positive, require_range
from ..core.result import Result
from ..core.stimulus import as_stimulus
from .constants import d_lambda_nseg
from .hines import hines_solve

METHODS = {"backward_euler": 1.0, "crank_nicolson": 0.5}


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
    """

    def __init__(self, morphology, cm: float = 1.0, ra: float = 100.0, g_pas: float = 0.05,
                 e_pas: float = -65.0, nseg=None, d_lambda: float = 0.1, freq: float = 100.0):
        require_positive("cm", cm, "uF/cm^2")
        require_positive("ra", ra, "ohm cm")
        require_range("g_pas", g_pas, 0.0, 1e6, unit="mS/cm^2")
        require_range("e_pas", e_pas, -200.0, 200.0, unit="mV")
        self.morphology = morphology
        self.cm, self.ra, self.g_pas, self.e_pas = float(cm), float(ra), float(g_pas), float(e_pas)
        self.clamps: list[tuple[int, object]] = []
        self.discretize(nseg=nseg, d_lambda=d_lambda, freq=freq)

    # ---------------------------------------------------------------- building
    @classmethod
    def cable(cls, length: float, diam: float, **kwargs) -> "Cell":
        """A single cylindrical section (um)."""
        from .morphology import Morphology

        return cls(Morphology.cable(length, diam), **kwargs)

    @classmethod
    def ball_and_stick(cls, soma_diam: float = 20.0, dend_length: float = 500.0, dend_diam: float = 2.0,
                       **kwargs) -> "Cell":
        """A soma (a cylinder with the sphere's area) with one dendrite (um)."""
        from .morphology import Morphology

        return cls(Morphology.ball_and_stick(soma_diam, dend_length, dend_diam), **kwargs)

    @classmethod
    def from_swc(cls, path, **kwargs) -> "Cell":
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
        for i, (sec, k) in enumerate(zip(sections, counts)):
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
        self._first = np.array(first)
        self._counts = np.array(counts)
        self.parent = np.array(parent, dtype=np.int64)
        if np.count_nonzero(self.parent < 0) != 1 or self.parent[0] != -1:
            raise ParameterError("the morphology must have exactly one root section, listed first")
        self.dx = np.array(dx)                      # um
        self.diam = np.array(diam)                  # um
        area_cm2 = math.pi * self.diam * self.dx * 1e-8
        self.capacitance = self.cm * area_cm2 * 1e3          # nF
        self.g_leak = self.g_pas * area_cm2 * 1e3            # uS (mS/cm^2 * cm^2 = mS = 1e3 uS)
        # axial conductance from a compartment to its parent: the two half segments in series
        half_r = 4.0 * self.ra * (0.5 * self.dx * 1e-4) / (math.pi * (self.diam * 1e-4) ** 2)  # ohm
        g_ax = np.zeros(self.n)
        g_ax[1:] = 1e6 / (half_r[1:] + half_r[self.parent[1:]])  # uS
        self.g_axial = g_ax
        return dict(self.nseg)

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

    def add_clamp(self, section, x: float, current) -> None:
        """Inject ``current`` (nA; any stimulus of ``nl.simulate``) at ``x`` of ``section`` (NEURON's IClamp)."""
        self.clamps.append((self.compartment(section, x), as_stimulus(current)))

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
        sites = [(0, 0.5)] if record is None else list(record)
        try:
            rec_idx = np.array([self.compartment(s, x) for s, x in sites], dtype=np.int64)
        except (TypeError, ValueError):
            raise ParameterError("record for a cell is a list of (section, x) pairs") from None
        theta = METHODS[method]
        # clamp currents at the times each method needs: the step end (BE) or midpoint (CN)
        times = (np.arange(n_steps) + theta) * dt
        injected = np.zeros((n_steps, self.n))
        for idx, stim in self.clamps:
            injected[:, idx] += stim.sample(times, 1)[:, 0]
        v = np.full(self.n, self.e_pas) if initial_v is None else np.broadcast_to(
            np.asarray(initial_v, dtype=float), (self.n,)).copy()
        d, a = self._matrix(theta, dt)
        out = np.empty((n_steps // every + 1, rec_idx.size))
        status = np.zeros(2, dtype=np.int64)
        _run_cable(d, a, self.parent, self.capacitance / dt, self.g_leak, self.e_pas, self.g_axial, theta,
                   injected, v, rec_idx, every, out, status)
        if status[0]:
            raise SimulationDiverged(status[1] * dt, int(rec_idx[0]), "v", dt, method)
        t = np.arange(out.shape[0]) * every * dt
        return Result(t, {"v": out}, np.zeros(0), np.zeros(0, np.int64), rec_idx.size, dt, n_steps * dt, method,
                      self, {"v": v.copy()}, units={"v": "mV"})


@njit(cache=True, error_model="numpy")
def _run_cable(d0, a, parent, c_dt, g_leak, e_pas, g_axial, theta, injected, v, rec_idx, every, out, status):
    """Implicit steps: (C/dt + theta (G + L)) v' = C/dt v - (1 - theta) (G + L) v + G E + I."""
    n = v.shape[0]
    d = np.empty(n)
    rhs = np.empty(n)
    lv = np.empty(n)
    for q in range(rec_idx.shape[0]):
        out[0, q] = v[rec_idx[q]]
    for step in range(injected.shape[0]):
        # L v: axial currents, computed over the tree edges
        for i in range(n):
            lv[i] = 0.0
        for i in range(1, n):
            flow = g_axial[i] * (v[i] - v[parent[i]])
            lv[i] += flow
            lv[parent[i]] -= flow
        for i in range(n):
            d[i] = d0[i]
            rhs[i] = c_dt[i] * v[i] - (1.0 - theta) * (g_leak[i] * v[i] + lv[i]) + g_leak[i] * e_pas \
                + injected[step, i]
        hines_solve(d, a, parent, rhs, v)
        if not np.isfinite(v[0]):
            status[0] = 1
            status[1] = step + 1
            return
        if (step + 1) % every == 0:
            r = (step + 1) // every
            for q in range(rec_idx.shape[0]):
                out[r, q] = v[rec_idx[q]]
