// The issue-6 bench push, shared by benches/benches/dlms.rs (which measures its
// decoding) and tests/proptest.rs (`real_pushes`): both `include!` this file, with
// `meterwire_core::Encode` and `meterwire_dlms_cosem::axdr::Value` in scope.

/// The data-notification header of the push: tag 0F, long-invoke-id-and-priority
/// 8006870E, the date-time 2021-09-27 09:47:15 (`tagged`: as an octet-string
/// `09 0C ...`, else only its length `0C ...`).
fn push_header(tagged: bool) -> Vec<u8> {
    let mut h = vec![0x0F, 0x80, 0x06, 0x87, 0x0E];
    h.extend_from_slice(if tagged { &[0x09, 0x0C] } else { &[0x0C] });
    h.extend_from_slice(&[0x07, 0xE5, 9, 27, 1, 9, 47, 15, 0, 0xFF, 0x88, 0x80]);
    h
}

/// A push like an Austrian/Norwegian P1 port sends: clock + 19 values in one
/// structure (57 A-XDR values), after the untagged header.
fn bench_push_apdu() -> Vec<u8> {
    let mut items = vec![Value::OctetString(vec![
        0x07, 0xE5, 9, 27, 1, 9, 47, 15, 0, 0xFF, 0x88, 0x80,
    ])];
    // OBIS code, then {value, {scaler, unit}}, as Kaifa/Landis+Gyr customer ports send
    for i in 0..19u8 {
        items.push(if i % 2 == 0 {
            Value::OctetString(vec![1, 0, i, 8, 0, 255])
        } else {
            Value::Structure(vec![
                Value::DoubleLongUnsigned(0x0001_0000 + u32::from(i) * 977),
                Value::Structure(vec![Value::Integer(-1), Value::Enum(30)]),
            ])
        });
    }
    let body = Value::Structure(items).encode_to_vec().unwrap();
    [push_header(false), body].concat()
}
