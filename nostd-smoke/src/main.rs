//! A no_std binary without an allocator that calls every decoder and encoder,
//! so the linker (not a comment) proves they need neither std nor alloc.
//! Build: `cargo build --release --target thumbv7em-none-eabihf` in this folder.
#![no_std]
#![no_main]
#![deny(unsafe_code)]

use core::hint::black_box;

/// Core: cursor and writer.
fn core_smoke(input: &[u8], out: &mut [u8]) -> usize {
    let mut c = meterwire_core::Cursor::new(input);
    let v = c.read_u32_be().unwrap_or(0);
    let mut w = meterwire_core::Writer::new(out);
    let _ = w.write_u32_le(v);
    w.position()
}

/// DLMS/COSEM security: encrypt, decrypt in place and into a buffer, HLS-GMAC.
fn dlms_security_smoke(input: &[u8], out: &mut [u8]) -> usize {
    use meterwire_dlms_cosem::security::{
        self, Envelope, Key, Protection, SecurityControl, SecurityKeys,
    };
    let keys = SecurityKeys::new(Key::Aes128([1; 16])).with_authentication(Key::Aes128([2; 16]));
    let st = [0x4D, 0x4D, 0x4D, 0, 0, 0xBC, 0x61, 0x4E];
    let p = Protection::new(Envelope::GeneralGlo, SecurityControl(0x30), 1, st);
    let n = security::encrypt_apdu(input.get(..64).unwrap_or(input), &p, &keys, out).unwrap_or(0);
    let mut plain = [0u8; 128];
    let m = security::decrypt_apdu(out.get(..n).unwrap_or(&[]), &keys, None, &mut plain)
        .map_or(0, |p| p.len());
    let k = security::decrypt_apdu_in_place(out, &keys, Some(st)).map_or(0, |(_, r)| r.len());
    let h = security::hls_gmac_response(&keys, 0, st, 1, input.get(..16).unwrap_or(input))
        .map_or(0, |r| usize::from(r[0]));
    // key ring without allocation: prepared ciphers, looked up by system title
    let mut ring: security::FixedKeyRing<2> = security::FixedKeyRing::new();
    let _ = ring.insert(st, &keys);
    let r = match (
        security::CipheredApdu::parse(input),
        security::KeyRing::keys(&ring, &st),
    ) {
        (Ok(c), Some(k)) => {
            security::decrypt_prepared(&c, k, Some(st), &mut plain, security::TagCheck::Skip)
                .map_or(0, |(p, _, _)| p.len())
        }
        _ => 0,
    };
    n.wrapping_add(m)
        .wrapping_add(k)
        .wrapping_add(h)
        .wrapping_add(r)
}

/// Modbus: TCP, RTU and ASCII framers and PDU views, encoders, lazy register iterator.
fn modbus_smoke(input: &[u8], out: &mut [u8]) -> usize {
    use meterwire_core::{Decoded, Encode, Framer};
    use meterwire_modbus::{
        AsciiFrame, AsciiFramer, Pdu, Request, Response, RtuFrame, RtuFramer, TcpFrame, TcpFramer,
    };
    let mut n = 0usize;
    if let Ok(Decoded::Frame { frame, .. }) = TcpFramer::new().decode(input) {
        if let Pdu::Response(Response::ReadHoldingRegisters { registers, .. }) = &frame.pdu {
            n = registers
                .iter()
                .fold(n, |acc, r| acc.wrapping_add(usize::from(r)));
        }
        n = n.wrapping_add(frame.encode(out).unwrap_or(0));
    }
    let mut rtu = RtuFramer::new();
    if let Ok(Decoded::Frame { frame, consumed }) = rtu.decode(input) {
        n = n
            .wrapping_add(consumed)
            .wrapping_add(frame.encode(out).unwrap_or(0));
    } else {
        n = n.wrapping_add(rtu.resync(input));
    }
    if let Ok(Decoded::Frame { frame, .. }) = AsciiFramer::new().decode(input) {
        if let Ok(f) = frame.frame() {
            n = n.wrapping_add(f.encode(out).unwrap_or(0));
        }
    }
    // one-shot parsers in strict mode, lazy diagnostics of lenient frames
    if let Ok(f) = TcpFramer::new().strict().parse(input) {
        n = n.wrapping_add(usize::from(f.unit_id));
    }
    if let Ok(f) = RtuFramer::new().strict().parse(input) {
        n = n.wrapping_add(usize::from(f.address));
    }
    if let Ok(f) = AsciiFramer::new().strict().parse(input) {
        n = n.wrapping_add(usize::from(f.address()));
    }
    if let Ok(f) = TcpFrame::parse(input, None) {
        n = f
            .diagnostics()
            .fold(n, |acc, d| acc.wrapping_add(d.value.unwrap_or(0) as usize));
    }
    if let Ok((p, used)) = Pdu::parse_prefix(input, None) {
        n = n.wrapping_add(used).wrapping_add(p.diagnostics().count());
    }
    let regs = [1u16, 2, 3];
    let req = Pdu::Request(Request::write_multiple_registers(0x10, &regs));
    n = n.wrapping_add(TcpFrame::new(1, 1, req.clone()).encode(out).unwrap_or(0));
    n = n.wrapping_add(RtuFrame::new(1, req.clone()).encode(out).unwrap_or(0));
    n.wrapping_add(AsciiFrame::new(1, req).encode(out).unwrap_or(0))
}

