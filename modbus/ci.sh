#!/usr/bin/env bash
# meterwire-modbus oracle checks, run by .ci/run from the repo root with $VENV set.
#  1. live differential: 3000 proptest-generated frames (TCP, RTU, ASCII; every
#     function code, both directions) encoded by meterwire, decoded by pymodbus
#     field by field and re-encoded by pymodbus byte for byte;
#  2. the committed oracle vectors (tests/data/oracle_vectors.jsonl) re-derived
#     with pymodbus and tshark and diffed.
set -euo pipefail
VENV="${VENV:-/tmp/meterwire-venv}"
PYMODBUS_VERSION=3.11.4

[ -x "$VENV/bin/python" ] || python3 -m venv "$VENV"
if ! "$VENV/bin/python" -c "import pymodbus, sys; sys.exit(pymodbus.__version__ != '$PYMODBUS_VERSION')" 2>/dev/null; then
    "$VENV/bin/pip" install -q "pymodbus==$PYMODBUS_VERSION"
fi
if ! command -v tshark >/dev/null 2>&1; then
    apt-get update -q
    echo "wireshark-common wireshark-common/install-setuid boolean false" | debconf-set-selections
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q tshark
fi

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

echo "== modbus: live differential against pymodbus $PYMODBUS_VERSION"
cargo run -q -p meterwire-modbus --example gen_frames -- 3000 > "$tmp/gen.jsonl"
"$VENV/bin/python" modbus/oracle/pymodbus_check.py "$tmp/gen.jsonl" 2> "$tmp/pymodbus.log"

echo "== modbus: committed oracle vectors re-derived with pymodbus and $(tshark --version 2>/dev/null | head -1)"
"$VENV/bin/python" modbus/oracle/gen_vectors.py --check 2>> "$tmp/pymodbus.log"
