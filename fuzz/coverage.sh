#!/usr/bin/env bash
# Line coverage of the library crates from the committed fuzz corpora alone.
#
#   fuzz/coverage.sh [TARGET|PREFIX ...] [--no-build] [--worst N] [--table FILE] [--json FILE]
#
# For each selected target (default: every target of `cargo fuzz list`; a PREFIX
# such as `dlms` or `scm_idm_` selects every target starting with it) this runs
#   cargo +nightly fuzz coverage <target>
# which builds the target with -Cinstrument-coverage and replays corpus/<target>
# and artifacts/<target> into coverage/<target>/coverage.profdata. llvm-cov reads
# each target's profile against its binary and a line counts as covered when any
# selected target covers it, so a crate's figure is the union of every target that
# exercises it. Only library sources count (<crate>/src/**, not tests/ or fuzz/).
# Prints a markdown table per crate: all lines covered / total and %, the same for
# decode paths only (lines outside encoders, Display/Debug, Arbitrary and Serialize
# impls, judged by the enclosing function's name), and the files with the most
# uncovered decode lines. COVERAGE_MISSED=1 lists every uncovered decode line.
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
    -h|--help) sed -n 2,21p "$0"; exit 0 ;;
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
TRIPLE=$(rustc +nightly -vV | sed -n 's/^host: //p')

TARGETS=($(./targets.sh ${SEL[@]+"${SEL[@]}"})) || exit 2

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
done

WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
# One export per target (its binary with its own profile): merging the profiles of
# different binaries makes llvm-cov drop every function whose record differs between
# them ("mismatched data": an inlined function used in one binary and only mapped as
# unused in another), so the union is taken per line here instead. lcov gives
# llvm-cov's own per-line verdicts, the JSON export each function's extent (to tell
# decode lines from encode lines).
IGNORE='/(\.cargo|\.rustup)/|/rustc/'
for i in "${!TARGETS[@]}"; do
  t=${TARGETS[$i]}
  obj="target/$TRIPLE/coverage/$TRIPLE/release/$t"
  "$LLVM_COV" export -format=lcov -instr-profile="coverage/$t/coverage.profdata" "$obj" \
    -ignore-filename-regex="$IGNORE" >"$WORK/$t.lcov"
  "$LLVM_COV" export -skip-expansions -instr-profile="coverage/$t/coverage.profdata" "$obj" \
    -ignore-filename-regex="$IGNORE" >"$WORK/$t.json"
done

python3 - "$WORK" "$ROOT" "$WORST" "${JSON:-}" "$(git rev-parse --short HEAD 2>/dev/null || echo '?')" "${TARGETS[*]}" <<'PY' | tee "${TABLE:-/dev/null}"
import json, os, re, sys, datetime
work, root, worst, json_out, commit, targets = sys.argv[1:7]
worst = int(worst)
crates = {
    "core": "meterwire-core", "modbus": "meterwire-modbus", "dnp3-lite": "meterwire-dnp3-lite",
    "dlms-cosem": "meterwire-dlms-cosem", "ansi-c1222": "meterwire-ansi-c1222",
    "scm-idm": "meterwire-scm-idm", "iec62056-21": "meterwire-iec62056-21",
}
# Functions that are not decode paths: encoders (Encode impls, encoded_len, emit, write*,
# to_bytes/to_vec, the writer/build modules, encrypt/seal/secure, packetize, the HDLC
# Segmenter), Display/Debug (fmt), Arbitrary impls, serde Serialize. Judged by every
# identifier of the (mangled) path, so a closure inside an encoder counts as encoder;
# a line belongs to the innermost function around it.
NOT_DECODE = re.compile(r"^(encode\w*|encoded_len|emit\w*|write\w*|writer|build|to_bytes|to_vec|encrypt\w*|seal\w*|"
                        r"secure_in_place|packetize|Segmenter|fmt|arbitrary\w*|size_hint|serialize\w*|"
                        r"Encode|Display|Debug|Arbitrary|Serialize)$")

