//! Modbus TCP: the MBAP header (Modbus Messaging on TCP/IP V1.0b, clause 3.1.3).
//!
//! `transaction id u16 | protocol id u16 (0) | length u16 (unit id + PDU) | unit id u8 | PDU`

use meterwire_core::{
    Decoded, Diagnostic, DiagnosticKind, Encode, EncodeError, Framer, Needed, Strictness,
};

use crate::Error;
use crate::pdu::PduOf;
#[cfg(feature = "alloc")]
use crate::pdu::PduRepr;
use crate::pdu::{Direction, Pdu, Request, fc, limits};
#[cfg(feature = "alloc")]
use crate::storage::Owned;
use crate::storage::{Borrowed, Storage};

/// Byte ranges of the MBAP header.
pub mod field {
    use core::ops::Range;
    /// Transaction identifier.
    pub const TRANSACTION_ID: Range<usize> = 0..2;
    /// Protocol identifier (0 = Modbus).
    pub const PROTOCOL_ID: Range<usize> = 2..4;
    /// Length of unit id + PDU.
    pub const LENGTH: Range<usize> = 4..6;
    /// Unit identifier.
    pub const UNIT_ID: usize = 6;
    /// The PDU starts here.
    pub const PDU: usize = 7;
}

/// MBAP header length.
pub const MBAP_LEN: usize = 7;
/// Smallest MBAP length field (unit id + function code).
pub const MIN_LENGTH: u16 = 2;
/// Largest MBAP length field (unit id + 253-byte PDU).
pub const MAX_LENGTH: u16 = 254;
/// The IANA port.
pub const PORT: u16 = 502;

/// A Modbus TCP ADU: a view when decoded, the value to encode when built.
///
/// Generic over where the PDU's payloads live: `TcpFrame<'a>` is the view
/// (`Copy`), `TcpFrame<'static, Owned>` the owned Repr ([`TcpFrame::to_repr`]).
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(all(feature = "serde", feature = "alloc"), derive(serde::Deserialize))]
#[cfg_attr(
    all(feature = "serde", feature = "alloc"),
    serde(bound(deserialize = "PduOf<S>: serde::Deserialize<'de>"))
)]
pub struct TcpFrame<'a, S: Storage = Borrowed<'a>> {
    /// Transaction identifier (echoed by the server).
    pub transaction_id: u16,
    /// Protocol identifier: 0 for Modbus. Others decode with a
    /// `non_zero_protocol_id` diagnostic (devices echo a client's value);
    /// the encoder refuses them.
    pub protocol_id: u16,
    /// Unit identifier (the serial address behind a gateway; 0xFF or 0 for a direct server).
    pub unit_id: u8,
    /// The PDU.
    #[cfg_attr(all(feature = "serde", feature = "alloc"), serde(flatten))]
    pub pdu: PduOf<S>,
    /// Bytes the MBAP length covers after the end of the PDU (scanners pad
    /// requests with zeros): a `trailing_bytes` diagnostic. Empty in a frame to
    /// encode; the encoder writes the PDU only.
    #[cfg_attr(all(feature = "serde", feature = "alloc"), serde(skip))]
    pub trailing: &'a [u8],
}

/// What the header says, before the PDU is looked at.
#[inline(always)]
fn header(input: &[u8]) -> Result<Option<(u16, u16, usize)>, Error> {
    let (Some(&[t0, t1]), Some(&[p0, p1]), Some(&[l0, l1])) = (
        input.get(field::TRANSACTION_ID),
        input.get(field::PROTOCOL_ID),
        input.get(field::LENGTH),
    ) else {
        return Ok(None);
    };
    let length = u16::from_be_bytes([l0, l1]);
    if !(MIN_LENGTH..=MAX_LENGTH).contains(&length) {
        return Err(Error::Core(meterwire_core::Error::Length {
            field: "mbap length",
            expected: usize::from(length.clamp(MIN_LENGTH, MAX_LENGTH)),
            actual: usize::from(length),
        }));
    }
    Ok(Some((
        u16::from_be_bytes([t0, t1]),
        u16::from_be_bytes([p0, p1]),
        usize::from(length).saturating_add(6),
    )))
}

