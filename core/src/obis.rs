//! OBIS codes (IEC 62056-6-1): the `A-B:C.D.E*F` names of the IEC 62056 family,
//! used by DLMS/COSEM (6 bytes) and IEC 62056-21 / DSMR P1 (text).
//!
//! ```
//! use meterwire_core::Obis;
//! let o: Obis = "1-0:1.8.0".parse().unwrap();
//! assert_eq!(o, Obis::new(1, 0, 1, 8, 0, 255));
//! assert_eq!(o.to_string(), "1-0:1.8.0");
//! assert_eq!(format!("{o:#}"), "1-0:1.8.0*255");
//! assert_eq!(Obis::from_bytes(&[1, 0, 1, 8, 0, 255]), Some(o));
//! assert_eq!("1-0:1.8.0.255".parse::<Obis>(), Ok(o));
//! assert_eq!(o.name(), Some("active energy import (+A), total"));
//! ```

use core::fmt;
use core::str::FromStr;

/// An OBIS code: six value groups A to F.
///
/// Text forms accepted by [`FromStr`]: `A-B:C.D.E*F`, `A-B:C.D.E.F`,
/// `A-B:C.D.E` (F = 255), and the reduced IEC 62056-21 forms `C.D.E`, `C.D`
/// (A and B not given: they are set to [`Obis::NOT_GIVEN`], E to 0 when
/// missing). Group C may be a letter of IEC 62056-61 (`C` = 96, `F` = 97,
/// `L` = 98, `P` = 99), as in `F.F` or `C.1.0`.
///
/// `Display` prints `A-B:C.D.E` and adds `*F` when F is not 255; the reduced
/// form prints without `A-B:`. The alternate form (`{:#}`) always prints all six
/// groups as `A-B:C.D.E*F`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct Obis(pub [u8; 6]);

/// Why a text OBIS code did not parse.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum ObisParseError {
    /// A value group is not a number 0-255 (or an allowed letter).
    #[error("malformed obis code: value group is not a number 0-255")]
    BadGroup,
    /// Too few or too many value groups, or misplaced separators.
    #[error("malformed obis code: expected A-B:C.D.E*F or a reduced form")]
    Shape,
}

impl Obis {
    /// The value of groups A and B when a reduced text form leaves them out.
    pub const NOT_GIVEN: u8 = 0xFF;

    /// A code from its six groups.
    pub const fn new(a: u8, b: u8, c: u8, d: u8, e: u8, f: u8) -> Self {
        Obis([a, b, c, d, e, f])
    }

    /// A code from the 6-byte DLMS logical name; `None` unless exactly 6 bytes.
    pub fn from_bytes(b: &[u8]) -> Option<Self> {
        <[u8; 6]>::try_from(b).ok().map(Obis)
    }

    /// The six bytes.
    pub const fn bytes(&self) -> [u8; 6] {
        self.0
    }

    /// Group A (medium: 0 abstract, 1 electricity, 4 heat cost, 5-6 heat/cooling, 7 gas, 8-9 water).
    pub const fn a(&self) -> u8 {
        self.0[0]
    }
    /// Group B (channel).
    pub const fn b(&self) -> u8 {
        self.0[1]
    }
    /// Group C (physical quantity).
    pub const fn c(&self) -> u8 {
        self.0[2]
    }
    /// Group D (processing).
    pub const fn d(&self) -> u8 {
        self.0[3]
    }
    /// Group E (tariff / further classification).
    pub const fn e(&self) -> u8 {
        self.0[4]
    }
    /// Group F (historical value; 255 = not used).
    pub const fn f(&self) -> u8 {
        self.0[5]
    }

    /// True when A and B were left out of the text (reduced form).
    pub const fn is_reduced(&self) -> bool {
        self.0[0] == Self::NOT_GIVEN && self.0[1] == Self::NOT_GIVEN
    }

    /// The same code with A and B set (for reduced forms read from a device
    /// whose medium is known).
    pub const fn with_ab(self, a: u8, b: u8) -> Self {
        let [_, _, c, d, e, f] = self.0;
        Obis([a, b, c, d, e, f])
    }

    /// The same code with F = 255 (for comparing codes that differ only in F).
    pub const fn without_f(self) -> Self {
        let [a, b, c, d, e, _] = self.0;
        Obis([a, b, c, d, e, 255])
    }

