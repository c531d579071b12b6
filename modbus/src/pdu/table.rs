//! The one description of every function code: [`pdu_enum!`] takes, per
//! variant, its function code, JSON name, MEI type, fields with their wire
//! encoding, and the encoder's rules, and writes from it the enum (generic over
//! [`Storage`](crate::storage::Storage): the `Copy` view and the owned Repr),
//! `function_code`, `name`, the encoded length, the encoder, the serde fields,
//! `Repr::parse(&view)`, the one-shot `parse` and the decoder of the PDUs
//! marked `parse fields`, whose grammar is their fields in table order. The
//! other grammars (byte counts, records, MEI types) are written per direction
//! in `request.rs` / `response.rs`.
//!
//! Instead of its own fields, a variant can name a shape that both tables or
//! several variants share: `echo V` (the whole description of a PDU a response
//! echoes from its request, from `echo_pdu!`), `address_quantity(what, range,
//! limit)` (a first address and a quantity, checked to be 1..=limit),
//! `registers_read` (a byte count and the register values) or
//! `write_file_records(len, records)` (FC 21's records and their length). The
//! `@splice` arms of `pdu_enum!` replace them by the fields they stand for.
//!
//! Field encodings: `be` (u8 or u16, big-endian), `coil` (bool as 0xFF00 /
//! 0x0000), `flag` (bool as 0xFF / 0x00), `pay` (a payload: registers, bits,
//! bytes, records), `rest` (bytes to the end of the PDU), `counted(field)` (a
//! payload of as many bytes as an earlier field says; the encoder checks that
//! they agree) and `skip` (not in the body: the function code of exception and
//! unsupported PDUs).

use meterwire_core::{Cursor, EncodeError, Writer};

use super::rules::{coil_value, flag_value};
use crate::Error;
use crate::data::{Bytes, Record, Seq};
use crate::storage::Payload;

/// One field of a PDU body as it goes on the wire.
pub(super) trait Field {
    fn wire_len(&self) -> usize;
    fn write(&self, w: &mut Writer<'_>) -> Result<(), EncodeError>;
}

/// A fixed-width field read back from the wire.
pub(super) trait ReadField: Sized {
    fn read(c: &mut Cursor<'_>) -> Result<Self, Error>;
}

/// A payload whose byte count an earlier field gives (`counted(field)`).
pub(super) trait Counted<'a>: Sized {
    fn take(c: &mut Cursor<'a>, len: u8) -> Result<Self, Error>;
}

impl<'a> Counted<'a> for Bytes<'a> {
    #[inline]
    fn take(c: &mut Cursor<'a>, len: u8) -> Result<Self, Error> {
        Ok(Bytes::new(c.take(usize::from(len))?))
    }
}

/// Records (FC 20/21), each checked.
impl<'a, T: Record<'a>> Counted<'a> for Seq<'a, T> {
    #[inline]
    fn take(c: &mut Cursor<'a>, len: u8) -> Result<Self, Error> {
        let data = c.take(usize::from(len))?;
        Seq::<T>::validate(data)?;
        Ok(Seq::from_wire(data))
    }
}

/// A coil value (FC 5): 0xFF00 on, 0x0000 off.
pub(super) struct Coil(pub bool);
/// A one-byte flag (FC 43/14 more follows): 0xFF or 0x00.
pub(super) struct Flag(pub bool);

/// `Field` and `ReadField` for the fixed-width fields: width, how the value is
/// written and how it is read back.
macro_rules! fixed_fields {
    ($($t:ty, $len:literal, |$s:ident, $w:ident| $write:expr, |$c:ident| $read:expr;)*) => {$(
        impl Field for $t {
            #[inline]
            fn wire_len(&self) -> usize {
                $len
            }
            #[inline]
            fn write(&self, $w: &mut Writer<'_>) -> Result<(), EncodeError> {
                let $s = self;
                $write
            }
        }
        impl ReadField for $t {
            #[inline(always)]
            fn read($c: &mut Cursor<'_>) -> Result<Self, Error> {
                $read
            }
        }
    )*};
}
fixed_fields! {
    u8, 1, |s, w| w.write_u8(*s), |c| Ok(c.read_u8()?);
    u16, 2, |s, w| w.write_u16_be(*s), |c| Ok(c.read_u16_be()?);
    Coil, 2, |s, w| w.write_u16_be(if s.0 { 0xFF00 } else { 0 }), |c| coil_value(c.read_u16_be()?).map(Coil);
    Flag, 1, |s, w| w.write_u8(if s.0 { 0xFF } else { 0 }), |c| flag_value(c.read_u8()?).map(Flag);
}

/// Not part of the body.
pub(super) struct Skip;
impl Field for Skip {
    #[inline]
    fn wire_len(&self) -> usize {
        0
    }
    #[inline]
    fn write(&self, _: &mut Writer<'_>) -> Result<(), EncodeError> {
        Ok(())
    }
}

/// A payload.
pub(super) struct Pay<'p, P>(pub &'p P);
impl<P: Payload> Field for Pay<'_, P> {
    #[inline]
    fn wire_len(&self) -> usize {
        self.0.wire_len()
    }
    #[inline]
    fn write(&self, w: &mut Writer<'_>) -> Result<(), EncodeError> {
        self.0.write(w)
    }
}

