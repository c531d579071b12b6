//! PSEM: the Protocol Specification for Electric Metering services (ANSI C12.18-2006
//! clause 5.3, ANSI C12.22-2008 clause 8: the same services, with C12.22 additions).
//!
//! A request starts with its service code (>= 0x20); a response with a response code
//! (< 0x20). Table ids, offsets and counts are big endian; table data in reads and
//! writes is followed by an 8-bit checksum, the two's complement of the byte sum
//! ([`table_checksum`]). A bad table checksum is an integrity failure: parsing a write
//! ([`Request::parse`]) or an `ok` read response ([`Response::read_data`]) rejects it
//! with a `checksum` error (the policy of every meterwire crate).
//!
//! [`Message::parse`] is the lenient entry point for one PSEM message (a C12.18 packet's
//! data or one C12.22 EPSEM service): it decodes what the bytes delimit and reports
//! departures (reserved or manufacturer codes, bytes after the service) as
//! [`Diagnostic`](meterwire_core::Diagnostic)s; [`Parser::strict`] turns them into errors.
//!
//! The C12.22 variant differs in Logon (adds a session idle timeout), Security (adds a
//! user id) and adds Disconnect, Resolve, Trace, Register and Deregister.

use crate::c1219::TableId;
use crate::error::{Error, Result};
use meterwire_core::{Cursor, EncodeError, Writer};

mod encode;
mod message;
mod pairing;
mod response;

#[cfg(feature = "serde")]
pub(crate) use encode::Field;
pub use message::{Message, Parser};
pub use pairing::Answered;
#[cfg(feature = "alloc")]
pub(crate) use pairing::verify_unpaired;
pub use response::{IdentResponse, NegotiateResponse, ReadResponse, Response, Service};

/// Which standard's service layouts apply.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
pub enum Variant {
    /// ANSI C12.18 (optical port) and C12.21 (modem).
    C1218,
    /// ANSI C12.22 (EPSEM over networks).
    C1222,
}

/// Service codes.
pub mod code {
    /// Identify.
    pub const IDENT: u8 = 0x20;
    /// Terminate.
    pub const TERMINATE: u8 = 0x21;
    /// Disconnect (C12.22).
    pub const DISCONNECT: u8 = 0x22;
    /// Deregister (C12.22).
    pub const DEREGISTER: u8 = 0x24;
    /// Resolve (C12.22).
    pub const RESOLVE: u8 = 0x25;
    /// Trace (C12.22).
    pub const TRACE: u8 = 0x26;
    /// Register (C12.22).
    pub const REGISTER: u8 = 0x27;
    /// Full read.
    pub const FULL_READ: u8 = 0x30;
    /// Default read.
    pub const DEFAULT_READ: u8 = 0x3E;
    /// Partial read by offset.
    pub const PARTIAL_READ_OFFSET: u8 = 0x3F;
    /// Full write.
    pub const FULL_WRITE: u8 = 0x40;
    /// Default write.
    pub const DEFAULT_WRITE: u8 = 0x4E;
    /// Partial write by offset.
    pub const PARTIAL_WRITE_OFFSET: u8 = 0x4F;
    /// Logon.
    pub const LOGON: u8 = 0x50;
    /// Security (password).
    pub const SECURITY: u8 = 0x51;
    /// Logoff.
    pub const LOGOFF: u8 = 0x52;
    /// Authenticate.
    pub const AUTHENTICATE: u8 = 0x53;
    /// Negotiate without baud rates (0x61..0x6B carry 1..11 baud rates).
    pub const NEGOTIATE: u8 = 0x60;
    /// Wait.
    pub const WAIT: u8 = 0x70;
    /// Timing setup.
    pub const TIMING_SETUP: u8 = 0x71;
}

/// The two's complement of the byte sum: the checksum after PSEM table data.
pub fn table_checksum(data: &[u8]) -> u8 {
    data.iter()
        .fold(0u8, |a, &b| a.wrapping_add(b))
        .wrapping_neg()
}

