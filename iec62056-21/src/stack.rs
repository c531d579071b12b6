//! The P1 port stack: plain DSMR telegrams and encrypted (general-glo-ciphering,
//! start byte 0xDB) frames on one serial line, the entry point for decoding a
//! stream of P1.
//!
//! ```
//! use meterwire_iec62056_21::stack::{P1Frame, P1StackFramer};
//! use meterwire_core::{Event, Frames};
//!
//! let telegram = b"/ISk5\\2MT382-1000\r\n\r\n1-0:1.8.1(001234.567*kWh)\r\n!\r\n";
//! let mut n = 0;
//! for ev in Frames::new(P1StackFramer::new(), telegram) {
//!     if let Event::Frame { frame: P1Frame::Plain(t), .. } = ev {
//!         assert_eq!(t.lines().count(), 1);
//!         n += 1;
//!     }
//! }
//! assert_eq!(n, 1);
//! ```

use meterwire_core::{Decoded, Framer, Strictness};

use crate::Error;
use crate::p1::{P1Framer, Telegram};
use crate::smarty::{EncryptedFramer, EncryptedTelegram};

/// A P1 telegram or an encrypted P1 frame.
#[derive(Debug, Clone, Copy)]
pub enum P1Frame<'a> {
    /// A plain telegram.
    Plain(Telegram<'a>),
    /// A general-glo-ciphering frame (decrypt it with
    /// [`EncryptedTelegram::telegram_with`]).
    Encrypted(EncryptedTelegram<'a>),
}

/// Plain telegrams and 0xDB encrypted frames on one line.
#[derive(Debug, Clone, Copy, Default)]
pub struct P1StackFramer {
    plain: P1Framer,
    encrypted: EncryptedFramer,
}

impl P1StackFramer {
    /// Lenient framers with the default telegram size bound.
    pub fn new() -> Self {
        Self::default()
    }

    /// Strictness of the plain-telegram framer (strict: diagnostics reject).
    pub fn strictness(mut self, s: Strictness) -> Self {
        self.plain = self.plain.strictness(s);
        self
    }

    /// Strict mode.
    pub fn strict(self) -> Self {
        self.strictness(Strictness::Strict)
    }

    /// Uses this plain-telegram framer (its size bound and options).
    pub fn with_plain(mut self, plain: P1Framer) -> Self {
        self.plain = plain;
        self
    }
}

/// The first 0xDB before any `/`.
fn first_db(input: &[u8]) -> Option<usize> {
    let slash = input.iter().position(|&b| b == b'/').unwrap_or(usize::MAX);
    input.iter().position(|&b| b == 0xDB).filter(|&d| d < slash)
}

impl Framer for P1StackFramer {
    type Frame<'a> = P1Frame<'a>;
    type Error = Error;

    fn decode<'a>(&mut self, input: &'a [u8]) -> Result<Decoded<P1Frame<'a>>, Error> {
        match first_db(input) {
            Some(0) => Ok(match self.encrypted.decode(input)? {
                Decoded::Frame { frame, consumed } => Decoded::Frame {
                    frame: P1Frame::Encrypted(frame),
                    consumed,
                },
                Decoded::Incomplete { needed } => Decoded::Incomplete { needed },
            }),
            Some(_) => Err(Error::malformed(
                "p1 stream",
                "bytes before an encrypted frame",
            )),
            None => Ok(match self.plain.decode(input)? {
                Decoded::Frame { frame, consumed } => Decoded::Frame {
                    frame: P1Frame::Plain(frame),
                    consumed,
                },
                Decoded::Incomplete { needed } => Decoded::Incomplete { needed },
            }),
        }
    }

    fn resync(&mut self, input: &[u8]) -> usize {
        match first_db(input) {
            Some(0) => self.encrypted.resync(input),
            Some(d) => d,
            None => self.plain.resync(input),
        }
    }
}
