//! Golden frames from a public capture and the specification, decoded and re-encoded.
//!
//! Capture: `tests/data/icsnpp_modbus_example.pcap`, copied from cisagov/icsnpp-modbus
//! `testing/traces/modbus_example.pcap` (BSD-3-Clause); frame numbers as tshark shows them.

use meterwire_core::{Decoded, DiagnosticKind, Encode, EncodeError, Framer};
use meterwire_modbus::{
    AsciiFrame, AsciiFramer, BytesBuf, DeviceObjectRepr, Direction, Error, Pdu, PduRepr, Request,
    RequestRepr, Response, ResponseRepr, RtuFrame, RtuFramer, TcpFrame, TcpFramer,
};

fn h(s: &str) -> Vec<u8> {
    meterwire_testkit::hex(s)
}

fn tcp(hex: &str, d: Direction) -> TcpFrame<'static> {
    let bytes: &'static [u8] = Box::leak(h(hex).into_boxed_slice());
    let f = TcpFrame::parse(bytes, Some(d)).unwrap();
    // streaming decode agrees and consumes exactly the ADU
    match TcpFramer::with_direction(Some(d)).decode(bytes).unwrap() {
        Decoded::Frame { frame, consumed } => {
            assert_eq!(consumed, bytes.len());
            assert_eq!(frame, f);
        }
        Decoded::Incomplete { .. } => panic!("incomplete"),
    }
    // re-encoding gives the same bytes
    assert_eq!(f.encode_to_vec().unwrap(), bytes, "re-encode {hex}");
    f
}

