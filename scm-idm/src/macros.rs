//! The pieces every packet view and framer of this crate shares, written once.

/// A zero-copy view `$t<T> { buf: T }` of a `$len`-byte packet (its doc given) with
/// `new_unchecked`, `as_bytes`, `into_inner` and the private bit reader; the view's
/// own `impl` block adds the checks and getters.
macro_rules! view {
    ($(#[$m:meta])* $t:ident, $len:expr) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub struct $t<T> {
            buf: T,
        }

        impl<T: AsRef<[u8]>> $t<T> {
            /// Wraps a buffer without checks (getters never panic; short input reads zeros).
            pub const fn new_unchecked(buf: T) -> Self {
                $t { buf }
            }

            /// The packet bytes (the packet length, or what the buffer holds).
            pub fn as_bytes(&self) -> &[u8] {
                let b = self.buf.as_ref();
                b.get(..$len).unwrap_or(b)
            }

            /// The inner buffer.
            pub fn into_inner(self) -> T {
                self.buf
            }

            /// `n <= 32` bits MSB-first from bit `start` (zeros past the end).
            fn bits(&self, start: usize, n: u32) -> u32 {
                $crate::bits::get_bits(self.buf.as_ref(), start, n)
            }
        }
    };
}

/// `to_bytes`: the owned form encoded into a `$len`-byte array.
macro_rules! to_bytes {
    ($len:expr) => {
        /// Encodes into a fixed array.
        pub fn to_bytes(&self) -> Result<[u8; $len], meterwire_core::EncodeError> {
            let mut out = [0u8; $len];
            meterwire_core::Encode::encode(self, &mut out)?;
            Ok(out)
        }
    };
}

/// Getters of bit fields: `name -> type = first bit, width;` each with its doc.
macro_rules! bit_getters {
    ($($(#[$m:meta])* $name:ident -> $ty:ty = $start:expr, $n:expr;)*) => {
        $(
            $(#[$m])*
            #[inline]
            #[allow(clippy::unnecessary_cast)]
            pub fn $name(&self) -> $ty {
                self.bits($start, $n) as $ty
            }
        )*
    };
}

/// `new_checked_with` and an empty `diagnostics` for a view whose checked packets
/// have no departures this crate reports.
macro_rules! no_diagnostics {
    ($name:literal) => {
        #[doc = concat!("As `new_checked`; strictness has no effect yet: ", $name, " packets that pass their")]
        /// checks have no departures this crate reports ([`Self::diagnostics`] is empty).
        pub fn new_checked_with(buf: T, strictness: $crate::Strictness) -> Result<Self, $crate::Error> {
            let s = Self::new_checked(buf)?;
            $crate::error::enforce(strictness, || s.diagnostics())?;
            Ok(s)
        }

        #[doc = concat!("Departures that still decode: none are known for ", $name, " (the iterator is empty;")]
        /// it exists so every view has the same shape).
        pub fn diagnostics(&self) -> impl Iterator<Item = $crate::Diagnostic> + use<T> {
            core::iter::empty()
        }
    };
}

/// The builder methods of the correcting framers: `correct` with its doc, and core's
/// `strictness`/`strict` pair (strict mode: diagnostics become
/// `Error::Core(Nonconforming)`).
macro_rules! builders {
    (correct: $correct_doc:literal) => {
        #[doc = $correct_doc]
        pub const fn correct(mut self) -> Self {
            self.correct = true;
            self
        }

        meterwire_core::strictness_builders!(strictness);
    };
}

/// Runs the checks of a view in order, then strict mode's rejection of its
/// diagnostics; the view on success.
macro_rules! checked {
    ($s:expr, $strictness:expr, $($check:ident),+) => {{
        let s = $s;
        $(s.$check()?;)+
        $crate::error::enforce($strictness, || s.diagnostics())?;
        Ok(s)
    }};
}
