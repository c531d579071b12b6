#!/usr/bin/env bash
# Merges candidate inputs into the committed corpora, keeping only those that add
# coverage (libFuzzer -merge=1; -use_counters=0 so that only new edges count, which
# keeps the corpora small):
#
#   fuzz/merge.sh SRC_ROOT [--prefix P] TARGET...
#
# SRC_ROOT/<target>/ holds the candidates, e.g. `python3 fuzz/seed.py --out /tmp/seeds`
# (then --prefix seed-) or the new inputs of a fuzz run. Kept inputs are copied into
# corpus/<target>/ as <prefix><sha1 16 hex>; nothing already there is removed.
# MERGE_BIN_DIR=dir runs dir/<target> (e.g. the binaries `cargo fuzz coverage` built,
# under target/<triple>/coverage/<triple>/release) instead of `cargo fuzz run -O`.
set -euo pipefail
cd "$(dirname "$0")"
src=$1; shift
prefix=""
[ "${1:-}" = --prefix ] && { prefix=$2; shift 2; }
for t in "$@"; do
  [ -d "$src/$t" ] || continue
  m=$(mktemp -d)
  mkdir -p "corpus/$t"
  cp "corpus/$t/." "$m/" -r
  before=$(find "$m" -type f | wc -l)
  args=(-merge=1 -use_counters=0 -timeout=20 -rss_limit_mb=2048)
  if [ -n "${MERGE_BIN_DIR:-}" ]; then
    LLVM_PROFILE_FILE=/dev/null nice "$MERGE_BIN_DIR/$t" "${args[@]}" "$m" "$src/$t" >"$m.log" 2>&1
  else
    nice cargo +nightly fuzz run -O "$t" "$m" "$src/$t" -- "${args[@]}" >"$m.log" 2>&1
  fi || { tail -20 "$m.log"; echo "merge $t failed" >&2; }
  n=0
  for f in "$m"/*; do
    b=$(basename "$f")
    [ -e "corpus/$t/$b" ] && continue
    h=$(sha1sum <"$f" | cut -c1-16)
    [ -e "corpus/$t/$prefix$h" ] || { cp "$f" "corpus/$t/$prefix$h"; n=$((n + 1)); }
  done
  echo "$t: $before + $n"
  rm -rf "$m" "$m.log"
done
