//! MSB-first bit access on byte slices (never panics; bits past the end read as 0).

/// Reads `n` bits (`n <= 32`) MSB-first starting at bit `start`.
#[inline]
pub fn get_bits(buf: &[u8], start: usize, n: u32) -> u32 {
    if n == 0 {
        return 0;
    }
    let n = n.min(32);
    let byte = start >> 3;
    let off = (start & 7) as u32;
    let mut acc: u64 = 0;
    for k in 0..5usize {
        let b = buf.get(byte.wrapping_add(k)).copied().unwrap_or(0);
        acc = acc.wrapping_shl(8) | u64::from(b);
    }
    // 40 bits read; left-justify, drop `off` bits, keep the top `n`.
    let v = acc
        .wrapping_shl(24u32.wrapping_add(off))
        .wrapping_shr(64u32.wrapping_sub(n));
    v as u32
}

/// Reads one bit.
#[inline]
pub fn get_bit(buf: &[u8], pos: usize) -> bool {
    buf.get(pos >> 3)
        .is_some_and(|b| b & (0x80u8 >> (pos & 7)) != 0)
}

/// Sets one bit (ignored past the end).
#[inline]
pub fn set_bit(buf: &mut [u8], pos: usize, v: bool) {
    if let Some(b) = buf.get_mut(pos >> 3) {
        let m = 0x80u8 >> (pos & 7);
        if v {
            *b |= m;
        } else {
            *b &= !m;
        }
    }
}

/// Writes the low `n` bits (`n <= 32`) of `v` MSB-first starting at bit `start`.
pub fn set_bits(buf: &mut [u8], start: usize, n: u32, v: u32) {
    for i in 0..n.min(32) {
        let bit = v.wrapping_shr(n.wrapping_sub(1).wrapping_sub(i)) & 1 != 0;
        set_bit(buf, start.wrapping_add(i as usize), bit);
    }
}

/// Copies `nbits` bits starting at bit `start` of `src` into `dst` from bit 0.
pub fn extract(src: &[u8], start: usize, nbits: usize, dst: &mut [u8]) {
    let mut done = 0usize;
    for d in dst.iter_mut() {
        if done >= nbits {
            break;
        }
        let take = nbits.saturating_sub(done).min(8) as u32;
        let v = get_bits(src, start.wrapping_add(done), take);
        *d = (v.wrapping_shl(8u32.wrapping_sub(take))) as u8;
        done = done.wrapping_add(8);
    }
}

/// Copies `n` bits from `src` at bit `from` into `dst` at bit `to`.
pub fn copy_bits(src: &[u8], from: usize, n: usize, dst: &mut [u8], to: usize) {
    for i in 0..n {
        set_bit(dst, to.wrapping_add(i), get_bit(src, from.wrapping_add(i)));
    }
}

/// `Ok` when `v` fits in `bits` bits, else the encoder's error naming `field`.
#[inline]
pub fn fits(
    field: &'static str,
    v: u32,
    bits: u32,
    reason: &'static str,
) -> Result<(), meterwire_core::EncodeError> {
    if v.checked_shr(bits).unwrap_or(0) != 0 {
        return Err(meterwire_core::EncodeError::Invalid { field, reason });
    }
    Ok(())
}

/// The first `len` bytes of `out`, zeroed, for an encoder (or the error naming the
/// buffer size needed).
#[inline]
pub fn out_zeroed(out: &mut [u8], len: usize) -> Result<&mut [u8], meterwire_core::EncodeError> {
    let available = out.len();
    let o = out
        .get_mut(..len)
        .ok_or(meterwire_core::EncodeError::BufferTooSmall {
            needed: len,
            available,
        })?;
    o.fill(0);
    Ok(o)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn get_set_roundtrip() {
        let mut b = [0u8; 8];
        set_bits(&mut b, 5, 9, 0x1A5);
        assert_eq!(get_bits(&b, 5, 9), 0x1A5);
        set_bits(&mut b, 30, 32, 0xDEAD_BEEF);
        assert_eq!(get_bits(&b, 30, 32), 0xDEAD_BEEF);
        assert_eq!(get_bits(&b, 60, 32), get_bits(&b, 60, 4) << 28);
        let src = [0xF9, 0x53, 0x06];
        let mut dst = [0u8; 2];
        extract(&src, 4, 12, &mut dst);
        assert_eq!(dst, [0x95, 0x30]);
    }
}
