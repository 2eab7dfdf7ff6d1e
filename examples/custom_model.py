"""A user-defined model, written exactly the way the built-ins are: FitzHugh-Nagumo (1961).

dv/dt = v - v^3/3 - w + I,  tau dw/dt = v + a - b w   (dimensionless; time in "ms").
It then works with every solver, nl.simulate, nl.fi_curve and the dynamics tools.
"""

from dataclasses import dataclass

from numba import njit

import neuroladder as nl


@njit(cache=True)
def fhn_equations(t, y, p, i_ext, a, b):
    # conditionally linear form dy/dt = a + b*y; b = 0 puts the whole derivative in a
    a[0] = y[0] - y[0] ** 3 / 3.0 - y[1] + i_ext
    b[0] = 0.0
    a[1] = (y[0] + p[0]) / p[2]
    b[1] = -p[1] / p[2]


@dataclass(frozen=True)
class FitzHughNagumo(nl.Model):
    """FitzHugh (1961) Biophys. J. 1:445; Nagumo et al. (1962) Proc. IRE 50:2061."""

    a: float = 0.7
    b: float = 0.8
    tau: float = 12.5

    state_names = ("v", "w")
    equations = staticmethod(fhn_equations)

    def __post_init__(self):
        nl.core.parameters.require_positive("tau", self.tau)

    def _pack(self):
        return (self.a, self.b, self.tau)

    def initial_state(self):
        return {"v": -1.2, "w": -0.625}


if __name__ == "__main__":
    model = FitzHughNagumo()
    res = nl.simulate(model, duration=300.0, dt=0.05, current=0.5, spike_threshold=1.0)
    print("spikes at", res.spike_times.round(1), "ms")
    print("rates", nl.fi_curve(model, [0.0, 0.5, 1.0], duration=1000.0, dt=0.05, spike_threshold=1.0), "per s")
    for fp in nl.fixed_points(model, current=0.5, v_range=(-3, 3)):
        print("fixed point", fp.state.round(3), fp.kind)
