//! IEC 62056-21 (optical port, modes A–E): messages with their BCC, encoders, and
//! the [`Session`] sniffer of both directions.

mod message;
mod session;

pub use message::{ACK, CommandKind, DataBlock, EOT, ETX, Message, NAK, SOH, STX, bcc};
pub use session::{Sender, Session, State};
