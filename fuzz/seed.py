#!/usr/bin/env python3
"""Regenerates the golden seeds of the fuzz corpora from every vector in the repository.

    python3 fuzz/seed.py [--dry-run] [--out DIR] [TARGET|PREFIX ...]

Sources, per protocol (crate directory):
  * hex string literals in the crate's tests/**/*.rs, src/**/*.rs (test modules),
    examples and benches/benches/<protocol>.rs (8+ hex digits, spaces allowed);
  * *.hex files and every hex string in *.json / *.jsonl / *.tsv under the crate's
    tests/ (golden, oracle and capture vectors: frames.json, vectors.json, captures.json,
    oracle_vectors.jsonl, rtl433_oracle.jsonl, c1222_inputs.jsonl, ...);
  * the CLI demo samples cli/samples/<protocol>.txt (4th field) and cli/tests/data;
  * text telegrams (P1 *.txt, IEC 62056-21 messages) as raw bytes.
Each target gets the blobs of its protocol, reshaped to what its body reads (a PDU
cut out of an ADU, a fragment reassembled from DNP3 link frames, a selector/split
prefix for the stream-property targets, a key prefix for c1222_decrypt ...).

Seeds are written as fuzz/corpus/<target>/seed-<sha1 16 hex> (or DIR/<target>/ with
--out, e.g. to merge only what adds coverage: see fuzz/README.md); inputs already in
fuzz/corpus/<target> (same bytes under any name) are skipped, so running it twice adds
nothing.
Files named regression-* and the fuzz-grown entries are never touched. Inputs over
64 KiB are dropped (libFuzzer's -max_len default is 4 KiB for new inputs anyway).
"""
import glob
import hashlib
import json
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
CORPUS = os.path.join(HERE, "corpus")
MAX = 65536

HEX_LIT = re.compile(r'"((?:[0-9a-fA-F]{2}[ _]?){4,})"')
HEXCHARS = re.compile(r"^[0-9a-fA-F \n\r\t]+$")


def unhex(s):
    s = re.sub(r"[\s_]", "", s)
    if len(s) < 8 or len(s) % 2 or not re.fullmatch(r"[0-9a-fA-F]*", s):
        return None
    return bytes.fromhex(s)


def rust_hex(paths):
    out = []
    for p in paths:
        try:
            text = open(p, encoding="utf-8").read()
        except (OSError, UnicodeDecodeError):
            continue
        for m in HEX_LIT.finditer(text):
            b = unhex(m.group(1))
            if b:
                out.append(b)
    return out


def walk_json(x, out):
    if isinstance(x, dict):
        for v in x.values():
            walk_json(v, out)
    elif isinstance(x, list):
        for v in x:
            walk_json(v, out)
    elif isinstance(x, str):
        s = x.split("}", 1)[1] if x.startswith("{") and "}" in x else x  # rtl_433 "{231}aaaa"
        b = unhex(s) if HEXCHARS.match(s or "-") else None
        if b:
            out.append(b)


def data_files(crate):
    out = []
    base = os.path.join(ROOT, crate, "tests")
    for p in sorted(glob.glob(os.path.join(base, "**", "*"), recursive=True)):
        if not os.path.isfile(p):
            continue
        if p.endswith(".hex"):
            b = unhex(open(p).read())
            if b:
                out.append(b)
        elif p.endswith(".json"):
            walk_json(json.load(open(p)), out)
        elif p.endswith(".jsonl"):
            for line in open(p):
                if line.strip():
                    walk_json(json.loads(line), out)
        elif p.endswith(".tsv"):
            for line in open(p):
                for f in line.rstrip("\n").split("\t"):
                    b = unhex(f) if HEXCHARS.match(f or "-") else None
                    if b:
                        out.append(b)
    return out


def samples(names):
    out = []
    for n in names:
        p = os.path.join(ROOT, "cli", "samples", n + ".txt")
        for line in open(p):
            f = line.rstrip("\n").split("\t")
            if len(f) == 4 and not line.startswith("#"):
                b = unhex(f[3])
                if b:
                    out.append(b)
    return out


