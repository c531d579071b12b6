//! Encoding PSEM requests.

use super::Request;
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

impl Encode for Request<'_> {
    fn encoded_len(&self) -> usize {
        let body = match self {
            Request::Ident
            | Request::Terminate
            | Request::Disconnect
            | Request::Logoff
            | Request::DefaultRead => 0,
            Request::Resolve { ap_title }
            | Request::Trace { ap_title }
            | Request::Deregister { ap_title } => ap_title.len(),
            Request::Register(r) => r.wire_len(),
            Request::Other { body, .. } => body.len(),
            Request::FullRead { .. } => 2,
            Request::PartialReadIndex { indices, .. } => {
                4usize.saturating_add(indices.as_bytes().len())
            }
            Request::PartialReadOffset { .. } => 7,
            Request::FullWrite { data, .. } => data.wire_len().saturating_add(2),
            Request::PartialWriteIndex { indices, data, .. } => data
                .wire_len()
                .saturating_add(2)
                .saturating_add(indices.as_bytes().len()),
            Request::DefaultWrite { data } => data.wire_len(),
            Request::PartialWriteOffset { data, .. } => data.wire_len().saturating_add(5),
            Request::Logon {
                user,
                session_idle_timeout,
                ..
            } => 2usize
                .saturating_add(user.len())
                .saturating_add(if session_idle_timeout.is_some() { 2 } else { 0 }),
            Request::Security { password, user_id } => password
                .len()
                .saturating_add(if user_id.is_some() { 2 } else { 0 }),
            Request::Authenticate { data } => data.len().saturating_add(1),
            Request::Negotiate { bauds, .. } => bauds.len().saturating_add(3),
            Request::Wait { .. } => 1,
            Request::TimingSetup { .. } => 4,
        };
        body.saturating_add(1)
    }

    fn encode(&self, out: &mut [u8]) -> Result<usize, EncodeError> {
        self.check_limits()?;
        let mut w = Writer::new(out);
        w.write_u8(self.code())?;
        match self {
            Request::Ident
            | Request::Terminate
            | Request::Disconnect
            | Request::Logoff
            | Request::DefaultRead => {}
            Request::Resolve { ap_title }
            | Request::Trace { ap_title }
            | Request::Deregister { ap_title } => w.write_bytes(ap_title)?,
            Request::Register(r) => r.write(&mut w)?,
            Request::Other { body, .. } => w.write_bytes(body)?,
            Request::FullRead { table } => w.write_u16_be(table.0)?,
            Request::PartialReadIndex {
                table,
                indices,
                count,
            } => {
                w.write_u16_be(table.0)?;
                w.write_bytes(indices.as_bytes())?;
                w.write_u16_be(*count)?;
            }
            Request::PartialReadOffset {
                table,
                offset,
                count,
            } => {
                w.write_u16_be(table.0)?;
                w.write_uint_be(u64::from(*offset), 3)?;
                w.write_u16_be(*count)?;
            }
            Request::FullWrite { table, data } => {
                w.write_u16_be(table.0)?;
                data.write(&mut w)?;
            }
            Request::PartialWriteIndex {
                table,
                indices,
                data,
            } => {
                w.write_u16_be(table.0)?;
                w.write_bytes(indices.as_bytes())?;
                data.write(&mut w)?;
            }
            Request::DefaultWrite { data } => data.write(&mut w)?,
            Request::PartialWriteOffset {
                table,
                offset,
                data,
            } => {
                w.write_u16_be(table.0)?;
                w.write_uint_be(u64::from(*offset), 3)?;
                data.write(&mut w)?;
            }
            Request::Logon {
                user_id,
                user,
                session_idle_timeout,
            } => {
                w.write_u16_be(*user_id)?;
                w.write_bytes(user)?;
                if let Some(t) = session_idle_timeout {
                    w.write_u16_be(*t)?;
                }
            }
            Request::Security { password, user_id } => {
                w.write_bytes(password)?;
                if let Some(u) = user_id {
                    w.write_u16_be(*u)?;
                }
            }
            Request::Authenticate { data } => {
                w.write_u8(u8::try_from(data.len()).unwrap_or(u8::MAX))?;
                w.write_bytes(data)?;
            }
            Request::Negotiate {
                packet_size,
                nbr_packets,
                bauds,
            } => {
                w.write_u16_be(*packet_size)?;
                w.write_u8(*nbr_packets)?;
                w.write_bytes(bauds)?;
            }
            Request::Wait { seconds } => w.write_u8(*seconds)?,
            Request::TimingSetup {
                traffic,
                inter_char,
                resp_timeout,
                nbr_retries,
            } => {
                w.write_u8(*traffic)?;
                w.write_u8(*inter_char)?;
                w.write_u8(*resp_timeout)?;
                w.write_u8(*nbr_retries)?;
            }
        }
        Ok(w.position())
    }
}
