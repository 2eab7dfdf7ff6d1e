"""The Epileptor (Jirsa, Stacey, Quilichini, Ivanov & Bernard 2014): a neural mass of seizure dynamics.

Two fast subsystems (x1, y1: the fast discharges; x2, y2: the spike-wave events), a filter g of x1, and the
slow permittivity variable z that drives the system into and out of seizures:

    dx1/dt = y1 - f1(x1, x2, z) - z + I1
    dy1/dt = y0 - 5 x1^2 - y1
    dz/dt  = r (4 (x1 - x0) - z - I)                          (I: the injected current, see below)
    dx2/dt = -y2 + x2 - x2^3 + I2 + 2 g - 0.3 (z - 3.5)
    dy2/dt = (-y2 + f2(x2)) / tau2
    dg/dt  = -0.01 (g - 0.1 x1)

    f1 = x1^3 - 3 x1^2                  for x1 < 0
         (x2 - 0.6 (z - 4)^2) x1        for x1 >= 0
    f2 = 0 for x2 < -0.25, 6 (x2 + 0.25) otherwise

with the paper's parameters x0 = -1.6, y0 = 1, r = 1/2857 (tau0 = 2857), tau2 = 10, I1 = 3.1, I2 = 0.45.
Seizure onset is a saddle-node and offset a homoclinic bifurcation of the fast subsystem, traversed by z
(the "saddle-node / homoclinic" class of Jirsa et al. 2014). The excitability x0 sets whether z can reach
onset: below a critical value (about -2.05, Proix et al. 2014) the region stays interictal.

The injected current I enters the slow equation with a minus sign: on ``nl.BrainNetwork`` with difference
coupling of x1 it is the permittivity coupling of Proix, Bartolomei, Chauvel, Bernard & Jirsa (2014),
``-K sum_j C_ij (x1_j - x1_i)``, through which a seizing region lowers its neighbours' z. Time in the
model's units, taken as ms (as The Virtual Brain does): a seizure cycle lasts tens of seconds.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..core._math import kernel
from ..core.model import Model
from ..core.parameters import require_positive, require_range


@kernel
def epileptor_equations(t, y, p, i_ext, a, b):
    """The six Epileptor equations (module docstring); all derivatives in a (b = 0, explicit form)."""
    for k in range(y.shape[1]):
        x1, y1, z, x2, y2, g = y[0, k], y[1, k], y[2, k], y[3, k], y[4, k], y[5, k]
        x0, y0, r, inv_tau2, i1, i2 = p[0, k], p[1, k], p[2, k], p[3, k], p[4, k], p[5, k]
        if x1 < 0.0:
            f1 = x1 * x1 * x1 - 3.0 * x1 * x1
        else:
            f1 = (x2 - 0.6 * (z - 4.0) * (z - 4.0)) * x1
        f2 = 0.0 if x2 < -0.25 else 6.0 * (x2 + 0.25)
        a[0, k] = y1 - f1 - z + i1
        a[1, k] = y0 - 5.0 * x1 * x1 - y1
        a[2, k] = r * (4.0 * (x1 - x0) - z - i_ext[k])
        a[3, k] = -y2 + x2 - x2 * x2 * x2 + i2 + 2.0 * g - 0.3 * (z - 3.5)
        a[4, k] = (-y2 + f2) * inv_tau2
        a[5, k] = -0.01 * (g - 0.1 * x1)
        for s in range(6):
            b[s, k] = 0.0


@dataclass(frozen=True)
class Epileptor(Model):
    """Jirsa et al. (2014) Epileptor neural mass (see :mod:`neuroladder.mass.epileptor` for the equations).

    Parameters: ``x0`` excitability (seizures recur above ~ -2.05; default -1.6, the paper's), ``y0`` 1,
    ``tau0`` 2857 (slow time scale; r = 1/tau0), ``tau2`` 10, ``i1`` 3.1, ``i2`` 0.45. The LFP-like output is
    ``-x1 + x2`` (:meth:`lfp`). Source: V. K. Jirsa et al., Brain 137:2210-2230 (2014).
    """

    x0: float = -1.6
    y0: float = 1.0
    tau0: float = 2857.0
    tau2: float = 10.0
    i1: float = 3.1
    i2: float = 0.45

    state_names = ("x1", "y1", "z", "x2", "y2", "g")
    current_unit = "permittivity coupling (z units)"
    spike_variable = "none"
    default_method = "rk4"
    equations = staticmethod(epileptor_equations)

    def __post_init__(self):
        require_range("x0", self.x0, -10.0, 10.0)
        require_range("y0", self.y0, -100.0, 100.0)
        require_positive("tau0", self.tau0, "ms")
        require_positive("tau2", self.tau2, "ms")
        require_range("i1", self.i1, -100.0, 100.0)
        require_range("i2", self.i2, -100.0, 100.0)

    def _pack(self):
        import numpy as np

        return (self.x0, self.y0, 1.0 / np.asarray(self.tau0, dtype=float), 1.0 / np.asarray(self.tau2, dtype=float),
                self.i1, self.i2)

    def initial_state(self):
        # an interictal point of the paper's Fig. 3 (x1 near its resting branch, z high)
        return {"x1": -1.8, "y1": -15.0, "z": 3.6, "x2": -0.9, "y2": 0.0, "g": -0.18}

    @staticmethod
    def lfp(result):
        """The LFP-like signal ``-x1 + x2`` of a result that recorded x1 and x2."""
        return -result["x1"] + result["x2"]
