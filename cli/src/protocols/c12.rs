//! ANSI C12.18 (optical-port packets with PSEM) and C12.22 (ACSE/EPSEM over TCP/UDP
//! port 1153, with EAX' verification and decryption by `--key KEYID:HEXKEY`).

use super::{FramerStream, Options, Protocol, StreamCtx, StreamDecoder, object};
use crate::output::ErrorJson;
use meterwire_ansi_c1222::Error;
use meterwire_ansi_c1222::c1218::{LinkFrame, PacketFramer, Reassembler};
use meterwire_ansi_c1222::c1222::{Apdu, ApduFramer, SecurityMode, services_of};
use meterwire_ansi_c1222::psem::{Service, Variant, service_name};
use meterwire_ansi_c1222::serde_impl::ApduView;
use meterwire_core::{Decoded, Framer};
use serde_json::{Map, Value};

/// `-p c1218`.
pub struct C1218;
/// `-p c1222`.
pub struct C1222;

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

/// A C12.18 link frame and, on the last packet of a multi-packet transmission, the
/// reassembled PSEM message.
pub struct C1218Frame<'a> {
    link: LinkFrame<'a>,
    message: Option<Vec<u8>>,
    note: Option<String>,
}

/// [`PacketFramer`] plus multi-packet reassembly (up to 64 KiB messages).
pub struct C1218Framer {
    inner: PacketFramer,
    reassembler: Reassembler<Vec<u8>>,
}

impl C1218Framer {
    fn new() -> Self {
        C1218Framer {
            inner: PacketFramer::new(),
            reassembler: Reassembler::new(vec![0u8; 1 << 16]),
        }
    }
}

impl Framer for C1218Framer {
    type Frame<'a> = C1218Frame<'a>;
    type Error = Error;

    fn decode<'a>(&mut self, input: &'a [u8]) -> Result<Decoded<C1218Frame<'a>>, Error> {
        match self.inner.decode(input)? {
            Decoded::Incomplete { needed } => Ok(Decoded::Incomplete { needed }),
            Decoded::Frame { frame, consumed } => {
                let (mut message, mut note) = (None, None);
                if let LinkFrame::Packet(p) = &frame {
                    if p.multi_packet() {
                        match self.reassembler.push(p) {
                            Ok(Some(m)) => message = Some(m.to_vec()),
                            Ok(None) => {}
                            Err(e) => note = Some(e.to_string()),
                        }
                    }
                }
                Ok(Decoded::Frame {
                    frame: C1218Frame {
                        link: frame,
                        message,
                        note,
                    },
                    consumed,
                })
            }
        }
    }

    fn resync(&mut self, input: &[u8]) -> usize {
        self.inner.resync(input)
    }
}

fn link_to_json(f: &C1218Frame<'_>) -> Result<(String, Map<String, Value>), ErrorJson> {
    let mut label = match &f.link {
        LinkFrame::Ack => "ack".to_string(),
        LinkFrame::Nak => "nak".to_string(),
        LinkFrame::Packet(p) if p.multi_packet() => "fragment".to_string(),
        LinkFrame::Packet(p) => p
            .data()
            .first()
            .map_or("empty", |&c| service_name(c))
            .to_string(),
    };
    let mut m = object(&f.link)?;
    if let Some(msg) = &f.message {
        m.insert("reassembled_length".into(), Value::from(msg.len()));
        let svc = match Service::parse(msg, Variant::C1218) {
            Ok(s) => Value::Object(object(&s)?),
            Err(e) => {
                let mut o = Map::new();
                o.insert("error".into(), Value::String(e.to_string()));
                Value::Object(o)
            }
        };
        m.insert("service".into(), svc);
        if let Some(&c) = msg.first() {
            label = service_name(c).to_string();
        }
    }
    if let Some(n) = &f.note {
        m.insert("reassembly_error".into(), Value::String(n.clone()));
    }
    Ok((label, m))
}

impl Protocol for C1218 {
    fn name(&self) -> &'static str {
        "c1218"
    }
    fn description(&self) -> &'static str {
        "ANSI C12.18 optical-port packets with PSEM"
    }
    fn stream(&self, _: &Options, _: StreamCtx) -> Result<Box<dyn StreamDecoder>, String> {
        Ok(FramerStream::boxed("c1218", C1218Framer::new(), |f| {
            link_to_json(f)
        }))
    }
}

