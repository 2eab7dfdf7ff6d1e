"""The stretch-reflex loop of a human ankle extensor: spindle, motoneuron pool with PICs, muscle, joint.

Pieces (each from its source, units in brackets):

- **Motoneurons**: a pool of :class:`neuroladder.neurons.Motoneuron` (Booth, Rinzel & Kiehn 1997,
  two compartments, dendritic L-type PIC), advanced by the core's exponential-Euler step
  (:func:`neuroladder.core._kernels.advance_block`). Size principle (Henneman 1957): unit i of n has
  a membrane area ``size_range ** (i / (n - 1))`` times the smallest, so the same synaptic
  conductance (uS) is a smaller density (mS/cm^2) on a larger cell and larger cells are recruited later.
- **Ia afferents**: ``n_ia`` spindle primaries sharing one rate (Prochazka & Gorassini 1998,
  J. Physiol. 507:277, cat triceps surae during locomotion): ``rate = 4.3 sgn(v) |v|^0.6 + 2 d + 82``
  imp/s, with stretch d (mm) and velocity v (mm/s) of the muscle, ``d = 1000 r theta`` for a moment
  arm r (m) and dorsiflexion angle theta (rad). Every Ia fibre contacts every homonymous
  motoneuron (Mendell & Henneman 1971). Spikes are Poisson at the delayed rate.
- **Delays**: afferent conduction ``afferent_delay`` (ms), central synaptic delay 1 ms (monosynaptic)
  or 2 ms (disynaptic reciprocal inhibition), efferent conduction ``efferent_delay`` (ms, larger
  axons faster). A human soleus stretch reflex arrives ~40 ms after the stretch.
- **Muscle**: each spike of unit i adds a twitch ``P_i (t/T_i) e^{1 - t/T_i}`` (Fuglevand, Winter &
  Patla 1993, J. Neurophysiol. 70:2470): peak forces spread exponentially over ``twitch_force_range``
  (100-fold), contraction times from ``contraction_time`` (90 ms, smallest unit) down by a factor
  3 for the largest. Twitches sum linearly (the paper's rate-dependent gain is left out).
- **Joint**: ``I theta'' = tau_ext - K theta - B theta' - r F`` (ankle dorsiflexion theta, rad;
  inertia I kg m^2, passive stiffness K N m/rad, damping B N m s/rad; the extensor's force F (N)
  plantarflexes).
- **Descending control**: presynaptic inhibition removes a fraction of Ia transmitter release;
  reciprocal inhibition from the antagonist's Ia afferents (stretched when the ankle
  plantarflexes) through Ia inhibitory interneurons (Hultborn 1976). After spinal cord injury both
  are lost and the motoneurons' PIC gain rises (monoamine receptor supersensitivity: Murray et al.
  2010, Nat. Med. 16:694): :meth:`ReflexLoop.injured`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from typing import NamedTuple

import numpy as np
from numba import njit

from ..core import _kernels as K
from ..core.errors import ParameterError
from ..core.parameters import require_int, require_non_negative, require_positive, require_range
from ..core.rng import make_rng
from ..neurons.motoneuron import Motoneuron

#: Prochazka & Gorassini (1998) Ia model: velocity gain, velocity exponent, length gain, offset
IA_VELOCITY_GAIN, IA_VELOCITY_EXPONENT, IA_LENGTH_GAIN, IA_OFFSET = 4.3, 0.6, 2.0, 82.0
#: conditions of a protocol: joint held at 0 rad, joint moved by a servo, joint free
ISOMETRIC, SERVO, FREE = 0, 1, 2


def spindle_rate(stretch_mm, velocity_mm_s):
    """Ia firing rate (imp/s) for muscle stretch (mm) and stretch velocity (mm/s), Prochazka & Gorassini (1998)."""
    v = np.asarray(velocity_mm_s, dtype=float)
    rate = (IA_VELOCITY_GAIN * np.sign(v) * np.abs(v) ** IA_VELOCITY_EXPONENT
            + IA_LENGTH_GAIN * np.asarray(stretch_mm, dtype=float) + IA_OFFSET)
    return np.maximum(rate, 0.0)


class PlateauResponse(NamedTuple):
    """A plateau protocol on one motoneuron: times (ms), soma and dendrite voltage (mV), injected
    current (uA/cm^2), spike times (ms), and the seconds of firing that outlast the excitatory pulse
    (``sustained_s``) and that follow the inhibitory pulse (``after_inhibition_s``)."""

    t: np.ndarray
    v: np.ndarray
    v_d: np.ndarray
    current: np.ndarray
    spike_times: np.ndarray
    sustained_s: float
    after_inhibition_s: float


def plateau_protocol(model: Motoneuron, excitation: float = 20.0, inhibition: float = -20.0,
                     pulse: float = 200.0, gap: float = 1300.0, dt: float = 0.025) -> PlateauResponse:
    """Brief excitatory pulse, then (``gap`` ms later) a brief inhibitory pulse (Hounsgaard & Kiehn
    1989's test of plateau potentials): ``excitation``/``inhibition`` uA/cm^2 for ``pulse`` ms each.

    ``sustained_s``: time from the end of the excitatory pulse to the last spike before the
    inhibitory pulse; ``after_inhibition_s``: firing time after the inhibitory pulse.
    """
    from ..core.simulate import simulate
    from ..core.stimulus import FunctionOfTime

    require_positive("pulse", pulse, "ms")
    require_positive("gap", gap, "ms")
    on, off = 200.0, 200.0 + pulse
    inh_on, inh_off = off + gap, off + gap + pulse
    total = inh_off + 800.0

    def drive(t):
        return np.where((t >= on) & (t < off), excitation, 0.0) + np.where((t >= inh_on) & (t < inh_off),
                                                                             inhibition, 0.0)

    res = simulate(model, total, dt, current=FunctionOfTime(drive), record=("v", "v_d"), record_dt=0.5)
    spikes = np.asarray(res.spike_times)
    between = spikes[(spikes > off) & (spikes < inh_on)]
    after = spikes[spikes > inh_off]
    return PlateauResponse(res.t, res["v"], res["v_d"], drive(res.t), spikes,
                           float(between[-1] - off) * 1e-3 if between.size else 0.0,
                           float(after[-1] - inh_off) * 1e-3 if after.size else 0.0)


class RampResponse(NamedTuple):
    """A triangular current ramp on a test motoneuron and a lower-threshold control unit.

    ``recruit_current`` and ``derecruit_current`` (uA/cm^2) of the test unit; ``delta_f`` (imp/s):
    the control unit's rate at the test unit's recruitment minus at its derecruitment (Gorassini
    et al. 2002, J. Neurophysiol. 87:1850); NaN when a unit never fires.
    """

    t: np.ndarray
    current: np.ndarray
    test_spikes: np.ndarray
    control_spikes: np.ndarray
    recruit_current: float
    derecruit_current: float
    delta_f: float


def ramp_protocol(model: Motoneuron, control: Motoneuron | None = None, low: float = -15.0, peak: float = 25.0,
                  duration: float = 10000.0, dt: float = 0.025) -> RampResponse:
    """Triangular ramp from ``low`` to ``peak`` and back (uA/cm^2) over ``duration`` ms, given to a test
    motoneuron and a control unit (default: the same cell without PIC and with 20 uA/cm^2 more dendritic
    bias, so it fires through the whole ramp and its rate reports the common drive)."""
    from ..core.simulate import simulate
    from ..core.stimulus import FunctionOfTime

    require_positive("duration", duration, "ms")
    if not peak > low:
        raise ParameterError(f"peak = {peak} uA/cm^2 must exceed low = {low} uA/cm^2")
    if control is None:
        control = model.replace(pic_gain=0.0, i_dend=float(np.asarray(model.i_dend)) + 20.0)
    half = 0.5 * duration

    def drive(t):
        return low + (peak - low) * (1.0 - np.abs(t - half) / half)

    spikes = []
    for m in (model, control):
        res = simulate(m, duration, dt, current=FunctionOfTime(drive), record=())
        spikes.append(np.asarray(res.spike_times))
    test, ctrl = spikes
    if test.size < 2 or ctrl.size < 3:
        return RampResponse(res.t, drive(res.t), test, ctrl, float("nan"), float("nan"), float("nan"))
    rate_t = 0.5 * (ctrl[1:] + ctrl[:-1])
    rate = 1000.0 / np.diff(ctrl)

    def control_rate(at):  # instantaneous rate of the control unit around time ``at``, mean of the 3 nearest
        k = np.argsort(np.abs(rate_t - at))[:3]
        return float(np.mean(rate[k]))

    delta_f = control_rate(test[0]) - control_rate(test[-1])
    return RampResponse(res.t, drive(res.t), test, ctrl, float(drive(test[0])), float(drive(test[-1])), delta_f)


@dataclass(frozen=True)
class ReflexLoop:
    """Parameters of the stretch-reflex loop (see the module docstring for the sources).

    Units: conductances per Ia or background spike in nS (on the smallest motoneuron, whose
    area is ``area_cm2``), delays and time constants ms, forces N, joint in rad, N m, kg m^2.
    """

    n_motoneurons: int = 60
    pic_gain: float = 1.0
    presynaptic_inhibition: float = 0.3
    reciprocal_inhibition: float = 1.0
    size_range: float = 3.0
    area_cm2: float = 2e-4
    dend_fraction: float = 0.6
    i_dend: float = -4.0
    n_ia: int = 40
    ia_offset: float = 20.0
    ia_weight: float = 5.0
    ia_tau: float = 2.0
    reciprocal_weight: float = 5.0
    inhibitory_tau: float = 4.0
    e_exc: float = 0.0
    e_inh: float = -80.0
    background_rate: float = 1000.0
    background_weight: float = 4.0
    afferent_delay: float = 20.0
    efferent_delay: float = 18.0
    efferent_delay_range: float = 4.0
    max_twitch_force: float = 12.0
    twitch_force_range: float = 100.0
    contraction_time: float = 90.0
    contraction_time_range: float = 3.0
    moment_arm: float = 0.05
    inertia: float = 0.03
    stiffness: float = 30.0
    damping: float = 0.6
    dt: float = 0.05

    def __post_init__(self):
        require_int("n_motoneurons", self.n_motoneurons, low=2)
        require_int("n_ia", self.n_ia, low=1)
        require_non_negative("pic_gain", self.pic_gain)
        require_range("presynaptic_inhibition", self.presynaptic_inhibition, 0.0, 1.0)
        require_non_negative("reciprocal_inhibition", self.reciprocal_inhibition)
        for name in ("size_range", "twitch_force_range", "contraction_time_range"):
            require_range(name, getattr(self, name), 1.0, 1e4)
        for name in ("area_cm2", "ia_tau", "inhibitory_tau", "afferent_delay", "efferent_delay", "max_twitch_force",
                     "contraction_time", "moment_arm", "inertia"):
            require_positive(name, getattr(self, name))
        for name in ("ia_offset", "ia_weight", "reciprocal_weight", "background_rate", "background_weight", "stiffness", "damping",
                     "efferent_delay_range"):
            require_non_negative(name, getattr(self, name))
        require_range("dt", self.dt, 0.0, 0.1, low_open=True, unit="ms")
        require_range("dend_fraction", self.dend_fraction, 0.0, 1.0, high_open=True)

    @classmethod
    def intact(cls, **changes) -> ReflexLoop:
        """Descending control present: presynaptic and reciprocal inhibition, normal PIC gain."""
        return cls(**changes)

    @classmethod
    def injured(cls, **changes) -> ReflexLoop:
        """Chronic spinal cord injury: descending control lost, PIC gain raised.

        No presynaptic inhibition of Ia terminals, the Ia interneurons' descending facilitation halved
        (reciprocal inhibition is segmental and stays, weaker: Crone et al. 2003), the tonic descending
        excitation (background) cut to a quarter, and the PIC gain raised 1.75-fold (monoamine
        receptor supersensitivity, Murray et al. 2010)."""
        return cls(**{"pic_gain": 1.75, "presynaptic_inhibition": 0.0, "reciprocal_inhibition": 0.5,
                      "background_weight": 1.0, **changes})

    def replace(self, **changes) -> ReflexLoop:
        return replace(self, **changes)

    # -- the pool ---------------------------------------------------------------
    def sizes(self) -> np.ndarray:
        """Membrane area of each motoneuron relative to the smallest (recruitment order)."""
        return self.size_range ** (np.arange(self.n_motoneurons) / (self.n_motoneurons - 1))

    def twitch_forces(self) -> np.ndarray:
        """Peak twitch force of each motor unit (N), Fuglevand et al. (1993): exponential over the range."""
        i = np.arange(self.n_motoneurons) / (self.n_motoneurons - 1)
        return self.max_twitch_force * self.twitch_force_range ** (i - 1.0)

    def contraction_times(self) -> np.ndarray:
        """Twitch contraction time of each unit (ms): ``contraction_time`` for the smallest, over the range down."""
        i = np.arange(self.n_motoneurons) / (self.n_motoneurons - 1)
        return self.contraction_time * self.contraction_time_range ** (-i)

    def efferent_delays(self) -> np.ndarray:
        """Motor-axon conduction delay of each unit (ms); larger axons conduct faster."""
        i = np.arange(self.n_motoneurons) / (self.n_motoneurons - 1)
        return self.efferent_delay + self.efferent_delay_range * (1.0 - i)

    def motoneuron(self) -> Motoneuron:
        return Motoneuron(pic_gain=self.pic_gain, dend_fraction=self.dend_fraction, i_dend=self.i_dend)


@dataclass(frozen=True)
class Protocol:
    """One run of the loop: what the joint does and what extra input the afferents get.

    ``mode``: ``"isometric"`` (joint held at 0 rad), ``"servo"`` (a ramp-and-hold stretch imposed
    by a motor: from ``start`` ms at ``velocity`` rad/s up to ``amplitude`` rad) or ``"free"``
    (the joint moves under the external torque: ``bias_torque`` N m from ``start`` plus
    ``pulse_torque`` N m for ``pulse_duration`` ms from ``start``). ``vibration_rate`` (imp/s per
    Ia fibre) is added between ``vibration_start`` and ``vibration_stop`` ms (a brief input, as
    tendon vibration).
    """

    mode: str = "isometric"
    start: float = 200.0
    velocity: float = 0.0
    amplitude: float = 0.0
    bias_torque: float = 0.0
    pulse_torque: float = 0.0
    pulse_duration: float = 0.0
    vibration_start: float = 0.0
    vibration_stop: float = 0.0
    vibration_rate: float = 0.0

    def __post_init__(self):
        if self.mode not in ("isometric", "servo", "free"):
            raise ParameterError(f"mode = {self.mode!r}; choose 'isometric', 'servo' or 'free'")
        require_non_negative("start", self.start, "ms")
        require_range("velocity", self.velocity, 0.0, 20.0, unit="rad/s")
        require_range("amplitude", self.amplitude, 0.0, 1.0, unit="rad")
        require_range("bias_torque", self.bias_torque, -200.0, 200.0, unit="N m")
        require_range("pulse_torque", self.pulse_torque, -500.0, 500.0, unit="N m")
        require_non_negative("pulse_duration", self.pulse_duration, "ms")
        require_non_negative("vibration_rate", self.vibration_rate, "imp/s")
        if self.mode == "servo" and self.velocity <= 0.0 and self.amplitude > 0.0:
            raise ParameterError("velocity must be > 0 rad/s for a servo stretch with amplitude > 0")

    def as_row(self) -> list:
        code = {"isometric": ISOMETRIC, "servo": SERVO, "free": FREE}[self.mode]
        return [code, self.start, self.velocity, self.amplitude, self.bias_torque, self.pulse_torque,
                self.pulse_duration, self.vibration_start, self.vibration_stop, self.vibration_rate]


class ReflexResult(NamedTuple):
    """Traces of a loop run, one column per protocol: times (ms), joint angle (rad), muscle force (N),
    Ia rate (imp/s per fibre) and the pool's spikes (times ms, unit, protocol)."""

    t: np.ndarray
    theta: np.ndarray
    force: np.ndarray
    ia_rate: np.ndarray
    spike_times: np.ndarray
    spike_units: np.ndarray
    spike_protocols: np.ndarray
    n_motoneurons: int

    def pool_rate(self, protocol: int, bin_ms: float = 10.0):
        """(bin centres ms, mean firing rate per motoneuron imp/s) of one protocol."""
        edges = np.arange(0.0, self.t[-1] + bin_ms, bin_ms)
        counts, _ = np.histogram(self.spike_times[self.spike_protocols == protocol], edges)
        return 0.5 * (edges[1:] + edges[:-1]), counts / (self.n_motoneurons * bin_ms * 1e-3)


def simulate_reflex(loop: ReflexLoop, protocols, duration: float, seed=None, record_dt: float = 1.0) -> ReflexResult:
    """Run the loop once per protocol (all protocols side by side in one pass) for ``duration`` ms."""
    if not isinstance(loop, ReflexLoop):
        raise ParameterError("loop must be a ReflexLoop (ReflexLoop.intact() or ReflexLoop.injured())")
    protocols = list(protocols)
    if not protocols or not all(isinstance(p, Protocol) for p in protocols):
        raise ParameterError("protocols must be a non-empty list of Protocol records")
    require_positive("duration", duration, "ms")
    dt = loop.dt
    every = int(round(record_dt / dt))
    if every < 1 or not math.isclose(every * dt, record_dt, rel_tol=1e-9):
        raise ParameterError(f"record_dt = {record_dt} ms must be a whole multiple of dt = {dt} ms")
    rng = make_rng(seed)
    n_mn, n_cond = loop.n_motoneurons, len(protocols)
    n = n_mn * n_cond
    model = loop.motoneuron()
    y = np.ascontiguousarray(model.state_matrix(n))
    p = np.ascontiguousarray(model.param_matrix(n))
    # a synaptic conductance of g nS on a cell of area A cm^2 is a density g * 1e-6 / A mS/cm^2
    density = np.tile(1e-6 / (loop.area_cm2 * loop.sizes()), n_cond)
    twitch = np.tile(loop.twitch_forces(), n_cond)
    t_c = np.tile(loop.contraction_times(), n_cond)
    eff_steps = np.tile(np.round(loop.efferent_delays() / dt).astype(np.int64), n_cond)
    table = np.array([pr.as_row() for pr in protocols], dtype=float)
    n_steps = int(round(duration / dt))
    n_rec = n_steps // every + 1
    theta = np.zeros((n_rec, n_cond))
    force = np.zeros((n_rec, n_cond))
    ia = np.zeros((n_rec, n_cond))
    cap = int(n * duration * 1e-3 * 150) + 1000  # far above any rate a motoneuron reaches (~100 imp/s)
    spk_t = np.empty(cap)
    spk_u = np.empty(cap, dtype=np.int64)
    consts = np.array([dt, loop.afferent_delay, loop.ia_tau, loop.inhibitory_tau, loop.ia_weight,
                       loop.reciprocal_weight * loop.reciprocal_inhibition, 1.0 - loop.presynaptic_inhibition,
                       loop.e_exc, loop.e_inh, loop.background_rate, loop.background_weight, float(loop.n_ia),
                       loop.moment_arm, loop.inertia, loop.stiffness, loop.damping, loop.ia_offset])
    count = _run_loop(model.equations, y, p, density, twitch, t_c, eff_steps, table, consts, n_mn, n_steps, every,
                      rng, theta, force, ia, spk_t, spk_u)
    if count < 0:
        raise ParameterError("the loop diverged (non-finite motoneuron state); use a smaller dt")
    spk_t, spk_u = spk_t[:count], spk_u[:count]
    return ReflexResult(np.arange(n_rec) * every * dt, theta, force, ia, spk_t, spk_u % n_mn, spk_u // n_mn, n_mn)


@njit(cache=True, error_model="numpy")
def _joint_input(row, t):
    """(theta, omega, external torque) prescribed by a protocol row at time t (ms)."""
    mode, start, vel, amp = row[0], row[1], row[2], row[3]
    if mode == SERVO:
        if t <= start or amp <= 0.0:
            return 0.0, 0.0, 0.0
        s = (t - start) * 1e-3 * vel
        if s < amp:
            return s, vel, 0.0
        return amp, 0.0, 0.0
    if mode == FREE:
        torque = 0.0
        if t >= start:
            torque = row[4]
            if t < start + row[6]:
                torque += row[5]
        return 0.0, 0.0, torque
    return 0.0, 0.0, 0.0


@njit(cache=True, error_model="numpy")
def _ia_rate(theta, omega, arm, offset):
    d = 1000.0 * arm * theta
    v = 1000.0 * arm * omega
    vel = IA_VELOCITY_GAIN * abs(v) ** IA_VELOCITY_EXPONENT
    if v < 0.0:
        vel = -vel
    r = vel + IA_LENGTH_GAIN * d + offset
    return r if r > 0.0 else 0.0


@njit(cache=True, error_model="numpy")
def _run_loop(equations, y, p, density, twitch, t_c, eff_steps, table, consts, n_mn, n_steps, every, rng,
              theta_out, force_out, ia_out, spk_t, spk_u):
    (dt, aff_delay, tau_e, tau_i, w_ia, w_rec, release, e_exc, e_inh, bg_rate, bg_w, n_ia, arm, inertia, stiff,
     damp, offset) = (consts[0], consts[1], consts[2], consts[3], consts[4], consts[5], consts[6], consts[7],
                      consts[8], consts[9], consts[10], consts[11], consts[12], consts[13], consts[14], consts[15],
                      consts[16])
    ns, n = y.shape
    n_cond = table.shape[0]
    a = np.empty((ns, n))
    b = np.empty((ns, n))
    y0 = np.empty((ns, n))
    acc = np.empty((ns, n))
    gain = np.zeros(n)
    cond = np.zeros((6, n))
    i_ext = np.zeros(n)
    g_bg = np.zeros(n)
    g_e = np.zeros(n_cond)
    g_i = np.zeros(n_cond)
    theta = np.zeros(n_cond)
    omega = np.zeros(n_cond)
    muscle = np.zeros(n_cond)
    f = np.zeros(n)       # twitch force of each unit (N)
    df = np.zeros(n)      # its rate of change (N/ms)
    # joint history for the afferent delay (monosynaptic +1 ms, disynaptic +2 ms)
    hist_len = int(round((aff_delay + 2.0) / dt)) + 2
    h_theta = np.zeros((hist_len, n_cond))
    h_omega = np.zeros((hist_len, n_cond))
    d_exc = int(round((aff_delay + 1.0) / dt))
    d_inh = int(round((aff_delay + 2.0) / dt))
    max_eff = 0
    for u in range(n):
        if eff_steps[u] > max_eff:
            max_eff = eff_steps[u]
    eff_len = max_eff + 1
    pending = np.zeros((eff_len, n), dtype=np.int64)
    decay_e = math.exp(-dt / tau_e)
    decay_i = math.exp(-dt / tau_i)
    dt_s = dt * 1e-3
    lam_bg = bg_rate * dt_s
    e1 = math.e
    v_prev = np.empty(n)
    for u in range(n):
        v_prev[u] = y[0, u]
    count = 0
    for c in range(n_cond):
        theta_out[0, c] = 0.0
        ia_out[0, c] = offset
    for step in range(n_steps):
        t = step * dt
        slot = step % hist_len
        # ---- joint and muscle, one condition at a time
        for c in range(n_cond):
            row = table[c]
            if row[0] == FREE:
                _, _, torque = _joint_input(row, t)
                acc_j = (torque - stiff * theta[c] - damp * omega[c] - arm * muscle[c]) / inertia  # rad/s^2
                omega[c] += acc_j * dt_s
                theta[c] += omega[c] * dt_s
            else:
                theta[c], omega[c], _ = _joint_input(row, t)
            h_theta[slot, c] = theta[c]
            h_omega[slot, c] = omega[c]
            # ---- Ia afferents of the muscle (excitatory) and of its antagonist (through Ia interneurons)
            rate = 0.0
            rate_ant = 0.0
            if step >= d_exc:
                k = (step - d_exc) % hist_len
                rate = _ia_rate(h_theta[k, c], h_omega[k, c], arm, offset)
            else:
                rate = offset
            if step >= d_inh:
                k = (step - d_inh) % hist_len
                rate_ant = _ia_rate(-h_theta[k, c], -h_omega[k, c], arm, offset)
            else:
                rate_ant = offset
            vib_on = t - aff_delay >= row[7] and t - aff_delay < row[8]
            if vib_on:
                rate += row[9]
            g_e[c] = g_e[c] * decay_e + w_ia * release * rng.poisson(n_ia * rate * dt_s)
            g_i[c] = g_i[c] * decay_i + w_rec * rng.poisson(n_ia * rate_ant * dt_s)
            if step % every == 0:
                r = step // every
                ia_out[r, c] = rate
        # ---- synaptic current of each motoneuron (its density on the cell's area)
        for u in range(n):
            c = u // n_mn
            g_bg[u] = g_bg[u] * decay_e + bg_w * rng.poisson(lam_bg)
            v = y[0, u]
            i_ext[u] = density[u] * ((g_e[c] + g_bg[u]) * (e_exc - v) + g_i[c] * (e_inh - v))
        K.advance_block(equations, K.EXPONENTIAL_EULER, t, dt, y, p, i_ext, i_ext, i_ext, a, b, y0, acc, 0, gain,
                        cond, False)
        # ---- spikes: upward crossings of 0 mV, sent down the motor axon
        eslot = step % eff_len
        for u in range(n):
            v = y[0, u]
            if not np.isfinite(v):
                return -1
            if v_prev[u] < 0.0 <= v:
                if count < spk_t.shape[0]:
                    spk_t[count] = t + dt
                    spk_u[count] = u
                    count += 1
                pending[(step + eff_steps[u]) % eff_len, u] += 1
            v_prev[u] = v
        # ---- twitches (Fuglevand 1993): f'' + 2 f'/T + f/T^2 = 0, each arrival kicks f' by P e / T
        for c in range(n_cond):
            muscle[c] = 0.0
        for u in range(n):
            k = pending[eslot, u]
            if k > 0:
                df[u] += k * twitch[u] * e1 / t_c[u]
                pending[eslot, u] = 0
            tc = t_c[u]
            df[u] += (-2.0 * df[u] / tc - f[u] / (tc * tc)) * dt
            f[u] += df[u] * dt
            muscle[u // n_mn] += f[u]
        if (step + 1) % every == 0:
            r = (step + 1) // every
            for c in range(n_cond):
                theta_out[r, c] = theta[c]
                force_out[r, c] = muscle[c]
    return count


class Oscillation(NamedTuple):
    """Cycles of a joint oscillation and their mean frequency (Hz; NaN with fewer than two peaks)."""

    cycles: int
    frequency: float
    peak_times: np.ndarray


def oscillation_cycles(t, theta, after: float, min_peak_to_peak: float = math.radians(2.0)) -> Oscillation:
    """Count the cycles of ``theta`` (rad) after time ``after`` (ms): alternating maxima and minima
    whose peak-to-peak excursion is at least ``min_peak_to_peak`` (rad, default 2 degrees, about
    the smallest beat a clinician counts). A cycle is a maximum followed by a minimum and the next
    maximum; the frequency is 1 / the mean interval between the maxima of counted cycles."""
    t = np.asarray(t, dtype=float)
    x = np.asarray(theta, dtype=float)
    keep = t >= after
    t, x = t[keep], x[keep]
    if x.size < 3:
        return Oscillation(0, float("nan"), np.zeros(0))
    # turning points of the trace, then merged so that successive extrema differ by the threshold
    dx = np.diff(x)
    turn = np.nonzero(np.sign(dx[1:]) != np.sign(dx[:-1]))[0] + 1
    ext_t, ext_x = [], []
    for i in turn:
        if ext_x and abs(x[i] - ext_x[-1]) < min_peak_to_peak:
            continue
        if len(ext_x) >= 2 and (x[i] - ext_x[-1]) * (ext_x[-1] - ext_x[-2]) > 0:
            ext_t[-1], ext_x[-1] = t[i], x[i]  # same direction: keep the more extreme one
            continue
        ext_t.append(t[i])
        ext_x.append(x[i])
    ext_t, ext_x = np.array(ext_t), np.array(ext_x)
    if ext_x.size < 2:
        return Oscillation(0, float("nan"), np.zeros(0))
    maxima = [k for k in range(1, ext_x.size - 1) if ext_x[k] > ext_x[k - 1] and ext_x[k] > ext_x[k + 1]]
    if ext_x.size >= 2 and ext_x[0] > ext_x[1]:
        maxima = [0] + maxima
    peaks = ext_t[maxima]
    cycles = max(len(peaks) - 1, 0)
    freq = 1000.0 / float(np.mean(np.diff(peaks))) if peaks.size >= 2 else float("nan")
    return Oscillation(cycles, freq, peaks)