macro_rules! wire_field {
    (be, $f:expr) => {
        $f
    };
    (coil, $f:expr) => {
        &$crate::pdu::table::Coil(*$f)
    };
    (flag, $f:expr) => {
        &$crate::pdu::table::Flag(*$f)
    };
    (skip, $f:expr) => {
        &$crate::pdu::table::Skip
    };
    (pay, $f:expr) => {
        &$crate::pdu::table::Pay($f)
    };
    (rest, $f:expr) => {
        &$crate::pdu::table::Pay($f)
    };
    (counted, $f:expr) => {
        &$crate::pdu::table::Pay($f)
    };
}

/// Reads one field of a `parse fields` PDU (the decode side of `wire_field!`;
/// a PDU with other payloads has a grammar of its own).
macro_rules! read_field {
    (be, $c:ident) => {
        $crate::pdu::table::ReadField::read($c)?
    };
    (coil, $c:ident) => {
        <$crate::pdu::table::Coil as $crate::pdu::table::ReadField>::read($c)?.0
    };
    (flag, $c:ident) => {
        <$crate::pdu::table::Flag as $crate::pdu::table::ReadField>::read($c)?.0
    };
    (rest, $c:ident) => {
        $crate::data::Bytes::new($c.take_rest())
    };
    (counted($len:ident), $c:ident) => {
        $crate::pdu::table::Counted::take($c, $len)?
    };
}

/// The encoder's rule of a `counted(field)` payload: it agrees with its byte
/// count (checked before the variant's own rules); none for the other kinds.
macro_rules! counted_rule {
    (counted($len:ident), $f:ident) => {
        $crate::pdu::rules::check_count(
            stringify!($len),
            usize::from(*$len),
            $crate::storage::Payload::wire_len($f),
        )?
    };
    ($kind:ident, $f:ident) => {};
}

/// The fields of a `parse fields` PDU, read in table order (a `counted`
/// payload uses the byte count read before it).
macro_rules! read_fields {
    ($Of:ident::$V:ident, $c:ident, []) => {
        $Of::$V
    };
    ($Of:ident::$V:ident, $c:ident, [{ $($f:ident: $kind:ident $(($len:ident))?),* }]) => {{
        $( let $f = read_field!($kind $(($len))?, $c); )*
        $Of::$V { $($f),* }
    }};
}

/// One step of `parse_fields` (`by_code`: the variants without an MEI type)
/// or `parse_mei` (`by_mei`: the variants with one): returns the PDU if the
/// variant is marked `parse fields` and is the one asked for; nothing for the
/// others.
macro_rules! parse_fields_step {
    ([fields], by_code $code:ident, $c:ident, $Of:ident::$V:ident = $vcode:expr, mei [], $fields:tt) => {
        if $code == $vcode {
            return Ok(read_fields!($Of::$V, $c, $fields));
        }
    };
    ([fields], by_mei $mei:ident, $c:ident, $Of:ident::$V:ident = $vcode:expr, mei [$vmei:expr], $fields:tt) => {
        if $mei == $vmei {
            return Ok(read_fields!($Of::$V, $c, $fields));
        }
    };
    ($($other:tt)*) => {};
}

