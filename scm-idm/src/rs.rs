//! Reed-Solomon over GF(32) for Neptune R900: field polynomial x^5+x^2+1 (0x25),
//! alpha = 2, shortened RS(31,26) whose codeword is 16 data symbols, 10 implicit zero
//! symbols and 5 parity symbols, first symbol the highest power (x^30). The generator is
//! prod(x - alpha^(29+k)), k = 0..4, so valid codewords have zero syndromes at
//! alpha^29..alpha^33. Decoding corrects up to 2 symbol errors (Peterson's method);
//! with minimum distance 6 it also detects every 3-error pattern.

/// Data symbols per packet.
pub const DATA: usize = 16;
/// Parity symbols per packet.
pub const PARITY: usize = 5;
/// Symbols per packet.
pub const SYMBOLS: usize = DATA + PARITY;
const FIRST_ROOT: usize = 29;

#[allow(clippy::indexing_slicing, clippy::arithmetic_side_effects)] // const-evaluated: a bad index fails the build
const fn tables() -> ([u8; 62], [u8; 32]) {
    let mut exp = [0u8; 62];
    let mut log = [0u8; 32];
    let mut x: u8 = 1;
    let mut i = 0;
    while i < 31 {
        exp[i] = x;
        exp[i + 31] = x;
        log[x as usize] = i as u8;
        x <<= 1;
        if x & 0x20 != 0 {
            x ^= 0x25;
        }
        i += 1;
    }
    (exp, log)
}

const TABLES: ([u8; 62], [u8; 32]) = tables();
static EXP: [u8; 62] = TABLES.0;
static LOG: [u8; 32] = TABLES.1;

#[inline]
fn exp(i: usize) -> u8 {
    EXP.get(i.checked_rem(31).unwrap_or(0))
        .copied()
        .unwrap_or(0)
}
#[inline]
fn log(a: u8) -> usize {
    usize::from(LOG.get(usize::from(a & 31)).copied().unwrap_or(0))
}

/// GF(32) multiplication.
#[inline]
pub fn mul(a: u8, b: u8) -> u8 {
    if a == 0 || b == 0 {
        0
    } else {
        exp(log(a).wrapping_add(log(b)))
    }
}

/// GF(32) division (`b != 0`; returns 0 for `b == 0`).
#[inline]
pub fn div(a: u8, b: u8) -> u8 {
    if a == 0 || b == 0 {
        0
    } else {
        exp(log(a).wrapping_add(31).wrapping_sub(log(b)))
    }
}

/// The power of x that symbol `i` (0..21) multiplies in the codeword polynomial.
#[inline]
pub fn power_of(i: usize) -> usize {
    if i < DATA {
        30usize.wrapping_sub(i)
    } else {
        // parity symbols 16..20 are x^4..x^0
        (SYMBOLS - 1).wrapping_sub(i)
    }
}

#[allow(clippy::indexing_slicing, clippy::arithmetic_side_effects)] // const-evaluated: a bad index fails the build
/// The generator polynomial coefficients, highest power first (monic, degree 5).
const GEN: [u8; PARITY + 1] = {
    let mut g = [0u8; PARITY + 1];
    g[0] = 1;
    let mut len = 1;
    let mut k = 0;
    while k < PARITY {
        let root = TABLES.0[(FIRST_ROOT + k) % 31];
        // g = g * (x + root)
        let mut ng = [0u8; PARITY + 1];
        let mut i = 0;
        while i < len {
            ng[i] ^= g[i];
            // g[i] * root
            let a = g[i];
            let p = if a == 0 {
                0
            } else {
                TABLES.0[(TABLES.1[a as usize] as usize + TABLES.1[root as usize] as usize) % 31]
            };
            ng[i + 1] ^= p;
            i += 1;
        }
        g = ng;
        len += 1;
        k += 1;
    }
    g
};

/// Computes the 5 parity symbols of 16 data symbols (each < 32).
pub fn parity(data: &[u8; DATA]) -> [u8; PARITY] {
    // long division of d(x) * x^15 by g(x); the 10 zero symbols only shift the remainder
    let mut rem = [0u8; PARITY];
    let feed = data.iter().copied().chain(core::iter::repeat_n(0u8, 10));
    for d in feed {
        let fb = (d & 31) ^ rem[0];
        rem.copy_within(1.., 0);
        rem[PARITY - 1] = 0;
        if fb != 0 {
            for (r, g) in rem.iter_mut().zip(GEN.iter().skip(1)) {
                *r ^= mul(*g, fb);
            }
        }
    }
    rem
}

