#!/usr/bin/env bash
# Oracle check for meterwire-scm-idm: re-runs rtl_433 (Debian package rtl-433) on the
# committed vectors and diffs its output with tests/data/rtl433_oracle.jsonl, which
# tests/oracle.rs compares field by field with meterwire (run by `cargo test`).
set -euo pipefail
if ! command -v rtl_433 >/dev/null 2>&1; then
    SUDO=""
    if [ "$(id -u)" != 0 ]; then SUDO="sudo"; fi
    $SUDO apt-get update -q
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q rtl-433
fi
rtl_433 -V 2>&1 | head -1 || true  # head closes the pipe early (SIGPIPE under pipefail)
python3 scm-idm/oracle/rtl433_oracle.py --check
# R900: Debian's rtl_433 22.11 has no Neptune decoder; with RTL433=/path/to/newer/rtl_433
# the live comparison runs too, otherwise the vector inputs are re-derived and checked.
python3 scm-idm/oracle/rtl433_r900_oracle.py --check
