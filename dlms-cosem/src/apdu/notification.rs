//! Notifications and transfer APDUs (IEC 62056-5-3 9.5): event-notification-request,
//! data-notification (with the tagged date-time some meters send), exception-response
//! and general-block-transfer.

use super::common::*;
use super::xdlms::tags;
use crate::axdr::Data;
use crate::error::Result;
use crate::util::{Sink, read_octets};
use meterwire_core::{Cursor, EncodeError};

/// EventNotificationRequest (0xC2).
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct EventNotification<'a> {
    /// Optional time (octet string, usually a 12-byte date-time).
    #[cfg_attr(
        feature = "serde",
        serde(serialize_with = "crate::util::hex_serde::opt")
    )]
    pub time: Option<&'a [u8]>,
    /// The attribute.
    #[cfg_attr(feature = "serde", serde(flatten))]
    pub attribute: AttributeDescriptor,
    /// Its value.
    pub data: Data<'a>,
}

impl<'a> EventNotification<'a> {
    pub(crate) fn read(c: &mut Cursor<'a>) -> Result<Self> {
        let time = if read_optional(c, "event-notification time")? {
            Some(read_octets(c)?)
        } else {
            None
        };
        Ok(EventNotification {
            time,
            attribute: AttributeDescriptor::read(c)?,
            data: Data::read(c)?,
        })
    }
    pub(crate) fn emit<S: Sink>(&self, s: &mut S) -> Result<(), EncodeError> {
        s.put_u8(tags::EVENT_NOTIFICATION)?;
        emit_optional(s, self.time, |s, t| s.put_octets(t))?;
        self.attribute.emit_item(s)?;
        self.data.write(s)
    }
}

/// Long-Invoke-Id-And-Priority of data-notification: id (bits 0-23), self-descriptive
/// (bit 28), processing option (bit 29), service class (bit 30), priority (bit 31).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct LongInvokeIdAndPriority(pub u32);

impl LongInvokeIdAndPriority {
    /// Invoke id (24 bits).
    pub const fn invoke_id(self) -> u32 {
        self.0 & 0x00FF_FFFF
    }
    crate::util::flag_bits! {
        /// Confirmed service class (bit 30).
        confirmed = 0x4000_0000;
        /// High priority (bit 31).
        high_priority = 0x8000_0000;
        /// Break on error (bit 29).
        break_on_error = 0x2000_0000;
        /// Self-descriptive (bit 28).
        self_descriptive = 0x1000_0000;
    }
}

/// Data-Notification (0x0F): a push.
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct DataNotification<'a> {
    /// Long invoke id and priority.
    #[cfg_attr(feature = "serde", serde(flatten))]
    pub invoke: LongInvokeIdAndPriority,
    /// The date-time octet string (empty when not sent).
    #[cfg_attr(feature = "serde", serde(serialize_with = "ser_dt_octets"))]
    pub date_time: &'a [u8],
    /// How the date-time was encoded on the wire (the standard form, or the
    /// tagged octet-string some meters send); the encoder always writes the standard form.
    #[cfg_attr(feature = "serde", serde(skip))]
    pub date_time_form: DateTimeForm,
    /// The notification body.
    pub data: Data<'a>,
}

/// How a data-notification's date-time was encoded.
///
/// IEC 62056-5-3 9.5 (`Data-Notification-Request ::= SEQUENCE { long-invoke-id-and-priority,
/// date-time OCTET STRING, notification-body }`): A-XDR writes the length and the bytes
/// (`0C` + 12 bytes, or `00` when absent). Norwegian/Swedish Kaifa MA304/MA105 meters
/// and older Kamstrup firmware send it as a tagged `Data` octet-string (`09 0C` + 12
/// bytes); that form is accepted and reported as a [`DiagnosticKind::VendorQuirk`].
/// A missing date-time sent as null-data (`00`) is byte-identical to the standard empty
/// octet string, so it needs no diagnostic.
///
/// [`DiagnosticKind::VendorQuirk`]: meterwire_core::DiagnosticKind::VendorQuirk
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum DateTimeForm {
    /// `OCTET STRING` as the standard writes it (length + bytes).
    #[default]
    Standard,
    /// `09 0C` + 12 bytes: a tagged A-XDR octet-string (vendor quirk).
    TaggedOctetString,
}

meterwire_core::diagnostics! {
    /// The diagnostic of a tagged date-time.
    pub TAGGED_DATE_TIME = VendorQuirk, "data-notification date-time", "sent as a tagged octet-string (09 0c), not as a plain octet string";
}

#[cfg(feature = "serde")]
fn ser_dt_octets<S: serde::Serializer>(v: &&[u8], s: S) -> core::result::Result<S::Ok, S::Error> {
    match crate::axdr::DateTime::from_octets(v) {
        Some(dt) if !v.is_empty() => serde::Serialize::serialize(&Data::DateTime(dt), s),
        _ if v.is_empty() => s.serialize_none(),
        _ => crate::util::hex_serde::bytes(v, s),
    }
}

impl<'a> DataNotification<'a> {
    pub(crate) fn read(c: &mut Cursor<'a>) -> Result<Self> {
        Self::read_with(c, Data::read)
    }

