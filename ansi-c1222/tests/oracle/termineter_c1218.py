#!/usr/bin/env python3
"""Regenerates tests/oracle/c1218_termineter.jsonl: C12.18 packets built by termineter
(PyPI `termineter`, its c1218.data module) and what termineter's own parsers read back
from them (C1218Packet.from_bytes and the request classes' from_bytes), including
rejected inputs (bad CRC, truncated, bad start byte, bad table checksum).

usage: python termineter_c1218.py [--check]
"""
import binascii, json, os, sys

from oracle_io import check_or_write

from c1218 import data as d
from c1218.utilities import packet_checksum

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "c1218_termineter.jsonl")


def h(b):
    return binascii.hexlify(b).decode()


def packet(req, control=None, seq=0):
    p = d.C1218Packet(req, control)
    if seq:
        p.sequence = bytes([seq])
    return p.build()


def parse(raw):
    rec = {}
    try:
        p = d.C1218Packet.from_bytes(raw)
        data = p.data
        rec["packet"] = {
            "identity": p.identity[0], "control": p.control[0], "seq": p.sequence[0],
            "length": int.from_bytes(p._length, "big"), "data": h(data),
        }
    except Exception as e:  # termineter raises bare Exceptions
        rec["packet_error"] = str(e)
        return rec
    if not data:
        return rec
    cls = d.C1218_REQUEST_IDS.get(data[0])
    if cls is None:
        return rec
    try:
        r = cls.from_bytes(data)
    except Exception as e:
        rec["request_error"] = str(e)
        return rec
    q = {"class": type(r).__name__}
    for attr in ("tableid", "offset", "octetcount", "userid", "username", "password", "data"):
        if hasattr(type(r), attr) or hasattr(r, "_" + attr):
            try:
                v = getattr(r, attr)
            except Exception:
                continue
            if isinstance(v, bytes):
                v = h(v)
            q[attr] = v
    if isinstance(r, d.C1218NegotiateRequest):
        q["pktsize"] = r._pktsize
        q["nbrpkt"] = r._nbrpkt
        q["baudrate"] = h(r._baudrate)
    if isinstance(r, d.C1218WaitRequest):
        q["time"] = r._time[0] if isinstance(r._time, bytes) else r._time
    rec["request"] = q
    return rec


def vectors():
    v = []
    add = lambda name, raw: v.append((name, raw))
    add("ident", packet(d.C1218IdentRequest()))
    add("terminate", packet(d.C1218TerminateRequest()))
    add("logoff", packet(d.C1218LogoffRequest()))
    for t in (0, 1, 3, 5, 7, 8, 21, 23, 0x800 | 64):
        add("full_read_%d" % t, packet(d.C1218ReadRequest(t)))
    add("partial_read_st23", packet(d.C1218ReadRequest(23, 5, 10)))
    add("partial_read_big_offset", packet(d.C1218ReadRequest(64, 0xABCDEF, 0x1234)))
    add("full_write_st7", packet(d.C1218WriteRequest(7, b"\x09\x00\x05\x01")))
    add("full_write_st5", packet(d.C1218WriteRequest(5, b"meterwire device id ")))
    add("partial_write_st5", packet(d.C1218WriteRequest(5, b"\x10\x20\x30", offset=0x0102)))
    add("logon", packet(d.C1218LogonRequest("meterwire", 2)))
    add("logon_empty", packet(d.C1218LogonRequest("", 0)))
    add("security", packet(d.C1218SecurityRequest("00000000000000000000")))
    add("security_short", packet(d.C1218SecurityRequest("secret")))
    add("negotiate", packet(d.C1218NegotiateRequest(512, 4)))
    add("negotiate_baud", packet(d.C1218NegotiateRequest(256, 1, 9600)))
    add("wait", packet(d.C1218WaitRequest(30)))
    add("toggle_read", packet(d.C1218ReadRequest(1), control=0x20))
    add("multi_first", packet(d.C1218ReadRequest(1), control=0xC0, seq=2))
    add("multi_middle", packet(d.C1218ReadRequest(1), control=0xA0, seq=1))
    add("multi_last", packet(d.C1218ReadRequest(1), control=0x80, seq=0))
    add("read_response", packet(b"\x00\x00\x04ABCD" + bytes([(-sum(b"ABCD")) & 0xFF])))
    add("ok_response", packet(b"\x00"))
    add("isc_response", packet(b"\x03"))
    add("ident_response", packet(b"\x00\x00\x01\x00\x00"))
    # rejected inputs
    good = packet(d.C1218ReadRequest(1))
    add("bad_crc", good[:-1] + bytes([good[-1] ^ 0xFF]))
    add("bad_crc_low", bytes([good[0]]) + good[1:-2] + bytes([good[-2] ^ 1, good[-1]]))
    add("truncated", good[:-3])
    add("bad_start", b"\xef" + good[1:])
    w = d.C1218WriteRequest(7, b"\x09\x00\x05\x01").build()
    w = w[:-1] + bytes([w[-1] ^ 0x55])  # wrong table checksum, valid packet crc
    body = b"\xee\x00\x00\x00" + len(w).to_bytes(2, "big") + w
    add("bad_table_checksum", body + packet_checksum(body))
    return v


def st7_vectors():
    """C12.19 ST7 procedure requests built by termineter's c1219.data.C1219ProcedureInit."""
    from c1219.data import C1219ProcedureInit
    out = []
    cases = [
        ("<", 9, False, 0, 1, b""),            # SP 9 remote reset
        ("<", 10, False, 0, 2, b"\x19\x0b\x19\x0c\x00\x00\x03"),  # SP 10 set date/time
        (">", 10, False, 3, 0x7F, b"\x01\x02"),
        ("<", 70, True, 2, 0xFF, b"\x08\x1c\x03"),
        (">", 2047, True, 15, 0, b"\xaa" * 16),
        ("<", 0, False, 1, 0, b""),
    ]
    for i, (e, proc, mfg, sel, seq, params) in enumerate(cases):
        raw = C1219ProcedureInit(e, proc, mfg, sel, seq, params).build()
        back = C1219ProcedureInit.from_bytes(e, raw)
        out.append({
            "name": "st7_%d" % i, "hex": h(raw),
            "st7": {"big_endian": e == ">", "proc_nbr": back.proc_nbr, "mfg": bool(back.mfg_defined),
                    "selector": back.selector, "seq_nbr": back.seqnum, "params": h(back.params)},
        })
    return out


def main():
    lines = []
    for name, raw in vectors():
        rec = {"name": name, "hex": h(raw)}
        rec.update(parse(raw))
        lines.append(json.dumps(rec, sort_keys=True))
    for rec in st7_vectors():
        lines.append(json.dumps(rec, sort_keys=True))
    text = "\n".join(lines) + "\n"
    check_or_write(text, OUT, "c1218 termineter oracle", len(lines), "termineter")


if __name__ == "__main__":
    main()
