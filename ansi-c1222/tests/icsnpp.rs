#![allow(
    clippy::indexing_slicing,
    clippy::arithmetic_side_effects,
    clippy::unwrap_used,
    missing_docs
)]
//! C12.22 service frames from parsitects/icsnpp-c1222 (the INL/CISA Zeek parser for IEEE
//! 1703; BSD-3-Clause): `testing/traces/c1222_*_service_tcp.pcap`, frames 1 (request) and
//! 2 (response), TCP payloads. Expected values are that project's Zeek baselines
//! (`testing/baseline/tests.c1222_*/c1222_*_service.log`), an independent decoder.

mod common;
use common::*;
use meterwire_ansi_c1222::c1219::TableId;
use meterwire_ansi_c1222::c1222::{ApTitle, Apdu};
use meterwire_ansi_c1222::psem::{IdentFeature, Request, Response, ResponseCode, Service};

fn services(hexstr: &str) -> Vec<Vec<u8>> {
    let raw = hex(hexstr);
    let a = Apdu::parse(&raw).unwrap();
    assert!(a.called_ap_title().is_some());
    a.epsem()
        .services()
        .unwrap()
        .map(|s| s.unwrap().to_vec())
        .collect()
}

fn one(hexstr: &str) -> Vec<u8> {
    let mut s = services(hexstr);
    assert_eq!(s.len(), 1);
    s.remove(0)
}

/// The one service of the APDU `hexstr` parses (C12.22 variant) to `want`.
fn assert_request(hexstr: &str, want: Request<'_>) {
    let req = one(hexstr);
    assert_eq!(
        Request::parse(&req, meterwire_ansi_c1222::psem::Variant::C1222).unwrap(),
        want
    );
}

fn title(b: &[u8]) -> String {
    ApTitle::parse(b).unwrap().to_string()
}

#[test]
fn headers() {
    let raw = hex(
        "6030a211060f2b060104018285638e7f85f1c24e00a60a06082b06010401828563a806020413e81421be0728058103800120",
    );
    apdu_with_header(
        &raw,
        ("1.3.6.1.4.1.33507.1919.12345678.0", "1.3.6.1.4.1.33507"),
        (None, Some(0x13e81421)),
    );
}

#[test]
fn registration() {
    // baseline: RELAY,HOST,NOTIFICATION_HOST,AUTHENTICATION_HOST,END_DEVICE,RESERVED,MY_DOMAIN_PATTERN_FLAG
    // BROADCAST_AND_MULTICAST,MESSAGE_ACCEPT_WINDOW,PLAYBACK_REJECTION,RESERVED,ACCEPT_CONNECTIONLESS,
    // CONNECTION_MODE,ACCEPT_CONNECTIONS  .1.33507  1.3.6.1.4.1.33507  1.3.6.1.4.1.33507  fizzbuzz  beef  66051
    let req = one(
        "605ba211060f2b060104018285638e7f85f1c24e00a60a06082b06010401828563a806020413e81421be322830812e802c27fdef0182856306082b0601040182856306082b060104018285630866697a7a62757a7a0102030462656566",
    );
    let Service::Request(Request::Register(r)) =
        Service::parse(&req, meterwire_ansi_c1222::psem::Variant::C1222).unwrap()
    else {
        panic!()
    };
    assert_eq!((r.node_type, r.connection_type), (0xfd, 0xef));
    assert_eq!(ApTitle::Relative(&r.device_class).to_string(), ".1.33507");
    assert_eq!(title(r.ap_title), "1.3.6.1.4.1.33507");
    assert_eq!(title(r.electronic_serial_number), "1.3.6.1.4.1.33507");
    assert_eq!(r.native_address, b"fizzbuzz");
    assert_eq!(r.registration_period, 66051);
    assert_eq!(r.my_domain_pattern, Some(&b"beef"[..]));
    let mut re = vec![0u8; 64];
    let n = meterwire_core::Encode::encode(&Request::Register(r), &mut re).unwrap();
    assert_eq!(&re[..n], &req[..]);
    // baseline (columns reg_period, reg_delay): 1.3.6.1.4.1.33507  0  3600  (all info bits but 3)
    let resp = one(
        "6040a20a06082b06010401828563a611060f2b060104018285638e7f85f1c24e00a806020413e81421be172815811380110006082b060104018285630e10000000ef",
    );
    let rr = Response::parse(&resp).unwrap().register().unwrap();
    assert_eq!(title(rr.ap_title), "1.3.6.1.4.1.33507");
    assert_eq!((rr.reg_delay, rr.reg_period, rr.reg_info), (3600, 0, 0xef));
}

#[test]
fn resolve_and_trace() {
    // the resolve (0x25) and trace (0x26) requests both carry the AP title
    for (req, code) in [
        (
            "603aa211060f2b060104018285638e7f85f1c24e00a60a06082b06010401828563a806020413e81421be11280f810d800b2506082b06010401828563",
            0x25,
        ),
        (
            "603aa211060f2b060104018285638e7f85f1c24e00a60a06082b06010401828563a806020413e81421be11280f810d800b2606082b06010401828563",
            0x26,
        ),
    ] {
        let req = one(req);
        let r = Request::parse(&req, meterwire_ansi_c1222::psem::Variant::C1222).unwrap();
        let (Request::Resolve { ap_title } | Request::Trace { ap_title }) = r else {
            panic!()
        };
        assert_eq!(r.code(), code);
        assert_eq!(title(ap_title), "1.3.6.1.4.1.33507");
    }
    let resp = one(
        "603da20a06082b06010401828563a611060f2b060104018285638e7f85f1c24e00a806020413e81421be1428128110800e000c6c6f63616c61646472657373",
    );
    assert_eq!(
        Response::parse(&resp).unwrap().resolve().unwrap(),
        b"localaddress"
    );
    let resp = one(
        "604ba20a06082b06010401828563a611060f2b060104018285638e7f85f1c24e00a806020413e81421be222820811e801c0006082b06010401828563060f2b060104018285638e7f85f1c24e00",
    );
    let t: Vec<String> = Response::parse(&resp)
        .unwrap()
        .trace_titles()
        .unwrap()
        .map(|t| t.unwrap().to_string())
        .collect();
    assert_eq!(
        t,
        ["1.3.6.1.4.1.33507", "1.3.6.1.4.1.33507.1919.12345678.0"]
    );
}

