#!/usr/bin/env python3
"""Writes the fuzz seed corpora (fuzz/corpus/dnp3_*) from the real capture payloads
(captures.json) and the synthetic vectors (vectors.tsv): raw streams for the link
and reassembly targets, reassembled application fragments for the app targets."""
import hashlib, json, os

HERE = os.path.dirname(os.path.abspath(__file__))
FUZZ = os.path.join(HERE, "..", "..", "..", "fuzz", "corpus")

def frames(b):
    i = 0
    while i + 10 <= len(b):
        if b[i:i + 2] != b"\x05\x64":
            i += 1
            continue
        n = b[i + 2] - 5
        if n < 0:
            i += 1
            continue
        total = 10 + n + 2 * ((n + 15) // 16)
        raw = b[i + 10:i + total]
        data = b"".join(raw[j:j + 16] for j in range(0, len(raw), 18))
        yield data
        i += total

def fragments(stream):
    cur = None
    for ud in frames(stream):
        if not ud:
            continue
        th, pl = ud[0], ud[1:]
        if th & 0x40:
            cur = bytearray()
        if cur is None:
            continue
        cur += pl
        if th & 0x80:
            yield bytes(cur)
            cur = None

def write(target, blobs, limit=120):
    d = os.path.join(FUZZ, target)
    os.makedirs(d, exist_ok=True)
    seen = set()
    for b in blobs:
        h = hashlib.sha1(b).hexdigest()[:16]
        if h in seen or not b:
            continue
        seen.add(h)
        with open(os.path.join(d, h), "wb") as f:
            f.write(b)
        if len(seen) >= limit:
            break
    return len(seen)

streams = []
caps = json.load(open(os.path.join(HERE, "captures.json")))["captures"]
for fn, pkts in caps.items():
    by = {}
    for p in pkts:
        by.setdefault(p["src"], bytearray()).extend(bytes.fromhex(p["payload"]))
    streams += [bytes(v) for v in by.values()]
vecs = [bytes.fromhex(l.split("\t")[1]) for l in open(os.path.join(HERE, "vectors.tsv")) if not l.startswith("#")]
raw = vecs + [s[:1200] for s in streams]
frags = [f for s in raw for f in fragments(s)]
for t in ("dnp3_link", "dnp3_reassembly"):
    print(t, write(t, raw))
for t in ("dnp3_app", "dnp3_roundtrip"):
    print(t, write(t, frags))