/// A PSEM response code (C12.18 clause 5.3.3, C12.22 clause 8.3.3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ResponseCode {
    /// 0x00 acknowledge.
    Ok,
    /// 0x01 error.
    Err,
    /// 0x02 service not supported.
    Sns,
    /// 0x03 insufficient security clearance.
    Isc,
    /// 0x04 operation not possible.
    Onp,
    /// 0x05 inappropriate action requested.
    Iar,
    /// 0x06 device busy.
    Bsy,
    /// 0x07 data not ready.
    Dnr,
    /// 0x08 data locked.
    Dlk,
    /// 0x09 renegotiate request.
    Rno,
    /// 0x0A invalid service sequence state.
    Isss,
    /// 0x0B security mechanism error (C12.22).
    Sme,
    /// 0x0C unknown application title (C12.22).
    Uat,
    /// 0x0D network time-out (C12.22).
    Nett,
    /// 0x0E network not reachable (C12.22).
    Netr,
    /// 0x0F request too large (C12.22).
    Rqtl,
    /// 0x10 response too large (C12.22).
    Rstl,
    /// 0x11 segmentation not possible (C12.22).
    Sgnp,
    /// 0x12 segmentation error (C12.22).
    Sgerr,
    /// Any other code below 0x20.
    Other(u8),
}

impl ResponseCode {
    /// From the wire byte.
    pub const fn from_u8(v: u8) -> Self {
        match v {
            0x00 => ResponseCode::Ok,
            0x01 => ResponseCode::Err,
            0x02 => ResponseCode::Sns,
            0x03 => ResponseCode::Isc,
            0x04 => ResponseCode::Onp,
            0x05 => ResponseCode::Iar,
            0x06 => ResponseCode::Bsy,
            0x07 => ResponseCode::Dnr,
            0x08 => ResponseCode::Dlk,
            0x09 => ResponseCode::Rno,
            0x0A => ResponseCode::Isss,
            0x0B => ResponseCode::Sme,
            0x0C => ResponseCode::Uat,
            0x0D => ResponseCode::Nett,
            0x0E => ResponseCode::Netr,
            0x0F => ResponseCode::Rqtl,
            0x10 => ResponseCode::Rstl,
            0x11 => ResponseCode::Sgnp,
            0x12 => ResponseCode::Sgerr,
            v => ResponseCode::Other(v),
        }
    }
    /// The wire byte.
    pub const fn as_u8(self) -> u8 {
        match self {
            ResponseCode::Ok => 0x00,
            ResponseCode::Err => 0x01,
            ResponseCode::Sns => 0x02,
            ResponseCode::Isc => 0x03,
            ResponseCode::Onp => 0x04,
            ResponseCode::Iar => 0x05,
            ResponseCode::Bsy => 0x06,
            ResponseCode::Dnr => 0x07,
            ResponseCode::Dlk => 0x08,
            ResponseCode::Rno => 0x09,
            ResponseCode::Isss => 0x0A,
            ResponseCode::Sme => 0x0B,
            ResponseCode::Uat => 0x0C,
            ResponseCode::Nett => 0x0D,
            ResponseCode::Netr => 0x0E,
            ResponseCode::Rqtl => 0x0F,
            ResponseCode::Rstl => 0x10,
            ResponseCode::Sgnp => 0x11,
            ResponseCode::Sgerr => 0x12,
            ResponseCode::Other(v) => v,
        }
    }
    /// The standard's abbreviation (`ok`, `err`, `sns`, ...).
    pub const fn abbreviation(self) -> &'static str {
        match self {
            ResponseCode::Ok => "ok",
            ResponseCode::Err => "err",
            ResponseCode::Sns => "sns",
            ResponseCode::Isc => "isc",
            ResponseCode::Onp => "onp",
            ResponseCode::Iar => "iar",
            ResponseCode::Bsy => "bsy",
            ResponseCode::Dnr => "dnr",
            ResponseCode::Dlk => "dlk",
            ResponseCode::Rno => "rno",
            ResponseCode::Isss => "isss",
            ResponseCode::Sme => "sme",
            ResponseCode::Uat => "uat",
            ResponseCode::Nett => "nett",
            ResponseCode::Netr => "netr",
            ResponseCode::Rqtl => "rqtl",
            ResponseCode::Rstl => "rstl",
            ResponseCode::Sgnp => "sgnp",
            ResponseCode::Sgerr => "sgerr",
            ResponseCode::Other(_) => "unknown",
        }
    }
    /// A description.
    pub const fn description(self) -> &'static str {
        match self {
            ResponseCode::Ok => "acknowledge",
            ResponseCode::Err => "error",
            ResponseCode::Sns => "service not supported",
            ResponseCode::Isc => "insufficient security clearance",
            ResponseCode::Onp => "operation not possible",
            ResponseCode::Iar => "inappropriate action requested",
            ResponseCode::Bsy => "device busy",
            ResponseCode::Dnr => "data not ready",
            ResponseCode::Dlk => "data locked",
            ResponseCode::Rno => "renegotiate request",
            ResponseCode::Isss => "invalid service sequence state",
            ResponseCode::Sme => "security mechanism error",
            ResponseCode::Uat => "unknown application title",
            ResponseCode::Nett => "network time-out",
            ResponseCode::Netr => "network not reachable",
            ResponseCode::Rqtl => "request too large",
            ResponseCode::Rstl => "response too large",
            ResponseCode::Sgnp => "segmentation not possible",
            ResponseCode::Sgerr => "segmentation error",
            ResponseCode::Other(_) => "unknown response code",
        }
    }
}

