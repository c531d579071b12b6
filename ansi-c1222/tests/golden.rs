#![allow(
    clippy::indexing_slicing,
    clippy::arithmetic_side_effects,
    clippy::unwrap_used,
    missing_docs
)]
//! Golden vectors with their sources, shared by decode and encode.

mod common;
use common::*;
use meterwire_ansi_c1222::c1218::{
    self, Delivery, LinkFrame, Packet, PacketFramer, PacketRepr, Reassembler, ToggleState,
    packetize,
};
use meterwire_ansi_c1222::c1219::{
    self, ActRegs, ByteOrder, CurrentRegData, NiValue, ProcedureRequest, ProcedureResponse, St0,
    St1, St3, Table, TableContext, TableId, decode_table,
};
use meterwire_ansi_c1222::psem::{
    Request, Response, ResponseCode, Service, TableData, Variant, service_name, table_checksum,
};
use meterwire_core::{Classify, Decoded, Encode, ErrorKind, Framer};

/// ANSI C12.18 identification request, from the fact sheet (C12.18 clause 6.3 example;
/// also what termineter 1.0.6 `C1218Packet(C1218IdentRequest())` builds).
const IDENT: &str = "ee0000000001201310";

#[test]
fn c1218_ident_packet_fields_and_encoding() {
    let raw = hex(IDENT);
    let p = Packet::new_checked(&raw).unwrap();
    assert_eq!(
        (p.identity(), p.control(), p.seq(), p.length()),
        (0, 0, 0, 1)
    );
    assert_eq!(p.crc(), 0x1013);
    assert_eq!(
        Request::parse(p.data(), Variant::C1218).unwrap(),
        Request::Ident
    );
    assert_eq!(PacketRepr::single(&[0x20]).encode_to_vec().unwrap(), raw);
}

#[test]
fn c1218_errors_are_classified() {
    let mut raw = hex(IDENT);
    raw[8] ^= 1;
    let e = Packet::new_checked(&raw).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Checksum);
    assert!(e.to_string().contains("checksum"));
    assert_eq!(
        Packet::new_checked(&raw[..5]).unwrap_err().kind(),
        ErrorKind::Truncated
    );
    let mut long = hex("ee000000ffff");
    long.resize(20, 0);
    assert_eq!(
        Packet::new_checked(&long).unwrap_err().kind(),
        ErrorKind::Length
    );
}

#[test]
fn c1218_framer_acks_naks_and_resync() {
    let mut s = vec![0x06];
    s.extend(hex(IDENT));
    s.push(0x15);
    s.extend([0x01, 0x02]); // line noise
    s.extend(hex(IDENT));
    let mut f = PacketFramer::new();
    let mut frames = vec![];
    let mut i = 0;
    while i < s.len() {
        match f.decode(&s[i..]) {
            Ok(Decoded::Frame { frame, consumed }) => {
                frames.push(match frame {
                    LinkFrame::Ack => "ack".to_string(),
                    LinkFrame::Nak => "nak".to_string(),
                    LinkFrame::Packet(p) => service_name(p.data()[0]).to_string(),
                });
                i += consumed;
            }
            Ok(Decoded::Incomplete { .. }) => break,
            Err(_) => i += f.resync(&s[i..]),
        }
    }
    assert_eq!(frames, ["ack", "ident", "nak", "ident"]);
}

#[test]
fn c1218_incomplete_says_exactly_how_much() {
    let raw = hex("ee0000000003300001550d");
    let mut f = PacketFramer::new();
    for cut in 0..raw.len() {
        match f.decode(&raw[..cut]).unwrap() {
            Decoded::Incomplete { needed } => {
                if cut >= 6 {
                    assert_eq!(needed, meterwire_core::Needed::Exact(raw.len() - cut));
                }
            }
            Decoded::Frame { .. } => panic!("frame from {cut} bytes"),
        }
    }
}

