//! The fields of the xDLMS APDU bodies, and the macros that declare an APDU type, its
//! reader and its writer from one table of its fields.
//!
//! Every field type knows how it is read and written (`Field`); the GET / SET / ACTION
//! services (`xdlms_service!`), the SN services (`service_choice!`), the CHOICE list
//! items (`item_choice!`), all three a `choice!`, and the SEQUENCE APDUs
//! (`apdu_sequence!`) then read and write their fields in declaration order, which is
//! the wire order.

use super::common::{InvokeIdAndPriority, Item, List, SelectiveAccess, read_optional};
use super::notification::LongInvokeIdAndPriority;
use super::xdlms::Conformance;
use crate::axdr::Data;
use crate::error::Result;
use crate::util::{Sink, read_octets};
use meterwire_core::{Cursor, EncodeError};

/// One A-XDR field of an APDU body.
pub(crate) trait Field<'a>: Sized {
    /// Reads it; `name` is the field named in the error for a bad OPTIONAL flag.
    fn read_field(c: &mut Cursor<'a>, name: &'static str) -> Result<Self>;
    /// Writes it.
    fn emit_field<S: Sink>(&self, s: &mut S) -> Result<(), EncodeError>;
}

/// `Field` impls: `[generics] type: |cursor| read expression, |value, sink| write expression;`.
macro_rules! fields {
    ($([$($g:tt)*] $t:ty: |$c:ident| $read:expr, |$v:ident, $s:ident| $emit:expr;)*) => {$(
        impl<'a, $($g)*> Field<'a> for $t {
            #[inline]
            fn read_field($c: &mut Cursor<'a>, _: &'static str) -> Result<Self> {
                Ok($read)
            }
            #[inline]
            fn emit_field<S: Sink>(&self, $s: &mut S) -> Result<(), EncodeError> {
                let $v = self;
                $emit
            }
        }
    )*};
}

fields! {
    [T: Item<'a>] T: |c| T::read(c)?, |v, s| v.emit_item(s);
    // SEQUENCE OF: length, then the items
    [T: Item<'a>] List<'a, T>: |c| List::read(c)?, |v, s| v.emit(s);
    // octet string: length, then the bytes
    [] &'a [u8]: |c| read_octets(c)?, |v, s| s.put_octets(v);
    [] u8: |c| c.read_u8()?, |v, s| s.put_u8(*v);
    [] i8: |c| c.read_u8()? as i8, |v, s| s.put_u8(*v as u8);
    [] bool: |c| c.read_u8()? != 0, |v, s| s.put_u8(u8::from(*v));
    [] u16: |c| c.read_u16_be()?, |v, s| s.put_u16(*v);
    [] u32: |c| c.read_u32_be()?, |v, s| s.put_u32(*v);
    [] InvokeIdAndPriority: |c| InvokeIdAndPriority(c.read_u8()?), |v, s| s.put_u8(v.0);
    [] LongInvokeIdAndPriority: |c| LongInvokeIdAndPriority(c.read_u32_be()?),
        |v, s| s.put_u32(v.0);
    [] Conformance: |c| Conformance::read(c)?, |v, s| v.emit(s);
    [] SelectiveAccess<'a>: |c| SelectiveAccess {
        selector: c.read_u8()?,
        parameters: Data::read(c)?,
    }, |v, s| {
        s.put_u8(v.selector)?;
        v.parameters.write(s)
    };
}

/// An OPTIONAL field: flag 0 (absent) or 1 then the value.
impl<'a, T: Field<'a>> Field<'a> for Option<T> {
    #[inline]
    fn read_field(c: &mut Cursor<'a>, name: &'static str) -> Result<Self> {
        Ok(if read_optional(c, name)? {
            Some(T::read_field(c, name)?)
        } else {
            None
        })
    }
    #[inline]
    fn emit_field<S: Sink>(&self, s: &mut S) -> Result<(), EncodeError> {
        match self {
            None => s.put_u8(0),
            Some(v) => {
                s.put_u8(1)?;
                v.emit_field(s)
            }
        }
    }
}

/// The name a field reports in errors: its `as "label"`, else its identifier.
macro_rules! field_label {
    ($f:ident) => {
        stringify!($f)
    };
    ($f:ident $label:literal) => {
        $label
    };
}
pub(crate) use field_label;

