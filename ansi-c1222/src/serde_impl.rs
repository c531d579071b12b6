//! `serde` support (feature `serde`): `Serialize` on the borrowed views, with the stable
//! snake_case JSON names the CLI prints.
//!
//! * C12.18 packet: `identity, control, toggle, multi_packet, first_packet, seq, length,
//!   crc, data, service`; ACK/NAK bytes: `{"link": "ack"|"nak"}`.
//! * C12.22 APDU: `context, called_ap_title, calling_ap_title, called_ap_invocation_id,
//!   calling_ap_invocation_id, ae_qualifier, mechanism_name, security_mode, key_id, iv,
//!   mac, epsem_control, ed_class, services` (+ `plaintext_hex` when decrypted, see
//!   [`ApduView`]).
//! * A service: `code, name, table_id, offset, count, data (hex), checksum_ok, user,
//!   user_id, seconds, ap_title, response_code` and, where they apply, `indices,
//!   session_idle_timeout, packet_size, nbr_packets, bauds, traffic, inter_char,
//!   resp_timeout, nbr_retries, error`.

use crate::c1218::{LinkFrame, Packet};
use crate::c1222::{ApTitle, Apdu, Epsem, SecurityMode, ServiceIter, ed_class_of, services_of};
use crate::psem::{
    Answered, Field, Message, Request, Response, Service, TableData, Variant, service_name,
};
#[cfg(feature = "alloc")]
use crate::stack::C1218Frame;
#[cfg(all(feature = "alloc", feature = "crypto"))]
use crate::stack::{C1222Frame, Decryption};
use core::fmt;
use meterwire_core::{Diagnostic, Diagnostics, Hex};
use serde::ser::{Serialize, SerializeMap, Serializer};

/// Text fields (user names): trailing spaces and NULs trimmed; hex when not UTF-8.
#[derive(Debug, Clone, Copy)]
pub struct Text<'a>(pub &'a [u8]);

impl Serialize for Text<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match core::str::from_utf8(self.0) {
            Ok(t) => s.serialize_str(t.trim_end_matches([' ', '\0'])),
            Err(_) => s.collect_str(&Hex(self.0)),
        }
    }
}

struct Disp<T>(T);
impl<T: fmt::Display> Serialize for Disp<T> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(&self.0)
    }
}

impl Serialize for ApTitle<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

fn ap_title_entry<M: SerializeMap>(m: &mut M, bytes: &[u8]) -> Result<(), M::Error> {
    match ApTitle::parse(bytes) {
        Ok(t) => m.serialize_entry("ap_title", &t),
        Err(_) => m.serialize_entry("data", &Hex(bytes)),
    }
}

impl Serialize for Request<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(None)?;
        request_fields(&mut m, self)?;
        m.end()
    }
}

fn request_fields<M: SerializeMap>(m: &mut M, r: &Request<'_>) -> Result<(), M::Error> {
    m.serialize_entry("code", &r.code())?;
    m.serialize_entry("name", r.name())?;
    r.with_fields(|fields| fields.iter().try_for_each(|f| field_entries(m, f)))
}

/// The JSON entries of one request field.
fn field_entries<M: SerializeMap>(m: &mut M, f: &Field<'_>) -> Result<(), M::Error> {
    match *f {
        Field::Table(t) => {
            m.serialize_entry("table_id", &t.0)?;
            m.serialize_entry("table", &Disp(t))
        }
        Field::Indices(i) => m.serialize_entry("indices", &IndicesSer(i)),
        Field::Offset(o) => m.serialize_entry("offset", &o),
        Field::U8(name, v) => m.serialize_entry(name, &v),
        Field::U16(name, v) => m.serialize_entry(name, &v),
        Field::OptU16(name, v) => entry_if(m, name, v),
        Field::Data(d) => table_data_entries(m, d),
        Field::Bytes(name, b) => m.serialize_entry(name, &Hex(b)),
        Field::Counted(b) => m.serialize_entry("data", &Hex(b)),
        Field::User(b) => m.serialize_entry("user", &Text(b)),
        Field::ApTitle(b) => ap_title_entry(m, b),
        Field::Register(r) => {
            m.serialize_entry("node_type", &r.node_type)?;
            m.serialize_entry("connection_type", &r.connection_type)?;
            m.serialize_entry("device_class", &ApTitle::Relative(&r.device_class))?;
            ap_title_entry(m, r.ap_title)?;
            m.serialize_entry("electronic_serial_number", &Hex(r.electronic_serial_number))?;
            m.serialize_entry("native_address", &Hex(r.native_address))?;
            m.serialize_entry("registration_period", &r.registration_period)?;
            if let Some(p) = r.my_domain_pattern {
                m.serialize_entry("my_domain_pattern", &Hex(p))?;
            }
            Ok(())
        }
    }
}

