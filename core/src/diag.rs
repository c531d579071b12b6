//! Departures from the standard that still decode: typed diagnostics and strict mode.
//!
//! # The validity policy of every meterwire crate
//!
//! 1. **Integrity failures reject.** A bad CRC/FCS/HCS/LRC/BCC, a bad table
//!    checksum, a failed GCM/EAX' tag, a length field that contradicts the bytes
//!    at the framing layer, and truncation are errors with a specific
//!    [`ErrorKind`](crate::ErrorKind) (`checksum`, `authentication`, `length`,
//!    `truncated`).
//! 2. **Everything the bytes still delimit and decode unambiguously is decoded.**
//!    Each departure from the standard (trailing bytes, a non-zero Modbus protocol
//!    id, an out-of-range quantity, a reserved code, a vendor quirk, a layer that
//!    could not be reassembled or decrypted) is reported on the frame as a
//!    [`Diagnostic`], like Wireshark's expert info. Diagnostics need no
//!    allocation: frames compute them lazily from the view or keep them in a
//!    fixed-capacity [`Diagnostics`] list.
//! 3. **Strict mode is the caller's choice.** Every framer and one-shot parser
//!    takes a [`Strictness`] (builder style: `.strict()` or
//!    `.strictness(Strictness::Strict)`); in strict mode the first diagnostic
//!    becomes [`Error::Nonconforming`]. Lenient is
//!    the default. Encoders are always strict: they never emit out-of-spec frames.
//!
//! ```
//! use meterwire_core::{Diagnostic, DiagnosticKind, Diagnostics, Strictness};
//!
//! let d = Diagnostic::new(DiagnosticKind::TrailingBytes, "mbap length", "bytes after the pdu");
//! let mut list: Diagnostics<4> = Diagnostics::new();
//! list.push(d);
//! assert_eq!(list.len(), 1);
//! assert!(Strictness::Lenient.check(&list).is_ok());
//! assert!(Strictness::Strict.check(&list).is_err());
//! assert_eq!(d.to_string(), "trailing_bytes in mbap length: bytes after the pdu");
//! ```

use core::fmt;

use crate::Error;

crate::named_enum! {
    /// What kind of departure from the standard a [`Diagnostic`] reports.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
    #[non_exhaustive]
    pub enum DiagnosticKind {
        /// Bytes after the end of the unit that a length field or the grammar delimits.
        TrailingBytes = "trailing_bytes",
        /// A protocol identifier other than the one the standard requires (Modbus MBAP).
        NonZeroProtocolId = "non_zero_protocol_id",
        /// A value outside the range the standard allows (quantities, counts, dates).
        OutOfRange = "out_of_range",
        /// A reserved, obsolete or unassigned code.
        ReservedCode = "reserved_code",
        /// A known vendor or tool departure (the message names it).
        VendorQuirk = "vendor_quirk",
        /// A segment or block that could not be reassembled (no start seen, gap).
        Unreassembled = "unreassembled",
        /// Ciphered content that was not decrypted (no key, or not attempted).
        NotDecrypted = "not_decrypted",
        /// Content decrypted without checking its authentication tag.
        NotVerified = "not_verified",
        /// A payload of a kind the layer does not expect (e.g. text inside a ciphered APDU).
        UnexpectedPayload = "unexpected_payload",
        /// A frame whose values could not be mapped to readings (unknown layout).
        NotMapped = "not_mapped",
        /// A placeholder or "invalid" value a device sends instead of a real one.
        Placeholder = "placeholder",
        /// Bytes that were normalised or skipped before decoding (noise, parity bit).
        Noise = "noise",
        /// A field or unit the decoder could not interpret and kept raw.
        Unrecognized = "unrecognized",
    }
}

/// One departure from the standard, found on a frame that still decoded.
///
/// `Copy` and allocation-free: `field` and `message` are static text, an
/// optional `value` carries the number that departs (a protocol id, a quantity,
/// a byte count) and is shown after the message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Diagnostic {
    /// The kind of departure.
    pub kind: DiagnosticKind,
    /// The field it concerns (e.g. `"mbap protocol id"`).
    pub field: &'static str,
    /// What departs, lower case (e.g. `"expected 0"`).
    pub message: &'static str,
    /// The offending value, where one number says it.
    pub value: Option<u64>,
}

impl Diagnostic {
    /// A diagnostic without a value.
    pub const fn new(kind: DiagnosticKind, field: &'static str, message: &'static str) -> Self {
        Diagnostic {
            kind,
            field,
            message,
            value: None,
        }
    }

    /// A diagnostic carrying the offending value.
    pub const fn with_value(
        kind: DiagnosticKind,
        field: &'static str,
        message: &'static str,
        value: u64,
    ) -> Self {
        Diagnostic {
            kind,
            field,
            message,
            value: Some(value),
        }
    }

    /// The message with the value appended (`"expected 0 (got 5)"`), for display.
    pub fn message_display(&self) -> impl fmt::Display + '_ {
        MessageDisplay(self)
    }
}

struct MessageDisplay<'a>(&'a Diagnostic);

impl fmt::Display for MessageDisplay<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0.message)?;
        if let Some(v) = self.0.value {
            write!(f, " (got {v})")?;
        }
        Ok(())
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} in {}: {}",
            self.kind,
            self.field,
            self.message_display()
        )
    }
}

