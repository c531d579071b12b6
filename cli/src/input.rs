//! Inputs: hex arguments, files (raw streams, hex lines, pcap/pcapng) and stdin.

use std::collections::{BTreeMap, HashMap};
use std::io::Read;
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

/// What the capture reader reports, in capture order.
#[derive(Debug)]
pub enum PcapEvent<'a> {
    /// The first packet of a TCP or UDP flow (one direction of a connection).
    /// The callback answers whether the flow is wanted; unwanted flows are not
    /// reassembled and give no further events.
    NewFlow {
        /// Flow number, in order of first appearance.
        id: usize,
        /// `10.0.0.1:1234->10.0.0.2:502`.
        name: String,
        /// TCP (a byte stream) or UDP (datagrams).
        tcp: bool,
        /// Source port.
        src_port: u16,
        /// Destination port.
        dst_port: u16,
    },
    /// TCP: the next in-order stream bytes (after reordering and dropping
    /// retransmissions). UDP: one datagram. Answering `false` drops the flow (no
    /// further events, its reassembly state freed).
    Data {
        /// The flow.
        id: usize,
        /// The bytes.
        data: &'a [u8],
    },
    /// End of capture for a wanted flow, with the bytes the capture missed in it
    /// (the decoder resynchronises over such gaps).
    End {
        /// The flow.
        id: usize,
        /// Bytes missing from the stream.
        gaps: usize,
    },
}

/// Out-of-order TCP bytes kept per flow before the gap is declared lost.
const MAX_PENDING: usize = 1 << 20;

#[derive(Default)]
struct TcpFlow {
    next_seq: Option<u32>,
    pending: BTreeMap<u32, Vec<u8>>,
    pending_bytes: usize,
    gaps: usize,
}

impl TcpFlow {
    /// Adds a segment; calls `out` with every byte range that is now in order.
    fn add(&mut self, seq: u32, syn: bool, payload: &[u8], out: &mut dyn FnMut(&[u8])) {
        let seq = if syn { seq.wrapping_add(1) } else { seq };
        let next = *self.next_seq.get_or_insert(seq);
        if payload.is_empty() {
            return;
        }
        let offset = seq.wrapping_sub(next) as i32;
        if offset <= 0 {
            // in order, or a retransmission/overlap: keep only the new tail
            self.emit_from(seq, payload, out);
            self.drain_pending(out);
        } else {
            if let std::collections::btree_map::Entry::Vacant(e) = self.pending.entry(seq) {
                self.pending_bytes += payload.len();
                e.insert(payload.to_vec());
            }
            while self.pending_bytes > MAX_PENDING {
                self.skip_gap(out);
            }
        }
    }

    /// Emits the part of `data` (starting at sequence `seq`) after `next_seq`.
    fn emit_from(&mut self, seq: u32, data: &[u8], out: &mut dyn FnMut(&[u8])) {
        let next = self.next_seq.unwrap_or(seq);
        let skip = next.wrapping_sub(seq) as usize;
        if let Some(tail) = data.get(skip..) {
            if !tail.is_empty() {
                out(tail);
                self.next_seq = Some(next.wrapping_add(tail.len() as u32));
            }
        }
    }

    fn drain_pending(&mut self, out: &mut dyn FnMut(&[u8])) {
        while let Some(next) = self.next_seq {
            let ready = self
                .pending
                .keys()
                .copied()
                .find(|&s| (s.wrapping_sub(next) as i32) <= 0);
            let Some(s) = ready else { break };
            if let Some(p) = self.pending.remove(&s) {
                self.pending_bytes -= p.len();
                self.emit_from(s, &p, out);
            }
        }
    }

    /// Declares the bytes before the nearest pending segment lost and goes on there.
    fn skip_gap(&mut self, out: &mut dyn FnMut(&[u8])) {
        let Some(next) = self.next_seq else { return };
        let nearest = self
            .pending
            .keys()
            .copied()
            .min_by_key(|&s| s.wrapping_sub(next));
        if let Some(s) = nearest {
            self.gaps += s.wrapping_sub(next) as usize;
            self.next_seq = Some(s);
            self.drain_pending(out);
        }
    }

    /// End of capture: what is still pending follows its gaps.
    fn flush(&mut self, out: &mut dyn FnMut(&[u8])) {
        while !self.pending.is_empty() {
            self.skip_gap(out);
        }
    }
}

/// A flow's state: wanted TCP reassembly, wanted UDP, or ignored.
enum Flow {
    Tcp(usize, TcpFlow),
    Udp(usize),
    Ignored,
}

type FlowKey = (IpAddr, u16, IpAddr, u16, bool);

