//! Property tests: `Repr -> encode -> parse -> Repr` is the identity for A-XDR values,
//! every APDU family, HDLC frames, SNRM/UA parameters, wrapper frames and ciphered
//! APDUs; arbitrary and mutated bytes never panic any parser or framer.

use meterwire_core::{Encode, Framer, Frames};
use meterwire_dlms_cosem::Obis;
use meterwire_dlms_cosem::apdu::*;
use meterwire_dlms_cosem::axdr::{BitString, Data, Date, DateTime, Time, Value, Visit};
use meterwire_dlms_cosem::hdlc::{
    Address, Control, HdlcFrame, HdlcFramer, HdlcParameters, HdlcRepr, Reassembler,
};
use meterwire_dlms_cosem::wrapper::{WrapperFrame, WrapperFramer};
use proptest::prelude::*;

fn leaf() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Boolean),
        (0usize..40).prop_flat_map(
            |bits| proptest::collection::vec(any::<u8>(), bits.div_ceil(8))
                .prop_map(move |bytes| Value::BitString { bits, bytes })
        ),
        any::<i32>().prop_map(Value::DoubleLong),
        any::<u32>().prop_map(Value::DoubleLongUnsigned),
        proptest::collection::vec(any::<u8>(), 0..300).prop_map(Value::OctetString),
        proptest::collection::vec(any::<u8>(), 0..20).prop_map(Value::VisibleString),
        proptest::collection::vec(any::<u8>(), 0..20).prop_map(Value::Utf8String),
        any::<u8>().prop_map(Value::Bcd),
        any::<i8>().prop_map(Value::Integer),
        any::<i16>().prop_map(Value::Long),
        any::<u8>().prop_map(Value::Unsigned),
        any::<u16>().prop_map(Value::LongUnsigned),
        any::<i64>().prop_map(Value::Long64),
        any::<u64>().prop_map(Value::Long64Unsigned),
        any::<u8>().prop_map(Value::Enum),
        any::<u32>().prop_map(|b| Value::Float32(f32::from_bits(b))),
        any::<u64>().prop_map(|b| Value::Float64(f64::from_bits(b))),
        any::<[u8; 12]>().prop_map(|b| Value::DateTime(DateTime::from_bytes(b))),
        any::<[u8; 5]>().prop_map(|b| Value::Date(Date::from_bytes(b))),
        any::<[u8; 4]>().prop_map(|b| Value::Time(Time::from_bytes(b))),
        Just(Value::DontCare),
        any::<i8>().prop_map(Value::DeltaInteger),
        any::<i16>().prop_map(Value::DeltaLong),
        any::<i32>().prop_map(Value::DeltaDoubleLong),
        any::<u8>().prop_map(Value::DeltaUnsigned),
        any::<u16>().prop_map(Value::DeltaLongUnsigned),
        any::<u32>().prop_map(Value::DeltaDoubleLongUnsigned),
        // a valid compact array: array of structures {u16, octet-string}
        proptest::collection::vec(
            (any::<u16>(), proptest::collection::vec(any::<u8>(), 0..4)),
            1..5
        )
        .prop_map(|rows| {
            let mut contents = vec![];
            for (a, b) in rows {
                contents.extend(a.to_be_bytes());
                contents.push(b.len() as u8);
                contents.extend(b);
            }
            Value::CompactArray {
                description: vec![0x02, 0x02, 0x12, 0x09],
                contents,
            }
        }),
    ]
}

fn value() -> impl Strategy<Value = Value> {
    leaf().prop_recursive(4, 64, 8, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..8).prop_map(Value::Array),
            proptest::collection::vec(inner, 0..8).prop_map(Value::Structure),
        ]
    })
}

fn enc(v: &Value) -> Vec<u8> {
    v.encode_to_vec().unwrap()
}

fn encode_apdu(a: &Apdu<'_>) -> Vec<u8> {
    let v = a.encode_to_vec().unwrap();
    assert_eq!(v.len(), a.encoded_len());
    v
}

#[derive(Debug, Clone)]
struct Parts {
    family: u8,
    variant: u8,
    invoke: u8,
    class_id: u16,
    obis: [u8; 6],
    id: i8,
    value: Value,
    value2: Value,
    selector: Option<u8>,
    block: u32,
    last: bool,
    raw: Vec<u8>,
    n: usize,
    system_title: [u8; 8],
}

fn parts() -> impl Strategy<Value = Parts> {
    (
        (
            0u8..12,
            0u8..6,
            any::<u8>(),
            any::<u16>(),
            any::<[u8; 6]>(),
            any::<i8>(),
        ),
        (
            value(),
            value(),
            proptest::option::of(any::<u8>()),
            any::<u32>(),
            any::<bool>(),
        ),
        (
            proptest::collection::vec(any::<u8>(), 0..200),
            0usize..4,
            any::<[u8; 8]>(),
        ),
    )
        .prop_map(
            |(
                (family, variant, invoke, class_id, obis, id),
                (value, value2, selector, block, last),
                (raw, n, system_title),
            )| Parts {
                family,
                variant,
                invoke,
                class_id,
                obis,
                id,
                value,
                value2,
                selector,
                block,
                last,
                raw,
                n,
                system_title,
            },
        )
}

