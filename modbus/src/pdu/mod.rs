//! Protocol data units (Modbus Application Protocol V1.1b3, clause 6 and 7):
//! every public function code, request and response, plus exception responses.
//!
//! [`Request`] and [`Response`] are at the same time the zero-copy views the
//! decoders hand out and the values the encoders take: payloads ([`Registers`](crate::Registers),
//! [`Bits`](crate::Bits), [`Seq`](crate::Seq), [`Bytes`](crate::Bytes)) are either views over the frame or borrowed
//! (with `alloc`: owned) values. Parsing checks every quantity and byte-count
//! rule; encoding checks the same rules, so a value outside the standard is an
//! [`EncodeError`], never a truncated frame.

#[cfg(feature = "alloc")]
use alloc::vec::Vec;
use meterwire_core::{Encode, EncodeError, Writer};

use crate::Error;
#[cfg(feature = "alloc")]
use crate::storage::Owned;
use crate::storage::{Borrowed, Storage};

/// Byte positions of a PDU.
pub mod field {
    /// The function code.
    pub const FUNCTION_CODE: usize = 0;
    /// The data after the function code.
    pub const DATA: usize = 1;
    /// FC 1-6 requests: the address (or output/register address).
    pub const ADDRESS: core::ops::Range<usize> = 1..3;
    /// FC 1-6 requests: the quantity (or value).
    pub const VALUE: core::ops::Range<usize> = 3..5;
}

mod codes;
mod records;
#[macro_use]
pub(crate) mod table;
mod request;
mod response;
mod rules;

pub use codes::{Direction, exception_name, fc, function_name, limits};
pub use records::{
    DeviceObject, DeviceObjectOf, FileRecord, FileRecordOf, FileSubRequest, FileSubResponse,
    FileSubResponseOf,
};
#[cfg(feature = "alloc")]
pub use records::{DeviceObjectRepr, FileRecordRepr, FileSubResponseRepr};
#[cfg(feature = "alloc")]
pub use request::RequestRepr;
pub use request::{Request, RequestOf};
#[cfg(feature = "alloc")]
pub use response::ResponseRepr;
pub use response::{Response, ResponseOf};
use rules::{exact, invalid};

// ---------------------------------------------------------------- PDUs

/// A request or a response: the view [`Pdu`] (`Copy`) or the owned [`PduRepr`].
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(all(feature = "serde", feature = "alloc"), derive(serde::Deserialize))]
#[cfg_attr(
    all(feature = "serde", feature = "alloc"),
    serde(
        tag = "direction",
        rename_all = "lowercase",
        bound(
            deserialize = "RequestOf<S>: serde::Deserialize<'de>, ResponseOf<S>: serde::Deserialize<'de>"
        )
    )
)]
pub enum PduOf<S: Storage> {
    /// Client to server.
    Request(RequestOf<S>),
    /// Server to client.
    Response(ResponseOf<S>),
}

/// A PDU view over the frame (`Copy`, no allocation).
pub type Pdu<'a> = PduOf<Borrowed<'a>>;
impl Copy for Pdu<'_> {}

/// An owned PDU: the Repr of [`Pdu`].
#[cfg(feature = "alloc")]
pub type PduRepr = PduOf<Owned>;

#[cfg(feature = "alloc")]
impl PduRepr {
    /// The owned copy of a view.
    pub fn parse(view: &Pdu<'_>) -> Self {
        match view {
            PduOf::Request(r) => PduOf::Request(RequestRepr::parse(r)),
            PduOf::Response(r) => PduOf::Response(ResponseRepr::parse(r)),
        }
    }
}

