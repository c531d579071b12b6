//! Object headers, qualifiers/ranges, object layouts and lazy point iterators
//! (IEEE 1815-2012 clause 4.2.2.7 "object headers", Annex A object library).
//!
//! Object headers are decoded generically from the qualifier (prefix code and
//! range specifier code) for every group; the object *size* comes from the
//! layout table [`layout`] (or from a size prefix). An object header with an
//! unknown size stops parsing with [`Error::UnknownObject`].
//!
//! The parsers use [`Cursor`] directly rather than nom: the grammar is a flat
//! loop of fixed-width fields and this is the hot path of the integrity-poll bench.

#[allow(unused_imports)]
use crate::Error;
#[allow(unused_imports)]
use meterwire_core::{Cursor, EncodeError, Writer};

mod block;
mod fixed;
mod header;
mod layout;
mod repr;
mod typed;
mod value;

pub use block::{DIAG_UNDECODED, ObjectBlock, ObjectBlocks, Points};
#[allow(unused_imports)]
use fixed::*;
pub use header::{
    ObjectHeader, Range, is_index_prefix, is_reserved_qualifier, is_size_prefix, prefix_width,
};
pub use layout::{Kind, Layout, Num, Spec, TimeField, layout};
pub use repr::ObjectRepr;
pub use typed::{Auth, FileObject, Typed, TypedValue};
pub use value::{Crob, Point, Value};
