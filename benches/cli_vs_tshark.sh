#!/usr/bin/env bash
# CLI end to end against tshark (issue 17): a capture of N Modbus/TCP frames
# (default 200,000: FC 3 requests and 10-register responses alternating on one
# TCP connection to port 502), decoded by `meterwire decode -p modbus-tcp` and
# by `tshark -T ek` (Wireshark's Modbus/TCP dissector, JSON per packet), both
# to /dev/null. Prints CPU time (user + sys) and wall time of each and the
# ratio tshark / meterwire; the goal is >= 30x.
#
#   benches/cli_vs_tshark.sh [FRAMES]
#
# Needs python3 (stdlib only), tshark, and a release build (built if missing).
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-200000}
BIN=${MW_BIN:-target/release/meterwire}
PCAP=${MW_PCAP:-/tmp/meterwire_modbus_tcp_$N.pcap}
[ -x "$BIN" ] || cargo build --release -p meterwire-cli
command -v tshark >/dev/null || { echo "tshark not installed" >&2; exit 2; }

python3 - "$N" "$PCAP" <<'EOF'
import struct, sys
n, path = int(sys.argv[1]), sys.argv[2]

def csum(b):
    if len(b) % 2:
        b += b"\0"
    s = sum(struct.unpack(f"!{len(b)//2}H", b))
    s = (s >> 16) + (s & 0xFFFF)
    s += s >> 16
    return ~s & 0xFFFF

cli, srv = bytes([10, 0, 0, 1]), bytes([10, 0, 0, 2])
seq = {True: 1000, False: 5000}
out = open(path, "wb")
out.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, 1))
for i in range(n):
    req = i % 2 == 0
    tid = (i // 2) & 0xFFFF
    if req:
        pdu = struct.pack("!BBHH", 1, 3, 0x0100 + (tid % 64), 10)
    else:
        pdu = struct.pack("!BBB", 1, 3, 20) + b"".join(
            struct.pack("!H", (tid * 7 + k) & 0xFFFF) for k in range(10))
    adu = struct.pack("!HHH", tid, 0, len(pdu)) + pdu
    src, dst = (cli, srv) if req else (srv, cli)
    sport, dport = (40000, 502) if req else (502, 40000)
    tcp = struct.pack("!HHIIBBHHH", sport, dport, seq[req], seq[not req], 5 << 4, 0x18, 65535, 0, 0)
    seq[req] = (seq[req] + len(adu)) & 0xFFFFFFFF
    pseudo = src + dst + struct.pack("!BBH", 0, 6, len(tcp) + len(adu))
    c = csum(pseudo + tcp + adu)
    tcp = tcp[:16] + struct.pack("!H", c) + tcp[18:]
    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(tcp) + len(adu), i & 0xFFFF, 0x4000, 64, 6, 0, src, dst)
    ip = ip[:10] + struct.pack("!H", csum(ip)) + ip[12:]
    eth = b"\x02\0\0\0\0\x02" + b"\x02\0\0\0\0\x01" + b"\x08\x00"
    frame = eth + ip + tcp + adu
    ts = i * 1000
    out.write(struct.pack("<IIII", ts // 1_000_000, ts % 1_000_000, len(frame), len(frame)))
    out.write(frame)
out.close()
EOF

measure() { # prints "cpu_seconds wall_seconds lines"
  local t; t=$(mktemp)
  /usr/bin/time -f "%U %S %e" -o "$t" "$@" > "$t.out" 2>/dev/null || true
  local lines; lines=$(wc -l < "$t.out")
  tail -1 "$t" | awk -v l="$lines" '{printf "%.3f %.3f %d\n", $1 + $2, $3, l}'
  rm -f "$t" "$t.out"
}

read -r m_cpu m_wall m_lines < <(measure "$BIN" decode -p modbus-tcp "$PCAP")
read -r t_cpu t_wall t_lines < <(measure tshark -T ek -r "$PCAP")
echo "capture: $PCAP ($N Modbus/TCP frames, $(stat -c %s "$PCAP") bytes)"
printf "meterwire decode -p modbus-tcp: cpu %7.3f s  wall %7.3f s  (%d JSON lines)\n" "$m_cpu" "$m_wall" "$m_lines"
printf "tshark -T ek:                   cpu %7.3f s  wall %7.3f s  (%d JSON lines)\n" "$t_cpu" "$t_wall" "$t_lines"
awk -v m="$m_cpu" -v t="$t_cpu" -v mw="$m_wall" -v tw="$t_wall" \
  'BEGIN { if (m < 0.01) m = 0.01; printf "ratio tshark/meterwire: cpu %.1fx  wall %.1fx (goal >= 30x)\n", t / m, tw / mw }'
