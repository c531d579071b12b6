//! serde support: flat JSON objects with the field names of the standard.
//!
//! Views serialize without allocation; owned values (`alloc`) also deserialize.
//! A PDU is `{"direction", "function_code", "function", ...fields}`; payloads
//! are arrays (`registers`, `coils`, `inputs`), opaque bytes are lower-case hex.

use serde::Serialize;
use serde::ser::{SerializeMap, Serializer};

use crate::data::{Bits, Bytes, Record, Registers, Seq};
use crate::pdu::{DeviceObjectOf, PduOf, RequestOf, ResponseOf, exception_name};
use crate::storage::{ByteSlice, Storage};

impl Serialize for Registers<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.iter())
    }
}

impl Serialize for Bits<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.iter())
    }
}

impl Serialize for Bytes<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'a, T: Record<'a> + Serialize> Serialize for Seq<'a, T> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.iter())
    }
}

impl<S: Storage> Serialize for DeviceObjectOf<S> {
    fn serialize<Ser: Serializer>(&self, s: Ser) -> Result<Ser::Ok, Ser::Error> {
        let mut m = s.serialize_map(None)?;
        m.serialize_entry("object_id", &self.object_id)?;
        m.serialize_entry("value", &self.value)?;
        let bytes = self.value.bytes();
        if bytes.iter().all(|b| (0x20..0x7F).contains(b)) {
            if let Ok(text) = core::str::from_utf8(bytes) {
                m.serialize_entry("text", text)?;
            }
        }
        m.end()
    }
}

/// Writes a PDU's fields into a map that the caller opened (frame headers first).
pub(crate) trait WriteFields {
    /// Writes `function_code`, `function` and the fields of the PDU.
    fn write_fields<M: SerializeMap>(&self, m: &mut M) -> Result<(), M::Error>;
}

impl<S: Storage> WriteFields for RequestOf<S> {
    fn write_fields<M: SerializeMap>(&self, m: &mut M) -> Result<(), M::Error> {
        self.write_fields_inner(m)
    }
}

impl<S: Storage> WriteFields for ResponseOf<S> {
    fn write_fields<M: SerializeMap>(&self, m: &mut M) -> Result<(), M::Error> {
        self.write_fields_inner(m)?;
        if let ResponseOf::Exception { exception_code, .. } = self {
            if let Some(name) = exception_name(*exception_code) {
                m.serialize_entry("exception", name)?;
            }
        }
        Ok(())
    }
}

impl<S: Storage> WriteFields for PduOf<S> {
    fn write_fields<M: SerializeMap>(&self, m: &mut M) -> Result<(), M::Error> {
        m.serialize_entry("direction", &self.direction())?;
        match self {
            PduOf::Request(r) => r.write_fields(m),
            PduOf::Response(r) => r.write_fields(m),
        }
    }
}

macro_rules! ser_via_fields {
    ($($t:ident),*) => {$(
        impl<St: Storage> Serialize for $t<St> {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                let mut m = s.serialize_map(None)?;
                self.write_fields(&mut m)?;
                m.end()
            }
        }
    )*};
}
ser_via_fields!(RequestOf, ResponseOf, PduOf);

#[cfg(feature = "alloc")]
mod owned {
    use super::*;
    use crate::storage::BytesBuf;
    use alloc::vec::Vec;
    use serde::{Deserialize, de};

    impl Serialize for BytesBuf {
        fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            s.collect_str(&Bytes::new(&self.0))
        }
    }

    impl<'de> Deserialize<'de> for BytesBuf {
        fn deserialize<D: de::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            struct V;
            impl de::Visitor<'_> for V {
                type Value = Vec<u8>;
                fn expecting(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
                    f.write_str("a hex string")
                }
                fn visit_str<E: de::Error>(self, s: &str) -> Result<Vec<u8>, E> {
                    let mut out = alloc::vec![0u8; s.len() / 2];
                    meterwire_core::hex::decode_hex_into(s.as_bytes(), &mut out)
                        .ok_or_else(|| E::custom("not an even number of hex digits"))?;
                    Ok(out)
                }
            }
            Ok(BytesBuf(d.deserialize_str(V)?))
        }
    }
}

/// The PDU's fields, then `"trailing_bytes"` (hex) and `"diagnostics"`, each
/// only when there is one (the part of a frame's JSON after its header).
pub(crate) fn write_pdu_and_departures<M: SerializeMap, S: Storage>(
    m: &mut M,
    pdu: &PduOf<S>,
    trailing: &[u8],
    diagnostics: impl Iterator<Item = meterwire_core::Diagnostic>,
) -> Result<(), M::Error> {
    pdu.write_fields(m)?;
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

impl<St: Storage> Serialize for crate::tcp::TcpFrame<'_, St> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(None)?;
        m.serialize_entry("transaction_id", &self.transaction_id)?;
        m.serialize_entry("protocol_id", &self.protocol_id)?;
        m.serialize_entry("unit_id", &self.unit_id)?;
        write_pdu_and_departures(&mut m, &self.pdu, self.trailing, self.diagnostics())?;
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
