"""The core: model protocol, parameters, solvers, stimuli, results, errors, seeds."""

from .errors import NeuroLadderError, NeuroLadderWarning, ParameterError, SimulationDiverged, SpecError
from .model import Model
from .result import Result
from .rng import make_rng
from .simulate import simulate
from .solvers import METHODS, Method
from .stimulus import Constant, FunctionOfTime, Ramp, Sinusoid, Step, Stimulus, TimeArray, as_stimulus

__all__ = [
    "METHODS", "Constant", "FunctionOfTime", "Method", "Model", "NeuroLadderError", "NeuroLadderWarning", "ParameterError", "Ramp",
    "Result", "SimulationDiverged", "Sinusoid", "SpecError", "Step", "Stimulus", "TimeArray", "as_stimulus",
    "make_rng", "simulate",
]
