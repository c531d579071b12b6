#!/usr/bin/env python3
"""Times termineter 1.0.6 parsing the 76-byte C12.18 packet of the criterion case
c12/c1218_read_response_64 (a 64-byte read response): C1218Packet.from_bytes (CRC check)
plus the read-response table checksum. Run with the venv python that has termineter."""
import timeit
from c1218 import data as d
from c1218.utilities import check_data_checksum

table = bytes((i * 7) & 0xFF for i in range(64))
msg = b"\x00" + len(table).to_bytes(2, "big") + table + bytes([(-sum(table)) & 0xFF])
pkt = d.C1218Packet(msg).build()
assert len(pkt) == 76


def parse():
    p = d.C1218Packet.from_bytes(pkt)
    data = p.data
    n = int.from_bytes(data[1:3], "big")
    return check_data_checksum(data[3:3 + n], data[3 + n])


n = 20000
for _ in range(3):
    t = timeit.timeit(parse, number=n)
    print("termineter c1218_read_response_64: %.1f us/packet, %.3f MB/s" % (t / n * 1e6, len(pkt) * n / t / 1e6))