#[test]
fn c1218_multi_packet_reassembly_and_toggle() {
    // a 300-byte read response split into 64-byte packets
    let body: Vec<u8> = (0..300u16).map(|i| (i * 7) as u8).collect();
    let resp = meterwire_ansi_c1222::psem::ReadResponse {
        data: TableData::new(&body),
    };
    let msg = resp.encode_to_vec().unwrap();
    let packets: Vec<Vec<u8>> = packetize(&msg, 64)
        .map(|p| p.encode_to_vec().unwrap())
        .collect();
    assert_eq!(packets.len(), msg.len().div_ceil(64));
    let mut buf = [0u8; 1024];
    let mut r = Reassembler::new(&mut buf);
    let mut toggles = ToggleState::new();
    let mut done = None;
    for (i, raw) in packets.iter().enumerate() {
        let p = Packet::new_checked(raw).unwrap();
        assert!(p.multi_packet());
        assert_eq!(p.first_packet(), i == 0);
        assert_eq!(usize::from(p.seq()), packets.len() - 1 - i);
        assert_eq!(toggles.accept(&p), Delivery::New);
        // a retransmission of the same packet is a duplicate
        assert_eq!(toggles.accept(&p), Delivery::Duplicate);
        if let Some(m) = r.push(&p).unwrap() {
            done = Some(m.to_vec());
        }
    }
    let m = done.unwrap();
    assert_eq!(m, msg);
    let d = Response::parse(&m).unwrap().read_data().unwrap();
    assert_eq!(d.data, &body[..]);
    assert!(d.checksum_ok());
}

#[test]
fn c1218_reassembly_rejects_out_of_sequence_and_overflow() {
    let msg = [0xAAu8; 100];
    let pk: Vec<Vec<u8>> = packetize(&msg, 40)
        .first_toggle(true)
        .map(|p| p.encode_to_vec().unwrap())
        .collect();
    let mut buf = [0u8; 200];
    let mut r = Reassembler::new(&mut buf);
    r.push(&Packet::new_checked(&pk[0]).unwrap()).unwrap();
    assert!(r.push(&Packet::new_checked(&pk[2]).unwrap()).is_err());
    let mut small = [0u8; 50];
    let mut r = Reassembler::new(&mut small);
    r.push(&Packet::new_checked(&pk[0]).unwrap()).unwrap();
    assert_eq!(
        r.push(&Packet::new_checked(&pk[1]).unwrap())
            .unwrap_err()
            .kind(),
        ErrorKind::Length
    );
}

#[test]
fn ack_nak_constants() {
    assert_eq!((c1218::ACK, c1218::NAK, c1218::START), (0x06, 0x15, 0xEE));
}

#[test]
fn table_checksum_is_twos_complement_of_sum() {
    // EAX' vector 1 (C12.22 full write of ST7): data 1a 00 00 02 00, checksum e4
    assert_eq!(table_checksum(&[0x1a, 0, 0, 2, 0]), 0xe4);
    assert_eq!(table_checksum(&[]), 0);
    let bad = TableData {
        data: &[1, 2, 3],
        checksum: 0,
    };
    assert!(!bad.checksum_ok());
    assert_eq!(bad.verify().unwrap_err().kind(), ErrorKind::Checksum);
}

