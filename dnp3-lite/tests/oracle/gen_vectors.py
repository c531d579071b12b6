#!/usr/bin/env python3
"""Builds the synthetic DNP3 oracle inputs (tests/oracle/vectors.tsv).

Frames are assembled here in Python, independently of the Rust encoder: link
header + CRC-16/DNP blocks, transport header, application fragments covering
many groups, variations and qualifiers, plus corrupted CRCs and truncations.
The expected values for these inputs come from tshark (see oracle.py), not
from this script. Columns: name, hex (one TCP payload each).
"""
import struct, sys, os

def crc_dnp(data: bytes) -> int:
    crc = 0
    for b in data:
        crc ^= b
        for _ in range(8):
            crc = (crc >> 1) ^ 0xA6BC if crc & 1 else crc >> 1
    return (~crc) & 0xFFFF

assert crc_dnp(b"123456789") == 0xEA82

def link(ctrl, dst, src, user=b""):
    hdr = b"\x05\x64" + bytes([len(user) + 5, ctrl]) + struct.pack("<HH", dst, src)
    out = hdr + struct.pack("<H", crc_dnp(hdr))
    for i in range(0, len(user), 16):
        blk = user[i:i + 16]
        out += blk + struct.pack("<H", crc_dnp(blk))
    return out

def frames(frag, master, tseq=0, dst=None, src=None, maxp=249):
    """Fragment -> link frames (unconfirmed user data)."""
    if master:
        ctrl, d, s = 0xC4, dst if dst is not None else 10, src if src is not None else 1
    else:
        ctrl, d, s = 0x44, dst if dst is not None else 1, src if src is not None else 10
    chunks = [frag[i:i + maxp] for i in range(0, len(frag), maxp)] or [b""]
    out = b""
    for i, c in enumerate(chunks):
        th = (0x40 if i == 0 else 0) | (0x80 if i == len(chunks) - 1 else 0) | ((tseq + i) & 0x3F)
        out += link(ctrl, d, s, bytes([th]) + c)
    return out

def req(func, objs=b"", seq=1, ctl=None):
    return bytes([ctl if ctl is not None else 0xC0 | seq, func]) + objs

def rsp(objs=b"", seq=1, func=0x81, iin=0x0000, ctl=None):
    return bytes([ctl if ctl is not None else 0xC0 | seq, func]) + struct.pack(">H", iin) + objs

def hdr(g, v, q, *rng):
    b = bytes([g, v, q])
    code = q & 0x0F
    width = {0: 1, 1: 2, 2: 4, 3: 1, 4: 2, 5: 4, 7: 1, 8: 2, 9: 4, 0xB: 1}.get(code, 0)
    for r in rng:
        b += r.to_bytes(width, "little")
    return b

t48 = lambda ms: ms.to_bytes(6, "little")
V = []
def add(name, data):
    V.append((name, data.hex()))

T0 = 1_400_000_000_123  # 2014-05-13T16:53:20.123Z

# ---- link layer only
add("link_reset_link_states", link(0xC0, 10, 1))
add("link_test_link_states", link(0xD2, 10, 1))
add("link_request_link_status", link(0xC9, 10, 1))
add("link_ack", link(0x00, 1, 10))
add("link_nack", link(0x01, 1, 10))
add("link_status", link(0x0B, 1, 10))
add("link_status_dfc", link(0x1B, 1, 10))
add("link_not_supported", link(0x0F, 1, 10))
add("link_broadcast_dst", link(0xC9, 0xFFFF, 1))
add("link_confirmed_user_data", link(0xF3, 10, 1, bytes([0xC5]) + req(1, hdr(60, 1, 0x06), seq=5)))