/// ANSI C12: C12.18 packet framer, PSEM, C12.22 APDU, EAX' and C12.19 ST0, no alloc.
fn c12_smoke(input: &[u8], out: &mut [u8]) -> usize {
    use meterwire_ansi_c1222::{c1218, c1219, c1222, psem};
    use meterwire_core::{Decoded, Encode, Framer};
    let mut total = 0usize;
    if let Ok(Decoded::Frame {
        frame: c1218::LinkFrame::Packet(p),
        ..
    }) = c1218::PacketFramer::new().decode(input)
    {
        if let Ok(r) = psem::Request::parse(p.data(), psem::Variant::C1218) {
            total = total.wrapping_add(r.encode(out).unwrap_or(0));
        }
        total = total.wrapping_add(p.diagnostics().count());
        if let Ok(m) = psem::Parser::new(psem::Variant::C1218)
            .strict()
            .parse(p.data())
        {
            total = total
                .wrapping_add(m.trailing.len())
                .wrapping_add(m.diagnostics().count());
        }
    }
    if let Ok(Decoded::Frame { .. }) = c1218::PacketFramer::new().strict().decode(input) {
        total = total.wrapping_add(1);
    }
    let read = psem::Request::FullRead {
        table: c1219::TableId(1),
    };
    let mut msg = [0u8; 8];
    let n = read.encode(&mut msg).unwrap_or(0);
    let pkt = c1218::PacketRepr::single(msg.get(..n).unwrap_or(&[]));
    total = total.wrapping_add(pkt.encode(out).unwrap_or(0));
    if let Ok(a) = c1222::Apdu::parser().strict().parse(input) {
        total = total.wrapping_add(a.diagnostics().count());
    }
    if let Ok(Decoded::Frame { consumed, .. }) = c1222::ApduFramer::new()
        .strict()
        .max_apdu_len(1024)
        .decode(input)
    {
        total = total.wrapping_add(consumed);
    }
    if let Ok(a) = c1222::Apdu::parse(input) {
        if let Ok(s) = a.epsem().services() {
            total = total.wrapping_add(s.count());
        }
        let mut plain = [0u8; 256];
        if let Ok(p) = a.decrypt_into(&[(0u8, [0u8; 16])], &[], &mut plain) {
            total = total.wrapping_add(p.len());
        }
    }
    let repr = c1222::ApduRepr {
        calling_ap_invocation_id: Some(1),
        auth_value: Some(c1222::AuthValue {
            key_id: 0,
            iv: &[1, 2, 3, 4],
        }),
        epsem: c1222::EpsemRepr {
            control: 0x88,
            ed_class: None,
            services: &[3, 0x30, 0, 1],
            mac: None,
        },
        ..c1222::ApduRepr::default()
    };
    total = total.wrapping_add(repr.encode_secured(&[7u8; 16], &[], out).unwrap_or(0));
    // the prepared-key paths (a key ring holds one EaxPrime per key)
    let eax = meterwire_ansi_c1222::eax::EaxPrime::new(&[7u8; 16]);
    total = total.wrapping_add(repr.encode_secured_with(&eax, &[], out).unwrap_or(0));
    if let Ok(a) = c1222::Apdu::parse(input) {
        let mut plain = [0u8; 256];
        if let Ok(p) = a.decrypt_with(&eax, &[], &mut plain) {
            total = total.wrapping_add(p.len());
        }
    }
    if let Ok(st0) = c1219::St0::parse(input) {
        total = total.wrapping_add(st0.std_tbls_used().count());
    }
    total
}