/// Frames of the icsnpp capture (frame numbers as tshark shows them) and what
/// each decodes to, compared as whole Reprs (every field).
fn icsnpp_frames() -> Vec<(&'static str, &'static str, PduRepr)> {
    use RequestRepr as Rq;
    use ResponseRepr as Rs;
    use meterwire_modbus::PduOf::{Request as Q, Response as R};
    let bits = |b: &[u8]| b.iter().map(|&x| x == 1).collect::<Vec<bool>>();
    let obj = |object_id, value: &[u8]| DeviceObjectRepr {
        object_id,
        value: BytesBuf(value.to_vec()),
    };
    vec![
        (
            "20",
            "000500000006040300010001",
            Q(Rq::ReadHoldingRegisters {
                starting_address: 1,
                quantity: 1,
            }),
        ),
        (
            "22",
            "00050000000504030200aa",
            R(Rs::ReadHoldingRegisters {
                byte_count: 2,
                registers: vec![0x00AA],
            }),
        ),
        (
            "26",
            "00060000001305031000aa00aa00bb00ccef84e3eb9f8be4c1",
            R(Rs::ReadHoldingRegisters {
                byte_count: 16,
                registers: vec![
                    0x00AA, 0x00AA, 0x00BB, 0x00CC, 0xEF84, 0xE3EB, 0x9F8B, 0xE4C1,
                ],
            }),
        ),
        (
            "6",
            "00010000000404010101",
            R(Rs::ReadCoils {
                byte_count: 1,
                coils: bits(&[1, 0, 0, 0, 0, 0, 0, 0]),
            }),
        ),
        // 0xE9 = 1110_1001, LSB first
        (
            "10",
            "000200000004050101e9",
            R(Rs::ReadCoils {
                byte_count: 1,
                coils: bits(&[1, 0, 0, 1, 0, 1, 1, 1]),
            }),
        ),
        (
            "14",
            "00030000000404020100",
            R(Rs::ReadDiscreteInputs {
                byte_count: 1,
                inputs: vec![false; 8],
            }),
        ),
        (
            "single write",
            "00090000000606050001ff00",
            Q(Rq::WriteSingleCoil {
                output_address: 1,
                value: true,
            }),
        ),
        (
            "echo",
            "00090000000606050001ff00",
            R(Rs::WriteSingleCoil {
                output_address: 1,
                value: true,
            }),
        ),
        (
            "single write",
            "000a0000000607060001abcd",
            Q(Rq::WriteSingleRegister {
                register_address: 1,
                value: 0xABCD,
            }),
        ),
        (
            "fc15",
            "000d00000008070f000100040109",
            Q(Rq::WriteMultipleCoils {
                starting_address: 1,
                quantity: 4,
                byte_count: 1,
                coils: bits(&[1, 0, 0, 1]),
            }),
        ),
        (
            "fc15 echo",
            "000d00000006070f00010004",
            R(Rs::WriteMultipleCoils {
                starting_address: 1,
                quantity: 4,
            }),
        ),
        (
            "fc16",
            "000e0000000f0710000100040800aa00bb00cc00dd",
            Q(Rq::WriteMultipleRegisters {
                starting_address: 1,
                quantity: 4,
                byte_count: 8,
                registers: vec![0xAA, 0xBB, 0xCC, 0xDD],
            }),
        ),
        (
            "fc7",
            "000b00000003020700",
            R(Rs::ReadExceptionStatus { output_data: 0 }),
        ),
        (
            "fc8",
            "000c00000006020800020000",
            Q(Rq::Diagnostics {
                sub_function: 2,
                data: BytesBuf(vec![0, 0]),
            }),
        ),
        (
            // "Zeek Modbus Test-Protocol Parsing is fun!-1.2.3.6", run indicator 0xFF (on)
            "fc17",
            "000f000000350211325a65656b204d6f6462757320546573742d50726f746f636f6c2050617273696e672069732066756e212d312e322e332e36ff",
            R(Rs::ReportServerId {
                byte_count: 0x32,
                data: BytesBuf(
                    [
                        &b"Zeek Modbus Test-Protocol Parsing is fun!-1.2.3.6"[..],
                        &[0xFF],
                    ]
                    .concat(),
                ),
            }),
        ),
        (
            "fc22",
            "0012000000080416000adead0000",
            Q(Rq::MaskWriteRegister {
                reference_address: 10,
                and_mask: 0xDEAD,
                or_mask: 0,
            }),
        ),
        (
            "fc23",
            "001500000011061700010004000200030600aa00bb00cc",
            Q(Rq::ReadWriteMultipleRegisters {
                read_starting_address: 1,
                quantity_to_read: 4,
                write_starting_address: 2,
                quantity_to_write: 3,
                write_byte_count: 6,
                registers: vec![0xAA, 0xBB, 0xCC],
            }),
        ),
        (
            "fc23",
            "00150000000b06170800aa00aa00bb00cc",
            R(Rs::ReadWriteMultipleRegisters {
                byte_count: 8,
                registers: vec![0xAA, 0xAA, 0xBB, 0xCC],
            }),
        ),
        (
            "fc24",
            "0016000000040a180000",
            Q(Rq::ReadFifoQueue {
                fifo_pointer_address: 0,
            }),
        ),
        (
            "fc24",
            "0016000000060a1800020000",
            R(Rs::ReadFifoQueue {
                byte_count: 2,
                fifo_count: 0,
                values: vec![],
            }),
        ),
        (
            "fc43/14",
            "001700000005012b0e0100",
            Q(Rq::ReadDeviceIdentification {
                read_device_id_code: 1,
                object_id: 0,
            }),
        ),
        (
            "fc43/14",
            "00170000003d012b0e018300000300105a65656b204d6f646275732054657374011850726f746f636f6c2050617273696e672069732066756e210207312e322e332e36",
            R(Rs::ReadDeviceIdentification {
                read_device_id_code: 1,
                conformity_level: 0x83,
                more_follows: false,
                next_object_id: 0,
                number_of_objects: 3,
                objects: vec![
                    obj(0, b"Zeek Modbus Test"),
                    obj(1, b"Protocol Parsing is fun!"),
                    obj(2, b"1.2.3.6"),
                ],
            }),
        ),
    ]
}

