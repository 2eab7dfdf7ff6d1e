"""Postsynaptic kernels: exponential, alpha and delta; current- or conductance-based.

A synapse type is a linear filter of the incoming spikes, integrated exactly (closed form)
between steps. Weights are in the postsynaptic model's current unit for current-based
synapses (pA for LIF/AdEx), in its conductance unit for conductance-based ones (nS for
LIF/AdEx, mS/cm^2 for HH-type models; then the current is ``g (e_rev - v)``), and in mV for
the delta synapse (an instantaneous jump of v, as NEST's ``iaf_psc_delta``).

Sources: exponential and alpha kernels as in NEST's ``iaf_psc_exp``/``iaf_psc_alpha`` and
``iaf_cond_exp``/``iaf_cond_alpha``; alpha normalised to peak ``w`` at ``t = tau``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from ..core.errors import ParameterError
from ..core.parameters import require_positive, require_range

EXP, ALPHA, DELTA = 0, 1, 2


@dataclass(frozen=True)
class Synapse:
    """Base of the synapse kernels (use :class:`ExpSynapse`, :class:`AlphaSynapse`, :class:`DeltaSynapse`)."""

    @property
    def kind(self) -> int:
        raise NotImplementedError

    @property
    def rows(self) -> int:
        """State variables per neuron: 1 (exponential), 2 (alpha), 0 (delta)."""
        return {EXP: 1, ALPHA: 2, DELTA: 0}[self.kind]

    @property
    def conductance(self) -> bool:
        return getattr(self, "e_rev", None) is not None


@dataclass(frozen=True)
class _FilterSynapse(Synapse):
    """A kernel with a time constant ``tau`` (ms); ``e_rev`` (mV) makes it conductance-based."""

    tau: float = 5.0
    e_rev: float | None = None

    def __post_init__(self):
        require_positive("tau", self.tau, "ms")
        if self.e_rev is not None:
            require_range("e_rev", self.e_rev, -500.0, 500.0, unit="mV")


@dataclass(frozen=True)
class ExpSynapse(_FilterSynapse):
    """Exponential kernel: a spike of weight w adds w, which decays with ``tau`` (ms, default 5).

    ``e_rev`` (mV) makes it conductance-based (current g (e_rev - v)); None: current-based.
    """

    @property
    def kind(self):
        return EXP


@dataclass(frozen=True)
class AlphaSynapse(_FilterSynapse):
    """Alpha kernel ``w (t/tau) exp(1 - t/tau)``: peak w at t = tau (ms, default 2). ``e_rev`` as for
    :class:`ExpSynapse`."""

    tau: float = 2.0

    @property
    def kind(self):
        return ALPHA


@dataclass(frozen=True)
class DeltaSynapse(Synapse):
    """Delta kernel: a spike of weight w (mV) makes the spike variable jump by w."""

    @property
    def kind(self):
        return DELTA

    @property
    def tau(self):
        return math.inf

    @property
    def e_rev(self):
        return None


def as_synapse(synapse) -> Synapse:
    """``"exp"``, ``"alpha"``, ``"delta"`` or a :class:`Synapse`."""
    if isinstance(synapse, Synapse):
        return synapse
    named = {"exp": ExpSynapse, "exponential": ExpSynapse, "alpha": AlphaSynapse, "delta": DeltaSynapse}
    if isinstance(synapse, str) and synapse.lower() in named:
        return named[synapse.lower()]()
    raise ParameterError(f"synapse = {synapse!r} is unknown; use nl.ExpSynapse(tau, e_rev=None), "
                         f"nl.AlphaSynapse(tau, e_rev=None), nl.DeltaSynapse() or 'exp'/'alpha'/'delta'")


@dataclass(frozen=True)
class TsodyksMarkram:
    """Short-term depression and facilitation (Tsodyks & Markram 1997; Tsodyks, Pawelzik & Markram 1998).

    At each presynaptic spike, with h the time since the previous one (NEST's ``tsodyks2_synapse``):
    ``x <- 1 + (x - x u - 1) exp(-h / tau_rec)``, ``u <- U + u (1 - U) exp(-h / tau_facil)``
    (``u <- U`` when ``tau_facil`` = 0), and the synapse transmits ``w u x``. Initially u = U, x = 1
    and there was no earlier spike, so the first spike transmits ``w U``.
    For a regular train of interval h without facilitation the steady-state amplitude is
    ``w U (1 - e) / (1 - (1 - U) e)`` with ``e = exp(-h / tau_rec)``.

    Parameters: ``U`` in (0, 1], ``tau_rec`` > 0 ms, ``tau_facil`` >= 0 ms.
    """

    U: float = 0.5
    tau_rec: float = 800.0
    tau_facil: float = 0.0

    def __post_init__(self):
        require_range("U", self.U, 0.0, 1.0, low_open=True)
        require_positive("tau_rec", self.tau_rec, "ms")
        require_range("tau_facil", self.tau_facil, 0.0, 1e9, unit="ms")


@dataclass(frozen=True)
class STDP:
    """Pair-based spike-timing-dependent plasticity with exponential windows and hard bounds.

    For a presynaptic spike at t_pre and a postsynaptic spike at t_post (somatic spike times),
    with all pairs summed through traces (Song, Miller & Abbott 2000; Morrison, Diesmann &
    Gerstner 2008, "all-to-all" pairing):
    ``t_post > t_pre``: ``dw = a_plus exp(-(t_post - t_pre)/tau_plus)`` times ``(w_max - w)`` if multiplicative;
    ``t_post < t_pre``: ``dw = -a_minus exp(-(t_pre - t_post)/tau_minus)`` times ``w`` if multiplicative
    (van Rossum, Bi & Turrigiano 2000); then ``w`` is clipped to [w_min, w_max].
    Weights in the synapse's unit; ``a_plus``/``a_minus`` in weight units (additive) or per unit
    (multiplicative); time constants in ms.
    """

    a_plus: float = 0.01
    a_minus: float = 0.0105
    tau_plus: float = 20.0
    tau_minus: float = 20.0
    w_min: float = 0.0
    w_max: float = 1.0
    multiplicative: bool = False

    def __post_init__(self):
        require_range("a_plus", self.a_plus, 0.0, 1e9)
        require_range("a_minus", self.a_minus, 0.0, 1e9)
        require_positive("tau_plus", self.tau_plus, "ms")
        require_positive("tau_minus", self.tau_minus, "ms")
        if not self.w_min <= self.w_max:
            raise ParameterError(f"w_min = {self.w_min} must not exceed w_max = {self.w_max}")
