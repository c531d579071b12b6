//! serde support: flat JSON objects with the field names of the standard.
//!
//! Views serialize without allocation; owned values (`alloc`) also deserialize.
//! A PDU is `{"direction", "function_code", "function", ...fields}`; payloads
//! are arrays (`registers`, `coils`, `inputs`), opaque bytes are lower-case hex.

use serde::Serialize;
use serde::ser::{SerializeMap, SerializeSeq, Serializer};

use crate::data::{Bits, Bytes, Record, Registers, Seq};
use crate::pdu::{Pdu, Request, Response, exception_name};

impl Serialize for Registers<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut seq = s.serialize_seq(Some(self.len()))?;
        for v in self.iter() {
            seq.serialize_element(&v)?;
        }
        seq.end()
    }
}

impl Serialize for Bits<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut seq = s.serialize_seq(Some(self.len()))?;
        for v in self.iter() {
            seq.serialize_element(&v)?;
        }
        seq.end()
    }
}

impl Serialize for Bytes<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'a, T: Record<'a> + Serialize> Serialize for Seq<'a, T> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut seq = s.serialize_seq(None)?;
        for v in self.iter() {
            seq.serialize_element(&v)?;
        }
        seq.end()
    }
}

impl Serialize for crate::pdu::DeviceObject<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(None)?;
        m.serialize_entry("object_id", &self.object_id)?;
        m.serialize_entry("value", &self.value)?;
        let bytes = self.value.as_slice();
        if bytes.iter().all(|b| (0x20..0x7F).contains(b)) {
            if let Ok(text) = core::str::from_utf8(bytes) {
                m.serialize_entry("text", text)?;
            }
        }
        m.end()
    }
}

/// Writes a PDU's fields into a map that the caller opened (frame headers first).
pub trait WriteFields {
    /// Writes `function_code`, `function` and the fields of the PDU.
    fn write_fields<M: SerializeMap>(&self, m: &mut M) -> Result<(), M::Error>;
}

macro_rules! entries {
    ($m:ident; $($k:ident),* $(,)?) => {{ $( $m.serialize_entry(stringify!($k), $k)?; )* }};
}

impl WriteFields for Request<'_> {
    fn write_fields<M: SerializeMap>(&self, m: &mut M) -> Result<(), M::Error> {
        m.serialize_entry("function_code", &self.function_code())?;
        m.serialize_entry("function", self.name())?;
        match self {
            Request::ReadCoils {
                starting_address,
                quantity,
            }
            | Request::ReadDiscreteInputs {
                starting_address,
                quantity,
            }
            | Request::ReadHoldingRegisters {
                starting_address,
                quantity,
            }
            | Request::ReadInputRegisters {
                starting_address,
                quantity,
            } => {
                entries!(m; starting_address, quantity)
            }
            Request::WriteSingleCoil {
                output_address,
                value,
            } => entries!(m; output_address, value),
            Request::WriteSingleRegister {
                register_address,
                value,
            } => entries!(m; register_address, value),
            Request::ReadExceptionStatus
            | Request::GetCommEventCounter
            | Request::GetCommEventLog
            | Request::ReportServerId => {}
            Request::Diagnostics { sub_function, data } => entries!(m; sub_function, data),
            Request::WriteMultipleCoils {
                starting_address,
                quantity,
                byte_count,
                coils,
            } => {
                entries!(m; starting_address, quantity, byte_count, coils)
            }
            Request::WriteMultipleRegisters {
                starting_address,
                quantity,
                byte_count,
                registers,
            } => {
                entries!(m; starting_address, quantity, byte_count, registers)
            }
            Request::ReadFileRecord {
                byte_count,
                sub_requests,
            } => entries!(m; byte_count, sub_requests),
            Request::WriteFileRecord {
                request_data_length,
                sub_requests,
            } => {
                entries!(m; request_data_length, sub_requests)
            }
            Request::MaskWriteRegister {
                reference_address,
                and_mask,
                or_mask,
            } => {
                entries!(m; reference_address, and_mask, or_mask)
            }
            Request::ReadWriteMultipleRegisters {
                read_starting_address,
                quantity_to_read,
                write_starting_address,
                quantity_to_write,
                write_byte_count,
                registers,
            } => entries!(m; read_starting_address, quantity_to_read, write_starting_address,
                quantity_to_write, write_byte_count, registers),
            Request::ReadFifoQueue {
                fifo_pointer_address,
            } => entries!(m; fifo_pointer_address),
            Request::ReadDeviceIdentification {
                read_device_id_code,
                object_id,
            } => {
                m.serialize_entry("mei_type", &crate::pdu::fc::MEI_READ_DEVICE_ID)?;
                entries!(m; read_device_id_code, object_id)
            }
            Request::CanopenGeneralReference { data } => {
                m.serialize_entry("mei_type", &crate::pdu::fc::MEI_CANOPEN)?;
                entries!(m; data)
            }
            Request::Unsupported { data, .. } => entries!(m; data),
        }
        Ok(())
    }
}

