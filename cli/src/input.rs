//! Inputs: hex arguments, files (raw streams, hex lines, pcap/pcapng) and stdin.

use crate::protocols::{Direction, Protocol};
use std::collections::{BTreeMap, HashMap};
use std::net::IpAddr;

/// Parses hex with spaces, colons, commas, dashes and `0x` prefixes tolerated.
pub fn parse_hex(s: &str) -> Result<Vec<u8>, String> {
    let mut digits = String::with_capacity(s.len());
    for token in s.split(|c: char| c.is_whitespace() || c == ':' || c == ',' || c == '-') {
        let t = token
            .strip_prefix("0x")
            .or_else(|| token.strip_prefix("0X"))
            .unwrap_or(token);
        digits.push_str(t);
    }
    if digits.len() % 2 != 0 {
        return Err(format!("bad hex {s:?}: odd number of digits"));
    }
    hex::decode(&digits).map_err(|e| format!("bad hex {s:?}: {e}"))
}

/// Parses a `0101...` bit string (spaces tolerated).
pub fn parse_bits(s: &str) -> Result<Vec<bool>, String> {
    s.chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| match c {
            '0' => Ok(false),
            '1' => Ok(true),
            other => Err(format!("bad bit string: {other:?} is not 0 or 1")),
        })
        .collect()
}

/// How a file is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// A raw byte stream; frames are found by the framer.
    Raw,
    /// Text, one hex frame per line (`#` comments and blank lines skipped).
    Hex,
    /// A pcap or pcapng capture.
    Pcap,
}

/// Picks the format from a file name and its first bytes.
pub fn detect_format(path: &str, head: &[u8]) -> Format {
    let lower = path.to_ascii_lowercase();
    let magic = head.get(..4);
    let is_pcap = matches!(
        magic,
        Some([0xd4, 0xc3, 0xb2, 0xa1])
            | Some([0xa1, 0xb2, 0xc3, 0xd4])
            | Some([0x4d, 0x3c, 0xb2, 0xa1])
            | Some([0xa1, 0xb2, 0x3c, 0x4d])
            | Some([0x0a, 0x0d, 0x0d, 0x0a])
    );
    if is_pcap || lower.ends_with(".pcap") || lower.ends_with(".pcapng") || lower.ends_with(".cap")
    {
        Format::Pcap
    } else if lower.ends_with(".hex") || lower.ends_with(".txt") {
        Format::Hex
    } else {
        Format::Raw
    }
}

/// One application payload from a capture.
#[derive(Debug)]
pub enum Payload {
    /// A TCP stream (one direction), reassembled in sequence order.
    Tcp {
        /// Flow name, e.g. `10.0.0.1:1234->10.0.0.2:502`.
        flow: String,
        /// Direction relative to the protocol's port.
        direction: Option<Direction>,
        /// The stream bytes.
        data: Vec<u8>,
        /// Bytes missing from the stream (capture gaps).
        gaps: usize,
    },
    /// One UDP datagram.
    Udp {
        /// Flow name.
        flow: String,
        /// Direction relative to the protocol's port.
        direction: Option<Direction>,
        /// The datagram payload.
        data: Vec<u8>,
    },
}

#[derive(Default)]
struct TcpFlow {
    order: usize,
    direction: Option<Direction>,
    next_seq: Option<u32>,
    data: Vec<u8>,
    pending: BTreeMap<u32, Vec<u8>>,
    gaps: usize,
}

impl TcpFlow {
    fn add(&mut self, seq: u32, syn: bool, payload: &[u8]) {
        let seq = if syn { seq.wrapping_add(1) } else { seq };
        let next = *self.next_seq.get_or_insert(seq);
        if payload.is_empty() {
            return;
        }
        let offset = seq.wrapping_sub(next) as i32;
        if offset <= 0 {
            // retransmission or overlap: keep only the new tail
            let skip = offset.unsigned_abs() as usize;
            if let Some(tail) = payload.get(skip..) {
                if !tail.is_empty() {
                    self.data.extend_from_slice(tail);
                    self.next_seq = Some(next.wrapping_add(tail.len() as u32));
                }
            }
            self.drain_pending();
        } else {
            self.pending.entry(seq).or_insert_with(|| payload.to_vec());
        }
    }

