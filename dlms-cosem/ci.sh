#!/usr/bin/env bash
# meterwire-dlms-cosem oracle checks (run from the repository root by .ci/run).
#
# 1. Regenerates tests/vectors/oracle/frames.json with the external oracles
#    gurux-dlms and dlms-cosem from PyPI (run as processes only; gurux is GPL)
#    and fails if it differs from the committed file. The field-by-field
#    comparison against our decoder is the `oracle` integration test
#    (tests/oracle.rs), run by `cargo test --workspace`.
# 2. Runs the security module's oracle check (ci-security.sh, issue 7).
set -euo pipefail
VENV="${VENV:-/tmp/meterwire-venv}"
if [ ! -x "$VENV/bin/python" ]; then
    python3 -m venv "$VENV"
fi
"$VENV/bin/pip" install -q "gurux-dlms==1.0.203" "dlms-cosem==25.1.0"
out="$(mktemp)"
trap 'rm -f "$out"' EXIT
"$VENV/bin/python" dlms-cosem/oracle/dlms_oracle.py "$out"
if ! diff -q dlms-cosem/tests/vectors/oracle/frames.json "$out" >/dev/null; then
    echo "dlms-cosem: oracle output differs from tests/vectors/oracle/frames.json:" >&2
    diff dlms-cosem/tests/vectors/oracle/frames.json "$out" | head -40 >&2
    exit 1
fi
echo "dlms-cosem: $(grep -c '"hex"' "$out") oracle frames regenerated identically"
if [ -f dlms-cosem/ci-security.sh ]; then
    bash dlms-cosem/ci-security.sh
fi
if [ -f dlms-cosem/ci-readings.sh ]; then
    bash dlms-cosem/ci-readings.sh
fi