/// Parses the PDU of a complete ADU, mapping "short" to an MBAP length error;
/// returns the PDU and the bytes after it.
#[inline(always)]
fn pdu<'a>(adu: &'a [u8], direction: Option<Direction>) -> Result<(Pdu<'a>, &'a [u8]), Error> {
    let bytes = adu.get(field::PDU..).unwrap_or(&[]);
    match Pdu::parse_prefix(bytes, direction) {
        Ok((pdu, used)) => Ok((pdu, bytes.get(used..).unwrap_or(&[]))),
        Err(Error::Core(meterwire_core::Error::Truncated { needed })) => {
            Err(Error::Core(meterwire_core::Error::Length {
                field: "mbap length",
                expected: adu.len().saturating_add(needed).saturating_sub(6),
                actual: adu.len().saturating_sub(6),
            }))
        }
        Err(other) => Err(other),
    }
}

/// Builds the frame of a complete ADU whose header was read.
#[inline(always)]
fn frame<'a>(
    adu: &'a [u8],
    transaction_id: u16,
    protocol_id: u16,
    direction: Option<Direction>,
    strictness: Strictness,
) -> Result<TcpFrame<'a>, Error> {
    let unit_id = adu.get(field::UNIT_ID).copied().unwrap_or(0);
    let (pdu, trailing) = pdu(adu, direction)?;
    let frame = TcpFrame {
        transaction_id,
        protocol_id,
        unit_id,
        pdu,
        trailing,
    };
    if strictness.is_strict() {
        if let Some(d) = frame.diagnostics().next() {
            return Err(Error::Core(meterwire_core::Error::Nonconforming(d)));
        }
    }
    Ok(frame)
}

fn parse_adu(
    adu: &[u8],
    direction: Option<Direction>,
    strictness: Strictness,
) -> Result<TcpFrame<'_>, Error> {
    let Some((transaction_id, protocol_id, total)) = header(adu)? else {
        return Err(Error::Core(meterwire_core::Error::Truncated {
            needed: MBAP_LEN.saturating_sub(adu.len()),
        }));
    };
    if adu.len() != total {
        return Err(Error::Core(meterwire_core::Error::Length {
            field: "mbap length",
            expected: adu.len().saturating_sub(6),
            actual: total.saturating_sub(6),
        }));
    }
    frame(adu, transaction_id, protocol_id, direction, strictness)
}

impl<'a> Copy for TcpFrame<'a> {}

impl<'a, S: Storage> TcpFrame<'a, S> {
    /// Departures from the standard: a protocol id other than 0
    /// (`non_zero_protocol_id`), the PDU's own ([`Pdu::diagnostics`]) and bytes
    /// after the PDU (`trailing_bytes`). Computed on each call, no allocation.
    pub fn diagnostics(&self) -> crate::diag::FrameDiagnostics {
        let protocol = (self.protocol_id != 0).then(|| {
            Diagnostic::with_value(
                DiagnosticKind::NonZeroProtocolId,
                "protocol_id",
                "expected 0 (modbus)",
                u64::from(self.protocol_id),
            )
        });
        crate::diag::frame(
            protocol,
            self.pdu.diagnostics(),
            "mbap length",
            self.trailing.len(),
        )
    }

    /// A frame with protocol id 0.
    pub const fn new(transaction_id: u16, unit_id: u8, pdu: PduOf<S>) -> Self {
        TcpFrame {
            transaction_id,
            protocol_id: 0,
            unit_id,
            pdu,
            trailing: &[],
        }
    }
}

impl<'a> TcpFrame<'a> {
    /// Parses one complete ADU; its length must be exactly what the MBAP header
    /// says. Lenient: departures from the standard are in
    /// [`TcpFrame::diagnostics`]; [`TcpFramer::parse`] has a strict mode.
    pub fn parse(adu: &'a [u8], direction: Option<Direction>) -> Result<Self, Error> {
        parse_adu(adu, direction, Strictness::Lenient)
    }

    /// The owned Repr of this frame (without the trailing bytes, which are not encoded).
    #[cfg(feature = "alloc")]
    pub fn to_repr(&self) -> TcpFrame<'static, Owned> {
        TcpFrame {
            transaction_id: self.transaction_id,
            protocol_id: self.protocol_id,
            unit_id: self.unit_id,
            pdu: PduRepr::parse(&self.pdu),
            trailing: &[],
        }
    }
}

