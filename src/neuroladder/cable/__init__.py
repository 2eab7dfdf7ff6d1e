"""Compartmental neurons: cable constants, compartment-size rules (more of this rung to come)."""

from .constants import ac_length_constant, d_lambda_nseg, dc_rule_nseg, length_constant

__all__ = ["ac_length_constant", "d_lambda_nseg", "dc_rule_nseg", "length_constant"]
