#!/usr/bin/env bash
# meterwire-dlms-cosem readings oracle (issue 16): regenerates
# tests/vectors/readings/gurux_readings.json with gurux-dlms (external process
# only; GPL) and fails if it differs from the committed file. The comparison with
# our readings is the `gurux_oracle_agrees` test in tests/readings.rs.
set -euo pipefail
VENV="${VENV:-/tmp/meterwire-venv}"
if [ ! -x "$VENV/bin/python" ]; then
    python3 -m venv "$VENV"
fi
"$VENV/bin/pip" install -q "gurux-dlms==1.0.203"
out="$(mktemp)"
trap 'rm -f "$out"' EXIT
"$VENV/bin/python" dlms-cosem/oracle/readings_oracle.py "$out"
if ! diff -q dlms-cosem/tests/vectors/readings/gurux_readings.json "$out" >/dev/null; then
    echo "dlms-cosem: readings oracle differs from tests/vectors/readings/gurux_readings.json:" >&2
    diff dlms-cosem/tests/vectors/readings/gurux_readings.json "$out" | head -40 >&2
    exit 1
fi
echo "dlms-cosem: $(grep -c '"name"' "$out") readings oracle pushes regenerated identically"
