//! ANSI C12.18 (optical-port packets with PSEM) and C12.22 (ACSE/EPSEM over TCP/UDP
//! port 1153, with EAX' verification and decryption by `--key KEYID:HEXKEY`).

use super::{FramerStream, Options, object};
use meterwire_ansi_c1222::stack::{C1218Framer, C1222Framer, KeyMap};

/// The published EAX' test key of the demo sample.
pub fn demo_options() -> Options {
    Options {
        keys: vec![(
            "2".into(),
            vec![1, 2, 3, 4, 5, 6, 7, 8, 1, 2, 3, 4, 5, 6, 7, 8],
        )],
        ..Options::default()
    }
}

/// Builds the key ring from `--key` pairs: the key id in decimal (or `0x..` hex), a
/// 16-byte key.
fn key_ring(opts: &Options) -> Result<KeyMap, String> {
    let mut ring = KeyMap::new();
    for (id, key) in &opts.keys {
        let n = match id.strip_prefix("0x") {
            Some(h) => u8::from_str_radix(h, 16),
            None => id.parse::<u8>(),
        }
        .map_err(|_| format!("--key {id}: key id must be 0..=255"))?;
        let key: [u8; 16] = key
            .as_slice()
            .try_into()
            .map_err(|_| format!("--key {id}: an AES-128 key is 16 bytes"))?;
        ring.insert(n, &key);
    }
    Ok(ring)
}

fn c1222_framer(opts: &Options) -> Result<C1222Framer<KeyMap>, String> {
    Ok(C1222Framer::with_keys(key_ring(opts)?).strictness(opts.strictness))
}