/// DNP3: link frame (CRC blocks) -> reassembly into a stack buffer -> objects, with
/// diagnostics and the strict parsers; and the encoders (integrity poll into link frames).
fn dnp3_smoke(input: &[u8], out: &mut [u8]) -> usize {
    use meterwire_dnp3_lite::{Fragment, LinkFrame, LinkFramer, LinkHeader, Reassembler, build};
    let mut n = 0usize;
    if let Ok(link) = LinkFrame::parse(input) {
        n = n.wrapping_add(link.diagnostics().count());
        n = n.wrapping_add(usize::from(LinkFramer::new().strict().parse(input).is_ok()));
        let mut r = Reassembler::new([0u8; 256]);
        if r.push_frame(&link).is_ok() {
            if let Ok(f) = Fragment::parse(r.fragment()) {
                n = n.wrapping_add(f.diagnostics().count());
                for b in f.objects().flatten() {
                    n = n.wrapping_add(b.points().count());
                    if let Some(p) = b.points().next() {
                        n = n.wrapping_add(usize::from(p.value.typed().is_some()));
                    }
                }
            }
            let strict = Fragment::parser().strict().parse(r.fragment());
            n = n.wrapping_add(usize::from(strict.is_ok()));
        }
    }
    let mut app = [0u8; 32];
    if let Ok(len) = build::integrity_poll(1, &mut app) {
        let hdr = LinkHeader::from_master(10, 1);
        if let Ok(m) = build::encode_frames(hdr, app.get(..len).unwrap_or(&[]), 0, 249, out) {
            n = n.wrapping_add(m);
        }
    }
    n
}

/// ERT SCM/SCM+/IDM/NetIDM and R900: checked views, BCH and Reed-Solomon correction,
/// the bit-stream scanner, and every encoder, with no allocator.
fn scm_idm_smoke(input: &[u8], out: &mut [u8]) -> usize {
    use meterwire_core::Encode;
    use meterwire_scm_idm::{
        BitScan, Idm, IdmRepr, Kinds, NetIdm, NetIdmRepr, R900, R900Repr, ScanEvent, Scm, ScmPlus,
        ScmPlusRepr, ScmRepr, r900, scm,
    };
    let mut n = 0usize;
    if let Ok(p) = Scm::new_checked(input) {
        n = n.wrapping_add(p.id() as usize);
        let _ = ScmRepr::parse(&p).encode(out);
    }
    if let Ok(p) = ScmPlus::new_checked(input) {
        let _ = ScmPlusRepr::parse(&p).encode(out);
    }
    if let Ok(p) = Idm::new_checked(input) {
        n = n.wrapping_add(p.intervals().map(usize::from).sum::<usize>());
        let _ = IdmRepr::parse(&p).encode(out);
    }
    if let Ok(p) = NetIdm::new_checked(input) {
        let _ = NetIdmRepr::parse(&p).encode(out);
    }
    if let Ok(p) = R900::new_checked(input) {
        let _ = R900Repr::parse(&p).encode(out);
    }
    let mut pkt = [0u8; 14];
    if let Some(src) = input.get(..14) {
        pkt.copy_from_slice(src);
    }
    n = n.wrapping_add(usize::from(scm::correct(&mut pkt).unwrap_or(0)));
    n = n.wrapping_add(usize::from(r900::correct(&mut pkt).unwrap_or(0)));
    for ev in BitScan::new(input, input.len().wrapping_mul(8), Kinds::ERT).correct() {
        if let ScanEvent::Packet(f) = ev {
            n = n.wrapping_add(f.bit_offset);
            n = n.wrapping_add(f.diagnostics().count());
        }
    }
    for ev in BitScan::new(input, input.len().wrapping_mul(8), Kinds::R900)
        .correct()
        .strict()
    {
        if let ScanEvent::Packet(f) = ev {
            n = n.wrapping_add(usize::from(f.erasures));
        }
    }
    if let Ok((mut sym, erased)) =
        meterwire_scm_idm::bitstream::r900_chips_to_symbols_erasures(input, 0)
    {
        if let Ok(fix) = r900::correct_symbols(&mut sym, erased) {
            n = n.wrapping_add(usize::from(fix.total()));
        }
    }
    if let Ok(len) = ScmRepr::default().encode(out) {
        n = n.wrapping_add(len);
    }
    n
}