fn check(a: Apdu<'_>) {
    let bytes = encode_apdu(&a);
    let back =
        Apdu::parse(&bytes).unwrap_or_else(|e| panic!("{e}: {} {}", a.name(), hex::encode(&bytes)));
    // floats: compare re-encodings (NaN != NaN)
    assert_eq!(encode_apdu(&back), bytes, "{}", a.name());
    assert_eq!(back.name(), a.name());
}

fn roundtrip_family(p: &Parts) {
    let d1b = enc(&p.value);
    let d2b = enc(&p.value2);
    let d1 = Data::parse(&d1b).unwrap();
    let d2 = Data::parse(&d2b).unwrap();
    let invoke = InvokeIdAndPriority(p.invoke);
    let obis = Obis(p.obis);
    let desc = AttributeDescriptor {
        class_id: p.class_id,
        obis,
        attribute_id: p.id,
    };
    let method = MethodDescriptor {
        class_id: p.class_id,
        obis,
        method_id: p.id,
    };
    let attribute = AttributeWithSelection {
        descriptor: desc,
        access: p.selector.map(|s| SelectiveAccess {
            selector: s,
            parameters: d2,
        }),
    };
    let sa = DataBlockSA {
        last_block: p.last,
        block_number: p.block,
        raw_data: &p.raw,
    };
    // lists of n items, encoded then wrapped (`item(i)` is the encoding of item i)
    let encoded = |item: &dyn Fn(usize) -> Vec<u8>| (0..p.n).flat_map(item).collect::<Vec<u8>>();
    let sel = encode_apdu(&Apdu::GetRequest(GetRequest::Normal { invoke, attribute }));
    let attrs_raw = encoded(&|_| sel[3..].to_vec());
    let methods_raw =
        encoded(&|_| [&p.class_id.to_be_bytes()[..], &p.obis, &[p.id as u8]].concat());
    let data_raw = encoded(&|i| if i % 2 == 0 { d1b.clone() } else { d2b.clone() });
    let gdr_raw = encoded(&|i| {
        if i % 2 == 0 {
            [&[0][..], &d1b].concat()
        } else {
            vec![1, p.invoke]
        }
    });
    let res_raw = encoded(&|_| vec![p.invoke]);
    let ar_raw = encoded(&|_| [&[p.invoke, 1, 0][..], &d2b].concat());
    let attrs = List::from_encoded(p.n, &attrs_raw).unwrap();
    let methods = List::from_encoded(p.n, &methods_raw).unwrap();
    let datas = List::from_encoded(p.n, &data_raw).unwrap();
    let gdrs = List::from_encoded(p.n, &gdr_raw).unwrap();
    let results = List::from_encoded(p.n, &res_raw).unwrap();
    let ars = List::from_encoded(p.n, &ar_raw).unwrap();
    let v = p.variant;
    let sc = if p.raw.len() >= 12 { 0x30 } else { 0x20 };
    let glo_vec = Ciphered::service(0x21, sc, p.block, &p.raw)
        .unwrap()
        .encode_to_vec()
        .unwrap();
    let glo_buf = &glo_vec[..];
    let glo_resp_vec = Ciphered::service(0x28, sc, p.block, &p.raw)
        .unwrap()
        .encode_to_vec()
        .unwrap();
    let glo_resp_buf = &glo_resp_vec[..];
    let a = match p.family {
        0 => Apdu::GetRequest(match v % 3 {
            0 => GetRequest::Normal { invoke, attribute },
            1 => GetRequest::Next {
                invoke,
                block_number: p.block,
            },
            _ => GetRequest::WithList {
                invoke,
                attributes: attrs,
            },
        }),
        1 => Apdu::GetResponse(match v % 4 {
            0 => GetResponse::Normal {
                invoke,
                result: GetDataResult::Data(d1),
            },
            1 => GetResponse::Normal {
                invoke,
                result: GetDataResult::Error(AccessResult(p.invoke)),
            },
            2 => GetResponse::WithDataBlock {
                invoke,
                block: DataBlockG {
                    last_block: p.last,
                    block_number: p.block,
                    result: if p.last {
                        RawOrResult::RawData(&p.raw)
                    } else {
                        RawOrResult::Result(AccessResult(p.invoke))
                    },
                },
            },
            _ => GetResponse::WithList {
                invoke,
                results: gdrs,
            },
        }),
        2 => Apdu::SetRequest(match v % 5 {
            0 => SetRequest::Normal {
                invoke,
                attribute,
                data: d1,
            },
            1 => SetRequest::WithFirstDataBlock {
                invoke,
                attribute,
                block: sa,
            },
            2 => SetRequest::WithDataBlock { invoke, block: sa },
            3 => SetRequest::WithList {
                invoke,
                attributes: attrs,
                values: datas,
            },
            _ => SetRequest::WithListAndFirstDataBlock {
                invoke,
                attributes: attrs,
                block: sa,
            },
        }),
        3 => Apdu::SetResponse(match v % 5 {
            0 => SetResponse::Normal {
                invoke,
                result: AccessResult(p.invoke),
            },
            1 => SetResponse::DataBlock {
                invoke,
                block_number: p.block,
            },
            2 => SetResponse::LastDataBlock {
                invoke,
                result: AccessResult(3),
                block_number: p.block,
            },
            3 => SetResponse::LastDataBlockWithList {
                invoke,
                results,
                block_number: p.block,
            },
            _ => SetResponse::WithList { invoke, results },
        }),
        4 => Apdu::ActionRequest(match v % 6 {
            0 => ActionRequest::Normal {
                invoke,
                method,
                data: p.last.then_some(d1),
            },
            1 => ActionRequest::NextPBlock {
                invoke,
                block_number: p.block,
            },
            2 => ActionRequest::WithList {
                invoke,
                methods,
                parameters: datas,
            },
            3 => ActionRequest::WithFirstPBlock {
                invoke,
                method,
                block: sa,
            },
            4 => ActionRequest::WithListAndFirstPBlock {
                invoke,
                methods,
                block: sa,
            },
            _ => ActionRequest::WithPBlock { invoke, block: sa },
        }),
        5 => Apdu::ActionResponse(match v % 4 {
            0 => ActionResponse::Normal {
                invoke,
                result: ActionResult {
                    result: AccessResult(p.invoke),
                    return_parameters: p.last.then_some(GetDataResult::Data(d1)),
                },
            },
            1 => ActionResponse::WithPBlock { invoke, block: sa },
            2 => ActionResponse::WithList {
                invoke,
                results: ars,
            },
            _ => ActionResponse::NextPBlock {
                invoke,
                block_number: p.block,
            },
        }),
        6 => match v % 4 {
            0 => Apdu::EventNotification(EventNotification {
                time: p.last.then_some(&p.raw[..]),
                attribute: desc,
                data: d1,
            }),
            1 => Apdu::DataNotification(DataNotification {
                invoke: LongInvokeIdAndPriority(p.block),
                // 12 bytes or none: a 9-byte date-time starting with 0x0c would read
                // as the tagged form some meters send (`09 0c`, see DateTimeForm)
                date_time: &p.raw[..if p.raw.len() >= 12 { 12 } else { 0 }],
                date_time_form: DateTimeForm::Standard,
                data: d1,
            }),
            2 => Apdu::ExceptionResponse(ExceptionResponse {
                state_error: p.invoke,
                service_error: 6,
                invocation_counter: Some(p.block),
            }),
            _ => Apdu::GeneralBlockTransfer(GeneralBlockTransfer {
                block_control: p.invoke,
                block_number: p.block as u16,
                block_number_ack: (p.block >> 16) as u16,
                block_data: &p.raw,
            }),
        },
        7 => {
            let ir = InitiateRequest {
                dedicated_key: p.last.then_some(&p.raw[..p.raw.len().min(16)]),
                response_allowed: if p.last { Some(false) } else { None },
                proposed_quality_of_service: None,
                proposed_dlms_version: 6,
                proposed_conformance: Conformance(p.block & 0x00FF_FFFF),
                client_max_receive_pdu_size: p.class_id,
            };
            let ctx = Oid::dlms(1, p.invoke % 4 + 1);
            let mech = Oid::dlms(2, p.invoke % 8);
            Apdu::Aarq(Aarq {
                application_context_name: Some(Oid(&ctx)),
                calling_ap_title: p.last.then_some(&p.system_title[..]),
                sender_acse_requirements: Some(&[0x07, 0x80]),
                mechanism_name: Some(Oid(&mech)),
                calling_authentication_value: Some(&p.raw[..p.raw.len().min(64)]),
                user_information: Some(if v % 2 == 0 {
                    UserInformation::InitiateRequest(ir)
                } else {
                    UserInformation::Ciphered(CipheredBytes::new(glo_buf).unwrap())
                }),
                ..Default::default()
            })
            .pipe(check_owned)
        }
        8 => {
            let ctx = Oid::dlms(1, 1);
            let ir = InitiateResponse {
                negotiated_quality_of_service: p.last.then_some(p.id),
                negotiated_dlms_version: 6,
                negotiated_conformance: Conformance(p.block & 0x00FF_FFFF),
                server_max_receive_pdu_size: p.class_id,
                vaa_name: 7,
            };
            Apdu::Aare(Aare {
                application_context_name: Some(Oid(&ctx)),
                result: p.invoke % 3,
                diagnostic: Some(if p.last {
                    Diagnostic::AcseServiceUser(p.invoke)
                } else {
                    Diagnostic::AcseServiceProvider(2)
                }),
                responding_ap_title: Some(&p.system_title),
                responding_authentication_value: (!p.last).then_some(&p.raw[..p.raw.len().min(64)]),
                user_information: Some(match v % 3 {
                    0 => UserInformation::InitiateResponse(ir),
                    1 => UserInformation::ConfirmedServiceError(ConfirmedServiceError {
                        service: 1,
                        error_type: 6,
                        value: p.invoke,
                    }),
                    _ => UserInformation::Ciphered(CipheredBytes::new(glo_resp_buf).unwrap()),
                }),
                ..Default::default()
            })
            .pipe(check_owned)
        }
        9 => {
            let r = Release {
                reason: p.last.then_some(p.invoke),
                user_information: None,
            };
            if v % 2 == 0 {
                Apdu::Rlrq(r)
            } else {
                Apdu::Rlre(r)
            }
        }
        10 => {
            let vars_raw: Vec<u8> = (0..p.n).flat_map(|i| [2u8, i as u8, p.invoke]).collect();
            let reads_raw: Vec<u8> = (0..p.n).flat_map(|_| [1u8, p.invoke]).collect();
            let writes_raw: Vec<u8> = (0..p.n).flat_map(|_| [2u8, 0, p.invoke]).collect();
            let variables = List::from_encoded(p.n, &vars_raw).unwrap();
            let a = Apdu::Sn(match v % 6 {
                0 => SnService::ReadRequest { variables },
                1 => SnService::WriteRequest {
                    variables,
                    values: datas,
                },
                2 => SnService::UnconfirmedWriteRequest {
                    variables,
                    values: datas,
                },
                3 => SnService::ReadResponse {
                    results: List::from_encoded(p.n, &reads_raw).unwrap(),
                },
                4 => SnService::WriteResponse {
                    results: List::from_encoded(p.n, &writes_raw).unwrap(),
                },
                _ => SnService::InformationReport {
                    current_time: p.last.then_some(&p.raw[..]),
                    variables,
                    values: datas,
                },
            });
            check(a);
            return;
        }
        12 => {
            // access-request / access-response: get, set, action and with-selection specs
            let mut specs_raw = vec![];
            let mut res_raw = vec![];
            for i in 0..p.n {
                let choice = (i % 5) as u8 + 1;
                specs_raw.push(choice);
                specs_raw.extend_from_slice(&[(p.class_id >> 8) as u8, p.class_id as u8]);
                specs_raw.extend_from_slice(&p.obis);
                specs_raw.push(p.id as u8);
                if choice >= 4 {
                    specs_raw.push(p.invoke);
                    specs_raw.extend_from_slice(&d2b);
                }
                res_raw.extend_from_slice(&[(i % 3) as u8 + 1, p.invoke]);
            }
            let requests = List::from_encoded(p.n, &specs_raw).unwrap();
            let a = if v % 2 == 0 {
                Apdu::AccessRequest(AccessRequest {
                    invoke: LongInvokeIdAndPriority(p.block),
                    date_time: &p.raw[..p.raw.len().min(12)],
                    requests,
                    data: datas,
                })
            } else {
                Apdu::AccessResponse(AccessResponse {
                    invoke: LongInvokeIdAndPriority(p.block),
                    date_time: &[],
                    requests: p.last.then_some(requests),
                    data: datas,
                    results: List::from_encoded(p.n, &res_raw).unwrap(),
                })
            };
            check(a);
            return;
        }
        _ => {
            let c = match v % 3 {
                0 => Ciphered::general_glo(&p.system_title, p.invoke & 0xEF, p.block, &p.raw),
                1 => Ciphered::service(0xC8 + (p.invoke % 16), p.invoke & 0xEF, p.block, &p.raw)
                    .unwrap(),
                _ => Ciphered {
                    tag: 0xDD,
                    kind: CipheringKind::General,
                    plain_tag: None,
                    transaction_id: Some(&p.raw[..p.raw.len().min(8)]),
                    system_title: Some(&p.system_title),
                    recipient_system_title: Some(&p.system_title),
                    date_time: Some(&[]),
                    other_information: Some(&[]),
                    key_info: p
                        .last
                        .then_some(KeyInfo::IdentifiedKey { key_id: p.invoke }),
                    security_control: SecurityControl(p.invoke & 0xEF),
                    invocation_counter: p.block,
                    payload: &p.raw,
                },
            };
            let bytes = c.encode_to_vec().unwrap();
            assert_eq!(Ciphered::parse(&bytes).unwrap(), c);
            Apdu::Ciphered(c)
        }
    };
    check(a);
}