# ---- requests
add("req_integrity_poll", frames(req(1, hdr(60, 2, 6) + hdr(60, 3, 6) + hdr(60, 4, 6) + hdr(60, 1, 6)), True))
add("req_read_class0", frames(req(1, hdr(60, 1, 6), seq=2), True))
add("req_read_class123", frames(req(1, hdr(60, 2, 6) + hdr(60, 3, 6) + hdr(60, 4, 6), seq=3), True))
add("req_read_g1v0_all", frames(req(1, hdr(1, 0, 6)), True))
add("req_read_g30v1_range8", frames(req(1, hdr(30, 1, 0x00, 0, 9)), True))
add("req_read_g30v3_range16", frames(req(1, hdr(30, 3, 0x01, 5, 300)), True))
add("req_read_g20v1_range32", frames(req(1, hdr(20, 1, 0x02, 0, 70000)), True))
add("req_read_g2v0_count8", frames(req(1, hdr(2, 0, 0x07, 10)), True))
add("req_read_g32v0_count16", frames(req(1, hdr(32, 0, 0x08, 500)), True))
add("req_read_g22v0_count32", frames(req(1, hdr(22, 0, 0x09, 100000)), True))
add("req_read_g30v1_index8", frames(req(1, hdr(30, 1, 0x17, 3) + bytes([1, 5, 9])), True))
add("req_read_g1v2_index16", frames(req(1, hdr(1, 2, 0x28, 2) + struct.pack("<HH", 300, 301)), True))
add("req_read_g110v0_all", frames(req(1, hdr(110, 0, 6)), True))
add("req_read_g0v254", frames(req(1, hdr(0, 254, 6)), True))
add("req_write_time_g50v1", frames(req(2, hdr(50, 1, 0x07, 1) + t48(T0)), True))
add("req_write_clear_restart_g80v1", frames(req(2, hdr(80, 1, 0x00, 7, 7) + b"\x00"), True))
add("req_write_g50v3_last_recorded", frames(req(2, hdr(50, 3, 0x07, 1) + t48(T0 + 5000)), True))
add("req_record_current_time", frames(req(24), True))
add("req_delay_measure", frames(req(23), True))
add("req_cold_restart", frames(req(13), True))
add("req_warm_restart", frames(req(14), True))
add("req_confirm", frames(req(0, seq=4), True))
add("req_confirm_uns", frames(req(0, ctl=0xD7), True))
add("req_enable_unsolicited", frames(req(20, hdr(60, 2, 6) + hdr(60, 3, 6) + hdr(60, 4, 6)), True))
add("req_disable_unsolicited", frames(req(21, hdr(60, 2, 6) + hdr(60, 3, 6) + hdr(60, 4, 6)), True))
add("req_assign_class", frames(req(22, hdr(60, 2, 6) + hdr(1, 0, 0x00, 0, 3)), True))
add("req_immediate_freeze", frames(req(7, hdr(20, 0, 6)), True))
add("req_freeze_clear_count", frames(req(9, hdr(20, 0, 0x00, 0, 4)), True))
add("req_freeze_at_time", frames(req(11, hdr(50, 2, 0x07, 1) + t48(T0) + struct.pack("<I", 60000) + hdr(20, 0, 6)), True))
crob = lambda code, cnt, on, off, st: bytes([code, cnt]) + struct.pack("<II", on, off) + bytes([st])
add("req_select_crob_q28", frames(req(3, hdr(12, 1, 0x28, 1) + struct.pack("<H", 3) + crob(0x03, 1, 0, 0, 0)), True))
add("req_operate_crob_q28", frames(req(4, hdr(12, 1, 0x28, 1) + struct.pack("<H", 3) + crob(0x03, 1, 0, 0, 0), seq=2), True))
add("req_direct_operate_crob_pulse", frames(req(5, hdr(12, 1, 0x28, 1) + struct.pack("<H", 7) + crob(0x41, 2, 1000, 500, 0)), True))
add("req_direct_operate_crob_q17", frames(req(5, hdr(12, 1, 0x17, 2) + b"\x00" + crob(0x81, 1, 100, 100, 0) + b"\x01" + crob(0x04, 1, 0, 0, 0)), True))
add("req_direct_operate_noack_crob", frames(req(6, hdr(12, 1, 0x28, 1) + struct.pack("<H", 1) + crob(0x01, 1, 250, 250, 0)), True))
add("req_direct_operate_crob_q39", frames(req(5, hdr(12, 1, 0x39, 1) + struct.pack("<I", 65536) + crob(0x03, 1, 0, 0, 0)), True))
add("req_pcb_g12v2", frames(req(5, hdr(12, 2, 0x07, 1) + crob(0x01, 5, 100, 200, 0) + hdr(12, 3, 0x00, 0, 7) + b"\xa5"), True))
add("req_analog_out_g41v1", frames(req(5, hdr(41, 1, 0x28, 1) + struct.pack("<HiB", 2, -123456, 0)), True))
add("req_analog_out_g41v2", frames(req(3, hdr(41, 2, 0x17, 2) + struct.pack("<BhB", 0, 1000, 0) + struct.pack("<BhB", 4, -32768, 0)), True))
add("req_analog_out_g41v3", frames(req(5, hdr(41, 3, 0x28, 1) + struct.pack("<HfB", 9, 12.5, 0)), True))
add("req_analog_out_g41v4", frames(req(4, hdr(41, 4, 0x28, 1) + struct.pack("<HdB", 10, -0.125, 0)), True))
add("req_write_g110v4", frames(req(2, hdr(110, 4, 0x00, 2, 2) + b"ABCD"), True))
add("req_write_g34v1_deadband", frames(req(2, hdr(34, 1, 0x00, 0, 1) + struct.pack("<HH", 10, 20)), True))
add("req_write_g34v3_deadband", frames(req(2, hdr(34, 3, 0x17, 1) + b"\x04" + struct.pack("<f", 0.5)), True))

