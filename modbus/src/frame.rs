//! The serial ADU types (RTU, ASCII): the same fields (address, PDU, trailing
//! bytes) and the same constructor, diagnostics, Repr and JSON, written once.

/// Defines a serial ADU struct `$Frame` whose check field (CRC, LRC) is `$check`.
macro_rules! serial_frame {
    ($(#[$meta:meta])* $Frame:ident, $check:literal) => {
        $(#[$meta])*
        ///
        #[doc = concat!("Generic over where the PDU's payloads live: `", stringify!($Frame),
            "<'a>` is the view (`Copy`), `", stringify!($Frame),
            "<'static, Owned>` the owned Repr ([`", stringify!($Frame), "::to_repr`]).")]
        #[derive(Debug, Clone, PartialEq)]
        #[cfg_attr(all(feature = "serde", feature = "alloc"), derive(serde::Deserialize))]
        #[cfg_attr(
            all(feature = "serde", feature = "alloc"),
            serde(bound(deserialize = "PduOf<S>: serde::Deserialize<'de>"))
        )]
        pub struct $Frame<'a, S: Storage = Borrowed<'a>> {
            /// Server address (0 broadcast, 1..=247 units).
            pub address: u8,
            /// The PDU.
            #[cfg_attr(all(feature = "serde", feature = "alloc"), serde(flatten))]
            pub pdu: PduOf<S>,
            #[doc = concat!("Bytes between the end of the PDU and the ", $check,
                " in a frame given whole: a `trailing_bytes` diagnostic. Empty in a frame to encode.")]
            #[cfg_attr(all(feature = "serde", feature = "alloc"), serde(skip))]
            pub trailing: &'a [u8],
        }

        impl Copy for $Frame<'_> {}

        impl<S: Storage> $Frame<'_, S> {
            /// A frame.
            pub const fn new(address: u8, pdu: PduOf<S>) -> Self {
                $Frame {
                    address,
                    pdu,
                    trailing: &[],
                }
            }

            #[doc = concat!("Departures from the standard: the PDU's ([`Pdu::diagnostics`]) and bytes between the PDU and the ", $check, " (`trailing_bytes`).")]
            pub fn diagnostics(&self) -> crate::diag::FrameDiagnostics {
                crate::diag::frame(None, self.pdu.diagnostics(), "adu length", self.trailing.len())
            }
        }

        impl $Frame<'_> {
            /// The owned Repr of this frame (without the trailing bytes, which are not encoded).
            #[cfg(feature = "alloc")]
            pub fn to_repr(&self) -> $Frame<'static, Owned> {
                $Frame {
                    address: self.address,
                    pdu: PduRepr::parse(&self.pdu),
                    trailing: &[],
                }
            }
        }

        #[cfg(feature = "serde")]
        impl<St: Storage> serde::Serialize for $Frame<'_, St> {
            fn serialize<Ser: serde::Serializer>(&self, s: Ser) -> Result<Ser::Ok, Ser::Error> {
                use serde::ser::SerializeMap as _;
                let mut m = s.serialize_map(None)?;
                m.serialize_entry("address", &self.address)?;
                crate::ser::write_pdu_and_departures(&mut m, &self.pdu, self.trailing, self.diagnostics())?;
                m.end()
            }
        }
    };
}

/// The builder methods every framer has (`direction`, `strictness`, `strict`),
/// for a framer struct with `direction` and `strictness` fields and a `new()`.
macro_rules! framer_builders {
    ($Framer:ident, $strict_doc:literal) => {
        impl $Framer {
            /// A framer for one direction, or both with `None` (e.g. from the
            /// TCP port: to 502 = requests).
            pub const fn with_direction(direction: Option<Direction>) -> Self {
                let mut f = $Framer::new();
                f.direction = direction;
                f
            }

            /// Frames only this direction.
            #[must_use]
            pub const fn direction(mut self, direction: Direction) -> Self {
                self.direction = Some(direction);
                self
            }

            /// Strict or lenient (the default).
            #[must_use]
            pub const fn strictness(mut self, strictness: Strictness) -> Self {
                self.strictness = strictness;
                self
            }

            #[doc = $strict_doc]
            #[must_use]
            pub const fn strict(self) -> Self {
                self.strictness(Strictness::Strict)
            }

            /// The configured direction.
            pub const fn configured_direction(&self) -> Option<Direction> {
                self.direction
            }
        }
    };
}

/// The error for an ADU whose PDU is over 253 bytes: the rule the PDU breaks
/// (e.g. 124 registers in FC 16) if one does, else the PDU size. A macro, not a
/// method: as a method it cost the RTU encoder ~15 % (measured).
macro_rules! too_long {
    ($pdu:expr) => {
        $pdu.encode(&mut []).err().unwrap_or(EncodeError::Invalid {
            field: "pdu",
            reason: "longer than 253 bytes",
        })
    };
}