trait Pipe: Sized {
    fn pipe<R>(self, f: impl FnOnce(Self) -> R) -> R {
        f(self)
    }
}
impl<T> Pipe for T {}

/// ACSE APDUs borrow local OIDs: check them in place, then hand back a trivial APDU.
fn check_owned(a: Apdu<'_>) -> Apdu<'static> {
    check(a);
    Apdu::ExceptionResponse(ExceptionResponse {
        state_error: 1,
        service_error: 2,
        invocation_counter: None,
    })
}

/// Anything `Apdu::parse` accepts re-encodes to bytes that parse to the same encoding
/// (byte equality only up to non-canonical lengths and booleans), and serializes.
fn accepted_reencodes(bytes: &[u8]) {
    if let Ok(a) = Apdu::parse(bytes) {
        let re = a.encode_to_vec().unwrap();
        assert_eq!(Apdu::parse(&re).unwrap().encode_to_vec().unwrap(), re);
        #[cfg(feature = "serde")]
        let _ = serde_json::to_string(&a).unwrap();
    }
}

/// What a visitor sees, in order.
#[derive(Debug, Clone, PartialEq)]
enum Ev {
    Begin(u8, usize),
    End(u8),
    Value(Value),
}

/// Records every visitor call, each scalar as the owned value it stands for.
#[derive(Default)]
struct Recorder(Vec<Ev>);

/// The owned value of a numeric tag from its bits (two's complement, or IEEE 754),
/// through the decoder: the tag's fixed width, big-endian.
fn number(tag: u8, bits: u64) -> Value {
    let width = match tag {
        0 | 255 => 0,
        3 | 13 | 15 | 17 | 22 | 28 | 31 => 1,
        16 | 18 | 29 | 32 => 2,
        5 | 6 | 23 | 30 | 33 => 4,
        _ => 8,
    };
    let mut b = vec![tag];
    b.extend_from_slice(&bits.to_be_bytes()[8 - width..]);
    Value::parse(&b).unwrap()
}

impl<'a> Visit<'a> for Recorder {
    fn begin(&mut self, tag: u8, count: usize) {
        self.0.push(Ev::Begin(tag, count));
    }
    fn end(&mut self, tag: u8) {
        self.0.push(Ev::End(tag));
    }
    fn unsigned(&mut self, tag: u8, v: u64) {
        self.0.push(Ev::Value(number(tag, v)));
    }
    fn signed(&mut self, tag: u8, v: i64) {
        self.0.push(Ev::Value(number(tag, v as u64)));
    }
    fn float(&mut self, tag: u8, v: f64) {
        let bits = if tag == 23 {
            u64::from((v as f32).to_bits())
        } else {
            v.to_bits()
        };
        self.0.push(Ev::Value(number(tag, bits)));
    }
    fn bytes(&mut self, tag: u8, b: &'a [u8]) {
        let b = b.to_vec();
        self.0.push(Ev::Value(match tag {
            9 => Value::OctetString(b),
            10 => Value::VisibleString(b),
            _ => Value::Utf8String(b),
        }));
    }
    fn date_time(&mut self, v: DateTime) {
        self.0.push(Ev::Value(Value::DateTime(v)));
    }
    fn date(&mut self, v: Date) {
        self.0.push(Ev::Value(Value::Date(v)));
    }
    fn time(&mut self, v: Time) {
        self.0.push(Ev::Value(Value::Time(v)));
    }
    fn bit_string(&mut self, v: BitString<'a>) {
        let (bits, bytes) = (v.bits, v.bytes.to_vec());
        self.0.push(Ev::Value(Value::BitString { bits, bytes }));
    }
    fn null(&mut self, tag: u8) {
        self.0.push(Ev::Value(number(tag, 0)));
    }
}

/// The visit order built from the `Data` tree with `Seq::iter` (the reference).
fn reference(d: &Data<'_>, out: &mut Vec<Ev>) {
    let t = d.tag();
    match d {
        Data::Array(_) | Data::Structure(_) | Data::CompactArray(_) => {
            let s = d.as_seq().unwrap();
            out.push(Ev::Begin(t, s.len()));
            for e in s.iter() {
                reference(&e, out);
            }
            out.push(Ev::End(t));
        }
        _ => out.push(Ev::Value(Value::from(d))),
    }
}

/// `Data::visit` reports every value of `bytes` in the reference order, with its value.
fn assert_visit_matches_tree(bytes: &[u8]) {
    let d = Data::parse(bytes).unwrap();
    let mut want = vec![];
    reference(&d, &mut want);
    let mut got = Recorder::default();
    d.visit(&mut got);
    // floats compare by bits (NaN)
    assert_eq!(format!("{:?}", got.0), format!("{want:?}"));
}

/// Long-form counts (>= 0x80 elements), compact arrays, bit strings, dates and the
/// rarer tags leave the visitor's hot loop; nested inside a profile-like array.
#[test]
fn visit_long_counts_and_rare_tags() {
    let row = |i: u32| {
        Value::Structure(vec![
            Value::OctetString(vec![0x07, 0xEA, 1, 2, 0xFF, 3, 4, 5, 0, 0xFF, 0xC4, 0]),
            Value::DoubleLongUnsigned(i * 977),
            Value::DoubleLong(-(i as i32)),
            Value::LongUnsigned(i as u16),
            Value::Long(-(i as i16)),
            Value::Unsigned(i as u8),
            Value::Enum(30),
            Value::Integer(-1),
        ])
    };
    let mut rows: Vec<Value> = (0..200).map(row).collect();
    rows.push(Value::Array(
        (0..300).map(|i| Value::Unsigned(i as u8)).collect(),
    ));
    rows.push(Value::Structure(vec![
        Value::BitString {
            bits: 10,
            bytes: vec![0xA0, 0x40],
        },
        Value::Boolean(true),
        Value::Float32(1.5),
        Value::Float64(-2.25),
        Value::Long64(-5),
        Value::Long64Unsigned(u64::MAX),
        Value::Bcd(0x12),
        Value::DateTime(DateTime::from_bytes([
            7, 0xEA, 1, 2, 0xFF, 3, 4, 5, 0, 0x80, 0, 0xFF,
        ])),
        Value::Date(Date::from_bytes([7, 0xEA, 1, 2, 0xFF])),
        Value::Time(Time::from_bytes([3, 4, 5, 0])),
        Value::VisibleString(b"abc".to_vec()),
        Value::Utf8String(vec![0xC3, 0xA9]),
        Value::OctetString(vec![0x55; 200]),
        Value::Null,
        Value::DontCare,
        Value::DeltaInteger(-3),
        Value::DeltaLong(-300),
        Value::DeltaDoubleLong(-70_000),
        Value::DeltaUnsigned(3),
        Value::DeltaLongUnsigned(300),
        Value::DeltaDoubleLongUnsigned(70_000),
        Value::CompactArray {
            description: vec![0x02, 0x02, 0x12, 0x09],
            contents: vec![0, 1, 2, 0xAA, 0xBB, 0, 2, 1, 0xCC, 0, 3, 0],
        },
    ]));
    let bytes = enc(&Value::Array(rows));
    assert_visit_matches_tree(&bytes);
    // and the counts: 1 + 200 * 9 + 301 + 1 + 21 + (1 + 3 * 3) values, 4 + 200 + 2 containers end
    let mut r = Recorder::default();
    Data::parse(&bytes).unwrap().visit(&mut r);
    let values = r.0.iter().filter(|e| !matches!(e, Ev::End(_))).count();
    assert_eq!(values, 1 + 200 * 9 + 301 + 1 + 21 + 1 + 3 * 3);
    assert_eq!(r.0.first(), Some(&Ev::Begin(1, 202)));
    assert_eq!(r.0.last(), Some(&Ev::End(1)));
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn axdr_value_roundtrip(v in value()) {
        let bytes = enc(&v);
        prop_assert_eq!(bytes.len(), v.encoded_len());
        let d = Data::parse(&bytes).unwrap();
        prop_assert_eq!(d.encode_to_vec().unwrap(), bytes.clone());
        let back = Value::from(&d);
        prop_assert_eq!(enc(&back), bytes.clone());
        // walking visits every value without failing
        let mut n = 0usize;
        d.walk(&mut |_| n += 1);
        prop_assert!(n >= 1);
        // the one-pass visitor sees the same values in the same order as the tree
        assert_visit_matches_tree(&bytes);
    }

    #[test]
    fn apdu_families_roundtrip(p in parts()) {
        roundtrip_family(&p);
    }

    #[test]
    fn hdlc_roundtrip(
        seg in any::<bool>(),
        d in 0usize..3, s in 0usize..3,
        up in 0u16..0x3FFF, lo in 0u16..0x3FFF,
        ctrl in any::<u8>(),
        info in proptest::collection::vec(any::<u8>(), 0..300),
    ) {
        let addr = |k: usize| match k {
            0 => Address::one((up & 0x7F) as u8),
            1 => Address::two((up & 0x7F) as u8, (lo & 0x7F) as u8),
            _ => Address::four(up, lo),
        };
        let Ok(control) = Control::from_byte(ctrl) else { return Ok(()) };
        let r = HdlcRepr { segmented: seg, destination: addr(d), source: addr(s), control, info: &info };
        let bytes = r.encode_to_vec().unwrap();
        let f = HdlcFrame::parse(&bytes).unwrap();
        prop_assert_eq!(f.repr(), r);
        let mut fr = HdlcFramer::new();
        let meterwire_core::Decoded::Frame { consumed, .. } = fr.decode(&bytes).unwrap() else { panic!() };
        prop_assert_eq!(consumed, bytes.len());
    }

    #[test]
    fn parameters_roundtrip(a in proptest::option::of(any::<u16>()), b in proptest::option::of(any::<u16>()),
                            c in proptest::option::of(any::<u32>()), d in proptest::option::of(any::<u32>())) {
        let p = HdlcParameters { max_info_tx: a.map(u32::from), max_info_rx: b.map(u32::from), window_tx: c, window_rx: d };
        let bytes = p.encode_to_vec().unwrap();
        prop_assert_eq!(HdlcParameters::parse(&bytes).unwrap(), p);
    }

    #[test]
    fn wrapper_roundtrip(s in any::<u16>(), d in any::<u16>(), apdu in proptest::collection::vec(any::<u8>(), 0..600)) {
        let w = WrapperFrame::new(s, d, &apdu);
        let bytes = w.encode_to_vec().unwrap();
        prop_assert_eq!(WrapperFrame::parse(&bytes).unwrap(), w);
    }

    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
        let _ = Apdu::parse(&bytes);
        let _ = Data::parse(&bytes);
        let _ = HdlcFrame::parse(&bytes);
        let _ = WrapperFrame::parse(&bytes);
        let _ = HdlcParameters::parse(&bytes);
        for ev in Frames::new(HdlcFramer::new(), &bytes) {
            if let meterwire_core::Event::Frame { frame, .. } = ev {
                let _ = Apdu::parse(frame.payload());
            }
        }
        let _ = Frames::new(WrapperFramer::new(), &bytes).count();
        let mut mr = meterwire_dlms_cosem::mbus::MbusReassembler::new([0u8; 512]);
        for ev in Frames::new(meterwire_dlms_cosem::mbus::MbusFramer::new(), &bytes) {
            if let meterwire_core::Event::Frame { frame, raw, .. } = ev {
                prop_assert_eq!(frame.encode_to_vec().unwrap(), raw.to_vec());
                let _ = mr.push(&frame);
            }
        }
        let _ = Frames::new(ApduFramer, &bytes).count();
        // with HDLC framing around it, so the APDU parser sees it
        let r = HdlcRepr { segmented: false, destination: Address::one(1), source: Address::one(16), control: Control::UI { pf: false }, info: &bytes };
        let framed = r.encode_to_vec().unwrap();
        let f = HdlcFrame::parse(&framed).unwrap();
        let mut re = Reassembler::new([0u8; 512]);
        let _ = re.push(&f);
        accepted_reencodes(&bytes);
    }

    #[test]
    fn mutated_real_frames_never_panic(idx in 0usize..6, pos in any::<usize>(), byte in any::<u8>(), cut in any::<usize>()) {
        let frames = [
            "0f8006870e0c07e5091b01092f0f00ff88800223090c07e5091b01092f0f00ff888009060100010800ff060000328902020f00161e",
            "c001c100070100630100ff0201010204020412000809060000010000ff0f02120000090c07e20601ff000300ffff8880090c07e50106ff000300ffffc4000100",
            "6066a109060760857405080103a60a04084d4d4d0000bc614e8a0207808b0760857405080201ac0a80083132333435363738be34043221303001234567801302ff8a7874133d414ced25b42534d28db0047720606b175bd52211be6841db204d39ee6fdb8e356855",
            "6142a109060760857405080101a203020100a305a10302010e88020780890760857405080205aa0a8008503677524a323146be10040e0800065f1f040000501f01f40007",
            "c401c1000103020412000809060000010000ff0f0212000002041200080906000001 0000ff0f02120000020412000809060000010000ff0f02120000",
            "13 02021209 0c 0001 02aabb 0002 01cc 0003 00",
        ];
        let mut b = hex::decode(frames[idx].split_whitespace().collect::<String>()).unwrap();
        let p = pos % b.len();
        b[p] = byte;
        b.truncate(cut % (b.len() + 1));
        if let Ok(d) = Data::parse(&b) {
            let mut n = 0;
            d.walk(&mut |_| n += 1);
            #[cfg(feature = "serde")]
            let _ = serde_json::to_string(&d).unwrap();
        }
        accepted_reencodes(&b);
    }

    /// Issue 12, lenient path: a data-notification whose date-time is a tagged
    /// octet-string (`09 0c` + 12 bytes, Kaifa) decodes with a vendor-quirk diagnostic;
    /// re-encoding writes the standard form, which parses to the same values without one.
    #[test]
    fn tagged_date_time_decodes_and_reencodes_standard(
        invoke in any::<u32>(),
        dt in proptest::array::uniform12(any::<u8>()),
        value in any::<u32>(),
    ) {
        let mut b = vec![0x0F];
        b.extend_from_slice(&invoke.to_be_bytes());
        b.extend_from_slice(&[0x09, 0x0C]);
        b.extend_from_slice(&dt);
        b.push(0x06);
        b.extend_from_slice(&value.to_be_bytes());
        let a = Apdu::parse(&b).unwrap();
        prop_assert_eq!(a.diagnostics().count(), 1);
        let re = a.encode_to_vec().unwrap();
        let Apdu::DataNotification(n) = a else { panic!() };
        prop_assert_eq!(n.date_time, &dt[..]);
        prop_assert_eq!(n.date_time_form, DateTimeForm::TaggedOctetString);
        prop_assert_eq!(n.data, Data::DoubleLongUnsigned(value));
        prop_assert_eq!(&re[5..6], &[0x0C]);
        let b2 = Apdu::parse(&re).unwrap();
        prop_assert_eq!(b2.diagnostics().count(), 0);
        let Apdu::DataNotification(m) = b2 else { panic!() };
        prop_assert_eq!((m.date_time, m.data), (n.date_time, n.data));
    }
}

