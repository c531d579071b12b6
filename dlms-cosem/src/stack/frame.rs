//! The frame the stack produces: every layer's view, the APDU, its plaintext, and
//! the diagnostics of every layer.

use alloc::vec::Vec;
use meterwire_core::{Diagnostic, Diagnostics};

use crate::apdu::Apdu;
use crate::error::Result;
use crate::hdlc::HdlcFrame;
use crate::mbus::MbusFrame;
use crate::security::{SecurityHeader, Verification};
use crate::wrapper::WrapperFrame;

/// How many diagnostics a frame keeps (more are counted as overflowed).
pub const MAX_DIAGNOSTICS: usize = 6;

/// The link layer a frame came in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Link<'a> {
    /// An HDLC frame (IEC 62056-46).
    Hdlc(HdlcFrame<'a>),
    /// A wrapper frame (IEC 62056-47).
    Wrapper(WrapperFrame<'a>),
    /// An M-Bus long frame (EN 13757-2, IEC 62056-7-6 transport).
    Mbus(MbusFrame<'a>),
    /// A bare APDU (no link layer).
    Apdu,
}

/// Bytes borrowed from the input (one unsegmented frame) or owned (reassembled).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Bytes<'a> {
    Borrowed(&'a [u8]),
    Owned(Vec<u8>),
}

impl Bytes<'_> {
    pub(crate) fn as_slice(&self) -> &[u8] {
        match self {
            Bytes::Borrowed(b) => b,
            Bytes::Owned(v) => v,
        }
    }
}

/// One frame out of [`DlmsFramer`](super::DlmsFramer).
///
/// The link view is always there. The frame that completes an APDU (a single frame,
/// the last HDLC/M-Bus segment, the last general-block-transfer block) also carries
/// the APDU; a ciphered APDU whose keys are known carries its plaintext. Problems of
/// the upper layers (a missing key, an unexpected plaintext, a segment out of
/// sequence) are [`Diagnostic`]s on the frame, not errors.
#[derive(Debug, Clone, PartialEq)]
pub struct DlmsFrame<'a> {
    /// The link-layer view.
    pub link: Link<'a>,
    pub(crate) apdu: Option<Bytes<'a>>,
    pub(crate) plaintext: Option<Vec<u8>>,
    /// The security header of the decrypted APDU (when decrypted).
    pub security: Option<SecurityHeader>,
    /// What the decryption proved (when decrypted).
    pub verification: Option<Verification>,
    /// A segment (HDLC, M-Bus) or a general-block-transfer block of an APDU not yet complete.
    pub partial: bool,
    pub(crate) diagnostics: Diagnostics<MAX_DIAGNOSTICS>,
}

impl<'a> DlmsFrame<'a> {
    pub(crate) fn new(link: Link<'a>) -> Self {
        DlmsFrame {
            link,
            apdu: None,
            plaintext: None,
            security: None,
            verification: None,
            partial: false,
            diagnostics: Diagnostics::new(),
        }
    }

    /// The complete APDU as carried on the wire (ciphered or not), when this frame completes one.
    pub fn apdu_bytes(&self) -> Option<&[u8]> {
        self.apdu.as_ref().map(Bytes::as_slice)
    }

    /// The APDU as carried (for a ciphered APDU: its security header view).
    pub fn apdu(&self) -> Option<Result<Apdu<'_>>> {
        self.apdu_bytes().map(Apdu::parse)
    }

    /// The decrypted plaintext (of a ciphered APDU, or of an AARQ/AARE's ciphered
    /// user-information).
    pub fn plaintext(&self) -> Option<&[u8]> {
        self.plaintext.as_deref()
    }

    /// The decrypted APDU, when the plaintext is one.
    pub fn decrypted(&self) -> Option<Apdu<'_>> {
        self.plaintext().and_then(|p| Apdu::parse(p).ok())
    }

    /// The innermost APDU: the decrypted one, else the APDU as carried.
    pub fn inner(&self) -> Option<Apdu<'_>> {
        self.decrypted()
            .or_else(|| self.apdu().and_then(core::result::Result::ok))
    }

    /// The plaintext as text, when it is printable (e.g. DSMR P1 text inside
    /// general-glo-ciphering) and not an APDU.
    pub fn plaintext_text(&self) -> Option<&str> {
        let p = self.plaintext()?;
        if self.decrypted().is_some() {
            return None;
        }
        printable(p)
    }

    /// Every layer's departures from the standard and upper-layer problems.
    pub fn diagnostics(&self) -> impl Iterator<Item = Diagnostic> + '_ {
        self.diagnostics.iter().copied()
    }

    /// A short name: the APDU's (as carried), or the link frame's.
    pub fn name(&self) -> &'static str {
        match self.apdu() {
            Some(Ok(a)) => a.name(),
            _ => match &self.link {
                Link::Hdlc(h) => h.control.name(),
                Link::Wrapper(_) => "wrapper",
                Link::Mbus(_) => "mbus",
                Link::Apdu => "apdu",
            },
        }
    }
}

