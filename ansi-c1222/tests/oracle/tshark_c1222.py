#!/usr/bin/env python3
"""Regenerates tests/oracle/c1222_tshark.jsonl: what Wireshark's c1222 dissector (tshark)
reports for each APDU of tests/oracle/c1222_inputs.jsonl, sent as one UDP datagram to
port 1153, with EAX' decryption on and the same key table as the Rust test.

usage: tshark_c1222.py [--check]   (--check: diff against the committed file)
"""
import json, os, struct, subprocess, sys, tempfile

from oracle_io import check_or_write

HERE = os.path.dirname(os.path.abspath(__file__))
INPUTS = os.path.join(HERE, "c1222_inputs.jsonl")
OUT = os.path.join(HERE, "c1222_tshark.jsonl")

# key id -> key; id 7 deliberately holds the wrong key (the APDUs under id 7 use another)
KEYS = {
    0x02: "01020304050607080102030405060708",
    0x00: "102030405060708090a0b0c0d0e0f000",
    0x07: "102030405060708090a0b0c0d0e0f000",
}
BASEOID = "2.16.124.113620.1.22"
FIELDS = [
    "c1222.called_ap_title_abs", "c1222.called_ap_title_rel",
    "c1222.calling_ap_title_abs", "c1222.calling_ap_title_rel",
    "c1222.called_AP_invocation_id", "c1222.calling_AP_invocation_id",
    "c1222.calling_AE_qualifier", "c1222.aSO_context", "c1222.mechanism_name",
    "c1222.key_id_element", "c1222.iv_element", "c1222.epsem.flags",
    "c1222.epsem.edclass", "c1222.epsem.mac", "c1222.cmd", "c1222.err",
    "c1222.read.table", "c1222.read.offset", "c1222.read.count",
    "c1222.write.table", "c1222.write.offset", "c1222.write.size",
    "c1222.write.chksum.status", "c1222.logon.id", "c1222.wait.seconds",
    "c1222.timingsetup.traffic", "c1222.timingsetup.interchar",
    "c1222.timingsetup.respto", "c1222.timingsetup.nbrretries",
    "c1222.negotiate.pktsize", "c1222.negotiate.numpkts",
    "c1222.crypto_good", "c1222.crypto_bad", "_ws.malformed", "_ws.expert",
]


def checksum16(data):
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return ~s & 0xFFFF


def udp_frame(payload, sport=40000, dport=1153):
    udp = struct.pack("!HHHH", sport, dport, 8 + len(payload), 0) + payload
    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(udp), 1, 0, 64, 17, 0,
                     bytes([10, 0, 0, 1]), bytes([10, 0, 0, 2]))
    ip = ip[:10] + struct.pack("!H", checksum16(ip)) + ip[12:]
    eth = b"\x00\x00\x00\x00\x00\x02" + b"\x00\x00\x00\x00\x00\x01" + b"\x08\x00"
    return eth + ip + udp


# Wireshark's c1222_std_example8.pcap frames 1-2 (TCP payloads), the values that
# tests/crypto/real_captures.rs asserts for them, checked live against tshark by --real.
REAL = [
    ("604fa20580037bc175a60480027b04a803020103ac0fa20da00ba109800102810448f3d061be2a282881268841d10cda76206811b36f781489a11997773e117cb07aa3aa40374a7107c50da7f799c5d4e8",
     {"c1222.crypto_good": "1", "c1222.cmd": "0x51|0x3f", "c1222.read.table": "0x0001", "c1222.read.offset": "0x000010", "c1222.read.count": "16",
      "c1222.called_ap_title_rel": ".123.8437", "c1222.calling_ap_title_rel": ".123.4", "c1222.calling_AP_invocation_id": "3"}),
    ("6048a20480027b04a403020103a60580037bc175a803020103ac0fa20da00ba109800102810448f3d060be1e281c811a884baee4349631ab5e56a0e6e0e90dfad558591ee4ea334cb268",
     {"c1222.crypto_good": "1", "c1222.err": "0x00", "c1222.data": "00104d414e55464143545552455220534e2092",
      "c1222.called_ap_title_rel": ".123.4", "c1222.calling_ap_title_rel": ".123.8437", "c1222.called_AP_invocation_id": "3"}),
]


def run_tshark(hexes, baseoid, keys, fields=FIELDS + ["c1222.data"]):
    """The fields tshark reports for each APDU (sent as one UDP datagram each)."""
    with tempfile.TemporaryDirectory() as d:
        pcap = os.path.join(d, "c1222.pcap")
        with open(pcap, "wb") as f:
            f.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, 1))
            for i, hx in enumerate(hexes):
                fr = udp_frame(bytes.fromhex(hx))
                f.write(struct.pack("<IIII", 1700000000 + i, 0, len(fr), len(fr)) + fr)
        cmd = ["tshark", "-n", "-r", pcap, "-d", "udp.port==1153,c1222",
               "-o", "c1222.decrypt:TRUE", "-o", "c1222.baseoid:" + baseoid]
        for k, key in keys.items():
            cmd += ["-o", 'uat:c1222_decryption_table:"%02x",%s' % (k, key)]
        cmd += ["-T", "fields", "-E", "separator=\t", "-E", "occurrence=a", "-E", "aggregator=|"]
        for fl in fields:
            cmd += ["-e", fl]
        res = subprocess.run(cmd, capture_output=True, text=True, check=True)
    lines = [l for l in res.stdout.split("\n") if l != ""]
    return [{k: x for k, x in zip(fields, l.split("\t")) if x != ""} for l in lines]


def check_real():
    got = run_tshark([h for h, _ in REAL], "2.16.124.113620.1.22.0", {2: KEYS[2]})
    bad = 0
    for (h, want), fields in zip(REAL, got):
        for k, v in want.items():
            if fields.get(k, "").replace(":", "") != v:
                print("real capture %s...: %s = %r, expected %r" % (h[:12], k, fields.get(k), v))
                bad += 1
    if bad:
        sys.exit(1)
    print("c1222 tshark oracle: std example 8 frames decrypt and decode as the Rust test expects")


def main():
    if "--real" in sys.argv:
        check_real()
        return
    inputs = [json.loads(l) for l in open(INPUTS)]
    got = run_tshark([v["hex"] for v in inputs], BASEOID, KEYS, FIELDS)
    assert len(got) == len(inputs), (len(got), len(inputs))
    out = [json.dumps({"name": v["name"], "fields": fields}, sort_keys=True) for v, fields in zip(inputs, got)]
    text = "\n".join(out) + "\n"
    check_or_write(text, OUT, "c1222 tshark oracle", len(out), "tshark")


if __name__ == "__main__":
    main()