/// The two-pass reference for a data-notification: `Apdu::parse`, then `Data::visit`.
fn two_pass(b: &[u8]) -> Result<(DataNotification<'_>, Vec<Ev>), meterwire_dlms_cosem::Error> {
    match Apdu::parse(b)? {
        Apdu::DataNotification(n) => {
            let mut r = Recorder::default();
            n.data.visit(&mut r);
            Ok((n, r.0))
        }
        other => panic!("not a data-notification: {other:?}"),
    }
}

/// `DataNotification::parse_visit` (one pass) accepts exactly what the two-pass path
/// accepts, with the same header, data and visits, and rejects everything it rejects
/// with the same error (kind, field and figures).
fn assert_one_pass_agrees(b: &[u8]) {
    let mut r = Recorder::default();
    let one = DataNotification::parse_visit(b, &mut r);
    if b.first() != Some(&0x0F) {
        // another APDU (or none): the one-pass decoder is for data-notifications only
        match one {
            Err(e) if b.is_empty() => assert_eq!(Some(e), Apdu::parse(b).err()),
            Err(e) => assert_eq!(
                e,
                meterwire_dlms_cosem::Error::unsupported("data-notification tag", u32::from(b[0]))
            ),
            Ok(_) => panic!("accepted a non-notification {b:02x?}"),
        }
        return;
    }
    match (two_pass(b), one) {
        (Ok((n, want)), Ok(m)) => {
            assert_eq!(format!("{m:?}"), format!("{n:?}"));
            // floats compare by bits (NaN)
            assert_eq!(format!("{:?}", r.0), format!("{want:?}"));
        }
        (Err(e), Err(f)) => assert_eq!(f, e, "{b:02x?}"),
        (two, one) => panic!(
            "disagree on {b:02x?}: two-pass {:?}, one-pass {:?}",
            two.map(|x| x.0),
            one
        ),
    }
}