#[cfg(feature = "serde")]
impl serde::Serialize for Diagnostic {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut st = s.serialize_struct("Diagnostic", 3)?;
        st.serialize_field("kind", self.kind.as_str())?;
        st.serialize_field("field", self.field)?;
        st.serialize_field("message", &crate::hex::DisplayStr(self.message_display()))?;
        st.end()
    }
}

/// A fixed-capacity list of diagnostics (no allocation).
///
/// Nothing is lost silently: pushes beyond the capacity are counted in
/// [`Diagnostics::overflowed`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Diagnostics<const N: usize> {
    items: [Option<Diagnostic>; N],
    len: usize,
    overflowed: usize,
}

impl<const N: usize> Default for Diagnostics<N> {
    fn default() -> Self {
        Self::new()
    }
}

impl<const N: usize> Diagnostics<N> {
    /// An empty list.
    pub const fn new() -> Self {
        Diagnostics {
            items: [None; N],
            len: 0,
            overflowed: 0,
        }
    }

    /// Adds a diagnostic; past the capacity it is counted in [`Self::overflowed`].
    pub fn push(&mut self, d: Diagnostic) {
        match self.items.get_mut(self.len) {
            Some(slot) => {
                *slot = Some(d);
                self.len = self.len.saturating_add(1);
            }
            None => self.overflowed = self.overflowed.saturating_add(1),
        }
    }

    /// Adds every diagnostic of an iterator.
    pub fn extend<I: IntoIterator<Item = Diagnostic>>(&mut self, it: I) {
        for d in it {
            self.push(d);
        }
    }

    /// How many diagnostics are stored.
    pub const fn len(&self) -> usize {
        self.len
    }

    /// True when there are none (stored or overflowed).
    pub const fn is_empty(&self) -> bool {
        self.len == 0 && self.overflowed == 0
    }

    /// How many diagnostics did not fit.
    pub const fn overflowed(&self) -> usize {
        self.overflowed
    }

    /// The first diagnostic, if any.
    pub fn first(&self) -> Option<&Diagnostic> {
        self.items.first().and_then(Option::as_ref)
    }

    /// The stored diagnostics in order.
    pub fn iter(&self) -> impl Iterator<Item = &Diagnostic> + '_ {
        self.items.iter().take(self.len).flatten()
    }
}

impl<'a, const N: usize> IntoIterator for &'a Diagnostics<N> {
    type Item = &'a Diagnostic;
    type IntoIter =
        core::iter::Flatten<core::iter::Take<core::slice::Iter<'a, Option<Diagnostic>>>>;
    fn into_iter(self) -> Self::IntoIter {
        self.items.iter().take(self.len).flatten()
    }
}

#[cfg(feature = "serde")]
impl<const N: usize> serde::Serialize for Diagnostics<N> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.iter())
    }
}

/// Whether departures from the standard are reported ([`Strictness::Lenient`],
/// the default) or rejected ([`Strictness::Strict`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Strictness {
    /// Decode what the bytes delimit and report departures as diagnostics.
    #[default]
    Lenient,
    /// Reject the first departure with [`Error::Nonconforming`].
    Strict,
}

impl Strictness {
    /// True in strict mode.
    pub const fn is_strict(self) -> bool {
        matches!(self, Strictness::Strict)
    }

    /// In strict mode, the first diagnostic of `diags` as an error.
    pub fn check<'a, I>(self, diags: I) -> Result<(), Error>
    where
        I: IntoIterator<Item = &'a Diagnostic>,
    {
        if self.is_strict() {
            if let Some(d) = diags.into_iter().next() {
                return Err(Error::Nonconforming(*d));
            }
        }
        Ok(())
    }

    /// In strict mode, this one diagnostic as an error; lenient returns `Ok`.
    pub fn reject(self, d: Diagnostic) -> Result<(), Error> {
        if self.is_strict() {
            Err(Error::Nonconforming(d))
        } else {
            Ok(())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::string::ToString;

    #[test]
    fn fixed_list_counts_overflow() {
        let d = Diagnostic::new(DiagnosticKind::ReservedCode, "f", "m");
        let mut l: Diagnostics<2> = Diagnostics::new();
        assert!(l.is_empty());
        l.push(d);
        l.push(d);
        l.push(d);
        assert_eq!(l.len(), 2);
        assert_eq!(l.overflowed(), 1);
        assert_eq!(l.iter().count(), 2);
        assert_eq!((&l).into_iter().count(), 2);
    }

    #[test]
    fn strict_rejects_with_the_diagnostic() {
        let d = Diagnostic::with_value(
            DiagnosticKind::NonZeroProtocolId,
            "mbap protocol id",
            "expected 0",
            5,
        );
        assert_eq!(Strictness::Strict.reject(d), Err(Error::Nonconforming(d)));
        assert_eq!(Strictness::Lenient.reject(d), Ok(()));
        let e = Error::Nonconforming(d);
        assert_eq!(
            e.to_string(),
            "nonconforming: non_zero_protocol_id in mbap protocol id: expected 0 (got 5)"
        );
        assert_eq!(crate::Classify::kind(&e), crate::ErrorKind::Nonconforming);
    }
}
