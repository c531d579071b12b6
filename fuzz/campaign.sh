#!/usr/bin/env bash
# Fuzz campaign: runs targets one after another or in parallel, merges inputs
# that add coverage back into fuzz/corpus/<target>, and prints a table
# (target, executions, exec/s, corpus before -> after, coverage, findings).
#
#   fuzz/campaign.sh [TARGET...] [--seconds N] [--jobs J] [--cmin] [--table FILE]
#
# No TARGET runs every target of `cargo fuzz list`; a TARGET ending in `_` (or
# `modbus`, `dlms` ...) selects every target with that prefix. --jobs J runs J
# targets at once (each single-threaded). --cmin minimises each corpus after the
# merge (cargo fuzz cmin). Crashes stay in fuzz/artifacts/<target> and count as
# findings; the script exits 1 if any target found something. Targets whose
# protocol has a dictionary in fuzz/dicts/ run with it (fuzz/dict.sh).
set -euo pipefail
cd "$(dirname "$0")"
SECONDS_PER=60
JOBS=1
CMIN=0
TABLE=""
SEL=()
while [ $# -gt 0 ]; do
  case "$1" in
    --seconds) SECONDS_PER=$2; shift 2 ;;
    --jobs) JOBS=$2; shift 2 ;;
    --cmin) CMIN=1; shift ;;
    --table) TABLE=$2; shift 2 ;;
    -h|--help) sed -n 2,15p "$0"; exit 0 ;;
    *) SEL+=("$1"); shift ;;
  esac
done
cargo +nightly fuzz build -O >/dev/null
TARGETS=($(./targets.sh ${SEL[@]+"${SEL[@]}"})) || exit 2
OUT=$(mktemp -d)

one() { # one TARGET: run, merge, write a result line into $OUT/TARGET.row
  local t=$1 scratch log before after execs cov findings rate
  scratch=$(mktemp -d)
  log="$OUT/$t.log"
  mkdir -p "corpus/$t" "artifacts/$t"
  before=$(find "corpus/$t" -type f | wc -l)
  local arts_before
  arts_before=$(find "artifacts/$t" -type f | wc -l)
  # shellcheck disable=SC2046 # the protocol's dictionary, if any (fuzz/dicts/)
  cargo +nightly fuzz run -O "$t" "$scratch" "corpus/$t" -- $(./dict.sh "$t") \
    -max_total_time="$SECONDS_PER" -print_final_stats=1 >"$log" 2>&1 || true
  execs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' | tail -1)
  cov=$(grep -oE 'cov: [0-9]+' "$log" | tail -1 | grep -oE '[0-9]+' || echo 0)
  # merge what the run found into the committed corpus (only inputs adding coverage)
  cargo +nightly fuzz run -O "$t" "corpus/$t" "$scratch" -- -merge=1 >"$OUT/$t.merge.log" 2>&1 || true
  if [ "$CMIN" = 1 ]; then cargo +nightly fuzz cmin -O "$t" >/dev/null 2>&1 || true; fi
  after=$(find "corpus/$t" -type f | wc -l)
  findings=$(( $(find "artifacts/$t" -type f | wc -l) - arts_before ))
  rate=$(( ${execs:-0} / (SECONDS_PER > 0 ? SECONDS_PER : 1) ))
  printf '| %s | %s | %s | %s -> %s | %s | %s |\n' "$t" "${execs:-0}" "$rate" "$before" "$after" "${cov:-0}" "$findings" >"$OUT/$t.row"
  rm -rf "$scratch"
}
export -f one
export OUT SECONDS_PER CMIN
printf '%s\n' "${TARGETS[@]}" | xargs -P "$JOBS" -I{} bash -c 'one {}'

{
  echo "fuzz campaign $(date -u +%Y-%m-%d) commit $(git rev-parse --short HEAD 2>/dev/null || echo '?'), ${SECONDS_PER}s per target, $JOBS job(s), $(nproc) cores"
  echo
  echo "| target | executions | exec/s | corpus | coverage (edges) | findings |"
  echo "|---|---:|---:|---|---:|---:|"
  for t in "${TARGETS[@]}"; do cat "$OUT/$t.row"; done
} | tee "${TABLE:-/dev/null}"
total=0
for t in "${TARGETS[@]}"; do
  f=$(awk -F'|' '{gsub(/ /,"",$7); print $7}' "$OUT/$t.row")
  total=$(( total + f ))
done
rm -rf "$OUT"
[ "$total" = 0 ] || { echo "findings: $total (see fuzz/artifacts/)"; exit 1; }
