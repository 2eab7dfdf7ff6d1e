"""Adaptive-step integration through ``scipy.integrate.solve_ivp`` (LSODA by default).

Meant for single small systems: a reference solution for convergence tests, or
a stiff model where a fixed step would have to be tiny. Threshold crossings are
located by solve_ivp's event finder; integrate-and-fire resets restart the
integration at the crossing; refractory periods end on a segment boundary.
"""

from __future__ import annotations

import numpy as np

from ._kernels import evaluate_rhs
from .errors import SimulationDiverged
from .result import Result


def simulate_adaptive(model, n_steps, dt, stim, state, params, threshold, t_ref, record, rec_every,
                      rtol, atol, ivp_method: str = "LSODA") -> Result:
    from scipy.integrate import solve_ivp  # scipy.integrate is a slow import: only for adaptive runs

    ns, n = state.shape
    v = model.spike_index
    duration = n_steps * dt
    n_samples = n_steps // rec_every + 1
    t_out = np.arange(n_samples) * (rec_every * dt)
    rec_vars = [model.state_names.index(r) for r in record]
    rec = np.empty((len(rec_vars), n_samples, n))
    rec[:, 0, :] = state[rec_vars]
    refr_until = np.full(n, -np.inf)
    derivative = np.empty((ns, n))
    spikes_t: list[float] = []
    spikes_i: list[int] = []

    def rhs(t, flat):
        # fresh writable C arrays: the compiled kernel's signature accepts nothing else
        current = np.array(np.broadcast_to(np.asarray(stim(t), dtype=float), (n,)))
        evaluate_rhs(model.equations, t, np.array(flat.reshape(ns, n)), params, current, derivative)
        derivative[v, refr_until > t] = 0.0  # refractory: spike variable clamped
        return derivative.ravel().copy()

    def crossing(k):
        def event(t, flat):
            return flat[v * n + k] - threshold[k]
        event.direction = 1.0
        event.terminal = model.has_reset
        return event

    events = [crossing(k) for k in range(n)]
    t, y = 0.0, state.copy()
    next_sample = 1
    while t < duration - 1e-12 * duration:
        pending = refr_until[refr_until > t + 1e-12]
        t_stop = min(duration, pending.min()) if pending.size else duration
        lo = np.searchsorted(t_out, t, side="right")
        hi = np.searchsorted(t_out, t_stop, side="right")
        t_eval = t_out[lo:hi]
        if t_eval.size == 0 or t_eval[-1] < t_stop:
            t_eval = np.append(t_eval, t_stop)  # the segment's end state, recorded only if it is an output time
        sol = solve_ivp(rhs, (t, t_stop), y.ravel(), method=ivp_method, t_eval=t_eval,
                        events=events, rtol=rtol, atol=atol)
        sol_t = np.asarray(sol.t, dtype=float)
        sol_y = np.asarray(sol.y, dtype=float).reshape(n * ns, sol_t.size)
        if sol.status == -1 or not np.all(np.isfinite(sol_y)):
            bad = np.argwhere(~np.isfinite(sol_y))
            s, k = divmod(int(bad[0, 0]), n) if bad.size else (v, 0)
            raise SimulationDiverged(float(sol_t[-1]) if sol_t.size else t, k, model.state_names[s], dt,
                                     f"adaptive ({ivp_method}: {sol.message})")
        m = min(sol_t.size, hi - lo)
        rec[:, next_sample:next_sample + m, :] = sol_y[:, :m].reshape(ns, n, m)[rec_vars].transpose(0, 2, 1)
        next_sample += m
        if sol.status == 1:  # a terminal event: the earliest reset
            k = min((k for k in range(n) if sol.t_events[k].size), key=lambda k: sol.t_events[k][0])
            t = float(sol.t_events[k][0])
            y = sol.y_events[k][0].reshape(ns, n).copy()
            spikes_t.append(t)
            spikes_i.append(k)
            unit_state = np.array(y[:, k:k + 1])
            model.reset(unit_state, np.array(params[:, k:k + 1]), 0)
            y[:, k] = unit_state[:, 0]
            refr_until[k] = t + t_ref[k]
        else:
            for k in range(n):
                spikes_t.extend(sol.t_events[k].tolist())
                spikes_i.extend([k] * sol.t_events[k].size)
            t = t_stop
            y = sol_y[:, -1].reshape(ns, n).copy()
    final = {s: y[j].copy() for j, s in enumerate(model.state_names)}
    traces = {name: rec[q] for q, name in enumerate(record)}
    return Result(t_out, traces, np.array(spikes_t), np.array(spikes_i, dtype=np.int64), n, dt, duration,
                  "adaptive", model, final, units={s: model.unit_of(s) for s in model.state_names})

