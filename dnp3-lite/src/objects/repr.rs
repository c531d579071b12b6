//! Encoding object headers with their points.

#[allow(unused_imports)]
use super::*;
#[allow(unused_imports)]
use crate::Error;
#[allow(unused_imports)]
use meterwire_core::{Cursor, EncodeError, Writer};

/// An object header with its points, to encode.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ObjectRepr<'p> {
    /// The header (group, variation, prefix code, range).
    pub header: ObjectHeader,
    /// The objects; empty for a header without object data (read requests).
    /// With a start-stop range the indices come from the range; with an index
    /// prefix each point's index is written.
    pub points: &'p [Point<'p>],
}

impl ObjectRepr<'_> {
    /// Exact encoded size.
    pub fn encoded_len(&self) -> usize {
        let mut n = self.header.encoded_len();
        if self.points.is_empty() {
            return n;
        }
        let pw = usize::from(prefix_width(self.header.prefix).unwrap_or(0));
        match layout(self.header.group, self.header.variation) {
            Layout::Packed(bits) => {
                n = n.saturating_add(
                    self.points
                        .len()
                        .saturating_mul(usize::from(bits))
                        .div_ceil(8),
                )
            }
            lay => {
                for p in self.points {
                    let body = match (lay, p.value) {
                        (_, Value::Raw(b) | Value::Typed { bytes: b, .. }) => b.len(),
                        (Layout::Fixed(k), _) => k.size(),
                        (Layout::Octets(v), Value::Octets(b)) => {
                            if is_size_prefix(self.header.prefix) {
                                b.len()
                            } else {
                                usize::from(v)
                            }
                        }
                        (Layout::Attribute, Value::Attribute { bytes, .. }) => {
                            bytes.len().saturating_add(2)
                        }
                        _ => 0,
                    };
                    n = n.saturating_add(pw).saturating_add(body);
                }
            }
        }
        n
    }

    /// Encoded size of the header with index prefixes only (no object data).
    pub fn indices_len(&self) -> usize {
        let pw = usize::from(prefix_width(self.header.prefix).unwrap_or(0));
        self.header
            .encoded_len()
            .saturating_add(pw.saturating_mul(self.points.len()))
    }

    /// Writes the header and, for an index prefix, each point's index (requests
    /// such as read that carry no object data).
    pub fn write_indices(&self, w: &mut Writer<'_>) -> Result<(), EncodeError> {
        if !self.points.is_empty() && !is_index_prefix(self.header.prefix) {
            return Err(EncodeError::Invalid {
                field: "object data",
                reason: "this function carries object headers only",
            });
        }
        self.check_count()?;
        self.header.write(w)?;
        let pw = usize::from(prefix_width(self.header.prefix).unwrap_or(0));
        for p in self.points {
            w.write_uint_le(u64::from(p.index), pw)?;
        }
        Ok(())
    }

    fn check_count(&self) -> Result<(), EncodeError> {
        if !self.points.is_empty() {
            let expected = self
                .header
                .range
                .count()
                .map_err(|_| EncodeError::Invalid {
                    field: "object range",
                    reason: "stop below start",
                })?;
            if expected != self.points.len() as u64 {
                return Err(EncodeError::Invalid {
                    field: "object range",
                    reason: "range count differs from the number of points",
                });
            }
        }
        Ok(())
    }

    /// Writes the header and its objects.
    pub fn write(&self, w: &mut Writer<'_>) -> Result<(), EncodeError> {
        let h = &self.header;
        self.check_count()?;
        h.write(w)?;
        if self.points.is_empty() {
            return Ok(());
        }
        let pw = usize::from(prefix_width(h.prefix).unwrap_or(0));
        let lay = layout(h.group, h.variation);
        if let Layout::Packed(bits) = lay {
            if h.prefix != 0 {
                return Err(EncodeError::Invalid {
                    field: "object prefix code",
                    reason: "packed objects take no prefix",
                });
            }
            let mut acc = 0u8;
            let mut used = 0u8;
            for p in self.points {
                let v = match p.value {
                    Value::Bool(b) => u8::from(b),
                    Value::DoubleBit(d) if bits == 2 => d & 3,
                    _ => return Err(INVALID_VALUE),
                };
                acc |= v << used;
                used = used.saturating_add(bits);
                if used >= 8 {
                    w.write_u8(acc)?;
                    acc = 0;
                    used = 0;
                }
            }
            if used > 0 {
                w.write_u8(acc)?;
            }
            return Ok(());
        }
        for p in self.points {
            if is_index_prefix(h.prefix) {
                w.write_uint_le(u64::from(p.index), pw)?;
            }
            let body_len = match (lay, p.value) {
                (_, Value::Raw(b) | Value::Typed { bytes: b, .. }) => b.len(),
                (Layout::Fixed(k), _) => k.size(),
                (Layout::Octets(_), Value::Octets(b)) => b.len(),
                (Layout::Attribute, Value::Attribute { bytes, .. }) => {
                    bytes.len().saturating_add(2)
                }
                _ => return Err(INVALID_VALUE),
            };
            if is_size_prefix(h.prefix) {
                if pw < 8 && (body_len as u64) >= 1u64 << (pw.saturating_mul(8)) {
                    return Err(EncodeError::Invalid {
                        field: "object size prefix",
                        reason: "object too large for the prefix width",
                    });
                }
                w.write_uint_le(body_len as u64, pw)?;
            }
            match (lay, p.value) {
                (_, Value::Raw(b)) => {
                    if !is_size_prefix(h.prefix) {
                        return Err(EncodeError::Invalid {
                            field: "object value",
                            reason: "raw objects need a size prefix",
                        });
                    }
                    w.write_bytes(b)?
                }
                (Layout::Typed(t), Value::Typed { bytes, .. }) => {
                    // the object's own bytes; without a size prefix the size is fixed
                    if !is_size_prefix(h.prefix) && t.fixed_size() != Some(bytes.len()) {
                        return Err(EncodeError::Invalid {
                            field: "object value",
                            reason: "this object needs a size prefix or its fixed size",
                        });
                    }
                    w.write_bytes(bytes)?
                }
                (_, Value::Typed { .. }) => return Err(INVALID_VALUE),
                (Layout::Fixed(k), _) => encode_fixed(h.group, k, p, w)?,
                (Layout::Octets(v), Value::Octets(b)) => {
                    if !is_size_prefix(h.prefix) && b.len() != usize::from(v) {
                        return Err(EncodeError::Invalid {
                            field: "octet string",
                            reason: "length must equal the variation",
                        });
                    }
                    w.write_bytes(b)?
                }
                (Layout::Attribute, Value::Attribute { data_type, bytes }) => {
                    w.write_u8(data_type)?;
                    w.write_u8(u8::try_from(bytes.len()).map_err(|_| EncodeError::Invalid {
                        field: "device attribute",
                        reason: "at most 255 bytes",
                    })?)?;
                    w.write_bytes(bytes)?
                }
                _ => return Err(INVALID_VALUE),
            }
        }
        Ok(())
    }
}
