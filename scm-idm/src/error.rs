//! The crate error: every check names itself.

use meterwire_core::{Classify, ErrorKind};

meterwire_core::named_enum! {
    /// Which integrity check failed.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
    pub enum Check {
        /// SCM CRC-16 (poly 0x6F63) over bytes 2..9.
        ScmCrc = "scm crc",
        /// SCM+ CRC-16/GENIBUS over bytes 2..13.
        ScmPlusCrc = "scm+ crc",
        /// IDM/NetIDM serial number CRC-16/GENIBUS over bytes 7..10.
        IdmSerialCrc = "idm serial crc",
        /// IDM/NetIDM packet CRC-16/GENIBUS over bytes 2..87.
        IdmPacketCrc = "idm packet crc",
        /// Neptune R900 Reed-Solomon syndromes.
        R900ReedSolomon = "r900 reed-solomon",
    }
}

/// Errors of this crate. Checksum failures name the check that failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum Error {
    /// Truncated, malformed (bad preamble/sync, bad field), length errors.
    #[error(transparent)]
    Core(#[from] meterwire_core::Error),
    /// A CRC did not match.
    #[error("checksum mismatch in {check}: expected {expected:#06x}, got {actual:#06x}")]
    Checksum {
        /// Which check.
        check: Check,
        /// The value computed over the data.
        expected: u16,
        /// The value found in the packet.
        actual: u16,
    },
    /// Reed-Solomon syndromes are not all zero.
    #[error("checksum failed in {check}: syndromes {syndromes:?} are not all zero")]
    Syndromes {
        /// Which check.
        check: Check,
        /// The five syndromes (GF(32) elements).
        syndromes: [u8; 5],
    },
    /// Correction was enabled but the packet has more errors than the code can fix.
    #[error("checksum failed in {check}: more errors than can be corrected")]
    Uncorrectable {
        /// Which check.
        check: Check,
    },
}

impl Error {
    meterwire_core::core_error_shorthands!(malformed, truncated);

    /// The failed check, if this is a checksum error.
    pub const fn check(&self) -> Option<Check> {
        match self {
            Error::Core(_) => None,
            Error::Checksum { check, .. }
            | Error::Syndromes { check, .. }
            | Error::Uncorrectable { check } => Some(*check),
        }
    }
}

impl Classify for Error {
    fn kind(&self) -> ErrorKind {
        match self {
            Error::Core(e) => e.kind(),
            Error::Checksum { .. } | Error::Syndromes { .. } | Error::Uncorrectable { .. } => {
                ErrorKind::Checksum
            }
        }
    }
}

/// In strict mode, the first diagnostic `diags()` yields, as an error (lenient mode
/// does not compute them: diagnostics stay lazy on the hot path).
pub(crate) fn enforce<I: Iterator<Item = meterwire_core::Diagnostic>>(
    strictness: meterwire_core::Strictness,
    diags: impl FnOnce() -> I,
) -> Result<(), Error> {
    if strictness.is_strict() {
        if let Some(d) = diags().next() {
            return Err(Error::Core(meterwire_core::Error::Nonconforming(d)));
        }
    }
    Ok(())
}

/// `Ok` when the computed CRC `expected` equals the packet's `actual`, else the
/// checksum error naming `check`.
#[inline]
pub(crate) fn crc_matches(check: Check, expected: u16, actual: u16) -> Result<(), Error> {
    if expected != actual {
        return Err(Error::Checksum {
            check,
            expected,
            actual,
        });
    }
    Ok(())
}

/// `Ok` when `len` bytes hold a packet of `need` bytes, else a truncation error.
#[inline]
pub(crate) fn need_len(len: usize, need: usize) -> Result<(), Error> {
    if len < need {
        return Err(Error::truncated(need.saturating_sub(len)));
    }
    Ok(())
}
