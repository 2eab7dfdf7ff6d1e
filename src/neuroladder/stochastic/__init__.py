"""Stochastic neurons: the rung of the ladder where input noise shapes firing.

This rung is partly built. It holds the Siegert (mean first-passage time) theory of the leaky
integrate-and-fire neuron driven by Gaussian white noise, :func:`siegert_rate` and
:func:`siegert_cv` (Brunel's 2000 convention), and the simulated :class:`StochasticLIF` with
threshold-reset at first passage and a correction of the time-step bias. The SDE methods
(Euler-Maruyama, Milstein) live in the core solvers. Noise currents: :class:`WhiteNoiseCurrent`, :class:`OUCurrent`, :class:`ShotNoiseCurrent` (with release probability, and
its diffusion approximation). Channel noise (:func:`simulate_channel_noise`, Markov chains or Fox-Lu Langevin). The remaining
stochastic experiments are still to come.
"""

from __future__ import annotations

from .channels import channel_counts, simulate_channel_noise
from .lif import StochasticLIF
from .noise import OUCurrent, ShotNoiseCurrent, WhiteNoiseCurrent
from .siegert import siegert_cv, siegert_rate

__all__ = ["channel_counts", "simulate_channel_noise", "OUCurrent", "ShotNoiseCurrent", "StochasticLIF", "WhiteNoiseCurrent", "siegert_cv", "siegert_rate"]
