//! Request/response pairing: what a sniffer needs to type a response.

#[cfg(feature = "alloc")]
use super::{Message, Service};
use super::{Request, Response, code};
use crate::error::Result;

/// The request a response answers (as much of it as types the response).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Answered {
    /// The request's service code.
    pub code: u8,
    /// Its table, for reads and writes.
    pub table: Option<u16>,
}

impl Answered {
    /// From a request.
    pub fn of(r: &Request<'_>) -> Self {
        Answered {
            code: r.code(),
            table: r.table().map(|t| t.0),
        }
    }
    /// True for the reads, whose `ok` response carries table data.
    pub fn is_read(&self) -> bool {
        matches!(
            self.code,
            code::FULL_READ | 0x31..=0x39 | code::DEFAULT_READ | code::PARTIAL_READ_OFFSET
        )
    }
    /// Checks a response against the request it answers: an `ok` answer to a read must
    /// be complete table data with a matching checksum (integrity failures).
    pub fn verify(&self, r: &Response<'_>) -> Result<()> {
        if self.is_read() && r.code() == 0 {
            r.read_data()?;
        }
        Ok(())
    }
    /// Verifies `m` when it is a response.
    #[cfg(feature = "alloc")]
    pub(crate) fn verify_message(&self, m: &Message<'_>) -> Result<()> {
        match &m.service {
            Service::Response(r) => self.verify(r),
            Service::Request(_) => Ok(()),
        }
    }
}

/// Checks a response whose request was not seen (a capture that starts mid-exchange, or
/// the two directions decoded apart): an `ok` body with exactly the shape of read data
/// (count, data, checksum) is taken as read data, and a checksum that does not match is
/// an integrity failure. Any other body is left as it is.
#[cfg(feature = "alloc")]
pub(crate) fn verify_unpaired(m: &Message<'_>) -> Result<()> {
    match &m.service {
        Service::Response(r) if r.has_read_shape() => r.read_data().map(|_| ()),
        _ => Ok(()),
    }
}