#[test]
fn every_request_roundtrips_in_both_variants() {
    let user = *b"meterwire ";
    let pw = [0x30u8; 20];
    let idx = meterwire_ansi_c1222::psem::Indices::from_bytes(&[0, 1, 0, 2]).unwrap();
    let title = [0x06, 0x03, 0x2b, 0x06, 0x01];
    let reqs_common = [
        Request::Ident,
        Request::Terminate,
        Request::Logoff,
        Request::DefaultRead,
        Request::FullRead {
            table: TableId(0x801),
        },
        Request::PartialReadIndex {
            table: TableId(23),
            indices: idx,
            count: 3,
        },
        Request::PartialReadOffset {
            table: TableId(64),
            offset: 0xABCDEF,
            count: 0x1234,
        },
        Request::FullWrite {
            table: TableId(7),
            data: TableData::new(&[9, 0, 5, 1]),
        },
        Request::PartialWriteIndex {
            table: TableId(5),
            indices: idx,
            data: TableData::new(b"xy"),
        },
        Request::DefaultWrite {
            data: TableData::new(b"abc"),
        },
        Request::PartialWriteOffset {
            table: TableId(5),
            offset: 1,
            data: TableData::new(b"z"),
        },
        Request::Authenticate {
            data: &[1, 2, 3, 4],
        },
        Request::Negotiate {
            packet_size: 256,
            nbr_packets: 2,
            bauds: &[6],
        },
        Request::Wait { seconds: 30 },
        Request::TimingSetup {
            traffic: 1,
            inter_char: 2,
            resp_timeout: 3,
            nbr_retries: 4,
        },
        Request::Other {
            code: 0x7f,
            body: &[1],
        },
    ];
    for r in reqs_common {
        for v in [Variant::C1218, Variant::C1222] {
            let b = r.encode_to_vec().unwrap();
            assert_eq!(b.len(), r.encoded_len());
            assert_eq!(Request::parse(&b, v).unwrap(), r, "{r:?}");
        }
    }
    let c1222_only = [
        Request::Disconnect,
        Request::Resolve { ap_title: &title },
        Request::Trace { ap_title: &title },
        Request::Deregister { ap_title: &title },
        Request::Register(meterwire_ansi_c1222::psem::Register {
            node_type: 0xfd,
            connection_type: 0xef,
            device_class: [1, 0x82, 0x85, 0x63],
            ap_title: &title,
            electronic_serial_number: &title,
            native_address: b"fizzbuzz",
            registration_period: 66051,
            my_domain_pattern: Some(b"beef"),
        }),
        Request::Logon {
            user_id: 2,
            user: &user,
            session_idle_timeout: Some(60),
        },
        Request::Security {
            password: &pw,
            user_id: Some(7),
        },
    ];
    for r in c1222_only {
        let b = r.encode_to_vec().unwrap();
        assert_eq!(Request::parse(&b, Variant::C1222).unwrap(), r, "{r:?}");
    }
    // the C12.18 logon has no idle timeout: its 13 bytes are too short for C12.22
    let l18 = Request::Logon {
        user_id: 2,
        user: &user,
        session_idle_timeout: None,
    };
    let b = l18.encode_to_vec().unwrap();
    assert_eq!(b.len(), 13);
    assert_eq!(Request::parse(&b, Variant::C1218).unwrap(), l18);
    assert_eq!(
        Request::parse(&b, Variant::C1222).unwrap_err().kind(),
        ErrorKind::Truncated
    );
    // and the C12.22 one has two bytes too many for C12.18
    let l22 = Request::Logon {
        user_id: 2,
        user: &user,
        session_idle_timeout: Some(1),
    };
    assert_eq!(
        Request::parse(&l22.encode_to_vec().unwrap(), Variant::C1218)
            .unwrap_err()
            .kind(),
        ErrorKind::Malformed
    );
}

#[test]
fn encoder_refuses_values_the_standard_forbids() {
    assert!(
        Request::PartialReadOffset {
            table: TableId(1),
            offset: 0x1_000_000,
            count: 1
        }
        .encode_to_vec()
        .is_err()
    );
    assert!(
        Request::Logon {
            user_id: 1,
            user: b"short",
            session_idle_timeout: None
        }
        .encode_to_vec()
        .is_err()
    );
    assert!(
        Request::Negotiate {
            packet_size: 1,
            nbr_packets: 1,
            bauds: &[0; 12]
        }
        .encode_to_vec()
        .is_err()
    );
    assert!(
        Response::new(ResponseCode::Other(0x40), &[])
            .encode_to_vec()
            .is_err()
    );
}

#[test]
fn responses_named_and_typed() {
    let names: Vec<&str> = (0u8..=0x12)
        .map(|c| ResponseCode::from_u8(c).abbreviation())
        .collect();
    assert_eq!(
        names,
        [
            "ok", "err", "sns", "isc", "onp", "iar", "bsy", "dnr", "dlk", "rno", "isss", "sme",
            "uat", "nett", "netr", "rqtl", "rstl", "sgnp", "sgerr"
        ]
    );
    for c in 0u8..0x20 {
        assert_eq!(ResponseCode::from_u8(c).as_u8(), c);
    }
    // ident response: std 0 (C12.18), ver 1, rev 0, no features, end 0x00
    let r = Response::parse(&[0, 0, 1, 0, 0]).unwrap();
    let id = r.ident().unwrap();
    assert_eq!((id.std, id.ver, id.rev, id.features), (0, 1, 0, &[][..]));
    let n = Response::parse(&[0, 1, 0, 4, 6])
        .unwrap()
        .negotiate()
        .unwrap();
    assert_eq!((n.packet_size, n.nbr_packets, n.baud), (256, 4, 6));
    let isc = Response::parse(&[3]).unwrap();
    assert_eq!(isc.response_code(), ResponseCode::Isc);
    assert_eq!(isc.read_data().unwrap_err().kind(), ErrorKind::Exception);
    assert!(matches!(
        Service::parse(&[0x30, 0, 1], Variant::C1218).unwrap(),
        Service::Request(_)
    ));
}