    fn drain_pending(&mut self) {
        while let Some(next) = self.next_seq {
            let ready: Vec<u32> = self
                .pending
                .keys()
                .copied()
                .filter(|&s| (s.wrapping_sub(next) as i32) <= 0)
                .collect();
            if ready.is_empty() {
                break;
            }
            for s in ready {
                if let Some(p) = self.pending.remove(&s) {
                    let skip = next.wrapping_sub(s) as usize;
                    let cur = self.next_seq.unwrap_or(next);
                    let skip = skip.max(cur.wrapping_sub(s) as usize);
                    if let Some(tail) = p.get(skip..) {
                        self.data.extend_from_slice(tail);
                        self.next_seq = Some(cur.wrapping_add(tail.len() as u32));
                    }
                }
            }
        }
    }

    /// Appends segments after capture gaps (the decoder resyncs over them).
    fn flush(&mut self) {
        let pending = std::mem::take(&mut self.pending);
        for (s, p) in pending {
            let next = self.next_seq.unwrap_or(s);
            let ahead = s.wrapping_sub(next) as i32;
            if ahead > 0 {
                self.gaps += ahead as usize;
                self.data.extend_from_slice(&p);
                self.next_seq = Some(s.wrapping_add(p.len() as u32));
            } else if let Some(tail) = p.get(next.wrapping_sub(s) as usize..) {
                self.data.extend_from_slice(tail);
                self.next_seq = Some(next.wrapping_add(tail.len() as u32));
            }
        }
    }
}

fn direction_for(ports: &[u16], src: u16, dst: u16) -> Option<Option<Direction>> {
    if ports.contains(&dst) {
        Some(Some(Direction::Request))
    } else if ports.contains(&src) {
        Some(Some(Direction::Response))
    } else {
        None
    }
}

/// Extracts the protocol's TCP streams and UDP datagrams from a pcap/pcapng file.
/// TCP streams come out per direction in order of first appearance, after all UDP
/// datagrams were emitted in capture order.
pub fn read_pcap(bytes: &[u8], proto: &dyn Protocol) -> Result<Vec<Payload>, String> {
    use pcap_parser::{Linktype, PcapBlockOwned, PcapError};

    let ports = proto.ports();
    let mut reader = pcap_parser::create_reader(1 << 16, bytes)
        .map_err(|e| format!("not a pcap/pcapng file: {e:?}"))?;
    let mut linktypes: Vec<Linktype> = Vec::new();
    let mut legacy_linktype = Linktype::ETHERNET;
    let mut flows: HashMap<(IpAddr, u16, IpAddr, u16), TcpFlow> = HashMap::new();
    let mut out = Vec::new();
    loop {
        match reader.next() {
            Ok((offset, block)) => {
                let packet: Option<(Linktype, Vec<u8>)> = match block {
                    PcapBlockOwned::LegacyHeader(h) => {
                        legacy_linktype = h.network;
                        None
                    }
                    PcapBlockOwned::Legacy(b) => Some((legacy_linktype, b.data.to_vec())),
                    PcapBlockOwned::NG(pcap_parser::Block::InterfaceDescription(idb)) => {
                        linktypes.push(idb.linktype);
                        None
                    }
                    PcapBlockOwned::NG(pcap_parser::Block::EnhancedPacket(epb)) => {
                        let lt = linktypes
                            .get(epb.if_id as usize)
                            .copied()
                            .unwrap_or(Linktype::ETHERNET);
                        let caplen = (epb.caplen as usize).min(epb.data.len());
                        Some((lt, epb.data.get(..caplen).unwrap_or(&[]).to_vec()))
                    }
                    PcapBlockOwned::NG(pcap_parser::Block::SimplePacket(spb)) => {
                        let lt = linktypes.first().copied().unwrap_or(Linktype::ETHERNET);
                        Some((lt, spb.data.to_vec()))
                    }
                    PcapBlockOwned::NG(_) => None,
                };
                reader.consume(offset);
                if let Some((lt, data)) = packet {
                    handle_packet(lt, &data, ports, &mut flows, &mut out);
                }
            }
            Err(PcapError::Eof) => break,
            Err(PcapError::Incomplete(_)) => {
                if reader.refill().is_err() {
                    break;
                }
            }
            Err(e) => return Err(format!("pcap read error: {e:?}")),
        }
    }
    let mut flows: Vec<_> = flows.into_iter().collect();
    flows.sort_by_key(|(_, f)| f.order);
    for ((sa, sp, da, dp), mut f) in flows {
        f.flush();
        out.push(Payload::Tcp {
            flow: format!("{sa}:{sp}->{da}:{dp}"),
            direction: f.direction,
            data: f.data,
            gaps: f.gaps,
        });
    }
    Ok(out)
}