#[inline]
pub(super) fn encode_pdu(
    code: u8,
    body_len: usize,
    out: &mut [u8],
    body: impl Fn(&mut Writer<'_>) -> Result<(), EncodeError>,
) -> Result<usize, EncodeError> {
    let len = body_len.saturating_add(1);
    if len > limits::MAX_PDU {
        return Err(too_long(body));
    }
    let mut w = Writer::new(out);
    // reserve first so that a short buffer fails before any field check
    if w.remaining() < len {
        return Err(EncodeError::BufferTooSmall {
            needed: len,
            available: w.remaining(),
        });
    }
    w.write_u8(code)?;
    body(&mut w)?;
    if w.position() != len {
        return Err(invalid("pdu", "encoded length disagrees with encoded_len"));
    }
    Ok(len)
}

/// A PDU over 253 bytes: the quantity or count rule it breaks, if one does
/// (e.g. 124 registers in FC 16), else the PDU size (cold path).
#[cold]
fn too_long(body: impl Fn(&mut Writer<'_>) -> Result<(), EncodeError>) -> EncodeError {
    let mut scratch = [0u8; 512];
    match body(&mut Writer::new(&mut scratch)) {
        Err(e @ EncodeError::Invalid { .. }) => e,
        _ => invalid("pdu", "longer than 253 bytes"),
    }
}

impl<'a> Pdu<'a> {
    /// Parses a complete PDU in the given direction, or, with `None`, as a
    /// request first and then as a response (see [`Pdu::direction`] for which
    /// fitted; when both fit, the one without diagnostics wins).
    #[inline(always)]
    pub fn parse(pdu: &'a [u8], direction: Option<Direction>) -> Result<Self, Error> {
        let (p, used) = Self::parse_prefix(pdu, direction)?;
        exact(used, pdu.len())?;
        Ok(p)
    }

    /// Parses the PDU at the start of `pdu` and returns it with the number of
    /// bytes it used; the bytes after it are the ADU's trailing bytes. With
    /// `None` the direction that departs least from the standard wins
    /// (requests first on a tie).
    #[inline(always)]
    pub fn parse_prefix(
        pdu: &'a [u8],
        direction: Option<Direction>,
    ) -> Result<(Self, usize), Error> {
        match direction {
            Some(Direction::Request) => {
                Request::parse_prefix(pdu).map(|(r, n)| (Pdu::Request(r), n))
            }
            Some(Direction::Response) => {
                Response::parse_prefix(pdu).map(|(r, n)| (Pdu::Response(r), n))
            }
            None => Self::parse_either(pdu),
        }
    }

    fn parse_either(pdu: &'a [u8]) -> Result<(Self, usize), Error> {
        let departures =
            |diags: usize, used: usize| diags.saturating_add(usize::from(used != pdu.len()));
        let req = match Request::parse_prefix(pdu) {
            Ok((r, n)) => {
                let d = departures(r.diagnostics().count(), n);
                if d == 0 {
                    return Ok((Pdu::Request(r), n));
                }
                Ok((r, n, d))
            }
            Err(e) => Err(e),
        };
        let resp = Response::parse_prefix(pdu)
            .map(|(r, n)| (departures(r.diagnostics().count(), n), r, n));
        let exception = pdu.first().is_some_and(|c| c & fc::EXCEPTION_BIT != 0);
        // a direction whose grammar recognised the PDU and found a rule broken
        // beats the other direction fitting only with trailing bytes
        let broke_rule = |e: &Error| {
            !exception
                && matches!(
                    e,
                    Error::ByteCount { .. }
                        | Error::Quantity { .. }
                        | Error::Core(meterwire_core::Error::Malformed { .. })
                )
        };
        match (req, resp) {
            (Ok((q, qn, qd)), Ok((rd, r, rn))) => Ok(if rd < qd {
                (Pdu::Response(r), rn)
            } else {
                (Pdu::Request(q), qn)
            }),
            (Ok((_, qn, _)), Err(e)) if qn != pdu.len() && broke_rule(&e) => Err(e),
            (Ok((q, qn, _)), Err(_)) => Ok((Pdu::Request(q), qn)),
            (Err(e), Ok((_, _, rn))) if rn != pdu.len() && broke_rule(&e) => Err(e),
            (Err(_), Ok((_, r, rn))) => Ok((Pdu::Response(r), rn)),
            (Err(req_err), Err(resp_err)) => Err(if exception { resp_err } else { req_err }),
        }
    }
}

impl<S: Storage> PduOf<S> {
    /// Which direction this PDU is.
    pub fn direction(&self) -> Direction {
        match self {
            PduOf::Request(_) => Direction::Request,
            PduOf::Response(_) => Direction::Response,
        }
    }

    /// The function code on the wire.
    #[inline]
    pub fn function_code(&self) -> u8 {
        match self {
            PduOf::Request(r) => r.function_code(),
            PduOf::Response(r) => r.function_code(),
        }
    }

    /// The snake_case function name.
    pub fn name(&self) -> &'static str {
        match self {
            PduOf::Request(r) => r.name(),
            PduOf::Response(r) => r.name(),
        }
    }

    /// `(function_code, exception_code)` when this is an exception response.
    pub fn exception(&self) -> Option<(u8, u8)> {
        match self {
            PduOf::Response(ResponseOf::Exception {
                function_code,
                exception_code,
            }) => Some((*function_code, *exception_code)),
            _ => None,
        }
    }

    /// Encodes into a new `Vec`.
    #[cfg(feature = "alloc")]
    pub fn to_vec(&self) -> Result<Vec<u8>, EncodeError> {
        self.encode_to_vec()
    }
}

impl<'a> Pdu<'a> {
    /// The request, if this is one.
    pub fn request(&self) -> Option<&Request<'a>> {
        match self {
            Pdu::Request(r) => Some(r),
            Pdu::Response(_) => None,
        }
    }

    /// The response, if this is one.
    pub fn response(&self) -> Option<&Response<'a>> {
        match self {
            Pdu::Response(r) => Some(r),
            Pdu::Request(_) => None,
        }
    }

    /// `Some((function_code, data))` when the function code is not decoded here.
    pub fn unsupported(&self) -> Option<(u8, &[u8])> {
        match self {
            Pdu::Request(Request::Unsupported {
                function_code,
                data,
            })
            | Pdu::Response(Response::Unsupported {
                function_code,
                data,
            }) => Some((*function_code, data.as_slice())),
            _ => None,
        }
    }
}

impl<S: Storage> Encode for PduOf<S> {
    #[inline]
    fn encoded_len(&self) -> usize {
        match self {
            PduOf::Request(r) => r.encoded_len(),
            PduOf::Response(r) => r.encoded_len(),
        }
    }
    #[inline]
    fn encode(&self, out: &mut [u8]) -> Result<usize, EncodeError> {
        match self {
            PduOf::Request(r) => r.encode(out),
            PduOf::Response(r) => r.encode(out),
        }
    }
}