/// The same for a bare value: `Data::parse_visit_prefix` against `Data::parse_prefix`.
fn assert_value_one_pass_agrees(b: &[u8]) {
    let mut r = Recorder::default();
    let one = Data::parse_visit_prefix(b, &mut r);
    match (Data::parse_prefix(b), one) {
        (Ok((d, used)), Ok((e, used2))) => {
            assert_eq!((format!("{e:?}"), used2), (format!("{d:?}"), used));
            let mut want = Recorder::default();
            d.visit(&mut want);
            assert_eq!(format!("{:?}", r.0), format!("{:?}", want.0));
        }
        (Err(e), Err(f)) => assert_eq!(f, e, "{b:02x?}"),
        (two, one) => panic!("disagree on {b:02x?}: two-pass {two:?}, one-pass {one:?}"),
    }
}

include!("bench_push.rs");

/// Real pushes: the issue-6 bench push (clock + 19 OBIS/value pairs), the Kaifa-like
/// push of `mutated_real_frames_never_panic`, a tagged date-time push with rare tags, a
/// long count and a compact array, and one nested to the depth limit.
fn real_pushes() -> Vec<Vec<u8>> {
    let push = |tagged: bool, v: Value| [push_header(tagged), enc(&v)].concat();
    let rare = Value::Structure(vec![
        Value::Array((0..130).map(|i| Value::LongUnsigned(i * 7)).collect()),
        Value::OctetString(vec![0x5A; 140]),
        Value::BitString {
            bits: 10,
            bytes: vec![0xA0, 0x40],
        },
        Value::Boolean(true),
        Value::Float32(1.5),
        Value::Long64(-5),
        Value::DateTime(DateTime::from_bytes([
            7, 0xEA, 1, 2, 0xFF, 3, 4, 5, 0, 0x80, 0, 0xFF,
        ])),
        Value::VisibleString(b"abc".to_vec()),
        Value::DeltaLong(-300),
        Value::Null,
        Value::CompactArray {
            description: vec![0x02, 0x02, 0x12, 0x09],
            contents: vec![0, 1, 2, 0xAA, 0xBB, 0, 2, 1, 0xCC],
        },
        Value::DoubleLong(-7),
        Value::Long(-2),
        Value::Unsigned(3),
    ]);
    // 31 nested structures around a value: the depth limit (32) is one level away
    let mut deep = Value::Structure(vec![Value::Unsigned(1), Value::Enum(2)]);
    for _ in 0..30 {
        deep = Value::Structure(vec![deep, Value::LongUnsigned(5)]);
    }
    vec![
        bench_push_apdu(),
        // (its structure count set to the 4 elements it holds)
        hex::decode("0f8006870e0c07e5091b01092f0f00ff88800204090c07e5091b01092f0f00ff888009060100010800ff060000328902020f00161e").unwrap(),
        push(true, rare),
        push(false, deep),
        push(false, Value::DoubleLongUnsigned(7)),
    ]
}

