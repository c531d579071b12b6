//! `Serialize` for the borrowed views (the JSON the CLI prints) and the array helper
//! for interval fields of the owned forms.

use crate::bitstream::{Found, Packet};
use crate::framer::Corrected;
use crate::idm::{Idm, Intervals, NetIdm};
use crate::r900::{R900, R900Bcd};
use crate::scm::Scm;
use crate::scm_plus::ScmPlus;
use meterwire_core::{Diagnostic, Diagnostics};
use serde::ser::{SerializeSeq, SerializeStruct};
use serde::{Serialize, Serializer};

/// Writes `"diagnostics": [...]` only when there is at least one.
fn diagnostics<S: SerializeStruct>(
    st: &mut S,
    it: impl Iterator<Item = Diagnostic>,
) -> Result<(), S::Error> {
    let mut list: Diagnostics<4> = Diagnostics::new();
    list.extend(it);
    if list.is_empty() {
        st.skip_field("diagnostics")
    } else {
        st.serialize_field("diagnostics", &list)
    }
}

struct Seq<'a>(Intervals<'a>);

impl Serialize for Seq<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let it = self.0.clone();
        let mut seq = s.serialize_seq(Some(it.len()))?;
        for v in it {
            seq.serialize_element(&v)?;
        }
        seq.end()
    }
}

impl<T: AsRef<[u8]>> Serialize for Scm<T> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut st = s.serialize_struct("Scm", 8)?;
        st.serialize_field("id", &self.id())?;
        st.serialize_field("ert_type", &self.ert_type())?;
        st.serialize_field("commodity", &self.commodity())?;
        st.serialize_field("physical_tamper", &self.physical_tamper())?;
        st.serialize_field("encoder_tamper", &self.encoder_tamper())?;
        st.serialize_field("consumption", &self.consumption())?;
        st.serialize_field("reserved", &self.reserved())?;
        st.serialize_field("crc", &self.crc())?;
        st.end()
    }
}

impl<T: AsRef<[u8]>> Serialize for ScmPlus<T> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut st = s.serialize_struct("ScmPlus", 8)?;
        st.serialize_field("protocol_id", &self.protocol_id())?;
        st.serialize_field("endpoint_type", &self.endpoint_type())?;
        st.serialize_field("commodity", &self.commodity())?;
        st.serialize_field("endpoint_id", &self.endpoint_id())?;
        st.serialize_field("consumption", &self.consumption())?;
        st.serialize_field("tamper", &self.tamper())?;
        st.serialize_field("crc", &self.crc())?;
        st.end()
    }
}

macro_rules! header_fields {
    ($st:ident, $p:ident) => {
        $st.serialize_field("packet_type", &$p.packet_type())?;
        $st.serialize_field("packet_length", &$p.packet_length())?;
        $st.serialize_field("hamming_code", &$p.hamming_code())?;
        $st.serialize_field("application_version", &$p.application_version())?;
        $st.serialize_field("ert_type", &$p.ert_type())?;
        $st.serialize_field("commodity", &$p.commodity())?;
        $st.serialize_field("serial", &$p.serial())?;
        $st.serialize_field("interval_count", &$p.interval_count())?;
        $st.serialize_field("programming_state", &$p.programming_state())?;
        $st.serialize_field("tamper_counters", &$p.tamper_counters())?;
    };
}

impl<T: AsRef<[u8]>> Serialize for Idm<T> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut st = s.serialize_struct("Idm", 20)?;
        let p = self;
        header_fields!(st, p);
        st.serialize_field("async_counters", &self.async_counters())?;
        st.serialize_field("power_outage_flags", &self.power_outage_flags())?;
        st.serialize_field("last_consumption", &self.last_consumption())?;
        st.serialize_field("intervals", &Seq(self.intervals()))?;
        st.serialize_field("padding", &self.padding())?;
        st.serialize_field("tx_time_offset", &self.tx_time_offset())?;
        st.serialize_field("serial_crc", &self.serial_crc())?;
        st.serialize_field("packet_crc", &self.packet_crc())?;
        diagnostics(&mut st, self.diagnostics())?;
        st.end()
    }
}

impl<T: AsRef<[u8]>> Serialize for NetIdm<T> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut st = s.serialize_struct("NetIdm", 22)?;
        let p = self;
        header_fields!(st, p);
        st.serialize_field("unknown_1", &self.unknown_1())?;
        st.serialize_field("last_consumption", &self.last_consumption())?;
        st.serialize_field("last_generation", &self.last_generation())?;
        st.serialize_field("unknown_2", &self.unknown_2())?;
        st.serialize_field("last_consumption_net", &self.last_consumption_net())?;
        st.serialize_field("intervals", &Seq(self.intervals()))?;
        st.serialize_field("padding", &self.padding())?;
        st.serialize_field("tx_time_offset", &self.tx_time_offset())?;
        st.serialize_field("serial_crc", &self.serial_crc())?;
        st.serialize_field("packet_crc", &self.packet_crc())?;
        diagnostics(&mut st, self.diagnostics())?;
        st.end()
    }
}

