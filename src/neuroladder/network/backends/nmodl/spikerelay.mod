COMMENT
A spike source at given times, for NEURON's ParallelContext (its pip wheel has no VecStim): every
event it receives becomes a spike of its own (net_event), sent to its gid's targets with their delays.
The backend schedules one event per spike time with NetCon.event(t) after finitialize, so the cell
fires exactly at the given times (as NEST's parrot_neuron relays a spike_generator).
ENDCOMMENT

NEURON {
    ARTIFICIAL_CELL SpikeRelay
}

NET_RECEIVE (w) {
    net_event(t)
}
