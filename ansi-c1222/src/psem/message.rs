//! One PSEM message decoded leniently: the service, the bytes after it, and the
//! departures from the standard as [`Diagnostic`]s.

use super::{Request, Response, ResponseCode, Service, Variant};
use crate::error::Result;
use meterwire_core::{Diagnostic, Strictness};

meterwire_core::diagnostics! {
    /// Diagnostic: a request code that C12.18/C12.22 does not assign (reserved or
    /// manufacturer defined); the body is kept raw.
    pub RESERVED_SERVICE = ReservedCode, "service code",
        "reserved or manufacturer-defined request code, body kept raw";
    /// Diagnostic: a response code above 0x12 (reserved).
    pub RESERVED_RESPONSE = ReservedCode, "response code", "reserved response code";
    /// Diagnostic: bytes after a complete request.
    pub TRAILING_AFTER_SERVICE = TrailingBytes, "psem service", "bytes after the request";
}

/// A PSEM message: one service and whatever follows it in the unit that carried it
/// (a C12.18 packet's data, a C12.22 EPSEM service).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Message<'a> {
    /// The service.
    pub service: Service<'a>,
    /// Bytes after a request that its layout does not cover (empty when conforming;
    /// a response's body has no fixed end without its request).
    pub trailing: &'a [u8],
}

impl<'a> Message<'a> {
    /// Parses leniently (see [`Parser`] for strict mode). Integrity failures (a bad
    /// table checksum, a service cut short) are errors in both modes.
    pub fn parse(buf: &'a [u8], variant: Variant) -> Result<Self> {
        Parser::new(variant).parse(buf)
    }

    /// The departures from the standard, computed from the view.
    pub fn diagnostics(&self) -> impl Iterator<Item = Diagnostic> + use<> {
        let reserved = match self.service {
            Service::Request(Request::Other { code, .. }) => {
                Some(with_value(RESERVED_SERVICE, u64::from(code)))
            }
            Service::Response(r) if matches!(r.response_code(), ResponseCode::Other(_)) => {
                Some(with_value(RESERVED_RESPONSE, u64::from(r.code())))
            }
            _ => None,
        };
        let trailing = (!self.trailing.is_empty()).then(|| {
            with_value(
                TRAILING_AFTER_SERVICE,
                u64::try_from(self.trailing.len()).unwrap_or(u64::MAX),
            )
        });
        reserved.into_iter().chain(trailing)
    }

    /// The service code byte.
    pub fn code(&self) -> u8 {
        self.service.code()
    }
}

fn with_value(d: Diagnostic, v: u64) -> Diagnostic {
    Diagnostic {
        value: Some(v),
        ..d
    }
}

/// Parses PSEM messages: lenient by default, `.strict()` rejects every departure with
/// [`meterwire_core::Error::Nonconforming`].
///
/// ```
/// use meterwire_ansi_c1222::psem::{Parser, Variant};
/// // a full read of ST1 with two bytes of padding after it
/// let m = Parser::new(Variant::C1218).parse(&[0x30, 0x00, 0x01, 0x00, 0x00]).unwrap();
/// assert_eq!(m.trailing, &[0, 0]);
/// assert!(Parser::new(Variant::C1218).strict().parse(&[0x30, 0x00, 0x01, 0x00, 0x00]).is_err());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Parser {
    variant: Variant,
    strictness: Strictness,
}

impl Parser {
    /// A lenient parser for `variant`.
    pub const fn new(variant: Variant) -> Self {
        Parser {
            variant,
            strictness: Strictness::Lenient,
        }
    }
    meterwire_core::strictness_builders!(strictness);
    /// Parses one message.
    pub fn parse<'a>(&self, buf: &'a [u8]) -> Result<Message<'a>> {
        let m = match buf.first() {
            Some(&c) if c >= 0x20 => {
                let (r, used) = Request::parse_prefix(buf, self.variant)?;
                Message {
                    service: Service::Request(r),
                    trailing: buf.get(used..).unwrap_or(&[]),
                }
            }
            _ => Message {
                service: Service::Response(Response::parse(buf)?),
                trailing: &[],
            },
        };
        if self.strictness.is_strict() {
            if let Some(d) = m.diagnostics().next() {
                return Err(meterwire_core::Error::Nonconforming(d).into());
            }
        }
        Ok(m)
    }
}