/// Parses `--key` pairs: the key id in decimal (or `0x..` hex), a 16-byte key.
fn parse_keys(opts: &Options) -> Result<Vec<(u8, [u8; 16])>, String> {
    opts.keys
        .iter()
        .map(|(id, key)| {
            let id = match id.strip_prefix("0x") {
                Some(h) => u8::from_str_radix(h, 16),
                None => id.parse::<u8>(),
            }
            .map_err(|_| format!("--key {id}: key id must be 0..=255"))?;
            let key: [u8; 16] = key
                .as_slice()
                .try_into()
                .map_err(|_| format!("--key {id}: an AES-128 key is 16 bytes"))?;
            Ok((id, key))
        })
        .collect()
}

/// An APDU and, when keys were given and it is secured, its verified plaintext.
pub struct C1222Frame<'a> {
    apdu: Apdu<'a>,
    plaintext: Option<Vec<u8>>,
    /// Why a secured APDU was shown undecrypted (no key for its key id).
    note: Option<String>,
}

/// [`ApduFramer`] plus EAX' with the configured keys.
pub struct C1222Framer {
    inner: ApduFramer,
    keys: Vec<(u8, [u8; 16])>,
    /// Length of the last APDU that failed verification (resync skips all of it).
    bad_len: Option<usize>,
}

/// Base OIDs tried for relative AP titles in the EAX' header: the C12.22 root
/// 2.16.124.113620.1.22, the root with `.0` (Wireshark's test setting) and none. A MAC
/// verifies under at most one of them except with probability 2^-32.
const BASE_OIDS: [&[u8]; 3] = [
    meterwire_ansi_c1222::c1222::C1222_ROOT_OID,
    &[0x60, 0x7c, 0x86, 0xf7, 0x54, 0x01, 0x16, 0x00],
    &[],
];

fn decrypt(apdu: &Apdu<'_>, keys: &[(u8, [u8; 16])]) -> Result<Vec<u8>, Error> {
    let mut buf = vec![0u8; apdu.epsem().payload().len()];
    let relative = apdu.called_ap_title().is_some_and(|t| t.is_relative())
        || apdu.calling_ap_title().is_some_and(|t| t.is_relative());
    let bases: &[&[u8]] = if relative {
        &BASE_OIDS
    } else {
        &BASE_OIDS[2..]
    };
    let mut last = Error::AuthenticationFailed;
    for base in bases {
        match apdu.decrypt_into(keys, base, &mut buf) {
            Ok(p) => {
                let n = p.len();
                buf.truncate(n);
                return Ok(buf);
            }
            Err(e) => last = e,
        }
    }
    Err(last)
}

impl Framer for C1222Framer {
    type Frame<'a> = C1222Frame<'a>;
    type Error = Error;

    fn decode<'a>(&mut self, input: &'a [u8]) -> Result<Decoded<C1222Frame<'a>>, Error> {
        match self.inner.decode(input)? {
            Decoded::Incomplete { needed } => Ok(Decoded::Incomplete { needed }),
            Decoded::Frame { frame, consumed } => {
                let mode = frame.epsem().security_mode();
                let mut note = None;
                let plaintext = if mode != SecurityMode::Cleartext && !self.keys.is_empty() {
                    match decrypt(&frame, &self.keys) {
                        Ok(p) => Some(p),
                        Err(e @ Error::UnknownKey { .. }) => {
                            note = Some(e.to_string());
                            None
                        }
                        Err(e) => {
                            self.bad_len = Some(consumed);
                            return Err(e);
                        }
                    }
                } else {
                    None
                };
                Ok(Decoded::Frame {
                    frame: C1222Frame {
                        apdu: frame,
                        plaintext,
                        note,
                    },
                    consumed,
                })
            }
        }
    }

    fn resync(&mut self, input: &[u8]) -> usize {
        match self.bad_len.take() {
            Some(n) => n.clamp(1, input.len().max(1)),
            None => self.inner.resync(input),
        }
    }
}