#[test]
fn icsnpp_frames_decode_to_their_values() {
    for (frame, hex, expected) in icsnpp_frames() {
        let f = tcp(hex, expected.direction());
        assert_eq!(
            PduRepr::parse(&f.pdu),
            expected,
            "icsnpp frame {frame}: {hex}"
        );
    }
    // the header and a payload that stays a view over the frame
    let q = tcp("000500000006040300010001", Direction::Request);
    assert_eq!((q.transaction_id, q.protocol_id, q.unit_id), (5, 0, 4));
    let r = tcp(
        "00060000001305031000aa00aa00bb00ccef84e3eb9f8be4c1",
        Direction::Response,
    );
    let Pdu::Response(Response::ReadHoldingRegisters { registers, .. }) = &r.pdu else {
        panic!()
    };
    assert_eq!(registers.as_wire_bytes().unwrap().len(), 16);
}

#[test]
fn icsnpp_frame_100_exception() {
    let r = tcp("000100000003008302", Direction::Response);
    assert_eq!(
        r.pdu,
        Pdu::Response(Response::Exception {
            function_code: 0x83,
            exception_code: 2
        })
    );
    assert_eq!(r.pdu.exception(), Some((0x83, 2)));
    // undirected: a request parse fails, the response fits
    let raw = h("000100000003008302");
    let f = TcpFrame::parse(&raw, None).unwrap();
    assert_eq!(f.pdu.direction(), Direction::Response);
}

#[test]
fn icsnpp_frames_64_70_zero_byte_count_file_records_are_nonconforming() {
    // FC 20/21 with a byte count of 0: the standard requires 0x07..=0xF5 / 0x09..=0xFB.
    // Lenient (issue 12): decoded with no records and an out_of_range diagnostic;
    // strict: rejected as nonconforming.
    for (hex, field) in [
        ("001000000003081400", "byte_count"),
        ("001100000003081500", "request_data_length"),
    ] {
        for d in [Direction::Request, Direction::Response] {
            let raw = h(hex);
            let f = TcpFrame::parse(&raw, Some(d)).unwrap();
            let diags: Vec<_> = f.diagnostics().collect();
            assert_eq!(diags.len(), 1, "{hex} {d:?}");
            assert_eq!(diags[0].kind, DiagnosticKind::OutOfRange);
            assert_eq!(diags[0].value, Some(0));
            if d == Direction::Request {
                assert_eq!(diags[0].field, field);
            }
            let e = TcpFramer::new()
                .direction(d)
                .strict()
                .parse(&raw)
                .unwrap_err();
            assert_eq!(
                e,
                Error::Core(meterwire_core::Error::Nonconforming(diags[0])),
                "{hex} {d:?}: {e:?}"
            );
        }
    }
}

// ------------------------------------------------------------ peer bugs

#[test]
fn lone_exception_byte_is_an_error() {
    assert_eq!(
        Response::parse(&[0x81]),
        Err(Error::Core(meterwire_core::Error::Truncated { needed: 1 }))
    );
    assert!(Pdu::parse(&[0x81], None).is_err());
    // as a TCP ADU: MBAP length 2 = unit + 0x81 → the length cannot hold the exception code
    let e = TcpFrame::parse(&h("0001000000020181"), None).unwrap_err();
    assert!(
        matches!(
            e,
            Error::Core(meterwire_core::Error::Length {
                field: "mbap length",
                ..
            })
        ),
        "{e:?}"
    );
}

#[test]
fn short_fc15_fc16_tcp_requests_are_errors() {
    // (ADU, the length field the error names: None = any)
    let cases = [
        // 12 bytes: MBAP + FC16 + address + quantity, no byte count
        ("000100000006011000010002", Some("mbap length")),
        // 11 bytes: MBAP + FC15 + address + half a quantity
        ("0001000000050110000100", Some("mbap length")),
        ("000100000005010f000100", None),
    ];
    for (adu, field) in cases {
        let e = TcpFrame::parse(&h(adu), Some(Direction::Request)).unwrap_err();
        match e {
            Error::Core(meterwire_core::Error::Length { field: f, .. }) => {
                assert!(field.is_none_or(|x| x == f), "{adu}: {e:?}")
            }
            _ => panic!("{adu}: {e:?}"),
        }
    }
    // the streaming framer reports the same, never a panic
    assert!(
        TcpFramer::with_direction(Some(Direction::Request))
            .decode(&h("000100000006011000010002"))
            .is_err()
    );
    // undirected, the same bytes are a valid FC 16 *response* (echo of address and quantity)
    let raw = h("000100000006011000010002");
    let Decoded::Frame { frame, .. } = TcpFramer::new().decode(&raw).unwrap() else {
        panic!()
    };
    assert_eq!(
        frame.pdu,
        Pdu::Response(Response::WriteMultipleRegisters {
            starting_address: 1,
            quantity: 2
        })
    );
}

