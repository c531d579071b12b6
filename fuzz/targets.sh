#!/usr/bin/env bash
# Prints the fuzz targets the arguments select, one a line: fuzz/targets.sh [SEL...].
# No argument selects every target of `cargo fuzz list`; an argument selects the
# target of that name and every target starting with it (`modbus`, `scm_idm_` ...).
# Exits 2 when nothing matches. Used by fuzz/campaign.sh and fuzz/coverage.sh.
set -euo pipefail
cd "$(dirname "$0")"
read -r -a all <<<"$(cargo +nightly fuzz list | tr '\n' ' ')"
selected=()
if [ $# -eq 0 ]; then
  selected=(${all[@]+"${all[@]}"})
else
  for s in "$@"; do
    for t in ${all[@]+"${all[@]}"}; do
      case "$t" in "$s"|"$s"*) selected+=("$t") ;; esac
    done
  done
fi
[ ${#selected[@]} -gt 0 ] || { echo "no target matches: $*" >&2; exit 2; }
printf '%s\n' "${selected[@]}"
