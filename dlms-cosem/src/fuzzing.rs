//! `arbitrary::Arbitrary` for the HDLC and ciphered-APDU Reprs (feature `fuzzing`, for the
//! structure-aware fuzz target `dlms_structured`; not a public API). Hand-written where the
//! encoder has rules: address values within their size, N(S)/N(R) in 0..=7, an information
//! field that fits the 11-bit frame length, a ciphered tag that matches its envelope and
//! an authentication tag's worth of payload when the security control asks for one.

use arbitrary::{Arbitrary, Result, Unstructured};

use crate::apdu::ciphered::plain_tag_of;
use crate::apdu::{AUTH_TAG_LEN, Ciphered, CipheringKind, KeyInfo, SecurityControl};
use crate::hdlc::{Address, Control, HdlcRepr};

impl<'a> Arbitrary<'a> for Address {
    fn arbitrary(u: &mut Unstructured<'a>) -> Result<Self> {
        Ok(match u.int_in_range(0u8..=2)? {
            0 => Address::one(u.int_in_range(0..=0x7F)?),
            1 => Address::two(u.int_in_range(0..=0x7F)?, u.int_in_range(0..=0x7F)?),
            _ => Address::four(u.int_in_range(0..=0x3FFF)?, u.int_in_range(0..=0x3FFF)?),
        })
    }
}

impl<'a> Arbitrary<'a> for Control {
    fn arbitrary(u: &mut Unstructured<'a>) -> Result<Self> {
        let pf = bool::arbitrary(u)?;
        let nr = u.int_in_range(0..=7)?;
        Ok(match u.int_in_range(0u8..=9)? {
            0 => Control::I {
                ns: u.int_in_range(0..=7)?,
                nr,
                pf,
            },
            1 => Control::RR { nr, pf },
            2 => Control::RNR { nr, pf },
            3 => Control::SNRM { pf },
            4 => Control::DISC { pf },
            5 => Control::UA { pf },
            6 => Control::DM { pf },
            7 => Control::FRMR { pf },
            _ => Control::UI { pf },
        })
    }
}

impl<'a> Arbitrary<'a> for HdlcRepr<'a> {
    fn arbitrary(u: &mut Unstructured<'a>) -> Result<Self> {
        let segmented = bool::arbitrary(u)?;
        let destination = Address::arbitrary(u)?;
        let source = Address::arbitrary(u)?;
        let control = Control::arbitrary(u)?;
        // format (2) + two 4-byte addresses + control + HCS + FCS leave 2,034 of 0x7FF
        let n = u.int_in_range(0..=2034usize)?;
        Ok(HdlcRepr {
            segmented,
            destination,
            source,
            control,
            info: u.bytes(n.min(u.len()))?,
        })
    }
}

impl<'a> Arbitrary<'a> for Ciphered<'a> {
    fn arbitrary(u: &mut Unstructured<'a>) -> Result<Self> {
        let sc = u8::arbitrary(u)?;
        let ic = u32::arbitrary(u)?;
        let kind = u.int_in_range(0u8..=2)?;
        let service_tag = match u8::arbitrary(u)? {
            t if plain_tag_of(t).is_some() => t,
            t => 0xC8 | (t & 7),
        };
        let system_title = <&[u8]>::arbitrary(u)?;
        let general = (
            <&[u8]>::arbitrary(u)?,
            <&[u8]>::arbitrary(u)?,
            <&[u8]>::arbitrary(u)?,
            <&[u8]>::arbitrary(u)?,
            Option::<KeyInfo<'a>>::arbitrary(u)?,
        );
        let payload = <&[u8]>::arbitrary(u)?;
        if SecurityControl(sc).authentication() && payload.len() < AUTH_TAG_LEN {
            return Err(arbitrary::Error::NotEnoughData);
        }
        Ok(match kind {
            0 => Ciphered::service(service_tag, sc, ic, payload)
                .map_err(|_| arbitrary::Error::IncorrectFormat)?,
            1 => {
                let mut c = Ciphered::general_glo(system_title, sc, ic, payload);
                if bool::arbitrary(u)? {
                    c.tag = 0xDC;
                    c.kind = CipheringKind::GeneralDed;
                }
                c
            }
            _ => {
                let (transaction_id, recipient, date_time, other, key_info) = general;
                let mut c = Ciphered::general_glo(system_title, sc, ic, payload);
                c.tag = 0xDD;
                c.kind = CipheringKind::General;
                c.transaction_id = Some(transaction_id);
                c.recipient_system_title = Some(recipient);
                c.date_time = Some(date_time);
                c.other_information = Some(other);
                c.key_info = key_info;
                c
            }
        })
    }
}
