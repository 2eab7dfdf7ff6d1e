"""The ERP neural-mass network of Dynamic Causal Modelling (David & Friston 2003; David et al. 2006).

Each region is a Jansen-Rit column re-wired into cortical layers, as in D. David et al., "Dynamic causal
modeling of evoked responses in EEG and MEG", NeuroImage 30:1255 (2006), eqs. 5-7: spiny stellate
cells (granular layer, where forward input and the stimulus arrive), pyramidal cells (whose
depolarisation v_p = v_pe - v_pi is the region's output and its dipole moment), and inhibitory
interneurons. Each synapse is the second-order kernel of Jansen & Rit, h(t) = H/tau t e^(-t/tau),
written as  v' = c,  c' = H/tau * input - 2 c/tau - v/tau^2.

Per region (8 states: v_s, c_s, v_pe, c_pe, v_pi, c_pi, v_i, c_i), with S the sigmoid of the
firing rate (zero at rest) and A_F, A_B, A_L the forward, backward and lateral matrices (target, source):

    stellate:            input = (A_F + A_L) S(v_p) + g1 S(v_p) + C u(t)        (excitatory kernel)
    pyramidal, exc.:     input = (A_B + A_L) S(v_p) + g2 S(v_s)                 (excitatory kernel)
    pyramidal, inh.:     input = g4 S(v_i)                                       (inhibitory kernel)
    inhibitory interneu: input = (A_B + A_L) S(v_p) + g3 S(v_p)                 (excitatory kernel)

Forward connections end on stellate cells, backward on pyramidal cells and inhibitory interneurons,
lateral on all three (Felleman & Van Essen 1991, as used by David et al. 2006).
Parameter values are those of David et al. 2006 (Table 1): H_e 4 mV, H_i 32 mV, tau_e 8 ms,
tau_i 16 ms, g1..g4 = 128, 128, 64, 64, sigmoid slope 0.56 /mV. Extrinsic strengths are absolute
here; :mod:`neuroladder.inference.dcm` sets them as nominal * exp(theta). The stimulus u(t) is a
Gaussian bump (onset, width in ms).

Time in ms. The network is a model of the core's protocol (:class:`ERPRegions`) with the regions as
its units: its equations read the other regions' outputs from the state block (all regions lie in
one block), the stimulus C u(t) is the units' injected current, and ``nl.simulate`` integrates it by
classical RK4 at ``dt`` (default 0.5 ms), the same RK4 every model uses.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from ..core._kernels import BLOCK
from ..core._math import kernel, widen_vectoriser
from ..core.errors import ParameterError
from ..core.model import Model
from ..core.simulate import simulate

N_STATES = 8
STATE_NAMES = ("v_s", "c_s", "v_pe", "c_pe", "v_pi", "c_pi", "v_i", "c_i")
DEFAULTS = dict(h_e=4.0, h_i=32.0, tau_e=8.0, tau_i=16.0, g1=128.0, g2=128.0, g3=64.0, g4=64.0, slope=0.56,
                onset=60.0, width=8.0)
#: The David et al. constants, in the order of the first rows of the packed parameters.
_CONSTANTS = ("h_e", "h_i", "tau_e", "tau_i", "g1", "g2", "g3", "g4", "slope")


@kernel(inline="always")
def _sigmoid(v, slope):
    # Jansen-Rit sigmoid shifted so that S(0) = 0: the model describes deviations from rest (David et al. 2006)
    return 1.0 / (1.0 + math.exp(-slope * v)) - 0.5


@kernel
def erp_equations(t, y, p, i_ext, a, b):
    """David et al. (2006) eqs. 5-7 for every region (unit, column); i_ext is C u(t) (1/s).

    p rows: 0-8 the constants of :data:`_CONSTANTS` (the same in every column); then n rows of
    forward + lateral weights (row 9 + j, column i: (A_F + A_L)[i, j]) and n rows of backward +
    lateral weights (row 9 + n + j). All n regions must be in this block (``y.shape[1] >= n``).
    Everything is written into ``a`` (``b = 0``): RK4 and Euler read ``a + b y``.
    """
    n = (p.shape[0] - 9) // 2
    m = y.shape[1]
    # each region's pyramidal output, once per call (not once per target region), kept in b's first row
    # (b is zeroed afterwards) rather than a fresh array: this runs four times per step
    s_p = b[0]
    for j in range(m):
        s_p[j] = _sigmoid(y[2, j] - y[4, j], p[8, j])
    for i in range(m):
        h_e, h_i, tau_e, tau_i = p[0, i], p[1, i], p[2, i], p[3, i]
        g1, g2, g3, g4, slope = p[4, i], p[5, i], p[6, i], p[7, i], p[8, i]
        s_p_i = s_p[i]
        fwd = 0.0
        bwd = 0.0
        for j in range(n):
            fwd += p[9 + j, i] * s_p[j]
            bwd += p[9 + n + j, i] * s_p[j]
        # inputs are firing rates in 1/s; the kernels run in ms, hence the 1e-3 (David et al. work in seconds)
        ke = 1e-3 * h_e / tau_e
        a[0, i] = y[1, i]
        a[1, i] = ke * (fwd + g1 * s_p_i + i_ext[i]) - 2.0 * y[1, i] / tau_e - y[0, i] / (tau_e * tau_e)
        a[2, i] = y[3, i]
        a[3, i] = ke * (bwd + g2 * _sigmoid(y[0, i], slope)) - 2.0 * y[3, i] / tau_e - y[2, i] / (tau_e * tau_e)
        a[4, i] = y[5, i]
        a[5, i] = 1e-3 * h_i / tau_i * (g4 * _sigmoid(y[6, i], slope)) - 2.0 * y[5, i] / tau_i - y[4, i] / (tau_i * tau_i)
        a[6, i] = y[7, i]
        a[7, i] = ke * (bwd + g3 * s_p_i) - 2.0 * y[7, i] / tau_e - y[6, i] / (tau_e * tau_e)
    for s in range(N_STATES):
        for i in range(m):
            b[s, i] = 0.0


@dataclass(frozen=True, eq=False)
class ERPRegions(Model):
    """The regions of a DCM ERP network as the units of one model (David et al. 2006; see the module).

    ``forward``, ``backward``, ``lateral`` : (n, n) absolute extrinsic strengths, [target, source];
    the remaining fields are the constants of :data:`DEFAULTS`. Starts from rest (all states 0).
    The injected current is C u(t) per region (1/s, the firing-rate units of the inputs).
    """

    forward: np.ndarray
    backward: np.ndarray
    lateral: np.ndarray
    h_e: float = DEFAULTS["h_e"]
    h_i: float = DEFAULTS["h_i"]
    tau_e: float = DEFAULTS["tau_e"]
    tau_i: float = DEFAULTS["tau_i"]
    g1: float = DEFAULTS["g1"]
    g2: float = DEFAULTS["g2"]
    g3: float = DEFAULTS["g3"]
    g4: float = DEFAULTS["g4"]
    slope: float = DEFAULTS["slope"]

    state_names = STATE_NAMES
    state_units = {name: "mV" for name in STATE_NAMES[::2]}
    current_unit = "1/s"
    spike_variable = ""  # a neural mass: no spikes
    default_method = "rk4"
    equations = staticmethod(erp_equations)

    @property
    def n_regions(self) -> int:
        return self.forward.shape[0]

    def param_matrix(self, n: int) -> np.ndarray:
        """(9 + 2 n, n): the constants, then the forward + lateral and backward + lateral weights by source."""
        widen_vectoriser()  # as Model.param_matrix does before a run
        if n != self.n_regions or n > BLOCK:
            raise ParameterError(f"n = {n}: an ERP network runs its {self.n_regions} regions as its units "
                                 f"(at most {BLOCK}, one block)")
        consts = np.array([getattr(self, name) for name in _CONSTANTS], dtype=float)
        # rows j: weights from source j; columns i: target region (the layout the equations read)
        return np.ascontiguousarray(np.vstack([np.broadcast_to(consts[:, None], (9, n)),
                                               (self.forward + self.lateral).T, (self.backward + self.lateral).T]))

    def initial_state(self):
        return dict.fromkeys(STATE_NAMES, 0.0)


def pyramidal_response(a_forward, a_backward, a_lateral, c, times, dt=0.5, **params) -> np.ndarray:
    """Pyramidal depolarisation v_p (mV) of every region at ``times`` (ms, a regular grid from 0).

    a_forward, a_backward, a_lateral : (n, n) absolute extrinsic strengths, [target, source]
    c : (n,) stimulus gains
    params : overrides of :data:`DEFAULTS` (h_e, h_i, tau_e, tau_i, g1..g4, slope, onset, width)
    Returns an array (len(times), n).
    """
    prm = {**DEFAULTS, **params}
    times = np.asarray(times, dtype=float)
    c = np.asarray(c, dtype=float)
    n = len(c)
    if times.size < 2:
        return np.zeros((times.size, n))  # at most t = 0: the network starts from rest
    every = max(int(round((times[1] - times[0]) / dt)), 1)
    model = ERPRegions(*(np.asarray(m, dtype=float) for m in (a_forward, a_backward, a_lateral)),
                       **{name: float(prm[name]) for name in _CONSTANTS})
    onset, width = float(prm["onset"]), float(prm["width"])

    def stimulus(t):  # C u(t): a Gaussian bump, one column per region
        return np.exp(-0.5 * ((np.asarray(t) - onset) / width) ** 2)[..., None] * c

    res = simulate(model, (times.size - 1) * every * dt, dt=dt, current=stimulus, n=n, method="rk4",
                   record=("v_pe", "v_pi"), record_dt=every * dt, progress=False)
    return np.asarray(res["v_pe"]).reshape(times.size, n) - np.asarray(res["v_pi"]).reshape(times.size, n)
