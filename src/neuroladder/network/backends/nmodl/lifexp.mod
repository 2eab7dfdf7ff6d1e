COMMENT
neuroladder's LIF with two exponential synapse types (current- or conductance-based), for NEURON.
The same equations as nl.LIF with nl.ExpSynapse (neuroladder/neurons/lif.py, network/synapses.py):
  c_m dvm/dt = c_m (e_l - vm) / tau_m + I,  during t_ref after a spike vm is held at v_reset
  current-based:      I = gex + gin + iext               (pA)
  conductance-based:  I = gex (e_ex - vm) + gin (e_in - vm) + iext   (nS, mV -> pA)
  dgex/dt = -gex / tau_ex,  dgin/dt = -gin / tau_in; a spike of weight w on port p adds w.
Units as nl.LIF (pF, ms, mV, pA, nS). The membrane variable vm is the mechanism's own state: the
section that hosts it only carries the point process (its v is not used). Spikes: WATCH (vm > v_th),
then net_event, reset and a self-event that ends the refractory period.
ENDCOMMENT

NEURON {
    POINT_PROCESS LIFExp
    RANGE c_m, tau_m, e_l, v_th, v_reset, t_ref, tau_ex, tau_in, e_ex, e_in, conductance
    RANGE v0, gex0, gin0, i_amp, i_start, i_stop, i_base
    RANGE vm, gex, gin
}

PARAMETER {
    c_m = 250 tau_m = 10 (ms) e_l = -70 v_th = -55 v_reset = -70 t_ref = 2 (ms)
    tau_ex = 5 (ms) tau_in = 10 (ms) e_ex = 0 e_in = -80 conductance = 0
    v0 = -70 gex0 = 0 gin0 = 0 i_amp = 0 i_start = 0 (ms) i_stop = 1e300 (ms) i_base = 0
}

ASSIGNED { refractory iext s_ex s_in }

STATE { vm gex gin }

INITIAL {
    vm = v0
    gex = gex0
    gin = gin0
    refractory = 0
    net_send(0, 1)
}

BREAKPOINT {
    SOLVE states METHOD cnexp
}

UNITSOFF
DERIVATIVE states {
    : while refractory, vm relaxes towards v_reset, where the reset put it: it stays there exactly (a
    : zero slope would make cnexp's exponential solution divide by zero)
    : The membrane sees each synaptic variable's average over the step (g tau/dt (1 - exp(-dt/tau)):
    : the step's charge exact), as the built-in engine's LIF does; cnexp then integrates vm exactly for
    : that frozen drive. vm' comes first: cnexp updates in the written order, so it reads gex, gin at the
    : start of the step (with the spikes that arrived then).
    if (t >= i_start && t < i_stop) { iext = i_amp } else { iext = i_base }
    s_ex = gex * step_average(tau_ex)
    s_in = gin * step_average(tau_in)
    if (conductance) {
        vm' = (1 - refractory) * ((e_l - vm) / tau_m + (s_ex * (e_ex - vm) + s_in * (e_in - vm) + iext) / c_m) + refractory * (v_reset - vm) / tau_m
    } else {
        vm' = (1 - refractory) * ((e_l - vm) / tau_m + (s_ex + s_in + iext) / c_m) + refractory * (v_reset - vm) / tau_m
    }
    gex' = -gex / tau_ex
    gin' = -gin / tau_in
}

FUNCTION step_average(tau) {
    step_average = tau / dt * (1 - exp(-dt / tau))
}
UNITSON

NET_RECEIVE (w, syn_port) {
    if (flag == 0) {
        if (syn_port < 0.5) {
            gex = gex + w
        } else {
            gin = gin + w
        }
    } else if (flag == 1) {
        WATCH (vm > v_th) 2
    } else if (flag == 2) {
        net_event(t)
        vm = v_reset
        refractory = 1
        net_send(t_ref, 3)
        net_send(0, 1)  : re-arm the WATCH (entering NET_RECEIVE from a WATCH ends it)
    } else if (flag == 3) {
        refractory = 0
    }
}
