"""A user-defined model, written exactly the way the built-ins are: FitzHugh-Nagumo (1961).

dv/dt = v - v^3/3 - w + I,  tau dw/dt = v + a - b w   (dimensionless; time in "ms").
It then works with every solver, nl.simulate, nl.fi_curve and the dynamics tools.
"""

from dataclasses import dataclass

import neuroladder as nl


# nl.kernel = numba.njit(error_model="numpy"): lets the loop over units vectorise.
# cache=False because a script may be imported under different module names.
@nl.kernel(cache=False)
def fhn_equations(t, y, p, i_ext, a, b):
    # vectorised over units k; conditionally linear: dy/dt = a + b*y (b = 0 is always allowed)
    for k in range(y.shape[1]):
        v, w = y[0, k], y[1, k]
        a[0, k] = v - v**3 / 3.0 - w + i_ext[k]
        b[0, k] = 0.0
        a[1, k] = (v + p[0, k]) / p[2, k]
        b[1, k] = -p[1, k] / p[2, k]


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
