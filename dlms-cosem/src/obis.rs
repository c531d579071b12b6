//! OBIS codes (IEC 62056-6-1): six value groups A-B:C.D.E*F.

use core::fmt;
use core::str::FromStr;

/// An OBIS code, e.g. `1-0:1.8.0*255` (active energy import +A).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct Obis(pub [u8; 6]);

impl Obis {
    /// From the six value groups.
    pub const fn new(a: u8, b: u8, c: u8, d: u8, e: u8, f: u8) -> Self {
        Obis([a, b, c, d, e, f])
    }
    /// The six bytes.
    pub const fn bytes(&self) -> [u8; 6] {
        self.0
    }
}

impl fmt::Display for Obis {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let [a, b, c, d, e, g] = self.0;
        write!(f, "{a}-{b}:{c}.{d}.{e}*{g}")
    }
}

/// Parse error of an OBIS string.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ObisParseError;

impl fmt::Display for ObisParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("malformed obis code: expected A-B:C.D.E*F with values 0..=255")
    }
}

impl core::error::Error for ObisParseError {}

/// Accepts `A-B:C.D.E*F`, `A-B:C.D.E.F` and `A-B:C.D.E` (F = 255).
impl FromStr for Obis {
    type Err = ObisParseError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let mut out = [0u8; 6];
        let mut n = 0usize;
        for part in s.split(['-', ':', '.', '*']) {
            let slot = out.get_mut(n).ok_or(ObisParseError)?;
            *slot = part.trim().parse().map_err(|_| ObisParseError)?;
            n = n.saturating_add(1);
        }
        match n {
            6 => Ok(Obis(out)),
            5 => {
                if let Some(f) = out.get_mut(5) {
                    *f = 255;
                }
                Ok(Obis(out))
            }
            _ => Err(ObisParseError),
        }
    }
}

#[cfg(feature = "serde")]
impl serde::Serialize for Obis {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

#[cfg(feature = "serde")]
impl<'de> serde::Deserialize<'de> for Obis {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl serde::de::Visitor<'_> for V {
            type Value = Obis;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an obis code A-B:C.D.E*F")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Obis, E> {
                v.parse().map_err(E::custom)
            }
        }
        d.deserialize_str(V)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_and_parse() {
        let o = Obis::new(1, 0, 1, 8, 0, 255);
        assert_eq!(std::format!("{o}"), "1-0:1.8.0*255");
        assert_eq!("1-0:1.8.0*255".parse::<Obis>().unwrap(), o);
        assert_eq!("1-0:1.8.0".parse::<Obis>().unwrap(), o);
        assert_eq!(
            "0-0:96.1.0.255".parse::<Obis>().unwrap(),
            Obis::new(0, 0, 96, 1, 0, 255)
        );
        assert!("1-0:1.8".parse::<Obis>().is_err());
        assert!("1-0:1.8.0*256".parse::<Obis>().is_err());
        assert!("1-0:1.8.0*255*1".parse::<Obis>().is_err());
    }
}
