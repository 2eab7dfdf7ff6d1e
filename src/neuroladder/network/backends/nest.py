"""``net.run(duration, backend="nest")``: the same network built and run through PyNEST (NEST 3).

Counterparts (same equations; NEST 3.10 model documentation):

==========================================  ======================  ===========================================
neuroladder                                 NEST                    notes
==========================================  ======================  ===========================================
``LIF`` + current ``ExpSynapse`` (<= 2)     ``iaf_psc_exp_ps``      routed by weight sign; precise spike times
``LIF`` + conductance ``ExpSynapse`` (<= 2) ``iaf_cond_exp``        1st port -> g_ex, 2nd -> g_in
``AdEx`` + conductance ``ExpSynapse``       ``aeif_cond_exp``       V_peak as spike detection
``TraubMiles`` + conductance ``ExpSynapse`` ``hh_cond_exp_traub``   per-area values times a 20000 um^2 cell
``TsodyksMarkram``                          ``tsodyks2_synapse``
``STDP`` (w_min = 0)                        ``stdp_synapse``        lambda = a_plus (mult.) or a_plus/w_max,
                                                                    times exp(d/tau_plus) for delay d
spike generator / Poisson source            ``spike_generator`` / ``poisson_generator`` -> ``parrot_neuron``
                                            (a generator feeding a plastic synapse -> ``parrot_neuron`` too)
Poisson input (``add_poisson_input``)       ``poisson_generator``   rate n_sources * rate
constant / ``Step`` current                 ``I_e`` / ``step_current_generator``
``record(pop, "v")``                        ``multimeter`` (V_m)
==========================================  ======================  ===========================================

Everything else (other models, alpha and delta kernels, time-varying Poisson rates, other currents,
other recorded variables) is refused with a :class:`~neuroladder.ParameterError`. NEST integrates the
LIF exactly and emits spikes on the grid (the built-in engine places them inside the step), so spike
times agree within dt; chaotic networks agree in their statistics, not spike by spike.
On a cluster, a NEST built with MPI runs the same script under ``mpirun`` (NEST distributes the
neurons over the ranks itself); the pip wheel is built without MPI.
"""

from __future__ import annotations

import math
import os
import time
import warnings

import numpy as np

from ...core.errors import NeuroLadderError, ParameterError
from ...core.stimulus import Constant, Step, Sum
from ..result import NetworkResult
from . import backend_seed, layout, port_sides

#: the cell area (cm^2) that turns TraubMiles' per-area values into NEST's absolute ones: 20000 um^2,
#: the COBAHH benchmark's cell (Brette et al. 2007), so that 1 mS/cm^2 = 200 nS, 1 uF/cm^2 = 200 pF,
#: 1 uA/cm^2 = 200 pA; the dynamics do not depend on this choice
_HH_AREA_CM2 = 20000e-8
_HH_SCALE = 1e6 * _HH_AREA_CM2


def import_nest():
    """PyNEST, imported after numba's thread pool is started.

    NEST and numba each bring an OpenMP runtime; when NEST is imported first and numba's pool starts
    afterwards, ``nest.ResetKernel`` crashes (segmentation fault; NEST 3.10, numba's omp layer). Starting
    the pool first avoids it, so import NEST through this function (or run a network before
    ``import nest``)."""
    import sys

    import numba

    if "nest" not in sys.modules:
        numba.set_num_threads(numba.get_num_threads())  # starts the pool
        # no banner on stdout (it would break `neuroladder run ... --json`)
        os.environ.setdefault("PYNEST_QUIET", "1")
    try:
        import nest
    except ImportError:
        raise NeuroLadderError("backend='nest' needs PyNEST: pip install 'neuroladder[nest]'") from None
    return nest


_nest = import_nest