/// The name of a service or response code byte (stable snake_case, used in JSON).
pub const fn service_name(code: u8) -> &'static str {
    match code {
        0x00..=0x1F => ResponseCode::from_u8(code).abbreviation(),
        code::IDENT => "ident",
        code::TERMINATE => "terminate",
        code::DISCONNECT => "disconnect",
        code::DEREGISTER => "deregister",
        code::RESOLVE => "resolve",
        code::TRACE => "trace",
        code::REGISTER => "register",
        code::FULL_READ => "full_read",
        0x31..=0x39 => "partial_read_index",
        code::DEFAULT_READ => "default_read",
        code::PARTIAL_READ_OFFSET => "partial_read_offset",
        code::FULL_WRITE => "full_write",
        0x41..=0x49 => "partial_write_index",
        code::DEFAULT_WRITE => "default_write",
        code::PARTIAL_WRITE_OFFSET => "partial_write_offset",
        code::LOGON => "logon",
        code::SECURITY => "security",
        code::LOGOFF => "logoff",
        code::AUTHENTICATE => "authenticate",
        0x60..=0x6B => "negotiate",
        code::WAIT => "wait",
        code::TIMING_SETUP => "timing_setup",
        _ => "unknown",
    }
}

/// Table data with its checksum, as carried by writes and read responses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TableData<'a> {
    /// The data bytes.
    pub data: &'a [u8],
    /// The checksum byte as sent.
    pub checksum: u8,
}

impl<'a> TableData<'a> {
    /// Data with a computed checksum.
    pub fn new(data: &'a [u8]) -> Self {
        TableData {
            data,
            checksum: table_checksum(data),
        }
    }
    /// Whether the checksum matches the data.
    pub fn checksum_ok(&self) -> bool {
        table_checksum(self.data) == self.checksum
    }
    /// An error when the checksum does not match.
    pub fn verify(&self) -> Result<()> {
        let expected = table_checksum(self.data);
        if expected == self.checksum {
            Ok(())
        } else {
            Err(Error::checksum(
                "table data checksum",
                u32::from(expected),
                u32::from(self.checksum),
            ))
        }
    }
    /// Reads `<count u16><data><cksum>` and verifies the checksum (integrity failure:
    /// a `checksum` error).
    pub(crate) fn read(c: &mut Cursor<'a>) -> Result<Self> {
        let count = usize::from(c.read_u16_be()?);
        let data = c.take(count)?;
        let checksum = c.read_u8()?;
        let d = TableData { data, checksum };
        d.verify()?;
        Ok(d)
    }
    pub(crate) fn wire_len(&self) -> usize {
        self.data.len().saturating_add(3)
    }
    pub(crate) fn write(&self, w: &mut Writer<'_>) -> Result<(), EncodeError> {
        let n = u16::try_from(self.data.len()).map_err(|_| EncodeError::Invalid {
            field: "count",
            reason: "table data longer than 65535 bytes",
        })?;
        w.write_u16_be(n)?;
        w.write_bytes(self.data)?;
        w.write_u8(self.checksum)
    }
}

