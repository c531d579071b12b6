#![allow(
    dead_code,
    clippy::indexing_slicing,
    clippy::arithmetic_side_effects,
    clippy::unwrap_used,
    clippy::panic,
    missing_docs
)]
//! Test helpers for the security tests: hex, and a minimal A-XDR walker used to
//! check decrypted pushes (the crate's own A-XDR decoder is part 1's, issue 6).

pub use meterwire_testkit::hex as unhex;

#[derive(Debug, Clone, PartialEq)]
pub enum Tok {
    Struct(usize),
    Array(usize),
    Oct(Vec<u8>),
    Num(i64),
    Enum(u8),
    Other(u8),
}

fn len(d: &[u8], i: &mut usize) -> usize {
    let b = d[*i];
    *i += 1;
    if b < 0x80 {
        return b as usize;
    }
    let n = (b & 0x7F) as usize;
    let mut v = 0usize;
    for _ in 0..n {
        v = (v << 8) | d[*i] as usize;
        *i += 1;
    }
    v
}

fn be(d: &[u8], i: &mut usize, n: usize) -> u64 {
    let mut v = 0u64;
    for _ in 0..n {
        v = (v << 8) | u64::from(d[*i]);
        *i += 1;
    }
    v
}

pub fn data(d: &[u8], i: &mut usize, out: &mut Vec<Tok>) {
    let t = d[*i];
    *i += 1;
    match t {
        0x01 | 0x02 => {
            let n = len(d, i);
            out.push(if t == 1 {
                Tok::Array(n)
            } else {
                Tok::Struct(n)
            });
            for _ in 0..n {
                data(d, i, out);
            }
        }
        0x09 | 0x0A | 0x0C => {
            let n = len(d, i);
            out.push(Tok::Oct(d[*i..*i + n].to_vec()));
            *i += n;
        }
        0x03 | 0x11 => out.push(Tok::Num(be(d, i, 1) as i64)),
        0x0F => out.push(Tok::Num(i64::from(be(d, i, 1) as u8 as i8))),
        0x10 => out.push(Tok::Num(i64::from(be(d, i, 2) as u16 as i16))),
        0x12 => out.push(Tok::Num(be(d, i, 2) as i64)),
        0x05 => out.push(Tok::Num(i64::from(be(d, i, 4) as u32 as i32))),
        0x06 => out.push(Tok::Num(be(d, i, 4) as i64)),
        0x14 | 0x15 => out.push(Tok::Num(be(d, i, 8) as i64)),
        0x16 => out.push(Tok::Enum(be(d, i, 1) as u8)),
        0x00 => out.push(Tok::Other(0)),
        0x19 => {
            *i += 12;
            out.push(Tok::Other(0x19));
        }
        t => panic!("a-xdr tag {t:#x} not handled by the test walker"),
    }
}

/// Tokens of a data-notification's body.
pub fn notification_tokens(p: &[u8]) -> Vec<Tok> {
    assert_eq!(p[0], 0x0F);
    let mut i = 5;
    let n = p[i] as usize;
    i += 1 + n;
    let mut out = Vec::new();
    data(p, &mut i, &mut out);
    assert_eq!(i, p.len(), "trailing bytes after the notification body");
    out
}

pub fn obis(b: &[u8]) -> String {
    format!("{}-{}:{}.{}.{}*{}", b[0], b[1], b[2], b[3], b[4], b[5])
}

/// (OBIS, value, scaler, unit) for each 6-byte octet string followed by a number.
pub fn obis_values(p: &[u8]) -> Vec<(String, i64, i8, u8)> {
    let t = notification_tokens(p);
    let mut out = Vec::new();
    for (k, tok) in t.iter().enumerate() {
        if let (Tok::Oct(o), Some(Tok::Num(v))) = (tok, t.get(k + 1)) {
            if o.len() == 6 {
                let su = match (t.get(k + 2), t.get(k + 3), t.get(k + 4)) {
                    (Some(Tok::Struct(2)), Some(Tok::Num(s)), Some(Tok::Enum(u))) => (*s as i8, *u),
                    _ => (0, 255),
                };
                out.push((obis(o), *v, su.0, su.1));
            }
        }
    }
    out
}
