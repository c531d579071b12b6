//! Whole protocol stacks, the entry point for decoding a stream (feature `alloc`):
//!
//! * [`C1218Framer`]: C12.18 packets -> toggle-bit duplicates and multi-packet
//!   reassembly -> PSEM, with request/response pairing so that a read response is
//!   typed (and its table checksum verified) by the read it answers.
//! * [`C1222Framer`] (feature `crypto`): C12.22 over TCP or UDP -> ACSE -> EPSEM, with
//!   EAX' verification and decryption through a [`KeyRing`] looked up by key id (and
//!   calling AP title), holding prepared key schedules.
//!
//! Integrity failures (CRC, MAC, table checksum, truncation) are errors; other
//! departures are [`Diagnostic`](meterwire_core::Diagnostic)s on the frame, and
//! `.strict()` rejects them.

/// `strict()` and `strictness(s)` for a stack framer with `strictness` and an
/// `inner` framer that takes the same setting.
macro_rules! strictness_builders {
    () => {
        /// Rejects departures from the standard (`Nonconforming`).
        pub fn strict(self) -> Self {
            self.strictness(Strictness::Strict)
        }
        /// Sets the strictness.
        pub fn strictness(mut self, s: Strictness) -> Self {
            self.strictness = s;
            self.inner = self.inner.strictness(s);
            self
        }
    };
}

mod c1218;
#[cfg(feature = "crypto")]
mod c1222;
#[cfg(feature = "crypto")]
mod keyring;

pub use crate::psem::Answered;
pub use c1218::{C1218Frame, C1218Framer, DEFAULT_MAX_MESSAGE};
#[cfg(feature = "crypto")]
pub use c1222::{BaseOid, C1222Frame, C1222Framer, Decryption};
#[cfg(feature = "crypto")]
pub use keyring::{KeyArray, KeyMap, KeyRing};
