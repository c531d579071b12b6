//! Where a PDU's payloads live: borrowed from the frame (the views,
//! [`Borrowed`]) or owned (the Reprs, [`Owned`], with `alloc`).
//!
//! The PDU enums are written once, generic over a [`Storage`]:
//! [`Request<'a>`](crate::Request) is `RequestOf<Borrowed<'a>>`, a `Copy`
//! view whose payloads are lazy iterators over the input, and
//! [`RequestRepr`](crate::RequestRepr) is `RequestOf<Owned>`, whose payloads
//! are `Vec`s. Encoding, names and serde output are the same code for both.

use core::fmt;
use core::marker::PhantomData;
use meterwire_core::{EncodeError, Writer};

use crate::data::{Bits, Bytes, Record, Registers, Seq};
use crate::pdu::{DeviceObject, FileRecord, FileSubRequest, FileSubResponse};

/// `Serialize` when the `serde` feature is on (a bound of [`Payload`]).
#[cfg(feature = "serde")]
pub trait MaybeSerialize: serde::Serialize {}
#[cfg(feature = "serde")]
impl<T: serde::Serialize + ?Sized> MaybeSerialize for T {}
/// `Serialize` when the `serde` feature is on (a bound of [`Payload`]).
#[cfg(not(feature = "serde"))]
pub trait MaybeSerialize {}
#[cfg(not(feature = "serde"))]
impl<T: ?Sized> MaybeSerialize for T {}

