#!/usr/bin/env python3
"""Regenerates the tshark oracle data for meterwire-dnp3-lite.

  python3 oracle.py            # write expected.json and captures.json
  python3 oracle.py --check    # regenerate in memory and diff against the committed files

1. Synthetic vectors (vectors.tsv, built by gen_vectors.py): each vector is
   written as one TCP packet with `text2pcap -T 20000,20000` (one pcap per
   vector, so a truncated vector cannot swallow the next one) and dissected by
   tshark's dnp3 dissector; the fields below are extracted per packet.
2. Real captures (../data/captures/*.pcap, from the Zeek repository's
   testing/btest/Traces/dnp3): every TCP/UDP payload on port 20000 is exported
   with its frame number, plus the same dnp3 fields per frame.

Absolute timestamps are normalised to milliseconds since 1970 UTC; every other
field is tshark's text, lists joined with '|'.
"""
import json, os, subprocess, sys, tempfile, datetime
from concurrent.futures import ThreadPoolExecutor

HERE = os.path.dirname(os.path.abspath(__file__))
CAPS = os.path.join(HERE, "..", "data", "captures")

FIELDS = [
    "dnp3.len", "dnp3.ctl", "dnp3.dst", "dnp3.src", "dnp.hdr.CRC.status", "dnp.data_chunk.CRC.status",
    "dnp3.hdr.CRC.incorrect", "dnp3.data_chunk.CRC.incorrect", "dnp3.tr.ctl",
    "dnp3.al.ctl", "dnp3.al.func", "dnp3.al.iin", "dnp3.al.obj", "dnp3.al.objq.prefix", "dnp3.al.objq.range",
    "dnp3.al.range.start", "dnp3.al.range.stop", "dnp3.al.range.quantity", "dnp3.al.index",
    "dnp3.al.point_index", "dnp3.al.size",
    "dnp3.al.bit", "dnp3.al.2bit", "dnp3.al.cnt", "dnp3.al.ana.int", "dnp3.al.ana.float", "dnp3.al.ana.double",
    "dnp3.al.anaout.int", "dnp3.al.anaout.float", "dnp3.al.anaout.double",
    "dnp3.al.timestamp", "dnp3.al.reltimestamp", "dnp3.al.time_delay",
    "dnp3.ctl.op", "dnp3.al.count", "dnp3.al.on_time", "dnp3.al.off_time", "dnp3.al.ctrlstatus",
    "dnp3.al.octet_string", "dnp3.al.datatype", "dnp3.al.da.length",
    "dnp3.unknown_object", "_ws.malformed", "_ws.expert.message",
]
TIME_FIELDS = {"dnp3.al.timestamp"}


def norm_time(s):
    # e.g. "May 13, 2014 16:53:20.123000000 UTC"
    s = s.replace(" UTC", "")
    date, frac = s.rsplit(".", 1)
    dt = datetime.datetime.strptime(" ".join(date.split()), "%b %d, %Y %H:%M:%S").replace(tzinfo=datetime.timezone.utc)
    return str(int(dt.timestamp()) * 1000 + int(frac[:3]))


def tshark_fields(pcap, extra=(), display_filter=None, opts=()):
    cmd = ["tshark", "-r", pcap, "-n", "-T", "fields", "-E", "occurrence=a", "-E", "aggregator=|", "-E", "separator=\t",
           "-o", "gui.column.format:\"No.\",\"%m\""]
    cmd = ["tshark", "-r", pcap, "-n", "-T", "fields", "-E", "occurrence=a", "-E", "aggregator=|", "-E", "separator=\t"]
    cmd += list(opts)
    if display_filter:
        cmd += ["-Y", display_filter]
    names = list(extra) + FIELDS
    for f in names:
        cmd += ["-e", f]
    out = subprocess.run(cmd, capture_output=True, text=True, check=True, env=dict(os.environ, LC_ALL="C")).stdout
    rows = []
    for line in out.splitlines():
        vals = line.split("\t")
        vals += [""] * (len(names) - len(vals))
        row = {}
        for n, v in zip(names, vals):
            if v == "":
                continue
            if n in TIME_FIELDS:
                v = "|".join(norm_time(x) for x in v.split("|"))
            row[n] = v
        rows.append(row)
    return rows