    /// A human name for well-known codes (see [`crate::obis_names`]).
    pub fn name(&self) -> Option<&'static str> {
        crate::obis_names::name(*self)
    }

    /// Parses text bytes (see the type's doc for the forms).
    pub fn parse_bytes(s: &[u8]) -> Result<Self, ObisParseError> {
        // split into groups and the separator that precedes each
        let mut groups = [0u8; 6];
        let mut seps = [0u8; 6];
        let mut n = 0usize;
        let mut cur: Option<u16> = None;
        let mut sep = 0u8;
        let mut push = |v: Option<u16>, sep: u8, n: &mut usize| -> Result<(), ObisParseError> {
            let v = v.ok_or(ObisParseError::Shape)?;
            let v = u8::try_from(v).map_err(|_| ObisParseError::BadGroup)?;
            let (g, s) = (groups.get_mut(*n), seps.get_mut(*n));
            match (g, s) {
                (Some(g), Some(s)) => {
                    *g = v;
                    *s = sep;
                    *n = n.saturating_add(1);
                    Ok(())
                }
                _ => Err(ObisParseError::Shape),
            }
        };
        let mut after_letter = false;
        for &ch in s {
            match ch {
                b'0'..=b'9' => {
                    if after_letter {
                        return Err(ObisParseError::BadGroup);
                    }
                    let d = u16::from(ch.wrapping_sub(b'0'));
                    let v = cur.unwrap_or(0).saturating_mul(10).saturating_add(d);
                    cur = Some(v.min(1000));
                }
                b'C' | b'F' | b'L' | b'P' if cur.is_none() => {
                    cur = Some(match ch {
                        b'C' => 96,
                        b'F' => 97,
                        b'L' => 98,
                        _ => 99,
                    });
                    after_letter = true;
                }
                b'-' | b':' | b'.' | b'*' | b'&' => {
                    push(cur.take(), sep, &mut n)?;
                    sep = ch;
                    after_letter = false;
                }
                _ => return Err(ObisParseError::BadGroup),
            }
        }
        push(cur.take(), sep, &mut n)?;
        let seps = seps.get(1..n).unwrap_or(&[]);
        let g = groups;
        let full = |f: u8| Ok(Obis([g[0], g[1], g[2], g[3], g[4], f]));
        match (n, seps) {
            (6, [b'-', b':', b'.', b'.', b'*' | b'.' | b'&']) => full(g[5]),
            (5, [b'-', b':', b'.', b'.']) => full(255),
            (3, [b'.', b'.']) => Ok(Obis([
                Self::NOT_GIVEN,
                Self::NOT_GIVEN,
                g[0],
                g[1],
                g[2],
                255,
            ])),
            (4, [b'.', b'.', b'*' | b'&']) => Ok(Obis([
                Self::NOT_GIVEN,
                Self::NOT_GIVEN,
                g[0],
                g[1],
                g[2],
                g[3],
            ])),
            (2, [b'.']) => Ok(Obis([Self::NOT_GIVEN, Self::NOT_GIVEN, g[0], g[1], 0, 255])),
            _ => Err(ObisParseError::Shape),
        }
    }
}

impl FromStr for Obis {
    type Err = ObisParseError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Obis::parse_bytes(s.as_bytes())
    }
}

impl fmt::Display for Obis {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let [a, b, c, d, e, ff] = self.0;
        if f.alternate() {
            return write!(f, "{a}-{b}:{c}.{d}.{e}*{ff}");
        }
        if !self.is_reduced() {
            write!(f, "{a}-{b}:")?;
        }
        write!(f, "{c}.{d}.{e}")?;
        if ff != 255 {
            write!(f, "*{ff}")?;
        }
        Ok(())
    }
}

#[cfg(feature = "serde")]
impl serde::Serialize for Obis {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::{format, string::ToString};

    #[test]
    fn text_forms() {
        let o = Obis::new(1, 0, 1, 8, 0, 255);
        for t in [
            "1-0:1.8.0",
            "1-0:1.8.0*255",
            "1-0:1.8.0.255",
            "1-0:1.8.0&255",
        ] {
            assert_eq!(t.parse::<Obis>(), Ok(o), "{t}");
        }
        assert_eq!(
            "1-0:1.8.1*3".parse::<Obis>(),
            Ok(Obis::new(1, 0, 1, 8, 1, 3))
        );
        assert_eq!(
            "0-1:24.2.1".parse::<Obis>(),
            Ok(Obis::new(0, 1, 24, 2, 1, 255))
        );
        let r: Obis = "1.8.0".parse().unwrap();
        assert!(r.is_reduced());
        assert_eq!(r.to_string(), "1.8.0");
        assert_eq!(r.with_ab(1, 0), o);
        assert_eq!(
            "F.F".parse::<Obis>().unwrap().bytes(),
            [255, 255, 97, 97, 0, 255]
        );
        assert_eq!(
            "C.1.0".parse::<Obis>().unwrap().bytes(),
            [255, 255, 96, 1, 0, 255]
        );
        assert_eq!(
            "0.0.0".parse::<Obis>().unwrap().bytes(),
            [255, 255, 0, 0, 0, 255]
        );
        for bad in [
            "",
            "1-0:1.8",
            "1-0:1.8.0*",
            "256.1.1",
            "1-0:1.8.0*255*1",
            "a.b.c",
            "1--0:1.8.0",
            "1.8.0.1.2",
        ] {
            assert!(bad.parse::<Obis>().is_err(), "{bad}");
        }
        assert_eq!(
            format!("{:#}", Obis::new(0, 0, 96, 1, 0, 255)),
            "0-0:96.1.0*255"
        );
        assert_eq!(Obis::new(1, 0, 1, 8, 0, 101).to_string(), "1-0:1.8.0*101");
    }
}