#[test]
fn mbap_length_disagreeing_with_bytes_is_an_error() {
    // length says 7 but the PDU (FC 3 request) is 5 bytes + unit = 6: the MBAP
    // length delimits one byte more than the PDU uses. Lenient (issue 12): decoded
    // with a trailing_bytes diagnostic; strict: an error.
    let raw = h("00010000000701030000000a00");
    let f = TcpFrame::parse(&raw, Some(Direction::Request)).unwrap();
    assert_eq!(f.trailing, [0]);
    let d = f.diagnostics().next().unwrap();
    assert_eq!((d.kind, d.value), (DiagnosticKind::TrailingBytes, Some(1)));
    let e = TcpFramer::new()
        .direction(Direction::Request)
        .strict()
        .parse(&raw)
        .unwrap_err();
    assert_eq!(e, Error::Core(meterwire_core::Error::Nonconforming(d)));
    // one-shot parse: extra bytes after the ADU
    let e =
        TcpFrame::parse(&h("00010000000601030000000aff"), Some(Direction::Request)).unwrap_err();
    assert!(
        matches!(e, Error::Core(meterwire_core::Error::Length { .. })),
        "{e:?}"
    );
    // length out of range
    let e = TcpFramer::new().decode(&h("000100000000")).unwrap_err();
    assert!(matches!(
        e,
        Error::Core(meterwire_core::Error::Length { .. })
    ));
    let e = TcpFramer::new().decode(&h("000100000100")).unwrap_err();
    assert!(matches!(
        e,
        Error::Core(meterwire_core::Error::Length { .. })
    ));
    // protocol id other than 0: decoded with a diagnostic (issue 12); strict rejects it
    let raw = h("00010001000601030000000a");
    let Decoded::Frame { frame, .. } = TcpFramer::new().decode(&raw).unwrap() else {
        panic!()
    };
    let d = frame.diagnostics().next().unwrap();
    assert_eq!(
        (d.kind, d.value),
        (DiagnosticKind::NonZeroProtocolId, Some(1))
    );
    let e = TcpFramer::new().strict().decode(&raw).unwrap_err();
    assert_eq!(e, Error::Core(meterwire_core::Error::Nonconforming(d)));
}

#[test]
fn stream_honours_mbap_length() {
    let mut stream = h("000500000006040300010001");
    stream.extend(h("00050000000504030200aa"));
    let mut f = TcpFramer::new();
    let Decoded::Frame { consumed, frame } = f.decode(&stream).unwrap() else {
        panic!()
    };
    assert_eq!(consumed, 12);
    assert_eq!(frame.pdu.direction(), Direction::Request);
    let Decoded::Frame { consumed, frame } = f.decode(&stream[12..]).unwrap() else {
        panic!()
    };
    assert_eq!(consumed, 11);
    assert_eq!(frame.pdu.direction(), Direction::Response);
}

// ------------------------------------------------------------ limits on encode

