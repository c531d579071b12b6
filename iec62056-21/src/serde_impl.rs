//! `Serialize` for the borrowed views (the JSON the CLI prints).

use serde::ser::{Serialize, SerializeMap, SerializeSeq, Serializer};

use crate::p1::{Line, Telegram};

struct Diags<'a>(Telegram<'a>);

impl Serialize for Diags<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut seq = s.serialize_seq(None)?;
        for d in self.0.diagnostics() {
            seq.serialize_element(&d)?;
        }
        seq.end()
    }
}

struct CrcHex(u16);

impl Serialize for CrcHex {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(&format_args!("{:04X}", self.0))
    }
}

struct LinesSer<'a>(Telegram<'a>);

impl Serialize for LinesSer<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut seq = s.serialize_seq(None)?;
        for l in self.0.lines() {
            seq.serialize_element(&l)?;
        }
        seq.end()
    }
}

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
            m.serialize_entry("crc", &CrcHex(c))?;
        }
        m.serialize_entry("lines", &LinesSer(*self))?;
        if self.diagnostics().next().is_some() {
            m.serialize_entry("diagnostics", &Diags(*self))?;
        }
        m.end()
    }
}