#[allow(clippy::indexing_slicing, clippy::arithmetic_side_effects)] // const-evaluated: a bad index fails the build
/// `MUL[t][j][a]` = a * alpha^((29 + j) * (1 + 10t)): t = 0 steps one position, t = 1
/// steps over one position and the 10 implicit zeros (power 10 * root).
const fn mul_tables() -> [[[u8; 32]; PARITY]; 2] {
    let (exp, log) = tables();
    let mut t = [[[0u8; 32]; PARITY]; 2];
    let mut step = 0;
    while step < 2 {
        let mut j = 0;
        while j < PARITY {
            let k = ((FIRST_ROOT + j) * (1 + 10 * step)) % 31;
            let mut a = 1;
            while a < 32 {
                t[step][j][a] = exp[(log[a] as usize + k) % 31];
                a += 1;
            }
            j += 1;
        }
        step += 1;
    }
    t
}

static MUL: [[[u8; 32]; PARITY]; 2] = mul_tables();

/// The 5 syndromes of a 21-symbol codeword (all zero when valid), by Horner's rule
/// with one table lookup per symbol and root (the 10 implicit zeros cost one lookup).
pub fn syndromes(sym: &[u8; SYMBOLS]) -> [u8; PARITY] {
    let [one, ten] = &MUL;
    let mut acc = [0u8; PARITY];
    for (i, &c) in sym.iter().enumerate() {
        // after data symbol 15 the next step also skips the 10 zero symbols
        let tab = if i == DATA { ten } else { one };
        for (a, t) in acc.iter_mut().zip(tab.iter()) {
            *a = t.get(usize::from(*a & 31)).copied().unwrap_or(0) ^ (c & 31);
        }
    }
    acc
}

/// Corrects up to 2 symbol errors in place; returns how many symbols changed.
/// `None` means uncorrectable (the codeword is left unchanged).
pub fn correct(sym: &mut [u8; SYMBOLS]) -> Option<u8> {
    let s = syndromes(sym);
    if s.iter().all(|&x| x == 0) {
        return Some(0);
    }
    let [s0, s1, s2, s3, s4] = s;
    // candidate error locators X = alpha^power and effective magnitudes Y' (Y * X^29)
    let mut fixes: [(usize, u8); 2] = [(0, 0); 2];
    let n;
    let det = mul(s1, s1) ^ mul(s0, s2);
    if det != 0 {
        let l1 = div(mul(s1, s2) ^ mul(s0, s3), det);
        let l2 = div(mul(s1, s3) ^ mul(s2, s2), det);
        if s4 != mul(l1, s3) ^ mul(l2, s2) {
            return None;
        }
        // roots of 1 + l1 z + l2 z^2 at z = X^-1 for X = alpha^power(i)
        let mut found = 0usize;
        let mut xs = [0u8; 2];
        let mut idx = [0usize; 2];
        for i in 0..SYMBOLS {
            let p = power_of(i);
            let zinv = exp(31usize.wrapping_sub(p));
            let v = 1 ^ mul(l1, zinv) ^ mul(l2, mul(zinv, zinv));
            if v == 0 {
                if found >= 2 {
                    return None;
                }
                if let (Some(x), Some(ix)) = (xs.get_mut(found), idx.get_mut(found)) {
                    *x = exp(p);
                    *ix = i;
                }
                found = found.wrapping_add(1);
            }
        }
        if found != 2 {
            return None;
        }
        let [x1, x2] = xs;
        // S0 = Y1' + Y2', S1 = Y1' X1 + Y2' X2
        let y1 = div(s1 ^ mul(s0, x2), x1 ^ x2);
        let y2 = s0 ^ y1;
        fixes = [(idx[0], y1), (idx[1], y2)];
        n = 2;
    } else {
        if s0 == 0 {
            return None;
        }
        let x = div(s1, s0);
        if x == 0 || s2 != mul(x, s1) || s3 != mul(x, s2) || s4 != mul(x, s3) {
            return None;
        }
        let p = log(x);
        let i = (0..SYMBOLS).find(|&i| power_of(i) == p)?;
        fixes[0] = (i, s0);
        n = 1;
    }
    let mut fixed = *sym;
    for &(i, yprime) in fixes.iter().take(n) {
        // Y = Y' / X^29
        let p = power_of(i);
        let x29 = exp(p.wrapping_mul(FIRST_ROOT));
        let y = div(yprime, x29);
        if y == 0 {
            return None;
        }
        if let Some(c) = fixed.get_mut(i) {
            *c ^= y;
        }
    }
    if syndromes(&fixed).iter().any(|&x| x != 0) {
        return None;
    }
    *sym = fixed;
    Some(n as u8)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn field_tables() {
        assert_eq!(EXP[0], 1);
        assert_eq!(EXP[5], 0x05); // x^5 = x^2 + 1
        assert_eq!(mul(div(7, 13), 13), 7);
        assert_eq!(GEN[0], 1);
    }
}