/// DLMS/COSEM codec: HDLC framer, reassembly over a fixed buffer, wrapper, APDU parse,
/// A-XDR walk, and the HDLC/APDU encoders.
fn dlms_smoke(input: &[u8], out: &mut [u8]) -> usize {
    use meterwire_core::{Decoded, Encode, Framer};
    use meterwire_dlms_cosem::apdu::Apdu;
    use meterwire_dlms_cosem::hdlc::{Address, Control, HdlcFramer, HdlcRepr, Reassembler};
    use meterwire_dlms_cosem::wrapper::{WrapperFrame, WrapperFramer};
    let mut n = 0usize;
    let mut reasm = Reassembler::new([0u8; 256]);
    if let Ok(Decoded::Frame { frame, .. }) = HdlcFramer::new().decode(input) {
        if let Ok(Some(apdu)) = reasm.push(&frame) {
            n = n.wrapping_add(apdu.len());
        }
    }
    if let Ok(Decoded::Frame { frame, .. }) = WrapperFramer::new().decode(input) {
        n = n.wrapping_add(frame.apdu.len());
    }
    if let Ok(a) = Apdu::parse(input) {
        if let Apdu::DataNotification(d) = a {
            n = n.wrapping_add(d.data.walk(&mut |_| {}));
            n = n.wrapping_add(axdr_visit_sum(&d.data));
        }
        n = n.wrapping_add(a.encode(out).unwrap_or(0));
    }
    n = n.wrapping_add(axdr_parse_visit_sum(input));
    let repr = HdlcRepr {
        segmented: false,
        destination: Address::two(1, 17),
        source: Address::one(0x10),
        control: Control::I {
            ns: 0,
            nr: 0,
            pf: true,
        },
        info: input.get(..32).unwrap_or(input),
    };
    n = n.wrapping_add(repr.encode(out).unwrap_or(0));
    n.wrapping_add(
        WrapperFrame::new(0x10, 1, input.get(..16).unwrap_or(input))
            .encode(out)
            .unwrap_or(0),
    )
}

/// An A-XDR visitor: sums every number and string length.
struct Sum(u64);

impl<'a> meterwire_dlms_cosem::axdr::Visit<'a> for Sum {
    fn unsigned(&mut self, _tag: u8, v: u64) {
        self.0 = self.0.wrapping_add(v);
    }
    fn signed(&mut self, _tag: u8, v: i64) {
        self.0 = self.0.wrapping_add(v as u64);
    }
    fn bytes(&mut self, _tag: u8, b: &'a [u8]) {
        self.0 = self.0.wrapping_add(b.len() as u64);
    }
}

/// The one-pass A-XDR visitor over validated data.
fn axdr_visit_sum(d: &meterwire_dlms_cosem::axdr::Data<'_>) -> usize {
    let mut s = Sum(0);
    d.visit(&mut s);
    s.0 as usize
}

/// The one-pass push decode (header, then the body validated as it is visited), and
/// the same for a bare A-XDR value.
fn axdr_parse_visit_sum(input: &[u8]) -> usize {
    use meterwire_dlms_cosem::apdu::DataNotification;
    use meterwire_dlms_cosem::axdr::Data;
    let mut s = Sum(0);
    let _ = DataNotification::parse_visit(input, &mut s);
    let _ = Data::parse_visit_prefix(input, &mut s);
    s.0 as usize
}