impl WriteFields for Response<'_> {
    fn write_fields<M: SerializeMap>(&self, m: &mut M) -> Result<(), M::Error> {
        m.serialize_entry("function_code", &self.function_code())?;
        m.serialize_entry("function", self.name())?;
        match self {
            Response::ReadCoils { byte_count, coils } => entries!(m; byte_count, coils),
            Response::ReadDiscreteInputs { byte_count, inputs } => entries!(m; byte_count, inputs),
            Response::ReadHoldingRegisters {
                byte_count,
                registers,
            }
            | Response::ReadInputRegisters {
                byte_count,
                registers,
            }
            | Response::ReadWriteMultipleRegisters {
                byte_count,
                registers,
            } => {
                entries!(m; byte_count, registers)
            }
            Response::WriteSingleCoil {
                output_address,
                value,
            } => entries!(m; output_address, value),
            Response::WriteSingleRegister {
                register_address,
                value,
            } => entries!(m; register_address, value),
            Response::ReadExceptionStatus { output_data } => entries!(m; output_data),
            Response::Diagnostics { sub_function, data } => entries!(m; sub_function, data),
            Response::GetCommEventCounter {
                status,
                event_count,
            } => entries!(m; status, event_count),
            Response::GetCommEventLog {
                byte_count,
                status,
                event_count,
                message_count,
                events,
            } => {
                entries!(m; byte_count, status, event_count, message_count, events)
            }
            Response::WriteMultipleCoils {
                starting_address,
                quantity,
            }
            | Response::WriteMultipleRegisters {
                starting_address,
                quantity,
            } => {
                entries!(m; starting_address, quantity)
            }
            Response::ReportServerId { byte_count, data } => entries!(m; byte_count, data),
            Response::ReadFileRecord {
                response_data_length,
                sub_responses,
            } => {
                entries!(m; response_data_length, sub_responses)
            }
            Response::WriteFileRecord {
                response_data_length,
                sub_responses,
            } => {
                entries!(m; response_data_length, sub_responses)
            }
            Response::MaskWriteRegister {
                reference_address,
                and_mask,
                or_mask,
            } => {
                entries!(m; reference_address, and_mask, or_mask)
            }
            Response::ReadFifoQueue {
                byte_count,
                fifo_count,
                values,
            } => {
                entries!(m; byte_count, fifo_count, values)
            }
            Response::ReadDeviceIdentification {
                read_device_id_code,
                conformity_level,
                more_follows,
                next_object_id,
                number_of_objects,
                objects,
            } => {
                m.serialize_entry("mei_type", &crate::pdu::fc::MEI_READ_DEVICE_ID)?;
                entries!(m; read_device_id_code, conformity_level, more_follows, next_object_id,
                    number_of_objects, objects)
            }
            Response::CanopenGeneralReference { data } => {
                m.serialize_entry("mei_type", &crate::pdu::fc::MEI_CANOPEN)?;
                entries!(m; data)
            }
            Response::Exception { exception_code, .. } => {
                entries!(m; exception_code);
                if let Some(name) = exception_name(*exception_code) {
                    m.serialize_entry("exception", name)?;
                }
            }
            Response::Unsupported { data, .. } => entries!(m; data),
        }
        Ok(())
    }
}

impl WriteFields for Pdu<'_> {
    fn write_fields<M: SerializeMap>(&self, m: &mut M) -> Result<(), M::Error> {
        m.serialize_entry("direction", &self.direction())?;
        match self {
            Pdu::Request(r) => r.write_fields(m),
            Pdu::Response(r) => r.write_fields(m),
        }
    }
}

