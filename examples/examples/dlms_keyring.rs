//! A head-end listening to several meters: one stack framer, one key ring, real
//! published encrypted pushes, no CLI code.
//!
//! * Netz NÖ / EVN (Austria) Kaifa MA309 push, encryption only, in the two M-Bus long
//!   frames the customer port sent, with the key published in athombv/node-dsmr-parser
//!   tests/telegrams/m-bus/austria-example-1.txt;
//! * TINETZ / IKB (Tirol) Kaifa push, suite 1 encryption only, key published in
//!   fneur/smart-meter-tirol doc/EXAMPLE.md;
//! * a Landis+Gyr push (system title LGZ00BC614E, Green Book test keys, authenticated
//!   and encrypted) from a public unity test, sent here the way a HAN port sends long
//!   APDUs: split into HDLC I-frames of 64 bytes by the crate's own `Segmenter`.
//!
//! The ring is looked up by the system title each ciphered APDU carries; the AES key
//! schedules are prepared once when the ring is built.
//! Run: `cargo run -p meterwire-examples --example dlms_keyring`
use meterwire_dlms_cosem::hdlc::{Address, Segmenter};
use meterwire_dlms_cosem::security::{Key, MapKeyRing, SecurityKeys};
use meterwire_dlms_cosem::stack::DlmsFramer;
use meterwire_dlms_cosem::{Apdu, Decoded, Encode, Framer};

fn unhex(s: &str) -> Vec<u8> {
    let s = s.trim();
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).expect("hex"))
        .collect()
}

fn key(h: &str) -> Key {
    Key::from_slice(&unhex(h)).expect("16-byte key")
}

fn title(h: &str) -> [u8; 8] {
    unhex(h).try_into().expect("8-byte system title")
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut ring = MapKeyRing::new();
    ring.insert(
        title("4b464d6750000009"),
        SecurityKeys::new(key("36c66639e48a8ca4d6bc8b282a793bbb")),
    );
    ring.insert(
        title("4b464d1010000023"),
        SecurityKeys::new(key("101112131415161718191a1b1c1d1e1f")),
    );
    ring.insert(
        title("4c475a0000bc614e"),
        SecurityKeys::new(key("000102030405060708090a0b0c0d0e0f"))
            .with_authentication(key("d0d1d2d3d4d5d6d7d8d9dadbdcdddedf")),
    );

    // The EVN push in its two M-Bus frames, as captured on the customer port.
    let mbus = unhex(include_str!(
        "../../dlms-cosem/tests/vectors/security/evn_kaifa_ma309_mbus.hex"
    ));
    decode_all(DlmsFramer::mbus().keys(&ring), &mbus, "m-bus")?;

    // A bare push (as a UDP listener would get it).
    let stream = unhex(include_str!(
        "../../dlms-cosem/tests/vectors/security/tirol_kaifa_push.hex"
    ));
    decode_all(DlmsFramer::apdu().keys(&ring), &stream, "apdu")?;

    // The Landis+Gyr push in HDLC I-frames (LLC E6 E7 00 + APDU, 64-byte segments).
    let mut info = vec![0xE6, 0xE7, 0x00];
    info.extend(unhex(include_str!(
        "../../dlms-cosem/tests/vectors/security/lgz_gb_keys_push.hex"
    )));
    let mut hdlc = Vec::new();
    for repr in Segmenter::new(&info, 64, Address::one(0x10), Address::one(0x01), 0, 0) {
        hdlc.extend(repr.encode_to_vec()?);
    }
    decode_all(DlmsFramer::hdlc().keys(&ring), &hdlc, "hdlc")?;
    Ok(())
}

/// Reports every frame `framer` decodes from `bytes` (a `layer` segment of a push
/// that continues in the next frame is only counted).
fn decode_all<F>(mut framer: F, bytes: &[u8], layer: &str) -> Result<(), Box<dyn std::error::Error>>
where
    F: for<'a> Framer<Frame<'a> = meterwire_dlms_cosem::stack::DlmsFrame<'a>>,
    F::Error: std::error::Error + 'static,
{
    let mut rest = bytes;
    while !rest.is_empty() {
        let Decoded::Frame { frame, consumed } = framer.decode(rest)? else {
            break;
        };
        if frame.partial {
            println!("{layer} segment ({consumed} bytes), waiting for the rest");
        } else {
            report(&frame);
        }
        rest = &rest[consumed..];
    }
    Ok(())
}

fn report(frame: &meterwire_dlms_cosem::stack::DlmsFrame<'_>) {
    let st = frame.security.map(|h| h.system_title).unwrap_or_default();
    let st: String = st.iter().map(|b| format!("{b:02x}")).collect();
    println!(
        "{} from {st}: {:?}, {} diagnostic(s)",
        frame.name(),
        frame.verification,
        frame.diagnostics().count()
    );
    if let Some(Apdu::DataNotification(n)) = frame.decrypted() {
        let mut values = 0;
        n.data.walk(&mut |_| values += 1);
        println!(
            "  data-notification at {:?}: {values} values",
            n.date_time().map(|d| d.to_string())
        );
    }
}
