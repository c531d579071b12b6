#!/usr/bin/env bash
# meterwire-iec62056-21 oracle checks, run by .ci/run from the repo root with $VENV set.
#  1. live differential: 1000 random DSMR 5 telegrams (examples/gen_telegrams.rs) read by
#     meterwire and by dsmr-parser 1.11.2, every object compared;
#  2. the committed oracle files re-derived: dsmr-parser over every golden telegram
#     (tests/data/oracle/*.json), the encrypted frames (cryptography + dsmr-parser), and
#     the IEC 62056-21 vectors of PyPI iec62056-21 0.0.2.
set -euo pipefail
VENV="${VENV:-/tmp/meterwire-venv}"

[ -x "$VENV/bin/python" ] || python3 -m venv "$VENV"
if ! "$VENV/bin/python" -c "import importlib.metadata as m, sys; sys.exit(m.version('dsmr-parser') != '1.11.2')" 2>/dev/null; then
    "$VENV/bin/pip" install -q "dsmr-parser==1.11.2"
fi
"$VENV/bin/python" -c "import iec62056_21" 2>/dev/null || "$VENV/bin/pip" install -q "iec62056-21==0.0.2"
"$VENV/bin/python" -c "import cryptography" 2>/dev/null || "$VENV/bin/pip" install -q cryptography

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

echo "== iec62056-21: live differential against dsmr-parser 1.11.2"
cargo run -q -p meterwire-iec62056-21 --example gen_telegrams -- 1000 "$RANDOM" > "$tmp/gen.jsonl"
"$VENV/bin/python" iec62056-21/oracle/differential.py "$tmp/gen.jsonl"

echo "== iec62056-21: committed oracle files re-derived"
"$VENV/bin/python" iec62056-21/oracle/gen.py --check
"$VENV/bin/python" iec62056-21/oracle/gen_encrypted.py --check
"$VENV/bin/python" iec62056-21/oracle/gen_iec.py --check