/// `count`, `data` (hex) and `checksum_ok` of table data.
fn table_data_entries<M: SerializeMap>(m: &mut M, d: TableData<'_>) -> Result<(), M::Error> {
    m.serialize_entry("count", &d.data.len())?;
    m.serialize_entry("data", &Hex(d.data))?;
    m.serialize_entry("checksum_ok", &d.checksum_ok())
}

struct IndicesSer<'a>(crate::psem::Indices<'a>);
impl Serialize for IndicesSer<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.0.iter())
    }
}

impl Serialize for Response<'_> {
    /// A response alone cannot tell which request it answers: an `ok` body shaped like
    /// a read response (`count data cksum`) is shown as one, any other body as `data`.
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(None)?;
        response_fields(&mut m, self, None)?;
        m.end()
    }
}

fn response_fields<M: SerializeMap>(
    m: &mut M,
    r: &Response<'_>,
    answers: Option<Answered>,
) -> Result<(), M::Error> {
    m.serialize_entry("code", &r.code())?;
    m.serialize_entry("name", service_name(r.code()))?;
    m.serialize_entry("response_code", r.response_code().abbreviation())?;
    if let Some(a) = answers {
        m.serialize_entry("answers", service_name(a.code))?;
        if let Some(t) = a.table {
            m.serialize_entry("table_id", &t)?;
        }
    }
    let typed = match answers {
        Some(a) if a.is_read() => r.read_data().ok(),
        Some(_) => None,
        None => r.guess_read_data(),
    };
    if let Some(d) = typed {
        table_data_entries(m, d)?;
    } else if !r.body().is_empty() {
        m.serialize_entry("data", &Hex(r.body()))?;
    }
    Ok(())
}

impl Serialize for Service<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Service::Request(r) => r.serialize(s),
            Service::Response(r) => r.serialize(s),
        }
    }
}

/// A message: its service's fields, `trailing` bytes and `diagnostics` when any.
impl Serialize for Message<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        Paired(*self, None).serialize(s)
    }
}

/// A message typed by the request it answers.
struct Paired<'a>(Message<'a>, Option<Answered>);
impl Serialize for Paired<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(None)?;
        match self.0.service {
            Service::Request(r) => request_fields(&mut m, &r)?,
            Service::Response(r) => response_fields(&mut m, &r, self.1)?,
        }
        if !self.0.trailing.is_empty() {
            m.serialize_entry("trailing", &Hex(self.0.trailing))?;
        }
        diagnostics_entry(&mut m, self.0.diagnostics())?;
        m.end()
    }
}

/// `"diagnostics": [..]` only when there is at least one.
pub(crate) fn diagnostics_entry<M: SerializeMap>(
    m: &mut M,
    d: impl Iterator<Item = Diagnostic>,
) -> Result<(), M::Error> {
    let mut list: Diagnostics<8> = Diagnostics::new();
    list.extend(d);
    if !list.is_empty() {
        m.serialize_entry("diagnostics", &list)?;
    }
    Ok(())
}

/// One service or the reason it could not be parsed.
struct ServiceOrError<'a>(&'a [u8], Variant);
impl Serialize for ServiceOrError<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match Message::parse(self.0, self.1) {
            Ok(sv) => sv.serialize(s),
            Err(e) => {
                let mut m = s.serialize_map(None)?;
                if let Some(&c) = self.0.first() {
                    m.serialize_entry("code", &c)?;
                    m.serialize_entry("name", service_name(c))?;
                }
                m.serialize_entry("data", &Hex(self.0))?;
                m.serialize_entry("error", &Disp(e))?;
                m.end()
            }
        }
    }
}

/// The services of a readable EPSEM payload.
struct Services<'a>(ServiceIter<'a>);
impl Serialize for Services<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.0.clone().map(EpsemItem))
    }
}

