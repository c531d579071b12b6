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
#[inline]
pub fn syndromes(sym: &[u8; SYMBOLS]) -> [u8; PARITY] {
    let [one, ten] = &MUL;
    // five named accumulators stay in registers (an in-place loop over an array kept
    // them on the stack: a store-forwarding chain per symbol)
    let (mut a0, mut a1, mut a2, mut a3, mut a4) = (0u8, 0u8, 0u8, 0u8, 0u8);
    let step = |t: &[u8; 32], a: u8, c: u8| t.get(usize::from(a & 31)).copied().unwrap_or(0) ^ c;
    for (i, &c) in sym.iter().enumerate() {
        // after data symbol 15 the next step also skips the 10 zero symbols
        let [t0, t1, t2, t3, t4] = if i == DATA { ten } else { one };
        let c = c & 31;
        (a0, a1, a2, a3, a4) = (
            step(t0, a0, c),
            step(t1, a1, c),
            step(t2, a2, c),
            step(t3, a3, c),
            step(t4, a4, c),
        );
    }
    [a0, a1, a2, a3, a4]
}

/// What a successful decode changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Fix {
    /// Symbols at unknown positions that were wrong (errors).
    pub errors: u8,
    /// Symbols at known positions (erasures) that were filled in.
    pub erasures: u8,
}

impl Fix {
    /// Symbols changed or filled in, in all.
    pub const fn total(self) -> u8 {
        self.errors.saturating_add(self.erasures)
    }
}

/// Corrects up to 2 symbol errors in place; returns how many symbols changed.
/// `None` means uncorrectable (the codeword is left unchanged).
pub fn correct(sym: &mut [u8; SYMBOLS]) -> Option<u8> {
    correct_errors(sym)
}

