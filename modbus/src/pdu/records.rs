//! The repeated records of FC 20/21 (file records) and FC 43/14 (device
//! identification objects), read lazily from the frame by [`Seq`](crate::Seq).

use meterwire_core::{Cursor, EncodeError, Writer};

use super::limits;
use super::rules::invalid;
use crate::Error;
use crate::data::{Bytes, Record, Registers, WriteRecord};
use crate::storage::{ByteSlice, Payload, Storage};

/// The view (`Copy`, borrowed) and the Repr (owned) of a record type.
macro_rules! view_and_repr {
    ($View:ident, $Of:ident, $Repr:ident, $what:literal) => {
        #[doc = concat!($what, ", borrowed from the frame.")]
        pub type $View<'a> = $Of<crate::storage::Borrowed<'a>>;
        impl Copy for $View<'_> {}
        #[doc = concat!($what, ", owned.")]
        #[cfg(feature = "alloc")]
        pub type $Repr = $Of<crate::storage::Owned>;
    };
}

/// One sub-request of FC 20 (Read File Record): 7 bytes, reference type 6.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct FileSubRequest {
    /// File number (1..=0xFFFF).
    pub file_number: u16,
    /// Starting record number (0..=9999).
    pub record_number: u16,
    /// Number of registers to read.
    pub record_length: u16,
}

impl Record<'_> for FileSubRequest {
    fn read(c: &mut Cursor<'_>) -> Result<Self, Error> {
        reference_type(c)?;
        let file_number = c.read_u16_be()?;
        let record_number = record_number(c.read_u16_be()?)?;
        let record_length = c.read_u16_be()?;
        Ok(FileSubRequest {
            file_number,
            record_number,
            record_length,
        })
    }
}

impl WriteRecord for FileSubRequest {
    fn wire_len(&self) -> usize {
        7
    }
    fn write(&self, w: &mut Writer<'_>) -> Result<(), EncodeError> {
        if self.record_number > limits::FILE_RECORD_NUMBER {
            return Err(invalid("record_number", "at most 9999"));
        }
        w.write_u8(limits::FILE_REFERENCE_TYPE)?;
        w.write_u16_be(self.file_number)?;
        w.write_u16_be(self.record_number)?;
        w.write_u16_be(self.record_length)
    }
}

/// One sub-response of FC 20: the registers read from one file record
/// ([`FileSubResponse`] borrowed, [`FileSubResponseRepr`] owned).
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct FileSubResponseOf<S: Storage> {
    /// The record data.
    pub record_data: S::Registers,
}

view_and_repr!(
    FileSubResponse,
    FileSubResponseOf,
    FileSubResponseRepr,
    "FC 20 sub-response"
);

impl<'a> Record<'a> for FileSubResponse<'a> {
    fn read(c: &mut Cursor<'a>) -> Result<Self, Error> {
        let len = usize::from(c.read_u8()?);
        if len % 2 == 0 {
            return Err(Error::malformed(
                "file response length",
                "1 + 2 * registers (odd)",
            ));
        }
        reference_type(c)?;
        let data = c.take(len.saturating_sub(1))?;
        Ok(FileSubResponse {
            record_data: Registers::from_wire(data),
        })
    }
}

impl<S: Storage> WriteRecord for FileSubResponseOf<S> {
    fn wire_len(&self) -> usize {
        self.record_data.wire_len().saturating_add(2)
    }
    fn write(&self, w: &mut Writer<'_>) -> Result<(), EncodeError> {
        let len = u8::try_from(self.record_data.wire_len().saturating_add(1))
            .map_err(|_| invalid("record_data", "at most 127 registers"))?;
        w.write_u8(len)?;
        w.write_u8(limits::FILE_REFERENCE_TYPE)?;
        self.record_data.write(w)
    }
}

/// One record of FC 21 (Write File Record), request and response alike
/// ([`FileRecord`] borrowed, [`FileRecordRepr`] owned).
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct FileRecordOf<S: Storage> {
    /// File number.
    pub file_number: u16,
    /// Starting record number (0..=9999).
    pub record_number: u16,
    /// The registers written (the record length is their count).
    pub record_data: S::Registers,
}

view_and_repr!(FileRecord, FileRecordOf, FileRecordRepr, "FC 21 record");

