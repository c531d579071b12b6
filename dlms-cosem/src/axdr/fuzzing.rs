//! `arbitrary::Arbitrary` for [`Value`] (feature `fuzzing`), written by hand so that
//! every generated value encodes and decodes: nesting bounded by [`FUZZ_DEPTH`] (the
//! decoder accepts [`MAX_DEPTH`](super::MAX_DEPTH)), bit-strings with ceil(bits / 8)
//! bytes, compact arrays whose contents match their type description.

use super::Value;
use alloc::vec::Vec;
use arbitrary::{Arbitrary, Result, Unstructured};

/// Deepest nesting of arrays and structures generated.
pub const FUZZ_DEPTH: usize = 8;

/// Element types of generated compact arrays: (type description, encoded size).
const COMPACT_TYPES: [(&[u8], usize); 4] = [
    (&[0x12], 2),
    (&[0x06], 4),
    (&[0x02, 0x02, 0x12, 0x11], 3),
    (&[0x01, 0x00, 0x02, 0x0F], 2),
];

impl<'a> Arbitrary<'a> for Value {
    fn arbitrary(u: &mut Unstructured<'a>) -> Result<Self> {
        value(u, 0)
    }
}

fn elements(u: &mut Unstructured<'_>, depth: usize) -> Result<Vec<Value>> {
    let n = u.int_in_range(0..=8u8)?;
    (0..n).map(|_| value(u, depth.saturating_add(1))).collect()
}

fn value(u: &mut Unstructured<'_>, depth: usize) -> Result<Value> {
    let nest = depth < FUZZ_DEPTH;
    Ok(match u.int_in_range(0..=31u8)? {
        1 if nest => Value::Array(elements(u, depth)?),
        2 if nest => Value::Structure(elements(u, depth)?),
        3 => Value::Boolean(u.arbitrary()?),
        4 => {
            let bytes: Vec<u8> = u.arbitrary()?;
            let unused = if bytes.is_empty() {
                0
            } else {
                usize::from(u.int_in_range(0..=7u8)?)
            };
            let bits = bytes.len().saturating_mul(8).saturating_sub(unused);
            Value::BitString { bits, bytes }
        }
        5 => Value::DoubleLong(u.arbitrary()?),
        6 => Value::DoubleLongUnsigned(u.arbitrary()?),
        7 => Value::OctetString(u.arbitrary()?),
        8 => Value::VisibleString(u.arbitrary()?),
        9 => Value::Utf8String(u.arbitrary()?),
        10 => Value::Bcd(u.arbitrary()?),
        11 => Value::Integer(u.arbitrary()?),
        12 => Value::Long(u.arbitrary()?),
        13 => Value::Unsigned(u.arbitrary()?),
        14 => Value::LongUnsigned(u.arbitrary()?),
        15 => {
            let (description, size) = *u.choose(&COMPACT_TYPES)?;
            let n = usize::from(u.int_in_range(0..=16u8)?);
            let contents = u.bytes(size.saturating_mul(n))?.to_vec();
            Value::CompactArray {
                description: description.to_vec(),
                contents,
            }
        }
        16 => Value::Long64(u.arbitrary()?),
        17 => Value::Long64Unsigned(u.arbitrary()?),
        18 => Value::Enum(u.arbitrary()?),
        19 => Value::Float32(u.arbitrary()?),
        20 => Value::Float64(u.arbitrary()?),
        21 => Value::DateTime(u.arbitrary()?),
        22 => Value::Date(u.arbitrary()?),
        23 => Value::Time(u.arbitrary()?),
        24 => Value::DeltaInteger(u.arbitrary()?),
        25 => Value::DeltaLong(u.arbitrary()?),
        26 => Value::DeltaDoubleLong(u.arbitrary()?),
        27 => Value::DeltaUnsigned(u.arbitrary()?),
        28 => Value::DeltaLongUnsigned(u.arbitrary()?),
        29 => Value::DeltaDoubleLongUnsigned(u.arbitrary()?),
        30 => Value::DontCare,
        _ => Value::Null,
    })
}
