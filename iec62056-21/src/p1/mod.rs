//! DSMR P1 telegrams: the borrowed [`Telegram`] view, its [`Line`]s and readings,
//! the streaming [`P1Framer`], and encrypted P1 ([`crate::smarty`]).

/// The builder methods the telegram parser and the P1 framer share: core's
/// `strictness`/`strict` pair and `skip_crc`.
macro_rules! parse_builders {
    () => {
        meterwire_core::strictness_builders!(strictness);

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
