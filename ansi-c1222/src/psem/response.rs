//! PSEM responses and the request-or-response [`Service`].

use super::{
    RegisterResponse, Request, ResponseCode, TableData, Variant, end, read_element, read_u24,
};
use crate::error::{Error, Result};
use meterwire_core::{Cursor, Encode, EncodeError, Writer};

/// A PSEM response (zero-copy): the code and the body whose layout depends on the request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Response<'a> {
    code: u8,
    body: &'a [u8],
}

/// An identify response body (C12.18 clause 5.3.4.3): `<std><ver><rev>{<feature>}<end 0x00>`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IdentResponse<'a> {
    /// Reference standard (0 = C12.18, 1 = C12.21, 2 = C12.22).
    pub std: u8,
    /// Version.
    pub ver: u8,
    /// Revision.
    pub rev: u8,
    /// Feature bytes before the end-of-list 0x00 (raw).
    pub features: &'a [u8],
}

/// A negotiate response body: `<packet size u16><nbr packets u8><baud rate u8>`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NegotiateResponse {
    /// Accepted packet size.
    pub packet_size: u16,
    /// Accepted number of packets.
    pub nbr_packets: u8,
    /// Accepted baud rate code.
    pub baud: u8,
}

impl<'a> Response<'a> {
    /// Parses one complete response.
    pub fn parse(buf: &'a [u8]) -> Result<Self> {
        let (&code, body) = buf.split_first().ok_or(Error::truncated(1))?;
        if code >= 0x20 {
            return Err(Error::malformed(
                "response code",
                "a response code is below 0x20",
            ));
        }
        Ok(Response { code, body })
    }
    /// A response from parts (the code must be below 0x20 to encode).
    pub fn new(code: ResponseCode, body: &'a [u8]) -> Self {
        Response {
            code: code.as_u8(),
            body,
        }
    }
    /// The code byte.
    pub fn code(&self) -> u8 {
        self.code
    }
    /// The named code.
    pub fn response_code(&self) -> ResponseCode {
        ResponseCode::from_u8(self.code)
    }
    /// The body after the code.
    pub fn body(&self) -> &'a [u8] {
        self.body
    }
    /// `Ok` for `ok`, [`Error::Exception`] otherwise.
    pub fn ok(&self) -> Result<()> {
        if self.code == 0 {
            Ok(())
        } else {
            Err(Error::Exception { code: self.code })
        }
    }
    /// The body of an `ok` read response: `<count u16><data><cksum>`. A checksum that
    /// does not match the data is a `checksum` error.
    pub fn read_data(&self) -> Result<TableData<'a>> {
        self.ok()?;
        let mut c = Cursor::new(self.body);
        let d = TableData::read(&mut c)?;
        end(&c, "read response")?;
        Ok(d)
    }
    /// The body of an `ok` identify response.
    pub fn ident(&self) -> Result<IdentResponse<'a>> {
        self.ok()?;
        let mut c = Cursor::new(self.body);
        let std = c.read_u8()?;
        let ver = c.read_u8()?;
        let rev = c.read_u8()?;
        let rest = c.take_rest();
        let (last, features) = rest.split_last().ok_or(Error::malformed(
            "ident response",
            "missing end-of-list 0x00",
        ))?;
        if *last != 0 {
            return Err(Error::malformed(
                "ident response",
                "missing end-of-list 0x00",
            ));
        }
        Ok(IdentResponse {
            std,
            ver,
            rev,
            features,
        })
    }
    /// The body of an `ok` negotiate response.
    pub fn negotiate(&self) -> Result<NegotiateResponse> {
        self.ok()?;
        let mut c = Cursor::new(self.body);
        let r = NegotiateResponse {
            packet_size: c.read_u16_be()?,
            nbr_packets: c.read_u8()?,
            baud: c.read_u8()?,
        };
        end(&c, "negotiate response")?;
        Ok(r)
    }
    /// The body of an `ok` C12.22 registration response.
    pub fn register(&self) -> Result<RegisterResponse<'a>> {
        self.ok()?;
        let mut c = Cursor::new(self.body);
        let r = RegisterResponse {
            ap_title: read_element(&mut c)?,
            reg_delay: c.read_u16_be()?,
            reg_period: read_u24(&mut c)?,
            reg_info: c.read_u8()?,
        };
        end(&c, "register response")?;
        Ok(r)
    }
    /// The body of an `ok` C12.22 resolve response: the native address.
    pub fn resolve(&self) -> Result<&'a [u8]> {
        self.ok()?;
        let mut c = Cursor::new(self.body);
        let n = usize::from(c.read_u8()?);
        let a = c.take(n)?;
        end(&c, "resolve response")?;
        Ok(a)
    }
    /// The body of an `ok` C12.22 logon response: the session idle timeout, seconds.
    pub fn logon(&self) -> Result<u16> {
        self.ok()?;
        let mut c = Cursor::new(self.body);
        let t = c.read_u16_be()?;
        end(&c, "logon response")?;
        Ok(t)
    }
    /// The body of an `ok` C12.22 trace response: the AP titles of the relays the trace
    /// request traversed, in order (each a BER `06`/`80` element).
    pub fn trace_titles(
        &self,
    ) -> Result<impl Iterator<Item = Result<crate::c1222::ApTitle<'a>>> + 'a> {
        self.ok()?;
        let mut c = Cursor::new(self.body);
        Ok(core::iter::from_fn(move || {
            if c.is_empty() {
                return None;
            }
            Some(crate::ber::read_tlv(&mut c).and_then(|t| crate::c1222::ApTitle::parse(t.raw)))
        }))
    }

    /// True when an `ok` body has exactly the shape of read data: `<count u16>`, `count`
    /// bytes and one checksum byte, nothing else (whether or not the checksum matches).
    pub fn has_read_shape(&self) -> bool {
        match self.body {
            [hi, lo, rest @ ..] if self.code == 0 => {
                usize::from(u16::from_be_bytes([*hi, *lo])).saturating_add(1) == rest.len()
            }
            _ => false,
        }
    }

    /// A read response body if the body has exactly that shape (`ok`, count matching,
    /// checksum matching). Without the request it answers a response cannot be typed for
    /// sure; [`crate::stack`] pairs requests and responses and verifies read responses.
    pub fn guess_read_data(&self) -> Option<TableData<'a>> {
        if self.code != 0 || self.body.len() < 3 {
            return None;
        }
        self.read_data().ok()
    }
}