def idents(mangled):
    """Identifiers of a v0 (or legacy) mangled Rust symbol."""
    out, i = [], 0
    while i < len(mangled):
        m = re.match(r"(\d+)_?", mangled[i:])
        if m and (i == 0 or not mangled[i - 1].isdigit()):
            n = int(m.group(1))
            j = i + m.end()
            word = mangled[j:j + n]
            if n and len(word) == n and re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", word):
                out.append(word)
                i = j + n
                continue
        i += 1
    return out

def lib_path(f):
    path = os.path.relpath(os.path.realpath(f), root)
    parts = path.split(os.sep)
    ok = len(parts) >= 3 and parts[0] in crates and parts[1] == "src"
    return path if ok else None

# per-line verdicts
lines = {}  # path -> {line: hit}
cur = None
import glob
for l in (l for f in sorted(glob.glob(os.path.join(work, "*.lcov"))) for l in open(f)):
    if l.startswith("SF:"):
        cur = lib_path(l[3:].strip())
        if cur:
            lines.setdefault(cur, {})
    elif l.startswith("DA:") and cur:
        n, c = l[3:].split(",")[:2]
        n = int(n)
        lines[cur][n] = lines[cur].get(n, False) or int(c) > 0
# function extents: path -> [(span, first, last, decode?, name)]
spans = {}
for d in (d for f in sorted(glob.glob(os.path.join(work, "*.json"))) for d in json.load(open(f))["data"]):
    for fn in d["functions"]:
        ids = idents(fn["name"])
        decode = not any(NOT_DECODE.match(w) for w in ids)
        ext = {}
        for r in fn["regions"]:
            if r[7] != 0:
                continue
            f = fn["filenames"][r[5]]
            a, b = ext.get(f, (r[0], r[2]))
            ext[f] = (min(a, r[0]), max(b, r[2]))
        for f, (a, b) in ext.items():
            p = lib_path(f)
            if p:
                spans.setdefault(p, set()).add((b - a, a, b, decode, "::".join(ids[-3:])))
spans = {p: sorted(v) for p, v in spans.items()}

def is_decode(p, n):
    for _, a, b, decode, _ in spans.get(p, []):
        if a <= n <= b:
            return decode
    return True

ntargets = len(targets.split())
rows, out = [], {}
for dirname, crate in crates.items():
    mine = sorted(p for p in lines if p.startswith(dirname + "/src/"))
    if not mine:
        continue
    tot = cov = dtot = dcov = 0
    per = {}
    for p in mine:
        t = c = dt = dc = 0
        for n, hit in lines[p].items():
            d = is_decode(p, n)
            t += 1; c += hit
            dt += d; dc += hit and d
        per[p] = {"covered": c, "lines": t, "decode_covered": dc, "decode_lines": dt}
        tot += t; cov += c; dtot += dt; dcov += dc
    bad = sorted((f["decode_covered"] - f["decode_lines"], p) for p, f in per.items() if f["decode_covered"] < f["decode_lines"])
    w = ", ".join(f"`{p.split('/src/', 1)[1]}` {per[p]['decode_covered']}/{per[p]['decode_lines']}" for _, p in bad[:worst])
    rows.append((crate, cov, tot, dcov, dtot, w))
    out[crate] = {"covered": cov, "lines": tot, "decode_covered": dcov, "decode_lines": dtot, "files": per}
    if os.environ.get("COVERAGE_MISSED"):
        for p in mine:
            missed = sorted(n for n, hit in lines[p].items() if not hit and is_decode(p, n))
            if missed:
                print(f"  missed decode lines {p}: {missed}", file=sys.stderr)
pct = lambda c, t: f"{100 * c / t:.1f}" if t else "-"
print(f"fuzz corpus line coverage {datetime.datetime.now(datetime.timezone.utc):%Y-%m-%d} commit {commit}, "
      f"{ntargets} target(s), `fuzz/coverage.sh{'' if ntargets > 1 else ' ' + targets}`")
print()
print("| crate | all lines covered / total | % | decode paths covered / total | % | worst files (decode lines) |")
print("|---|---:|---:|---:|---:|---|")
for crate, cov, tot, dcov, dtot, w in rows:
    print(f"| {crate} | {cov} / {tot} | {pct(cov, tot)} | {dcov} / {dtot} | {pct(dcov, dtot)} | {w} |")
if json_out:
    json.dump(out, open(json_out, "w"), indent=1, sort_keys=True)
PY
