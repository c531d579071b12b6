//! Encoding APDUs and EPSEMs.

use super::*;
use crate::ber;
use meterwire_core::{Encode, EncodeError, Writer};

/// The fields of an APDU, for encoding (all borrowed).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ApduRepr<'a> {
    /// Application context OID content (`A1`).
    pub context: Option<&'a [u8]>,
    /// `A2`.
    pub called_ap_title: Option<ApTitle<'a>>,
    /// `A4`.
    pub called_ap_invocation_id: Option<u32>,
    /// `A6`.
    pub calling_ap_title: Option<ApTitle<'a>>,
    /// `A7`.
    pub calling_ae_qualifier: Option<u32>,
    /// `A8`.
    pub calling_ap_invocation_id: Option<u32>,
    /// Mechanism name OID content (`8B`).
    pub mechanism_name: Option<&'a [u8]>,
    /// `AC`.
    pub auth_value: Option<AuthValue<'a>>,
    /// The EPSEM.
    pub epsem: EpsemRepr<'a>,
}

/// The fields of an EPSEM, for encoding.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct EpsemRepr<'a> {
    /// Control byte (the ED-class bit is set when `ed_class` is `Some`).
    pub control: u8,
    /// ED class.
    pub ed_class: Option<[u8; 4]>,
    /// The service list: `<length><service>` items as on the wire (see [`write_services`]).
    pub services: &'a [u8],
    /// MAC (written when the security mode has one; zeros if `None`).
    pub mac: Option<[u8; 4]>,
}

/// Writes `<BER length><service>` for each service into `out`; returns the length.
pub fn write_services(services: &[&dyn Encode], out: &mut [u8]) -> Result<usize, EncodeError> {
    let mut w = Writer::new(out);
    for s in services {
        let n = s.encoded_len();
        ber::write_length(&mut w, n)?;
        let dst = w.reserve(n)?;
        s.encode(dst)?;
    }
    Ok(w.position())
}

impl<'a> EpsemRepr<'a> {
    fn control_byte(&self) -> u8 {
        if self.ed_class.is_some() {
            self.control | epsem_control::ED_CLASS_INCLUDED
        } else {
            self.control
        }
    }
    fn has_mac(&self) -> bool {
        SecurityMode::from_bits(self.control >> 2).has_mac()
    }
    /// Encoded length.
    pub fn len(&self) -> usize {
        1usize
            .saturating_add(if self.ed_class.is_some() {
                ED_CLASS_LEN
            } else {
                0
            })
            .saturating_add(self.services.len())
            .saturating_add(if self.has_mac() { MAC_LEN } else { 0 })
    }
    /// Always false (the control byte is always there).
    pub fn is_empty(&self) -> bool {
        false
    }
    fn write(&self, w: &mut Writer<'_>) -> Result<(), EncodeError> {
        w.write_u8(self.control_byte())?;
        if let Some(ed) = self.ed_class {
            w.write_bytes(&ed)?;
        }
        w.write_bytes(self.services)?;
        if self.has_mac() {
            w.write_bytes(&self.mac.unwrap_or([0; 4]))?;
        }
        Ok(())
    }
    /// From an EPSEM view. For security mode 2 the ED class is inside the ciphertext:
    /// `ed_class` is `None` and `services` holds the whole ciphertext.
    pub fn parse(e: &Epsem<'a>) -> Self {
        let payload = e.payload();
        if e.security_mode() == SecurityMode::Encrypted {
            return EpsemRepr {
                control: e.control(),
                ed_class: None,
                services: payload,
                mac: e.mac(),
            };
        }
        let services = if e.ed_class_included() {
            payload.get(ED_CLASS_LEN..).unwrap_or(&[])
        } else {
            payload
        };
        EpsemRepr {
            control: e.control(),
            ed_class: ed_class_of(e.control(), payload),
            services,
            mac: e.mac(),
        }
    }
}

fn wrapped_uint_len(v: u32) -> usize {
    ber::tlv_len(ber::uint_bytes(v).1)
}

impl<'a> ApduRepr<'a> {
    /// From a parsed APDU (for mode 2 the `services` are the ciphertext bytes).
    pub fn parse(a: &Apdu<'a>) -> Self {
        ApduRepr {
            context: a.context().map(|o| o.content()),
            called_ap_title: a.called_ap_title(),
            called_ap_invocation_id: a.called_ap_invocation_id(),
            calling_ap_title: a.calling_ap_title(),
            calling_ae_qualifier: a.calling_ae_qualifier(),
            calling_ap_invocation_id: a.calling_ap_invocation_id(),
            mechanism_name: a.mechanism_name().map(|o| o.content()),
            auth_value: a.auth_value(),
            epsem: EpsemRepr::parse(&a.epsem()),
        }
    }

    fn user_info_lens(&self) -> (usize, usize, usize) {
        let l3 = self.epsem.len();
        let l2 = ber::tlv_len(l3);
        let l1 = ber::tlv_len(l2);
        (l1, l2, l3)
    }

