#!/usr/bin/env bash
# meterwire-dlms-cosem readings oracle (issue 16): regenerates
# tests/vectors/readings/gurux_readings.json with gurux-dlms (external process
# only; GPL) and fails if it differs from the committed file. The comparison with
# our readings is the `gurux_oracle_agrees` test in tests/readings.rs.
set -euo pipefail
. dlms-cosem/ci-lib.sh
oracle_venv "gurux-dlms==1.0.203"
regenerated_identically dlms-cosem/oracle/readings_oracle.py \
    dlms-cosem/tests/vectors/readings/gurux_readings.json "readings oracle" '"name"' \
    "readings oracle pushes"
