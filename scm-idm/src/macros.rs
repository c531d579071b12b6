//! The pieces every packet view and framer of this crate shares, written once.

/// `new_unchecked`, `as_bytes`, `into_inner` and the private bit reader of a view
/// `$t<T> { buf: T }` whose packet is `$len` bytes.
macro_rules! view_basics {
    ($t:ident, $len:expr) => {
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
