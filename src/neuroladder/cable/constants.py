"""Cable constants and compartment-size rules.

Units (NEURON's): diameters and lengths in um, specific membrane resistance ``r_m`` in
ohm cm^2, axial resistivity ``r_a`` in ohm cm, specific capacitance ``c_m`` in uF/cm^2,
frequency in Hz. Results in um.

* DC length constant (Rall 1959; Koch, *Biophysics of Computation*, eq. 2.9):
  ``lambda = sqrt(r_m d / (4 r_a))``.
* AC length constant at high frequency, as NEURON's d_lambda rule uses it
  (Hines & Carnevale 2001, NEURON book ch. 5, ``fixnseg.hoc``):
  ``lambda_f = 1e5 sqrt(d / (4 pi f r_a c_m))`` (d in um, result in um).
* The d_lambda rule: the smallest odd number of segments such that each is at most
  ``d_lambda * lambda_f(freq)``: ``nseg = int((L / (d_lambda lambda_f) + 0.9) / 2) * 2 + 1``.
* The DC rule: segments no longer than lambda / 10 (odd count, as NEURON prefers so that the
  section's midpoint is a node).
"""

from __future__ import annotations

import math

import numpy as np

from ..core.parameters import require_positive


def length_constant(diam, r_m, r_a):
    """DC length constant (um) of a cylinder of diameter ``diam`` (um), r_m (ohm cm^2), r_a (ohm cm)."""
    for name, value in (("diam", diam), ("r_m", r_m), ("r_a", r_a)):
        require_positive(name, value)
    d_cm = np.asarray(diam, dtype=float) * 1e-4
    return np.sqrt(np.asarray(r_m, dtype=float) * d_cm / (4.0 * np.asarray(r_a, dtype=float))) * 1e4


def ac_length_constant(diam, r_a, c_m, freq):
    """Frequency-dependent length constant lambda_f (um) of NEURON's d_lambda rule.

    ``1e5 sqrt(diam / (4 pi freq r_a c_m))`` with diam in um, r_a in ohm cm, c_m in uF/cm^2,
    freq in Hz (the high-frequency limit, where the membrane is mostly capacitive).
    """
    for name, value in (("diam", diam), ("r_a", r_a), ("c_m", c_m), ("freq", freq)):
        require_positive(name, value)
    return 1e5 * np.sqrt(np.asarray(diam, dtype=float) / (4.0 * math.pi * np.asarray(freq, dtype=float)
                                                          * np.asarray(r_a, dtype=float)
                                                          * np.asarray(c_m, dtype=float)))


def d_lambda_nseg(length: float, diam: float, r_a: float, c_m: float, d_lambda: float = 0.1,
                  freq: float = 100.0) -> int:
    """Number of segments NEURON's d_lambda rule gives one section (odd, >= 1).

    length, diam in um; r_a ohm cm; c_m uF/cm^2; freq Hz (defaults: d_lambda 0.1, 100 Hz).
    """
    require_positive("length", length, "um")
    require_positive("d_lambda", d_lambda)
    lam = float(ac_length_constant(diam, r_a, c_m, freq))
    return int((length / (d_lambda * lam) + 0.9) / 2) * 2 + 1


def dc_rule_nseg(length: float, diam: float, r_m: float, r_a: float, fraction: float = 0.1) -> int:
    """Smallest odd number of segments no longer than ``fraction`` of the DC length constant."""
    require_positive("length", length, "um")
    require_positive("fraction", fraction)
    lam = float(length_constant(diam, r_m, r_a))
    n = max(1, math.ceil(length / (fraction * lam) - 1e-12))
    return n if n % 2 == 1 else n + 1