# ---- responses
add("rsp_null_restart", frames(rsp(iin=0x8000, seq=0), False))
add("rsp_null_need_time", frames(rsp(iin=0x9000, seq=1), False))
add("rsp_iin_all_bits", frames(rsp(iin=0xFF3F, seq=2), False))
add("rsp_g1v1_q00", frames(rsp(hdr(1, 1, 0x00, 0, 11) + b"\xa5\x0c"), False))
add("rsp_g1v1_q01", frames(rsp(hdr(1, 1, 0x01, 250, 260) + b"\xff\x03"), False))
add("rsp_g1v2_q00", frames(rsp(hdr(1, 2, 0x00, 0, 3) + b"\x81\x01\x02\x81"), False))
add("rsp_g1v2_q17", frames(rsp(hdr(1, 2, 0x17, 2) + b"\x03\x81\x09\x01"), False))
add("rsp_g1v2_q28", frames(rsp(hdr(1, 2, 0x28, 2) + b"\x00\x01\x81\xff\x00\x01"), False))
add("rsp_g2v1_q17", frames(rsp(hdr(2, 1, 0x17, 2) + b"\x00\x81\x05\x01"), False))
add("rsp_g2v2_q28", frames(rsp(hdr(2, 2, 0x28, 2) + b"\x01\x00\x81" + t48(T0) + b"\x02\x00\x01" + t48(T0 + 1)), False))
add("rsp_g2v3_cto", frames(rsp(hdr(51, 1, 0x07, 1) + t48(T0) + hdr(2, 3, 0x17, 2) + b"\x00\x81\x10\x00" + b"\x01\x01\x20\x00"), False))
add("rsp_g3v1_q00", frames(rsp(hdr(3, 1, 0x00, 0, 7) + b"\x1b\xe4"), False))
add("rsp_g3v2_q01", frames(rsp(hdr(3, 2, 0x01, 0, 1) + b"\x41\x81"), False))
add("rsp_g4v1_q17", frames(rsp(hdr(4, 1, 0x17, 1) + b"\x02\x41"), False))
add("rsp_g4v2_q28", frames(rsp(hdr(4, 2, 0x28, 1) + b"\x02\x00\x81" + t48(T0)), False))
add("rsp_g4v3_cto", frames(rsp(hdr(51, 2, 0x07, 1) + t48(T0) + hdr(4, 3, 0x17, 1) + b"\x05\x41\x64\x00"), False))
add("rsp_g10v1_q00", frames(rsp(hdr(10, 1, 0x00, 0, 4) + b"\x15"), False))
add("rsp_g10v2_q00", frames(rsp(hdr(10, 2, 0x00, 0, 2) + b"\x81\x01\x01"), False))
add("rsp_g11v1_q17", frames(rsp(hdr(11, 1, 0x17, 1) + b"\x01\x81"), False))
add("rsp_g11v2_q28", frames(rsp(hdr(11, 2, 0x28, 1) + b"\x01\x00\x01" + t48(T0)), False))
add("rsp_g12v1_echo", frames(rsp(hdr(12, 1, 0x28, 1) + struct.pack("<H", 7) + crob(0x41, 2, 1000, 500, 0)), False))
add("rsp_g12v1_status_not_supported", frames(rsp(hdr(12, 1, 0x17, 1) + b"\x03" + crob(0x03, 1, 0, 0, 4)), False))
add("rsp_g13v1_q17", frames(rsp(hdr(13, 1, 0x17, 1) + b"\x00\x81"), False))
add("rsp_g13v2_q17", frames(rsp(hdr(13, 2, 0x17, 1) + b"\x00\x01" + t48(T0)), False))
add("rsp_g20v1_q00", frames(rsp(hdr(20, 1, 0x00, 0, 2) + struct.pack("<BIBIBI", 1, 0, 1, 123456, 0x21, 0xFFFFFFFF)), False))
add("rsp_g20v2_q01", frames(rsp(hdr(20, 2, 0x01, 0, 1) + struct.pack("<BHBH", 1, 65535, 1, 7)), False))
add("rsp_g20v5_q00", frames(rsp(hdr(20, 5, 0x00, 3, 5) + struct.pack("<III", 1, 2, 3000000000)), False))
add("rsp_g20v6_q00", frames(rsp(hdr(20, 6, 0x00, 0, 1) + struct.pack("<HH", 10, 20)), False))
add("rsp_g21v1_q00", frames(rsp(hdr(21, 1, 0x00, 0, 0) + struct.pack("<BI", 1, 42)), False))
add("rsp_g21v5_q00", frames(rsp(hdr(21, 5, 0x00, 0, 0) + struct.pack("<BI", 1, 43) + t48(T0)), False))
add("rsp_g21v9_q00", frames(rsp(hdr(21, 9, 0x00, 0, 1) + struct.pack("<II", 44, 45)), False))
add("rsp_g22v1_q17", frames(rsp(hdr(22, 1, 0x17, 2) + struct.pack("<BBI", 0, 1, 100) + struct.pack("<BBI", 3, 1, 200)), False))
add("rsp_g22v2_q28", frames(rsp(hdr(22, 2, 0x28, 1) + struct.pack("<HBH", 258, 1, 300)), False))
add("rsp_g22v5_q17", frames(rsp(hdr(22, 5, 0x17, 1) + struct.pack("<BBI", 1, 1, 101) + t48(T0)), False))
add("rsp_g22v6_q17", frames(rsp(hdr(22, 6, 0x17, 1) + struct.pack("<BBH", 1, 1, 102) + t48(T0)), False))
add("rsp_g23v1_q17", frames(rsp(hdr(23, 1, 0x17, 1) + struct.pack("<BBI", 1, 1, 103)), False))
add("rsp_g30v1_q00", frames(rsp(hdr(30, 1, 0x00, 0, 3) + struct.pack("<BiBiBiBi", 1, 0, 1, -1, 1, 2147483647, 0x02, -2147483648)), False))
add("rsp_g30v2_q01", frames(rsp(hdr(30, 2, 0x01, 1000, 1001) + struct.pack("<BhBh", 1, -5, 1, 32767)), False))
add("rsp_g30v3_q00", frames(rsp(hdr(30, 3, 0x00, 0, 2) + struct.pack("<iii", 5, -6, 7)), False))
add("rsp_g30v4_q00", frames(rsp(hdr(30, 4, 0x00, 0, 2) + struct.pack("<hhh", 5, -6, 7)), False))
add("rsp_g30v5_q00", frames(rsp(hdr(30, 5, 0x00, 0, 1) + struct.pack("<BfBf", 1, 3.25, 1, -1000.5)), False))
add("rsp_g30v6_q00", frames(rsp(hdr(30, 6, 0x00, 0, 1) + struct.pack("<BdBd", 1, 1.0e10, 1, -2.5e-3)), False))
add("rsp_g30v1_q17", frames(rsp(hdr(30, 1, 0x17, 2) + struct.pack("<BBi", 3, 1, 33) + struct.pack("<BBi", 9, 1, 99)), False))
add("rsp_g30v2_q28", frames(rsp(hdr(30, 2, 0x28, 1) + struct.pack("<HBh", 513, 1, 44)), False))
add("rsp_g31v1_q00", frames(rsp(hdr(31, 1, 0x00, 0, 0) + struct.pack("<Bi", 1, 77)), False))
add("rsp_g32v1_q17", frames(rsp(hdr(32, 1, 0x17, 1) + struct.pack("<BBi", 2, 1, 500)), False))
add("rsp_g32v2_q28", frames(rsp(hdr(32, 2, 0x28, 1) + struct.pack("<HBh", 300, 1, -500)), False))
add("rsp_g32v3_q17", frames(rsp(hdr(32, 3, 0x17, 1) + struct.pack("<BBi", 4, 1, 501) + t48(T0)), False))
add("rsp_g32v4_q17", frames(rsp(hdr(32, 4, 0x17, 1) + struct.pack("<BBh", 5, 1, 502) + t48(T0 + 2)), False))
add("rsp_g32v5_q17", frames(rsp(hdr(32, 5, 0x17, 1) + struct.pack("<BBf", 6, 1, 0.75)), False))
add("rsp_g32v6_q17", frames(rsp(hdr(32, 6, 0x17, 1) + struct.pack("<BBd", 7, 1, 123.456)), False))
add("rsp_g32v7_q17", frames(rsp(hdr(32, 7, 0x17, 1) + struct.pack("<BBf", 8, 1, -0.5) + t48(T0 + 3)), False))
add("rsp_g32v8_q17", frames(rsp(hdr(32, 8, 0x17, 1) + struct.pack("<BBd", 9, 1, 1e-7) + t48(T0 + 4)), False))
add("rsp_g33v1_q17", frames(rsp(hdr(33, 1, 0x17, 1) + struct.pack("<BBi", 1, 1, 600)), False))
add("rsp_g34v2_q00", frames(rsp(hdr(34, 2, 0x00, 0, 1) + struct.pack("<II", 100, 200)), False))
add("rsp_g40v1_q00", frames(rsp(hdr(40, 1, 0x00, 0, 1) + struct.pack("<BiBi", 1, 10, 1, -10)), False))
add("rsp_g40v2_q00", frames(rsp(hdr(40, 2, 0x00, 0, 0) + struct.pack("<Bh", 1, 11)), False))
add("rsp_g40v3_q00", frames(rsp(hdr(40, 3, 0x00, 0, 0) + struct.pack("<Bf", 1, 1.5)), False))
add("rsp_g40v4_q00", frames(rsp(hdr(40, 4, 0x00, 0, 0) + struct.pack("<Bd", 1, 2.25)), False))
add("rsp_g41v1_echo", frames(rsp(hdr(41, 1, 0x28, 1) + struct.pack("<HiB", 2, -123456, 0)), False))
add("rsp_g41v2_echo_status", frames(rsp(hdr(41, 2, 0x17, 1) + struct.pack("<BhB", 0, 1000, 3)), False))
add("rsp_g42v1_q17", frames(rsp(hdr(42, 1, 0x17, 1) + struct.pack("<BBi", 1, 1, 12)), False))
add("rsp_g42v3_q17", frames(rsp(hdr(42, 3, 0x17, 1) + struct.pack("<BBi", 1, 1, 13) + t48(T0)), False))
add("rsp_g42v5_q28", frames(rsp(hdr(42, 5, 0x28, 1) + struct.pack("<HBf", 1, 1, 14.5)), False))
add("rsp_g43v1_q17", frames(rsp(hdr(43, 1, 0x17, 1) + struct.pack("<BBi", 1, 0, 15)), False))
add("rsp_g50v1_q07", frames(rsp(hdr(50, 1, 0x07, 1) + t48(T0)), False))
add("rsp_g52v1_delay", frames(rsp(hdr(52, 1, 0x07, 1) + struct.pack("<H", 2)), False))
add("rsp_g52v2_delay", frames(rsp(hdr(52, 2, 0x07, 1) + struct.pack("<H", 150)), False))
add("rsp_g80v1_iin", frames(rsp(hdr(80, 1, 0x00, 0, 15) + b"\x80\x00"), False))
add("rsp_g110v5_q00", frames(rsp(hdr(110, 5, 0x00, 0, 1) + b"hello" + b"world"), False))
add("rsp_g111v3_q17", frames(rsp(hdr(111, 3, 0x17, 1) + b"\x02abc", func=0x82, ctl=0xF3), False))
add("rsp_g111v3_q28", frames(rsp(hdr(111, 3, 0x28, 1) + b"\x04\x01xyz"), False))
add("rsp_g1v2_q07_count", frames(rsp(hdr(1, 2, 0x07, 2) + b"\x81\x01"), False))
add("rsp_g30v1_q08_count", frames(rsp(hdr(30, 1, 0x08, 1) + struct.pack("<Bi", 1, 99)), False))
add("rsp_g30v1_q02_range32", frames(rsp(hdr(30, 1, 0x02, 70000, 70001) + struct.pack("<BiBi", 1, 1, 1, 2)), False))
add("rsp_g30v1_q39", frames(rsp(hdr(30, 1, 0x39, 1) + struct.pack("<IBi", 100000, 1, 3)), False))
add("rsp_g20v1_q09_count32", frames(rsp(hdr(20, 1, 0x09, 1) + struct.pack("<BI", 1, 4)), False))
add("rsp_mixed_class0", frames(rsp(hdr(1, 2, 0x00, 0, 1) + b"\x81\x01" + hdr(10, 2, 0x00, 0, 1) + b"\x01\x81"
    + hdr(20, 1, 0x00, 0, 1) + struct.pack("<BIBI", 1, 10, 1, 20) + hdr(30, 1, 0x00, 0, 1) + struct.pack("<BiBi", 1, 30, 1, 40)
    + hdr(40, 1, 0x00, 0, 0) + struct.pack("<Bi", 1, 50), iin=0x0200), False))
