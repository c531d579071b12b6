//! Print the OBIS readings of a real encrypted push: the Netz NÖ / EVN (Austria)
//! Kaifa MA309 M-Bus push, encryption only, with the key published next to it in
//! athombv/node-dsmr-parser tests/telegrams/m-bus/austria-example-1.txt.
//!
//! Run: `cargo run -p meterwire-examples --example dlms_readings`
use meterwire_core::hex::decode_hex_into;
use meterwire_dlms_cosem::readings::Push;
use meterwire_dlms_cosem::security::{self, Key, SecurityKeys};

const PUSH: &str = include_str!("../../dlms-cosem/tests/vectors/security/evn_kaifa_ma309_push.hex");
const KEY: &str = "36C66639E48A8CA4D6BC8B282A793BBB";

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let (mut apdu, mut key, mut plain) = ([0u8; 512], [0u8; 16], [0u8; 512]);
    let n = decode_hex_into(PUSH.trim().as_bytes(), &mut apdu).ok_or("bad hex")?;
    decode_hex_into(KEY.as_bytes(), &mut key).ok_or("bad key")?;
    let apdu = &apdu[..n];
    let keys = SecurityKeys::new(Key::from_slice(&key)?);
    let push = Push::parse(security::decrypt_apdu(apdu, &keys, None, &mut plain)?)?;
    println!(
        "time {}",
        push.time().map(|t| t.to_string()).unwrap_or_default()
    );
    push.for_each(|r| {
        let (obis, value) = (r.obis.to_string(), r.value.to_string());
        let unit = r.unit.map(|u| u.to_string()).unwrap_or_default();
        println!("{obis:<11} {value:>8} {unit:<4} {}", r.name().unwrap_or(""));
    });
    Ok(())
}
