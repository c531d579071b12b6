//! Encrypted P1 (Luxembourg Smarty, Energienetze Steiermark Sagemcom T210-D-r): a DLMS
//! general-glo-ciphering APDU around a P1 telegram, AES-128-GCM with a 12-byte tag.
//!
//! Layout (Luxmetering E-Meter P1 Specification v1.1.3 §3.2.5, as read by
//! dsmr_parser's `MSN` profile and node-dsmr-parser `src/protocols/encryption.ts`):
//! `DB 08 <system title, 8> <A-XDR length: 82 hi lo | 81 n | n> 30 <IC, 4 BE>
//! <ciphertext> <tag, 12>`. IV = system title ‖ IC; AAD = `0x30` ‖ AK, where the AK
//! of Smarty meters is the public `00112233445566778899AABBCCDDEEFF`.
//! Binary framing uses the core Cursor (no nom: fixed layout).

use aes::Aes128;
use aes_gcm::aead::consts::U12;
use aes_gcm::aead::generic_array::GenericArray;
use aes_gcm::{AeadInPlace, AesGcm, KeyInit};
use meterwire_core::{Cursor, Decoded, Framer, Needed, ber};

use crate::Error;
use crate::p1::{Telegram, TelegramParser};

type Gcm128 = AesGcm<Aes128, U12, U12>;

/// The general-glo-ciphering tag.
pub const GLO_CIPHERING: u8 = 0xDB;
/// The security control byte Smarty sends: suite 0, authenticated and encrypted.
pub const SC_AUTH_ENC: u8 = 0x30;
/// The GCM tag length.
pub const TAG_LEN: usize = 12;
/// The public, fixed authentication key of Smarty meters.
pub const SMARTY_AK: [u8; 16] = [
    0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88, 0x99, 0xAA, 0xBB, 0xCC, 0xDD, 0xEE, 0xFF,
];

/// The keys of one meter: the encryption key (GUEK) from the DSO and the
/// authentication key (the public Smarty AK unless the DSO gives another one).
#[derive(Clone, PartialEq, Eq)]
pub struct Keys {
    ek: [u8; 16],
    ak: [u8; 16],
}

impl core::fmt::Debug for Keys {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("Keys { .. }")
    }
}

impl Keys {
    /// An encryption key with the public Smarty authentication key.
    pub const fn new(ek: [u8; 16]) -> Self {
        Keys { ek, ak: SMARTY_AK }
    }

    /// Uses another authentication key (Energienetze Steiermark GAK).
    pub const fn with_ak(mut self, ak: [u8; 16]) -> Self {
        self.ak = ak;
        self
    }
}

/// A borrowed view of one encrypted P1 frame.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EncryptedTelegram<'a> {
    raw: &'a [u8],
    system_title: [u8; 8],
    security_control: u8,
    invocation_counter: u32,
    ciphertext: &'a [u8],
    tag: [u8; TAG_LEN],
}

/// Total frame length from its first bytes: `Ok(None)` when more are needed.
fn frame_len(input: &[u8]) -> Result<Option<usize>, Error> {
    let mut c = Cursor::new(input);
    let short = |_| Ok::<_, Error>(None);
    match c.read_u8() {
        Ok(GLO_CIPHERING) => {}
        Ok(_) => {
            return Err(Error::malformed(
                "encrypted p1 tag",
                "expected 0xdb (general-glo-ciphering)",
            ));
        }
        Err(e) => return short(e),
    }
    match c.read_u8() {
        Ok(8) => {}
        Ok(_) => return Err(Error::malformed("system title length", "expected 8")),
        Err(e) => return short(e),
    }
    if let Err(e) = c.take(8) {
        return short(e);
    }
    let len = match ber::read_length(&mut c) {
        Ok(n) => n,
        Err(meterwire_core::Error::Truncated { .. }) => return Ok(None),
        Err(e) => return Err(e.into()),
    };
    if len < 5 + TAG_LEN {
        return Err(Error::length("encrypted p1 length", 5 + TAG_LEN, len));
    }
    Ok(input
        .len()
        .checked_sub(c.remaining())
        .and_then(|h| h.checked_add(len)))
}

