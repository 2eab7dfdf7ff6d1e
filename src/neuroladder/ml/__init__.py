"""Machine learning on neuroladder's simulations (the ``ml`` extra: torch, torchdiffeq).

Continuous-time models for irregularly sampled, partially missing series (:class:`NeuralODE`,
:class:`ODERNN`, :class:`GRUBaseline`), a causal decoder-only Transformer for binned spike trains
(:class:`SpikeTransformer`), and the data they train on (:func:`irregular_samples`,
:func:`binned_counts`). Nothing outside this subpackage imports it; ``import neuroladder`` does not
import torch. Install with ``pip install torch==2.13.0 && pip install 'neuroladder[ml]'``.
"""

from .data import IrregularSamples, binned_counts, irregular_samples
from .metrics import bits_per_spike, poisson_log_likelihood
from .ode import ODERNN, GRUBaseline, NeuralODE
from .transformer import SpikeTransformer

__all__ = ["IrregularSamples", "irregular_samples", "binned_counts", "NeuralODE", "ODERNN", "GRUBaseline",
           "SpikeTransformer", "bits_per_spike", "poisson_log_likelihood"]
