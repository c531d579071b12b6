#!/usr/bin/env bash
# Line coverage of the library crates from the committed fuzz corpora alone.
#
#   fuzz/coverage.sh [TARGET|PREFIX ...] [--no-build] [--worst N] [--table FILE] [--json FILE]
#
# For each selected target (default: every target of `cargo fuzz list`; a PREFIX
# such as `dlms` or `scm_idm_` selects every target starting with it) this runs
#   cargo +nightly fuzz coverage <target>
# which builds the target with -Cinstrument-coverage and replays corpus/<target>
# and artifacts/<target> into coverage/<target>/coverage.profdata. The profiles of
# all selected targets are merged (llvm-profdata) and read back with llvm-cov over
# all their binaries, so a crate's figure is the union of every target that
# exercises it. Only library sources count (<crate>/src/**, not tests/ or fuzz/).
# Prints a markdown table: crate, lines covered / total, %, and its worst files.
# --no-build reuses coverage/<target>/coverage.profdata from an earlier run.
# Builds run `nice`, one target at a time (the first build compiles every
# dependency with coverage instrumentation: several minutes on 2 cores).
set -euo pipefail
cd "$(dirname "$0")"
FUZZ_DIR=$(pwd)
ROOT=$(cd .. && pwd)
BUILD=1
WORST=3
TABLE=""
JSON=""
SEL=()
while [ $# -gt 0 ]; do
  case "$1" in
    --no-build) BUILD=0; shift ;;
    --worst) WORST=$2; shift 2 ;;
    --table) TABLE=$2; shift 2 ;;
    --json) JSON=$2; shift 2 ;;
    -h|--help) sed -n 2,18p "$0"; exit 0 ;;
    *) SEL+=("$1"); shift ;;
  esac
done

SYSROOT=$(rustc +nightly --print sysroot)
BIN=$(ls -d "$SYSROOT"/lib/rustlib/*/bin 2>/dev/null | head -1)
if [ ! -x "$BIN/llvm-cov" ]; then
  rustup component add llvm-tools-preview --toolchain nightly >&2
  BIN=$(ls -d "$SYSROOT"/lib/rustlib/*/bin | head -1)
fi
LLVM_COV="$BIN/llvm-cov"
LLVM_PROFDATA="$BIN/llvm-profdata"
TRIPLE=$(rustc +nightly -vV | sed -n 's/^host: //p')

ALL=$(cargo +nightly fuzz list)
TARGETS=()
if [ ${#SEL[@]} -eq 0 ]; then
  TARGETS=($ALL)
else
  for s in "${SEL[@]}"; do
    for t in $ALL; do
      case "$t" in "$s"|"$s"*) TARGETS+=("$t") ;; esac
    done
  done
fi
[ ${#TARGETS[@]} -gt 0 ] || { echo "no target matches: ${SEL[*]}" >&2; exit 2; }

OBJECTS=()
PROFILES=()
for t in "${TARGETS[@]}"; do
  if [ "$BUILD" = 1 ]; then
    echo "-- coverage $t ($(find "corpus/$t" "artifacts/$t" -type f 2>/dev/null | wc -l) inputs)" >&2
    log=$(mktemp)
    if ! nice -n 10 cargo +nightly fuzz coverage "$t" >"$log" 2>&1; then
      tail -30 "$log" >&2
      echo "cargo fuzz coverage $t failed" >&2
      rm -f "$log"
      exit 1
    fi
    rm -f "$log"
  fi
  prof="coverage/$t/coverage.profdata"
  obj="target/$TRIPLE/coverage/$TRIPLE/release/$t"
  [ -f "$prof" ] && [ -x "$obj" ] || { echo "missing $prof or $obj (run without --no-build)" >&2; exit 1; }
  PROFILES+=("$prof")
  OBJECTS+=(-object "$obj")
done

MERGED=$(mktemp --suffix=.profdata)
EXPORT=$(mktemp --suffix=.json)
trap 'rm -f "$MERGED" "$EXPORT"' EXIT
"$LLVM_PROFDATA" merge -sparse "${PROFILES[@]}" -o "$MERGED"
# the first -object is positional for llvm-cov
"$LLVM_COV" export -summary-only -instr-profile="$MERGED" "${OBJECTS[@]:1}" \
  -ignore-filename-regex='/(\.cargo|\.rustup)/|/rustc/' >"$EXPORT"

python3 - "$EXPORT" "$ROOT" "$WORST" "${JSON:-}" "$(git rev-parse --short HEAD 2>/dev/null || echo '?')" "${TARGETS[*]}" <<'PY' | tee "${TABLE:-/dev/null}"
import json, os, sys, datetime
export, root, worst, json_out, commit, targets = sys.argv[1:7]
worst = int(worst)
crates = {
    "core": "meterwire-core", "modbus": "meterwire-modbus", "dnp3-lite": "meterwire-dnp3-lite",
    "dlms-cosem": "meterwire-dlms-cosem", "ansi-c1222": "meterwire-ansi-c1222",
    "scm-idm": "meterwire-scm-idm", "iec62056-21": "meterwire-iec62056-21",
}
files = {}
for d in json.load(open(export))["data"]:
    for f in d["files"]:
        path = os.path.relpath(os.path.realpath(f["filename"]), root)
        parts = path.split(os.sep)
        if len(parts) < 3 or parts[0] not in crates or parts[1] != "src":
            continue
        lines = f["summary"]["lines"]
        files[path] = (lines["covered"], lines["count"])
ntargets = len(targets.split())
rows, out = [], {}
for dirname, crate in crates.items():
    mine = {p: v for p, v in files.items() if p.startswith(dirname + "/src/")}
    if not mine:
        continue
    cov = sum(c for c, _ in mine.values())
    tot = sum(t for _, t in mine.values())
    # worst files: the most lines left uncovered
    bad = sorted((c - t, p, c, t) for p, (c, t) in mine.items() if c < t)
    w = ", ".join(f"`{p.split('/src/', 1)[1]}` {c}/{t}" for _, p, c, t in bad[:worst])
    rows.append((crate, cov, tot, w))
    out[crate] = {"covered": cov, "lines": tot, "files": {p: {"covered": c, "lines": t} for p, (c, t) in mine.items()}}
print(f"fuzz corpus line coverage {datetime.datetime.now(datetime.timezone.utc):%Y-%m-%d} commit {commit}, "
      f"{ntargets} target(s), `fuzz/coverage.sh{'' if ntargets > 1 else ' ' + targets}`")
print()
print("| crate | lines covered / total | % | worst files |")
print("|---|---:|---:|---|")
for crate, cov, tot, w in rows:
    print(f"| {crate} | {cov} / {tot} | {100 * cov / tot if tot else 0:.1f} | {w} |")
if json_out:
    json.dump(out, open(json_out, "w"), indent=1, sort_keys=True)
PY
