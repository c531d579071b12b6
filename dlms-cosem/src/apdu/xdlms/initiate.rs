//! The association's xDLMS part: conformance block, InitiateRequest, InitiateResponse
//! and ConfirmedServiceError (Green Book 9.4.6).

use super::*;
use crate::apdu::field::{Field, apdu_sequence};

/// The xDLMS conformance block (24 bits, Green Book 9.4.6.1), bits named.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Conformance(pub u32);

impl Conformance {
    /// Bit names, index 0 = most significant bit of the 24.
    pub const NAMES: [&'static str; 24] = [
        "reserved-zero",
        "general-protection",
        "general-block-transfer",
        "read",
        "write",
        "unconfirmed-write",
        "delta-value-encoding",
        "reserved-seven",
        "attribute0-supported-with-set",
        "priority-mgmt-supported",
        "attribute0-supported-with-get",
        "block-transfer-with-get-or-read",
        "block-transfer-with-set-or-write",
        "block-transfer-with-action",
        "multiple-references",
        "information-report",
        "data-notification",
        "access",
        "parameterized-access",
        "get",
        "set",
        "selective-access",
        "event-notification",
        "action",
    ];
    /// Whether bit `name` is set.
    pub fn has(self, name: &str) -> bool {
        self.names().any(|n| n == name)
    }
    /// Names of the set bits.
    pub fn names(self) -> impl Iterator<Item = &'static str> {
        Self::NAMES
            .iter()
            .enumerate()
            .filter(move |(i, _)| self.0 & (1u32 << 23u32.saturating_sub(*i as u32)) != 0)
            .map(|(_, n)| *n)
    }
    /// Reads the BER bit string `5F 1F 04 00 xx xx xx`.
    pub(crate) fn read(c: &mut Cursor<'_>) -> Result<Self> {
        if c.read_array::<2>()? != [0x5F, 0x1F] {
            return Err(Error::malformed("conformance", "expected tag 5f 1f"));
        }
        if c.read_u8()? != 4 {
            return Err(Error::malformed("conformance", "expected length 4"));
        }
        let _unused_bits = c.read_u8()?;
        Ok(Conformance(c.read_uint_be(3)? as u32))
    }
    pub(crate) fn emit<S: Sink>(&self, s: &mut S) -> Result<(), EncodeError> {
        let b = self.0.to_be_bytes();
        s.put(&[0x5F, 0x1F, 0x04, 0x00])?;
        s.put(b.get(1..).unwrap_or(&[]))
    }
}

#[cfg(feature = "serde")]
impl serde::Serialize for Conformance {
    fn serialize<S: serde::Serializer>(&self, s: S) -> core::result::Result<S::Ok, S::Error> {
        s.collect_seq(self.names())
    }
}

apdu_sequence! {
    /// InitiateRequest (0x01), the xDLMS part of an AARQ.
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    #[cfg_attr(feature = "serde", derive(serde::Serialize))]
    pub struct InitiateRequest<'a> = tags::INITIATE_REQUEST {
        /// Dedicated key (optional).
        #[serde(serialize_with = "crate::util::hex_serde::opt")]
        dedicated_key: Option<&'a [u8]> as "dedicated-key",
        /// response-allowed (default true; `None` = not sent).
        // BOOLEAN DEFAULT TRUE: A-XDR flag 0 = default, 1 = value follows
        response_allowed: Option<bool> as "response-allowed",
        /// proposed-quality-of-service (optional).
        proposed_quality_of_service: Option<i8> as "proposed-quality-of-service",
        /// proposed-dlms-version-number (6).
        proposed_dlms_version: u8,
        /// proposed-conformance.
        proposed_conformance: Conformance,
        /// client-max-receive-pdu-size.
        client_max_receive_pdu_size: u16,
    }
}

/// InitiateResponse (0x08), the xDLMS part of an AARE.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct InitiateResponse {
    /// negotiated-quality-of-service (optional).
    pub negotiated_quality_of_service: Option<i8>,
    /// negotiated-dlms-version-number.
    pub negotiated_dlms_version: u8,
    /// negotiated-conformance.
    pub negotiated_conformance: Conformance,
    /// server-max-receive-pdu-size.
    pub server_max_receive_pdu_size: u16,
    /// vaa-name (0x0007 for LN, 0xFA00 for SN).
    pub vaa_name: u16,
}

impl InitiateResponse {
    /// Always inlined: the 12-byte result came back through memory and was re-read in
    /// narrow pieces (a store-forwarding stall on every AARE).
    #[inline(always)]
    pub(crate) fn read(c: &mut Cursor<'_>) -> Result<Self> {
        Ok(InitiateResponse {
            negotiated_quality_of_service: Field::read_field(c, "negotiated-quality-of-service")?,
            negotiated_dlms_version: c.read_u8()?,
            negotiated_conformance: Conformance::read(c)?,
            server_max_receive_pdu_size: c.read_u16_be()?,
            vaa_name: c.read_u16_be()?,
        })
    }
    pub(crate) fn emit<S: Sink>(&self, s: &mut S) -> Result<(), EncodeError> {
        s.put_u8(tags::INITIATE_RESPONSE)?;
        self.negotiated_quality_of_service.emit_field(s)?;
        s.put_u8(self.negotiated_dlms_version)?;
        self.negotiated_conformance.emit(s)?;
        s.put_u16(self.server_max_receive_pdu_size)?;
        s.put_u16(self.vaa_name)
    }
}

apdu_sequence! {
    /// ConfirmedServiceError (0x0E).
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    #[cfg_attr(feature = "serde", derive(serde::Serialize))]
    pub struct ConfirmedServiceError = tags::CONFIRMED_SERVICE_ERROR {
        /// Which service failed: 1 initiateError, 2 getStatus, 3 getNameList,
        /// 4 getVariableAttribute, 5 read, 6 write, 7 getDataSetAttribute, 8 getTIAttribute,
        /// 9 changeScope, 10 start, 11 stop, 12 resume, 13 makeUsable, 14 initiateLoad,
        /// 15 loadSegment, 16 terminateLoad, 17 initiateUpLoad, 18 upLoadSegment,
        /// 19 terminateUpLoad.
        service: u8,
        /// ServiceError CHOICE: 0 application-reference, 1 hardware-resource,
        /// 2 vde-state-error, 3 service, 4 definition, 5 access, 6 initiate, 7 load-data-set,
        /// 8 change-scope, 9 task, 10 other.
        error_type: u8,
        /// The enumerated error value.
        value: u8,
    }
}