macro_rules! ser_via_fields {
    ($($t:ty),*) => {$(
        impl Serialize for $t {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                let mut m = s.serialize_map(None)?;
                self.write_fields(&mut m)?;
                m.end()
            }
        }
    )*};
}
ser_via_fields!(Request<'_>, Response<'_>, Pdu<'_>);

// ---------------------------------------------------------------- deserialize (owned)

#[cfg(feature = "owned")]
mod owned {
    use super::*;
    use alloc::vec::Vec;
    use serde::{Deserialize, de};

    impl<'de> Deserialize<'de> for Registers<'_> {
        fn deserialize<D: de::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            let v = Vec::<u16>::deserialize(d)?;
            Ok(Registers::from_vec(v))
        }
    }

    impl<'de> Deserialize<'de> for Bits<'_> {
        fn deserialize<D: de::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            let v = Vec::<bool>::deserialize(d)?;
            Ok(Bits::from_vec(v))
        }
    }

    impl<'de> Deserialize<'de> for Bytes<'_> {
        fn deserialize<D: de::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            struct V;
            impl de::Visitor<'_> for V {
                type Value = Vec<u8>;
                fn expecting(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
                    f.write_str("a hex string")
                }
                fn visit_str<E: de::Error>(self, s: &str) -> Result<Vec<u8>, E> {
                    let b = s.as_bytes();
                    if b.len() % 2 != 0 {
                        return Err(E::custom("odd number of hex digits"));
                    }
                    b.chunks_exact(2)
                        .map(|p| match p {
                            [h, l] => match (nibble(*h), nibble(*l)) {
                                (Some(h), Some(l)) => Ok((h << 4) | l),
                                _ => Err(E::custom("not a hex digit")),
                            },
                            _ => Err(E::custom("odd number of hex digits")),
                        })
                        .collect()
                }
            }
            Ok(Bytes::from_vec(d.deserialize_str(V)?))
        }
    }

    pub(crate) const fn nibble(c: u8) -> Option<u8> {
        match c {
            b'0'..=b'9' => Some(c.wrapping_sub(b'0')),
            b'a'..=b'f' => Some(c.wrapping_sub(b'a').wrapping_add(10)),
            b'A'..=b'F' => Some(c.wrapping_sub(b'A').wrapping_add(10)),
            _ => None,
        }
    }

    impl<'de, 'a, T: Record<'a> + Deserialize<'de>> Deserialize<'de> for Seq<'a, T> {
        fn deserialize<D: de::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            Ok(Seq::from_vec(Vec::<T>::deserialize(d)?))
        }
    }
}

/// `"trailing_bytes"` (hex) and `"diagnostics"`, each only when there is one.
fn write_departures<M: SerializeMap>(
    m: &mut M,
    trailing: &[u8],
    diagnostics: impl Iterator<Item = meterwire_core::Diagnostic>,
) -> Result<(), M::Error> {
    if !trailing.is_empty() {
        m.serialize_entry("trailing_bytes", &meterwire_core::Hex(trailing))?;
    }
    let mut list: meterwire_core::Diagnostics<4> = meterwire_core::Diagnostics::new();
    list.extend(diagnostics);
    if !list.is_empty() {
        m.serialize_entry("diagnostics", &list)?;
    }
    Ok(())
}

impl Serialize for crate::tcp::TcpFrame<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(None)?;
        m.serialize_entry("transaction_id", &self.transaction_id)?;
        m.serialize_entry("protocol_id", &self.protocol_id)?;
        m.serialize_entry("unit_id", &self.unit_id)?;
        self.pdu.write_fields(&mut m)?;
        write_departures(&mut m, self.trailing, self.diagnostics())?;
        m.end()
    }
}

impl Serialize for crate::rtu::RtuFrame<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(None)?;
        m.serialize_entry("address", &self.address)?;
        self.pdu.write_fields(&mut m)?;
        write_departures(&mut m, self.trailing, self.diagnostics())?;
        m.end()
    }
}

impl Serialize for crate::ascii::AsciiFrame<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(None)?;
        m.serialize_entry("address", &self.address)?;
        self.pdu.write_fields(&mut m)?;
        write_departures(&mut m, self.trailing, self.diagnostics())?;
        m.end()
    }
}

impl Serialize for crate::ascii::AsciiAdu<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self.frame() {
            Ok(f) => f.serialize(s),
            Err(e) => Err(serde::ser::Error::custom(e)),
        }
    }
}
