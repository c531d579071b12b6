// Fuzz body shared by fuzz/fuzz_targets/p1_structured.rs and tests/fuzz_replay.rs:
// a telegram built by `arbitrary` (an identification `XXX5…`, value lines whose
// numbers and units round-trip as text, with or without a CRC) is written with
// `TelegramWriter`, then parsed lenient, strict and through the strict `P1Framer`:
// every parse agrees, has no diagnostic, and gives back each line's OBIS code and
// exact value. (This crate's owned form of a telegram is its writer's input, so the
// `Arbitrary` type lives here with the target.)
use arbitrary::{Arbitrary, Unstructured};
use meterwire_core::{Decimal, Decoded, Framer, Unit, Value};
use meterwire_iec62056_21::p1::{P1Framer, Telegram, TelegramWriter};

include!("p1_units.rs");

/// `1-0:C.D.E(value*unit)`: C avoids the structured and text lines (24, 42, 96..).
#[derive(Debug)]
struct ValueLine {
    c: u8,
    d: u8,
    e: u8,
    mantissa: u32,
    decimals: u8,
    unit: usize,
}

impl<'a> Arbitrary<'a> for ValueLine {
    fn arbitrary(u: &mut Unstructured<'a>) -> arbitrary::Result<Self> {
        let c = u.int_in_range(1u8..=95)?;
        Ok(ValueLine {
            c: if c == 24 || c == 42 { c + 1 } else { c },
            d: u.int_in_range(0..=9)?,
            e: u.int_in_range(0..=2)?,
            mantissa: u.int_in_range(0..=999_999_999)?,
            decimals: u.int_in_range(0..=4)?,
            unit: u.choose_index(UNITS.len())?,
        })
    }
}

impl ValueLine {
    fn address(&self) -> String {
        format!("1-0:{}.{}.{}", self.c, self.d, self.e)
    }
    /// The value as a meter writes it: at least one digit before the point.
    fn group(&self) -> String {
        let dec = usize::from(self.decimals);
        let digits = format!("{:0>w$}", self.mantissa, w = dec + 1);
        let (int, frac) = digits.split_at(digits.len() - dec);
        let value = if dec == 0 { int.to_string() } else { format!("{int}.{frac}") };
        format!("{value}*{}", UNITS[self.unit].0)
    }
    fn expected(&self) -> (Value<'static>, Option<Unit>) {
        let (_, unit, exp) = UNITS[self.unit];
        let d = Decimal::new(i64::from(self.mantissa), -(self.decimals as i8));
        (Value::Number(d.scaled(exp).unwrap()), Some(unit))
    }
}

/// A whole telegram.
#[derive(Debug)]
struct Spec {
    identification: String,
    lines: Vec<ValueLine>,
    crc: bool,
}

impl<'a> Arbitrary<'a> for Spec {
    fn arbitrary(u: &mut Unstructured<'a>) -> arbitrary::Result<Self> {
        const TAIL: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.\\";
        let mut identification = String::new();
        for _ in 0..3 {
            identification.push(char::from(u.int_in_range(b'A'..=b'Z')?));
        }
        identification.push(char::from(u.int_in_range(b'0'..=b'9')?));
        for _ in 0..u.int_in_range(1..=16)? {
            identification.push(char::from(TAIL[u.choose_index(TAIL.len())?]));
        }
        let mut lines = Vec::new();
        for _ in 0..u.int_in_range(1..=40)? {
            lines.push(ValueLine::arbitrary(u)?);
        }
        Ok(Spec { identification, lines, crc: u.arbitrary()? })
    }
}

/// The telegram agrees with its spec and has no diagnostic.
fn check(t: &Telegram<'_>, s: &Spec) {
    assert_eq!(t.diagnostics().count(), 0, "{s:?}");
    assert_eq!(t.header().manufacturer(), &s.identification[..3]);
    assert_eq!(t.crc().is_some(), s.crc);
    assert_eq!(t.lines().count(), s.lines.len());
    for (l, v) in t.lines().zip(&s.lines) {
        assert_eq!(l.obis().unwrap().bytes(), [1, 0, v.c, v.d, v.e, 255]);
        assert_eq!(l.value(), v.expected(), "{}({})", v.address(), v.group());
    }
}

pub fn run(data: &[u8]) {
    let Ok(s) = Spec::arbitrary_take_rest(Unstructured::new(data)) else {
        return;
    };
    let mut out = vec![0u8; 64 + 48 * s.lines.len()];
    let mut w = TelegramWriter::new(&mut out, &s.identification).unwrap();
    for l in &s.lines {
        w.line(&l.address(), &[l.group().as_str()]).unwrap();
    }
    let n = if s.crc { w.finish() } else { w.finish_without_crc() }.unwrap();
    let b = &out[..n];
    let lenient = Telegram::parse(b).unwrap();
    let strict = Telegram::parser().strict().parse(b).unwrap();
    check(&lenient, &s);
    check(&strict, &s);
    let Ok(Decoded::Frame { frame, consumed }) = P1Framer::new().strict().decode(b) else {
        panic!("the strict framer did not frame the whole telegram: {s:?}");
    };
    assert_eq!(consumed, n);
    check(&frame, &s);
}