def neuron_model(pop, net):
    """(NEST model name, its parameters (scalars or per-neuron arrays), the port -> side map, the weight
    scale from our synapse unit to NEST's) for population ``pop``, or a ParameterError saying why not."""
    from ...neurons import LIF, AdEx, TraubMiles
    from ..synapses import EXP

    model = pop.model
    for syn in pop.ports:
        if syn.kind != EXP:
            raise ParameterError(f"backend='nest': population {pop.name!r} has a {type(syn).__name__}; only "
                                 f"exponential synapses (nl.ExpSynapse) are mapped to NEST here")
    if len(pop.ports) > 2:
        raise ParameterError(f"backend='nest': population {pop.name!r} has {len(pop.ports)} synapse types; NEST's "
                             f"models have two (excitatory and inhibitory)")
    sides, kernels = port_sides(pop, net)
    conductance = any(syn.conductance for syn in pop.ports)
    p = model.parameters()
    if type(model) is LIF:
        # current-based: NEST's precise-spiking iaf_psc_exp_ps, which (like the built-in engine) places the
        # threshold crossing inside the step and resets there; iaf_psc_exp would move every spike to the
        # end of its step and so delay each interspike interval by up to dt
        name = "iaf_cond_exp" if conductance else "iaf_psc_exp_ps"
        params = {"C_m": p["c_m"], "E_L": p["e_l"], "V_th": p["v_th"], "V_reset": p["v_reset"], "t_ref": p["t_ref"]}
        if conductance:
            params["g_L"] = np.asarray(p["c_m"], float) / np.asarray(p["tau_m"], float)
        else:
            params["tau_m"] = p["tau_m"]
        scale = 1.0
    elif type(model) is AdEx:
        if pop.ports and not conductance:
            raise ParameterError(f"backend='nest': population {pop.name!r} (AdEx) has current-based synapses; "
                                 f"NEST's counterpart aeif_cond_exp takes conductance synapses")
        name, scale = "aeif_cond_exp", 1.0
        params = {"C_m": p["c_m"], "g_L": p["g_l"], "E_L": p["e_l"], "V_th": p["v_t"], "Delta_T": p["delta_t"],
                  "tau_w": p["tau_w"], "a": p["a"], "b": p["b"], "V_reset": p["v_reset"], "V_peak": p["v_peak"],
                  "t_ref": p["t_ref"]}
    elif type(model) is TraubMiles:
        if pop.ports and not conductance:
            raise ParameterError(f"backend='nest': population {pop.name!r} (TraubMiles) has current-based "
                                 f"synapses; NEST's counterpart hh_cond_exp_traub takes conductance synapses")
        name, scale = "hh_cond_exp_traub", _HH_SCALE
        params = {"C_m": np.asarray(p["c_m"], float) * scale, "g_Na": np.asarray(p["g_na"], float) * scale,
                  "g_K": np.asarray(p["g_k"], float) * scale, "g_L": np.asarray(p["g_l"], float) * scale,
                  "E_Na": p["e_na"], "E_K": p["e_k"], "E_L": p["e_l"], "V_T": p["v_t"]}
    else:
        raise ParameterError(f"backend='nest': population {pop.name!r} is a {type(model).__name__}, which has no "
                             f"NEST counterpart with the same equations here; mapped are LIF (iaf_psc_exp, "
                             f"iaf_cond_exp), AdEx (aeif_cond_exp) and TraubMiles (hh_cond_exp_traub)")
    for side, syn in kernels.items():
        params[f"tau_syn_{side}"] = syn.tau
        if syn.conductance:
            params[f"E_{side}"] = syn.e_rev
    return name, params, sides, scale


def _set(nodes, params):
    """Set scalars as one dict and per-neuron arrays as lists (PyNEST's forms)."""
    scalars = {k: float(v) for k, v in params.items() if np.ndim(v) == 0}
    if scalars:
        nodes.set(scalars)
    for k, v in params.items():
        if np.ndim(v) == 1:
            nodes.set({k: [float(x) for x in v]})


def _currents(stim, pop, scale, dt):
    """(I_e, [(times, values)]) for a population's injected current, in pA."""
    if stim is None:
        return 0.0, []
    i_e, steps = 0.0, []
    for part in (stim.parts if isinstance(stim, Sum) else (stim,)):
        if isinstance(part, Constant):
            i_e = i_e + np.asarray(part.amplitude, float) * scale
        elif isinstance(part, Step) and part.amplitude.ndim == 0 and part.baseline.ndim == 0:
            # the generator's changes travel one step (its connection's delay): it changes one step early
            jump = float(part.amplitude - part.baseline) * scale
            i_e = i_e + float(part.baseline) * scale
            times, values = [], []
            if part.start - dt < dt / 2:  # on from the start: a constant that the generator later switches off
                i_e = i_e + jump
                jump, level = 0.0, -jump
            else:
                times.append(part.start - dt)
                values.append(jump)
                level = 0.0
            if not math.isinf(part.stop):
                times.append(part.stop - dt)
                values.append(level)
            if times:
                steps.append((times, values))
        else:
            raise ParameterError(f"backend='nest': population {pop.name!r} has a current {part!r}; mapped are "
                                 f"constant currents (I_e) and nl.Step with one amplitude (step_current_generator)")
    return i_e, steps


