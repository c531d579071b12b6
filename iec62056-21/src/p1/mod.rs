//! DSMR P1 telegrams: the borrowed [`Telegram`] view, its [`Line`]s and readings,
//! the streaming [`P1Framer`], and encrypted P1 ([`crate::smarty`]).

/// The builder methods the telegram parser and the P1 framer share.
macro_rules! parse_builders {
    ($strict_doc:literal) => {
        #[doc = $strict_doc]
        pub const fn strict(self) -> Self {
            self.strictness(Strictness::Strict)
        }

        /// Sets the strictness.
        pub const fn strictness(mut self, s: Strictness) -> Self {
            self.strictness = s;
            self
        }

        /// Does not reject a telegram whose CRC does not match (reported as a
        /// `not_verified` diagnostic instead). For test files whose CRC was never right.
        pub const fn skip_crc(mut self) -> Self {
            self.skip_crc = true;
            self
        }
    };
}

mod framer;
mod line;
mod telegram;
pub mod value;
mod writer;

pub use framer::{DEFAULT_MAX_TELEGRAM, P1Framer, strip_parity};
pub use line::{EventLog, History, Line, LineKind, Lines, MonthlyPeak, PowerFailure};
pub use telegram::{Readings, Telegram, TelegramParser};
pub use writer::TelegramWriter;