protocols! {
    /// `-p c1218`.
    C1218 "c1218" => "ANSI C12.18 optical-port packets with PSEM",
        |name, opts, _| {
            let framer = C1218Framer::new().strictness(opts.strictness);
            Ok(FramerStream::boxed(name, framer, |f| Ok((f.label().to_string(), object(f)?))))
        };
    /// `-p c1222`.
    C1222 "c1222" ports [1153]
        => "ANSI C12.22 ACSE/EPSEM with EAX' (--key KEYID:HEXKEY), port 1153",
        |name, opts, _| {
            let framer = c1222_framer(opts)?;
            Ok(FramerStream::boxed(name, framer, |f| Ok((f.label(), object(f)?))))
        };
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::protocols::testing::{assert_strict_rejects, sample};
    use meterwire_ansi_c1222::Error;
    use meterwire_core::{Decoded, Framer};

    #[test]
    fn c1222_demo_sample_decrypts() {
        let mut f = c1222_framer(&demo_options()).unwrap();
        let raw = sample(&C1222, 0);
        let Ok(Decoded::Frame { frame, consumed }) = f.decode(&raw) else {
            panic!("not decoded")
        };
        assert_eq!(consumed, raw.len());
        assert_eq!(frame.label(), "full_write");
        let m = object(&frame).unwrap();
        assert_eq!(m["plaintext_hex"], "54454d500b40000700051a00000200e4");
        assert_eq!(m["ed_class"], "54454d50");
        assert_eq!(m["key_id"], 2);
        assert_eq!(m["security_mode"], 2);
        assert_eq!(m["decryption"], "decrypted");
        assert_eq!(m["services"][0]["table_id"], 7);
        assert_eq!(m["services"][0]["checksum_ok"], true);
        assert_eq!(m["called_ap_title"], "2.16.124.113620.1.22.0.23.2");
        assert!(m.get("diagnostics").is_none());
    }

    #[test]
    fn c1222_wrong_key_is_rejected() {
        let mut opts = demo_options();
        opts.keys[0].1[0] ^= 1;
        let mut f = c1222_framer(&opts).unwrap();
        let raw = sample(&C1222, 0);
        assert!(matches!(f.decode(&raw), Err(Error::AuthenticationFailed)));
    }

    #[test]
    fn c1222_bad_mac_skips_the_whole_datagram_and_unknown_key_is_shown() {
        let mut f = c1222_framer(&demo_options()).unwrap();
        let mut raw = sample(&C1222, 0);
        let n = raw.len();
        raw[n - 1] ^= 1;
        assert!(matches!(f.decode(&raw), Err(Error::AuthenticationFailed)));
        assert_eq!(f.resync(&raw), n);
        // key id 2 is not configured: the APDU is shown, undecrypted, with a diagnostic
        let mut opts = Options::default();
        opts.keys.push(("9".into(), vec![0; 16]));
        let mut g = c1222_framer(&opts).unwrap();
        let good = sample(&C1222, 0);
        let Ok(Decoded::Frame { frame, .. }) = g.decode(&good) else {
            panic!()
        };
        assert_eq!(frame.label(), "encrypted");
        let m = object(&frame).unwrap();
        assert_eq!(m["ciphertext"], "4031cc957d4edf9a357f3db0fa9fe838");
        assert_eq!(m["diagnostics"][0]["kind"], "not_decrypted");
        assert!(
            m["diagnostics"][0]["message"]
                .as_str()
                .unwrap()
                .contains("(got 2)")
        );
    }

    #[test]
    fn c1222_real_capture_pairs_the_response_with_its_read() {
        let mut f = c1222_framer(&demo_options()).unwrap();
        let req = sample(&C1222, 1);
        let Ok(Decoded::Frame { frame, .. }) = f.decode(&req) else {
            panic!()
        };
        assert_eq!(frame.label(), "security+partial_read_offset");
        let resp = sample(&C1222, 2);
        let Ok(Decoded::Frame { frame, .. }) = f.decode(&resp) else {
            panic!()
        };
        let m = object(&frame).unwrap();
        assert_eq!(m["services"][0]["answers"], "partial_read_offset");
        assert_eq!(m["services"][0]["data"], "4d414e55464143545552455220534e20");
        assert_eq!(m["services"][0]["checksum_ok"], true);
    }

    #[test]
    fn strict_option_reaches_the_framers() {
        // a full read of ST1 with two bytes of padding: lenient decodes it with a
        // trailing_bytes diagnostic, --strict rejects it
        use meterwire_ansi_c1222::c1218::PacketRepr;
        use meterwire_core::Encode;
        let raw = PacketRepr::single(&[0x30, 0x00, 0x01, 0x00, 0x00])
            .encode_to_vec()
            .unwrap();
        let Ok(Decoded::Frame { frame, .. }) = C1218Framer::new().decode(&raw) else {
            panic!()
        };
        let m = object(&frame).unwrap();
        assert_eq!(m["diagnostics"][0]["kind"], "trailing_bytes");
        assert_strict_rejects(&C1218, &raw);
    }

    #[test]
    fn c1218_multi_packet_is_reassembled() {
        use meterwire_ansi_c1222::c1218::packetize;
        use meterwire_ansi_c1222::psem::{ReadResponse, TableData};
        use meterwire_core::Encode;
        let table: Vec<u8> = (0..200u8).collect();
        let msg = ReadResponse {
            data: TableData::new(&table),
        }
        .encode_to_vec()
        .unwrap();
        let mut f = C1218Framer::new();
        let mut last = None;
        for p in packetize(&msg, 64) {
            let raw = p.encode_to_vec().unwrap();
            let Ok(Decoded::Frame { frame, .. }) = f.decode(&raw) else {
                panic!()
            };
            last = Some((frame.label(), object(&frame).unwrap()));
        }
        let (label, m) = last.unwrap();
        assert_eq!(label, "ok");
        assert_eq!(m["reassembled_length"], msg.len());
        assert_eq!(m["service"]["count"], 200);
        assert_eq!(m["service"]["checksum_ok"], true);
    }

    #[test]
    fn c1218_sample_to_json() {
        let raw = sample(&C1218, 0);
        let Ok(Decoded::Frame { frame, .. }) = C1218Framer::new().decode(&raw) else {
            panic!()
        };
        assert_eq!(frame.label(), "full_read");
        let m = object(&frame).unwrap();
        assert_eq!(m["crc"], 0x0d55);
        assert_eq!(m["service"]["table_id"], 1);
        assert_eq!(m["toggle"], false);
    }
}
