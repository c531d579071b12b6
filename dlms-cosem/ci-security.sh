#!/usr/bin/env bash
# meterwire-dlms-cosem security (issue 7): oracle check of the committed vectors.
# Re-derives dlms-cosem/tests/vectors/security/vectors.json with PyPI
# `cryptography` and gurux-dlms (external oracle, GPL: run only, never linked)
# and fails if the committed file differs or Gurux disagrees on any vector.
# Run from the repository root; $VENV is a Python venv path (created if missing).
set -euo pipefail
. dlms-cosem/ci-lib.sh
oracle_venv "cryptography>=41" "gurux-dlms==1.0.203"
"$VENV/bin/python" dlms-cosem/oracle/security_oracle.py --check
