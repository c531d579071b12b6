//! DLMS/COSEM over HDLC, both directions: build a client's SNRM, AARQ and a
//! get-request as HDLC frames, then decode a real meter push (a UI frame from the
//! dlms-cosem PyPI project's tests) and print its registers with their OBIS codes.
//!
//! Run: `cargo run -p meterwire-examples --example dlms_hdlc_client`
use meterwire_core::{Encode, Event, Frames};
use meterwire_dlms_cosem::Obis;
use meterwire_dlms_cosem::apdu::{
    Aarq, Apdu, AttributeDescriptor, AttributeWithSelection, Conformance, GetRequest,
    InitiateRequest, InvokeIdAndPriority, Oid, UserInformation,
};
use meterwire_dlms_cosem::axdr::Data;
use meterwire_dlms_cosem::hdlc::{
    Address, Control, HdlcFramer, HdlcRepr, LLC_COMMAND, Reassembler,
};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let (meter, client) = (Address::two(1, 17), Address::one(0x10));

    // 1. SNRM (no information field)
    let snrm = to_meter(meter, client, Control::SNRM { pf: true }, &[]);
    println!("SNRM  {}", hex(&snrm.encode_to_vec()?));

    // 2. AARQ, logical names, no security, with an InitiateRequest
    let ctx = Oid::dlms(1, 1);
    let aarq = Apdu::Aarq(Aarq {
        application_context_name: Some(Oid(&ctx)),
        user_information: Some(UserInformation::InitiateRequest(InitiateRequest {
            dedicated_key: None,
            response_allowed: None,
            proposed_quality_of_service: None,
            proposed_dlms_version: 6,
            proposed_conformance: Conformance(0x00_1E1D),
            client_max_receive_pdu_size: 0xFFFF,
        })),
        ..Default::default()
    });
    println!("AARQ  {}", hex(&i_frame(meter, client, 0, &aarq)?));

    // 3. get-request: active energy import 1-0:1.8.0*255, register value (attribute 2)
    let get = Apdu::GetRequest(GetRequest::Normal {
        invoke: InvokeIdAndPriority::new(1, true, true),
        attribute: AttributeWithSelection {
            descriptor: AttributeDescriptor {
                class_id: 3,
                obis: "1-0:1.8.0*255".parse()?,
                attribute_id: 2,
            },
            access: None,
        },
    });
    println!("GET   {}", hex(&i_frame(meter, client, 1, &get)?));

    // 4. decode a real push (pwitab/dlms-cosem tests/test_hdlc/test_hdlc.py line 216)
    let push = unhex(PUSH);
    let mut reasm = Reassembler::new([0u8; 2048]);
    for ev in Frames::new(HdlcFramer::new(), &push) {
        let Event::Frame { frame, .. } = ev else {
            continue;
        };
        let Some(apdu) = reasm.push(&frame)? else {
            continue;
        };
        let Apdu::DataNotification(dn) = Apdu::parse(apdu)? else {
            continue;
        };
        println!(
            "push from {:?}, {} entries:",
            frame.source,
            dn.data.as_seq().map_or(0, |s| s.len())
        );
        for entry in dn.data.as_seq().into_iter().flatten() {
            let fields: Vec<Data<'_>> = entry.as_seq().into_iter().flatten().collect();
            let (Some(Data::OctetString(ln)), Some(value)) = (fields.first(), fields.get(1)) else {
                continue;
            };
            let obis = <[u8; 6]>::try_from(*ln).map(Obis)?;
            match (value.as_i128(), value.as_date_time()) {
                (Some(v), _) => println!("  {obis:<16} {v}"),
                (_, Some(dt)) => println!("  {obis:<16} {dt}"),
                _ => println!("  {obis:<16} {value:?}"),
            }
        }
    }
    Ok(())
}

const PUSH: &str = "7ea2434108831385ebe6e7000f4000000000011b020209060000010000ff090c07e30c1001073b28ff8000ff020309060100010700ff060000046202020f00161b020309060100020700ff060000000002020f00161b020309060100030700ff06000005e302020f00161d020309060100040700ff060000000002020f00161d0203090601001f0700ff10000002020fff1621020309060100330700ff10004b02020fff1621020309060100470700ff10000002020fff1621020309060100200700ff12090302020fff1623020309060100340700ff1209c302020fff1623020309060100480700ff12090402020fff1623020309060100150700ff060000000002020f00161b020309060100160700ff060000000002020f00161b020309060100170700ff060000000002020f00161d020309060100180700ff060000000002020f00161d020309060100290700ff060000046202020f00161b0203090601002a0700ff060000000002020f00161b0203090601002b0700ff06000005e202020f00161d0203090601002c0700ff060000000002020f00161d0203090601003d0700ff060000000002020f00161b0203090601003e0700ff060000000002020f00161b0203090601003f0700ff060000000002020f00161d020309060100400700ff060000000002020f00161d020309060100010800ff060099598602020f00161e020309060100020800ff060000000802020f00161e020309060100030800ff060064ed4b02020f001620020309060100040800ff060000000502020f001620be407e";

/// An unsegmented frame from `client` to `meter`.
fn to_meter(meter: Address, client: Address, control: Control, info: &[u8]) -> HdlcRepr<'_> {
    HdlcRepr {
        segmented: false,
        destination: meter,
        source: client,
        control,
        info,
    }
}

/// The bytes of an I-frame from `client` to `meter` carrying `apdu` behind the LLC
/// header, with send and receive sequence numbers `n` (one frame each way so far).
fn i_frame(
    meter: Address,
    client: Address,
    n: u8,
    apdu: &Apdu<'_>,
) -> Result<Vec<u8>, Box<dyn std::error::Error>> {
    let info = [&LLC_COMMAND[..], &apdu.encode_to_vec()?].concat();
    let control = Control::I {
        ns: n,
        nr: n,
        pf: true,
    };
    Ok(to_meter(meter, client, control, &info).encode_to_vec()?)
}

fn hex(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}

fn unhex(s: &str) -> Vec<u8> {
    (0..s.len())
        .step_by(2)
        .filter_map(|i| s.get(i..i + 2).and_then(|h| u8::from_str_radix(h, 16).ok()))
        .collect()
}