impl Encode for Response<'_> {
    fn encoded_len(&self) -> usize {
        self.body.len().saturating_add(1)
    }
    fn encode(&self, out: &mut [u8]) -> Result<usize, EncodeError> {
        if self.code >= 0x20 {
            return Err(EncodeError::Invalid {
                field: "response code",
                reason: "below 0x20",
            });
        }
        let mut w = Writer::new(out);
        w.write_u8(self.code)?;
        w.write_bytes(self.body)?;
        Ok(w.position())
    }
}

/// An `ok` read response `00 <count><data><cksum>`, for encoding.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReadResponse<'a> {
    /// The table data and checksum.
    pub data: TableData<'a>,
}

impl Encode for ReadResponse<'_> {
    fn encoded_len(&self) -> usize {
        self.data.wire_len().saturating_add(1)
    }
    fn encode(&self, out: &mut [u8]) -> Result<usize, EncodeError> {
        let mut w = Writer::new(out);
        w.write_u8(0)?;
        self.data.write(&mut w)?;
        Ok(w.position())
    }
}

/// A request or a response, told apart by the first byte (>= 0x20 is a request).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Service<'a> {
    /// A request.
    Request(Request<'a>),
    /// A response.
    Response(Response<'a>),
}

impl<'a> Service<'a> {
    /// Parses one service.
    pub fn parse(buf: &'a [u8], variant: Variant) -> Result<Self> {
        match buf.first() {
            None => Err(Error::truncated(1)),
            Some(&c) if c >= 0x20 => Request::parse(buf, variant).map(Service::Request),
            Some(_) => Response::parse(buf).map(Service::Response),
        }
    }
    /// The first byte.
    pub fn code(&self) -> u8 {
        match self {
            Service::Request(r) => r.code(),
            Service::Response(r) => r.code(),
        }
    }
}

impl Encode for Service<'_> {
    fn encoded_len(&self) -> usize {
        match self {
            Service::Request(r) => r.encoded_len(),
            Service::Response(r) => r.encoded_len(),
        }
    }
    fn encode(&self, out: &mut [u8]) -> Result<usize, EncodeError> {
        match self {
            Service::Request(r) => r.encode(out),
            Service::Response(r) => r.encode(out),
        }
    }
}
