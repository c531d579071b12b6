// Fuzz body shared by fuzz/fuzz_targets/c12_api.rs and tests/fuzz_replay.rs: the
// decode API the other C12 targets leave alone (issue 18, corpus coverage): PSEM
// responses read as every service's answer, response codes, table data checksums,
// ST0's getters, packet headers, EPSEM getters, BER OIDs and AP titles, EAX' with a
// fixed key (decrypt/verify of the input, and encrypt -> decrypt of it), the toggle
// state, packetizing. Never panics.
use meterwire_ansi_c1222::c1218::{Packet, ToggleState, packetize};
use meterwire_ansi_c1222::c1219::{St0, TableContext, TableId};
use meterwire_ansi_c1222::c1222::{ApTitle, Epsem};
use meterwire_ansi_c1222::eax::EaxPrime;
use meterwire_ansi_c1222::psem::{Response, ResponseCode, TableData};
use meterwire_ansi_c1222::{ber, psem};
use meterwire_core::Classify;

pub fn run(data: &[u8]) {
    let Some((&sel, rest)) = data.split_first() else {
        return;
    };
    let code = ResponseCode::from_u8(sel);
    let _ = (code.as_u8(), code.abbreviation(), code.description());
    let r = Response::new(code, rest);
    let _ = (
        r.code(),
        r.response_code(),
        r.body(),
        r.ok(),
        r.has_read_shape(),
        r.guess_read_data(),
    );
    if let Ok(t) = r.read_data() {
        let _ = (t.checksum_ok(), t.verify());
    }
    let _ = (
        r.ident().map(|i| i.features().count()),
        r.negotiate(),
        r.register(),
        r.resolve(),
        r.logon(),
    );
    let _ = r.trace_titles().map(|t| t.count());
    let t = TableData::new(rest);
    assert!(t.checksum_ok());
    let _ = (
        TableId::standard(u16::from(sel)).number(),
        TableId::manufacturer(u16::from(sel)).number(),
    );
    if let Ok(s) = St0::parse(rest) {
        // the one-byte fields of the fixed part, then the rest
        let bytes = [
            St0::format_control_1,
            St0::format_control_2,
            St0::format_control_3,
            St0::char_format,
            St0::tm_format,
            St0::data_access_method,
            St0::int_format,
            St0::ni_format1,
            St0::ni_format2,
            St0::nameplate_type,
            St0::default_set_used,
            St0::max_proc_parm_length,
            St0::max_resp_data_len,
            St0::std_version_no,
            St0::std_revision_no,
            St0::dim_std_tbls_used,
            St0::dim_mfg_tbls_used,
            St0::dim_std_proc_used,
            St0::dim_mfg_proc_used,
            St0::dim_mfg_status_used,
            St0::nbr_pending,
        ];
        let _ = bytes.map(|get| get(&s));
        let _ = (s.byte_order(), s.id_form_bcd(), s.device_class());
        let _ = [
            s.std_tbls_used().count(),
            s.mfg_tbls_used().count(),
            s.std_proc_used().count(),
            s.mfg_proc_used().count(),
            s.std_tbls_write().count(),
            s.mfg_tbls_write().count(),
        ];
        let _: TableContext = s.context();
    }
    if let Ok((p, _)) = Packet::parse_prefix(rest) {
        let _ = [p.identity(), p.control(), p.data_format(), p.seq()];
        let _ = [p.multi_packet(), p.first_packet(), p.toggle()];
        let _ = [p.length(), p.crc()];
        let _ = (p.diagnostics().count(), p.as_bytes().len());
        let mut ts = ToggleState::new();
        let _ = ts.accept(&p);
        let _ = (ts.accept(&p), ts.next_to_send());
    }
    for (i, p) in packetize(rest, usize::from(sel % 64) + 1)
        .first_toggle(sel & 1 != 0)
        .enumerate()
    {
        assert!(i <= rest.len());
        let _ = p;
    }
    if let Ok(e) = Epsem::new_checked(rest) {
        let _ = [e.control(), e.security_mode().bits(), e.response_control()];
        let _ = [
            e.recovery_session(),
            e.proxy_service_used(),
            e.ed_class_included(),
        ];
        let _ = (e.as_bytes(), e.payload(), e.mac(), e.ed_class(), e.diagnostics());
        if let Ok(s) = e.services() {
            let _ = s.parsed().count();
        }
    }
    let _ = (
        ber::Oid::absolute(rest).map(|o| o.is_relative()),
        ber::Oid::relative(rest).map(|o| o.content()),
    );
    if let Ok(t) = ApTitle::parse(rest) {
        let _ = t.to_string();
    }
    let _ = psem::Message::parse(rest, psem::Variant::C1222).map(|m| m.diagnostics().count());
    let _ = psem::Parser::new(psem::Variant::C1218)
        .strict()
        .parse(rest)
        .map_err(|e| e.kind());
    let eax = EaxPrime::new(&[0x4B; 16]);
    let _ = (eax.d(), eax.q());
    let (n, body) = rest.split_at(rest.len().min(usize::from(sel % 24)));
    let mut buf = body.to_vec();
    let mac = eax.encrypt_in_place(n, &mut buf);
    assert!(eax.decrypt_in_place(n, &mut buf, &mac).is_ok());
    assert_eq!(buf, body);
    let sig = eax.sign(n, body);
    assert!(eax.verify(n, body, &sig).is_ok());
    if let Some((m, c)) = body.split_first_chunk::<4>() {
        let mut c = c.to_vec();
        let _ = eax.decrypt_in_place(n, &mut c, m);
        let _ = eax.verify(n, &c, m);
    }
}
