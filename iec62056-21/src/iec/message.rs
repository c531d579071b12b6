//! IEC 62056-21:2002 §6.3 messages (formerly IEC 1107): request, identification,
//! acknowledgement/option select, data (readout, mode D, programming answers),
//! programming commands, ACK/NAK; the block check character (BCC).

use meterwire_core::{Encode, EncodeError, Writer};

use crate::Error;
use crate::dataset::{DataSet, DataSets};
use crate::ident::Identification;

/// Start of header.
pub const SOH: u8 = 0x01;
/// Start of text.
pub const STX: u8 = 0x02;
/// End of text (last block).
pub const ETX: u8 = 0x03;
/// End of transmission (a partial block follows).
pub const EOT: u8 = 0x04;
/// Acknowledge.
pub const ACK: u8 = 0x06;
/// Negative acknowledge (repeat request).
pub const NAK: u8 = 0x15;

/// The BCC: XOR of `bytes` (the caller passes everything after SOH or STX, ETX/EOT included).
pub fn bcc(bytes: &[u8]) -> u8 {
    bytes.iter().fold(0u8, |a, b| a ^ b)
}

/// A data block: the text of a readout or answer, lines of data sets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DataBlock<'a> {
    text: &'a str,
}

impl<'a> DataBlock<'a> {
    /// A block from its text.
    pub const fn new(text: &'a str) -> Self {
        DataBlock { text }
    }

    /// The text (for a readout without the final `!` CR LF).
    pub const fn text(&self) -> &'a str {
        self.text
    }

    /// Every data set of every line; `Err(rest)` for a line part off the grammar.
    pub fn data_sets(&self) -> impl Iterator<Item = Result<DataSet<'a>, &'a str>> + use<'a> {
        self.text
            .split('\n')
            .map(|l| l.strip_suffix('\r').unwrap_or(l))
            .filter(|l| !l.is_empty())
            .flat_map(DataSets::new)
    }

    /// Whether the block holds a vendor error data set `(ERROR…)` or `(#nnnn)`.
    pub fn is_error(&self) -> bool {
        self.data_sets().flatten().any(|d| {
            d.groups()
                .any(|g| g.value().starts_with("ERR") || g.value().starts_with('#'))
        })
    }
}

/// The command letters of programming mode (§6.3.6, table 4).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CommandKind {
    /// `P`: password (P0 seed from the meter, P1 password, P2 secure algorithm result).
    Password,
    /// `W`: write (W1 ASCII … W4 formatted partial block).
    Write,
    /// `R`: read (R1 … R6).
    Read,
    /// `E`: execute (E2 formatted).
    Execute,
    /// `B`: exit / break (B0 complete sign-off, B1 battery devices).
    Break,
}

impl CommandKind {
    const fn letter(self) -> u8 {
        match self {
            CommandKind::Password => b'P',
            CommandKind::Write => b'W',
            CommandKind::Read => b'R',
            CommandKind::Execute => b'E',
            CommandKind::Break => b'B',
        }
    }

    const fn from_letter(c: u8) -> Option<Self> {
        match c {
            b'P' => Some(CommandKind::Password),
            b'W' => Some(CommandKind::Write),
            b'R' => Some(CommandKind::Read),
            b'E' => Some(CommandKind::Execute),
            b'B' => Some(CommandKind::Break),
            _ => None,
        }
    }
}