def _synapse_spec(proj, nest_tau_minus, dt, scale):
    """NEST synapse model and its parameters (scalars or one per connection) for a projection's plasticity;
    ``scale`` turns our weights into NEST's (the Traub-Miles cell's area)."""
    if proj.stp is not None and proj.stdp is not None:
        raise ParameterError("backend='nest': a projection with both STP and STDP has no single NEST synapse model")
    if proj.stp is not None:
        return "tsodyks2_synapse", {"U": proj.stp.U, "u": proj.stp.U, "x": 1.0, "tau_rec": proj.stp.tau_rec,
                                    "tau_fac": proj.stp.tau_facil}
    if proj.stdp is not None:
        r = proj.stdp
        if r.w_min != 0.0 or r.w_max <= 0.0:
            raise ParameterError(f"backend='nest': STDP with w_min = {r.w_min} (NEST's stdp_synapse bounds weights "
                                 f"to [0, Wmax]; w_min must be 0 and w_max > 0)")
        if proj.synapse.conductance is False and np.any(proj.weight < 0):
            raise ParameterError("backend='nest': STDP synapses with negative weights are not mapped")
        if nest_tau_minus.setdefault(proj.post.name, r.tau_minus) != r.tau_minus:
            raise ParameterError(f"backend='nest': population {proj.post.name!r} receives STDP with different "
                                 f"tau_minus; in NEST tau_minus belongs to the postsynaptic neuron")
        if r.a_plus == 0.0 and r.a_minus > 0.0:
            raise ParameterError("backend='nest': STDP with a_plus = 0 and a_minus > 0 has no stdp_synapse "
                                 "parameters (NEST scales depression by the potentiation rate lambda)")
        mu = 1.0 if r.multiplicative else 0.0
        # NEST's rule on w/Wmax: dw = lambda Wmax (1 - w/Wmax)^mu K+ ; dw = -alpha lambda Wmax (w/Wmax)^mu K-
        lam = r.a_plus if r.multiplicative else r.a_plus / r.w_max
        alpha = r.a_minus / r.a_plus if r.a_plus > 0 else 0.0
        # NEST counts the whole delay d as dendritic: it pairs the presynaptic spike time with the postsynaptic
        # one plus d (stdp_synapse.h), where the built-in engine pairs the two spike times. Potentiation is then
        # exp(-d/tau_plus) smaller and depression exp(d/tau_minus) larger: lambda and alpha (per connection in
        # NEST) take the inverse factors. Pairs with the presynaptic spike less than d after the postsynaptic
        # one still differ in sign (NEST potentiates them): warned below when d exceeds one step.
        d = proj.delay_steps.astype(float) * dt
        lam_d = lam * np.exp(d / r.tau_plus)
        alpha_d = alpha * np.exp(-d / r.tau_minus - d / r.tau_plus)
        if d.size and d.max() > 1.5 * dt:
            warnings.warn(f"backend='nest': STDP onto {proj.post.name!r} with delays up to {d.max():g} ms: NEST treats "
                          f"the delay as dendritic, so a presynaptic spike less than the delay after a postsynaptic "
                          f"spike potentiates there (the built-in engine depresses); amplitudes are matched",
                          stacklevel=4)
        return "stdp_synapse", {"lambda": lam_d, "alpha": alpha_d, "mu_plus": mu, "mu_minus": mu,
                                "Wmax": r.w_max * scale, "tau_plus": r.tau_plus}
    return "static_synapse", {}


