//! Building blocks shared by the xDLMS services (IEC 62056-5-3 clause 9.5 ASN.1):
//! invoke-id-and-priority, COSEM attribute/method descriptors, selective access,
//! data blocks, results, and lazily walked lists.

use crate::axdr::Data;
use crate::error::{Error, Result};
use crate::obis::Obis;
use crate::util::{Sink, read_len, read_octets};
use core::marker::PhantomData;
use meterwire_core::{Cursor, EncodeError};

/// A value that can be read from and written to A-XDR (a list element).
pub trait Item<'a>: Sized {
    /// Reads one.
    fn read(c: &mut Cursor<'a>) -> Result<Self>;
    /// Writes one.
    #[doc(hidden)]
    fn emit_item<S: Sink>(&self, s: &mut S) -> Result<(), EncodeError>;
}

/// Invoke-Id-And-Priority: invoke id (bits 0-3), service class (bit 6), priority (bit 7).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct InvokeIdAndPriority(pub u8);

impl InvokeIdAndPriority {
    /// From parts.
    pub const fn new(invoke_id: u8, confirmed: bool, high_priority: bool) -> Self {
        InvokeIdAndPriority(
            (invoke_id & 0x0F)
                | if confirmed { 0x40 } else { 0 }
                | if high_priority { 0x80 } else { 0 },
        )
    }
    /// Invoke id 0..=15.
    pub const fn invoke_id(self) -> u8 {
        self.0 & 0x0F
    }
    crate::util::flag_bits! {
        /// Service class: confirmed (bit 6).
        confirmed = 0x40;
        /// Priority: high (bit 7).
        high_priority = 0x80;
    }
}

/// The JSON form of both invoke-id-and-priority fields (this one and data-notification's
/// long one): `{"invoke_id", "priority": "high"|"normal", "service_class":
/// "confirmed"|"unconfirmed"}`.
#[cfg(feature = "serde")]
macro_rules! serialize_invoke {
    ($($t:ty),+) => {$(
        impl serde::Serialize for $t {
            fn serialize<S: serde::Serializer>(
                &self,
                s: S,
            ) -> core::result::Result<S::Ok, S::Error> {
                use serde::ser::SerializeMap;
                let mut m = s.serialize_map(Some(3))?;
                m.serialize_entry("invoke_id", &self.invoke_id())?;
                let priority = if self.high_priority() { "high" } else { "normal" };
                m.serialize_entry("priority", priority)?;
                let class = if self.confirmed() { "confirmed" } else { "unconfirmed" };
                m.serialize_entry("service_class", class)?;
                m.end()
            }
        }
    )+};
}
#[cfg(feature = "serde")]
serialize_invoke!(
    InvokeIdAndPriority,
    super::notification::LongInvokeIdAndPriority
);

/// Cosem-Attribute-Descriptor: class id, OBIS instance id, attribute id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct AttributeDescriptor {
    /// Interface class id (e.g. 3 register, 7 profile generic, 8 clock).
    pub class_id: u16,
    /// Logical name.
    pub obis: Obis,
    /// Attribute index (negative = manufacturer specific).
    pub attribute_id: i8,
}

/// Cosem-Method-Descriptor: class id, OBIS instance id, method id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct MethodDescriptor {
    /// Interface class id.
    pub class_id: u16,
    /// Logical name.
    pub obis: Obis,
    /// Method index.
    pub method_id: i8,
}

fn read_obis(c: &mut Cursor<'_>) -> Result<Obis> {
    Ok(Obis(c.read_array()?))
}

/// `Item` for the descriptors: class id (u16), logical name, then the index field.
macro_rules! descriptor_item {
    ($($T:ident . $index:ident),+) => {$(
        impl<'a> Item<'a> for $T {
            fn read(c: &mut Cursor<'a>) -> Result<Self> {
                Ok($T {
                    class_id: c.read_u16_be()?,
                    obis: read_obis(c)?,
                    $index: c.read_u8()? as i8,
                })
            }
            fn emit_item<S: Sink>(&self, s: &mut S) -> Result<(), EncodeError> {
                s.put_u16(self.class_id)?;
                s.put(&self.obis.0)?;
                s.put_u8(self.$index as u8)
            }
        }
    )+};
}
descriptor_item!(AttributeDescriptor.attribute_id, MethodDescriptor.method_id);

