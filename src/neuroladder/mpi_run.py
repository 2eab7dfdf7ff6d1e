"""``mpirun -n R python -m neuroladder.mpi_run DIR``: run a SONATA network written by ``net.to_sonata(DIR)``
on NEURON's ParallelContext over R MPI ranks (see :mod:`neuroladder.network.backends.neuron`).

Rank 0 writes the spikes as a SONATA spike file (``DIR/output/spikes.h5`` unless ``--out``) and prints
one line of JSON: ranks, rate_hz, cv_isi, n_spikes, build_s, run_s.
"""

from __future__ import annotations

import argparse
import ctypes.util
import json
import math
import os
import sys


def _launched_ranks() -> int:
    """Ranks mpirun started (Open MPI, MPICH/Hydra and Slurm set one of these), 1 outside a launcher."""
    for key in ("OMPI_COMM_WORLD_SIZE", "PMI_SIZE", "PMIX_SIZE", "SLURM_NTASKS"):
        if os.environ.get(key, "").isdigit():
            return int(os.environ[key])
    return 1


def _point_neuron_at_mpi() -> None:
    """NEURON dlopens ``libmpi.so``, a symlink only MPI's -dev package installs; Debian's openmpi-bin alone
    ships ``libmpi.so.40``, and NEURON then runs every rank as a lone rank 0. Name the library the loader
    finds, unless the user already chose one (``MPI_LIB_NRN_PATH``)."""
    if "MPI_LIB_NRN_PATH" not in os.environ:
        lib = ctypes.util.find_library("mpi")
        if lib:
            os.environ["MPI_LIB_NRN_PATH"] = lib


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m neuroladder.mpi_run", description=__doc__.splitlines()[0])
    parser.add_argument("directory", help="a SONATA directory written by net.to_sonata")
    parser.add_argument("--tstop", type=float, default=None, help="ms (default: simulation_config's run.tstop)")
    parser.add_argument("--out", default=None, help="spike file (default DIR/output/spikes.h5)")
    args = parser.parse_args(argv)
    launched = _launched_ranks()
    if launched > 1:
        _point_neuron_at_mpi()
    from neuron import h

    h.nrnmpi_init()
    pc = h.ParallelContext()
    if int(pc.nhost()) != launched:
        print(f"neuroladder.mpi_run: the launcher started {launched} ranks but NEURON sees {int(pc.nhost())}: "
              "NEURON did not load MPI. Install your MPI's shared library (Debian: openmpi-bin or "
              "libopenmpi-dev) or set MPI_LIB_NRN_PATH to its full path (e.g. /usr/lib/x86_64-linux-gnu/"
              "libmpi.so.40).", file=sys.stderr)
        return 2
    from .io.sonata_network import read_network
    from .network.backends.neuron import run_neuron

    net = read_network(args.directory)
    tstop = args.tstop if args.tstop is not None else net.sonata_tstop
    out = run_neuron(net, tstop)
    if int(pc.id()) == 0:
        from pathlib import Path

        from .io.sonata import SpikeWriter

        path = Path(args.out) if args.out else Path(args.directory) / "output" / "spikes.h5"
        path.parent.mkdir(parents=True, exist_ok=True)
        writer = SpikeWriter(path, list(out.spikes))
        for name, st in out.spikes.items():
            writer.append(name, st.times, st.ids)
        writer.close()
        cv = out.cv_isi()
        print(json.dumps({"ranks": int(pc.nhost()), "rate_hz": out.rate_hz(), "cv_isi": None if math.isnan(cv) else cv,
                          "n_spikes": int(sum(len(s) for s in out.spikes.values())), "build_s": out.build_s,
                          "run_s": out.run_s}))
    pc.barrier()
    pc.done()
    sys.stdout.flush()
    h.quit()  # finalizes MPI on every rank (mpirun reports an abnormal exit otherwise)
    return 0


if __name__ == "__main__":
    sys.exit(main())
