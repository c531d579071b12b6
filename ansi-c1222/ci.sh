#!/usr/bin/env bash
# ansi-c1222 oracle checks (run from the repo root by .ci/run with $VENV set).
# Re-derives the committed oracle vectors with the independent decoders and diffs them:
#  - termineter 1.0.6 (PyPI) builds and parses the C12.18 packets of tests/oracle/c1218_termineter.jsonl
#  - tshark's c1222 dissector (with its EAX' key table) decodes the APDUs of tests/oracle/c1222_inputs.jsonl
# The Rust side (tests/oracle_c1218.rs, tests/crypto/oracle_c1222.rs) is run by `cargo test --workspace`.
set -euo pipefail
VENV="${VENV:-$PWD/.venv}"
if [ ! -x "$VENV/bin/python" ]; then
    python3 -m venv "$VENV"
fi
"$VENV/bin/pip" install -q termineter==1.0.6
if ! command -v tshark >/dev/null 2>&1; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -q
    echo "wireshark-common wireshark-common/install-setuid boolean false" | debconf-set-selections || true
    apt-get install -y -q tshark
fi
"$VENV/bin/python" ansi-c1222/tests/oracle/termineter_c1218.py --check
python3 ansi-c1222/tests/oracle/tshark_c1222.py --check
python3 ansi-c1222/tests/oracle/tshark_c1222.py --real
