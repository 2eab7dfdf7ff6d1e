"""Compartmental neurons: cable constants, compartment-size rules, morphologies, the Hines solver.

This rung is partly built: passive cells (``nl.Cell``) with current clamps, backward Euler and
Crank-Nicolson; active channels in compartments and synapses are still to come (issue 4).
"""

from .cell import Cell
from .constants import ac_length_constant, d_lambda_nseg, dc_rule_nseg, length_constant
from .measure import conduction_velocity, crossing_time
from .morphology import REGIONS, Morphology, Section
from .swc import read_swc

__all__ = ["REGIONS", "Cell", "Morphology", "Section", "ac_length_constant", "conduction_velocity", "crossing_time",
           "d_lambda_nseg", "dc_rule_nseg", "length_constant", "read_swc"]