/// The u16 indices of a partial-index read or write (lazy, big endian).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Indices<'a> {
    raw: &'a [u8],
}

impl<'a> Indices<'a> {
    /// From the raw bytes (2 per index).
    pub fn from_bytes(raw: &'a [u8]) -> Result<Self> {
        if raw.len() % 2 != 0 || raw.len() > 18 {
            return Err(Error::length("indices", 18, raw.len()));
        }
        Ok(Indices { raw })
    }
    /// The raw bytes.
    pub fn as_bytes(&self) -> &'a [u8] {
        self.raw
    }
    /// Number of indices (1..=9).
    pub fn len(&self) -> usize {
        self.raw.len() / 2
    }
    /// No indices.
    pub fn is_empty(&self) -> bool {
        self.raw.is_empty()
    }
    /// The indices.
    pub fn iter(&self) -> impl Iterator<Item = u16> + 'a {
        self.raw.chunks_exact(2).map(|c| {
            u16::from_be_bytes([
                c.first().copied().unwrap_or(0),
                c.get(1).copied().unwrap_or(0),
            ])
        })
    }
}

/// A C12.22 registration request (IEEE 1703-2012 §5.3.2.4.10): the node announces
/// itself to a relay.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Register<'a> {
    /// Node type bits: 0 relay, 1 master relay, 2 host, 3 notification host,
    /// 4 authentication host, 5 end device, 7 my-domain-pattern present.
    pub node_type: u8,
    /// Connection type bits: 0 broadcast/multicast, 1 message accept window,
    /// 2 playback rejection, 4 connectionless mode, 5 accept connectionless,
    /// 6 connection mode, 7 accept connections.
    pub connection_type: u8,
    /// Device class: 4 bytes of relative-OID content.
    pub device_class: [u8; 4],
    /// The node's AP title, a BER element (`06 ..` or `80 ..`).
    pub ap_title: &'a [u8],
    /// Electronic serial number, a BER element.
    pub electronic_serial_number: &'a [u8],
    /// Native (network) address.
    pub native_address: &'a [u8],
    /// Registration period, seconds (24 bits).
    pub registration_period: u32,
    /// My-domain pattern, present when node-type bit 7 is set.
    pub my_domain_pattern: Option<&'a [u8]>,
}

/// Node-type bit: a my-domain pattern follows.
pub const MY_DOMAIN_PATTERN_FLAG: u8 = 0x80;

pub(crate) fn read_element<'a>(c: &mut Cursor<'a>) -> Result<&'a [u8]> {
    Ok(crate::ber::read_tlv(c)?.raw)
}