impl<'a> EncryptedTelegram<'a> {
    /// Parses one complete frame; bytes after it are an error (`length`).
    pub fn parse(input: &'a [u8]) -> Result<Self, Error> {
        let total = frame_len(input)?.ok_or(Error::truncated(1))?;
        if total > input.len() {
            return Err(Error::truncated(total.saturating_sub(input.len())));
        }
        if total != input.len() {
            return Err(Error::length("encrypted p1 frame", total, input.len()));
        }
        let mut c = Cursor::new(input);
        c.read_u8()?;
        c.read_u8()?;
        let mut system_title = [0u8; 8];
        system_title.copy_from_slice(c.take(8)?);
        let len = ber::read_length(&mut c)?;
        let security_control = c.read_u8()?;
        if security_control != SC_AUTH_ENC {
            return Err(Error::Core(meterwire_core::Error::unsupported(
                "security control",
                security_control.into(),
            )));
        }
        let invocation_counter = c.read_u32_be()?;
        let ct_len = len.saturating_sub(5 + TAG_LEN);
        let ciphertext = c.take(ct_len)?;
        let mut tag = [0u8; TAG_LEN];
        tag.copy_from_slice(c.take(TAG_LEN)?);
        Ok(EncryptedTelegram {
            raw: input,
            system_title,
            security_control,
            invocation_counter,
            ciphertext,
            tag,
        })
    }

    /// The frame bytes.
    pub const fn raw(&self) -> &'a [u8] {
        self.raw
    }

    /// The system title (manufacturer id and serial; `SAG…` for Sagemcom).
    pub const fn system_title(&self) -> [u8; 8] {
        self.system_title
    }

    /// The security control byte (0x30).
    pub const fn security_control(&self) -> u8 {
        self.security_control
    }

    /// The invocation (frame) counter.
    pub const fn invocation_counter(&self) -> u32 {
        self.invocation_counter
    }

    /// The ciphertext (as long as the plaintext telegram).
    pub const fn ciphertext(&self) -> &'a [u8] {
        self.ciphertext
    }

    /// The 12-byte GCM tag.
    pub const fn tag(&self) -> [u8; TAG_LEN] {
        self.tag
    }

    /// Verifies the tag and decrypts into `out` (no allocation); returns the
    /// plaintext. A wrong key or a damaged frame is [`Error::Authentication`].
    pub fn decrypt_into<'b>(&self, keys: &Keys, out: &'b mut [u8]) -> Result<&'b [u8], Error> {
        let n = self.ciphertext.len();
        let buf = out
            .get_mut(..n)
            .ok_or(Error::length("decrypt buffer", n, 0))?;
        buf.copy_from_slice(self.ciphertext);
        let mut iv = [0u8; 12];
        let (t, ic) = iv.split_at_mut(8);
        t.copy_from_slice(&self.system_title);
        ic.copy_from_slice(&self.invocation_counter.to_be_bytes());
        let mut aad = [0u8; 17];
        let (sc, ak) = aad.split_at_mut(1);
        sc.copy_from_slice(&[self.security_control]);
        ak.copy_from_slice(&keys.ak);
        Gcm128::new(&GenericArray::from(keys.ek))
            .decrypt_in_place_detached(
                &GenericArray::from(iv),
                &aad,
                buf,
                &GenericArray::from(self.tag),
            )
            .map_err(|_| Error::Authentication)?;
        Ok(buf)
    }

    /// Decrypts into `out` and parses the telegram (lenient, CRC checked).
    pub fn telegram<'b>(&self, keys: &Keys, out: &'b mut [u8]) -> Result<Telegram<'b>, Error> {
        self.telegram_with(keys, out, TelegramParser::new())
    }

    /// Decrypts into `out` and parses the telegram with `parser`'s settings.
    pub fn telegram_with<'b>(
        &self,
        keys: &Keys,
        out: &'b mut [u8],
        parser: TelegramParser,
    ) -> Result<Telegram<'b>, Error> {
        let plain = self.decrypt_into(keys, out)?;
        parser.parse(plain)
    }
}