/// Reads a pcap/pcapng capture packet by packet from `reader` (bounded memory: the
/// reader's block buffer plus out-of-order TCP segments) and reports every TCP/UDP
/// flow's payload through `on`, in capture order.
pub fn read_pcap<R: std::io::Read>(
    mut reader: R,
    on: &mut dyn FnMut(PcapEvent<'_>) -> bool,
) -> Result<(), String> {
    use pcap_parser::{Linktype, PcapBlockOwned, PcapError};

    let mut capacity = 1 << 16;
    // pcap-parser recognises the format from its first read alone: hand it the
    // whole first block even when the input is a pipe that delivers a few bytes
    // at a time
    let head = first_block(&mut reader).map_err(|e| format!("read error: {e}"))?;
    let reader = std::io::Cursor::new(head).chain(reader);
    let mut reader = pcap_parser::create_reader(capacity, reader)
        .map_err(|e| format!("not a pcap/pcapng file: {e:?}"))?;
    let mut linktypes: Vec<Linktype> = Vec::new();
    let mut legacy_linktype = Linktype::ETHERNET;
    let mut flows: HashMap<FlowKey, Flow> = HashMap::new();
    let mut order: Vec<FlowKey> = Vec::new();
    let mut packet = Vec::new();
    loop {
        let lt = match reader.next() {
            Ok((offset, block)) => {
                packet.clear();
                let lt = match block {
                    PcapBlockOwned::LegacyHeader(h) => {
                        legacy_linktype = h.network;
                        None
                    }
                    PcapBlockOwned::Legacy(b) => {
                        packet.extend_from_slice(b.data);
                        Some(legacy_linktype)
                    }
                    PcapBlockOwned::NG(pcap_parser::Block::InterfaceDescription(idb)) => {
                        linktypes.push(idb.linktype);
                        None
                    }
                    PcapBlockOwned::NG(pcap_parser::Block::EnhancedPacket(epb)) => {
                        let caplen = (epb.caplen as usize).min(epb.data.len());
                        packet.extend_from_slice(epb.data.get(..caplen).unwrap_or(&[]));
                        Some(
                            linktypes
                                .get(epb.if_id as usize)
                                .copied()
                                .unwrap_or(Linktype::ETHERNET),
                        )
                    }
                    PcapBlockOwned::NG(pcap_parser::Block::SimplePacket(spb)) => {
                        packet.extend_from_slice(spb.data);
                        Some(linktypes.first().copied().unwrap_or(Linktype::ETHERNET))
                    }
                    PcapBlockOwned::NG(_) => None,
                };
                reader.consume(offset);
                lt
            }
            Err(PcapError::Eof) => break,
            Err(PcapError::UnexpectedEof) => {
                eprintln!("meterwire: capture ends inside a block (truncated file)");
                break;
            }
            Err(PcapError::Incomplete(_)) => {
                if reader.reader_exhausted() {
                    eprintln!("meterwire: capture ends inside a block (truncated file)");
                    break;
                }
                let before = reader.data().len();
                reader
                    .refill()
                    .map_err(|e| format!("pcap read error: {e:?}"))?;
                if reader.data().len() == before && !reader.reader_exhausted() {
                    // a block larger than the buffer
                    capacity *= 2;
                    if capacity > 1 << 26 || !reader.grow(capacity) {
                        return Err("pcap block larger than 64 MiB".into());
                    }
                }
                continue;
            }
            Err(e) => return Err(format!("pcap read error: {e:?}")),
        };
        if let Some(lt) = lt {
            handle_packet(lt, &packet, &mut flows, &mut order, on);
        }
    }
    for key in order {
        match flows.get_mut(&key) {
            Some(Flow::Tcp(id, f)) => {
                let id = *id;
                f.flush(&mut |data| {
                    on(PcapEvent::Data { id, data });
                });
                on(PcapEvent::End { id, gaps: f.gaps });
            }
            Some(Flow::Udp(id)) => {
                on(PcapEvent::End { id: *id, gaps: 0 });
            }
            _ => {}
        }
    }
    Ok(())
}

/// Reads the capture's first block: the 24-byte pcap header, or the pcapng section
/// header block (its length is in the block), or what there is before EOF.
fn first_block(r: &mut impl std::io::Read) -> std::io::Result<Vec<u8>> {
    let mut head = Vec::new();
    fill_to(r, &mut head, 12)?;
    let need = match head.get(..12) {
        Some([0x0a, 0x0d, 0x0d, 0x0a, l0, l1, l2, l3, bom @ ..]) => {
            let len = [*l0, *l1, *l2, *l3];
            let len = if bom == [0x4d, 0x3c, 0x2b, 0x1a] {
                u32::from_le_bytes(len)
            } else {
                u32::from_be_bytes(len)
            };
            (len as usize).min(1 << 20)
        }
        _ => 24,
    };
    fill_to(r, &mut head, need)?;
    Ok(head)
}

/// Reads into `buf` until it holds `n` bytes or the input ends.
fn fill_to(r: &mut impl std::io::Read, buf: &mut Vec<u8>, n: usize) -> std::io::Result<()> {
    let missing = n.saturating_sub(buf.len());
    r.take(missing as u64).read_to_end(buf).map(|_| ())
}

fn handle_packet(
    lt: pcap_parser::Linktype,
    data: &[u8],
    flows: &mut HashMap<FlowKey, Flow>,
    order: &mut Vec<FlowKey>,
    on: &mut dyn FnMut(PcapEvent<'_>) -> bool,
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
    let (sp, dp, tcp, payload) = match &p.transport {
        Some(TransportSlice::Tcp(t)) => (t.source_port(), t.destination_port(), true, t.payload()),
        Some(TransportSlice::Udp(u)) => (u.source_port(), u.destination_port(), false, u.payload()),
        _ => return,
    };
    let key = (src, sp, dst, dp, tcp);
    let flow = flows.entry(key).or_insert_with(|| {
        let id = order.len();
        order.push(key);
        let wanted = on(PcapEvent::NewFlow {
            id,
            name: format!("{src}:{sp}->{dst}:{dp}"),
            tcp,
            src_port: sp,
            dst_port: dp,
        });
        match (wanted, tcp) {
            (false, _) => Flow::Ignored,
            (true, true) => Flow::Tcp(id, TcpFlow::default()),
            (true, false) => Flow::Udp(id),
        }
    });
    let keep = match (&mut *flow, &p.transport) {
        (Flow::Tcp(id, f), Some(TransportSlice::Tcp(t))) => {
            let id = *id;
            let mut keep = true;
            f.add(t.sequence_number(), t.syn(), payload, &mut |data| {
                keep &= on(PcapEvent::Data { id, data });
            });
            keep
        }
        (Flow::Udp(id), _) if !payload.is_empty() => on(PcapEvent::Data {
            id: *id,
            data: payload,
        }),
        _ => true,
    };
    if !keep {
        // the callback gave up on the flow: free its reassembly state
        *flow = Flow::Ignored;
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

    use meterwire_testkit::pcap::{file as pcap, tcp as tcp_packet, udp as udp_packet};

    /// Runs the reader, wanting flows with port 502 or 20000, and describes the events.
    fn events(file: &[u8]) -> Result<Vec<String>, String> {
        let mut names = Vec::new();
        let mut out = Vec::new();
        read_pcap(file, &mut |ev| match ev {
            PcapEvent::NewFlow {
                id,
                name,
                tcp,
                src_port,
                dst_port,
            } => {
                assert_eq!(id, names.len());
                let wanted = [502, 20000]
                    .iter()
                    .any(|p| *p == src_port || *p == dst_port);
                out.push(format!(
                    "new {} {name}{}",
                    if tcp { "tcp" } else { "udp" },
                    if wanted { "" } else { " ignored" }
                ));
                names.push(name);
                wanted
            }
            PcapEvent::Data { id, data } => {
                out.push(format!("{} {}", names[id], String::from_utf8_lossy(data)));
                true
            }
            PcapEvent::End { id, gaps } => {
                out.push(format!("end {} gaps={gaps}", names[id]));
                true
            }
        })?;
        Ok(out)
    }

    #[test]
    fn pcap_streams_packet_by_packet_with_reordering() {
        let file = pcap(&[
            tcp_packet(40000, 502, 100, b"req1"),
            tcp_packet(502, 40000, 900, b"resp"),
            tcp_packet(40000, 502, 108, b"req3"), // arrives before req2
            tcp_packet(40000, 502, 104, b"req2"),
            tcp_packet(40000, 8080, 5, b"other port"),
            udp_packet(502, 7000, b"datagram"),
            tcp_packet(40000, 502, 130, b"after a gap"),
        ]);
        assert_eq!(detect_format("x.bin", &file[..4]), Format::Pcap);
        assert_eq!(
            events(&file).unwrap(),
            [
                "new tcp 10.0.0.1:40000->10.0.0.2:502",
                "10.0.0.1:40000->10.0.0.2:502 req1",
                "new tcp 10.0.0.1:502->10.0.0.2:40000",
                "10.0.0.1:502->10.0.0.2:40000 resp",
                "10.0.0.1:40000->10.0.0.2:502 req2",
                "10.0.0.1:40000->10.0.0.2:502 req3",
                "new tcp 10.0.0.1:40000->10.0.0.2:8080 ignored",
                "new udp 10.0.0.1:502->10.0.0.2:7000",
                "10.0.0.1:502->10.0.0.2:7000 datagram",
                "10.0.0.1:40000->10.0.0.2:502 after a gap",
                "end 10.0.0.1:40000->10.0.0.2:502 gaps=18",
                "end 10.0.0.1:502->10.0.0.2:40000 gaps=0",
                "end 10.0.0.1:502->10.0.0.2:7000 gaps=0",
            ]
        );
        assert!(events(b"not a capture at all").is_err());
        // a capture cut inside a packet ends without looping
        let cut = &file[..file.len() - 5];
        assert_eq!(events(cut).unwrap().len(), 12);
    }

    /// A reader that returns one byte per call, like a slow pipe.
    struct Trickle<'a>(&'a [u8]);
    impl std::io::Read for Trickle<'_> {
        fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
            match (self.0.split_first(), buf.first_mut()) {
                (Some((b, rest)), Some(out)) => {
                    *out = *b;
                    self.0 = rest;
                    Ok(1)
                }
                _ => Ok(0),
            }
        }
    }

    #[test]
    fn pcap_from_a_pipe_that_trickles_bytes() {
        let file = pcap(&[
            tcp_packet(40000, 502, 100, b"req1"),
            udp_packet(502, 7000, b"datagram"),
        ]);
        let whole = events(&file).unwrap();
        let mut out = Vec::new();
        read_pcap(Trickle(&file), &mut |ev| {
            out.push(format!("{ev:?}"));
            true
        })
        .unwrap();
        assert_eq!(out.len(), whole.len());
        assert_eq!(out.len(), 6, "{out:?}");
        // a pcapng section header block (length 28) also arrives whole
        let mut ng = vec![0x0a, 0x0d, 0x0d, 0x0a, 28, 0, 0, 0, 0x4d, 0x3c, 0x2b, 0x1a];
        ng.extend_from_slice(&[1, 0, 0, 0]);
        ng.extend_from_slice(&[0xff; 8]);
        ng.extend_from_slice(&[28, 0, 0, 0]);
        assert_eq!(first_block(&mut Trickle(&ng)).unwrap(), ng);
        assert!(read_pcap(Trickle(&ng), &mut |_| true).is_ok());
    }

    #[test]
    fn a_flow_refused_on_data_gets_no_more_events() {
        let file = pcap(&[
            tcp_packet(40000, 8080, 1, b"GET /"),
            tcp_packet(40000, 8080, 6, b" HTTP/1.1"),
            tcp_packet(40000, 502, 1, b"ok"),
        ]);
        let mut seen = Vec::new();
        read_pcap(&file[..], &mut |ev| match ev {
            PcapEvent::NewFlow { name, .. } => {
                seen.push(name);
                true
            }
            PcapEvent::Data { id, data } => {
                seen.push(format!("{id} {}", String::from_utf8_lossy(data)));
                id != 0 // flow 0 is given up at its first bytes
            }
            PcapEvent::End { id, .. } => {
                seen.push(format!("end {id}"));
                true
            }
        })
        .unwrap();
        assert_eq!(
            seen,
            [
                "10.0.0.1:40000->10.0.0.2:8080",
                "0 GET /",
                "10.0.0.1:40000->10.0.0.2:502",
                "1 ok",
                "end 1"
            ]
        );
    }

    #[test]
    fn tcp_reassembly_orders_and_drops_retransmits() {
        let mut f = TcpFlow::default();
        let mut data = Vec::new();
        let mut out = |d: &[u8]| data.extend_from_slice(d);
        f.add(1000, true, &[], &mut out);
        f.add(1001, false, b"abc", &mut out);
        f.add(1007, false, b"ghi", &mut out); // out of order
        f.add(1001, false, b"abc", &mut out); // retransmit
        f.add(1004, false, b"def", &mut out);
        f.add(1005, false, b"efgh", &mut out); // overlap: no new bytes
        f.add(1020, false, b"xyz", &mut out); // after a gap: pending
        f.flush(&mut out);
        assert_eq!(data, b"abcdefghixyz");
        assert_eq!(f.gaps, 10);
    }

    #[test]
    fn tcp_pending_segments_are_bounded() {
        let mut f = TcpFlow::default();
        let mut total = 0usize;
        let mut out = |d: &[u8]| total += d.len();
        f.add(0, false, b"a", &mut out);
        // the segment at 1 never arrives; 3 MiB arrive after it
        let seg = vec![7u8; 64 * 1024];
        for i in 0..48u32 {
            f.add(2 + i * seg.len() as u32, false, &seg, &mut out);
            assert!(f.pending_bytes <= MAX_PENDING);
        }
        f.flush(&mut out);
        assert_eq!(total, 1 + 48 * seg.len());
        assert_eq!(f.gaps, 1);
    }
}