def run_nest(net, duration: float, threads: int = 1) -> NetworkResult:
    """Build ``net`` in NEST, simulate ``duration`` ms on ``threads`` threads and return the spikes."""
    from ...core.parameters import require_positive

    require_positive("duration", duration, "ms")
    t_build = time.perf_counter()
    models = {name: neuron_model(pop, net) for name, pop in net.populations.items()}  # refuse before NEST starts
    post_tau_minus = {}  # one tau_minus per postsynaptic population, shared by all its STDP projections
    specs = [_synapse_spec(proj, post_tau_minus, net.dt, models[proj.post.name][3]) for proj in net.projections]
    for proj in net.projections:
        src = net.sources.get(proj.pre.name)
        if (proj.stp is not None or proj.stdp is not None) and src is not None and src.kind == "generator" and any(
                t.size and t[0] < 1.5 * net.dt for t in src.times):
            raise ParameterError(f"backend='nest': spike generator {src.name!r} feeds a plastic synapse and fires at "
                                 f"t = dt; NEST relays it through a parrot_neuron, which needs its spikes from 2 dt "
                                 f"= {2 * net.dt:g} ms on")
    currents = {name: _currents(pop.current, pop, models[name][3], net.dt) for name, pop in net.populations.items()}
    for post, _syn, rate, _w, _n in net.poisson_inputs:
        if callable(rate):
            raise ParameterError(f"backend='nest': the Poisson input to {post.name!r} has a time-varying rate; "
                                 f"only constant rates are mapped (poisson_generator)")
    for mon in net.monitors:
        if mon["var"] != "v":
            raise ParameterError(f"backend='nest': recording {mon['var']!r} is not mapped; record 'v'")
    nest = _nest()
    nest.set_verbosity("M_ERROR") if not hasattr(nest, "VerbosityLevel") else setattr(
        nest, "verbosity", nest.VerbosityLevel.ERROR)
    nest.ResetKernel()
    # NEST's own generator, seeded from the network's without advancing it (same seed, same result)
    seed = backend_seed(net)
    nest.SetKernelStatus({"resolution": net.dt, "local_num_threads": int(threads), "rng_seed": seed})
    offsets, shim = layout(net)
    nodes = {}
    tau_minus, kicks = {}, []
    for proj in net.projections:
        if proj.stdp is not None:
            tau_minus[proj.post.name] = proj.stdp.tau_minus
    for name, pop in net.populations.items():
        model, params, _sides, scale = models[name]
        nodes[name] = nest.Create(model, pop.n)
        init = pop.model.state_matrix(pop.n, pop.initial)
        params = dict(params)
        params["V_m"] = init[0]
        if model == "hh_cond_exp_traub":
            params.update(Act_m=init[1], Inact_h=init[2], Act_n=init[3])
        elif model == "aeif_cond_exp":
            params["w"] = init[1]
        i_e, _steps = currents[name]
        params["I_e"] = i_e
        if name in tau_minus:
            params["tau_minus"] = tau_minus[name]
        settable = nest.GetDefaults(model)
        for q, values in pop.synapse_init.items():
            side = _sides[q] if _sides[q] != "both" else "ex"
            state = ("g_" if pop.ports[q].conductance else "I_syn_") + side
            values = np.broadcast_to(np.asarray(values, float) * scale, (pop.n,)).copy()
            if state in settable:
                params[state] = values
            else:
                kicks.append((name, q, side, values))
        _set(nodes[name], params)
    plastic_from = {proj.pre.name for proj in net.projections if proj.stp is not None or proj.stdp is not None}
    for name, src in net.sources.items():
        if src.kind == "generator":
            # NEST connects devices through static synapses only: a generator feeding a plastic projection
            # fires one step early into a parrot_neuron, which relays each spike one step later, on time
            relay = name in plastic_from
            generators = nest.Create("spike_generator", src.n)
            for k, train in enumerate(src.times):
                # on the grid, as the built-in engine delivers them (a source fires in the step ending at t)
                grid = np.rint(np.asarray(train) / net.dt) * net.dt - (net.dt if relay else 0.0)
                generators[k].set(spike_times=[float(t) for t in grid])
            nodes[name] = generators
            if relay:
                nodes[name] = nest.Create("parrot_neuron", src.n)
                nest.Connect(generators, nodes[name], "one_to_one", syn_spec={"delay": net.dt})
        else:
            nodes[name] = nest.Create("parrot_neuron", src.n)
            gen = nest.Create("poisson_generator", params={"rate": src.rate})
            nest.Connect(gen, nodes[name], syn_spec={"delay": net.dt})
    gids = {name: np.array(nodes[name].tolist(), np.int64) for name in nodes}
    for proj, (syn_model, syn_params) in zip(net.projections, specs):
        _model, _params, sides, scale = models[proj.post.name]
        q = proj.post.ports.index(proj.synapse)
        w = np.asarray(proj.weight, float) * scale
        if sides[q] == "in" and proj.synapse.conductance:
            w = -w  # NEST's conductance models route negative weights to g_in
        pre = gids[proj.pre.name][proj.pre_idx]
        post = gids[proj.post.name][proj.post_idx]
        if pre.size:
            nest.Connect(pre, post, "one_to_one", {"synapse_model": syn_model, "weight": w,
                                                   "delay": proj.delay_steps.astype(float) * net.dt, **syn_params})
    for post, syn, rate, weight, n_src in net.poisson_inputs:
        _model, _params, sides, scale = models[post.name]
        q = post.ports.index(syn)
        w = weight * scale * (-1.0 if sides[q] == "in" and syn.conductance else 1.0)
        gen = nest.Create("poisson_generator", params={"rate": float(rate) * n_src})
        nest.Connect(gen, nodes[post.name], syn_spec={"weight": w, "delay": net.dt})
    for name, (_i_e, steps) in currents.items():
        for times, values in steps:
            gen = nest.Create("step_current_generator", params={"amplitude_times": times, "amplitude_values": values})
            nest.Connect(gen, nodes[name], syn_spec={"delay": net.dt})
    for name, q, side, values in kicks:
        # hh_cond_exp_traub's conductances are not settable: the initial value arrives as one spike at the
        # first step NEST can deliver (t = dt, one step's delay), decayed to that time
        syn = net.populations[name].ports[q]
        arrival = 2 * net.dt
        w = values * math.exp(-arrival / syn.tau)
        if np.any(w < 0):
            warnings.warn(f"backend='nest': {int(np.sum(w < 0))} negative initial conductances of population "
                          f"{name!r} become 0 ({models[name][0]}'s conductances cannot be set, and a negative "
                          f"spike weight would feed the other synapse)", stacklevel=3)
            w = np.maximum(w, 0.0)
        w = -w if side == "in" else w
        gen = nest.Create("spike_generator", params={"spike_times": [net.dt]})
        nest.Connect(np.full(w.size, gen.tolist()[0]), gids[name], "one_to_one",
                     {"weight": w, "delay": np.full(w.size, net.dt)})
    recorders = {}
    for name in net.populations:
        recorders[name] = nest.Create("spike_recorder")
        nest.Connect(nodes[name], recorders[name])
    meters = []

    def gids_of(mon):
        return np.array(nodes[mon["pop"].name].tolist(), np.int64)[mon["ids"]].tolist()

    for mon in net.monitors:
        meter = nest.Create("multimeter", params={"record_from": ["V_m"], "interval": mon["every"] * net.dt})
        nest.Connect(meter, nest.NodeCollection(sorted(set(gids_of(mon)))))
        meters.append((mon, meter))
    build_s = time.perf_counter() - t_build
    t_run = time.perf_counter()
    nest.Simulate(float(duration))
    run_s = time.perf_counter() - t_run
    times, ids = [], []
    for name, rec in recorders.items():
        ev = rec.get("events")
        times.append(np.asarray(ev["times"], float))
        ids.append(np.searchsorted(gids[name], np.asarray(ev["senders"], np.int64)) + offsets[name])
    monitors = []
    for mon, meter in meters:
        ev = meter.get("events")
        pop_gids = gids[mon["pop"].name][mon["ids"]]
        senders, t_ev, v_ev = (np.asarray(ev[k]) for k in ("senders", "times", "V_m"))
        sample_times = np.unique(t_ev)
        recorded = np.unique(pop_gids)
        values = np.full((sample_times.size, recorded.size), np.nan)
        values[np.searchsorted(sample_times, t_ev), np.searchsorted(recorded, senders)] = v_ev
        # columns in the order of mon["ids"] (a neuron recorded twice appears twice)
        monitors.append((mon["pop"].name, "v", mon["ids"], sample_times,
                         values[:, np.searchsorted(recorded, pop_gids)]))
    spike_t = np.concatenate(times) if times else np.zeros(0)
    spike_i = np.concatenate(ids).astype(np.int64) if ids else np.zeros(0, np.int64)
    return NetworkResult(shim, spike_t, spike_i, 0.0, float(duration), monitors, build_s, run_s)