impl<'a> Item<'a> for Data<'a> {
    fn read(c: &mut Cursor<'a>) -> Result<Self> {
        Data::read(c)
    }
    fn emit_item<S: Sink>(&self, s: &mut S) -> Result<(), EncodeError> {
        self.write(s)
    }
}

/// Selective-Access-Descriptor: access selector and its parameters.
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct SelectiveAccess<'a> {
    /// Access selector (profile generic: 1 range, 2 entry).
    pub selector: u8,
    /// The access parameters.
    pub parameters: Data<'a>,
}

/// Cosem-Attribute-Descriptor-With-Selection.
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct AttributeWithSelection<'a> {
    /// The attribute.
    #[cfg_attr(feature = "serde", serde(flatten))]
    pub descriptor: AttributeDescriptor,
    /// Optional selective access.
    #[cfg_attr(feature = "serde", serde(skip_serializing_if = "Option::is_none"))]
    pub access: Option<SelectiveAccess<'a>>,
}

/// Writes an A-XDR OPTIONAL: 0, or 1 then the value.
pub(crate) fn emit_optional<S: Sink, T>(
    s: &mut S,
    v: Option<T>,
    emit: impl FnOnce(&mut S, T) -> Result<(), EncodeError>,
) -> Result<(), EncodeError> {
    match v {
        None => s.put_u8(0),
        Some(v) => {
            s.put_u8(1)?;
            emit(s, v)
        }
    }
}

/// Reads the A-XDR OPTIONAL flag.
pub(crate) fn read_optional(c: &mut Cursor<'_>, field: &'static str) -> Result<bool> {
    match c.read_u8()? {
        0 => Ok(false),
        1 => Ok(true),
        _ => Err(Error::malformed(field, "optional flag must be 0 or 1")),
    }
}

impl<'a> Item<'a> for AttributeWithSelection<'a> {
    fn read(c: &mut Cursor<'a>) -> Result<Self> {
        let descriptor = AttributeDescriptor::read(c)?;
        let access = if read_optional(c, "selective access")? {
            Some(SelectiveAccess {
                selector: c.read_u8()?,
                parameters: Data::read(c)?,
            })
        } else {
            None
        };
        Ok(AttributeWithSelection { descriptor, access })
    }
    fn emit_item<S: Sink>(&self, s: &mut S) -> Result<(), EncodeError> {
        self.descriptor.emit_item(s)?;
        emit_optional(s, self.access.as_ref(), |s, a| {
            s.put_u8(a.selector)?;
            a.parameters.write(s)
        })
    }
}

/// Data-Access-Result (and Action-Result, which shares most codes).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct AccessResult(pub u8);

impl AccessResult {
    /// success (0)
    pub const SUCCESS: AccessResult = AccessResult(0);
    /// The standard name, e.g. "object-undefined".
    pub const fn name(self) -> &'static str {
        match self.0 {
            0 => "success",
            1 => "hardware-fault",
            2 => "temporary-failure",
            3 => "read-write-denied",
            4 => "object-undefined",
            9 => "object-class-inconsistent",
            11 => "object-unavailable",
            12 => "type-unmatched",
            13 => "scope-of-access-violated",
            14 => "data-block-unavailable",
            15 => "long-get-aborted",
            16 => "no-long-get-in-progress",
            17 => "long-set-aborted",
            18 => "no-long-set-in-progress",
            19 => "data-block-number-invalid",
            250 => "other-reason",
            _ => "unknown",
        }
    }
}

#[cfg(feature = "serde")]
impl serde::Serialize for AccessResult {
    fn serialize<S: serde::Serializer>(&self, s: S) -> core::result::Result<S::Ok, S::Error> {
        if self.name() == "unknown" {
            s.serialize_u8(self.0)
        } else {
            s.serialize_str(self.name())
        }
    }
}