add("rsp_unsolicited_events_con", frames(rsp(hdr(2, 2, 0x17, 1) + b"\x00\x81" + t48(T0) + hdr(32, 3, 0x17, 1)
    + struct.pack("<BBi", 1, 1, 9) + t48(T0 + 10), func=0x82, ctl=0xF5, iin=0x0200), False))
add("rsp_unsolicited_null", frames(rsp(func=0x82, ctl=0xF0, iin=0x8000), False))
add("rsp_file_g70v4_free_format", frames(rsp(hdr(70, 4, 0x5B, 1) + struct.pack("<H", 10) + struct.pack("<IIHB", 0x12345678, 0, 4, 0) + b"\x00"), False))

# virtual-address ranges (0x03-0x05) and size prefixes of 1 and 4 bytes (0x4B, 0x6B)
add("rsp_g30v1_q03_virtual8", frames(rsp(hdr(30, 1, 0x03, 4, 5) + struct.pack("<BiBi", 1, 70, 1, 71)), False))
add("rsp_g30v2_q04_virtual16", frames(rsp(hdr(30, 2, 0x04, 300, 300) + struct.pack("<Bh", 1, 72)), False))
add("rsp_g20v1_q05_virtual32", frames(rsp(hdr(20, 1, 0x05, 70000, 70000) + struct.pack("<BI", 1, 73)), False))
g70v4 = struct.pack("<IIHHB", 0x12345678, 1024, 512, 7, 0)  # handle, size, max block, request id, status
add("rsp_g70v4_q4b_size8", frames(rsp(hdr(70, 4, 0x4B, 1) + bytes([len(g70v4)]) + g70v4), False))
add("rsp_g70v4_q6b_size32", frames(rsp(hdr(70, 4, 0x6B, 1) + struct.pack("<I", len(g70v4)) + g70v4), False))

