//! A sniffer of both directions of an optical-port session (IEC 62056-21 §6.4 flow):
//! it knows which message comes next, so a lone ACK and an option select, a mode D
//! block and a readout are told apart, and it reports the mode E hand-over to
//! DLMS/HDLC (those bytes belong to `meterwire-dlms-cosem`'s HDLC framer).

use meterwire_core::{Decoded, Framer, Needed};

use super::message::{CommandKind, Message, message_len};
use crate::Error;
use crate::ident::{BaudMode, baud_rate};

/// Where a session is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum State {
    /// Waiting for a request (or a mode D identification).
    #[default]
    Idle,
    /// Request sent; the meter identifies next.
    AwaitIdentification,
    /// Mode C/E identification received; the HHU's option select comes next.
    AwaitOptionSelect,
    /// Mode A/B identification (or option select Y=0): the readout comes next.
    AwaitReadout,
    /// Mode D identification received: the data block follows.
    AwaitModeD,
    /// Programming mode: commands and answers until B0/B1.
    Programming,
    /// Option select for mode E sent; the meter's acknowledgement comes next.
    AwaitModeEAck,
    /// Handed over to binary mode E (HDLC, 8N1): nothing more is IEC 62056-21.
    Binary,
}

/// Who sent a message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sender {
    /// The hand-held unit (reading head).
    Hhu,
    /// The meter.
    Meter,
}

/// The stateful framer of a session (both directions in time order).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Session {
    state: State,
    last: Option<Sender>,
}

impl Session {
    /// A session waiting for a request.
    pub const fn new() -> Self {
        Session {
            state: State::Idle,
            last: None,
        }
    }

    /// The current state.
    pub const fn state(&self) -> State {
        self.state
    }

    /// Whether the session was handed over to mode E binary (HDLC).
    pub const fn handed_over(&self) -> bool {
        matches!(self.state, State::Binary)
    }

    /// The sender of the last message.
    pub const fn last_sender(&self) -> Option<Sender> {
        self.last
    }

    fn advance(&mut self, m: &Message<'_>) {
        let (sender, next) = match m {
            Message::Request { .. } => (Sender::Hhu, State::AwaitIdentification),
            Message::Identification(id) => {
                let next = if self.state != State::AwaitIdentification {
                    State::AwaitModeD
                } else {
                    match baud_rate(id.baud_char()).0 {
                        BaudMode::ModeC => State::AwaitOptionSelect,
                        BaudMode::ModeA | BaudMode::ModeB => State::AwaitReadout,
                    }
                };
                (Sender::Meter, next)
            }
            Message::OptionSelect { mode, .. } => match (self.state, mode) {
                (State::AwaitModeEAck, _) => (Sender::Meter, State::Binary),
                (_, b'2') => (Sender::Hhu, State::AwaitModeEAck),
                (_, b'1') => (Sender::Hhu, State::Programming),
                _ => (Sender::Hhu, State::AwaitReadout),
            },
            Message::Readout(_) | Message::ModeD(_) => (Sender::Meter, State::Idle),
            Message::Command {
                kind: CommandKind::Password,
                digit: b'0',
                ..
            } => (Sender::Meter, State::Programming),
            Message::Command {
                kind: CommandKind::Break,
                ..
            } => (Sender::Hhu, State::Idle),
            Message::Command { .. } => (Sender::Hhu, State::Programming),
            Message::Answer { .. } => (Sender::Meter, self.state),
            Message::Ack | Message::Nak => {
                let s = match self.last {
                    Some(Sender::Hhu) => Sender::Meter,
                    _ => Sender::Hhu,
                };
                (s, self.state)
            }
        };
        self.last = Some(sender);
        self.state = next;
    }
}

impl Framer for Session {
    type Frame<'a> = Message<'a>;
    type Error = Error;

    fn decode<'a>(&mut self, input: &'a [u8]) -> Result<Decoded<Message<'a>>, Error> {
        if self.state == State::Binary {
            return Err(Error::Core(meterwire_core::Error::unsupported(
                "mode e binary (hdlc) after the hand-over",
                0x02,
            )));
        }
        let option = matches!(self.state, State::AwaitOptionSelect | State::AwaitModeEAck);
        let mode_d = self.state == State::AwaitModeD;
        let Some(n) = message_len(input, option, mode_d)? else {
            return Ok(Decoded::Incomplete {
                needed: Needed::at_least(1),
            });
        };
        let bytes = input.get(..n).unwrap_or(input);
        let m = Message::parse(bytes)?;
        self.advance(&m);
        Ok(Decoded::Frame {
            frame: m,
            consumed: n,
        })
    }

    fn resync(&mut self, input: &[u8]) -> usize {
        if self.state == State::Binary {
            return input.len().max(1);
        }
        meterwire_core::skip_to_start(input, |b| matches!(b, b'/' | 0x01 | 0x02 | 0x06 | 0x15))
    }
}