/// `Some(text)` when every byte is printable ASCII or CR/LF/TAB.
pub(crate) fn printable(p: &[u8]) -> Option<&str> {
    let ok = !p.is_empty()
        && p.iter()
            .all(|&b| (0x20..0x7F).contains(&b) || matches!(b, b'\r' | b'\n' | b'\t'));
    if ok {
        core::str::from_utf8(p).ok()
    } else {
        None
    }
}

#[cfg(feature = "serde")]
mod ser {
    use super::*;
    use serde::ser::{Serialize, SerializeMap, Serializer};

    /// The link fields (HDLC without `info` when the APDU is shown instead).
    struct LinkFields<'x, 'a> {
        link: &'x Link<'a>,
        with_info: bool,
    }

    impl Serialize for LinkFields<'_, '_> {
        fn serialize<S: Serializer>(&self, s: S) -> core::result::Result<S::Ok, S::Error> {
            let mut m = s.serialize_map(None)?;
            match self.link {
                Link::Hdlc(f) => f.serialize_entries(&mut m, self.with_info)?,
                Link::Wrapper(w) => {
                    m.serialize_entry("version", &w.version)?;
                    m.serialize_entry("source_wport", &w.source)?;
                    m.serialize_entry("destination_wport", &w.destination)?;
                }
                Link::Mbus(f) => {
                    m.serialize_entry("mbus_control", &f.control)?;
                    m.serialize_entry("mbus_address", &f.address)?;
                    m.serialize_entry("mbus_ci", &f.ci)?;
                    if self.with_info {
                        m.serialize_entry("mbus_data", &meterwire_core::Hex(f.data))?;
                    }
                }
                Link::Apdu => {}
            }
            m.end()
        }
    }

    #[derive(serde::Serialize)]
    struct Out<'x, 'a> {
        #[serde(flatten)]
        link: LinkFields<'x, 'a>,
        #[serde(skip_serializing_if = "core::ops::Not::not")]
        segment: bool,
        #[serde(flatten, skip_serializing_if = "Option::is_none")]
        apdu: Option<Apdu<'x>>,
        #[serde(skip_serializing_if = "Option::is_none")]
        verification: Option<Verification>,
        #[serde(skip_serializing_if = "Option::is_none")]
        plaintext_hex: Option<meterwire_core::Hex<'x>>,
        #[serde(skip_serializing_if = "Option::is_none")]
        plaintext_text: Option<&'x str>,
        #[serde(skip_serializing_if = "Option::is_none")]
        decrypted: Option<Apdu<'x>>,
        #[serde(skip_serializing_if = "Diagnostics::is_empty")]
        diagnostics: Diagnostics<MAX_DIAGNOSTICS>,
    }

    impl Serialize for DlmsFrame<'_> {
        fn serialize<S: Serializer>(&self, s: S) -> core::result::Result<S::Ok, S::Error> {
            let apdu = self.apdu().and_then(core::result::Result::ok);
            Out {
                link: LinkFields {
                    link: &self.link,
                    with_info: apdu.is_none(),
                },
                segment: self.partial,
                apdu,
                verification: self.verification,
                plaintext_hex: self.plaintext().map(meterwire_core::Hex),
                plaintext_text: self.plaintext_text(),
                decrypted: self.decrypted(),
                diagnostics: self.diagnostics,
            }
            .serialize(s)
        }
    }
}
