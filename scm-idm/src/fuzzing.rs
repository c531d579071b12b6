//! `arbitrary::Arbitrary` for the owned forms (feature `fuzzing`, not a public API):
//! hand-written so every generated value is inside the encoder's limits (26-bit SCM
//! ids, 24-bit consumptions, interval and padding widths, six BCD digits), so a
//! structure-aware fuzz target reaches the decoders with valid packets. `ScmPlusRepr`
//! (full-width fields only) derives it.

use crate::{IdmRepr, NetIdmRepr, R900BcdRepr, R900Repr, ScmRepr};
use arbitrary::{Arbitrary, Result, Unstructured};

/// A value of at most `bits` bits.
fn bits(u: &mut Unstructured<'_>, bits: u32) -> Result<u32> {
    u.int_in_range(
        0..=u32::MAX
            .checked_shr(32u32.saturating_sub(bits))
            .unwrap_or(0),
    )
}

/// A `u8` of at most `n` bits.
fn small(u: &mut Unstructured<'_>, n: u32) -> Result<u8> {
    Ok(bits(u, n)? as u8)
}

/// `N` intervals of at most `width` bits each.
fn intervals<const N: usize>(u: &mut Unstructured<'_>, width: u32) -> Result<[u16; N]> {
    let mut out = [0u16; N];
    for v in &mut out {
        *v = bits(u, width)? as u16;
    }
    Ok(out)
}

impl<'a> Arbitrary<'a> for ScmRepr {
    fn arbitrary(u: &mut Unstructured<'a>) -> Result<Self> {
        Ok(ScmRepr {
            id: bits(u, 26)?,
            ert_type: small(u, 4)?,
            physical_tamper: small(u, 2)?,
            encoder_tamper: small(u, 2)?,
            consumption: bits(u, 24)?,
            reserved: u.arbitrary()?,
        })
    }
}

/// `Arbitrary` for an IDM-family Repr: the shared header fields, then its own
/// fields from the given expressions.
macro_rules! idm_arbitrary {
    ($repr:ident, $u:ident, { $($f:ident: $v:expr),* $(,)? }) => {
        impl<'a> Arbitrary<'a> for $repr {
            fn arbitrary($u: &mut Unstructured<'a>) -> Result<Self> {
                Ok($repr {
                    hamming_code: $u.arbitrary()?,
                    application_version: $u.arbitrary()?,
                    ert_type: $u.arbitrary()?,
                    serial: $u.arbitrary()?,
                    interval_count: $u.arbitrary()?,
                    programming_state: $u.arbitrary()?,
                    tamper_counters: $u.arbitrary()?,
                    $($f: $v,)*
                    tx_time_offset: $u.arbitrary()?,
                })
            }
        }
    };
}

idm_arbitrary!(IdmRepr, u, {
    async_counters: u.arbitrary()?,
    power_outage_flags: u.arbitrary()?,
    last_consumption: u.arbitrary()?,
    intervals: intervals(u, 9)?,
    padding: small(u, 1)?,
});

idm_arbitrary!(NetIdmRepr, u, {
    unknown_1: u.arbitrary()?,
    last_consumption: bits(u, 24)?,
    last_generation: bits(u, 24)?,
    unknown_2: u.arbitrary()?,
    last_consumption_net: u.arbitrary()?,
    intervals: intervals(u, 14)?,
    padding: small(u, 6)?,
});

impl<'a> Arbitrary<'a> for R900Repr {
    fn arbitrary(u: &mut Unstructured<'a>) -> Result<Self> {
        Ok(R900Repr {
            id: u.arbitrary()?,
            unkn1: u.arbitrary()?,
            nouse: small(u, 6)?,
            backflow: small(u, 2)?,
            consumption: bits(u, 24)?,
            unkn3: small(u, 2)?,
            leak: small(u, 4)?,
            leaknow: small(u, 2)?,
        })
    }
}

impl<'a> Arbitrary<'a> for R900BcdRepr {
    fn arbitrary(u: &mut Unstructured<'a>) -> Result<Self> {
        let mut r = R900Repr::arbitrary(u)?;
        r.consumption = u.int_in_range(0..=999_999)?;
        Ok(R900BcdRepr(r))
    }
}
