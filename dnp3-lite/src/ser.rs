//! Serde helpers shared by the layers' JSON views.

use meterwire_core::{Diagnostic, Diagnostics};
use serde::ser::SerializeMap;

/// Adds a `"diagnostics"` entry listing (up to `N` of) `diags`, or nothing when
/// there are none.
pub(crate) fn diagnostics_entry<const N: usize, M: SerializeMap>(
    m: &mut M,
    diags: impl Iterator<Item = Diagnostic>,
) -> Result<(), M::Error> {
    let mut list = Diagnostics::<N>::new();
    list.extend(diags);
    if list.is_empty() {
        return Ok(());
    }
    m.serialize_entry("diagnostics", &list)
}