impl AccessResult {
    /// As the `[1]` alternative of a CHOICE (get-data-result, DataBlock-G result).
    fn emit_choice<S: Sink>(&self, s: &mut S) -> Result<(), EncodeError> {
        s.put(&[1, self.0])
    }
}

impl<'a> Item<'a> for AccessResult {
    fn read(c: &mut Cursor<'a>) -> Result<Self> {
        Ok(AccessResult(c.read_u8()?))
    }
    fn emit_item<S: Sink>(&self, s: &mut S) -> Result<(), EncodeError> {
        s.put_u8(self.0)
    }
}

/// Get-Data-Result: data or a data-access-result.
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
pub enum GetDataResult<'a> {
    /// `data [0]`
    Data(Data<'a>),
    /// `data-access-result [1]`
    #[cfg_attr(feature = "serde", serde(rename = "result"))]
    Error(AccessResult),
}

impl<'a> Item<'a> for GetDataResult<'a> {
    fn read(c: &mut Cursor<'a>) -> Result<Self> {
        match c.read_u8()? {
            0 => Ok(GetDataResult::Data(Data::read(c)?)),
            1 => Ok(GetDataResult::Error(AccessResult(c.read_u8()?))),
            v => Err(Error::unsupported("get-data-result choice", u32::from(v))),
        }
    }
    fn emit_item<S: Sink>(&self, s: &mut S) -> Result<(), EncodeError> {
        match self {
            GetDataResult::Data(d) => {
                s.put_u8(0)?;
                d.write(s)
            }
            GetDataResult::Error(r) => r.emit_choice(s),
        }
    }
}

/// Action-Response-With-Optional-Data.
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct ActionResult<'a> {
    /// Action-Result.
    pub result: AccessResult,
    /// Optional return parameters.
    #[cfg_attr(feature = "serde", serde(skip_serializing_if = "Option::is_none"))]
    pub return_parameters: Option<GetDataResult<'a>>,
}

impl<'a> Item<'a> for ActionResult<'a> {
    fn read(c: &mut Cursor<'a>) -> Result<Self> {
        let result = AccessResult(c.read_u8()?);
        let return_parameters = if read_optional(c, "return parameters")? {
            Some(GetDataResult::read(c)?)
        } else {
            None
        };
        Ok(ActionResult {
            result,
            return_parameters,
        })
    }
    fn emit_item<S: Sink>(&self, s: &mut S) -> Result<(), EncodeError> {
        s.put_u8(self.result.0)?;
        emit_optional(s, self.return_parameters.as_ref(), |s, r| r.emit_item(s))
    }
}

/// DataBlock-G (get-response-with-datablock).
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct DataBlockG<'a> {
    /// Last block.
    pub last_block: bool,
    /// Block number.
    pub block_number: u32,
    /// raw-data (the block) or a data-access-result.
    pub result: RawOrResult<'a>,
}

/// raw-data `[0]` or data-access-result `[1]`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
pub enum RawOrResult<'a> {
    /// A block of the encoded data.
    RawData(
        #[cfg_attr(
            feature = "serde",
            serde(serialize_with = "crate::util::hex_serde::bytes")
        )]
        &'a [u8],
    ),
    /// An error.
    Result(AccessResult),
}

fn read_bool(c: &mut Cursor<'_>) -> Result<bool> {
    Ok(c.read_u8()? != 0)
}

impl<'a> Item<'a> for DataBlockG<'a> {
    fn read(c: &mut Cursor<'a>) -> Result<Self> {
        let last_block = read_bool(c)?;
        let block_number = c.read_u32_be()?;
        let result = match c.read_u8()? {
            0 => RawOrResult::RawData(read_octets(c)?),
            1 => RawOrResult::Result(AccessResult(c.read_u8()?)),
            v => {
                return Err(Error::unsupported(
                    "datablock-g result choice",
                    u32::from(v),
                ));
            }
        };
        Ok(DataBlockG {
            last_block,
            block_number,
            result,
        })
    }
    fn emit_item<S: Sink>(&self, s: &mut S) -> Result<(), EncodeError> {
        s.put_u8(u8::from(self.last_block))?;
        s.put_u32(self.block_number)?;
        match self.result {
            RawOrResult::RawData(b) => {
                s.put_u8(0)?;
                s.put_octets(b)
            }
            RawOrResult::Result(r) => r.emit_choice(s),
        }
    }
}

