//! DNP3: decode a captured poll and response (link CRCs, transport reassembly into a
//! stack buffer, objects), then encode a direct-operate CROB and an integrity poll.
//!
//! Frames: zeek/zeek testing/btest/Traces/dnp3/dnp3_read.pcap, frames 4 and 6.
//! Run: `cargo run -p meterwire-examples --example dnp3_decode`
use meterwire_core::{Decoded, Framer};
use meterwire_dnp3_lite::objects::Crob;
use meterwire_dnp3_lite::transport::Progress;
use meterwire_dnp3_lite::{Fragment, LinkFramer, LinkHeader, Reassembler, build};

const STREAM: &str = "056414c4020003004503c7c8013c02063c03063c04063c010642ac\
05647444030002006854f4c88100000102000008810181010101d3740101010a02000006000000000000011e6ca40100000e01ef030000010300000001ed2178030000012bd1ffff01ed03000001e62e41c9000001170d0200000000000001b50c02c650000000000000018a0d020000000000000693000000000000000000000000000000ffff";

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let bytes = from_hex(STREAM);
    let mut framer = LinkFramer::new();
    let mut reassembler = Reassembler::new([0u8; 2048]); // no allocation
    let mut rest = &bytes[..];
    while !rest.is_empty() {
        let Decoded::Frame { frame, consumed } = framer.decode(rest)? else {
            break;
        };
        println!(
            "link: {} -> {} {} ({} user bytes in {} CRC blocks)",
            frame.source(),
            frame.destination(),
            frame.function_name(),
            frame.user_data_len(),
            frame.blocks().count()
        );
        if let Progress::Complete { len } = reassembler.push_frame(&frame)? {
            let f = Fragment::parse(reassembler.fragment())?;
            println!(
                "  application: {} seq {} ({len} bytes)",
                f.function_name(),
                f.control().seq
            );
            if let Some(iin) = f.iin() {
                println!("  iin: {:?}", iin.set_bits().collect::<Vec<_>>());
            }
            for block in f.objects() {
                let block = block?;
                let h = block.header;
                println!(
                    "  g{}v{} qualifier {:#04x} {:?}",
                    h.group,
                    h.variation,
                    h.qualifier(),
                    h.range
                );
                for p in block.points().take(4) {
                    println!("    [{}] {:?} flags {:?}", p.index, p.value, p.flags);
                }
            }
        }
        rest = &rest[consumed..];
    }

    // encode: direct operate (latch on, index 3) and an integrity poll, each in a link frame
    let mut app = [0u8; 64];
    let mut wire = [0u8; 292];
    let crob = Crob {
        code: 0x03,
        count: 1,
        on_time: 0,
        off_time: 0,
        status: 0,
    };
    // one fragment in link frames (transport sequence `seq`, 249-byte segments)
    let mut frames = |fragment: &[u8], seq: u8| {
        let header = LinkHeader::from_master(10, 1);
        build::encode_frames(header, fragment, seq, 249, &mut wire).map(|m| to_hex(&wire[..m]))
    };
    let n = build::direct_operate_crob(1, 3, crob, &mut app)?;
    println!("direct operate: {}", frames(&app[..n], 0)?);
    let n = build::integrity_poll(2, &mut app)?;
    println!("integrity poll: {}", frames(&app[..n], 1)?);
    Ok(())
}

fn from_hex(s: &str) -> Vec<u8> {
    (0..s.len() / 2)
        .filter_map(|i| u8::from_str_radix(s.get(2 * i..2 * i + 2)?, 16).ok())
        .collect()
}

fn to_hex(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}
