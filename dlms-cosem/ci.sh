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
. dlms-cosem/ci-lib.sh
oracle_venv "gurux-dlms==1.0.203" "dlms-cosem==25.1.0"
regenerated_identically dlms-cosem/oracle/dlms_oracle.py \
    dlms-cosem/tests/vectors/oracle/frames.json "oracle output" '"hex"' "oracle frames"
if [ -f dlms-cosem/ci-security.sh ]; then
    bash dlms-cosem/ci-security.sh
fi
if [ -f dlms-cosem/ci-readings.sh ]; then
    bash dlms-cosem/ci-readings.sh
fi