/// Errors only (no erasure): Peterson's direct solution for up to 2 errors, about
/// twice as fast as the general decoder below, which it agrees with (tested).
fn correct_errors(sym: &mut [u8; SYMBOLS]) -> Option<u8> {
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

/// The largest `2 * errors + erasures` this code corrects: 5 parity symbols give
/// minimum distance 6, so `2e + f <= 5` (e.g. 2 errors and 1 erasure, 1 error and 3
/// erasures, or 5 erasures).
pub const BOUND: u32 = PARITY as u32;

/// Errors-and-erasures decoding. `erased` has bit `i` set when symbol `i` (0..21) is
/// an erasure: its value is unknown (an invalid chip group), whatever `sym[i]` holds.
/// Corrects `e` errors at unknown positions and `f` erasures when `2e + f <= 5`
/// ([`BOUND`]): erasure locator, Forney syndromes, Berlekamp-Massey for the error
/// locator, Chien search over the 21 positions, then the magnitudes from the
/// Vandermonde system of the first `e + f` syndromes; the result is re-checked (all
/// five syndromes zero) before `sym` is changed. `None`: beyond the bound or
/// inconsistent (the codeword is left unchanged). Without erasures the direct
/// 2-error solution runs instead (same results, tested, about twice as fast).
pub fn correct_erasures(sym: &mut [u8; SYMBOLS], erased: u32) -> Option<Fix> {
    let erased = erased & 0x1F_FFFF; // the 21 symbols
    if erased == 0 {
        return correct_errors(sym).map(|errors| Fix {
            errors,
            erasures: 0,
        });
    }
    correct_general(sym, erased)
}

/// The general errors-and-erasures decoder of [`correct_erasures`].
// Every index below is bounded by the constants PARITY (5) and SYMBOLS (21): k - j
// with j <= f <= k <= 4, n - i with i <= l <= n, rows and columns < npos <= 5, and
// positions < 21; the exhaustive tests in tests/correction.rs run every path.
#[allow(clippy::indexing_slicing, clippy::arithmetic_side_effects)]
fn correct_general(sym: &mut [u8; SYMBOLS], erased: u32) -> Option<Fix> {
    let f = erased.count_ones();
    if f > BOUND {
        return None;
    }
    let mut work = *sym;
    for (i, c) in work.iter_mut().enumerate() {
        if erased & (1u32 << i) != 0 {
            *c = 0;
        }
    }
    let s = syndromes(&work);
    if s.iter().all(|&x| x == 0) {
        // every erasure was a zero symbol and nothing else is wrong
        *sym = work;
        return Some(Fix {
            errors: 0,
            erasures: f as u8,
        });
    }
    // locators X = alpha^power(i); syndromes S_k = sum Y'_i X_i^k with Y' = Y X^29
    let loc = |i: usize| exp(power_of(i));
    // erasure locator Gamma(x) = prod (1 + X_j x), lowest degree first
    let mut gamma = [0u8; PARITY + 1];
    gamma[0] = 1;
    for i in (0..SYMBOLS).filter(|&i| erased & (1u32 << i) != 0) {
        let x = loc(i);
        for k in (1..=PARITY).rev() {
            gamma[k] ^= mul(gamma[k - 1], x);
        }
    }
    // Forney syndromes T_k = sum_j Gamma_j S_{k-j}, k = f..4: the errors alone
    let f_us = f as usize;
    let mut t = [0u8; PARITY];
    let nt = PARITY - f_us;
    for (n, tn) in t.iter_mut().take(nt).enumerate() {
        let k = f_us + n;
        let mut acc = 0u8;
        for j in 0..=f_us {
            acc ^= mul(gamma[j], s[k - j]);
        }
        *tn = acc;
    }
    // Berlekamp-Massey on T_f..T_4 (nt values): error locator Lambda, degree l
    let mut lambda = [0u8; PARITY + 1];
    lambda[0] = 1;
    let mut prev = lambda;
    let (mut l, mut shift, mut b) = (0usize, 1usize, 1u8);
    for n in 0..nt {
        let mut d = t[n];
        for i in 1..=l {
            d ^= mul(lambda[i], t[n - i]);
        }
        if d == 0 {
            shift += 1;
            continue;
        }
        let coef = div(d, b);
        let before = lambda;
        for i in 0..=PARITY {
            if i >= shift {
                lambda[i] ^= mul(coef, prev[i - shift]);
            }
        }
        if 2 * l <= n {
            l = n + 1 - l;
            prev = before;
            b = d;
            shift = 1;
        } else {
            shift += 1;
        }
    }
    if 2 * l + f_us > PARITY {
        return None;
    }
    // Chien search: error positions are the roots X^-1 of Lambda among the 21 symbols
    let mut pos = [0usize; PARITY];
    let mut npos = 0usize;
    let mut errors = 0usize;
    for i in 0..SYMBOLS {
        let is_erasure = erased & (1u32 << i) != 0;
        let xinv = exp(31 - power_of(i));
        let mut v = 0u8;
        let mut xp = 1u8;
        for &c in lambda.iter().take(l + 1) {
            v ^= mul(c, xp);
            xp = mul(xp, xinv);
        }
        let is_error = l > 0 && v == 0;
        if is_error && is_erasure {
            return None;
        }
        if is_error {
            errors += 1;
        }
        if is_error || is_erasure {
            *pos.get_mut(npos)? = i;
            npos += 1;
        }
    }
    if errors != l {
        return None;
    }
    // magnitudes: S_k = sum_i Y'_i X_i^k for k = 0..npos-1, Gaussian elimination
    let mut m = [[0u8; PARITY + 1]; PARITY];
    for (k, row) in m.iter_mut().take(npos).enumerate() {
        for (c, &p) in pos.iter().take(npos).enumerate() {
            row[c] = exp(power_of(p) * k);
        }
        row[PARITY] = s[k];
    }
    for col in 0..npos {
        let piv = (col..npos).find(|&r| m[r][col] != 0)?;
        m.swap(col, piv);
        let inv = div(1, m[col][col]);
        for v in m[col].iter_mut() {
            *v = mul(*v, inv);
        }
        let pivot = m[col];
        for (r, row) in m.iter_mut().take(npos).enumerate() {
            let factor = row[col];
            if r != col && factor != 0 {
                for (v, &pv) in row.iter_mut().zip(pivot.iter()) {
                    *v ^= mul(factor, pv);
                }
            }
        }
    }
    for (r, &p) in pos.iter().take(npos).enumerate() {
        let y = div(m[r][PARITY], exp(power_of(p) * FIRST_ROOT));
        let is_erasure = erased & (1u32 << p) != 0;
        if y == 0 && !is_erasure {
            return None;
        }
        work[p] ^= y;
    }
    if syndromes(&work).iter().any(|&x| x != 0) {
        return None;
    }
    *sym = work;
    Some(Fix {
        errors: errors as u8,
        erasures: f as u8,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn general_decoder_agrees_with_peterson_on_errors_only() {
        // every 1- and 2-error pattern (positions exhaustive, values pseudo-random) and
        // random 3-error patterns: both decoders give the same result
        let data: [u8; DATA] = core::array::from_fn(|i| (i as u8 * 7 + 3) & 31);
        let par = parity(&data);
        let mut cw = [0u8; SYMBOLS];
        cw[..DATA].copy_from_slice(&data);
        cw[DATA..].copy_from_slice(&par);
        assert_eq!(syndromes(&cw), [0; PARITY]);
        let mut x = meterwire_testkit::rng::XorShift32(0x1234_5678);
        let mut rnd = || x.next_u32();
        for p in 0..SYMBOLS {
            for q in p..SYMBOLS {
                for extra in [None, Some(rnd() as usize % SYMBOLS)] {
                    let mut s = cw;
                    s[p] ^= 1 + (rnd() % 31) as u8;
                    if q != p {
                        s[q] ^= 1 + (rnd() % 31) as u8;
                    }
                    if let Some(r) = extra {
                        s[r] ^= 1 + (rnd() % 31) as u8;
                    }
                    let (mut a, mut b) = (s, s);
                    let fa = correct_errors(&mut a);
                    let fb = correct_general(&mut b, 0).map(|f| f.errors);
                    assert_eq!((fa, a), (fb, b), "{p} {q} {extra:?}");
                }
            }
        }
    }

    #[test]
    fn field_tables() {
        assert_eq!(EXP[0], 1);
        assert_eq!(EXP[5], 0x05); // x^5 = x^2 + 1
        assert_eq!(mul(div(7, 13), 13), 7);
        assert_eq!(GEN[0], 1);
    }
}