fn handle_packet(
    lt: pcap_parser::Linktype,
    data: &[u8],
    ports: &[u16],
    flows: &mut HashMap<(IpAddr, u16, IpAddr, u16), TcpFlow>,
    out: &mut Vec<Payload>,
) {
    use etherparse::{NetSlice, SlicedPacket, TransportSlice};
    use pcap_parser::Linktype;
    let sliced = match lt {
        Linktype::ETHERNET => SlicedPacket::from_ethernet(data),
        Linktype::LINUX_SLL => SlicedPacket::from_linux_sll(data),
        Linktype::RAW | Linktype::IPV4 | Linktype::IPV6 => SlicedPacket::from_ip(data),
        Linktype::NULL | Linktype::LOOP => match data.get(4..) {
            Some(rest) => SlicedPacket::from_ip(rest),
            None => return,
        },
        _ => SlicedPacket::from_ethernet(data),
    };
    let Ok(p) = sliced else { return };
    let (src, dst) = match &p.net {
        Some(NetSlice::Ipv4(ip)) => (
            IpAddr::V4(ip.header().source_addr()),
            IpAddr::V4(ip.header().destination_addr()),
        ),
        Some(NetSlice::Ipv6(ip)) => (
            IpAddr::V6(ip.header().source_addr()),
            IpAddr::V6(ip.header().destination_addr()),
        ),
        _ => return,
    };
    match &p.transport {
        Some(TransportSlice::Tcp(tcp)) => {
            let (sp, dp) = (tcp.source_port(), tcp.destination_port());
            let Some(direction) = direction_for(ports, sp, dp) else {
                return;
            };
            let n = flows.len();
            let f = flows.entry((src, sp, dst, dp)).or_insert_with(|| TcpFlow {
                order: n,
                direction,
                ..TcpFlow::default()
            });
            f.add(tcp.sequence_number(), tcp.syn(), tcp.payload());
        }
        Some(TransportSlice::Udp(udp)) => {
            let (sp, dp) = (udp.source_port(), udp.destination_port());
            let Some(direction) = direction_for(ports, sp, dp) else {
                return;
            };
            if !udp.payload().is_empty() {
                out.push(Payload::Udp {
                    flow: format!("{src}:{sp}->{dst}:{dp}"),
                    direction,
                    data: udp.payload().to_vec(),
                });
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_tolerates_separators_and_prefixes() {
        assert_eq!(parse_hex("01 03:00,0A").unwrap(), vec![1, 3, 0, 10]);
        assert_eq!(parse_hex("0x0103 0xff").unwrap(), vec![1, 3, 0xff]);
        assert_eq!(parse_hex("0A0b").unwrap(), vec![10, 11]);
        assert!(parse_hex("0g").is_err());
        assert!(parse_hex("abc").is_err());
    }

    #[test]
    fn bits_parse() {
        assert_eq!(parse_bits("10 1").unwrap(), vec![true, false, true]);
        assert!(parse_bits("102").is_err());
    }

    struct Port502;
    impl Protocol for Port502 {
        fn name(&self) -> &'static str {
            "test"
        }
        fn description(&self) -> &'static str {
            "test"
        }
        fn ports(&self) -> &'static [u16] {
            &[502]
        }
        fn stream(
            &self,
            _: &crate::protocols::Options,
            _: crate::protocols::StreamCtx,
        ) -> Result<Box<dyn crate::protocols::StreamDecoder>, String> {
            Err("unused".into())
        }
    }

    fn tcp_packet(src_port: u16, dst_port: u16, seq: u32, payload: &[u8]) -> Vec<u8> {
        let b = etherparse::PacketBuilder::ethernet2([1, 2, 3, 4, 5, 6], [6, 5, 4, 3, 2, 1])
            .ipv4([10, 0, 0, 1], [10, 0, 0, 2], 64)
            .tcp(src_port, dst_port, seq, 1024);
        let mut v = Vec::new();
        b.write(&mut v, payload).unwrap();
        v
    }

    fn udp_packet(src_port: u16, dst_port: u16, payload: &[u8]) -> Vec<u8> {
        let b = etherparse::PacketBuilder::ethernet2([1, 2, 3, 4, 5, 6], [6, 5, 4, 3, 2, 1])
            .ipv4([10, 0, 0, 1], [10, 0, 0, 2], 64)
            .udp(src_port, dst_port);
        let mut v = Vec::new();
        b.write(&mut v, payload).unwrap();
        v
    }

    /// A legacy little-endian pcap with Ethernet link type.
    fn pcap(packets: &[Vec<u8>]) -> Vec<u8> {
        let mut f = Vec::new();
        f.extend_from_slice(&0xa1b2_c3d4u32.to_le_bytes());
        f.extend_from_slice(&2u16.to_le_bytes());
        f.extend_from_slice(&4u16.to_le_bytes());
        f.extend_from_slice(&0i32.to_le_bytes());
        f.extend_from_slice(&0u32.to_le_bytes());
        f.extend_from_slice(&65535u32.to_le_bytes());
        f.extend_from_slice(&1u32.to_le_bytes());
        for (i, p) in packets.iter().enumerate() {
            f.extend_from_slice(&(i as u32).to_le_bytes());
            f.extend_from_slice(&0u32.to_le_bytes());
            f.extend_from_slice(&(p.len() as u32).to_le_bytes());
            f.extend_from_slice(&(p.len() as u32).to_le_bytes());
            f.extend_from_slice(p);
        }
        f
    }

    #[test]
    fn pcap_streams_per_direction_with_ports_and_reordering() {
        let file = pcap(&[
            tcp_packet(40000, 502, 100, b"req1"),
            tcp_packet(502, 40000, 900, b"resp"),
            tcp_packet(40000, 502, 108, b"req3"), // arrives before req2
            tcp_packet(40000, 502, 104, b"req2"),
            tcp_packet(40000, 8080, 5, b"other port"),
            udp_packet(502, 7000, b"datagram"),
        ]);
        assert_eq!(detect_format("x.bin", &file[..4]), Format::Pcap);
        let payloads = read_pcap(&file, &Port502).unwrap();
        let summary: Vec<String> = payloads
            .iter()
            .map(|p| match p {
                Payload::Tcp {
                    flow,
                    direction,
                    data,
                    gaps,
                } => {
                    format!(
                        "tcp {flow} {direction:?} {} gaps={gaps}",
                        String::from_utf8_lossy(data)
                    )
                }
                Payload::Udp {
                    flow,
                    direction,
                    data,
                } => {
                    format!("udp {flow} {direction:?} {}", String::from_utf8_lossy(data))
                }
            })
            .collect();
        assert_eq!(
            summary,
            [
                "udp 10.0.0.1:502->10.0.0.2:7000 Some(Response) datagram",
                "tcp 10.0.0.1:40000->10.0.0.2:502 Some(Request) req1req2req3 gaps=0",
                "tcp 10.0.0.1:502->10.0.0.2:40000 Some(Response) resp gaps=0",
            ]
        );
        assert!(read_pcap(b"not a capture at all", &Port502).is_err());
    }

    #[test]
    fn tcp_reassembly_orders_and_drops_retransmits() {
        let mut f = TcpFlow::default();
        f.add(1000, true, &[]);
        f.add(1001, false, b"abc");
        f.add(1007, false, b"ghi"); // out of order
        f.add(1001, false, b"abc"); // retransmit
        f.add(1004, false, b"def");
        assert_eq!(f.data, b"abcdefghi");
        f.add(1020, false, b"xyz"); // after a gap
        f.flush();
        assert_eq!(f.data, b"abcdefghixyz");
        assert_eq!(f.gaps, 10);
    }
}