# ---- multi-frame fragments (one TCP payload with several link frames)
big = rsp(hdr(30, 1, 0x00, 0, 199) + b"".join(struct.pack("<Bi", 1, i * 1000 - 50000) for i in range(200)), seq=3)
add("rsp_g30v1_200_multiframe", frames(big, False, tseq=10))
big2 = rsp(hdr(1, 2, 0x01, 0, 299) + bytes([0x81 if i % 3 else 0x01 for i in range(300)]), seq=4)
add("rsp_g1v2_300_multiframe", frames(big2, False, tseq=62))
big3 = rsp(hdr(32, 3, 0x17, 30) + b"".join(struct.pack("<BBi", i, 1, i * 7) + t48(T0 + i) for i in range(30)), func=0x82, ctl=0xF6)
add("rsp_g32v3_30_events_multiframe", frames(big3, False, tseq=5))

# ---- errors: CRC and truncation
good = frames(req(1, hdr(60, 2, 6) + hdr(60, 3, 6) + hdr(60, 4, 6) + hdr(60, 1, 6)), True)
def flip(b, i):
    b = bytearray(b); b[i] ^= 0x01; return bytes(b)
add("err_header_crc", flip(good, 8))
add("err_header_crc_in_length", flip(link(0xC0, 10, 1), 2)[:8] + link(0xC0, 10, 1)[8:10])
add("err_block0_crc", flip(good, len(good) - 1 if len(good) < 28 else 10 + 16))
rsp1 = frames(rsp(hdr(30, 1, 0x00, 0, 5) + b"".join(struct.pack("<Bi", 1, i) for i in range(6))), False)
add("err_block1_crc", flip(rsp1, 10 + 18 + 16 + 1))
add("err_block1_data", flip(rsp1, 10 + 18 + 3))
add("err_last_block_crc", flip(rsp1, len(rsp1) - 1))
add("trunc_header", rsp1[:7])
add("trunc_after_header", rsp1[:10])
add("trunc_block0", rsp1[:20])
add("trunc_block1", rsp1[:40])
add("trunc_missing_last_crc", rsp1[:-1])
# application-level truncation: link and CRCs fine, objects short
add("app_trunc_g30v1_short", frames(rsp(hdr(30, 1, 0x00, 0, 3) + struct.pack("<BiBi", 1, 5, 1, 6)), False))
add("app_trunc_object_header", frames(rsp(hdr(30, 1, 0x00, 0, 0) + struct.pack("<Bi", 1, 5) + b"\x1e\x01"), False))
add("app_trunc_response_no_iin", frames(bytes([0xC0, 0x81]), False))
add("app_unknown_group", frames(rsp(hdr(1, 2, 0x00, 0, 0) + b"\x81" + hdr(99, 1, 0x00, 0, 0) + b"\x00"), False))
add("app_unknown_group_sized", frames(rsp(hdr(99, 7, 0x5B, 1) + struct.pack("<H", 3) + b"\x01\x02\x03" + hdr(1, 2, 0x00, 0, 0) + b"\x81"), False))
add("app_range_stop_below_start", frames(rsp(hdr(30, 1, 0x00, 5, 2)), False))
add("app_reserved_qualifier", frames(rsp(hdr(30, 1, 0x0A) + b"\x00\x00"), False))
# junk before a frame: resync to 05 64
add("resync_junk_prefix", b"\xde\xad\x05\x00" + frames(req(1, hdr(60, 1, 6)), True))
add("two_frames_one_payload", frames(req(0, seq=7), True) + frames(req(1, hdr(60, 1, 6), seq=8), True))

if __name__ == "__main__":
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "vectors.tsv")
    with open(out, "w") as f:
        f.write("# name\thex  (generated by gen_vectors.py; expected values in expected.json come from tshark)\n")
        for n, h in V:
            f.write(f"{n}\t{h}\n")
    print(f"{len(V)} vectors -> {out}")
