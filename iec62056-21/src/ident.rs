//! The identification line `/XXXZ[\W…]ident` (IEC 62056-21:2002 §6.3.2), which is
//! also the header of every DSMR P1 telegram.

use meterwire_core::{Diagnostic, DiagnosticKind};

/// The transmission mode a baud-rate character belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BaudMode {
    /// Mode B: `A`–`I` (600 … 19200 Bd; `G`–`I` reserved).
    ModeB,
    /// Modes C/E: `0`–`9` (300 … 19200 Bd; `7`–`9` reserved).
    ModeC,
    /// Mode A: any other printable character (stays at 300 Bd).
    ModeA,
}

/// The baud rate a baud character stands for, and its mode (IEC 62056-21 §6.3.14).
/// The rates double per step from 300 Bd: mode C `0`–`6` are 300 … 19200 Bd, mode B
/// `A`–`F` are 600 … 19200 Bd.
pub const fn baud_rate(z: u8) -> (BaudMode, Option<u32>) {
    /// 300 Bd doubled `n` times.
    const fn doubled(n: u8) -> Option<u32> {
        Some(300u32.wrapping_shl(n as u32))
    }
    match z {
        b'A'..=b'F' => (
            BaudMode::ModeB,
            doubled(z.wrapping_sub(b'A').wrapping_add(1)),
        ),
        b'G'..=b'I' => (BaudMode::ModeB, None),
        b'0'..=b'6' => (BaudMode::ModeC, doubled(z.wrapping_sub(b'0'))),
        b'7'..=b'9' => (BaudMode::ModeC, None),
        _ => (BaudMode::ModeA, Some(300)),
    }
}

/// A parsed identification line (text after `/`, without CR LF).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Identification<'a> {
    text: &'a str,
}

impl<'a> Identification<'a> {
    /// Wraps the identification text (after `/`, before CR LF). At least 4 characters
    /// are needed (`XXXZ`); `None` otherwise.
    pub fn new(text: &'a str) -> Option<Self> {
        (text.len() >= 4 && text.is_char_boundary(4)).then_some(Identification { text })
    }

    /// The whole text after `/`.
    pub const fn text(&self) -> &'a str {
        self.text
    }

    /// The three-letter manufacturer id (FLAG id; lower-case 3rd letter = 20 ms reaction time).
    pub fn manufacturer(&self) -> &'a str {
        self.text.get(..3).unwrap_or("")
    }

    /// The baud-rate character Z.
    pub fn baud_char(&self) -> u8 {
        self.text.as_bytes().get(3).copied().unwrap_or(0)
    }

    /// The enhanced identification characters (the `W` of each `\W`), e.g. `"2"` for mode E.
    pub fn enhanced(&self) -> &'a str {
        let rest = self.text.get(4..).unwrap_or("");
        let mut n = 0usize;
        let b = rest.as_bytes();
        while b.get(n) == Some(&b'\\') && b.get(n.saturating_add(1)).is_some() {
            n = n.saturating_add(2);
        }
        // the W characters are every second byte of `\W\W…`
        rest.get(..n).unwrap_or("")
    }

    /// Whether `\2` (binary mode E / HDLC available) is announced.
    pub fn mode_e(&self) -> bool {
        self.enhanced().as_bytes().chunks(2).any(|c| c == b"\\2")
    }

    /// The device identification after the enhanced characters.
    pub fn identification(&self) -> &'a str {
        let skip = self.enhanced().len().saturating_add(4);
        self.text.get(skip..).unwrap_or("")
    }

    /// Departures from IEC 62056-21 §6.3.2 (manufacturer not three letters,
    /// identification longer than 16 characters).
    pub fn diagnostics(&self) -> impl Iterator<Item = Diagnostic> + use<'a> {
        let letters = self.manufacturer().bytes().all(|c| c.is_ascii_alphabetic());
        let a = (!letters).then_some(Diagnostic::new(
            DiagnosticKind::VendorQuirk,
            "identification manufacturer",
            "manufacturer id is not three letters",
        ));
        let long = self.identification().len();
        let b = (long > 16).then_some(Diagnostic::with_value(
            DiagnosticKind::OutOfRange,
            "identification",
            "longer than 16 characters",
            long as u64,
        ));
        [a, b].into_iter().flatten()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_fields() {
        let i = Identification::new("ISk5\\2MT382-1000").unwrap();
        assert_eq!(i.manufacturer(), "ISk");
        assert_eq!(i.baud_char(), b'5');
        assert_eq!(i.enhanced(), "\\2");
        assert!(i.mode_e());
        assert_eq!(i.identification(), "MT382-1000");
        assert_eq!(baud_rate(b'5'), (BaudMode::ModeC, Some(9600)));
        let k = Identification::new("KFM5KAIFA-METER").unwrap();
        assert_eq!(
            (k.enhanced(), k.identification(), k.mode_e()),
            ("", "KAIFA-METER", false)
        );
        assert_eq!(
            Identification::new("KAM MC").unwrap().identification(),
            "MC"
        );
        assert!(Identification::new("AB").is_none());
        assert_eq!(baud_rate(b'E'), (BaudMode::ModeB, Some(9600)));
    }

    #[test]
    fn baud_rate_table() {
        use BaudMode::*;
        let mut want = [(ModeA, Some(300)); 256];
        let b_rates = [600, 1200, 2400, 4800, 9600, 19200];
        let c_rates = [300, 600, 1200, 2400, 4800, 9600, 19200];
        for (z, r) in (b'A'..=b'F').zip(b_rates).chain((b'0'..=b'6').zip(c_rates)) {
            want[usize::from(z)] = (if z.is_ascii_digit() { ModeC } else { ModeB }, Some(r));
        }
        for z in b'G'..=b'I' {
            want[usize::from(z)] = (ModeB, None);
        }
        for z in b'7'..=b'9' {
            want[usize::from(z)] = (ModeC, None);
        }
        for z in 0..=u8::MAX {
            assert_eq!(baud_rate(z), want[usize::from(z)], "{:?}", char::from(z));
        }
    }
}