/// Every single-byte change (all 256 values at every position) and every truncation of
/// the real pushes: the one-pass decoder agrees with `Apdu::parse` + visit on each.
#[test]
fn one_pass_push_agrees_on_every_single_byte_mutation() {
    let mut rejected = 0;
    for p in real_pushes() {
        assert_one_pass_agrees(&p);
        assert!(two_pass(&p).is_ok(), "{:?}", two_pass(&p).err());
        for cut in 0..p.len() {
            assert_one_pass_agrees(&p[..cut]);
        }
        for pos in 0..p.len() {
            for byte in 0..=255u8 {
                let mut b = p.clone();
                b[pos] = byte;
                rejected += usize::from(b[0] == 0x0F && Apdu::parse(&b).is_err());
                assert_one_pass_agrees(&b);
                assert_value_one_pass_agrees(&b[1..]);
            }
        }
    }
    // the sweep exercises rejections, not only acceptances
    assert!(rejected > 10_000, "{rejected}");
}

/// The depth limit: 32 nested containers decode, 33 are `DepthLimit` on both paths.
#[test]
fn one_pass_depth_limit() {
    for (levels, ok) in [(32, true), (33, false)] {
        let mut b = vec![0x0F, 0, 0, 0, 1, 0];
        b.extend(std::iter::repeat_n([0x02, 0x01], levels - 1).flatten());
        b.extend_from_slice(&[0x02, 0x01, 0x11, 0x07]);
        assert_eq!(two_pass(&b).is_ok(), ok);
        assert_one_pass_agrees(&b);
        let mut r = Recorder::default();
        let res = DataNotification::parse_visit(&b, &mut r);
        if ok {
            assert_eq!(r.0.len(), 2 * levels + 1);
            assert_eq!(r.0[levels], Ev::Value(Value::Unsigned(7)));
        } else {
            assert!(matches!(
                res,
                Err(meterwire_dlms_cosem::Error::DepthLimit { limit: 32, .. })
            ));
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2048, ..ProptestConfig::default() })]

    /// Several changed, inserted or removed bytes in a real push: one pass and two
    /// passes agree (value, visits or error).
    #[test]
    fn one_pass_push_agrees_on_mutated_pushes(
        idx in 0usize..5,
        edits in proptest::collection::vec((any::<usize>(), any::<u8>(), 0u8..3), 1..5),
        cut in any::<usize>(),
    ) {
        let mut b = real_pushes().swap_remove(idx);
        for (pos, byte, op) in edits {
            let p = 1 + pos % (b.len() - 1);
            match op {
                0 => b[p] = byte,
                1 => b.insert(p, byte),
                _ if b.len() > 2 => { b.remove(p); }
                _ => {}
            }
        }
        let keep = cut % (b.len() + 8);
        b.truncate(keep.max(1));
        assert_one_pass_agrees(&b);
    }

    /// Generated values, mutated: `Data::parse_visit_prefix` agrees with
    /// `Data::parse_prefix` + visit.
    #[test]
    fn one_pass_value_agrees_on_mutated_values(
        v in value(),
        edits in proptest::collection::vec((any::<usize>(), any::<u8>()), 0..3),
        cut in any::<usize>(),
    ) {
        let mut b = enc(&v);
        assert_value_one_pass_agrees(&b);
        for (pos, byte) in edits {
            let p = pos % b.len();
            b[p] = byte;
        }
        b.truncate(cut % (b.len() + 1));
        assert_value_one_pass_agrees(&b);
    }
}