#[test]
fn encoder_enforces_limits() {
    let regs = [0u16; 126];
    let q = Request::write_multiple_registers(0, &regs[..124]);
    assert!(q.encode_to_vec().is_err(), "124 > 123 registers");
    // the error names the quantity rule, not the PDU size, in every framing
    let rule = EncodeError::Invalid {
        field: "quantity",
        reason: "must be 1..=123 registers (fc 16)",
    };
    assert_eq!(q.encode_to_vec().unwrap_err(), rule);
    let pdu = Pdu::Request(q);
    assert_eq!(TcpFrame::new(1, 1, pdu).encode_to_vec().unwrap_err(), rule);
    assert_eq!(RtuFrame::new(1, pdu).encode_to_vec().unwrap_err(), rule);
    assert_eq!(AsciiFrame::new(1, pdu).encode_to_vec().unwrap_err(), rule);
    let q = Request::write_multiple_registers(0, &regs[..123]);
    assert_eq!(q.encode_to_vec().unwrap().len(), 6 + 246);
    let r = Response::read_holding_registers(&regs);
    assert!(r.encode_to_vec().is_err(), "126 registers");
    let r = Response::read_holding_registers(&regs[..125]);
    assert_eq!(r.encode_to_vec().unwrap().len(), 252);
    assert!(
        Request::read_holding_registers(0, 126)
            .encode_to_vec()
            .is_err()
    );
    assert!(
        Request::read_holding_registers(0, 0)
            .encode_to_vec()
            .is_err()
    );
    let coils = [true; 1969];
    assert!(
        Request::write_multiple_coils(0, &coils)
            .encode_to_vec()
            .is_err()
    );
    assert!(
        Request::write_multiple_coils(0, &coils[..1968])
            .encode_to_vec()
            .is_ok()
    );
    // inconsistent byte count is refused, not written
    let bad = Request::WriteMultipleRegisters {
        starting_address: 0,
        quantity: 2,
        byte_count: 2,
        registers: meterwire_modbus::Registers::from_slice(&[1, 2]),
    };
    assert!(bad.encode_to_vec().is_err());
    // a buffer that is too small is an error
    let mut small = [0u8; 4];
    assert!(
        Request::read_holding_registers(0, 1)
            .encode(&mut small)
            .is_err()
    );
}

// ------------------------------------------------------------ RTU and ASCII

#[test]
fn rtu_spec_example_both_directions() {
    // Modbus Application Protocol V1.1b3 6.3 example, RTU framed for unit 0x11
    let req = h("1103006b00037687");
    let rsp = h("110306022b00000064c8ba");
    let mut stream = req.clone();
    stream.extend(&rsp);
    let mut f = RtuFramer::new();
    let Decoded::Frame { frame, consumed } = f.decode(&stream).unwrap() else {
        panic!()
    };
    assert_eq!(consumed, 8);
    assert_eq!(frame.address, 0x11);
    assert_eq!(
        frame.pdu,
        Pdu::Request(Request::ReadHoldingRegisters {
            starting_address: 0x6B,
            quantity: 3
        })
    );
    let Decoded::Frame { frame, consumed } = f.decode(&stream[8..]).unwrap() else {
        panic!()
    };
    assert_eq!(consumed, 11);
    let Pdu::Response(Response::ReadHoldingRegisters { registers, .. }) = &frame.pdu else {
        panic!()
    };
    assert_eq!(registers.iter().collect::<Vec<_>>(), [0x022B, 0, 0x64]);
    assert_eq!(frame.encode_to_vec().unwrap(), rsp);
    // bad CRC
    let mut bad = req.clone();
    bad[7] ^= 1;
    assert!(matches!(
        RtuFrame::parse(&bad, None),
        Err(Error::Core(meterwire_core::Error::Checksum {
            field: "crc",
            ..
        }))
    ));
    assert!(matches!(
        RtuFramer::new().decode(&bad),
        Err(Error::Core(meterwire_core::Error::Checksum { .. }))
    ));
}

#[test]
fn ascii_spec_example() {
    let raw = b":1103006B00037E\r\n";
    let Decoded::Frame { frame, consumed } = AsciiFramer::new().decode(raw).unwrap() else {
        panic!()
    };
    assert_eq!(consumed, raw.len());
    assert_eq!(frame.address(), 0x11);
    assert_eq!(frame.lrc(), 0x7E);
    assert_eq!(
        frame.pdu().unwrap(),
        Pdu::Request(Request::ReadHoldingRegisters {
            starting_address: 0x6B,
            quantity: 3
        })
    );
    assert_eq!(frame.frame().unwrap().encode_to_vec().unwrap(), raw);
    // lower case accepted
    assert!(AsciiFramer::new().decode(b":1103006b00037e\r\n").is_ok());
    // bad LRC
    assert!(matches!(
        AsciiFramer::new().decode(b":1103006B00037F\r\n"),
        Err(Error::Core(meterwire_core::Error::Checksum {
            field: "lrc",
            ..
        }))
    ));
}