/// One item of an EPSEM service list: a service, or the error that ended the list.
struct EpsemItem<'a>(crate::Result<&'a [u8]>);
impl Serialize for EpsemItem<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self.0 {
            Ok(b) => ServiceOrError(b, Variant::C1222).serialize(s),
            Err(e) => ErrOnly(e).serialize(s),
        }
    }
}

struct ErrOnly(crate::Error);
impl Serialize for ErrOnly {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(Some(1))?;
        m.serialize_entry("error", &Disp(self.0))?;
        m.end()
    }
}

fn packet_fields<M: SerializeMap>(m: &mut M, p: &Packet<'_>) -> Result<(), M::Error> {
    m.serialize_entry("identity", &p.identity())?;
    m.serialize_entry("control", &p.control())?;
    m.serialize_entry("toggle", &p.toggle())?;
    m.serialize_entry("multi_packet", &p.multi_packet())?;
    m.serialize_entry("first_packet", &p.first_packet())?;
    m.serialize_entry("seq", &p.seq())?;
    m.serialize_entry("length", &p.length())?;
    m.serialize_entry("crc", &p.crc())?;
    m.serialize_entry("data", &Hex(p.data()))
}

#[cfg(feature = "alloc")]
impl Serialize for C1218Frame<'_> {
    /// Packet fields, `duplicate` (when true), `reassembled_length`, `service` (the PSEM
    /// message, a response typed by the request it answers; null for fragments) and
    /// `diagnostics` when any; ACK/NAK as `{"link": "ack"|"nak"}`.
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let LinkFrame::Packet(p) = &self.link else {
            return self.link.serialize(s);
        };
        let mut m = s.serialize_map(None)?;
        packet_fields(&mut m, p)?;
        if self.duplicate {
            m.serialize_entry("duplicate", &true)?;
        }
        if let Some(r) = self.reassembled() {
            m.serialize_entry("reassembled_length", &r.len())?;
        }
        match self.psem() {
            Some(msg) => m.serialize_entry("service", &Paired(msg, self.answers()))?,
            None => m.serialize_entry("service", &Option::<u8>::None)?,
        }
        diagnostics_entry(&mut m, self.diagnostics())?;
        m.end()
    }
}

impl Serialize for Packet<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(None)?;
        packet_fields(&mut m, self)?;
        if self.multi_packet() || self.data_format() != 0 {
            // a fragment of a multi-packet transmission: reassemble before parsing
            m.serialize_entry("service", &Option::<u8>::None)?;
        } else {
            m.serialize_entry("service", &ServiceOrError(self.data(), Variant::C1218))?;
        }
        diagnostics_entry(&mut m, self.diagnostics())?;
        m.end()
    }
}

impl Serialize for LinkFrame<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            LinkFrame::Packet(p) => p.serialize(s),
            LinkFrame::Ack | LinkFrame::Nak => {
                let mut m = s.serialize_map(Some(1))?;
                m.serialize_entry(
                    "link",
                    if matches!(self, LinkFrame::Ack) {
                        "ack"
                    } else {
                        "nak"
                    },
                )?;
                m.end()
            }
        }
    }
}

/// An APDU with, optionally, its verified/decrypted EPSEM payload (from
/// [`Apdu::decrypt_into`](crate::c1222::Apdu)). With a plaintext the JSON adds
/// `plaintext_hex` and lists the services of the plaintext.
#[derive(Debug, Clone, Copy)]
pub struct ApduView<'a, 'p> {
    /// The APDU.
    pub apdu: Apdu<'a>,
    /// The EPSEM after the control byte, without MAC, in the clear.
    pub plaintext: Option<&'p [u8]>,
}