/// ST0 of an Elster ("EE  ") meter: the 79-byte GEN_CONFIG_TBL dump used as test data
/// by the C++ "C12Tables" library's gtest (`C12TableTest::st0`, built on MeteringSDK),
/// whose own expected values are DEVICE_CLASS "EE  ", NI_FORMAT1 10, NI_FORMAT2 9,
/// DIM_STD_PROC_USED 3, NBR_PENDING 6, STD_PROC_USED {3..12, 14, 20}, size 79.
const ST0_ELSTER: &str = "120a9a45452020020013180100 0d0d03050d06ffadf0df033ffcf0c11fffff033effafa20185ffff1f308ffff7f85f10feff1e16dbe0a8e0080334686080 0afcf30024a500a001811967100082f5e0";

#[test]
fn st0_published_dump() {
    let raw = hex(ST0_ELSTER);
    assert_eq!(raw.len(), 79);
    let st0 = St0::parse(&raw).unwrap();
    assert_eq!(st0.device_class(), b"EE  ");
    assert_eq!((st0.ni_format1(), st0.ni_format2()), (10, 9));
    assert_eq!(st0.dim_std_proc_used(), 3);
    assert_eq!(st0.nbr_pending(), 6);
    assert_eq!(
        st0.std_proc_used().collect::<Vec<_>>(),
        [3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 14, 20]
    );
    assert_eq!(st0.byte_order(), ByteOrder::Little);
    assert_eq!(st0.char_format(), 1);
    assert_eq!(st0.tm_format(), 2);
    assert_eq!(st0.nameplate_type(), 2);
    assert_eq!((st0.std_version_no(), st0.std_revision_no()), (1, 0));
    assert_eq!(
        (
            st0.dim_std_tbls_used(),
            st0.dim_mfg_tbls_used(),
            st0.dim_mfg_status_used()
        ),
        (13, 13, 13)
    );
    let used: Vec<u16> = st0.std_tbls_used().collect();
    assert!(used.starts_with(&[0, 1, 2, 3, 4, 5, 6, 7]), "{used:?}");
    assert!(matches!(
        decode_table(TableId(0), &raw, &TableContext::default()).unwrap(),
        Table::St0(_)
    ));
    // one byte short of the sets is truncated
    assert_eq!(
        St0::parse(&raw[..78]).unwrap_err().kind(),
        ErrorKind::Truncated
    );
}