/// DataBlock-SA (set and action data blocks).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct DataBlockSA<'a> {
    /// Last block.
    pub last_block: bool,
    /// Block number.
    pub block_number: u32,
    /// The block.
    #[cfg_attr(
        feature = "serde",
        serde(serialize_with = "crate::util::hex_serde::bytes")
    )]
    pub raw_data: &'a [u8],
}

impl<'a> Item<'a> for DataBlockSA<'a> {
    fn read(c: &mut Cursor<'a>) -> Result<Self> {
        Ok(DataBlockSA {
            last_block: read_bool(c)?,
            block_number: c.read_u32_be()?,
            raw_data: read_octets(c)?,
        })
    }
    fn emit_item<S: Sink>(&self, s: &mut S) -> Result<(), EncodeError> {
        s.put_u8(u8::from(self.last_block))?;
        s.put_u32(self.block_number)?;
        s.put_octets(self.raw_data)
    }
}

/// A SEQUENCE OF `T`: validated once, walked lazily.
#[derive(Debug, Clone, Copy)]
pub struct List<'a, T> {
    count: usize,
    raw: &'a [u8],
    _t: PhantomData<T>,
}

impl<'a, T: Item<'a>> PartialEq for List<'a, T> {
    fn eq(&self, o: &Self) -> bool {
        self.count == o.count && self.raw == o.raw
    }
}

impl<'a, T: Item<'a>> List<'a, T> {
    /// Reads `count` then `count` items.
    pub(crate) fn read(c: &mut Cursor<'a>) -> Result<Self> {
        let count = read_len(c)?;
        let start = c.rest();
        let before = c.position();
        for _ in 0..count {
            T::read(c)?;
        }
        let raw = start
            .get(..c.position().saturating_sub(before))
            .unwrap_or(&[]);
        Ok(List {
            count,
            raw,
            _t: PhantomData,
        })
    }

    /// A list over `count` items already encoded back to back in `raw` (validated).
    pub fn from_encoded(count: usize, raw: &'a [u8]) -> Result<Self> {
        let mut c = Cursor::new(raw);
        for _ in 0..count {
            T::read(&mut c)?;
        }
        if !c.is_empty() {
            return Err(Error::length("list", c.position(), raw.len()));
        }
        Ok(List {
            count,
            raw,
            _t: PhantomData,
        })
    }

    /// Number of items.
    pub fn len(&self) -> usize {
        self.count
    }
    /// `true` if empty.
    pub fn is_empty(&self) -> bool {
        self.count == 0
    }
    /// The encoded items.
    pub fn raw(&self) -> &'a [u8] {
        self.raw
    }
    /// Iterates the items.
    pub fn iter(&self) -> ListIter<'a, T> {
        ListIter {
            left: self.count,
            c: Cursor::new(self.raw),
            _t: PhantomData,
        }
    }

    pub(crate) fn emit<S: Sink>(&self, s: &mut S) -> Result<(), EncodeError> {
        s.put_len(self.count)?;
        s.put(self.raw)
    }
}

/// Iterator over a [`List`].
#[derive(Debug, Clone)]
pub struct ListIter<'a, T> {
    left: usize,
    c: Cursor<'a>,
    _t: PhantomData<T>,
}

impl<'a, T: Item<'a>> Iterator for ListIter<'a, T> {
    type Item = T;
    fn next(&mut self) -> Option<T> {
        self.left = self.left.checked_sub(1)?;
        match T::read(&mut self.c) {
            Ok(v) => Some(v),
            Err(_) => {
                self.left = 0;
                None
            }
        }
    }
}

#[cfg(feature = "serde")]
impl<'a, T: Item<'a> + serde::Serialize> serde::Serialize for List<'a, T> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> core::result::Result<S::Ok, S::Error> {
        use serde::ser::SerializeSeq;
        let mut q = s.serialize_seq(Some(self.count))?;
        for v in self.iter() {
            q.serialize_element(&v)?;
        }
        q.end()
    }
}
