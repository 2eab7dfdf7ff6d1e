"""Stochastic neurons: the rung of the ladder where input noise shapes firing.

This rung is partly built. Today it holds the Siegert (mean first-passage time)
theory of the leaky integrate-and-fire neuron driven by Gaussian white noise:
:func:`siegert_rate` (stationary firing rate) and :func:`siegert_cv`
(coefficient of variation of the interspike interval), in Brunel's (2000)
convention. Stochastic simulation models are still to come.
"""

from __future__ import annotations

from .siegert import siegert_cv, siegert_rate

__all__ = ["siegert_rate", "siegert_cv"]
