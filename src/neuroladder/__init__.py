"""neuroladder: the ladder of neuron models, from Hodgkin-Huxley to neural masses.

Quick start::

    import neuroladder as nl
    res = nl.simulate(nl.HodgkinHuxley(), duration=100.0, dt=0.01, current=10.0)
    res.t, res["v"], res.spike_times
"""

from . import analysis, cable, circuits, inference, mass, network, stochastic
from .analysis import fi_curve, fixed_points, hopf_current, nullclines, onset_current, resting_state
from .cable import Cell, ac_length_constant, d_lambda_nseg, length_constant
from .core import (
    METHODS,
    Constant,
    FunctionOfTime,
    Method,
    Model,
    NeuroLadderError,
    NeuroLadderWarning,
    ParameterError,
    Ramp,
    Result,
    SimulationDiverged,
    Sinusoid,
    SpecError,
    Step,
    Stimulus,
    TimeArray,
    make_rng,
    simulate,
)
from .core._math import kernel
from .mass import BrainNetwork, Epileptor, JansenRit, RateNetwork, WilsonCowan
from .network import STDP, AlphaSynapse, DeltaSynapse, ExpSynapse, Network, TsodyksMarkram
from .neurons import (
    LIF,
    AdaptiveLIF,
    AdEx,
    HodgkinHuxley,
    Izhikevich,
    Motoneuron,
    RothmanManis,
    TraubMiles,
    WangBuzsaki,
)
from .stochastic import OUCurrent, ShotNoiseCurrent, StochasticLIF, WhiteNoiseCurrent, siegert_cv, siegert_rate
from .sweeps import sweep

__version__ = "0.1.0"

__all__ = [
    "Cell", "STDP", "AlphaSynapse", "DeltaSynapse", "ExpSynapse", "Network", "TsodyksMarkram", "network", "LIF", "METHODS", "AdaptiveLIF", "AdEx", "Constant", "FunctionOfTime", "HodgkinHuxley", "Izhikevich", "Method", "Model",
    "NeuroLadderError", "NeuroLadderWarning", "ParameterError", "Ramp", "Result", "SimulationDiverged", "Sinusoid", "SpecError", "Step",
    "Stimulus", "TimeArray", "circuits", "inference", "TraubMiles", "WangBuzsaki", "ac_length_constant", "analysis", "cable", "d_lambda_nseg", "kernel", "fi_curve", "fixed_points", "hopf_current", "length_constant", "make_rng", "nullclines", "BrainNetwork", "Epileptor", "JansenRit", "RateNetwork", "WilsonCowan", "mass", "OUCurrent", "ShotNoiseCurrent", "StochasticLIF", "WhiteNoiseCurrent", "siegert_cv", "siegert_rate", "stochastic",
    "onset_current", "resting_state", "simulate",
    "sweep",
    "Motoneuron", "RothmanManis",
]

from .core.errors import MissingExtraError  # noqa: E402


def __getattr__(name):
    # nl.ml is the optional torch subpackage: imported on first use, never by `import neuroladder`
    if name == "ml":
        import importlib

        try:
            return importlib.import_module(".ml", __name__)
        except ImportError as err:
            raise MissingExtraError(f"neuroladder.ml needs torch and torchdiffeq ({err}); install the ml extra: "
                                    "pip install torch==2.13.0 && pip install 'neuroladder[ml]'") from None
    raise AttributeError(f"module 'neuroladder' has no attribute {name!r}")
