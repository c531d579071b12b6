//! `arbitrary::Arbitrary` for the owned types whose fields have invariants (feature
//! `fuzzing`, for the structure-aware fuzz target `dnp3_structured`): every generated
//! value encodes, so the target reaches the decoders with valid CRCs and headers.
//! Plain-data types (`Iin`, `Crob`) derive it.

use crate::app::{AppControl, AppHeader, FragmentOwned, Iin, is_response};
use crate::link::{LinkFrameOwned, LinkHeader, MAX_USER_DATA};
use crate::objects::{ObjectHeader, Range};
use crate::transport::TransportHeader;
use alloc::vec::Vec;
use arbitrary::{Arbitrary, Result, Unstructured};

impl<'a> Arbitrary<'a> for LinkHeader {
    /// Any control byte (the function is its low 4 bits) and addresses.
    fn arbitrary(u: &mut Unstructured<'a>) -> Result<Self> {
        let c = u8::arbitrary(u)?;
        Ok(LinkHeader::from_control(c, u.arbitrary()?, u.arbitrary()?))
    }
}

impl<'a> Arbitrary<'a> for TransportHeader {
    /// Any header byte (sequence 0..=63).
    fn arbitrary(u: &mut Unstructured<'a>) -> Result<Self> {
        Ok(TransportHeader::from_byte(u.arbitrary()?))
    }
}

impl<'a> Arbitrary<'a> for AppControl {
    /// Any control byte (sequence 0..=15).
    fn arbitrary(u: &mut Unstructured<'a>) -> Result<Self> {
        Ok(AppControl::from_byte(u.arbitrary()?))
    }
}

impl<'a> Arbitrary<'a> for AppHeader {
    /// Any control byte and function; an IIN only on responses (requests carry none).
    fn arbitrary(u: &mut Unstructured<'a>) -> Result<Self> {
        let control = AppControl::arbitrary(u)?;
        let function = u8::arbitrary(u)?;
        let iin = if is_response(function) {
            Iin::arbitrary(u)?
        } else {
            Iin::default()
        };
        Ok(AppHeader {
            control,
            function,
            iin,
        })
    }
}

impl<'a> Arbitrary<'a> for LinkFrameOwned {
    /// A header and at most 250 user-data bytes.
    fn arbitrary(u: &mut Unstructured<'a>) -> Result<Self> {
        let header = LinkHeader::arbitrary(u)?;
        let n = u.int_in_range(0..=MAX_USER_DATA)?;
        let user_data = u.bytes(n)?.to_vec();
        Ok(LinkFrameOwned { header, user_data })
    }
}

impl<'a> Arbitrary<'a> for FragmentOwned {
    /// A header and any object bytes (objects decode lazily, so any bytes roundtrip).
    fn arbitrary(u: &mut Unstructured<'a>) -> Result<Self> {
        let header = AppHeader::arbitrary(u)?;
        let objects: Vec<u8> = u.arbitrary()?;
        Ok(FragmentOwned::from_parts(header, &objects))
    }
}

/// A value that fits `width` bytes (1, 2 or 4).
fn fits(u: &mut Unstructured<'_>, width: u8) -> Result<u32> {
    Ok(match width {
        1 => u32::from(u8::arbitrary(u)?),
        2 => u32::from(u16::arbitrary(u)?),
        _ => u32::arbitrary(u)?,
    })
}

impl<'a> Arbitrary<'a> for Range {
    /// An encodable range: widths 1, 2 or 4, values that fit them, start <= stop
    /// (never `Reserved`, which is only decoded).
    fn arbitrary(u: &mut Unstructured<'a>) -> Result<Self> {
        let width = *u.choose(&[1u8, 2, 4])?;
        let (a, b) = (fits(u, width)?, fits(u, width)?);
        let (start, stop) = (a.min(b), a.max(b));
        Ok(match u.int_in_range(0..=4u8)? {
            0 => Range::StartStop { width, start, stop },
            1 => Range::VirtualStartStop { width, start, stop },
            2 => Range::All,
            3 => Range::Count { width, count: a },
            _ => Range::FreeFormat {
                count: u.arbitrary()?,
            },
        })
    }
}

impl<'a> Arbitrary<'a> for ObjectHeader {
    /// Any group and variation, a defined prefix code (0..=6), an encodable range.
    fn arbitrary(u: &mut Unstructured<'a>) -> Result<Self> {
        Ok(ObjectHeader {
            group: u.arbitrary()?,
            variation: u.arbitrary()?,
            prefix: u.int_in_range(0..=6u8)?,
            range: u.arbitrary()?,
        })
    }
}