/// Opens the map of an APDU with its header fields.
fn apdu_map<S: Serializer>(s: S, a: &Apdu<'_>) -> Result<S::SerializeMap, S::Error> {
    let e = a.epsem();
    let mut m = s.serialize_map(None)?;
    entry_if(&mut m, "context", a.context().map(Disp))?;
    entry_if(&mut m, "called_ap_title", a.called_ap_title())?;
    entry_if(&mut m, "calling_ap_title", a.calling_ap_title())?;
    entry_if(
        &mut m,
        "called_ap_invocation_id",
        a.called_ap_invocation_id(),
    )?;
    entry_if(
        &mut m,
        "calling_ap_invocation_id",
        a.calling_ap_invocation_id(),
    )?;
    entry_if(&mut m, "ae_qualifier", a.calling_ae_qualifier())?;
    entry_if(&mut m, "mechanism_name", a.mechanism_name().map(Disp))?;
    m.serialize_entry("security_mode", &e.security_mode().bits())?;
    if let Some(av) = a.auth_value() {
        m.serialize_entry("key_id", &av.key_id)?;
        m.serialize_entry("iv", &Hex(av.iv))?;
    }
    if let Some(mac) = e.mac() {
        m.serialize_entry("mac", &Hex(&mac))?;
    }
    m.serialize_entry("epsem_control", &e.control())?;
    Ok(m)
}

/// `key: value` when there is a value.
fn entry_if<M: SerializeMap, T: Serialize>(
    m: &mut M,
    key: &'static str,
    value: Option<T>,
) -> Result<(), M::Error> {
    value.map_or(Ok(()), |v| m.serialize_entry(key, &v))
}

/// `ed_class` and `services` of a readable EPSEM payload (the payload and its
/// service list), or `ciphertext` and no services.
fn payload_entries<M: SerializeMap, T: Serialize>(
    m: &mut M,
    e: &Epsem<'_>,
    readable: Option<(&[u8], T)>,
) -> Result<(), M::Error> {
    match readable {
        Some((p, services)) => {
            if let Some(ed) = ed_class_of(e.control(), p) {
                m.serialize_entry("ed_class", &Hex(&ed))?;
            }
            m.serialize_entry("services", &services)
        }
        None => {
            m.serialize_entry("ciphertext", &Hex(e.payload()))?;
            m.serialize_entry("services", &[(); 0])
        }
    }
}

#[cfg(all(feature = "alloc", feature = "crypto"))]
impl Serialize for C1222Frame<'_> {
    /// The APDU fields, `decryption`, `ed_class`, `services` (responses typed by the
    /// request they answer) or `ciphertext`, `plaintext_hex` when decrypted, and
    /// `diagnostics` when any.
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let a = &self.apdu;
        let e = a.epsem();
        let mut m = apdu_map(s, a)?;
        let dec = match self.decryption {
            Decryption::Cleartext => "cleartext",
            Decryption::Verified => "verified",
            Decryption::Decrypted => "decrypted",
            Decryption::NoKey { .. } => "no_key",
        };
        m.serialize_entry("decryption", dec)?;
        payload_entries(&mut m, &e, self.plaintext().map(|p| (p, PairedList(self))))?;
        if self.decryption == Decryption::Decrypted {
            if let Some(p) = self.plaintext() {
                m.serialize_entry("plaintext_hex", &Hex(p))?;
            }
        }
        diagnostics_entry(&mut m, self.diagnostics())?;
        m.end()
    }
}

#[cfg(all(feature = "alloc", feature = "crypto"))]
struct PairedList<'f, 'a>(&'f C1222Frame<'a>);
#[cfg(all(feature = "alloc", feature = "crypto"))]
impl Serialize for PairedList<'_, '_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let answers = self.0.answers();
        let paired = self
            .0
            .messages()
            .enumerate()
            .map(|(i, msg)| Paired(msg, answers.get(i).copied().flatten()));
        s.collect_seq(paired)
    }
}

impl Serialize for ApduView<'_, '_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let a = &self.apdu;
        let e = a.epsem();
        let mut m = apdu_map(s, a)?;
        let readable = match self.plaintext {
            Some(p) => Some(p),
            None if e.security_mode() != SecurityMode::Encrypted => Some(e.payload()),
            None => None,
        };
        let services = readable.map(|p| (p, Services(services_of(e.control(), p))));
        payload_entries(&mut m, &e, services)?;
        if let Some(p) = self.plaintext {
            m.serialize_entry("plaintext_hex", &Hex(p))?;
        }
        let plain = self
            .plaintext
            .map(|p| crate::c1222::owned(crate::c1222::payload_diagnostics(e.control(), p)));
        diagnostics_entry(&mut m, a.diagnostics().chain(plain.into_iter().flatten()))?;
        m.end()
    }
}

impl Serialize for Apdu<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        ApduView {
            apdu: *self,
            plaintext: None,
        }
        .serialize(s)
    }
}