/// One IEC 62056-21 message (borrowed; also the value that encodes it).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Message<'a> {
    /// `/ ? [address] ! CR LF` (HHU).
    Request {
        /// The device address (empty: any meter).
        address: &'a str,
    },
    /// `/ XXX Z [\W] ident CR LF` (meter).
    Identification(Identification<'a>),
    /// `ACK V Z Y CR LF` (HHU; in mode E the meter echoes it).
    OptionSelect {
        /// V: `0` normal, `1` secondary, `2` HDLC (mode E).
        protocol: u8,
        /// Z: the baud character.
        baud: u8,
        /// Y: `0` readout, `1` programming, `2` binary (HDLC).
        mode: u8,
    },
    /// A lone ACK.
    Ack,
    /// A lone NAK (repeat).
    Nak,
    /// `STX block ! CR LF ETX BCC` (modes A/B/C readout).
    Readout(DataBlock<'a>),
    /// Mode D: the block after the identification, `… ! CR LF`, no STX/ETX/BCC.
    ModeD(DataBlock<'a>),
    /// `SOH C D [STX data] ETX BCC` (programming command; P0 comes from the meter).
    Command {
        /// C.
        kind: CommandKind,
        /// D: the command type digit.
        digit: u8,
        /// The data set(s), if any.
        data: Option<&'a str>,
    },
    /// `STX data ETX|EOT BCC` (programming answer; EOT = a partial block follows).
    Answer {
        /// The block.
        data: DataBlock<'a>,
        /// Ends with EOT.
        partial: bool,
    },
}

fn ascii(b: &[u8]) -> Result<&str, Error> {
    if b.iter().any(|&c| c >= 0x80) {
        return Err(Error::malformed(
            "iec message",
            "non-ascii byte (7e1 parity not stripped?)",
        ));
    }
    core::str::from_utf8(b).map_err(|_| Error::malformed("iec message", "not ascii"))
}

/// Length of the message at the start of `input` given the framing context, or
/// `Ok(None)` when more bytes are needed. `option_select`: a leading ACK is the
/// 6-byte option select. `mode_d`: text is a mode D block up to `! CR LF`.
pub(crate) fn message_len(
    input: &[u8],
    option_select: bool,
    mode_d: bool,
) -> Result<Option<usize>, Error> {
    let Some(&first) = input.first() else {
        return Ok(None);
    };
    let until = |pat: &[u8]| {
        input
            .windows(pat.len())
            .position(|w| w == pat)
            .and_then(|p| p.checked_add(pat.len()))
    };
    if mode_d {
        return Ok(until(b"!\r\n"));
    }
    match first {
        b'/' => Ok(until(b"\r\n")),
        ACK if option_select => Ok((input.len() >= 6).then_some(6)),
        ACK | NAK => Ok(Some(1)),
        SOH | STX => {
            let end = input.iter().skip(1).position(|&b| b == ETX || b == EOT);
            Ok(end
                .and_then(|p| p.checked_add(3))
                .filter(|&n| n <= input.len()))
        }
        _ => Err(Error::malformed(
            "iec message start",
            "expected '/', soh, stx, ack or nak",
        )),
    }
}

impl<'a> Message<'a> {
    /// Parses one complete message. A leading ACK of 6 bytes is an option select,
    /// of 1 byte an ACK. Text ending in `! CR LF` without STX is a mode D block.
    pub fn parse(input: &'a [u8]) -> Result<Self, Error> {
        match input {
            [] => Err(Error::truncated(1)),
            [ACK] => Ok(Message::Ack),
            [NAK] => Ok(Message::Nak),
            [ACK, v, z, y, b'\r', b'\n'] => Ok(Message::OptionSelect {
                protocol: *v,
                baud: *z,
                mode: *y,
            }),
            [b'/', b'?', rest @ ..] => {
                let addr = rest
                    .strip_suffix(b"!\r\n")
                    .ok_or(Error::malformed("request", "expected ! cr lf at the end"))?;
                Ok(Message::Request {
                    address: ascii(addr)?,
                })
            }
            [b'/', rest @ ..] => {
                let text = rest.strip_suffix(b"\r\n").ok_or(Error::malformed(
                    "identification",
                    "expected cr lf at the end",
                ))?;
                let id = Identification::new(ascii(text)?)
                    .ok_or(Error::malformed("identification", "shorter than /XXXZ"))?;
                Ok(Message::Identification(id))
            }
            [SOH, c, d, rest @ ..] => {
                let kind = CommandKind::from_letter(*c)
                    .ok_or(Error::malformed("command", "expected P, W, R, E or B"))?;
                let (body, sent) = match rest {
                    [body @ .., ETX, bcc_b] => (body, *bcc_b),
                    _ => {
                        return Err(Error::malformed(
                            "command",
                            "expected etx and bcc at the end",
                        ));
                    }
                };
                let covered = input.get(1..input.len().saturating_sub(1)).unwrap_or(&[]);
                let computed = bcc(covered);
                if computed != sent {
                    return Err(Error::checksum("iec bcc", computed.into(), sent.into()));
                }
                let data = match body {
                    [] => None,
                    [STX, data @ ..] => Some(ascii(data)?),
                    _ => return Err(Error::malformed("command", "expected stx before the data")),
                };
                Ok(Message::Command {
                    kind,
                    digit: *d,
                    data,
                })
            }
            [STX, rest @ ..] => {
                let (body, end, sent) = match rest {
                    [body @ .., e @ (ETX | EOT), b] => (body, *e, *b),
                    _ => {
                        return Err(Error::malformed(
                            "data message",
                            "expected etx or eot and bcc",
                        ));
                    }
                };
                let computed = bcc(input.get(1..input.len().saturating_sub(1)).unwrap_or(&[]));
                if computed != sent {
                    return Err(Error::checksum("iec bcc", computed.into(), sent.into()));
                }
                let text = ascii(body)?;
                match (text.strip_suffix("!\r\n"), end) {
                    (Some(block), ETX) => Ok(Message::Readout(DataBlock::new(block))),
                    _ => Ok(Message::Answer {
                        data: DataBlock::new(text),
                        partial: end == EOT,
                    }),
                }
            }
            _ => {
                let text = ascii(input)?;
                match text.strip_suffix("!\r\n") {
                    Some(block) => Ok(Message::ModeD(DataBlock::new(block))),
                    None => Err(Error::malformed(
                        "iec message start",
                        "expected '/', soh, stx, ack or nak",
                    )),
                }
            }
        }
    }

    fn check(&self) -> Result<(), EncodeError> {
        let bad =
            |s: &str, forbidden: &[u8]| s.bytes().any(|c| c >= 0x80 || forbidden.contains(&c));
        let invalid = |field, reason| Err(EncodeError::Invalid { field, reason });
        match self {
            Message::Request { address } if bad(address, b"!/\r\n") || address.len() > 32 => {
                invalid(
                    "request address",
                    "at most 32 ascii characters without ! / cr lf",
                )
            }
            Message::Identification(i) if bad(i.text(), b"/!\r\n") => {
                invalid("identification", "ascii without / ! cr lf")
            }
            Message::Readout(b) | Message::ModeD(b)
                if bad(b.text(), &[SOH, STX, ETX, EOT, b'!']) =>
            {
                invalid("data block", "ascii without control characters or !")
            }
            Message::Answer { data, .. } if bad(data.text(), &[SOH, STX, ETX, EOT]) => {
                invalid("data block", "ascii without soh stx etx eot")
            }
            Message::Command { data: Some(d), .. } if bad(d, &[SOH, STX, ETX, EOT]) => {
                invalid("command data", "ascii without soh stx etx eot")
            }
            Message::Command { digit, .. } if !digit.is_ascii_digit() => {
                invalid("command type", "a digit")
            }
            Message::OptionSelect {
                protocol,
                baud,
                mode,
            } if [protocol, baud, mode].iter().any(|c| !c.is_ascii_graphic()) => {
                invalid("option select", "printable characters")
            }
            _ => Ok(()),
        }
    }
}

impl Encode for Message<'_> {
    fn encoded_len(&self) -> usize {
        match self {
            Message::Request { address } => address.len().saturating_add(5),
            Message::Identification(i) => i.text().len().saturating_add(3),
            Message::OptionSelect { .. } => 6,
            Message::Ack | Message::Nak => 1,
            Message::Readout(b) => b.text().len().saturating_add(6),
            Message::ModeD(b) => b.text().len().saturating_add(3),
            Message::Command { data, .. } => match data {
                Some(d) => d.len().saturating_add(6),
                None => 5,
            },
            Message::Answer { data, .. } => data.text().len().saturating_add(3),
        }
    }

    fn encode(&self, out: &mut [u8]) -> Result<usize, EncodeError> {
        self.check()?;
        let mut w = Writer::new(out);
        match self {
            Message::Request { address } => {
                w.write_bytes(b"/?")?;
                w.write_bytes(address.as_bytes())?;
                w.write_bytes(b"!\r\n")?;
            }
            Message::Identification(i) => {
                w.write_u8(b'/')?;
                w.write_bytes(i.text().as_bytes())?;
                w.write_bytes(b"\r\n")?;
            }
            Message::OptionSelect {
                protocol,
                baud,
                mode,
            } => w.write_bytes(&[ACK, *protocol, *baud, *mode, b'\r', b'\n'])?,
            Message::Ack => w.write_u8(ACK)?,
            Message::Nak => w.write_u8(NAK)?,
            Message::ModeD(b) => {
                w.write_bytes(b.text().as_bytes())?;
                w.write_bytes(b"!\r\n")?;
            }
            Message::Readout(b) => {
                w.write_u8(STX)?;
                w.write_bytes(b.text().as_bytes())?;
                w.write_bytes(b"!\r\n")?;
                w.write_u8(ETX)?;
                let c = bcc(w.written().get(1..).unwrap_or(&[]));
                w.write_u8(c)?;
            }
            Message::Answer { data, partial } => {
                w.write_u8(STX)?;
                w.write_bytes(data.text().as_bytes())?;
                w.write_u8(if *partial { EOT } else { ETX })?;
                let c = bcc(w.written().get(1..).unwrap_or(&[]));
                w.write_u8(c)?;
            }
            Message::Command { kind, digit, data } => {
                w.write_bytes(&[SOH, kind.letter(), *digit])?;
                if let Some(d) = data {
                    w.write_u8(STX)?;
                    w.write_bytes(d.as_bytes())?;
                }
                w.write_u8(ETX)?;
                let c = bcc(w.written().get(1..).unwrap_or(&[]));
                w.write_u8(c)?;
            }
        }
        Ok(w.position())
    }
}
