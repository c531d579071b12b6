#!/usr/bin/env python3
"""Turns target/criterion into the table of benches/README.md.

    python3 benches/report.py [target/criterion]            # print the table
    python3 benches/report.py --write [target/criterion]    # and replace it in benches/README.md

Ids are `protocol/case/implementation`: `meterwire` (or `meterwire_*` variants)
is ours, `bare_*` are floors, `ref_*` reference implementations that are not
peers, anything else a crates.io peer. Per case: meterwire's median, its
throughput (MB/s for byte throughput, M elements/s for element throughput), the
fastest peer and the ratio peer/meterwire (> 1 means meterwire is faster), the
fastest floor and meterwire/floor (1.00x is the floor itself), and the machine.
`--write` replaces what stands between the `<!-- report.py -->` and
`<!-- /report.py -->` lines of benches/README.md.
"""
import json, os, sys, platform, datetime
from collections import defaultdict

HERE = os.path.dirname(os.path.abspath(__file__))
START, END = "<!-- report.py -->", "<!-- /report.py -->"


def load(root):
    """group -> impl -> (median ns, throughput kind, amount)."""
    cases = defaultdict(dict)
    for dirpath, _dirs, files in os.walk(root):
        if os.path.basename(dirpath) != "new" or "benchmark.json" not in files:
            continue
        try:
            bench = json.load(open(os.path.join(dirpath, "benchmark.json")))
            est = json.load(open(os.path.join(dirpath, "estimates.json")))
        except (OSError, ValueError):
            continue
        parts = (bench.get("full_id") or bench.get("title") or "").split("/")
        if len(parts) < 3:
            continue
        tp = bench.get("throughput") or {}
        kind = next((k for k in ("Bytes", "BytesDecimal", "Elements") if tp.get(k)), None)
        cases["/".join(parts[:-1])][parts[-1]] = (est["median"]["point_estimate"], kind, tp.get(kind))
    return cases


def machine():
    model = ""
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{platform.machine()} {os.cpu_count()}c {model}".strip()


def fmt_ns(ns):
    if ns >= 1e7:
        return f"{ns / 1e6:.2f} ms"
    return f"{ns / 1000:.2f} µs" if ns >= 10000 else f"{ns:.1f} ns"


def fastest(impls):
    """(name, median) of the fastest entry, or None."""
    if not impls:
        return None
    k, v = min(impls.items(), key=lambda kv: kv[1][0])
    return k, v[0]


def rate(ns, kind, amount):
    if not amount:
        return ""
    per_s = amount / ns * 1e9
    return f"{per_s / 1e6:.0f} MB/s" if kind.startswith("Bytes") else f"{per_s / 1e6:.2f} M/s"


def table(cases, mach):
    rows = [
        "| case | meterwire | throughput | fastest peer | peer/meterwire | floor | meterwire/floor | machine |",
        "|---|---:|---:|---|---:|---|---:|---|",
    ]
    for group in sorted(cases):
        impls = cases[group]
        ours = {k: v for k, v in impls.items() if k.startswith("meterwire")}
        if not ours:
            continue
        name = "meterwire" if "meterwire" in ours else fastest(ours)[0]
        m_ns, kind, amount = ours[name]
        peers = {k: v for k, v in impls.items() if k not in ours and not k.startswith(("bare", "ref_"))}
        floors = {k: v for k, v in impls.items() if k.startswith("bare")}
        cells = []
        for best, ratio in ((fastest(peers), lambda x: x / m_ns), (fastest(floors), lambda x: m_ns / x)):
            cells += [f"{best[0]} {fmt_ns(best[1])}", f"{ratio(best[1]):.2f}x"] if best else ["", ""]
        label = group if name == "meterwire" else f"{group} ({name})"
        rows.append(f"| {label} | {fmt_ns(m_ns)} | {rate(m_ns, kind or '', amount)} | " + " | ".join(cells) + f" | {mach} |")
    return rows


def main(argv):
    write = "--write" in argv
    args = [a for a in argv if a != "--write"]
    root = args[0] if args else os.path.join(HERE, "..", "target", "criterion")
    cases = load(root)
    rows = table(cases, machine())
    stamp = f"Generated {datetime.date.today()} by `python3 benches/report.py` from {len(cases)} criterion groups (medians, thread CPU time)."
    text = "\n".join([stamp, ""] + rows)
    print(text)
    if write:
        path = os.path.join(HERE, "README.md")
        doc = open(path).read()
        a, b = doc.index(START) + len(START), doc.index(END)
        open(path, "w").write(doc[:a] + "\n" + text + "\n" + doc[b:])


if __name__ == "__main__":
    main(sys.argv[1:])