impl<'a> Register<'a> {
    pub(crate) fn read(c: &mut Cursor<'a>) -> Result<Self> {
        let node_type = c.read_u8()?;
        let connection_type = c.read_u8()?;
        let device_class = c.read_array()?;
        let ap_title = read_element(c)?;
        let electronic_serial_number = read_element(c)?;
        let n = usize::from(c.read_u8()?);
        let native_address = c.take(n)?;
        let registration_period = read_u24(c)?;
        let my_domain_pattern = if node_type & MY_DOMAIN_PATTERN_FLAG != 0 {
            let n = usize::from(c.read_u8()?);
            Some(c.take(n)?)
        } else {
            None
        };
        Ok(Register {
            node_type,
            connection_type,
            device_class,
            ap_title,
            electronic_serial_number,
            native_address,
            registration_period,
            my_domain_pattern,
        })
    }
    pub(crate) fn wire_len(&self) -> usize {
        6usize
            .saturating_add(self.ap_title.len())
            .saturating_add(self.electronic_serial_number.len())
            .saturating_add(1)
            .saturating_add(self.native_address.len())
            .saturating_add(3)
            .saturating_add(
                self.my_domain_pattern
                    .map_or(0, |p| p.len().saturating_add(1)),
            )
    }
    pub(crate) fn write(&self, w: &mut Writer<'_>) -> Result<(), EncodeError> {
        let bad = |field, reason| EncodeError::Invalid { field, reason };
        if self.my_domain_pattern.is_some() != (self.node_type & MY_DOMAIN_PATTERN_FLAG != 0) {
            return Err(bad(
                "my domain pattern",
                "present exactly when node-type bit 7 is set",
            ));
        }
        if self.registration_period > 0xFF_FFFF {
            return Err(bad("registration period", "24 bits"));
        }
        w.write_u8(self.node_type)?;
        w.write_u8(self.connection_type)?;
        w.write_bytes(&self.device_class)?;
        w.write_bytes(self.ap_title)?;
        w.write_bytes(self.electronic_serial_number)?;
        let n = u8::try_from(self.native_address.len())
            .map_err(|_| bad("native address", "at most 255 bytes"))?;
        w.write_u8(n)?;
        w.write_bytes(self.native_address)?;
        w.write_uint_be(u64::from(self.registration_period), 3)?;
        if let Some(p) = self.my_domain_pattern {
            let n =
                u8::try_from(p.len()).map_err(|_| bad("my domain pattern", "at most 255 bytes"))?;
            w.write_u8(n)?;
            w.write_bytes(p)?;
        }
        Ok(())
    }
}

/// The body of an `ok` registration response.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RegisterResponse<'a> {
    /// The AP title assigned to the node, a BER element.
    pub ap_title: &'a [u8],
    /// Seconds to wait before registering again after a failure.
    pub reg_delay: u16,
    /// Registration period, seconds (24 bits).
    pub reg_period: u32,
    /// Registration info bits (0 direct messaging available, 1 message acceptance
    /// window mode, 2 playback rejection mode, 4 connectionless mode, 5 accept
    /// connectionless, 6 connection mode, 7 accept connections).
    pub reg_info: u8,
}