impl<'a> Record<'a> for FileRecord<'a> {
    fn read(c: &mut Cursor<'a>) -> Result<Self, Error> {
        reference_type(c)?;
        let file_number = c.read_u16_be()?;
        let record_number = record_number(c.read_u16_be()?)?;
        let n = usize::from(c.read_u16_be()?);
        let data = c.take(n.saturating_mul(2))?;
        Ok(FileRecord {
            file_number,
            record_number,
            record_data: Registers::from_wire(data),
        })
    }
}

impl<S: Storage> WriteRecord for FileRecordOf<S> {
    fn wire_len(&self) -> usize {
        self.record_data.wire_len().saturating_add(7)
    }
    fn write(&self, w: &mut Writer<'_>) -> Result<(), EncodeError> {
        if self.record_number > limits::FILE_RECORD_NUMBER {
            return Err(invalid("record_number", "at most 9999"));
        }
        let n = u16::try_from(self.record_data.len())
            .map_err(|_| invalid("record_data", "too long"))?;
        w.write_u8(limits::FILE_REFERENCE_TYPE)?;
        w.write_u16_be(self.file_number)?;
        w.write_u16_be(self.record_number)?;
        w.write_u16_be(n)?;
        self.record_data.write(w)
    }
}

/// One object of FC 43 / MEI 14 (Read Device Identification). In JSON:
/// `{"object_id", "value": hex, "text": the value when it is printable ASCII}`
/// ([`DeviceObject`] borrowed, [`DeviceObjectRepr`] owned).
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Deserialize))]
#[cfg_attr(
    feature = "serde",
    serde(bound(deserialize = "S::Bytes: serde::Deserialize<'de>"))
)]
pub struct DeviceObjectOf<S: Storage> {
    /// Object id (0 vendor name, 1 product code, 2 revision, 3 vendor url, ...).
    pub object_id: u8,
    /// The object value (hex in JSON; the basic objects are ASCII strings).
    pub value: S::Bytes,
}

view_and_repr!(
    DeviceObject,
    DeviceObjectOf,
    DeviceObjectRepr,
    "FC 43/14 object"
);

impl<'a> Record<'a> for DeviceObject<'a> {
    fn read(c: &mut Cursor<'a>) -> Result<Self, Error> {
        let object_id = c.read_u8()?;
        let len = usize::from(c.read_u8()?);
        Ok(DeviceObject {
            object_id,
            value: Bytes::new(c.take(len)?),
        })
    }
}

impl<S: Storage> WriteRecord for DeviceObjectOf<S> {
    fn wire_len(&self) -> usize {
        self.value.len().saturating_add(2)
    }
    fn write(&self, w: &mut Writer<'_>) -> Result<(), EncodeError> {
        let len = u8::try_from(self.value.len())
            .map_err(|_| invalid("object value", "at most 255 bytes"))?;
        w.write_u8(self.object_id)?;
        w.write_u8(len)?;
        w.write_bytes(self.value.bytes())
    }
}

fn reference_type(c: &mut Cursor<'_>) -> Result<(), Error> {
    if c.read_u8()? != limits::FILE_REFERENCE_TYPE {
        return Err(Error::malformed("reference_type", "must be 6"));
    }
    Ok(())
}

fn record_number(v: u16) -> Result<u16, Error> {
    if v > limits::FILE_RECORD_NUMBER {
        return Err(Error::Quantity {
            field: "record_number",
            min: 0,
            max: limits::FILE_RECORD_NUMBER,
            actual: v,
        });
    }
    Ok(v)
}

#[cfg(feature = "alloc")]
mod owned {
    use super::*;
    use crate::storage::ToRepr;

    impl ToRepr for FileRecord<'_> {
        type Repr = FileRecordRepr;
        fn to_repr(&self) -> FileRecordRepr {
            FileRecordOf {
                file_number: self.file_number,
                record_number: self.record_number,
                record_data: self.record_data.to_repr(),
            }
        }
    }

    impl ToRepr for FileSubResponse<'_> {
        type Repr = FileSubResponseRepr;
        fn to_repr(&self) -> FileSubResponseRepr {
            FileSubResponseOf {
                record_data: self.record_data.to_repr(),
            }
        }
    }

    impl ToRepr for DeviceObject<'_> {
        type Repr = DeviceObjectRepr;
        fn to_repr(&self) -> DeviceObjectRepr {
            DeviceObjectOf {
                object_id: self.object_id,
                value: self.value.to_repr(),
            }
        }
    }
}