impl<S: Storage> Encode for TcpFrame<'_, S> {
    #[inline]
    fn encoded_len(&self) -> usize {
        self.pdu.encoded_len().saturating_add(MBAP_LEN)
    }

    #[inline]
    fn encode(&self, out: &mut [u8]) -> Result<usize, EncodeError> {
        if self.protocol_id != 0 {
            return Err(EncodeError::Invalid {
                field: "protocol_id",
                reason: "must be 0 (Modbus)",
            });
        }
        // the PDU first (it checks its own limits and length, once), then the header
        let available = out.len();
        let too_small = |needed: usize| EncodeError::BufferTooSmall {
            needed: needed.saturating_add(MBAP_LEN),
            available,
        };
        let (head, rest) = match out.split_at_mut_checked(MBAP_LEN) {
            Some(parts) => parts,
            None => return Err(too_small(self.pdu.encoded_len())),
        };
        let pdu_len = self.pdu.encode(rest).map_err(|e| match e {
            EncodeError::BufferTooSmall { needed, .. } => too_small(needed),
            other => other,
        })?;
        let length = u16::try_from(pdu_len.saturating_add(1)).unwrap_or(u16::MAX);
        let [t0, t1] = self.transaction_id.to_be_bytes();
        let [l0, l1] = length.to_be_bytes();
        head.copy_from_slice(&[t0, t1, 0, 0, l0, l1, self.unit_id]);
        Ok(pdu_len.saturating_add(MBAP_LEN))
    }
}

/// ADU length of a request with a fixed 5-byte PDU (FC 1-6).
const FIXED_REQUEST_ADU: usize = 12;

/// The hot path: a conforming request with a fixed 5-byte PDU (FC 1-6, protocol
/// id 0, MBAP length 6), built in one piece from one slice pattern. Anything else
/// (and any departure from the standard) goes the general way, so the result is
/// the same as [`Pdu::parse_prefix`] would give, in either strictness.
#[inline(always)]
fn fixed_request(input: &[u8]) -> Option<TcpFrame<'_>> {
    let &[t0, t1, p0, p1, l0, l1, unit_id, code, a0, a1, v0, v1] = input.first_chunk::<12>()?;
    // protocol id 0 and MBAP length 6 in one comparison
    if u32::from_be_bytes([p0, p1, l0, l1]) != 6 {
        return None;
    }
    // both fields from one 32-bit load (LLVM still stores them as two 16-bit
    // halves; see `decode_general` for why that no longer stalls)
    let pair = u32::from_be_bytes([a0, a1, v0, v1]);
    let a = (pair >> 16) as u16;
    let v = pair as u16;
    let request = match code {
        fc::READ_COILS if (1..=limits::READ_BITS).contains(&v) => Request::ReadCoils {
            starting_address: a,
            quantity: v,
        },
        fc::READ_DISCRETE_INPUTS if (1..=limits::READ_BITS).contains(&v) => {
            Request::ReadDiscreteInputs {
                starting_address: a,
                quantity: v,
            }
        }
        fc::READ_HOLDING_REGISTERS if (1..=limits::READ_REGISTERS).contains(&v) => {
            Request::ReadHoldingRegisters {
                starting_address: a,
                quantity: v,
            }
        }
        fc::READ_INPUT_REGISTERS if (1..=limits::READ_REGISTERS).contains(&v) => {
            Request::ReadInputRegisters {
                starting_address: a,
                quantity: v,
            }
        }
        fc::WRITE_SINGLE_COIL if v == 0xFF00 || v == 0 => Request::WriteSingleCoil {
            output_address: a,
            value: v != 0,
        },
        fc::WRITE_SINGLE_REGISTER => Request::WriteSingleRegister {
            register_address: a,
            value: v,
        },
        _ => return None,
    };
    Some(TcpFrame {
        transaction_id: u16::from_be_bytes([t0, t1]),
        protocol_id: 0,
        unit_id,
        pdu: Pdu::Request(request),
        trailing: &[],
    })
}

/// Streaming Modbus TCP framer: honours the MBAP length and leaves the bytes
/// after it for the next frame.
///
/// ```
/// use meterwire_modbus::{Direction, TcpFramer};
/// // requests only (e.g. the payload sent to port 502), rejecting departures
/// let framer = TcpFramer::new().direction(Direction::Request).strict();
/// assert!(framer.parse(&[0, 1, 0, 0, 0, 6, 1, 3, 0, 0, 0, 147]).is_err()); // 147 > 125 registers
/// ```
#[derive(Debug, Clone, Copy, Default)]
pub struct TcpFramer {
    direction: Option<Direction>,
    strictness: Strictness,
    skip: usize,
}