def sources(crate, bench, sample_names):
    paths = glob.glob(os.path.join(ROOT, crate, "tests", "**", "*.rs"), recursive=True)
    paths += glob.glob(os.path.join(ROOT, crate, "src", "**", "*.rs"), recursive=True)
    paths += glob.glob(os.path.join(ROOT, "examples", "**", "*.rs"), recursive=True) if crate == "examples" else []
    paths += [os.path.join(ROOT, "benches", "benches", b + ".rs") for b in bench]
    paths = [p for p in paths if "fuzz_bodies" not in p]
    return rust_hex(sorted(paths)) + data_files(crate) + samples(sample_names)


def uniq(blobs):
    seen, out = set(), []
    for b in blobs:
        if b and len(b) <= MAX and b not in seen:
            seen.add(b)
            out.append(b)
    return out


# --- per-protocol reshaping ------------------------------------------------------

def crc16_modbus(b):
    crc = 0xFFFF
    for x in b:
        crc ^= x
        for _ in range(8):
            crc = (crc >> 1) ^ 0xA001 if crc & 1 else crc >> 1
    return crc


def modbus(blobs):
    tcp, rtu, ascii_, pdus = [], [], [], []
    for b in blobs:
        if b.startswith(b":") and b.endswith(b"\r\n"):
            ascii_.append(b)
            raw = unhex(b[1:-2].decode("latin1"))
            if raw and len(raw) > 2:
                pdus.append(raw[1:-1])
            continue
        if len(b) >= 8 and b[2:4] == b"\0\0" and int.from_bytes(b[4:6], "big") == len(b) - 6:
            tcp.append(b)
            pdus.append(b[7:])
            continue
        if len(b) >= 4 and crc16_modbus(b[:-2]) == int.from_bytes(b[-2:], "little"):
            rtu.append(b)
            pdus.append(b[1:-2])
            continue
        pdus.append(b)
    pdus = uniq(pdus)
    # every PDU in every framing, so each framer sees every function code
    for i, p in enumerate(pdus):
        unit = 1 + i % 247
        tcp.append(i.to_bytes(2, "big") + b"\0\0" + (len(p) + 1).to_bytes(2, "big") + bytes([unit]) + p)
        body = bytes([unit]) + p
        rtu.append(body + crc16_modbus(body).to_bytes(2, "little"))
        lrc = (-sum(body)) & 0xFF
        ascii_.append(b":" + (body + bytes([lrc])).hex().upper().encode() + b"\r\n")
    api = [bytes([sel]) + b for b in tcp + rtu + ascii_ + pdus for sel in (0, 3, 5)]
    return {"modbus_api": api, "modbus_tcp": tcp, "modbus_rtu": rtu, "modbus_ascii": ascii_, "modbus_roundtrip": pdus}


