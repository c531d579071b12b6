//! Encoding PSEM requests.

use super::{Indices, Register, Request, TableData};
use crate::c1219::TableId;
use meterwire_core::{Encode, EncodeError, Writer};

impl Request<'_> {
    pub(super) fn check_limits(&self) -> Result<(), EncodeError> {
        let bad = |field, reason| Err(EncodeError::Invalid { field, reason });
        match self {
            Request::PartialReadIndex { indices, .. }
            | Request::PartialWriteIndex { indices, .. }
                if indices.is_empty() || indices.len() > 9 || indices.as_bytes().len() % 2 != 0 =>
            {
                bad("indices", "1 to 9 indices")
            }
            Request::PartialReadOffset { offset, .. }
            | Request::PartialWriteOffset { offset, .. }
                if *offset > 0xFF_FFFF =>
            {
                bad("offset", "24 bits")
            }
            Request::Logon { user, .. } if user.len() != 10 => bad("user", "exactly 10 bytes"),
            Request::Security { password, .. } if password.len() != 20 => {
                bad("password", "exactly 20 bytes")
            }
            Request::Authenticate { data } if data.len() > 255 => {
                bad("authenticate data", "at most 255 bytes")
            }
            Request::Negotiate { bauds, .. } if bauds.len() > 11 => {
                bad("bauds", "at most 11 baud rates")
            }
            Request::Other { code, .. } if *code < 0x20 => {
                bad("service code", "a request code is at least 0x20")
            }
            _ => Ok(()),
        }
    }
}

/// One field of a request body, in wire order. [`Request::with_fields`] lists them
/// once for the encoded length, the encoding and the JSON form (`serde_impl`).
#[derive(Debug, Clone, Copy)]
#[cfg_attr(not(feature = "serde"), allow(dead_code))] // the JSON names
pub(crate) enum Field<'a> {
    /// `<table u16>`.
    Table(TableId),
    /// `<index u16 * n>`.
    Indices(Indices<'a>),
    /// `<offset u24>`.
    Offset(u32),
    /// A one-byte number, with its JSON name.
    U8(&'static str, u8),
    /// A big-endian u16, with its JSON name.
    U16(&'static str, u16),
    /// A big-endian u16 that only C12.22 sends, with its JSON name.
    OptU16(&'static str, Option<u16>),
    /// `<count u16><data><cksum>`.
    Data(TableData<'a>),
    /// Bytes as they are, with their JSON name (shown as hex).
    Bytes(&'static str, &'a [u8]),
    /// `<len u8><data>` (JSON `data`).
    Counted(&'a [u8]),
    /// A user name, `char[10]` (JSON text).
    User(&'a [u8]),
    /// A BER ApTitle element.
    ApTitle(&'a [u8]),
    /// A registration body.
    Register(Register<'a>),
}

impl Field<'_> {
    fn wire_len(&self) -> usize {
        match self {
            Field::Table(_) | Field::U16(..) | Field::OptU16(_, Some(_)) => 2,
            Field::OptU16(_, None) => 0,
            Field::Indices(i) => i.as_bytes().len(),
            Field::Offset(_) => 3,
            Field::U8(..) => 1,
            Field::Data(d) => d.wire_len(),
            Field::Bytes(_, b) | Field::User(b) | Field::ApTitle(b) => b.len(),
            Field::Counted(b) => b.len().saturating_add(1),
            Field::Register(r) => r.wire_len(),
        }
    }

    fn write(&self, w: &mut Writer<'_>) -> Result<(), EncodeError> {
        match self {
            Field::Table(t) => w.write_u16_be(t.0),
            Field::Indices(i) => w.write_bytes(i.as_bytes()),
            Field::Offset(o) => w.write_uint_be(u64::from(*o), 3),
            Field::U8(_, v) => w.write_u8(*v),
            Field::U16(_, v) | Field::OptU16(_, Some(v)) => w.write_u16_be(*v),
            Field::OptU16(_, None) => Ok(()),
            Field::Data(d) => d.write(w),
            Field::Bytes(_, b) | Field::User(b) | Field::ApTitle(b) => w.write_bytes(b),
            Field::Counted(b) => {
                w.write_u8(u8::try_from(b.len()).unwrap_or(u8::MAX))?;
                w.write_bytes(b)
            }
            Field::Register(r) => r.write(w),
        }
    }
}

impl<'a> Request<'a> {
    /// Calls `f` with the fields of the body after the service code, in wire order.
    pub(crate) fn with_fields<R>(&self, f: impl FnOnce(&[Field<'a>]) -> R) -> R {
        use Field::*;
        match *self {
            Request::Ident
            | Request::Terminate
            | Request::Disconnect
            | Request::Logoff
            | Request::DefaultRead => f(&[]),
            Request::Resolve { ap_title }
            | Request::Trace { ap_title }
            | Request::Deregister { ap_title } => f(&[ApTitle(ap_title)]),
            Request::Register(r) => f(&[Register(r)]),
            Request::Other { body, .. } => f(&[Bytes("data", body)]),
            Request::FullRead { table } => f(&[Table(table)]),
            Request::PartialReadIndex {
                table,
                indices,
                count,
            } => f(&[Table(table), Indices(indices), U16("count", count)]),
            Request::PartialReadOffset {
                table,
                offset,
                count,
            } => f(&[Table(table), Offset(offset), U16("count", count)]),
            Request::FullWrite { table, data } => f(&[Table(table), Data(data)]),
            Request::PartialWriteIndex {
                table,
                indices,
                data,
            } => f(&[Table(table), Indices(indices), Data(data)]),
            Request::DefaultWrite { data } => f(&[Data(data)]),
            Request::PartialWriteOffset {
                table,
                offset,
                data,
            } => f(&[Table(table), Offset(offset), Data(data)]),
            Request::Logon {
                user_id,
                user,
                session_idle_timeout,
            } => f(&[
                U16("user_id", user_id),
                User(user),
                OptU16("session_idle_timeout", session_idle_timeout),
            ]),
            Request::Security { password, user_id } => {
                f(&[Bytes("data", password), OptU16("user_id", user_id)])
            }
            Request::Authenticate { data } => f(&[Counted(data)]),
            Request::Negotiate {
                packet_size,
                nbr_packets,
                bauds,
            } => f(&[
                U16("packet_size", packet_size),
                U8("nbr_packets", nbr_packets),
                Bytes("bauds", bauds),
            ]),
            Request::Wait { seconds } => f(&[U8("seconds", seconds)]),
            Request::TimingSetup {
                traffic,
                inter_char,
                resp_timeout,
                nbr_retries,
            } => f(&[
                U8("traffic", traffic),
                U8("inter_char", inter_char),
                U8("resp_timeout", resp_timeout),
                U8("nbr_retries", nbr_retries),
            ]),
        }
    }
}

impl Encode for Request<'_> {
    fn encoded_len(&self) -> usize {
        // the service code, then the body
        self.with_fields(|fields| {
            fields
                .iter()
                .fold(1usize, |n, f| n.saturating_add(f.wire_len()))
        })
    }

    fn encode(&self, out: &mut [u8]) -> Result<usize, EncodeError> {
        self.check_limits()?;
        let mut w = Writer::new(out);
        w.write_u8(self.code())?;
        self.with_fields(|fields| fields.iter().try_for_each(|f| f.write(&mut w)))?;
        Ok(w.position())
    }
}
