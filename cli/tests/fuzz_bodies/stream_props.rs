// The two stream properties every framer must hold (issue 18), for one input:
// byte 0 picks the framer, bytes 1..=4 two cut points, the rest is the stream.
// Streaming equivalence: the stream fed in the pieces gives the same frames,
// errors and remainder as fed whole (for Modbus RTU on noise only accounting,
// see below). Byte accounting: every byte is in exactly
// one event, in order. The reader's maximum is small (512 bytes) so hostile
// length fields are exercised too. Shared by fuzz/fuzz_targets/stream_props.rs
// and the stable replay in cli/tests/stream_props.rs.

use meterwire_testkit::{check_byte_accounting, check_stream_properties};

/// How many framers `run` can pick.
pub const FRAMERS: u8 = 16;

/// Runs the properties for one fuzz input.
pub fn run(data: &[u8]) {
    let [sel, a0, a1, b0, b1, stream @ ..] = data else {
        return;
    };
    let cuts = [
        usize::from(u16::from_le_bytes([*a0, *a1])),
        usize::from(u16::from_le_bytes([*b0, *b1])),
    ];
    const MAX: usize = 512;
    use meterwire_ansi_c1222 as c12;
    use meterwire_dlms_cosem as dlms;
    use meterwire_dnp3_lite as dnp3;
    use meterwire_iec62056_21 as p1;
    use meterwire_modbus as modbus;
    use meterwire_scm_idm as scm;
    match sel % FRAMERS {
        0 => check_stream_properties(modbus::TcpFramer::new(), stream, &cuts, MAX),
        // RTU without timing: which CRC-valid frames it finds by chance in noise
        // depends on the resync window the buffer gives it, so only accounting
        // is promised (frames in clean streams split equivalently: the sample
        // streams test and modbus/tests/streaming.rs)
        1 => check_byte_accounting(modbus::RtuFramer::new(), stream, &cuts, MAX),
        2 => check_stream_properties(modbus::AsciiFramer::new(), stream, &cuts, MAX),
        3 => check_stream_properties(dnp3::LinkFramer::new(), stream, &cuts, MAX),
        4 => check_stream_properties(dnp3::stack::Dnp3Framer::new(), stream, &cuts, MAX),
        5 => check_stream_properties(dlms::stack::DlmsFramer::hdlc(), stream, &cuts, MAX),
        6 => check_stream_properties(dlms::stack::DlmsFramer::wrapper(), stream, &cuts, MAX),
        7 => check_stream_properties(dlms::stack::DlmsFramer::mbus(), stream, &cuts, MAX),
        8 => check_stream_properties(c12::c1218::PacketFramer::new(), stream, &cuts, MAX),
        9 => check_stream_properties(c12::stack::C1218Framer::new(), stream, &cuts, MAX),
        10 => check_stream_properties(c12::stack::C1222Framer::new(), stream, &cuts, MAX),
        11 => check_stream_properties(scm::ScmFramer::new().correct(), stream, &cuts, MAX),
        12 => check_stream_properties(scm::IdmFramer::new(), stream, &cuts, MAX),
        13 => check_stream_properties(scm::R900Framer::new().correct(), stream, &cuts, MAX),
        14 => check_stream_properties(p1::p1::P1Framer::new(), stream, &cuts, MAX),
        _ => check_stream_properties(p1::smarty::EncryptedFramer::new(), stream, &cuts, MAX),
    }
}