    fn content_len(&self) -> usize {
        let mut n = 0usize;
        if let Some(c) = self.context {
            n = n.saturating_add(ber::tlv_len(ber::tlv_len(c.len())));
        }
        if let Some(t) = &self.called_ap_title {
            n = n.saturating_add(ber::tlv_len(t.encoded_len()));
        }
        if let Some(v) = self.called_ap_invocation_id {
            n = n.saturating_add(ber::tlv_len(wrapped_uint_len(v)));
        }
        if let Some(t) = &self.calling_ap_title {
            n = n.saturating_add(ber::tlv_len(t.encoded_len()));
        }
        if let Some(v) = self.calling_ae_qualifier {
            n = n.saturating_add(ber::tlv_len(wrapped_uint_len(v)));
        }
        if let Some(v) = self.calling_ap_invocation_id {
            n = n.saturating_add(ber::tlv_len(wrapped_uint_len(v)));
        }
        if let Some(m) = self.mechanism_name {
            n = n.saturating_add(ber::tlv_len(m.len()));
        }
        if let Some(av) = &self.auth_value {
            n = n.saturating_add(ber::tlv_len(av.content_len()));
        }
        n.saturating_add(ber::tlv_len(self.user_info_lens().0))
    }

    fn write_title_elem(w: &mut Writer<'_>, t: u8, title: &ApTitle<'_>) -> Result<(), EncodeError> {
        w.write_u8(t)?;
        ber::write_length(w, title.encoded_len())?;
        title.write(w)
    }
    fn write_uint_elem(w: &mut Writer<'_>, t: u8, v: u32) -> Result<(), EncodeError> {
        let (b, l) = ber::uint_bytes(v);
        w.write_u8(t)?;
        ber::write_length(w, ber::tlv_len(l))?;
        ber::write_tlv(w, tag::INTEGER, b.get(..l).unwrap_or(&[]))
    }
}

impl Encode for ApduRepr<'_> {
    fn encoded_len(&self) -> usize {
        ber::tlv_len(self.content_len())
    }

    fn encode(&self, out: &mut [u8]) -> Result<usize, EncodeError> {
        let bad = |field| EncodeError::Invalid {
            field,
            reason: "not a valid ber oid",
        };
        if let Some(c) = self.context {
            ber::check_oid(c, false).map_err(|_| bad("context"))?;
        }
        if let Some(m) = self.mechanism_name {
            ber::check_oid(m, false).map_err(|_| bad("mechanism name"))?;
        }
        for t in [&self.called_ap_title, &self.calling_ap_title]
            .into_iter()
            .flatten()
        {
            ber::check_oid(t.content(), t.is_relative()).map_err(|_| bad("ap title"))?;
        }
        if self.auth_value.is_some_and(|a| a.iv.len() > 16) {
            return Err(EncodeError::Invalid {
                field: "iv",
                reason: "at most 16 bytes",
            });
        }
        let mut w = Writer::new(out);
        w.write_u8(APDU_TAG)?;
        ber::write_length(&mut w, self.content_len())?;
        if let Some(c) = self.context {
            w.write_u8(tag::CONTEXT)?;
            ber::write_length(&mut w, ber::tlv_len(c.len()))?;
            ber::write_tlv(&mut w, tag::OID, c)?;
        }
        if let Some(t) = &self.called_ap_title {
            Self::write_title_elem(&mut w, tag::CALLED_AP_TITLE, t)?;
        }
        if let Some(v) = self.called_ap_invocation_id {
            Self::write_uint_elem(&mut w, tag::CALLED_AP_INVOCATION_ID, v)?;
        }
        if let Some(t) = &self.calling_ap_title {
            Self::write_title_elem(&mut w, tag::CALLING_AP_TITLE, t)?;
        }
        if let Some(v) = self.calling_ae_qualifier {
            Self::write_uint_elem(&mut w, tag::CALLING_AE_QUALIFIER, v)?;
        }
        if let Some(v) = self.calling_ap_invocation_id {
            Self::write_uint_elem(&mut w, tag::CALLING_AP_INVOCATION_ID, v)?;
        }
        if let Some(m) = self.mechanism_name {
            ber::write_tlv(&mut w, tag::MECHANISM_NAME, m)?;
        }
        if let Some(av) = &self.auth_value {
            w.write_u8(tag::CALLING_AUTH_VALUE)?;
            ber::write_length(&mut w, av.content_len())?;
            av.write_content(&mut w)?;
        }
        let (l1, l2, l3) = self.user_info_lens();
        w.write_u8(tag::USER_INFORMATION)?;
        ber::write_length(&mut w, l1)?;
        w.write_u8(0x28)?;
        ber::write_length(&mut w, l2)?;
        w.write_u8(0x81)?;
        ber::write_length(&mut w, l3)?;
        self.epsem.write(&mut w)?;
        Ok(w.position())
    }
}
