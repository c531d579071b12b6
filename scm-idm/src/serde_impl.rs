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

/// `st.serialize_field("name", &p.name())?` for each getter name, in order.
macro_rules! getter_fields {
    ($st:ident, $p:expr, $($name:ident),* $(,)?) => {
        $($st.serialize_field(stringify!($name), &$p.$name())?;)*
    };
}

/// `Serialize` for a view that is its getters, in order.
macro_rules! getters_serialize {
    ($view:ident, $n:literal, $($name:ident),+) => {
        impl<T: AsRef<[u8]>> Serialize for $view<T> {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                let mut st = s.serialize_struct(stringify!($view), $n)?;
                getter_fields!(st, self, $($name),+);
                st.end()
            }
        }
    };
}

getters_serialize!(
    Scm,
    8,
    id,
    ert_type,
    commodity,
    physical_tamper,
    encoder_tamper,
    consumption,
    reserved,
    crc
);
getters_serialize!(
    ScmPlus,
    8,
    protocol_id,
    endpoint_type,
    commodity,
    endpoint_id,
    consumption,
    tamper,
    crc
);

macro_rules! header_fields {
    ($st:ident, $p:ident) => {
        getter_fields!(
            $st,
            $p,
            packet_type,
            packet_length,
            hamming_code,
            application_version,
            ert_type,
            commodity,
            serial,
            interval_count,
            programming_state,
            tamper_counters
        );
    };
}

/// `Serialize` for an IDM-family view: the header, the fields of its own kind, the
/// intervals, the padding, the transmit time offset, the two CRCs, the diagnostics.
macro_rules! idm_serialize {
    ($view:ident, $n:literal, $($own:ident),+) => {
        impl<T: AsRef<[u8]>> Serialize for $view<T> {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                let mut st = s.serialize_struct(stringify!($view), $n)?;
                let p = self;
                header_fields!(st, p);
                getter_fields!(st, self, $($own),+);
                st.serialize_field("intervals", &Seq(self.intervals()))?;
                getter_fields!(st, self, padding, tx_time_offset, serial_crc, packet_crc);
                diagnostics(&mut st, self.diagnostics())?;
                st.end()
            }
        }
    };
}

idm_serialize!(
    Idm,
    20,
    async_counters,
    power_outage_flags,
    last_consumption
);
idm_serialize!(
    NetIdm,
    22,
    unknown_1,
    last_consumption,
    last_generation,
    unknown_2,
    last_consumption_net
);

fn r900_fields<T: AsRef<[u8]>, S: SerializeStruct>(
    st: &mut S,
    p: &R900<T>,
    consumption: u32,
) -> Result<(), S::Error> {
    getter_fields!(st, p, id, unkn1, nouse, backflow);
    st.serialize_field("consumption", &consumption)?;
    getter_fields!(st, p, unkn3, leak, leaknow, parity);
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