fn r900_fields<T: AsRef<[u8]>, S: SerializeStruct>(
    st: &mut S,
    p: &R900<T>,
    consumption: u32,
) -> Result<(), S::Error> {
    st.serialize_field("id", &p.id())?;
    st.serialize_field("unkn1", &p.unkn1())?;
    st.serialize_field("nouse", &p.nouse())?;
    st.serialize_field("backflow", &p.backflow())?;
    st.serialize_field("consumption", &consumption)?;
    st.serialize_field("unkn3", &p.unkn3())?;
    st.serialize_field("leak", &p.leak())?;
    st.serialize_field("leaknow", &p.leaknow())?;
    st.serialize_field("parity", &p.parity())?;
    Ok(())
}

impl<T: AsRef<[u8]>> Serialize for R900<T> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut st = s.serialize_struct("R900", 10)?;
        r900_fields(&mut st, self, self.consumption())?;
        diagnostics(&mut st, self.diagnostics())?;
        st.end()
    }
}

impl<T: AsRef<[u8]>> Serialize for R900Bcd<T> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut st = s.serialize_struct("R900Bcd", 10)?;
        r900_fields(&mut st, &self.0, self.consumption())?;
        diagnostics(&mut st, self.diagnostics())?;
        st.end()
    }
}

/// `{"packet": <view>, "corrected": n}` (`corrected` only when correction ran).
impl<V: Serialize> Serialize for Corrected<V> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut st = s.serialize_struct("Corrected", 2)?;
        st.serialize_field("packet", &self.packet)?;
        match self.corrected {
            Some(n) => st.serialize_field("corrected", &n)?,
            None => st.skip_field("corrected")?,
        }
        st.end()
    }
}

/// `{"kind", "bit_offset", "bit_len", "packet": <view>, "corrected"?, "diagnostics"?}`.
impl Serialize for Found {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut st = s.serialize_struct("Found", 6)?;
        st.serialize_field("kind", self.packet.name())?;
        st.serialize_field("bit_offset", &self.bit_offset)?;
        st.serialize_field("bit_len", &self.bit_len)?;
        let b = self.packet.bytes();
        match self.packet {
            Packet::Scm(_) => st.serialize_field("packet", &Scm::new_unchecked(b))?,
            Packet::ScmPlus(_) => st.serialize_field("packet", &ScmPlus::new_unchecked(b))?,
            Packet::Idm(_) => st.serialize_field("packet", &Idm::new_unchecked(b))?,
            Packet::NetIdm(_) => st.serialize_field("packet", &NetIdm::new_unchecked(b))?,
            Packet::R900(_) => st.serialize_field("packet", &R900::new_unchecked(b))?,
            Packet::R900Bcd(_) => st.serialize_field("packet", &R900Bcd(R900::new_unchecked(b)))?,
        }
        match self.corrected {
            Some(n) => st.serialize_field("corrected", &n)?,
            None => st.skip_field("corrected")?,
        }
        let erasures = self.diagnostics().filter(|d| d.field == "r900 chips");
        diagnostics(&mut st, erasures)?;
        st.end()
    }
}

/// `serde(with = ...)` for `[u16; N]` (serde's derive stops at 32 elements).
pub mod serde_arr {
    use core::fmt;
    use serde::de::{Error as _, SeqAccess, Visitor};
    use serde::ser::SerializeSeq;
    use serde::{Deserializer, Serializer};

    /// Serializes as a sequence.
    pub fn serialize<S: Serializer, const N: usize>(v: &[u16; N], s: S) -> Result<S::Ok, S::Error> {
        let mut seq = s.serialize_seq(Some(N))?;
        for x in v {
            seq.serialize_element(x)?;
        }
        seq.end()
    }

    struct V<const N: usize>;
    impl<'de, const N: usize> Visitor<'de> for V<N> {
        type Value = [u16; N];
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            write!(f, "an array of {N} integers")
        }
        fn visit_seq<A: SeqAccess<'de>>(self, mut a: A) -> Result<[u16; N], A::Error> {
            let mut out = [0u16; N];
            for (i, o) in out.iter_mut().enumerate() {
                *o = a
                    .next_element()?
                    .ok_or_else(|| A::Error::invalid_length(i, &self))?;
            }
            if a.next_element::<u16>()?.is_some() {
                return Err(A::Error::invalid_length(N.saturating_add(1), &self));
            }
            Ok(out)
        }
    }

    /// Deserializes exactly `N` integers.
    pub fn deserialize<'de, D: Deserializer<'de>, const N: usize>(
        d: D,
    ) -> Result<[u16; N], D::Error> {
        d.deserialize_seq(V::<N>)
    }
}
