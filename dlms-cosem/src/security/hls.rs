//! HLS authentication mechanism 5 (HLS-GMAC), Green Book 9.2.7.4 and
//! IEC 62056-5-3 §9.2.2.2.
//!
//! After the AARQ (client challenge CtoS) and the AARE (server challenge StoC),
//! the client sends f(StoC) in an action on the association object and the
//! server answers with f(CtoS), where
//!
//! `f(challenge) = SC || IC || GMAC(EK, IV = own system title || IC, AAD = SC || AK || challenge)`
//!
//! with SC = 0x10 | suite and the 12-byte tag.

use super::gcm;
use super::keys::{SecurityControl, SecurityKeys};
use super::{SecurityError, TAG_LEN};

/// Length of an HLS-GMAC response: SC (1) + IC (4) + tag (12).
pub const RESPONSE_LEN: usize = 1 + 4 + TAG_LEN;

/// Computes f(challenge) as the party with `own_system_title` and invocation
/// counter `ic` (a client computes f(StoC), a server f(CtoS)).
pub fn hls_gmac_response(
    keys: &SecurityKeys,
    suite: u8,
    own_system_title: [u8; 8],
    ic: u32,
    challenge: &[u8],
) -> Result<[u8; RESPONSE_LEN], SecurityError> {
    let sc = SecurityControl::new(suite, true, false);
    let key = gcm::Cipher::for_mode(&keys.unicast, sc, true);
    let p = gcm::Params {
        key: &key,
        ak: keys.authentication.as_ref(),
        sc,
        system_title: &own_system_title,
        invocation_counter: ic,
        extra_aad: &[],
    };
    let tag = gcm::gmac(&p, challenge)?;
    let mut out = [0u8; RESPONSE_LEN];
    let (a, rest) = out.split_at_mut(1);
    a.copy_from_slice(&[sc.0]);
    let (b, c) = rest.split_at_mut(4);
    b.copy_from_slice(&ic.to_be_bytes());
    c.copy_from_slice(&tag);
    Ok(out)
}

/// Verifies the peer's f(challenge) (`response` = SC || IC || tag) computed by
/// the party with `peer_system_title` over the challenge we sent. Returns the
/// peer's invocation counter (feed it to an
/// [`InvocationCounterGuard`](super::InvocationCounterGuard)).
pub fn hls_gmac_verify(
    keys: &SecurityKeys,
    peer_system_title: [u8; 8],
    challenge: &[u8],
    response: &[u8],
) -> Result<u32, SecurityError> {
    let r: &[u8; RESPONSE_LEN] = response.try_into().map_err(|_| {
        SecurityError::Decode(meterwire_core::Error::Length {
            field: "hls-gmac response",
            expected: RESPONSE_LEN,
            actual: response.len(),
        })
    })?;
    let (sc, rest) = r.split_at(1);
    let (ic, tag) = rest.split_at(4);
    let sc = SecurityControl(sc.first().copied().unwrap_or(0));
    if !sc.is_authenticated() || sc.is_encrypted() {
        return Err(SecurityError::malformed(
            "hls-gmac security control",
            "expected 0x1x (authentication only)",
        ));
    }
    let ic = u32::from_be_bytes(ic.try_into().unwrap_or([0; 4]));
    let expect = hls_gmac_response(keys, sc.suite(), peer_system_title, ic, challenge)?;
    let expect_tag = expect.get(5..).unwrap_or(&[]);
    if bool::from(subtle::ConstantTimeEq::ct_eq(expect_tag, tag)) {
        Ok(ic)
    } else {
        Err(SecurityError::AuthenticationFailed)
    }
}
