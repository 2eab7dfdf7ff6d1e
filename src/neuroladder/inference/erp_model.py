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

Time in ms; the ODE is integrated by classical RK4 at ``dt`` (default 0.5 ms) in a numba kernel.
"""

from __future__ import annotations

import math

import numpy as np

from ..core._math import kernel
from ..core.errors import SimulationDiverged

N_STATES = 8
STATE_NAMES = ("v_s", "c_s", "v_pe", "c_pe", "v_pi", "c_pi", "v_i", "c_i")
DEFAULTS = dict(h_e=4.0, h_i=32.0, tau_e=8.0, tau_i=16.0, g1=128.0, g2=128.0, g3=64.0, g4=64.0, slope=0.56,
                onset=60.0, width=8.0)


@kernel(inline="always")
def _sigmoid(v, slope):
    # Jansen-Rit sigmoid shifted so that S(0) = 0: the model describes deviations from rest (David et al. 2006)
    return 1.0 / (1.0 + math.exp(-slope * v)) - 0.5


@kernel
def _derivatives(x, a_f, a_b, a_l, c, u, prm, out):
    h_e, h_i, tau_e, tau_i, g1, g2, g3, g4, slope = prm[0], prm[1], prm[2], prm[3], prm[4], prm[5], prm[6], prm[7], prm[8]
    n = x.shape[0]
    s_p = np.empty(n)  # each region's pyramidal output, once per call (not once per target region)
    for j in range(n):
        s_p[j] = _sigmoid(x[j, 2] - x[j, 4], slope)
    for i in range(n):
        s_p_i = s_p[i]
        fwd = 0.0
        bwd = 0.0
        for j in range(n):
            fwd += (a_f[i, j] + a_l[i, j]) * s_p[j]
            bwd += (a_b[i, j] + a_l[i, j]) * s_p[j]
        # inputs are firing rates in 1/s; the kernels run in ms, hence the 1e-3 (David et al. work in seconds)
        ke = 1e-3 * h_e / tau_e
        out[i, 0] = x[i, 1]
        out[i, 1] = ke * (fwd + g1 * s_p_i + c[i] * u) - 2.0 * x[i, 1] / tau_e - x[i, 0] / (tau_e * tau_e)
        out[i, 2] = x[i, 3]
        out[i, 3] = ke * (bwd + g2 * _sigmoid(x[i, 0], slope)) - 2.0 * x[i, 3] / tau_e - x[i, 2] / (tau_e * tau_e)
        out[i, 4] = x[i, 5]
        out[i, 5] = 1e-3 * h_i / tau_i * (g4 * _sigmoid(x[i, 6], slope)) - 2.0 * x[i, 5] / tau_i - x[i, 4] / (tau_i * tau_i)
        out[i, 6] = x[i, 7]
        out[i, 7] = ke * (bwd + g3 * s_p_i) - 2.0 * x[i, 7] / tau_e - x[i, 6] / (tau_e * tau_e)


@kernel
def _integrate(n_regions, a_f, a_b, a_l, c, prm, onset, width, dt, n_steps, every, out):
    """RK4 from rest; writes v_p of every region at steps 0, every, 2 every, ... into out (n_out, n).

    Returns -1 on success, else the flat index step * n_regions + region where a state became non-finite."""
    x = np.zeros((n_regions, 8))
    k1 = np.zeros_like(x)
    k2 = np.zeros_like(x)
    k3 = np.zeros_like(x)
    k4 = np.zeros_like(x)
    tmp = np.zeros_like(x)
    row = 0
    for step in range(n_steps + 1):
        if step % every == 0:
            for i in range(n_regions):
                out[row, i] = x[i, 2] - x[i, 4]
            row += 1
            if row == out.shape[0]:
                return -1
        t = step * dt
        u1 = math.exp(-0.5 * ((t - onset) / width) ** 2)
        u2 = math.exp(-0.5 * ((t + 0.5 * dt - onset) / width) ** 2)
        u4 = math.exp(-0.5 * ((t + dt - onset) / width) ** 2)
        _derivatives(x, a_f, a_b, a_l, c, u1, prm, k1)
        tmp[:, :] = x + 0.5 * dt * k1
        _derivatives(tmp, a_f, a_b, a_l, c, u2, prm, k2)
        tmp[:, :] = x + 0.5 * dt * k2
        _derivatives(tmp, a_f, a_b, a_l, c, u2, prm, k3)
        tmp[:, :] = x + dt * k3
        _derivatives(tmp, a_f, a_b, a_l, c, u4, prm, k4)
        for i in range(n_regions):
            for s in range(8):
                x[i, s] += dt / 6.0 * (k1[i, s] + 2.0 * k2[i, s] + 2.0 * k3[i, s] + k4[i, s])
                if not math.isfinite(x[i, s]):
                    return step * n_regions + i
    return -1


def pyramidal_response(a_forward, a_backward, a_lateral, c, times, dt=0.5, **params) -> np.ndarray:
    """Pyramidal depolarisation v_p (mV) of every region at ``times`` (ms, a regular grid from 0).

    a_forward, a_backward, a_lateral : (n, n) absolute extrinsic strengths, [target, source]
    c : (n,) stimulus gains
    params : overrides of :data:`DEFAULTS` (h_e, h_i, tau_e, tau_i, g1..g4, slope, onset, width)
    Returns an array (len(times), n).
    """
    prm = {**DEFAULTS, **params}
    times = np.asarray(times, dtype=float)
    step_out = times[1] - times[0] if times.size > 1 else dt
    every = max(int(round(step_out / dt)), 1)
    n = len(c)
    out = np.zeros((times.size, n))
    packed = np.array([prm[k] for k in ("h_e", "h_i", "tau_e", "tau_i", "g1", "g2", "g3", "g4", "slope")])
    code = _integrate(n, np.ascontiguousarray(a_forward, dtype=float), np.ascontiguousarray(a_backward, dtype=float),
                      np.ascontiguousarray(a_lateral, dtype=float), np.asarray(c, dtype=float), packed,
                      float(prm["onset"]), float(prm["width"]), float(dt), int(times.size * every), every, out)
    if code >= 0:
        step, unit = divmod(code, n)
        raise SimulationDiverged((step + 1) * dt, unit, "v_p", dt, "rk4")
    return out
