//! Serde helpers shared by the crates' hand-written `Serialize` impls.

use serde::{Serialize, Serializer};

/// The items of the iterator a closure makes, serialized as a sequence: lets a
/// view's lazy list (lines, points, objects, diagnostics) go into JSON without
/// collecting it. The closure runs once per serialization.
///
/// ```
/// use meterwire_core::ser::SeqWith;
///
/// let bytes = [1u8, 2, 3];
/// let json = serde_json::to_string(&SeqWith(|| bytes.iter().map(|b| b * 2))).unwrap();
/// assert_eq!(json, "[2,4,6]");
/// ```
#[derive(Debug, Clone, Copy)]
pub struct SeqWith<F>(pub F);

impl<F, I> Serialize for SeqWith<F>
where
    F: Fn() -> I,
    I: IntoIterator,
    I::Item: Serialize,
{
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq((self.0)())
    }
}
