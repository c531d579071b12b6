// Fuzz body shared by fuzz/fuzz_targets/dlms_api.rs and tests/fuzz_replay_api.rs: the
// decode API the other DLMS targets leave alone (issue 18, corpus coverage): security
// control, invoke-id and conformance bits, the ciphered-APDU view, AARE and
// notification getters, HDLC parameters and control bits, M-Bus frames, A-XDR
// owned values, octets and bit strings, reading values of every data element,
// invocation-counter and replay guards, key rings, HLS GMAC verification, OBIS text.
// Never panics.
use meterwire_dlms_cosem::apdu::{
    AccessResult, Ciphered, Conformance, GetRequest, GetResponse, InvokeIdAndPriority,
    SecurityControl, SetResponse,
};
use meterwire_dlms_cosem::axdr::{Data, Value};
use meterwire_dlms_cosem::hdlc::{HdlcFrame, HdlcFramer, HdlcParameters, Reassembler};
use meterwire_dlms_cosem::mbus::MbusFrame;
use meterwire_dlms_cosem::readings;
use meterwire_dlms_cosem::security::{
    InvocationCounterGuard, Key, MapKeyRing, ReplayGuard, SecurityKeys, check_invocation_counter,
    hls_gmac_verify,
};
use meterwire_dlms_cosem::stack::DlmsFramer;
use meterwire_dlms_cosem::{Apdu, Obis};

pub fn run(data: &[u8]) {
    let Some((&sel, rest)) = data.split_first() else {
        return;
    };
    let sc = SecurityControl(sel);
    let _ = (
        sc.suite(),
        sc.is_authenticated(),
        sc.is_encrypted(),
        sc.is_broadcast(),
        sc.is_compressed(),
    );
    let _ = (
        sc.suite_id(),
        sc.authentication(),
        sc.encryption(),
        sc.broadcast_key(),
        sc.compression(),
    );
    let _ = sc.broadcast();
    let _ = AccessResult(sel).name();
    let _ = InvokeIdAndPriority::new(sel & 0x0F, sel & 0x40 != 0, sel & 0x80 != 0).invoke_id();
    let _ = DlmsFramer::hdlc().replay_guard().reassembly_capacity();
    let _ = (
        DlmsFramer::apdu().key_ring(),
        DlmsFramer::wrapper().reassembly_capacity(),
    );
    let mut reasm = Reassembler::new([0u8; 1024]);
    for ev in meterwire_core::Frames::new(HdlcFramer::new(), rest) {
        if let meterwire_core::Event::Frame { frame, .. } = ev {
            let _ = reasm.push(&frame);
            let _ = reasm.last_apdu().map(<[u8]>::len);
        }
    }
    reasm.reset();
    let ip = InvokeIdAndPriority(sel);
    let _ = (ip.invoke_id(), ip.confirmed(), ip.high_priority());
    let word = rest
        .iter()
        .take(4)
        .fold(0u32, |a, &b| a << 8 | u32::from(b));
    let conf = Conformance(word);
    for n in conf.names() {
        assert!(conf.has(n));
    }
    if let Ok(c) = Ciphered::parse(rest) {
        let _ = (c.ciphertext(), c.auth_tag(), c.security_header(), c.tag);
    }
    match Apdu::parse(rest) {
        Ok(Apdu::Aare(a)) => {
            let _ = (a.result_name(), a.result);
        }
        Ok(Apdu::DataNotification(n)) => {
            let _ = (n.date_time(), n.invoke.0);
        }
        Ok(Apdu::GeneralBlockTransfer(g)) => {
            let _ = (g.last_block(), g.streaming(), g.window());
        }
        Ok(Apdu::GetRequest(GetRequest::WithList { attributes, .. })) => {
            assert_eq!(attributes.iter().count(), attributes.len());
            let _ = (attributes.is_empty(), attributes.raw());
        }
        Ok(Apdu::GetResponse(GetResponse::WithList { results, .. })) => {
            assert_eq!(results.iter().count(), results.len());
            let _ = (results.is_empty(), results.raw());
        }
        Ok(Apdu::SetResponse(SetResponse::WithList { results, .. })) => {
            for r in results.iter() {
                let _ = r.name();
            }
            let _ = (results.len(), results.is_empty(), results.raw());
        }
        _ => {}
    }
    if let Ok(f) = HdlcFrame::parse(rest) {
        let _ = (f.control.pf(), f.control.name());
    }
    if let Ok(p) = HdlcParameters::parse(rest) {
        let _ = (p.max_info_rx, p.window_rx);
    }
    if let Ok(f) = MbusFrame::parse(rest) {
        let _ = f;
    }
    if let Ok((d, _)) = Data::parse_prefix(rest) {
        let _ = (
            d.as_octets(),
            readings::printable(d.as_octets().unwrap_or(&[])),
        );
        d.walk(&mut |e| {
            let _ = readings::value(e, sel as i8);
            if let Some(dt) = e.as_date_time() {
                let _ = readings::date_time(dt);
            }
        });
    }
    let _ = Value::parse(rest);
    let mut g = InvocationCounterGuard::resume(u32::from(sel));
    let _ = (
        g.last(),
        g.check(word),
        g.accept(word),
        g.accept(word),
        InvocationCounterGuard::new().last(),
    );
    let _ = check_invocation_counter(Some(u32::from(sel)), word);
    let mut rg = ReplayGuard::new();
    let st: [u8; 8] = core::array::from_fn(|i| rest.get(i).copied().unwrap_or(0));
    let _ = rg.check(&st, word);
    rg.accept(st, word);
    assert!(rg.check(&st, word).is_err());
    let _ = Key::from_slice(rest);
    if let Ok(keys) = SecurityKeys::from_slices(&[0x11; 16], Some(&[0x22; 16])) {
        let _ = hls_gmac_verify(&keys, st, rest.get(..16).unwrap_or(rest), rest);
        let mut ring = MapKeyRing::new();
        ring.insert(st, keys.clone());
        let ring = ring.with_default(keys);
        let _ = (ring.len(), ring.is_empty());
    }
    if let Ok(s) = core::str::from_utf8(rest) {
        let _ = s.parse::<Obis>();
    }
}