/// Encrypts `plaintext` (a telegram) into a general-glo-ciphering frame in `out`
/// (security control 0x30, AES-128-GCM, 12-byte tag, the A-XDR length in its minimal
/// form); returns the frame length. The frame a Smarty meter sends, for simulators
/// and tests.
pub fn encrypt_into(
    keys: &Keys,
    system_title: [u8; 8],
    invocation_counter: u32,
    plaintext: &[u8],
    out: &mut [u8],
) -> Result<usize, meterwire_core::EncodeError> {
    use meterwire_core::{EncodeError, Writer};
    let body = plaintext
        .len()
        .checked_add(5 + TAG_LEN)
        .ok_or(EncodeError::Invalid {
            field: "encrypted p1 length",
            reason: "too long",
        })?;
    let mut w = Writer::new(out);
    w.write_u8(GLO_CIPHERING)?;
    w.write_u8(8)?;
    w.write_bytes(&system_title)?;
    ber::write_length(&mut w, body)?;
    w.write_u8(SC_AUTH_ENC)?;
    w.write_bytes(&invocation_counter.to_be_bytes())?;
    let start = w.position();
    w.write_bytes(plaintext)?;
    w.write_bytes(&[0u8; TAG_LEN])?;
    let total = w.position();
    let mut iv = [0u8; 12];
    let (t, ic) = iv.split_at_mut(8);
    t.copy_from_slice(&system_title);
    ic.copy_from_slice(&invocation_counter.to_be_bytes());
    let mut aad = [0u8; 17];
    let (sc, ak) = aad.split_at_mut(1);
    sc.copy_from_slice(&[SC_AUTH_ENC]);
    ak.copy_from_slice(&keys.ak);
    let region = w
        .written_mut()
        .get_mut(start..total)
        .ok_or(EncodeError::BufferTooSmall {
            needed: total,
            available: 0,
        })?;
    let (ct, tag_out) = region.split_at_mut(plaintext.len());
    let tag = Gcm128::new(&GenericArray::from(keys.ek))
        .encrypt_in_place_detached(&GenericArray::from(iv), &aad, ct)
        .map_err(|_| EncodeError::Invalid {
            field: "encrypted p1",
            reason: "aes-gcm refused the plaintext length",
        })?;
    tag_out.copy_from_slice(tag.as_slice());
    Ok(total)
}

/// Cuts encrypted P1 frames (start byte 0xDB, length-delimited) out of a stream.
/// Decryption is a separate step ([`EncryptedTelegram::decrypt_into`]) into the
/// caller's buffer, since a frame view borrows the stream.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct EncryptedFramer {
    _private: (),
}

impl EncryptedFramer {
    /// A framer.
    pub const fn new() -> Self {
        EncryptedFramer { _private: () }
    }
}

impl Framer for EncryptedFramer {
    type Frame<'a> = EncryptedTelegram<'a>;
    type Error = Error;

    fn decode<'a>(&mut self, input: &'a [u8]) -> Result<Decoded<EncryptedTelegram<'a>>, Error> {
        let Some(total) = frame_len(input)? else {
            return Ok(Decoded::Incomplete {
                needed: Needed::at_least(1),
            });
        };
        match input.get(..total) {
            Some(frame) => Ok(Decoded::Frame {
                frame: EncryptedTelegram::parse(frame)?,
                consumed: total,
            }),
            None => Ok(Decoded::Incomplete {
                needed: Needed::exact(total.saturating_sub(input.len())),
            }),
        }
    }

    fn resync(&mut self, input: &[u8]) -> usize {
        meterwire_core::skip_to_start(input, |b| b == GLO_CIPHERING)
    }
}

#[cfg(feature = "serde")]
impl serde::Serialize for EncryptedTelegram<'_> {
    /// `{"system_title","security_control","invocation_counter","ciphertext_len"}`.
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut m = s.serialize_map(None)?;
        m.serialize_entry("system_title", &meterwire_core::Hex(&self.system_title))?;
        m.serialize_entry("security_control", &self.security_control)?;
        m.serialize_entry("invocation_counter", &self.invocation_counter)?;
        m.serialize_entry("ciphertext_len", &self.ciphertext.len())?;
        m.end()
    }
}
