//! Decrypt real, published encrypted smart-meter pushes and print their OBIS
//! values with units.
//!
//! * Netz NÖ / EVN (Austria) Kaifa MA309 M-Bus push, security control 0x20
//!   (encryption only), key published with the frame in athombv/node-dsmr-parser
//!   tests/telegrams/m-bus/austria-example-1.txt;
//! * TINETZ / IKB (Tirol) Kaifa push, security suite 1 encryption only, key
//!   published in fneur/smart-meter-tirol doc/EXAMPLE.md.
//!
//! Both arrive as general-glo-ciphering APDUs (the system title is in the APDU).
//! Run: `cargo run -p meterwire-examples --example dlms_decrypt_push`
use meterwire_dlms_cosem::axdr::Data;
use meterwire_dlms_cosem::security::{self, CipheredApdu, Key, SecurityKeys};
use meterwire_dlms_cosem::{Apdu, Obis};

const PUSHES: [(&str, &str, &str); 2] = [
    (
        "EVN Kaifa MA309 (Lower Austria)",
        include_str!("../../dlms-cosem/tests/vectors/security/evn_kaifa_ma309_push.hex"),
        "36C66639E48A8CA4D6BC8B282A793BBB",
    ),
    (
        "TINETZ Kaifa (Tirol)",
        include_str!("../../dlms-cosem/tests/vectors/security/tirol_kaifa_push.hex"),
        "101112131415161718191A1B1C1D1E1F",
    ),
];

fn unit(code: u8) -> &'static str {
    match code {
        27 => "W",
        28 => "VA",
        29 => "var",
        30 => "Wh",
        31 => "VAh",
        32 => "varh",
        33 => "A",
        35 => "V",
        44 => "Hz",
        _ => "",
    }
}

fn unhex(s: &str) -> Result<Vec<u8>, std::num::ParseIntError> {
    let s: Vec<u8> = s.bytes().filter(|b| !b.is_ascii_whitespace()).collect();
    s.chunks(2)
        .map(|p| u8::from_str_radix(std::str::from_utf8(p).unwrap_or("?"), 16))
        .collect()
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    for (name, apdu_hex, key_hex) in PUSHES {
        let apdu = unhex(apdu_hex)?;
        let keys = SecurityKeys::new(Key::from_slice(&unhex(key_hex)?)?);
        let header = CipheredApdu::parse(&apdu)?;
        println!(
            "{name}: system title {}, security control {:#04x}, invocation counter {}",
            header
                .system_title
                .unwrap_or_default()
                .iter()
                .map(|b| format!("{b:02x}"))
                .collect::<String>(),
            header.security_control.0,
            header.invocation_counter
        );
        let mut out = [0u8; 512];
        let plain = security::decrypt_apdu(&apdu, &keys, None, &mut out)?;
        let Apdu::DataNotification(n) = Apdu::parse(plain)? else {
            return Err("not a data-notification".into());
        };
        if let Some(dt) = n.date_time() {
            println!("  time stamp {dt:?}");
        }
        // Flatten the notification body; an OBIS code (6-byte octet string) is
        // followed by its value and, optionally, a {scaler, unit} structure.
        let mut flat: Vec<Data<'_>> = Vec::new();
        n.data.walk(&mut |d| flat.push(*d));
        for (i, d) in flat.iter().enumerate() {
            let Some(obis) = d.as_octets().and_then(|o| <[u8; 6]>::try_from(o).ok()) else {
                continue;
            };
            let Some(value) = flat.get(i + 1) else {
                continue;
            };
            let (scaler, unit_code) = match (flat.get(i + 2), flat.get(i + 3), flat.get(i + 4)) {
                (Some(Data::Structure(_)), Some(Data::Integer(s)), Some(Data::Enum(u))) => {
                    (i32::from(*s), *u)
                }
                _ => (0, 255),
            };
            let obis = Obis(obis);
            match value {
                v if v.as_i128().is_some() => {
                    let raw = v.as_i128().unwrap_or_default() as f64;
                    let decimals = usize::try_from(-scaler).unwrap_or(0);
                    println!(
                        "  {obis:<16} {:>12.*} {}",
                        decimals,
                        raw * 10f64.powi(scaler),
                        unit(unit_code)
                    );
                }
                Data::OctetString(s) | Data::VisibleString(s)
                    if s.iter().all(|b| b.is_ascii_graphic()) =>
                {
                    println!("  {obis:<16} {:>12}", String::from_utf8_lossy(s))
                }
                Data::OctetString(s) => {
                    let hex: String = s.iter().map(|b| format!("{b:02x}")).collect();
                    println!("  {obis:<16} {hex}");
                }
                _ => {}
            }
        }
    }
    Ok(())
}
