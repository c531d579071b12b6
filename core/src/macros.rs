//! Declarative helpers shared by the protocol crates, so the same shapes (a table
//! of diagnostic constants, the strictness builder pair, an enum of named
//! variants) are written once instead of once per framer.

/// Declares `pub const` [`Diagnostic`](crate::Diagnostic)s, one per line:
/// `pub NAME = Kind, "field", "message";` with its doc comment before it.
///
/// ```
/// use meterwire_core::{diagnostics, DiagnosticKind};
///
/// diagnostics! {
///     /// A reserved function code.
///     pub RESERVED = ReservedCode, "function", "reserved code";
///     /// Bytes after the last object.
///     pub TRAILING = TrailingBytes, "objects", "trailing bytes";
/// }
/// assert_eq!(RESERVED.kind, DiagnosticKind::ReservedCode);
/// assert_eq!(TRAILING.field, "objects");
/// assert_eq!(TRAILING.message, "trailing bytes");
/// ```
#[macro_export]
macro_rules! diagnostics {
    ($( $(#[$m:meta])* $vis:vis $name:ident = $kind:ident, $field:expr, $msg:expr; )*) => {
        $(
            $(#[$m])*
            $vis const $name: $crate::Diagnostic =
                $crate::Diagnostic::new($crate::DiagnosticKind::$kind, $field, $msg);
        )*
    };
}

/// The builder pair every framer and decoder with a validity policy has:
/// `strictness(s)` and its shorthand `strict()`, setting the named field.
/// Use it inside the type's `impl` block; the functions are `const` unless
/// the first token is `non_const` (for types with drop glue).
///
/// ```
/// use meterwire_core::{strictness_builders, Strictness};
///
/// #[derive(Default)]
/// struct MyFramer {
///     strictness: Strictness,
/// }
/// impl MyFramer {
///     strictness_builders!(strictness);
/// }
/// assert_eq!(MyFramer::default().strict().strictness, Strictness::Strict);
/// ```
#[macro_export]
macro_rules! strictness_builders {
    ($($field:ident).+) => {
        $crate::strictness_builders!(@emit [const] $($field).+);
    };
    (non_const $($field:ident).+) => {
        $crate::strictness_builders!(@emit [] $($field).+);
    };
    (@emit [$($c:tt)?] $($field:ident).+) => {
        /// Sets the validity policy: `Strictness::Lenient` (the default)
        /// reports departures from the standard as diagnostics, `Strict`
        /// rejects the frame with `Error::Nonconforming`.
        #[must_use]
        pub $($c)? fn strictness(mut self, strictness: $crate::Strictness) -> Self {
            self.$($field).+ = strictness;
            self
        }

        /// Strict mode: shorthand for `.strictness(Strictness::Strict)`.
        #[must_use]
        pub $($c)? fn strict(self) -> Self {
            self.strictness($crate::Strictness::Strict)
        }
    };
}

/// A field-less enum whose variants have stable names: declares the enum (its
/// attributes and docs as written), `pub const fn as_str(self) -> &'static str`
/// and a `Display` that writes the name.
///
/// ```
/// meterwire_core::named_enum! {
///     /// Which check failed.
///     #[derive(Debug, Clone, Copy, PartialEq, Eq)]
///     pub enum Check {
///         /// The packet CRC.
///         Crc = "crc",
///         /// The block check character.
///         Bcc = "bcc",
///     }
/// }
/// assert_eq!(Check::Crc.as_str(), "crc");
/// assert_eq!(Check::Bcc.to_string(), "bcc");
/// ```
#[macro_export]
macro_rules! named_enum {
    (
        $(#[$m:meta])*
        $vis:vis enum $name:ident {
            $( $(#[$vm:meta])* $variant:ident = $text:literal ),+ $(,)?
        }
    ) => {
        $(#[$m])*
        $vis enum $name {
            $( $(#[$vm])* $variant, )+
        }

        impl $name {
            /// The stable name (used in JSON output and by `Display`).
            pub const fn as_str(self) -> &'static str {
                match self {
                    $( $name::$variant => $text, )+
                }
            }
        }

        impl ::core::fmt::Display for $name {
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

/// Forwarding shorthands on a crate error that wraps core's in a `Core`
/// variant: each name listed (`truncated`, `malformed`, `length`, `checksum`,
/// `unsupported`, `nonconforming`) becomes `pub const fn` on the crate error,
/// with the signature of core's own shorthand on [`Error`](crate::Error).
/// Use it inside the crate error's `impl` block.
///
/// ```
/// #[derive(Debug, PartialEq)]
/// enum MyError {
///     Core(meterwire_core::Error),
/// }
/// impl MyError {
///     meterwire_core::core_error_shorthands!(truncated, length);
/// }
/// assert_eq!(
///     MyError::truncated(3),
///     MyError::Core(meterwire_core::Error::Truncated { needed: 3 })
/// );
/// ```
#[macro_export]
macro_rules! core_error_shorthands {
    ($($name:ident),* $(,)?) => {
        $( $crate::core_error_shorthands!(@one $name); )*
    };
    (@one truncated) => {
        /// Shorthand for core's `Error::Truncated`: the input ended `needed` bytes early.
        pub const fn truncated(needed: usize) -> Self {
            Self::Core($crate::Error::truncated(needed))
        }
    };
    (@one malformed) => {
        /// Shorthand for core's `Error::Malformed`: `field` holds a value the standard
        /// does not allow, for `reason`.
        pub const fn malformed(field: &'static str, reason: &'static str) -> Self {
            Self::Core($crate::Error::malformed(field, reason))
        }
    };
    (@one length) => {
        /// Shorthand for core's `Error::Length`: `field` says `expected`, the bytes
        /// say `actual`.
        pub const fn length(field: &'static str, expected: usize, actual: usize) -> Self {
            Self::Core($crate::Error::length(field, expected, actual))
        }
    };
    (@one checksum) => {
        /// Shorthand for core's `Error::Checksum` over `field`.
        pub const fn checksum(field: &'static str, expected: u32, actual: u32) -> Self {
            Self::Core($crate::Error::checksum(field, expected, actual))
        }
    };
    (@one unsupported) => {
        /// Shorthand for core's `Error::Unsupported`: `value` of `field` is valid but
        /// not implemented here.
        pub const fn unsupported(field: &'static str, value: u32) -> Self {
            Self::Core($crate::Error::unsupported(field, value))
        }
    };
    (@one nonconforming) => {
        /// Shorthand for core's `Error::Nonconforming`: a strict-mode rejection of `d`.
        pub const fn nonconforming(d: $crate::Diagnostic) -> Self {
            Self::Core($crate::Error::Nonconforming(d))
        }
    };
}

/// Implements [`Encode`](crate::Encode) for a type with an
/// `emit<S: Sink>(&self, &mut S) -> Result<(), EncodeError>` method: `encoded_len`
/// is a dry run of `emit` into a [`Counter`](crate::sink::Counter), `encode`
/// checks the buffer and runs it into a [`Writer`](crate::Writer). See
/// [`sink`](crate::sink).
#[macro_export]
macro_rules! encode_via_emit {
    ($t:ty) => {
        impl $crate::Encode for $t {
            fn encoded_len(&self) -> usize {
                let mut c = $crate::sink::Counter(0);
                let _ = self.emit(&mut c);
                c.0
            }
            fn encode(&self, out: &mut [u8]) -> ::core::result::Result<usize, $crate::EncodeError> {
                let n = $crate::Encode::encoded_len(self);
                $crate::sink::encode_with(out, n, |w| self.emit(w))
            }
        }
    };
}