/// One feature of a C12.22 identification response (IEEE 1703 §5.3.2.4.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IdentFeature<'a> {
    /// 0x04: security mechanism, an OID element.
    SecurityMechanism(&'a [u8]),
    /// 0x05: session control (bits 0-6 sessions supported, bit 7 sessionless).
    SessionCtrl(u8),
    /// 0x06: device class, an OID element.
    DeviceClass(&'a [u8]),
    /// 0x07: device identity: format and identification bytes.
    DeviceIdentity {
        /// Identity format.
        format: u8,
        /// Identification.
        identification: &'a [u8],
    },
}

impl<'a> IdentResponse<'a> {
    /// The C12.22 features, in order (the end-of-list byte is not part of `features`).
    pub fn features(&self) -> impl Iterator<Item = Result<IdentFeature<'a>>> + 'a {
        let mut c = Cursor::new(self.features);
        let mut failed = false;
        core::iter::from_fn(move || {
            if failed || c.is_empty() {
                return None;
            }
            let r = (|| {
                Ok(match c.read_u8()? {
                    0x04 => IdentFeature::SecurityMechanism(read_element(&mut c)?),
                    0x05 => IdentFeature::SessionCtrl(c.read_u8()?),
                    0x06 => IdentFeature::DeviceClass(read_element(&mut c)?),
                    0x07 => {
                        let n = usize::from(c.read_u8()?);
                        let body = c.take(n)?;
                        let (&format, identification) = body
                            .split_first()
                            .ok_or(Error::malformed("device identity", "empty"))?;
                        IdentFeature::DeviceIdentity {
                            format,
                            identification,
                        }
                    }
                    other => return Err(Error::unsupported("ident feature", u32::from(other))),
                })
            })();
            failed = r.is_err();
            Some(r)
        })
    }
}

/// A PSEM request (zero-copy).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Request<'a> {
    /// 0x20.
    Ident,
    /// 0x21.
    Terminate,
    /// 0x22 (C12.22).
    Disconnect,
    /// 0x52.
    Logoff,
    /// 0x3E.
    DefaultRead,
    /// 0x25 `<ap title>` (C12.22). `ap_title` is the BER-encoded ApTitle element.
    Resolve {
        /// BER element (`06 len oid` or `80 len relative-oid`).
        ap_title: &'a [u8],
    },
    /// 0x26 `<ap title>` (C12.22): trace the relays on the way to a node.
    Trace {
        /// BER element.
        ap_title: &'a [u8],
    },
    /// 0x24 `<ap title>` (C12.22).
    Deregister {
        /// BER element.
        ap_title: &'a [u8],
    },
    /// 0x27 (C12.22 / IEEE 1703 §5.3.2.4.10).
    Register(Register<'a>),
    /// 0x30 `<table>`.
    FullRead {
        /// Table.
        table: TableId,
    },
    /// 0x31..0x39 `<table><index u16 * n><count u16>` (n = code - 0x30).
    PartialReadIndex {
        /// Table.
        table: TableId,
        /// Indices.
        indices: Indices<'a>,
        /// Element count.
        count: u16,
    },
    /// 0x3F `<table><offset u24><count u16>`.
    PartialReadOffset {
        /// Table.
        table: TableId,
        /// Byte offset (24 bits).
        offset: u32,
        /// Byte count.
        count: u16,
    },
    /// 0x40 `<table><count><data><cksum>`.
    FullWrite {
        /// Table.
        table: TableId,
        /// Data and checksum.
        data: TableData<'a>,
    },
    /// 0x41..0x49 `<table><index u16 * n><count><data><cksum>`.
    PartialWriteIndex {
        /// Table.
        table: TableId,
        /// Indices.
        indices: Indices<'a>,
        /// Data and checksum.
        data: TableData<'a>,
    },
    /// 0x4E `<count><data><cksum>`.
    DefaultWrite {
        /// Data and checksum.
        data: TableData<'a>,
    },
    /// 0x4F `<table><offset u24><count><data><cksum>`.
    PartialWriteOffset {
        /// Table.
        table: TableId,
        /// Byte offset (24 bits).
        offset: u32,
        /// Data and checksum.
        data: TableData<'a>,
    },
    /// 0x50 `<user id u16><user char[10]>` (C12.22 adds `<session idle timeout u16>`).
    Logon {
        /// User id.
        user_id: u16,
        /// User name, 10 bytes.
        user: &'a [u8],
        /// Seconds (C12.22 only).
        session_idle_timeout: Option<u16>,
    },
    /// 0x51 `<password[20]>` (C12.22 adds `<user id u16>` in session mode).
    Security {
        /// Password, 20 bytes.
        password: &'a [u8],
        /// User id (C12.22 only).
        user_id: Option<u16>,
    },
    /// 0x53 `<len u8><data>`.
    Authenticate {
        /// Authentication data.
        data: &'a [u8],
    },
    /// 0x60..0x6B `<packet size u16><nbr packets u8><baud codes>`.
    Negotiate {
        /// Maximum packet size.
        packet_size: u16,
        /// Maximum number of packets.
        nbr_packets: u8,
        /// Baud rate codes (0..=11 of them).
        bauds: &'a [u8],
    },
    /// 0x70 `<seconds u8>`.
    Wait {
        /// Seconds.
        seconds: u8,
    },
    /// 0x71 `<traffic><inter char><response timeout><retries>`.
    TimingSetup {
        /// Channel traffic time-out, seconds.
        traffic: u8,
        /// Inter-character time-out, seconds.
        inter_char: u8,
        /// Response time-out, seconds.
        resp_timeout: u8,
        /// Number of retries.
        nbr_retries: u8,
    },
    /// Any other request code (>= 0x20).
    Other {
        /// The code.
        code: u8,
        /// Everything after the code.
        body: &'a [u8],
    },
}

pub(crate) fn read_u24(c: &mut Cursor<'_>) -> Result<u32> {
    let v = c.read_uint_be(3)?;
    Ok(u32::try_from(v).unwrap_or(0))
}

pub(crate) fn end(c: &Cursor<'_>, field: &'static str) -> Result<()> {
    if c.is_empty() {
        Ok(())
    } else {
        Err(Error::malformed(
            field,
            "unexpected bytes after the service",
        ))
    }
}

impl<'a> Request<'a> {
    /// Parses one complete request (the whole PSEM message, or one C12.22 service).
    /// Bytes after the request are an error here; [`Message::parse`] decodes them as a
    /// diagnostic. A write whose table checksum does not match is a `checksum` error.
    pub fn parse(buf: &'a [u8], variant: Variant) -> Result<Self> {
        let (r, used) = Self::parse_prefix(buf, variant)?;
        end(&Cursor::new(buf.get(used..).unwrap_or(&[])), "request")?;
        Ok(r)
    }

    /// Parses the request at the start of `buf`; returns it and the bytes it used.
    pub fn parse_prefix(buf: &'a [u8], variant: Variant) -> Result<(Self, usize)> {
        let mut c = Cursor::new(buf);
        let code = c.read_u8()?;
        if code < 0x20 {
            return Err(Error::malformed(
                "service code",
                "a request code is at least 0x20",
            ));
        }
        let r = match code {
            code::IDENT => Request::Ident,
            code::TERMINATE => Request::Terminate,
            code::DISCONNECT => Request::Disconnect,
            code::LOGOFF => Request::Logoff,
            code::DEFAULT_READ => Request::DefaultRead,
            code::RESOLVE => Request::Resolve {
                ap_title: c.take_rest(),
            },
            code::TRACE => Request::Trace {
                ap_title: c.take_rest(),
            },
            code::DEREGISTER => Request::Deregister {
                ap_title: c.take_rest(),
            },
            code::REGISTER => Request::Register(Register::read(&mut c)?),
            code::FULL_READ => Request::FullRead {
                table: TableId(c.read_u16_be()?),
            },
            0x31..=0x39 => {
                let table = TableId(c.read_u16_be()?);
                let n = usize::from(code.wrapping_sub(0x30));
                let indices = Indices::from_bytes(c.take(n.saturating_mul(2))?)?;
                let count = c.read_u16_be()?;
                Request::PartialReadIndex {
                    table,
                    indices,
                    count,
                }
            }
            code::PARTIAL_READ_OFFSET => Request::PartialReadOffset {
                table: TableId(c.read_u16_be()?),
                offset: read_u24(&mut c)?,
                count: c.read_u16_be()?,
            },
            code::FULL_WRITE => Request::FullWrite {
                table: TableId(c.read_u16_be()?),
                data: TableData::read(&mut c)?,
            },
            0x41..=0x49 => {
                let table = TableId(c.read_u16_be()?);
                let n = usize::from(code.wrapping_sub(0x40));
                let indices = Indices::from_bytes(c.take(n.saturating_mul(2))?)?;
                Request::PartialWriteIndex {
                    table,
                    indices,
                    data: TableData::read(&mut c)?,
                }
            }
            code::DEFAULT_WRITE => Request::DefaultWrite {
                data: TableData::read(&mut c)?,
            },
            code::PARTIAL_WRITE_OFFSET => Request::PartialWriteOffset {
                table: TableId(c.read_u16_be()?),
                offset: read_u24(&mut c)?,
                data: TableData::read(&mut c)?,
            },
            code::LOGON => {
                let user_id = c.read_u16_be()?;
                let user = c.take(10)?;
                let session_idle_timeout = match variant {
                    Variant::C1218 => None,
                    Variant::C1222 => Some(c.read_u16_be()?),
                };
                Request::Logon {
                    user_id,
                    user,
                    session_idle_timeout,
                }
            }
            code::SECURITY => {
                let password = c.take(20)?;
                // C12.22 adds the user id inside a session; a sessionless security
                // request is 20 bytes as in C12.18 (IEEE 1703 §5.3.2.4.5)
                let user_id = match variant {
                    Variant::C1222 if !c.is_empty() => Some(c.read_u16_be()?),
                    _ => None,
                };
                Request::Security { password, user_id }
            }
            code::AUTHENTICATE => {
                let n = usize::from(c.read_u8()?);
                Request::Authenticate { data: c.take(n)? }
            }
            0x60..=0x6B => {
                let packet_size = c.read_u16_be()?;
                let nbr_packets = c.read_u8()?;
                let bauds = c.take(usize::from(code & 0x0F))?;
                Request::Negotiate {
                    packet_size,
                    nbr_packets,
                    bauds,
                }
            }
            code::WAIT => Request::Wait {
                seconds: c.read_u8()?,
            },
            code::TIMING_SETUP => Request::TimingSetup {
                traffic: c.read_u8()?,
                inter_char: c.read_u8()?,
                resp_timeout: c.read_u8()?,
                nbr_retries: c.read_u8()?,
            },
            _ => Request::Other {
                code,
                body: c.take_rest(),
            },
        };
        Ok((r, c.position()))
    }

    /// The service code byte.
    pub fn code(&self) -> u8 {
        match self {
            Request::Ident => code::IDENT,
            Request::Terminate => code::TERMINATE,
            Request::Disconnect => code::DISCONNECT,
            Request::Logoff => code::LOGOFF,
            Request::DefaultRead => code::DEFAULT_READ,
            Request::Resolve { .. } => code::RESOLVE,
            Request::Trace { .. } => code::TRACE,
            Request::Deregister { .. } => code::DEREGISTER,
            Request::Register(_) => code::REGISTER,
            Request::FullRead { .. } => code::FULL_READ,
            Request::PartialReadIndex { indices, .. } => counted(0x30, indices.len()),
            Request::PartialReadOffset { .. } => code::PARTIAL_READ_OFFSET,
            Request::FullWrite { .. } => code::FULL_WRITE,
            Request::PartialWriteIndex { indices, .. } => counted(0x40, indices.len()),
            Request::DefaultWrite { .. } => code::DEFAULT_WRITE,
            Request::PartialWriteOffset { .. } => code::PARTIAL_WRITE_OFFSET,
            Request::Logon { .. } => code::LOGON,
            Request::Security { .. } => code::SECURITY,
            Request::Authenticate { .. } => code::AUTHENTICATE,
            Request::Negotiate { bauds, .. } => counted(0x60, bauds.len()),
            Request::Wait { .. } => code::WAIT,
            Request::TimingSetup { .. } => code::TIMING_SETUP,
            Request::Other { code, .. } => *code,
        }
    }

    /// The service name (`full_read`, `logon`, ...).
    pub fn name(&self) -> &'static str {
        service_name(self.code())
    }

    /// The table of a read or write.
    pub fn table(&self) -> Option<TableId> {
        match self {
            Request::FullRead { table }
            | Request::PartialReadIndex { table, .. }
            | Request::PartialReadOffset { table, .. }
            | Request::FullWrite { table, .. }
            | Request::PartialWriteIndex { table, .. }
            | Request::PartialWriteOffset { table, .. } => Some(*table),
            _ => None,
        }
    }

    /// The table data of a write.
    pub fn table_data(&self) -> Option<TableData<'a>> {
        match self {
            Request::FullWrite { data, .. }
            | Request::PartialWriteIndex { data, .. }
            | Request::DefaultWrite { data }
            | Request::PartialWriteOffset { data, .. } => Some(*data),
            _ => None,
        }
    }

    /// For writes: whether the table data checksum matches. `None` for other services.
    pub fn checksum_ok(&self) -> Option<bool> {
        self.table_data().map(|d| d.checksum_ok())
    }

    /// Errors on a write whose table data checksum does not match.
    pub fn verify(&self) -> Result<()> {
        match self.table_data() {
            Some(d) => d.verify(),
            None => Ok(()),
        }
    }
}

/// The code of a request whose low nibble counts its items (partial read/write by
/// index: indices; negotiate: baud rates).
fn counted(base: u8, n: usize) -> u8 {
    base.wrapping_add(u8::try_from(n).unwrap_or(0))
}
