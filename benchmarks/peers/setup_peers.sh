#!/usr/bin/env bash
# Create one virtual environment per peer simulator, for the comparison
# benchmarks in this folder. Idempotent: an existing venv whose package
# already imports is left alone. One failing peer does not stop the others.
#
#   PEERS_DIR   where the venvs go (default: ~/.cache/neuroladder-peers)
#   PYTHON      interpreter used to create them (default: python3)
#   PEERS       space-separated subset to set up (default: "brian2 neuron nest")
set -u

PEERS_DIR="${PEERS_DIR:-$HOME/.cache/neuroladder-peers}"
PYTHON="${PYTHON:-python3}"
PEERS="${PEERS:-brian2 neuron nest}"

mkdir -p "$PEERS_DIR"

# name -> pip requirements, and the module to import as a check
reqs_brian2='brian2==2.9.0 numpy<2.3 cython'
reqs_neuron='neuron'
reqs_nest='nest-simulator'
mod_brian2=brian2
mod_neuron=neuron
mod_nest=nest

declare -A result

check_import() {  # venv module
    # NEST prints a banner on import; keep it out of the way.
    "$1/bin/python" -c "import $2, sys; print(getattr($2, '__version__', '?'))" 2>/dev/null | tail -n 1
}

setup_one() {
    local name="$1"
    local reqs_var="reqs_$name" mod_var="mod_$name"
    local reqs="${!reqs_var:-}" mod="${!mod_var:-}"
    if [ -z "$reqs" ]; then
        echo "[$name] unknown peer" >&2
        return 1
    fi
    local venv="$PEERS_DIR/$name"

    if [ -x "$venv/bin/python" ]; then
        local v
        v="$(check_import "$venv" "$mod")"
        if [ -n "$v" ]; then
            echo "[$name] already installed ($mod $v)"
            result[$name]="ok ($mod $v, existing)"
            return 0
        fi
    fi

    echo "[$name] creating venv in $venv"
    if ! "$PYTHON" -m venv "$venv"; then
        result[$name]="FAILED (venv creation)"
        return 1
    fi
    "$venv/bin/python" -m pip install --quiet --upgrade pip || true
    local -a reqarr
    read -r -a reqarr <<<"$reqs"
    echo "[$name] pip install ${reqarr[*]}"
    if ! "$venv/bin/python" -m pip install "${reqarr[@]}"; then
        result[$name]="FAILED (pip install ${reqarr[*]})"
        return 1
    fi
    local v
    v="$(check_import "$venv" "$mod")"
    if [ -z "$v" ]; then
        echo "[$name] installed but 'import $mod' fails:" >&2
        "$venv/bin/python" -c "import $mod" >&2 || true
        result[$name]="FAILED (import $mod)"
        return 1
    fi
    result[$name]="ok ($mod $v)"
}

for p in $PEERS; do
    setup_one "$p" || echo "[$p] setup failed, continuing" >&2
done

echo
echo "Peer setup summary (PEERS_DIR=$PEERS_DIR):"
status=0
for p in $PEERS; do
    echo "  $p: ${result[$p]:-FAILED}"
    case "${result[$p]:-FAILED}" in ok*) ;; *) status=1 ;; esac
done
exit $status
