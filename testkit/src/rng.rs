//! Small deterministic generators for tests, examples and generators of test data:
//! the same seed gives the same sequence on every platform and run, with no dependency.
//! Not for anything that needs real randomness.

/// A xorshift generator `$name($t)` with shifts `$a`, `$b`, `$c`: `$next` advances
/// the state and returns it, `below(n)` is the next value modulo `n`.
macro_rules! xorshift {
    ($(#[$m:meta])* $name:ident($t:ty), $next:ident, $a:literal, $b:literal, $c:literal) => {
        $(#[$m])*
        #[derive(Debug, Clone)]
        pub struct $name(pub $t);

        impl $name {
            /// Advances the state and returns it.
            pub fn $next(&mut self) -> $t {
                self.0 ^= self.0 << $a;
                self.0 ^= self.0 >> $b;
                self.0 ^= self.0 << $c;
                self.0
            }

            /// The next value modulo `n` (`n > 0`; slightly biased, fine for tests).
            pub fn below(&mut self, n: $t) -> $t {
                self.$next() % n
            }
        }
    };
}

xorshift!(
    /// Marsaglia's xorshift64 (shifts 13, 7, 17). The state must not be zero (a zero
    /// state stays zero).
    XorShift(u64), next_u64, 13, 7, 17
);

xorshift!(
    /// Marsaglia's xorshift32 (shifts 13, 17, 5), for tests whose inputs were drawn
    /// from it. The state must not be zero.
    XorShift32(u32), next_u32, 13, 17, 5
);

impl XorShift {
    /// [`Self::below`] for indices and lengths.
    pub fn index(&mut self, n: usize) -> usize {
        self.below(n as u64) as usize
    }

    /// Appends `n` bytes: the little-endian bytes of successive [`Self::next_u64`] values.
    pub fn fill(&mut self, out: &mut Vec<u8>, n: usize) {
        let mut left = n;
        while left > 0 {
            let w = self.next_u64().to_le_bytes();
            let k = left.min(8);
            out.extend_from_slice(&w[..k]);
            left -= k;
        }
    }

    /// Appends `n` bytes drawn from `alphabet` (not empty).
    pub fn fill_from(&mut self, out: &mut Vec<u8>, n: usize, alphabet: &[u8]) {
        for _ in 0..n {
            out.push(alphabet[self.index(alphabet.len())]);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_sequences() {
        let mut r = XorShift(1);
        assert_eq!(r.next_u64(), 0x4082_2041);
        assert_eq!(r.next_u64(), 0x1000_4106_0c01_1441);
        let mut r = XorShift32(1);
        assert_eq!(r.next_u32(), 0x0004_2021);
        assert_eq!(r.next_u32(), 0x0408_0601);
        let (mut v, mut r) = (Vec::new(), XorShift(7));
        r.fill(&mut v, 11);
        assert_eq!(v.len(), 11);
        let w0 = XorShift(7).next_u64().to_le_bytes();
        assert_eq!(v[..8], w0);
    }
}