#[cfg(feature = "serde")]
macro_rules! ser_field {
    (skip, $m:ident, $f:ident) => {};
    ($kind:ident, $m:ident, $f:ident) => {
        $m.serialize_entry(stringify!($f), $f)?
    };
}

/// Writes `echo_pdu!` from a list of PDUs (`$d` is a `$` for the arms it
/// writes): one arm per PDU, splicing its description into the table.
macro_rules! echo_pdus {
    ($d:tt $(#[$m:meta])* $($V:ident => { $($desc:tt)* })*) => {
        $(#[$m])*
        macro_rules! echo_pdu {
            $( ($V, [$d($d done:tt)*] $d($d rest:tt)*) => {
                pdu_enum!(@splice [$d($d done)* $V = $($desc)*,] $d($d rest)*);
            }; )*
        }
    };
}

echo_pdus! { $
    /// The PDUs whose fields a response echoes from its request (FC 5, 6, 8, 22
    /// and 43/13): `echo V` in either table of `pdu_enum!`, after the
    /// variant's own doc comment, stands for the description here.
    WriteSingleCoil => {
        crate::pdu::fc::WRITE_SINGLE_COIL, "write_single_coil" parse fields {
            /// The coil.
            output_address: u16 => be,
            /// On or off.
            value: bool => coil,
        }
    }
    WriteSingleRegister => {
        crate::pdu::fc::WRITE_SINGLE_REGISTER, "write_single_register" parse fields {
            /// The register.
            register_address: u16 => be,
            /// The value.
            value: u16 => be,
        }
    }
    Diagnostics => {
        crate::pdu::fc::DIAGNOSTICS, "diagnostics" parse fields {
            /// Sub-function (0..=21 public).
            sub_function: u16 => be,
            /// Data field (usually one register).
            data: S::Bytes => rest,
        }
    }
    MaskWriteRegister => {
        crate::pdu::fc::MASK_WRITE_REGISTER, "mask_write_register" parse fields {
            /// The register.
            reference_address: u16 => be,
            /// AND mask.
            and_mask: u16 => be,
            /// OR mask.
            or_mask: u16 => be,
        }
    }
    CanopenGeneralReference => {
        crate::pdu::fc::ENCAPSULATED_INTERFACE, "canopen_general_reference"
        mei(crate::pdu::fc::MEI_CANOPEN) parse fields {
            /// The MEI data after the MEI type.
            data: S::Bytes => rest,
        }
    }
}

macro_rules! pdu_enum {
    // The table as written: the header, then the variants one by one into
    // `@splice`'s list (the shared shapes replaced by their fields), then `@gen`.
    (
        $(#[$meta:meta])*
        enum $Of:ident, view $View:ident, repr $Repr:ident, $what:literal;
        $($variants:tt)*
    ) => {
        pdu_enum!(@splice [$(#[$meta])* enum $Of, view $View, repr $Repr, $what;] $($variants)*);
    };
    (@splice [$($done:tt)*] $(#[$vmeta:meta])* echo $V:ident $(, $($rest:tt)*)?) => {
        echo_pdu!($V, [$($done)* $(#[$vmeta])*] $($($rest)*)?);
    };
    // `address_quantity(what, range, limit)`: the first address and how many
    // (1..=limit), read as they are written.
    (
        @splice [$($done:tt)*]
        $(#[$vmeta:meta])*
        $V:ident = $code:expr, $name:literal
        address_quantity($what:literal, $range:literal, $limit:expr) $(, $($rest:tt)*)?
    ) => {
        pdu_enum!(@splice [$($done)* $(#[$vmeta])* $V = $code, $name parse fields {
            #[doc = concat!(" First ", $what, ".")]
            starting_address: u16 => be,
            #[doc = concat!(" ", $range, ".")]
            quantity: u16 => be,
        } check {
            $crate::pdu::rules::check_qty("quantity", *quantity, 1, $limit)
        },] $($($rest)*)?);
    };
    (
        @splice [$($done:tt)*]
        $(#[$vmeta:meta])*
        $V:ident = $code:expr, $name:literal $(mei($mei:expr))? $(parse $grammar:ident)?
        $({ $($fields:tt)* })? $(check $check:block)? $(, $($rest:tt)*)?
    ) => {
        pdu_enum!(@splice [
            $($done)* $(#[$vmeta])*
            $V = $code, $name $(mei($mei))? $(parse $grammar)? $({ $($fields)* })? $(check $check)?,
        ] $($($rest)*)?);
    };
    // `write_file_records(len, records)`: FC 21, whose response echoes the
    // request (the fields named per direction).
    (
        @splice [$($done:tt)*]
        $(#[$vmeta:meta])*
        $V:ident = $code:expr, $name:literal write_file_records($len:ident, $records:ident)
        $(, $($rest:tt)*)?
    ) => {
        pdu_enum!(@splice [$($done)* $(#[$vmeta])* $V = $code, $name parse fields {
            /// Bytes of all records (0x09..=0xFB; outside, what is there
            /// decodes with a diagnostic).
            $len: u8 => be,
            /// The records.
            $records: S::FileRecords => counted($len),
        } check {
            $crate::pdu::rules::check_range(stringify!($len), *$len, 0x09, 0xFB, "must be 9..=251")
        },] $($($rest)*)?);
    };
    // `registers_read`: a byte count and the register values read (FC 3, 4
    // and 23 responses).
    (
        @splice [$($done:tt)*]
        $(#[$vmeta:meta])*
        $V:ident = $code:expr, $name:literal registers_read $(, $($rest:tt)*)?
    ) => {
        pdu_enum!(@splice [$($done)* $(#[$vmeta])* $V = $code, $name {
            /// 2 * registers (2..=250).
            byte_count: u8 => be,
            /// The values.
            registers: S::Registers => pay,
        } check {
            $crate::pdu::rules::check_registers(*byte_count, registers.len())
        },] $($($rest)*)?);
    };
    (@splice [$($done:tt)*]) => {
        pdu_enum!(@gen $($done)*);
    };
    (
        @gen
        $(#[$meta:meta])*
        enum $Of:ident, view $View:ident, repr $Repr:ident, $what:literal;
        $(
            $(#[$vmeta:meta])*
            $V:ident = $code:expr, $name:literal $(mei($mei:expr))? $(parse $grammar:ident)?
            $({ $( $(#[$fmeta:meta])* $f:ident : $t:ty => $kind:ident $(($len:ident))? ),* $(,)? })?
            $(check $check:block)?
        ),* $(,)?
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq)]
        #[cfg_attr(all(feature = "serde", feature = "alloc"), derive(serde::Deserialize))]
        #[cfg_attr(all(feature = "serde", feature = "alloc"), serde(tag = "function", bound(deserialize = "
            S::Registers: serde::Deserialize<'de>, S::Bits: serde::Deserialize<'de>,
            S::Bytes: serde::Deserialize<'de>, S::FileSubRequests: serde::Deserialize<'de>,
            S::FileRecords: serde::Deserialize<'de>, S::FileSubResponses: serde::Deserialize<'de>,
            S::DeviceObjects: serde::Deserialize<'de>")))]
        pub enum $Of<S: $crate::storage::Storage> {
            $(
                $(#[$vmeta])*
                #[cfg_attr(all(feature = "serde", feature = "alloc"), serde(rename = $name))]
                $V $({ $( $(#[$fmeta])* $f: $t ),* })?,
            )*
        }

        #[doc = concat!("A view: [`", stringify!($Of), "`] borrowing its payloads from the frame (`Copy`).")]
        pub type $View<'a> = $Of<$crate::storage::Borrowed<'a>>;
        impl Copy for $View<'_> {}

        #[doc = concat!("The owned Repr of [`", stringify!($View), "`]: payloads in `Vec`s.")]
        #[cfg(feature = "alloc")]
        pub type $Repr = $Of<$crate::storage::Owned>;

        #[allow(unused_variables)]
        impl<S: $crate::storage::Storage> $Of<S> {
            /// The function code on the wire.
            #[inline]
            pub fn function_code(&self) -> u8 {
                match self {
                    $( Self::$V { $($($f),*)? } => $code, )*
                }
            }

            /// The snake_case name used as `"function"` in JSON.
            pub fn name(&self) -> &'static str {
                match self {
                    $( Self::$V { .. } => $name, )*
                }
            }

            #[inline]
            pub(super) fn body_len(&self) -> usize {
                use $crate::pdu::table::Field as _;
                match self {
                    $( Self::$V { $($($f),*)? } => 0usize
                        $(.saturating_add({ let _ = $mei; 1 }))?
                        $($(.saturating_add(wire_field!($kind, $f).wire_len()))*)?, )*
                }
            }

            #[inline]
            pub(super) fn write_body(&self, w: &mut Writer<'_>) -> Result<(), EncodeError> {
                use $crate::pdu::table::Field as _;
                match self {
                    $( Self::$V { $($($f),*)? } => {
                        $($( counted_rule!($kind $(($len))?, $f); )*)?
                        $( let () = $check?; )?
                        $( w.write_u8($mei)?; )?
                        $($( wire_field!($kind, $f).write(w)?; )*)?
                        Ok(())
                    } )*
                }
            }

            /// Writes `function_code`, `function` and the fields, in wire order.
            #[cfg(feature = "serde")]
            pub(crate) fn write_fields_inner<M: serde::ser::SerializeMap>(
                &self,
                m: &mut M,
            ) -> Result<(), M::Error> {
                m.serialize_entry("function_code", &self.function_code())?;
                m.serialize_entry("function", self.name())?;
                match self {
                    $( Self::$V { $($($f),*)? } => {
                        $( m.serialize_entry("mei_type", &$mei)?; )?
                        $($( ser_field!($kind, m, $f); )*)?
                    } )*
                }
                Ok(())
            }
        }

        impl<S: $crate::storage::Storage> meterwire_core::Encode for $Of<S> {
            #[inline]
            fn encoded_len(&self) -> usize {
                self.body_len().saturating_add(1)
            }
            #[inline]
            fn encode(&self, out: &mut [u8]) -> Result<usize, EncodeError> {
                super::encode_pdu(self.function_code(), self.body_len(), out, |w| self.write_body(w))
            }
        }

        impl<'a> $View<'a> {
            #[doc = concat!("Parses a complete ", $what, " PDU (function code first). Short input is an")]
            /// error, and so are bytes after the PDU (`pdu length`); a framer that
            #[doc = concat!("delimits the PDU itself uses [`", stringify!($View), "::parse_prefix`] and reports them")]
            /// as a diagnostic. Quantities outside the standard's ranges decode (see
            #[doc = concat!("[`", stringify!($View), "::diagnostics`]).")]
            #[inline(always)]
            pub fn parse(pdu: &'a [u8]) -> Result<Self, $crate::Error> {
                let (r, used) = Self::parse_prefix(pdu)?;
                $crate::pdu::rules::exact(used, pdu.len())?;
                Ok(r)
            }

            /// The PDUs marked `parse fields` (their grammar is their fields in
            /// table order) without an MEI type, else `Unsupported` with the rest
            /// of the PDU.
            #[inline(always)]
            fn parse_fields(
                code: u8,
                c: &mut meterwire_core::Cursor<'a>,
            ) -> Result<Self, $crate::Error> {
                $( parse_fields_step!([$($grammar)?], by_code code, c, $Of::$V = $code, mei [$($mei)?], [$({ $($f: $kind $(($len))?),* })?]); )*
                Ok(Self::Unsupported {
                    function_code: code,
                    data: read_field!(rest, c),
                })
            }

            /// FC 43 after the MEI type `mei`: the PDUs marked `parse fields`
            /// with that MEI type, else `Unsupported` with everything after the
            /// function code.
            #[inline(always)]
            fn parse_mei(
                code: u8,
                mei: u8,
                c: &mut meterwire_core::Cursor<'a>,
                pdu: &'a [u8],
            ) -> Result<Self, $crate::Error> {
                $( parse_fields_step!([$($grammar)?], by_mei mei, c, $Of::$V = $code, mei [$($mei)?], [$({ $($f: $kind $(($len))?),* })?]); )*
                Ok(Self::Unsupported {
                    function_code: code,
                    data: $crate::pdu::rules::unsupported_mei(c, pdu),
                })
            }
        }

        #[cfg(feature = "alloc")]
        impl $Repr {
            #[doc = concat!("The owned copy of a [`", stringify!($View), "`].")]
            pub fn parse(view: &$View<'_>) -> Self {
                #[allow(unused_imports)]
                use $crate::storage::ToRepr as _;
                match view {
                    $( $Of::$V { $($($f),*)? } => Self::$V $({ $($f: $f.to_repr()),* })?, )*
                }
            }
        }
    };
}
