//! ANSI C12.18 (optical-port packets with PSEM) and C12.22 (ACSE/EPSEM over TCP/UDP
//! port 1153, with EAX' verification and decryption by `--key KEYID:HEXKEY`).

use super::{FramerStream, Options, Protocol, Sample, StreamCtx, StreamDecoder, object};
use meterwire_ansi_c1222::stack::{C1218Framer, C1222Framer, KeyMap};

/// `-p c1218`.
pub struct C1218;
/// `-p c1222`.
pub struct C1222;

static C1218_SAMPLES: &[Sample] = &[
    Sample {
        title: "C12.18 full read of ST1 (GENERAL_MFG_ID) request",
        source: "termineter 1.0.6 (PyPI): C1218Packet(C1218ReadRequest(1)).build()",
        hex: "ee0000000003300001550d",
        direction: None,
    },
    Sample {
        title: "C12.18 identify request",
        source: "ANSI C12.18 identification service; shared/protocols/ansi-c12.md; termineter C1218Packet(C1218IdentRequest())",
        hex: "ee0000000001201310",
        direction: None,
    },
];

static C1222_SAMPLES: &[Sample] = &[
    Sample {
        title: "C12.22 ciphertext-with-authentication full write of ST7 (decrypted with key id 2)",
        source: "EAX' Cipher Mode (Moise, Beroset, Phinney, Burns; NIST, May 2011) test vector 1, rebuilt as a full APDU; key 01020304050607080102030405060708",
        hex: "60 53 a2 0c 06 0a 60 7c 86 f7 54 01 16 00 17 02 a6 0d 06 0b 60 7c 86 f7 54 01 16 00 17 82 11 \
          a7 03 02 01 04 a8 03 02 01 02 ac 0f a2 0d a0 0b a1 09 80 01 02 81 04 48 e9 93 88 \
          be 19 28 17 81 15 9a 40 31 cc 95 7d 4e df 9a 35 7f 3d b0 fa 9f e8 38 65 55 c0 29",
        direction: None,
    },
    Sample {
        title: "C12.22 encrypted security + partial read of ST1 (real capture, decrypted with key id 2)",
        source: "Wireshark test capture c1222_std_example8.pcap frame 1 (C12.22 standard example 8; copy in parsitects/icsnpp-c1222 testing/traces); key 01020304050607080102030405060708, base OID 2.16.124.113620.1.22.0",
        hex: "604fa20580037bc175a60480027b04a803020103ac0fa20da00ba109800102810448f3d061be2a282881268841d10cda76206811b36f781489a11997773e117cb07aa3aa40374a7107c50da7f799c5d4e8",
        direction: None,
    },
    Sample {
        title: "C12.22 encrypted read response with ST1 serial number (real capture, decrypted with key id 2)",
        source: "Wireshark test capture c1222_std_example8.pcap frame 2 (C12.22 standard example 8; copy in parsitects/icsnpp-c1222 testing/traces)",
        hex: "6048a20480027b04a403020103a60580037bc175a803020103ac0fa20da00ba109800102810448f3d060be1e281c811a884baee4349631ab5e56a0e6e0e90dfad558591ee4ea334cb268",
        direction: None,
    },
];

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

impl Protocol for C1218 {
    fn name(&self) -> &'static str {
        "c1218"
    }
    fn description(&self) -> &'static str {
        "ANSI C12.18 optical-port packets with PSEM"
    }
    fn samples(&self) -> &'static [Sample] {
        C1218_SAMPLES
    }
    fn stream(&self, opts: &Options, _: StreamCtx) -> Result<Box<dyn StreamDecoder>, String> {
        let framer = C1218Framer::new().strictness(opts.strictness);
        Ok(FramerStream::boxed("c1218", framer, |f| {
            Ok((f.label().to_string(), object(f)?))
        }))
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

impl Protocol for C1222 {
    fn name(&self) -> &'static str {
        "c1222"
    }
    fn description(&self) -> &'static str {
        "ANSI C12.22 ACSE/EPSEM with EAX' (--key KEYID:HEXKEY), port 1153"
    }
    fn ports(&self) -> &'static [u16] {
        &[1153]
    }
    fn samples(&self) -> &'static [Sample] {
        C1222_SAMPLES
    }
    fn stream(&self, opts: &Options, _: StreamCtx) -> Result<Box<dyn StreamDecoder>, String> {
        Ok(FramerStream::boxed("c1222", c1222_framer(opts)?, |f| {
            Ok((f.label(), object(f)?))
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use meterwire_ansi_c1222::Error;
    use meterwire_core::{Decoded, Framer};

    fn hex(s: &str) -> Vec<u8> {
        crate::input::parse_hex(s).unwrap()
    }

    #[test]
    fn c1222_demo_sample_decrypts() {
        let mut f = c1222_framer(&demo_options()).unwrap();
        let raw = hex(C1222_SAMPLES[0].hex);
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
        let raw = hex(C1222_SAMPLES[0].hex);
        assert!(matches!(f.decode(&raw), Err(Error::AuthenticationFailed)));
    }

    #[test]
    fn c1222_bad_mac_skips_the_whole_datagram_and_unknown_key_is_shown() {
        let mut f = c1222_framer(&demo_options()).unwrap();
        let mut raw = hex(C1222_SAMPLES[0].hex);
        let n = raw.len();
        raw[n - 1] ^= 1;
        assert!(matches!(f.decode(&raw), Err(Error::AuthenticationFailed)));
        assert_eq!(f.resync(&raw), n);
        // key id 2 is not configured: the APDU is shown, undecrypted, with a diagnostic
        let mut opts = Options::default();
        opts.keys.push(("9".into(), vec![0; 16]));
        let mut g = c1222_framer(&opts).unwrap();
        let good = hex(C1222_SAMPLES[0].hex);
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
        let req = hex(C1222_SAMPLES[1].hex);
        let Ok(Decoded::Frame { frame, .. }) = f.decode(&req) else {
            panic!()
        };
        assert_eq!(frame.label(), "security+partial_read_offset");
        let resp = hex(C1222_SAMPLES[2].hex);
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
        let opts = Options {
            strictness: meterwire_core::Strictness::Strict,
            ..Options::default()
        };
        let mut s = C1218.stream(&opts, StreamCtx::default()).unwrap();
        let mut recs = Vec::new();
        s.push_hex_frame(&raw, &mut |r| recs.push(r));
        let j = recs[0].to_json(&[]);
        assert_eq!(j["error"]["kind"], "nonconforming", "{j}");
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
        let raw = hex(C1218_SAMPLES[0].hex);
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