#[test]
fn st1_st3_st5_st8_st21_st23_with_context() {
    let raw = hex(ST0_ELSTER);
    let mut ctx = St0::parse(&raw).unwrap().context();
    // ST1 laid out as C12.19 9.1.2 (char id form): 4 + 8 + 4 + 16 bytes
    let mut st1 = b"EE  A3RL    ".to_vec();
    st1.extend([3, 1, 5, 2]);
    st1.extend(b"000012345678    ");
    let s1 = St1::parse(&st1, &ctx).unwrap();
    assert_eq!(
        (s1.manufacturer, s1.ed_model),
        (&b"EE  "[..], &b"A3RL    "[..])
    );
    assert_eq!((s1.hw_version_number, s1.fw_revision_number), (3, 2));
    assert_eq!(s1.mfg_serial_number, b"000012345678    ");
    // ST3 with 13 bytes of manufacturer status (DIM_MFG_STATUS_USED), status1 little endian
    let mut st3 = vec![0x01, 0x40, 0x01, 0x00];
    st3.extend([0; 13]);
    let s3 = St3::parse(&st3, &ctx).unwrap();
    assert_eq!(
        (s3.ed_mode, s3.ed_std_status1, s3.ed_mfg_status.len()),
        (1, 0x0140, 13)
    );
    // ST5
    assert!(matches!(
        decode_table(TableId(5), b"meter 1             ", &ctx).unwrap(),
        Table::St5(b"meter 1             ")
    ));
    // ST8: SP 10 completed
    let s8 = ProcedureResponse::parse(&[0x0a, 0x00, 0x02, 0x00], &ctx).unwrap();
    assert_eq!(
        (s8.proc_nbr, s8.mfg, s8.seq_nbr, s8.result_code),
        (10, false, 2, 0)
    );
    // ST21 -> ST23 with NI formats INT32 (8) and INT24 (7)
    let st21 = [0x10u8, 0, 0, 2, 1, 0, 1, 1, 0, 0];
    let regs = ActRegs::parse(&st21).unwrap();
    assert!(regs.cum_demand());
    ctx.act_regs = Some(regs);
    ctx.ni_format1 = 8;
    ctx.ni_format2 = 7;
    // block: 2 summations (4 each), 1 demand (cum 4 + 1 demand of 3) = 15 bytes; 2 blocks
    let mut st23 = vec![];
    for k in 0..2i32 {
        st23.extend((1000 + k).to_le_bytes());
        st23.extend((-5i32).to_le_bytes());
        st23.extend(77i32.to_le_bytes());
        st23.extend(&(-2i32).to_le_bytes()[..3]);
    }
    let c = CurrentRegData::parse(&st23, &ctx).unwrap();
    assert_eq!(c.blocks(), 2);
    let tier1 = c.block(1).unwrap();
    assert_eq!(
        tier1.summations().collect::<Vec<_>>(),
        [NiValue::Int(1001), NiValue::Int(-5)]
    );
    let d: Vec<_> = tier1.demands().collect();
    assert_eq!(d[0].cum_demand, Some(NiValue::Int(77)));
    assert_eq!(d[0].demand, Some(NiValue::Int(-2)));
    assert!(matches!(
        decode_table(TableId(23), &st23, &ctx).unwrap(),
        Table::St23(_)
    ));
    assert_eq!(
        CurrentRegData::parse(&st23[..20], &ctx).unwrap_err().kind(),
        ErrorKind::Truncated
    );
    // other tables fall back to raw
    assert!(matches!(
        decode_table(TableId(52), &[1, 2], &ctx).unwrap(),
        Table::Raw { .. }
    ));
    assert!(matches!(
        decode_table(TableId::manufacturer(0), &[1], &ctx).unwrap(),
        Table::Raw { .. }
    ));
}

#[test]
fn table_ids() {
    let t = TableId(0x1805);
    assert!(t.is_manufacturer() && t.is_pending());
    assert_eq!(t.number(), 5);
    assert_eq!(t.to_string(), "pending MT5");
    assert_eq!(TableId::standard(23).to_string(), "ST23");
}

#[test]
fn st7_encoder_big_and_little_endian() {
    // SP 9 (remote reset), seq 1: termineter C1219ProcedureInit('<', 9, False, 0, 1) -> 09 00 01
    let p = ProcedureRequest::standard(9, 1, &[]);
    assert_eq!(to_hex(&p.encode_to_vec().unwrap()), "090001");
    let mut big = ProcedureRequest::standard(10, 0x7f, &[1, 2]);
    big.selector = c1219::selector::NOW_AND_ON_COMPLETION;
    big.byte_order = ByteOrder::Big;
    assert_eq!(to_hex(&big.encode_to_vec().unwrap()), "300a7f0102");
    big.proc_nbr = 2048;
    assert!(big.encode_to_vec().is_err());
}

#[test]
fn trace_response_lists_relay_titles() {
    // ok, then two relays: absolute 2.16.124.113620.1.22.0.5 and relative .0.7
    let body = hex("00 0609607c86f754011600 05 80020007");
    let r = Response::parse(&body).unwrap();
    let titles: Vec<String> = r
        .trace_titles()
        .unwrap()
        .map(|t| t.unwrap().to_string())
        .collect();
    assert_eq!(titles, ["2.16.124.113620.1.22.0.5", ".0.7"]);
    assert!(Response::parse(&[0x0c]).unwrap().trace_titles().is_err());
}
