// Fuzz body shared by fuzz/fuzz_targets/c12_roundtrip.rs and tests/fuzz_replay.rs.
// Encoders: every PSEM request parsed from the input re-encodes and re-parses to itself
// (both variants); packets carrying it roundtrip; C12.19 table decoders (with a context
// taken from the input) never panic; ST7 procedure requests roundtrip.
#[allow(dead_code)]
pub fn run(data: &[u8]) {
    use meterwire_ansi_c1222::c1218::{Packet, PacketRepr};
    use meterwire_ansi_c1222::c1219::{
        ActRegs, ByteOrder, ProcedureRequest, Table, TableContext, TableId, decode_table,
    };
    use meterwire_ansi_c1222::psem::{Request, Variant};
    use meterwire_core::Encode;
    if data.len() < 4 {
        return;
    }
    let (hdr, body) = data.split_at(4);
    for v in [Variant::C1218, Variant::C1222] {
        if let Ok(r) = Request::parse(body, v) {
            let b = r.encode_to_vec().unwrap();
            assert_eq!(b, body);
            assert_eq!(Request::parse(&b, v).unwrap(), r);
            if b.len() <= 8184 {
                let pr = PacketRepr::single(&b).with_toggle(hdr[0] & 1 == 1);
                let pb = pr.encode_to_vec().unwrap();
                assert_eq!(PacketRepr::parse(&Packet::new_checked(&pb).unwrap()), pr);
            }
        }
    }
    let mut ctx = TableContext {
        byte_order: if hdr[0] & 2 != 0 {
            ByteOrder::Big
        } else {
            ByteOrder::Little
        },
        id_form_bcd: hdr[0] & 4 != 0,
        tm_format: hdr[1] & 7,
        ni_format1: hdr[2] & 0x0f,
        ni_format2: hdr[2] >> 4,
        dim_mfg_status_used: hdr[3],
        ..TableContext::default()
    };
    if let Ok(r) = ActRegs::parse(body) {
        ctx.act_regs = Some(r);
    }
    let id = TableId(u16::from(hdr[1]) | (u16::from(hdr[3] & 0x18) << 8));
    for t in [
        id,
        TableId(0),
        TableId(1),
        TableId(3),
        TableId(5),
        TableId(7),
        TableId(8),
        TableId(21),
        TableId(23),
    ] {
        match decode_table(t, body, &ctx) {
            Ok(Table::St23(c)) => {
                for i in 0..c.blocks() {
                    let b = c.block(i).unwrap();
                    let _ = b.summations().count();
                    let _ = b.demands().count();
                }
            }
            Ok(Table::St0(s)) => {
                let _ = s.std_tbls_used().count()
                    + s.mfg_proc_used().count()
                    + s.mfg_tbls_write().count();
                let _ = s.context();
            }
            Ok(Table::St7(p)) => {
                let b = p.encode_to_vec().unwrap();
                assert_eq!(b, body);
                assert_eq!(ProcedureRequest::parse(&b, &ctx).unwrap(), p);
            }
            _ => {}
        }
    }
}