    /// Parses a whole data-notification APDU (tag `0x0F` first, nothing after it) and
    /// hands every value of its body to `v` as it is decoded: one pass over the body,
    /// where [`Apdu::parse`](super::Apdu::parse) validates it and a walk reads it again.
    /// The same checks and the same errors as `Apdu::parse` (see
    /// [`Data::parse_visit_prefix`]: values before an error have already been visited);
    /// any other APDU tag is `Unsupported { field: "data-notification tag" }`.
    pub fn parse_visit<V: crate::axdr::Visit<'a>>(apdu: &'a [u8], v: &mut V) -> Result<Self> {
        let mut c = Cursor::new(apdu);
        let tag = c.read_u8()?;
        if tag != tags::DATA_NOTIFICATION {
            return Err(crate::Error::unsupported(
                "data-notification tag",
                u32::from(tag),
            ));
        }
        let n = Self::read_with(&mut c, |c| {
            let (d, used) = Data::parse_visit_prefix(c.rest(), v)?;
            c.skip(used)?;
            Ok(d)
        })?;
        if !c.is_empty() {
            return Err(crate::Error::length("apdu", c.position(), apdu.len()));
        }
        Ok(n)
    }

    fn read_with(
        c: &mut Cursor<'a>,
        data: impl FnOnce(&mut Cursor<'a>) -> Result<Data<'a>>,
    ) -> Result<Self> {
        let invoke = LongInvokeIdAndPriority(c.read_u32_be()?);
        // `09 0C`: a 9-byte date-time cannot be one (the field holds 12 bytes or none),
        // so these two bytes are the tag and length of a Data octet-string.
        let (date_time, date_time_form) = if c.rest().starts_with(&[0x09, 0x0C]) {
            c.skip(2)?;
            (c.take(12)?, DateTimeForm::TaggedOctetString)
        } else {
            (read_octets(c)?, DateTimeForm::Standard)
        };
        Ok(DataNotification {
            invoke,
            date_time,
            date_time_form,
            data: data(c)?,
        })
    }

    /// Departures from the standard (a tagged date-time).
    pub fn diagnostics(&self) -> impl Iterator<Item = meterwire_core::Diagnostic> + use<> {
        (self.date_time_form == DateTimeForm::TaggedOctetString)
            .then_some(TAGGED_DATE_TIME)
            .into_iter()
    }
    pub(crate) fn emit<S: Sink>(&self, s: &mut S) -> Result<(), EncodeError> {
        s.put_u8(tags::DATA_NOTIFICATION)?;
        s.put_u32(self.invoke.0)?;
        s.put_octets(self.date_time)?;
        self.data.write(s)
    }
    /// The date-time, when one is present and well formed.
    pub fn date_time(&self) -> Option<crate::axdr::DateTime> {
        crate::axdr::DateTime::from_octets(self.date_time)
    }
}

/// Exception-Response (0xD8).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct ExceptionResponse {
    /// state-error: 1 service-not-allowed, 2 service-unknown.
    pub state_error: u8,
    /// service-error CHOICE: 1 operation-not-possible, 2 service-not-supported,
    /// 3 other-reason, 4 pdu-too-long, 5 deciphering-error, 6 invocation-counter-error.
    pub service_error: u8,
    /// invocation-counter-error carries the expected counter (u32); absent otherwise.
    pub invocation_counter: Option<u32>,
}

impl ExceptionResponse {
    pub(crate) fn read(c: &mut Cursor<'_>) -> Result<Self> {
        let state_error = c.read_u8()?;
        let service_error = c.read_u8()?;
        let invocation_counter = if service_error == 6 && c.remaining() >= 4 {
            Some(c.read_u32_be()?)
        } else {
            None
        };
        Ok(ExceptionResponse {
            state_error,
            service_error,
            invocation_counter,
        })
    }
    pub(crate) fn emit<S: Sink>(&self, s: &mut S) -> Result<(), EncodeError> {
        s.put(&[
            tags::EXCEPTION_RESPONSE,
            self.state_error,
            self.service_error,
        ])?;
        if let Some(ic) = self.invocation_counter {
            s.put_u32(ic)?;
        }
        Ok(())
    }
}

/// General-Block-Transfer (0xE0).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct GeneralBlockTransfer<'a> {
    /// Block control: bit 7 last block, bit 6 streaming, bits 0-5 window.
    pub block_control: u8,
    /// Block number.
    pub block_number: u16,
    /// Block number acknowledged.
    pub block_number_ack: u16,
    /// The block.
    #[cfg_attr(
        feature = "serde",
        serde(serialize_with = "crate::util::hex_serde::bytes")
    )]
    pub block_data: &'a [u8],
}

impl<'a> GeneralBlockTransfer<'a> {
    /// Last block flag.
    pub const fn last_block(&self) -> bool {
        self.block_control & 0x80 != 0
    }
    /// Streaming flag.
    pub const fn streaming(&self) -> bool {
        self.block_control & 0x40 != 0
    }
    /// Window size.
    pub const fn window(&self) -> u8 {
        self.block_control & 0x3F
    }
    pub(crate) fn read(c: &mut Cursor<'a>) -> Result<Self> {
        Ok(GeneralBlockTransfer {
            block_control: c.read_u8()?,
            block_number: c.read_u16_be()?,
            block_number_ack: c.read_u16_be()?,
            block_data: read_octets(c)?,
        })
    }
    pub(crate) fn emit<S: Sink>(&self, s: &mut S) -> Result<(), EncodeError> {
        s.put_u8(tags::GENERAL_BLOCK_TRANSFER)?;
        s.put_u8(self.block_control)?;
        s.put_u16(self.block_number)?;
        s.put_u16(self.block_number_ack)?;
        s.put_octets(self.block_data)
    }
}