impl TcpFramer {
    /// A lenient framer that tries each PDU as a request, then as a response.
    pub const fn new() -> Self {
        TcpFramer {
            direction: None,
            strictness: Strictness::Lenient,
            skip: 0,
        }
    }

    /// Parses one complete ADU with this framer's direction and strictness.
    pub fn parse<'a>(&self, adu: &'a [u8]) -> Result<TcpFrame<'a>, Error> {
        parse_adu(adu, self.direction, self.strictness)
    }
}

framer_builders!(
    TcpFramer,
    "Strict mode: a frame with a diagnostic is [`meterwire_core::Error::Nonconforming`]."
);

impl TcpFramer {
    /// Every other ADU (kept out of line so the fixed-request path stays small),
    /// with the number of bytes `resync` must drop after it (non-zero only after
    /// an error in an ADU whose header is sound). Returning the pair, rather than
    /// writing the result into the caller's slot, keeps the fast path's frame in
    /// registers (a slot shared with this call is written by the fast path in
    /// narrow pieces and read back wider: a store-forwarding stall).
    #[inline(never)]
    fn decode_general<'a>(&self, input: &'a [u8]) -> (Result<Decoded<TcpFrame<'a>>, Error>, usize) {
        let header = match header(input) {
            Ok(h) => h,
            Err(e) => return (Err(e), 0),
        };
        let Some((transaction_id, protocol_id, total)) = header else {
            return (
                Ok(Decoded::Incomplete {
                    needed: Needed::at_least(MBAP_LEN.saturating_sub(input.len())),
                }),
                0,
            );
        };
        let Some(adu) = input.get(..total) else {
            return (
                Ok(Decoded::Incomplete {
                    needed: Needed::exact(total.saturating_sub(input.len())),
                }),
                0,
            );
        };
        match frame(
            adu,
            transaction_id,
            protocol_id,
            self.direction,
            self.strictness,
        ) {
            Ok(frame) => (
                Ok(Decoded::Frame {
                    frame,
                    consumed: total,
                }),
                0,
            ),
            // the header is sound: the MBAP length delimits the ADU, drop all of it
            Err(e) => (Err(e), total),
        }
    }
}

impl Framer for TcpFramer {
    type Frame<'a> = TcpFrame<'a>;
    type Error = Error;

    #[inline(always)]
    fn decode<'a>(&mut self, input: &'a [u8]) -> Result<Decoded<TcpFrame<'a>>, Error> {
        // (the fast path cannot fail; `skip` only matters after an error, which
        // only `decode_general` reports, and its caller below sets it each time)
        if self.direction != Some(Direction::Response) {
            if let Some(frame) = fixed_request(input) {
                return Ok(Decoded::Frame {
                    frame,
                    consumed: FIXED_REQUEST_ADU,
                });
            }
        }
        let (result, skip) = self.decode_general(input);
        self.skip = skip;
        result
    }

    fn resync(&mut self, input: &[u8]) -> usize {
        if self.skip > 0 {
            return core::mem::take(&mut self.skip).min(input.len()).max(1);
        }
        // next position where `decode` could find a frame: length in range and, in
        // strict mode, protocol id 0 (lenient decoding accepts any protocol id, and
        // resync must judge a position exactly as decode would, or the events of a
        // stream would depend on where it was cut: found by the stream_props fuzzer)
        let any_pid = !self.strictness.is_strict();
        (1..input.len())
            .find(|&i| {
                let h = input.get(i..).unwrap_or(&[]);
                let pid_ok = |p: &[u8]| any_pid || p == [0, 0];
                match (h.get(2..4), h.get(4..6)) {
                    (Some(p), Some(&[l0, l1])) => {
                        pid_ok(p)
                            && (MIN_LENGTH..=MAX_LENGTH).contains(&u16::from_be_bytes([l0, l1]))
                    }
                    (Some(p), None) => pid_ok(p),
                    (None, _) => true,
                    (Some(_), Some(_)) => false, // a 2-byte slice always matches above
                }
            })
            .unwrap_or(input.len())
    }
}