fn apdu_to_json(f: &C1222Frame<'_>) -> Result<(String, Map<String, Value>), ErrorJson> {
    let e = f.apdu.epsem();
    let readable = match &f.plaintext {
        Some(p) => Some(p.as_slice()),
        None if e.security_mode() != SecurityMode::Encrypted => Some(e.payload()),
        None => None,
    };
    let label = match readable {
        None => "encrypted".to_string(),
        Some(p) => services_of(e.control(), p)
            .filter_map(Result::ok)
            .filter_map(|s| s.first().map(|&c| service_name(c)))
            .collect::<Vec<_>>()
            .join("+"),
    };
    let view = ApduView {
        apdu: f.apdu,
        plaintext: f.plaintext.as_deref(),
    };
    let mut m = object(&view)?;
    if let Some(n) = &f.note {
        m.insert("decrypt_error".into(), Value::String(n.clone()));
    }
    Ok((label, m))
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
    fn stream(&self, opts: &Options, _: StreamCtx) -> Result<Box<dyn StreamDecoder>, String> {
        let keys = parse_keys(opts)?;
        Ok(FramerStream::boxed(
            "c1222",
            C1222Framer {
                inner: ApduFramer::new(),
                keys,
                bad_len: None,
            },
            |f| apdu_to_json(f),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hex(s: &str) -> Vec<u8> {
        crate::input::parse_hex(s).unwrap()
    }

    #[test]
    fn c1222_demo_sample_decrypts() {
        let mut f = C1222Framer {
            inner: ApduFramer::new(),
            keys: parse_keys(&demo_options()).unwrap(),
            bad_len: None,
        };
        let raw = hex(C1222.samples()[0].hex);
        let Ok(Decoded::Frame { frame, consumed }) = f.decode(&raw) else {
            panic!("not decoded")
        };
        assert_eq!(consumed, raw.len());
        let (label, m) = apdu_to_json(&frame).unwrap();
        assert_eq!(label, "full_write");
        assert_eq!(m["plaintext_hex"], "54454d500b40000700051a00000200e4");
        assert_eq!(m["ed_class"], "54454d50");
        assert_eq!(m["key_id"], 2);
        assert_eq!(m["security_mode"], 2);
        assert_eq!(m["services"][0]["table_id"], 7);
        assert_eq!(m["services"][0]["checksum_ok"], true);
        assert_eq!(m["called_ap_title"], "2.16.124.113620.1.22.0.23.2");
    }

    #[test]
    fn c1222_wrong_key_is_rejected() {
        let mut opts = demo_options();
        opts.keys[0].1[0] ^= 1;
        let mut f = C1222Framer {
            inner: ApduFramer::new(),
            keys: parse_keys(&opts).unwrap(),
            bad_len: None,
        };
        let raw = hex(C1222.samples()[0].hex);
        assert!(matches!(f.decode(&raw), Err(Error::AuthenticationFailed)));
    }

    #[test]
    fn c1222_bad_mac_skips_the_whole_datagram_and_unknown_key_is_shown() {
        let mut f = C1222Framer {
            inner: ApduFramer::new(),
            keys: parse_keys(&demo_options()).unwrap(),
            bad_len: None,
        };
        let mut raw = hex(C1222.samples()[0].hex);
        let n = raw.len();
        raw[n - 1] ^= 1;
        assert!(matches!(f.decode(&raw), Err(Error::AuthenticationFailed)));
        assert_eq!(f.resync(&raw), n);
        // key id 2 is not configured: the APDU is shown, undecrypted, with a note
        let mut g = C1222Framer {
            inner: ApduFramer::new(),
            keys: vec![(9, [0; 16])],
            bad_len: None,
        };
        let good = hex(C1222.samples()[0].hex);
        let Ok(Decoded::Frame { frame, .. }) = g.decode(&good) else {
            panic!()
        };
        let (label, m) = apdu_to_json(&frame).unwrap();
        assert_eq!(label, "encrypted");
        assert_eq!(m["ciphertext"], "4031cc957d4edf9a357f3db0fa9fe838");
        assert!(m["decrypt_error"].as_str().unwrap().contains("key id 2"));
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
        for p in packetize(&msg, 64, false) {
            let raw = p.encode_to_vec().unwrap();
            let Ok(Decoded::Frame { frame, .. }) = f.decode(&raw) else {
                panic!()
            };
            last = Some(link_to_json(&frame).unwrap());
        }
        let (label, m) = last.unwrap();
        assert_eq!(label, "ok");
        assert_eq!(m["reassembled_length"], msg.len());
        assert_eq!(m["service"]["count"], 200);
        assert_eq!(m["service"]["checksum_ok"], true);
    }

    #[test]
    fn c1218_sample_to_json() {
        let raw = hex(C1218.samples()[0].hex);
        let Ok(Decoded::Frame { frame, .. }) = C1218Framer::new().decode(&raw) else {
            panic!()
        };
        let (label, m) = link_to_json(&frame).unwrap();
        assert_eq!(label, "full_read");
        assert_eq!(m["crc"], 0x0d55);
        assert_eq!(m["service"]["table_id"], 1);
        assert_eq!(m["toggle"], false);
    }
}
