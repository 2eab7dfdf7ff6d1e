"""Run a peer-simulator benchmark script in that peer's own virtual environment.

Pure standard library, so the main benchmark (running in the project's own
Python) can import it::

    from run_peer import run_peer
    res = run_peer("brian2", "hh_brian2.py",
                   ["--n", "10000", "--dt", "0.01", "--duration", "100", "--current", "10"])

The venvs are made by ``setup_peers.sh``: ``<peers_dir>/<name>/bin/python``.
``peers_dir`` defaults to ``$NEUROLADDER_PEERS``, else
``~/.cache/neuroladder-peers``.  A relative ``script`` is looked up next to
this file first.  The script must print one JSON object as its last stdout
line; that object is returned.  On any failure a message goes to stderr and
``None`` is returned.

Command line (for a quick check)::

    python run_peer.py NAME SCRIPT [ARGS...]
"""

import json
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))

__all__ = ["default_peers_dir", "peer_python", "run_peer"]


def default_peers_dir():
    d = os.environ.get("NEUROLADDER_PEERS")
    if d:
        return os.path.expanduser(d)
    return os.path.join(os.path.expanduser("~"), ".cache", "neuroladder-peers")


def peer_python(name, peers_dir=None):
    """Path of the peer venv's python, or None if it is not there."""
    base = os.path.expanduser(peers_dir) if peers_dir else default_peers_dir()
    py = os.path.join(base, name, "bin", "python")
    return py if os.path.isfile(py) and os.access(py, os.X_OK) else None


def _warn(msg):
    print(f"run_peer: {msg}", file=sys.stderr, flush=True)


def _resolve_script(script):
    if os.path.isabs(script):
        return script
    local = os.path.join(HERE, script)
    if os.path.isfile(local):
        return local
    return os.path.abspath(script)


def run_peer(name, script, args, peers_dir=None, timeout=1800):
    """Run ``script`` with ``args`` in peer venv ``name``; return its JSON result.

    Returns the dict parsed from the last non-empty stdout line, or None (with a
    message on stderr) if the venv is missing, the run fails or times out, or the
    output is not a JSON object.  The child's stderr is passed through.
    """
    py = peer_python(name, peers_dir)
    if py is None:
        base = peers_dir or default_peers_dir()
        _warn(f"peer '{name}' not installed (no {os.path.join(base, name, 'bin', 'python')}); "
              "run benchmarks/peers/setup_peers.sh")
        return None
    path = _resolve_script(script)
    if not os.path.isfile(path):
        _warn(f"script not found: {path}")
        return None

    env = dict(os.environ)
    # One thread everywhere; do not leak the caller's venv/PYTHONPATH into the peer.
    for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        env[var] = "1"
    for var in ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV"):
        env.pop(var, None)

    cmd = [py, path] + [str(a) for a in args]
    try:
        proc = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=None, env=env,
                              timeout=timeout, text=True)
    except subprocess.TimeoutExpired:
        _warn(f"peer '{name}' timed out after {timeout}s: {' '.join(cmd)}")
        return None
    except OSError as e:
        _warn(f"peer '{name}' could not be started: {e}")
        return None
    if proc.returncode != 0:
        _warn(f"peer '{name}' failed with exit code {proc.returncode}: {' '.join(cmd)}")
        return None
    lines = [ln for ln in proc.stdout.splitlines() if ln.strip()]
    if not lines:
        _warn(f"peer '{name}' printed no result")
        return None
    try:
        result = json.loads(lines[-1])
    except ValueError:
        _warn(f"peer '{name}': last stdout line is not JSON: {lines[-1][:200]!r}")
        return None
    if not isinstance(result, dict):
        _warn(f"peer '{name}': result is not a JSON object")
        return None
    return result


def _main(argv):
    if len(argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    res = run_peer(argv[0], argv[1], argv[2:])
    if res is None:
        return 1
    print(json.dumps(res))
    return 0


if __name__ == "__main__":
    sys.exit(_main(sys.argv[1:]))