// ------------------------------------------------------------ JSON (the CLI prints this)

#[test]
fn json_field_names_are_the_documented_ones() {
    let j = |hex: &str, d: Direction| {
        serde_json::to_string(&TcpFrame::parse(&h(hex), Some(d)).unwrap()).unwrap()
    };
    assert_eq!(
        j("000600000006050300010008", Direction::Request),
        r#"{"transaction_id":6,"protocol_id":0,"unit_id":5,"direction":"request","function_code":3,"function":"read_holding_registers","starting_address":1,"quantity":8}"#
    );
    assert_eq!(
        j("000d00000008070f000100040109", Direction::Request),
        r#"{"transaction_id":13,"protocol_id":0,"unit_id":7,"direction":"request","function_code":15,"function":"write_multiple_coils","starting_address":1,"quantity":4,"byte_count":1,"coils":[true,false,false,true]}"#
    );
    assert_eq!(
        j("000100000003008302", Direction::Response),
        r#"{"transaction_id":1,"protocol_id":0,"unit_id":0,"direction":"response","function_code":131,"function":"exception","exception_code":2,"exception":"illegal_data_address"}"#
    );
    assert_eq!(
        j("0012000000080416000adead0000", Direction::Response),
        r#"{"transaction_id":18,"protocol_id":0,"unit_id":4,"direction":"response","function_code":22,"function":"mask_write_register","reference_address":10,"and_mask":57005,"or_mask":0}"#
    );
    let dev = j(
        "00170000003d012b0e018300000300105a65656b204d6f646275732054657374011850726f746f636f6c2050617273696e672069732066756e210207312e322e332e36",
        Direction::Response,
    );
    assert!(dev.contains(r#"{"object_id":0,"value":"5a65656b204d6f646275732054657374","text":"Zeek Modbus Test"}"#), "{dev}");
    let rtu = serde_json::to_string(&RtuFrame::parse(&h("110306022b00000064c8ba"), None).unwrap())
        .unwrap();
    assert_eq!(
        rtu,
        r#"{"address":17,"direction":"response","function_code":3,"function":"read_holding_registers","byte_count":6,"registers":[555,0,100]}"#
    );
}

#[test]
fn fixed_request_fast_path_agrees_with_the_general_parser() {
    // FC 1-6 requests take a fast path in TcpFramer::decode; every boundary value
    // must decode (or be rejected) exactly as the one-shot parser does
    for code in 0u8..=8 {
        for v in [0u16, 1, 125, 126, 1968, 2000, 2001, 0xFF00, 0x00FF, 0xFFFF] {
            for pid in [0u16, 1] {
                let [v0, v1] = v.to_be_bytes();
                let [p0, p1] = pid.to_be_bytes();
                let raw = [0x12, 0x34, p0, p1, 0, 6, 9, code, 0xAB, 0xCD, v0, v1];
                for d in [None, Some(Direction::Request), Some(Direction::Response)] {
                    for strict in [false, true] {
                        let framer = TcpFramer::with_direction(d);
                        let framer = if strict { framer.strict() } else { framer };
                        let mut stream = framer;
                        let streamed = stream.decode(&raw).map(|r| match r {
                            Decoded::Frame { frame, consumed } => (frame, consumed),
                            Decoded::Incomplete { .. } => panic!("incomplete"),
                        });
                        let parsed = framer.parse(&raw).map(|f| (f, raw.len()));
                        assert_eq!(streamed, parsed, "{raw:02x?} {d:?} strict {strict}");
                    }
                }
            }
        }
    }
}
