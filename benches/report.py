#!/usr/bin/env python3
"""Turns target/criterion into the table of benches/README.md.

    python3 benches/report.py [target/criterion] > table.md

Ids are `protocol/case/implementation`: `meterwire` (or `meterwire_*` variants)
is ours, `bare_*` are floors, `ref_*` reference implementations that are not
peers, anything else a crates.io peer. Per case: meterwire's median, the fastest
peer and the ratio peer/meterwire (> 1 means meterwire is faster), the fastest
floor and meterwire/floor, and meterwire's throughput.
"""
import json, os, sys, platform
from collections import defaultdict

root = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..", "target", "criterion")
cases = defaultdict(dict)  # (group) -> impl -> (median ns, bytes)
for dirpath, dirnames, filenames in os.walk(root):
    if os.path.basename(dirpath) != "new" or "benchmark.json" not in filenames:
        continue
    try:
        bench = json.load(open(os.path.join(dirpath, "benchmark.json")))
        est = json.load(open(os.path.join(dirpath, "estimates.json")))
    except (OSError, ValueError):
        continue
    full = bench.get("full_id") or bench.get("title") or ""
    parts = full.split("/")
    if len(parts) < 3:
        continue
    group, impl = "/".join(parts[:-1]), parts[-1]
    tp = bench.get("throughput") or {}
    nbytes = tp.get("Bytes") or tp.get("BytesDecimal")
    cases[group][impl] = (est["median"]["point_estimate"], nbytes)

def fmt_ns(ns):
    return f"{ns/1000:.2f} µs" if ns >= 10000 else f"{ns:.1f} ns"

print(f"machine: {platform.machine()}, {os.cpu_count()} cores, {platform.platform()}")
print()
print("| case | meterwire | MB/s | fastest peer | peer/meterwire | floor | meterwire/floor |")
print("|---|---:|---:|---|---:|---|---:|")
for group in sorted(cases):
    impls = cases[group]
    ours = {k: v for k, v in impls.items() if k == "meterwire" or k.startswith("meterwire")}
    if not ours:
        continue
    name, (m_ns, nbytes) = min(ours.items(), key=lambda kv: kv[1][0]) if "meterwire" not in ours else ("meterwire", ours["meterwire"])
    peers = {k: v for k, v in impls.items() if k not in ours and not k.startswith(("bare", "ref_"))}
    floors = {k: v for k, v in impls.items() if k.startswith("bare")}
    mbs = f"{nbytes / m_ns * 1000:.0f}" if nbytes else ""
    if peers:
        pk, (p_ns, _) = min(peers.items(), key=lambda kv: kv[1][0])
        peer = f"{pk} {fmt_ns(p_ns)}"
        pr = f"{p_ns / m_ns:.2f}x"
    else:
        peer, pr = "", ""
    if floors:
        fk, (f_ns, _) = min(floors.items(), key=lambda kv: kv[1][0])
        floor = f"{fk} {fmt_ns(f_ns)}"
        fr = f"{m_ns / f_ns:.2f}x"
    else:
        floor, fr = "", ""
    print(f"| {group} | {fmt_ns(m_ns)} | {mbs} | {peer} | {pr} | {floor} | {fr} |")