def dnp3_user_data(b):
    """Transport segments of a stream of DNP3 link frames (CRC blocks stripped)."""
    i = 0
    while i + 10 <= len(b):
        if b[i:i + 2] != b"\x05\x64" or b[i + 2] < 5:
            i += 1
            continue
        n = b[i + 2] - 5
        total = 10 + n + 2 * ((n + 15) // 16)
        raw = b[i + 10:i + total]
        yield b"".join(raw[j:j + 16] for j in range(0, len(raw), 18))
        i += total


def dnp3_fragments(stream):
    cur = None
    for ud in dnp3_user_data(stream):
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


def dnp3(blobs):
    caps = json.load(open(os.path.join(ROOT, "dnp3-lite", "tests", "oracle", "captures.json")))["captures"]
    for pkts in caps.values():  # each sender's packets as one stream (multi-frame fragments)
        by = {}
        for p in pkts:
            by.setdefault(p["src"], bytearray()).extend(bytes.fromhex(p["payload"]))
        blobs = blobs + [bytes(v)[:1200] for v in by.values()]
    streams = [b for b in blobs if b[:2] == b"\x05\x64"]
    frags = [f for s in streams for f in dnp3_fragments(s)]
    api = [bytes([sel]) + b for b in streams + frags for sel in (0, 1, 0xF0)]
    return {"dnp3_api": api, "dnp3_link": streams, "dnp3_reassembly": streams, "dnp3_app": frags, "dnp3_roundtrip": frags}


def dlms(blobs):
    apdus = []
    for b in blobs:
        apdus.append(b)
        if b[:1] == b"\x7e" and len(b) > 12:  # HDLC: information field after the LLC header
            i = b.find(b"\xe6\xe7\x00")
            j = b.find(b"\xe6\xe6\x00")
            k = max(i, j)
            if k > 0:
                apdus.append(b[k + 3:-3])
        if b[:4] == b"\x00\x01\x00\x01" and len(b) > 8:  # wrapper
            apdus.append(b[8:])
    apdus = uniq(apdus)
    # A-XDR data: the body of data-notifications (after tag, invoke id, date-time)
    axdr = []
    for a in apdus:
        if a[:1] == b"\x0f" and len(a) > 6:
            rest = a[5:]
            if rest[:1] == b"\x09" and len(rest) > 1:
                rest = rest[2 + rest[1]:]
            elif rest[:1] == b"\x00":
                rest = rest[1:]
            axdr.append(rest)
        elif a[:1] in (b"\x01", b"\x02", b"\x09", b"\x06", b"\x12"):
            axdr.append(a)
    return {
        "dlms_api": [bytes([sel]) + b for b in blobs + apdus + axdr for sel in (0x30, 0x00)],
        "dlms_apdu": apdus, "dlms_axdr": axdr + apdus, "dlms_hdlc": blobs, "dlms_wrapper": blobs,
        "dlms_stack": blobs + apdus, "dlms_readings": apdus + axdr, "dlms_decrypt": apdus,
    }


C12_KEY = bytes.fromhex("01020304050607080102030405060708")


def c12(blobs):
    packets = [b for b in blobs if b[:1] == b"\xee"]
    apdus = [b for b in blobs if b[:1] == b"\x60"]
    psem = [p[6:-2] for p in packets if len(p) > 8]
    decrypt = [bytes([k]) + key + a for a in apdus for k in (0, 2) for key in (C12_KEY, bytes(16))]
    table_ids = (0, 1, 3, 5, 7, 8, 21, 23)
    roundtrip = [bytes([0, t, 0, 0]) + b for b in psem + blobs for t in (0,)]
    roundtrip += [bytes([fl, t, 0x21, 0]) + b for b in blobs for t in table_ids for fl in (2,) if b[:1] not in (b"\xee", b"\x60")]
    api = psem + [bytes([sel]) + b for b in blobs for sel in (0, 1)]
    return {"c12_api": api, "c1218_packet": packets + blobs, "c1222_apdu": apdus, "c1222_decrypt": decrypt, "c12_roundtrip": roundtrip}


def scm(blobs):
    return {
        "scm_idm_api": [bytes([sel]) + b for b in blobs for sel in (0, 1, 2)],
        "scm_idm_packets": blobs,
        "scm_idm_bitstream": [bytes([sel]) + b for b in blobs for sel in (0, 1, 2, 3, 4, 5)],
        "scm_idm_streaming": [bytes([sel, 5, 0]) + b for b in blobs for sel in range(8)],
    }


def text_files(pattern):
    return [open(p, "rb").read() for p in sorted(glob.glob(os.path.join(ROOT, pattern)))]


def p1(blobs):
    telegrams = text_files("iec62056-21/tests/data/dsmr_parser/*.txt") + text_files("iec62056-21/tests/data/dsmr5/*.txt")
    telegrams += [t for t in text_files("iec62056-21/tests/data/node_dsmr_parser/*.txt") if t[:1] == b"/"]
    telegrams += [b for b in blobs if b[:1] == b"/" and b"!" in b]
    crlf = [t.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n") for t in telegrams]
    telegrams = uniq(telegrams + crlf)
    enc = [b for b in blobs if b[:1] == b"\xdb"]
    for t in text_files("iec62056-21/tests/data/node_dsmr_parser/encrypted-*.txt"):
        b = unhex(t.decode())
        if b:
            enc.append(b)
    iec = [b for b in blobs if b[:1] in (b"/", b"\x06", b"\x01", b"\x02", b"\x15")]
    lines = [ln + b"\r\n" for t in telegrams for ln in t.split(b"\r\n")[2:] if ln and ln[:1] != b"!"]
    # core's text types: OBIS addresses, decimal values and unit symbols of real lines
    words = set()
    for t in telegrams:
        for ln in t.split(b"\r\n"):
            if b"(" in ln:
                addr, rest = ln.split(b"(", 1)
                words.add(addr)
                for g in rest.split(b"("):
                    g = g.rstrip(b")")
                    words.update(g.split(b"*"))
    core = [bytes([sel]) + w for w in sorted(words) for sel in (3, 0x80) if w]
    return {
        "core_values": core,
        "p1_api": [bytes([s]) + b for b in telegrams + enc + iec for s in (0, 1, 2)],
        "p1_framer": [bytes([n]) + t for t in telegrams for n in (0, 40)],
        "p1_lines": telegrams + [b"".join(lines[i:i + 8]) for i in range(0, len(lines), 8)],
        "p1_decrypt": enc,
        "iec21_message": iec + blobs,
    }


def stream_props(per_target):
    """sel, two 16-bit cut points, then a stream: each framer gets its protocol's inputs."""
    pick = {
        0: "modbus_tcp", 1: "modbus_rtu", 2: "modbus_ascii", 3: "dnp3_link", 4: "dnp3_link",
        5: "dlms_hdlc", 6: "dlms_wrapper", 7: "dlms_wrapper", 8: "c1218_packet", 9: "c1218_packet",
        10: "c1222_apdu", 11: "scm_idm_packets", 12: "scm_idm_packets", 13: "scm_idm_packets",
        14: "p1_lines", 15: "p1_decrypt",
    }
    out = []
    for sel, t in pick.items():
        for b in per_target.get(t, []):
            cut = max(1, len(b) // 3)
            out.append(bytes([sel]) + cut.to_bytes(2, "little") + (2 * cut).to_bytes(2, "little") + b + b[:len(b) // 2])
    return out


PROTOCOLS = [
    # crate dir, bench files, demo sample files, reshaper
    ("modbus", ["modbus"], ["modbus-tcp", "modbus-rtu", "modbus-ascii"], modbus),
    ("dnp3-lite", ["dnp3"], ["dnp3"], dnp3),
    ("dlms-cosem", ["dlms", "dlms_security"], ["dlms-apdu", "dlms-hdlc", "dlms-wrapper"], dlms),
    ("ansi-c1222", ["c12"], ["c1218", "c1222"], c12),
    ("scm-idm", ["scm_idm"], ["scm", "scm-plus", "idm", "netidm", "r900", "r900-bcd"], scm),
    ("iec62056-21", ["p1"], ["p1", "iec62056-21"], p1),
]


def extra_dlms():
    # the CLI's copy of the EVN push (plaintext) is a DLMS vector too
    return [b for p in glob.glob(os.path.join(ROOT, "cli", "tests", "data", "*.hex")) if (b := unhex(open(p).read()))]


def build():
    per_target = {}
    for crate, bench, names, reshape in PROTOCOLS:
        blobs = sources(crate, bench, names)
        if crate == "dlms-cosem":
            blobs += extra_dlms()
        for t, bs in reshape(uniq(blobs)).items():
            per_target.setdefault(t, []).extend(bs)
    per_target["stream_props"] = stream_props(per_target)
    return {t: uniq(bs) for t, bs in per_target.items()}


def main(argv):
    dry = "--dry-run" in argv
    out = argv[argv.index("--out") + 1] if "--out" in argv else None
    sel = [a for i, a in enumerate(argv) if not a.startswith("--") and (i == 0 or argv[i - 1] != "--out")]
    total = 0
    for t, blobs in sorted(build().items()):
        if sel and not any(t == s or t.startswith(s) for s in sel):
            continue
        d = os.path.join(CORPUS, t)
        os.makedirs(d, exist_ok=True)
        have = set()
        for f in os.listdir(d):
            with open(os.path.join(d, f), "rb") as fh:
                have.add(hashlib.sha1(fh.read()).hexdigest())
        dest = os.path.join(out, t) if out else d
        if not dry:
            os.makedirs(dest, exist_ok=True)
        new = 0
        for b in blobs:
            h = hashlib.sha1(b).hexdigest()
            if h in have:
                continue
            have.add(h)
            new += 1
            if not dry:
                with open(os.path.join(dest, "seed-" + h[:16]), "wb") as fh:
                    fh.write(b)
        total += new
        print(f"{t}: {len(blobs)} seeds, {new} new")
    print(f"{total} new seed files{' (dry run)' if dry else ''}")


if __name__ == "__main__":
    main(sys.argv[1:])