#[test]
fn identification() {
    assert_request(
        "6030a211060f2b060104018285638e7f85f1c24e00a60a06082b06010401828563a806020413e81421be0728058103800120",
        Request::Ident,
    );
    // baseline: ANSI C12.22 (std 3)  ver 1  rev 0  1.3.6.1.4.1.33507 ... format 1 \x00\x01\x02\x03\x0a\x04\x0d\x05\x06\x07
    let resp = one(
        "6059a20a06082b06010401828563a611060f2b060104018285638e7f85f1c24e00a806020413e81421be30282e812c802a000301000406082b0601040182856305080606082b06010401828563070b01000102030a040d05060700",
    );
    let r = Response::parse(&resp).unwrap();
    let id = r.ident().unwrap();
    assert_eq!((id.std, id.ver, id.rev), (3, 1, 0));
    let f: Vec<IdentFeature<'_>> = id.features().collect::<Result<_, _>>().unwrap();
    assert_eq!(f.len(), 4);
    let IdentFeature::SecurityMechanism(m) = f[0] else {
        panic!()
    };
    assert_eq!(title(m), "1.3.6.1.4.1.33507");
    assert_eq!(f[1], IdentFeature::SessionCtrl(0x08));
    let IdentFeature::DeviceClass(d) = f[2] else {
        panic!()
    };
    assert_eq!(title(d), "1.3.6.1.4.1.33507");
    assert_eq!(
        f[3],
        IdentFeature::DeviceIdentity {
            format: 1,
            identification: &[0, 1, 2, 3, 0x0a, 4, 0x0d, 5, 6, 7]
        }
    );
}

#[test]
fn logon_security_wait() {
    // baseline: Logon 4660 helloworld 0 / Resp Logon 0
    assert_request(
        "603ea211060f2b060104018285638e7f85f1c24e00a60a06082b06010401828563a806020413e81421be1528138111800f50123468656c6c6f776f726c640000",
        Request::Logon {
            user_id: 4660,
            user: b"helloworld",
            session_idle_timeout: Some(0),
        },
    );
    let resp = one(
        "6032a20a06082b06010401828563a611060f2b060104018285638e7f85f1c24e00a806020413e81421be09280781058003000000",
    );
    assert_eq!(Response::parse(&resp).unwrap().logon().unwrap(), 0);
    // a sessionless security request: 20-byte password, no user id
    let req = one(
        "6044a211060f2b060104018285638e7f85f1c24e00a60a06082b06010401828563a806020413e81421be1b28198117801551000000000000000070617373776f726431323334",
    );
    let Request::Security { password, user_id } =
        Request::parse(&req, meterwire_ansi_c1222::psem::Variant::C1222).unwrap()
    else {
        panic!()
    };
    assert_eq!(&password[8..], b"password1234");
    assert_eq!(user_id, None);
    assert_request(
        "6031a211060f2b060104018285638e7f85f1c24e00a60a06082b06010401828563a806020413e81421be082806810480027070",
        Request::Wait { seconds: 0x70 },
    );
}

#[test]
fn read_and_service_error() {
    // baseline: pread  table 0  index 0  count 1 / readresp-ok 8 testdata (checksum byte 0)
    let req = one(
        "6036a211060f2b060104018285638e7f85f1c24e00a60a06082b06010401828563a806020413e81421be0d280b8109800731000000000001",
    );
    let Request::PartialReadIndex {
        table,
        indices,
        count,
    } = Request::parse(&req, meterwire_ansi_c1222::psem::Variant::C1222).unwrap()
    else {
        panic!()
    };
    assert_eq!(
        (table, indices.iter().collect::<Vec<_>>(), count),
        (TableId(0), vec![0], 1)
    );
    let resp = one(
        "603ba20a06082b06010401828563a611060f2b060104018285638e7f85f1c24e00a806020413e81421be122810810e800c000008746573746461746100",
    );
    // the generator wrote 0x00; the two's complement of the sum of "testdata" is 0xa6:
    // an integrity failure, rejected with kind `checksum` (issue 12)
    let r = Response::parse(&resp).unwrap();
    assert_eq!(&r.body()[..10], b"\x00\x08testdata");
    assert_eq!(
        r.read_data().unwrap_err(),
        meterwire_ansi_c1222::Error::Core(meterwire_core::Error::checksum(
            "table data checksum",
            0xa6,
            0
        ))
    );
    // baseline: REQ:Ident RESP:ISSS
    let resp = one(
        "6030a20a06082b06010401828563a611060f2b060104018285638e7f85f1c24e00a806020413e81421be072805810380010a",
    );
    assert_eq!(
        Response::parse(&resp).unwrap().response_code(),
        ResponseCode::Isss
    );
}