/// A payload of a PDU (registers, bits, bytes, a list of records), borrowed
/// or owned: what encoding needs from it.
pub trait Payload: Clone + fmt::Debug + PartialEq + MaybeSerialize {
    /// Number of items (registers, bits, bytes, records).
    fn len(&self) -> usize;
    /// `true` when there are none.
    fn is_empty(&self) -> bool {
        self.len() == 0
    }
    /// Encoded length in bytes.
    fn wire_len(&self) -> usize;
    /// Writes the payload.
    fn write(&self, w: &mut Writer<'_>) -> Result<(), EncodeError>;
}

/// Opaque bytes, borrowed or owned.
pub trait ByteSlice: Payload {
    /// The bytes.
    fn bytes(&self) -> &[u8];
}

/// The payload types of one storage.
pub trait Storage: Clone + fmt::Debug + PartialEq {
    /// 16-bit registers.
    type Registers: Payload;
    /// Coils or inputs.
    type Bits: Payload;
    /// Opaque bytes.
    type Bytes: ByteSlice;
    /// FC 20 sub-requests.
    type FileSubRequests: Payload;
    /// FC 21 records.
    type FileRecords: Payload;
    /// FC 20 sub-responses.
    type FileSubResponses: Payload;
    /// FC 43/14 objects.
    type DeviceObjects: Payload;
}

/// Payloads borrowed from the frame or from the caller: the views.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Borrowed<'a>(PhantomData<&'a ()>);

impl<'a> Storage for Borrowed<'a> {
    type Registers = Registers<'a>;
    type Bits = Bits<'a>;
    type Bytes = Bytes<'a>;
    type FileSubRequests = Seq<'a, FileSubRequest>;
    type FileRecords = Seq<'a, FileRecord<'a>>;
    type FileSubResponses = Seq<'a, FileSubResponse<'a>>;
    type DeviceObjects = Seq<'a, DeviceObject<'a>>;
}

/// The views delegate to their own methods (`#[inline]` only where measured
/// to help: on `Registers`; on `Bits` it slowed the FC 16 encode by ~10 %).
macro_rules! view_payload {
    ($($t:ident $(#[$a:meta])?),*) => {$(
        impl Payload for $t<'_> {
            $(#[$a])?
            fn len(&self) -> usize {
                $t::len(self)
            }
            $(#[$a])?
            fn wire_len(&self) -> usize {
                $t::wire_len(self)
            }
            $(#[$a])?
            fn write(&self, w: &mut Writer<'_>) -> Result<(), EncodeError> {
                $t::write(self, w)
            }
        }
    )*};
}
view_payload!(Registers #[inline], Bits);

impl Payload for Bytes<'_> {
    fn len(&self) -> usize {
        self.as_slice().len()
    }
    fn wire_len(&self) -> usize {
        self.as_slice().len()
    }
    fn write(&self, w: &mut Writer<'_>) -> Result<(), EncodeError> {
        w.write_bytes(self.as_slice())
    }
}

impl ByteSlice for Bytes<'_> {
    fn bytes(&self) -> &[u8] {
        self.as_slice()
    }
}

impl<'a, T: Record<'a> + fmt::Debug + PartialEq + MaybeSerialize> Payload for Seq<'a, T>
where
    Seq<'a, T>: MaybeSerialize,
{
    fn len(&self) -> usize {
        Seq::len(self)
    }
    fn wire_len(&self) -> usize {
        Seq::wire_len(self)
    }
    fn write(&self, w: &mut Writer<'_>) -> Result<(), EncodeError> {
        Seq::write(self, w)
    }
}

#[cfg(feature = "alloc")]
pub use owned::{BytesBuf, Owned, ToRepr};

#[cfg(feature = "alloc")]
mod owned {
    use super::*;
    use crate::data::WriteRecord;
    use crate::pdu::{DeviceObjectRepr, FileRecordRepr, FileSubResponseRepr};
    use alloc::vec::Vec;

    /// Owned payloads (`Vec`s): the Reprs.
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    #[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
    pub enum Owned {}

    impl Storage for Owned {
        type Registers = Vec<u16>;
        type Bits = Vec<bool>;
        type Bytes = BytesBuf;
        type FileSubRequests = Vec<FileSubRequest>;
        type FileRecords = Vec<FileRecordRepr>;
        type FileSubResponses = Vec<FileSubResponseRepr>;
        type DeviceObjects = Vec<DeviceObjectRepr>;
    }

    /// Owned opaque bytes (lower-case hex in JSON).
    #[derive(Clone, Default, PartialEq, Eq)]
    pub struct BytesBuf(pub Vec<u8>);

    impl fmt::Debug for BytesBuf {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            fmt::Display::fmt(&Bytes::new(&self.0), f)
        }
    }

    impl From<Vec<u8>> for BytesBuf {
        fn from(v: Vec<u8>) -> Self {
            BytesBuf(v)
        }
    }

    /// Owned values encode through the view over them.
    macro_rules! slice_payload {
        ($($t:ty => $view:ident),*) => {$(
            impl Payload for Vec<$t> {
                fn len(&self) -> usize {
                    $view::from_slice(self).len()
                }
                fn wire_len(&self) -> usize {
                    $view::from_slice(self).wire_len()
                }
                fn write(&self, w: &mut Writer<'_>) -> Result<(), EncodeError> {
                    $view::from_slice(self).write(w)
                }
            }
        )*};
    }
    slice_payload!(u16 => Registers, bool => Bits);

    impl Payload for BytesBuf {
        fn len(&self) -> usize {
            self.0.len()
        }
        fn wire_len(&self) -> usize {
            self.0.len()
        }
        fn write(&self, w: &mut Writer<'_>) -> Result<(), EncodeError> {
            w.write_bytes(&self.0)
        }
    }

    impl ByteSlice for BytesBuf {
        fn bytes(&self) -> &[u8] {
            &self.0
        }
    }

    macro_rules! record_vec {
        ($($t:ty),*) => {$(
            impl Payload for Vec<$t> {
                fn len(&self) -> usize {
                    self.as_slice().len()
                }
                fn wire_len(&self) -> usize {
                    self.iter().fold(0usize, |acc, r| acc.saturating_add(r.wire_len()))
                }
                fn write(&self, w: &mut Writer<'_>) -> Result<(), EncodeError> {
                    self.iter().try_for_each(|r| r.write(w))
                }
            }
        )*};
    }
    record_vec!(
        FileSubRequest,
        FileRecordRepr,
        FileSubResponseRepr,
        DeviceObjectRepr
    );

    /// A borrowed field or payload's owned form (what `Repr::parse(&view)` calls per field).
    pub trait ToRepr {
        /// The owned form.
        type Repr;
        /// Copies it out of the frame.
        fn to_repr(&self) -> Self::Repr;
    }

    macro_rules! to_repr_copy {
        ($($t:ty),*) => {$(
            impl ToRepr for $t {
                type Repr = $t;
                fn to_repr(&self) -> $t {
                    *self
                }
            }
        )*};
    }
    to_repr_copy!(u8, u16, bool, FileSubRequest);

    impl ToRepr for Registers<'_> {
        type Repr = Vec<u16>;
        fn to_repr(&self) -> Vec<u16> {
            self.iter().collect()
        }
    }

    impl ToRepr for Bits<'_> {
        type Repr = Vec<bool>;
        fn to_repr(&self) -> Vec<bool> {
            self.iter().collect()
        }
    }

    impl ToRepr for Bytes<'_> {
        type Repr = BytesBuf;
        fn to_repr(&self) -> BytesBuf {
            BytesBuf(self.as_slice().to_vec())
        }
    }

    impl<'a, T: Record<'a> + ToRepr> ToRepr for Seq<'a, T> {
        type Repr = Vec<T::Repr>;
        fn to_repr(&self) -> Vec<T::Repr> {
            self.iter().map(|r| r.to_repr()).collect()
        }
    }
}