/// DLMS/COSEM readings: a push's readings through every mapping, without an allocator.
fn dlms_readings_smoke(input: &[u8]) -> usize {
    use meterwire_dlms_cosem::readings::{Push, layout};
    let mut n = 0usize;
    if let Ok(p) = Push::parse(input) {
        n = n.wrapping_add(p.for_each(|r| {
            black_box(r);
        }));
        n = n.wrapping_add(p.diagnostics().len());
        let p = p.with_layout(&layout::KAIFA_KFM_001);
        n = n.wrapping_add(p.for_each(|r| {
            black_box(r);
        }));
        if let Some(t) = p.time() {
            n = n.wrapping_add(usize::from(t.second.unwrap_or(0)));
        }
    }
    n
}

/// IEC 62056-21 / DSMR P1: telegram view, readings into a text buffer, the P1 and
/// encrypted framers, Smarty decryption into a buffer, IEC messages and their encoders.
fn iec62056_21_smoke(input: &[u8], out: &mut [u8]) -> usize {
    use meterwire_core::{Decoded, Encode, Framer};
    use meterwire_iec62056_21::iec::{CommandKind, Message, Session};
    use meterwire_iec62056_21::p1::{P1Framer, Telegram};
    use meterwire_iec62056_21::smarty::{EncryptedFramer, EncryptedTelegram, Keys};
    let mut n = 0usize;
    let mut text = [0u8; 128];
    if let Ok(t) = Telegram::parse(input) {
        for r in t.readings(&mut text) {
            n = n.wrapping_add(usize::from(r.obis.c()));
        }
        n = n.wrapping_add(t.diagnostics().count());
    }
    if let Ok(Decoded::Frame { consumed, .. }) = P1Framer::new().strict().decode(input) {
        n = n.wrapping_add(consumed);
    }
    if let Ok(Decoded::Frame { frame, .. }) = EncryptedFramer::new().decode(input) {
        n = n.wrapping_add(frame.ciphertext().len());
    }
    if let Ok(e) = EncryptedTelegram::parse(input) {
        if let Ok(t) = e.telegram(&Keys::new([0xAA; 16]), out) {
            n = n.wrapping_add(t.lines().count());
        }
    }
    let mut s = Session::new();
    if let Ok(Decoded::Frame { frame, .. }) = s.decode(input) {
        n = n.wrapping_add(frame.encode(out).unwrap_or(0));
    }
    let cmd = Message::Command {
        kind: CommandKind::Read,
        digit: b'1',
        data: Some("1.8.0()"),
    };
    n = n.wrapping_add(cmd.encode(out).unwrap_or(0));
    let mut tele = [0u8; 96];
    let mut len = 0usize;
    if let Ok(mut w) = meterwire_iec62056_21::p1::TelegramWriter::new(&mut tele, "XMX5LGBBFG") {
        if w.line("1-0:1.8.1", &["000001.000*kWh"]).is_ok() {
            len = w.finish().unwrap_or(0);
        }
    }
    let plain = tele.get(..len).unwrap_or(&[]);
    let keys = Keys::new([0x11; 16]);
    n.wrapping_add(
        meterwire_iec62056_21::smarty::encrypt_into(&keys, *b"SAG12345", 1, plain, out)
            .unwrap_or(0),
    )
}

// Protocol crates add a `fn <proto>_smoke(input: &[u8], out: &mut [u8]) -> usize`
// here and call it from `_start` below.

/// The entry point: runs every smoke function on opaque input.
// The one unsafe attribute: an unmangled entry symbol the linker keeps.
#[allow(unsafe_code)]
#[unsafe(no_mangle)]
pub extern "C" fn _start() -> ! {
    let input = black_box([0u8; 300]);
    let mut out = [0u8; 300];
    let mut total = 0usize;
    total = total.wrapping_add(core_smoke(&input, &mut out));
    total = total.wrapping_add(c12_smoke(&input, &mut out));
    total = total.wrapping_add(dlms_security_smoke(&input, &mut out));
    total = total.wrapping_add(dlms_smoke(&input, &mut out));
    total = total.wrapping_add(dlms_readings_smoke(&input));
    total = total.wrapping_add(modbus_smoke(&input, &mut out));
    total = total.wrapping_add(dnp3_smoke(&input, &mut out));
    total = total.wrapping_add(scm_idm_smoke(&input, &mut out));
    total = total.wrapping_add(iec62056_21_smoke(&input, &mut out));
    black_box(total);
    black_box(out);
    loop {}
}

#[panic_handler]
fn panic(_: &core::panic::PanicInfo<'_>) -> ! {
    loop {}
}
