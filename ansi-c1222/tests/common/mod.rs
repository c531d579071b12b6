#![allow(
    clippy::indexing_slicing,
    clippy::arithmetic_side_effects,
    clippy::unwrap_used
)]
#![allow(dead_code, missing_docs)]
//! Shared test helpers.

#[allow(unused_imports)]
pub use meterwire_testkit::{hex, to_hex};

/// The four test vectors of "EAX' Cipher Mode" (A. Moise, E. Beroset, T. Phinney,
/// M. Burns; NIST proposed-modes submission, May 2011), as transcribed in
/// EnergyICT's EAXPrimeEncoderTest.java (protocolimpl/ansi/c12/EAXPrime).
/// Fields: key, canonified cleartext N, plaintext P, ciphertext C, MAC.
pub const EAX_VECTORS: [(&str, &str, &str, &str, &str); 4] = [
    (
        "01020304050607080102030405060708",
        "a20c060a607c86f7540116001702a703020104a803020102ac0fa20da00ba109800102810448e99388be19281781159aa60d060b607c86f7540116001782110248e99388",
        "54454d500b40000700051a00000200e4",
        "4031cc957d4edf9a357f3db0fa9fe838",
        "6555c029",
    ),
    (
        "01020304050607080102030405060708",
        "a20c060a607c86f7540116007b02a703020104a803020102ac0fa20da00ba109800102810448f3d2f8be19281781159aa60d060b607c86f7540116007b82110248f3d2f8",
        "54454d500b40000700051a00000200e4",
        "8d2fbb7a0a8c4d40edaa10a46431c9b8",
        "fec6d9e8",
    ),
    (
        "102030405060708090a0b0c0d0e0f000",
        "a20e060c6086480186fc2f811caa4e01a806020439a00ebbac0fa20da00ba10980010081044bcee2c3be252823812188a60a06082b06010401828563004bcee2c3",
        "17513030303030303030303030303030303030303030000003300001",
        "9cf32c7ec24c250be7b0749feee71a220d0eee976ec23dbf0caa08ea",
        "00543e66",
    ),
    (
        "6624c7e23034e4036fe5cb3a8b5dab44",
        "a211060f2b060104018285638e7f85f1c24e01a80602042bc81aa1ac0fa20da00ba10980010081044b97d2ccbe392837813588a60906072b060104828563004b97d2cc",
        "1751303030303030303030303030303030303030303000000330000103300078033000790330007a0330007b0330007d",
        "beb0989fadb020eb72ba46353cc0a2ac2a007a101afebaf9680d3b9659f991121b865f254f6ac92cdd213d31e3c4d2ca",
        "e6f89b6d",
    ),
];

/// Rebuilds the full C12.22 APDU of an EAX' test vector from its canonified cleartext
/// N (which lists every header element), the ciphertext and the MAC: the elements go
/// back to APDU order (A6 before A7), the user-information header is followed by the
/// EPSEM control byte, the ciphertext and the MAC.
pub fn apdu_from_vector(n: &[u8], c: &[u8], mac: &[u8]) -> Vec<u8> {
    let mut i = 0;
    let mut pre: Vec<&[u8]> = Vec::new();
    let tlv_len = |b: &[u8]| -> usize {
        let l = b[1] as usize;
        if l < 0x80 {
            2 + l
        } else {
            2 + (l & 0x7f)
                + b[2..2 + (l & 0x7f)]
                    .iter()
                    .fold(0usize, |a, &x| a * 256 + x as usize)
        }
    };
    while n[i] != 0xbe {
        let l = tlv_len(&n[i..]);
        pre.push(&n[i..i + l]);
        i += l;
    }
    // be L 28 L 81 L ctrl (short lengths in every vector)
    let ui_hdr = &n[i..i + 6];
    let ctrl = n[i + 6];
    i += 7;
    let a6 = if n[i] == 0xa6 {
        let l = tlv_len(&n[i..]);
        let t = &n[i..i + l];
        i += l;
        Some(t)
    } else {
        None
    };
    let _ = i;
    let mut body = Vec::new();
    for e in &pre {
        if e[0] < 0xa6 {
            body.extend_from_slice(e);
        }
    }
    if let Some(a6) = a6 {
        body.extend_from_slice(a6);
    }
    for e in &pre {
        if e[0] > 0xa6 {
            body.extend_from_slice(e);
        }
    }
    body.extend_from_slice(ui_hdr);
    body.push(ctrl);
    body.extend_from_slice(c);
    body.extend_from_slice(mac);
    let mut out = vec![0x60];
    if body.len() < 0x80 {
        out.push(body.len() as u8);
    } else {
        out.push(0x81);
        out.push(body.len() as u8);
    }
    out.extend_from_slice(&body);
    out
}

/// The key id of each EAX' vector (from its calling-authentication-value).
pub const EAX_KEY_IDS: [u8; 4] = [2, 2, 0, 0];

/// Asserts the called and calling AP titles of an APDU (dotted, `.` first when relative).
pub fn assert_titles(a: &meterwire_ansi_c1222::c1222::Apdu<'_>, called: &str, calling: &str) {
    let t = |t: Option<meterwire_ansi_c1222::c1222::ApTitle<'_>>| t.unwrap().to_string();
    assert_eq!(
        (t(a.called_ap_title()), t(a.calling_ap_title())),
        (called.to_string(), calling.to_string())
    );
}

/// Parses one APDU and asserts its header as tshark shows it: the called and calling
/// AP titles (as for [`assert_titles`]) and the `(called, calling)` AP invocation ids.
pub fn apdu_with_header<'a>(
    raw: &'a [u8],
    (called, calling): (&str, &str),
    invocation_ids: (Option<u32>, Option<u32>),
) -> meterwire_ansi_c1222::c1222::Apdu<'a> {
    let a = meterwire_ansi_c1222::c1222::Apdu::parse(raw).unwrap();
    assert_titles(&a, called, calling);
    assert_eq!(
        (a.called_ap_invocation_id(), a.calling_ap_invocation_id()),
        invocation_ids
    );
    a
}

/// The services of a verified/decrypted EPSEM payload, parsed (C12.22 variant).
pub fn parsed_services(control: u8, plain: &[u8]) -> Vec<meterwire_ansi_c1222::psem::Service<'_>> {
    meterwire_ansi_c1222::c1222::services_of(control, plain)
        .parsed()
        .collect::<Result<_, _>>()
        .unwrap()
}
