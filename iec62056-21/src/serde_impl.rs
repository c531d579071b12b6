//! `Serialize` for the borrowed views (the JSON the CLI prints).

use serde::ser::{Serialize, SerializeMap, Serializer};

use crate::p1::{Line, Telegram};

use meterwire_core::ser::SeqWith as SeqOf;

impl Serialize for Line<'_> {
    /// `{"address","obis","name","value","unit","time","raw"}` (absent fields omitted).
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(None)?;
        m.serialize_entry("address", self.address())?;
        if let Some(r) = self.reading() {
            m.serialize_entry("obis", &r.obis)?;
            if let Some(n) = r.name() {
                m.serialize_entry("name", n)?;
            }
            let mut buf = [0u8; 512];
            match self.decoded_text(&mut buf) {
                Some(t) => m.serialize_entry("value", t)?,
                None => m.serialize_entry("value", &r.value)?,
            }
            if let Some(u) = r.unit {
                m.serialize_entry("unit", &u)?;
            }
        }
        if let Some(t) = self.time() {
            m.serialize_entry("time", &t)?;
        }
        m.serialize_entry("raw", self.text())?;
        m.end()
    }
}

impl Serialize for Telegram<'_> {
    /// `{"manufacturer","baud","identification","crc","lines":[…],"diagnostics":[…]}`;
    /// `crc` is omitted without one, `diagnostics` when there is none.
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(None)?;
        let h = self.header();
        m.serialize_entry("manufacturer", h.manufacturer())?;
        m.serialize_entry("baud", &char::from(h.baud_char()))?;
        m.serialize_entry("identification", h.identification())?;
        if let Some(c) = self.crc() {
            m.serialize_entry("crc", &format_args!("{c:04X}"))?;
        }
        m.serialize_entry("lines", &SeqOf(|| self.lines()))?;
        if self.diagnostics().next().is_some() {
            m.serialize_entry("diagnostics", &SeqOf(|| self.diagnostics()))?;
        }
        m.end()
    }
}

impl Serialize for crate::iec::Message<'_> {
    /// `{"type", …fields}`: request (address), identification (manufacturer, baud,
    /// enhanced, identification), option_select (protocol, baud, mode), ack, nak,
    /// readout / mode_d / answer (data, partial), command (command, data).
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use crate::iec::Message as M;
        let mut m = s.serialize_map(None)?;
        match self {
            M::Request { address } => {
                m.serialize_entry("type", "request")?;
                m.serialize_entry("address", address)?;
            }
            M::Identification(i) => {
                m.serialize_entry("type", "identification")?;
                m.serialize_entry("manufacturer", i.manufacturer())?;
                m.serialize_entry("baud", &char::from(i.baud_char()))?;
                m.serialize_entry("enhanced", i.enhanced())?;
                m.serialize_entry("mode_e", &i.mode_e())?;
                m.serialize_entry("identification", i.identification())?;
            }
            M::OptionSelect {
                protocol,
                baud,
                mode,
            } => {
                m.serialize_entry("type", "option_select")?;
                m.serialize_entry("protocol_control", &char::from(*protocol))?;
                m.serialize_entry("baud", &char::from(*baud))?;
                m.serialize_entry("mode", &char::from(*mode))?;
            }
            M::Ack => m.serialize_entry("type", "ack")?,
            M::Nak => m.serialize_entry("type", "nak")?,
            M::Readout(b) | M::ModeD(b) | M::Answer { data: b, .. } => {
                let t = match self {
                    M::Readout(_) => "readout",
                    M::ModeD(_) => "mode_d",
                    _ => "answer",
                };
                m.serialize_entry("type", t)?;
                m.serialize_entry("data", &SeqOf(|| b.data_sets().map(DataSetSer)))?;
                if let M::Answer { partial: true, .. } = self {
                    m.serialize_entry("partial", &true)?;
                }
            }
            M::Command { kind, digit, data } => {
                m.serialize_entry("type", "command")?;
                let letter = match kind {
                    crate::iec::CommandKind::Password => 'P',
                    crate::iec::CommandKind::Write => 'W',
                    crate::iec::CommandKind::Read => 'R',
                    crate::iec::CommandKind::Execute => 'E',
                    crate::iec::CommandKind::Break => 'B',
                };
                m.serialize_entry("command", &format_args!("{letter}{}", char::from(*digit)))?;
                if let Some(d) = data {
                    m.serialize_entry("data", d)?;
                }
            }
        }
        m.end()
    }
}

/// A data set, or the raw text of one that did not parse (`{"unrecognized": raw}`).
struct DataSetSer<'a>(Result<crate::dataset::DataSet<'a>, &'a str>);

impl Serialize for DataSetSer<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let d = match self.0 {
            Ok(d) => d,
            Err(raw) => {
                let mut m = s.serialize_map(Some(1))?;
                m.serialize_entry("unrecognized", raw)?;
                return m.end();
            }
        };
        let mut m = s.serialize_map(None)?;
        m.serialize_entry("address", d.address)?;
        if let Some(o) = d.obis() {
            m.serialize_entry("obis", &o)?;
        }
        m.serialize_entry(
            "values",
            &SeqOf(|| {
                d.groups().map(|g| {
                    let (v, u) = crate::p1::value::plain(g.value(), g.unit());
                    ValueSer(v, u, g.unit())
                })
            }),
        )?;
        m.end()
    }
}

struct ValueSer<'a>(
    meterwire_core::Value<'a>,
    Option<meterwire_core::Unit>,
    Option<&'a str>,
);

impl Serialize for ValueSer<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(None)?;
        m.serialize_entry("value", &self.0)?;
        match (self.1, self.2) {
            (Some(u), _) => m.serialize_entry("unit", &u)?,
            (None, Some(raw)) => m.serialize_entry("unit_text", raw)?,
            _ => {}
        }
        m.end()
    }
}
