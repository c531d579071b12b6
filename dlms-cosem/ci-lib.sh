#!/usr/bin/env bash
# Shared by the meterwire-dlms-cosem oracle scripts (ci.sh, ci-security.sh,
# ci-readings.sh); sourced, run from the repository root. $VENV is a Python venv
# path (created if missing).
VENV="${VENV:-/tmp/meterwire-venv}"

# oracle_venv PACKAGE...: makes sure the venv exists and has the pinned packages.
oracle_venv() {
    if [ ! -x "$VENV/bin/python" ]; then
        python3 -m venv "$VENV"
    fi
    "$VENV/bin/pip" install -q "$@"
}

# regenerated_identically ORACLE COMMITTED LABEL COUNTED NOUN: runs the Python
# script ORACLE (it writes to the path it is given) and fails if its output
# differs from the committed file COMMITTED (LABEL names the output in the
# message); else says how many lines match the pattern COUNTED, as NOUN.
regenerated_identically() {
    local oracle="$1" committed="$2" label="$3" counted="$4" noun="$5"
    oracle_out="$(mktemp)"
    trap 'rm -f "$oracle_out"' EXIT
    "$VENV/bin/python" "$oracle" "$oracle_out"
    if ! diff -q "$committed" "$oracle_out" >/dev/null; then
        echo "dlms-cosem: $label differs from ${committed#dlms-cosem/}:" >&2
        diff "$committed" "$oracle_out" | head -40 >&2
        exit 1
    fi
    echo "dlms-cosem: $(grep -c "$counted" "$oracle_out") $noun regenerated identically"
}
