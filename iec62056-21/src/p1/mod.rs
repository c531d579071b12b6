//! DSMR P1 telegrams: the borrowed [`Telegram`] view, its [`Line`]s and readings,
//! the streaming [`P1Framer`], and encrypted P1 ([`crate::smarty`]).

mod framer;
mod line;
mod telegram;
pub mod value;
mod writer;

pub use framer::{DEFAULT_MAX_TELEGRAM, P1Framer, strip_parity};
pub use line::{EventLog, History, Line, LineKind, Lines, MonthlyPeak, PowerFailure};
pub use telegram::{Readings, Telegram, TelegramParser};
pub use writer::TelegramWriter;
