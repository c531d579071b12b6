#!/usr/bin/env bash
# meterwire-dnp3-lite oracle check: regenerates the synthetic vectors and re-runs
# tshark's dnp3 dissector over them and over the committed real captures, then
# diffs against the committed tests/oracle/{vectors.tsv,expected.json,captures.json}.
# (The Rust side of the comparison is tests/dnp3/oracle.rs, run by `cargo test --workspace`.)
set -euo pipefail
cd "$(dirname "$0")"

if ! command -v tshark >/dev/null || ! command -v text2pcap >/dev/null; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -q
    apt-get install -y -q tshark
fi

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

python3 tests/oracle/gen_vectors.py "$tmp/vectors.tsv" >/dev/null
if ! diff -q "$tmp/vectors.tsv" tests/oracle/vectors.tsv >/dev/null; then
    echo "dnp3-lite: gen_vectors.py output differs from tests/oracle/vectors.tsv" >&2
    diff "$tmp/vectors.tsv" tests/oracle/vectors.tsv | head -20 >&2
    exit 1
fi

python3 tests/oracle/oracle.py --check