/// A CHOICE: the enum (with the attributes given, derives included) and its private
/// `read_choice` (the fields of the variant `choice`, already read) and `emit_choice`
/// (the choice, then the fields). A variant is `[choice] Name`, then `(name: Type, ...)`,
/// `{ field: Type, ... }` or nothing; a choice is one token, a literal or a constant's
/// name. A struct variant's field takes docs, `#[serde(...)]` (for the `cfg_attr`'d
/// attribute) and `as "label"` (names an OPTIONAL field in errors; default: its
/// identifier). Fields are read and written in order. The lifetime, if any, must be `'a`.
macro_rules! choice {
    (
        $(#[$m:meta])*
        pub enum $E:ident $(<$a:lifetime>)?, $err:literal {
            $(
                $(#[doc = $vdoc:literal])*
                [$choice:tt] $V:ident
                $(($($t:ident: $T:ty),* $(,)?))?
                $({
                    $(
                        $(#[doc = $fdoc:literal])*
                        $(#[serde($($serde:tt)*)])*
                        $f:ident: $F:ty $(as $label:literal)?
                    ),* $(,)?
                })?
            ),* $(,)?
        }
    ) => {
        $(#[$m])*
        pub enum $E $(<$a>)? {
            $(
                $(#[doc = $vdoc])*
                $V
                $(($($T),*))?
                $({
                    $(
                        $(#[doc = $fdoc])*
                        $(#[cfg_attr(feature = "serde", serde($($serde)*))])*
                        $f: $F,
                    )*
                })?,
            )*
        }

        impl<'a> $E $(<$a>)? {
            /// Reads the fields of the variant `choice`.
            #[inline]
            fn read_choice(
                choice: u8,
                c: &mut ::meterwire_core::Cursor<'a>,
            ) -> $crate::error::Result<Self> {
                use $crate::apdu::field::Field as _;
                match choice {
                    $($choice => Ok($E::$V
                        $(($(<$T>::read_field(c, stringify!($t))?),*))?
                        $({$($f: <$F>::read_field(
                            c,
                            $crate::apdu::field::field_label!($f $($label)?),
                        )?),*})?
                    ),)*
                    v => Err($crate::error::Error::unsupported($err, u32::from(v))),
                }
            }

            /// Writes the choice, then the fields.
            fn emit_choice<S: $crate::util::Sink>(
                &self,
                s: &mut S,
            ) -> ::core::result::Result<(), ::meterwire_core::EncodeError> {
                use $crate::apdu::field::Field as _;
                match self {
                    $($E::$V $(($($t),*))? $({$($f),*})? => {
                        s.put_u8($choice)?;
                        $($($t.emit_field(s)?;)*)?
                        $($($f.emit_field(s)?;)*)?
                    })*
                }
                Ok(())
            }
        }
    };
}
pub(crate) use choice;

/// A CHOICE that is a list item (`Item`), JSON-serialised externally tagged: a
/// `choice!` read and written after its choice byte.
macro_rules! item_choice {
    (
        $(#[$m:meta])*
        pub enum $E:ident $(<$a:lifetime>)?, $err:literal { $($variants:tt)* }
    ) => {
        $crate::apdu::field::choice! {
            $(#[$m])*
            pub enum $E $(<$a>)?, $err { $($variants)* }
        }

        impl<'a> $crate::apdu::common::Item<'a> for $E $(<$a>)? {
            fn read(c: &mut ::meterwire_core::Cursor<'a>) -> $crate::error::Result<Self> {
                let choice = c.read_u8()?;
                Self::read_choice(choice, c)
            }

            fn emit_item<S: $crate::util::Sink>(
                &self,
                s: &mut S,
            ) -> ::core::result::Result<(), ::meterwire_core::EncodeError> {
                self.emit_choice(s)
            }
        }
    };
}
pub(crate) use item_choice;

/// An APDU that is a CHOICE of SEQUENCEs, JSON-serialised untagged (its name goes in
/// `"apdu"`): a `choice!` of struct variants `[choice] Name = "name" { fields }`, and
/// `name`.
macro_rules! service_choice {
    (
        $(#[doc = $doc:literal])*
        pub enum $E:ident<$a:lifetime>, $err:literal {
            $(
                $(#[doc = $vdoc:literal])*
                [$choice:tt] $V:ident = $name:literal { $($fields:tt)* }
            ),* $(,)?
        }
    ) => {
        $crate::apdu::field::choice! {
            $(#[doc = $doc])*
            #[derive(Debug, Clone, Copy, PartialEq)]
            #[cfg_attr(feature = "serde", derive(serde::Serialize))]
            #[cfg_attr(feature = "serde", serde(untagged))]
            pub enum $E<$a>, $err {
                $($(#[doc = $vdoc])* [$choice] $V { $($fields)* },)*
            }
        }

        impl<$a> $E<$a> {
            /// The JSON/display name.
            pub fn name(&self) -> &'static str {
                match self {
                    $($E::$V { .. } => $name,)*
                }
            }
        }
    };
}
pub(crate) use service_choice;

/// An LN service APDU (GET, SET, ACTION request or response): a `service_choice!`
/// whose variants all start with invoke-id-and-priority, after the APDU tag `$tag`.
macro_rules! xdlms_service {
    (
        $(#[doc = $doc:literal])*
        pub enum $E:ident<$a:lifetime> = $tag:path, $err:literal {
            $(
                $(#[doc = $vdoc:literal])*
                [$choice:tt] $V:ident = $name:literal { $($fields:tt)* }
            ),* $(,)?
        }
    ) => {
        $crate::apdu::field::service_choice! {
            $(#[doc = $doc])*
            pub enum $E<$a>, $err {
                $(
                    $(#[doc = $vdoc])*
                    [$choice] $V = $name {
                        /// Invoke id and priority.
                        #[serde(flatten)]
                        invoke: $crate::apdu::common::InvokeIdAndPriority,
                        $($fields)*
                    },
                )*
            }
        }

        impl<$a> $E<$a> {
            /// The invoke-id-and-priority, which every variant starts with.
            pub fn invoke(&self) -> $crate::apdu::common::InvokeIdAndPriority {
                match self {
                    $($E::$V { invoke, .. } => *invoke,)*
                }
            }

            pub(crate) fn read(
                c: &mut ::meterwire_core::Cursor<$a>,
            ) -> $crate::error::Result<Self> {
                let choice = c.read_u8()?;
                Self::read_choice(choice, c)
            }

            pub(crate) fn emit<S: $crate::util::Sink>(
                &self,
                s: &mut S,
            ) -> ::core::result::Result<(), ::meterwire_core::EncodeError> {
                s.put_u8($tag)?;
                self.emit_choice(s)
            }
        }
    };
}
pub(crate) use xdlms_service;

/// A SEQUENCE APDU after its tag `$tag`: the struct (with the attributes given, derives
/// included; every field public), `read` (the tag already read) and `emit`. Fields and
/// lifetime as in `choice!`.
macro_rules! apdu_sequence {
    (
        $(#[$m:meta])*
        pub struct $S:ident $(<$a:lifetime>)? = $tag:path {
            $(
                $(#[doc = $fdoc:literal])*
                $(#[serde($($serde:tt)*)])*
                $f:ident: $T:ty $(as $label:literal)?
            ),* $(,)?
        }
    ) => {
        $(#[$m])*
        pub struct $S $(<$a>)? {
            $(
                $(#[doc = $fdoc])*
                $(#[cfg_attr(feature = "serde", serde($($serde)*))])*
                pub $f: $T,
            )*
        }

        impl<'a> $S $(<$a>)? {
            pub(crate) fn read(
                c: &mut ::meterwire_core::Cursor<'a>,
            ) -> $crate::error::Result<Self> {
                use $crate::apdu::field::Field as _;
                Ok($S {
                    $($f: <$T>::read_field(
                        c,
                        $crate::apdu::field::field_label!($f $($label)?),
                    )?,)*
                })
            }

            pub(crate) fn emit<S: $crate::util::Sink>(
                &self,
                s: &mut S,
            ) -> ::core::result::Result<(), ::meterwire_core::EncodeError> {
                use $crate::apdu::field::Field as _;
                s.put_u8($tag)?;
                $(self.$f.emit_field(s)?;)*
                Ok(())
            }
        }
    };
}
pub(crate) use apdu_sequence;