def one_vector(item):
    name, hexstr = item
    data = bytes.fromhex(hexstr)
    with tempfile.TemporaryDirectory() as d:
        txt, pcap = os.path.join(d, "v.txt"), os.path.join(d, "v.pcap")
        with open(txt, "w") as f:
            for i in range(0, len(data), 16):
                f.write("%06x %s\n" % (i, " ".join("%02x" % b for b in data[i:i + 16])))
        subprocess.run(["text2pcap", "-q", "-T", "20000,20000", txt, pcap], check=True, capture_output=True)
        rows = tshark_fields(pcap)
    return name, {"hex": hexstr, "tshark": rows[0] if rows else {}}


def vectors():
    items = []
    with open(os.path.join(HERE, "vectors.tsv")) as f:
        for line in f:
            if line.startswith("#") or not line.strip():
                continue
            n, h = line.rstrip("\n").split("\t")
            items.append((n, h))
    with ThreadPoolExecutor(max_workers=4) as ex:
        res = list(ex.map(one_vector, items))
    return {n: v for n, v in res}


def captures():
    out = {}
    for fn in sorted(os.listdir(CAPS)):
        if not fn.endswith(".pcap"):
            continue
        p = os.path.join(CAPS, fn)
        rows = tshark_fields(p, extra=["frame.number", "ip.src", "tcp.srcport", "tcp.dstport", "udp.srcport",
                                       "udp.dstport", "tcp.payload", "udp.payload"],
                             display_filter="tcp.payload or udp.payload")
        pkts = []
        for r in rows:
            sport = r.pop("tcp.srcport", None) or r.pop("udp.srcport", None)
            dport = r.pop("tcp.dstport", None) or r.pop("udp.dstport", None)
            r.pop("udp.srcport", None); r.pop("udp.dstport", None)
            payload = r.pop("tcp.payload", None) or r.pop("udp.payload", "")
            r.pop("udp.payload", None)
            udp = "udp" if fn.startswith("dnp3_udp") else "tcp"
            pkts.append({"frame": int(r.pop("frame.number")), "src": r.pop("ip.src", "") + ":" + str(sport),
                         "dst": str(dport), "transport": udp, "payload": payload.replace(":", ""), "tshark": r})
        out[fn] = pkts
    return out


def main():
    exp = {"generator": "tshark " + subprocess.run(["tshark", "--version"], capture_output=True, text=True).stdout.splitlines()[0],
           "vectors": vectors()}
    caps = {"source": "zeek/zeek testing/btest/Traces/dnp3 (BSD-3-Clause), commit a13de64fbbdb01f90961c04719b308fbbb6d199e",
            "captures": captures()}
    files = {"expected.json": exp, "captures.json": caps}
    if "--check" in sys.argv:
        bad = 0
        for fn, data in files.items():
            with open(os.path.join(HERE, fn)) as f:
                old = json.load(f)
            old.pop("generator", None); data = dict(data); data.pop("generator", None)
            if old != data:
                bad += 1
                print(f"MISMATCH: {fn} differs from a fresh tshark run")
                if fn == "expected.json":
                    for k in data["vectors"]:
                        if old["vectors"].get(k) != data["vectors"][k]:
                            print("  vector", k)
        n = len(files["expected.json"]["vectors"])
        m = sum(len(v) for v in files["captures.json"]["captures"].values())
        print(f"oracle check: {n} vectors, {m} capture packets, {'FAILED' if bad else 'identical'}")
        sys.exit(1 if bad else 0)
    for fn, data in files.items():
        with open(os.path.join(HERE, fn), "w") as f:
            json.dump(data, f, indent=1, sort_keys=True)
            f.write("\n")
    print("wrote", ", ".join(files))


if __name__ == "__main__":
    main()
