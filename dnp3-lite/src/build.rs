//! Ready-made requests and responses, and splitting a fragment into link frames.
//! None of these allocate: they write into the caller's buffer.

use crate::app::{AppControl, AppHeader, FragmentRepr, Iin, function};
use crate::link::{LinkFrameRepr, LinkHeader, MAX_USER_DATA, frame_len};
use crate::objects::{Crob, ObjectHeader, ObjectRepr, Point, Range, Value};
use crate::transport;
use meterwire_core::{Encode, EncodeError};

fn request<'p>(seq: u8, func: u8, objects: &'p [ObjectRepr<'p>]) -> FragmentRepr<'p> {
    FragmentRepr {
        header: AppHeader {
            control: AppControl::single(seq),
            function: func,
            iin: Iin::default(),
        },
        objects,
    }
}

const fn class_header(variation: u8) -> ObjectRepr<'static> {
    ObjectRepr {
        header: ObjectHeader {
            group: 60,
            variation,
            prefix: 0,
            range: Range::All,
        },
        points: &[],
    }
}

/// A set of event/static data classes (0..=3) for a class read: combine the
/// constants with `|` (`Classes::CLASS1 | Classes::CLASS2`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Classes(u8);

impl Classes {
    /// No class.
    pub const NONE: Classes = Classes(0);
    /// Class 0 (static data, g60v1).
    pub const CLASS0: Classes = Classes(1);
    /// Class 1 events (g60v2).
    pub const CLASS1: Classes = Classes(2);
    /// Class 2 events (g60v3).
    pub const CLASS2: Classes = Classes(4);
    /// Class 3 events (g60v4).
    pub const CLASS3: Classes = Classes(8);
    /// The three event classes 1, 2, 3.
    pub const EVENTS: Classes = Classes(0b1110);
    /// Classes 0, 1, 2 and 3 (an integrity poll).
    pub const ALL: Classes = Classes(0b1111);

    /// Class `n` (0..=3); `None` for another number.
    pub const fn class(n: u8) -> Option<Classes> {
        if n < 4 { Some(Classes(1 << n)) } else { None }
    }

    /// This set with `other` added.
    pub const fn with(self, other: Classes) -> Classes {
        Classes(self.0 | other.0)
    }

    /// Whether every class of `other` is in this set.
    pub const fn contains(self, other: Classes) -> bool {
        self.0 & other.0 == other.0
    }
}

impl core::ops::BitOr for Classes {
    type Output = Classes;
    fn bitor(self, rhs: Classes) -> Classes {
        self.with(rhs)
    }
}

/// A request carrying one object with a 16-bit count and index prefix (qualifier 0x28).
fn one_object_request(
    seq: u8,
    func: u8,
    (group, variation): (u8, u8),
    point: Point<'_>,
    out: &mut [u8],
) -> Result<usize, EncodeError> {
    let points = [point];
    let objs = [ObjectRepr {
        header: ObjectHeader {
            group,
            variation,
            prefix: 2,
            range: Range::Count { width: 2, count: 1 },
        },
        points: &points,
    }];
    request(seq, func, &objs).encode(out)
}

/// Read of class data: each selected class n as g60v(n+1) with qualifier 0x06.
/// Classes 1, 2, 3 come first, then class 0 (the usual order).
pub fn read_class(seq: u8, classes: Classes, out: &mut [u8]) -> Result<usize, EncodeError> {
    let order = [
        (Classes::CLASS1, 2),
        (Classes::CLASS2, 3),
        (Classes::CLASS3, 4),
        (Classes::CLASS0, 1),
    ];
    let mut objs = [class_header(1); 4];
    let mut n = 0usize;
    for (class, variation) in order {
        if classes.contains(class) {
            if let Some(slot) = objs.get_mut(n) {
                *slot = class_header(variation);
                n = n.saturating_add(1);
            }
        }
    }
    request(seq, function::READ, objs.get(..n).unwrap_or(&[])).encode(out)
}

/// Integrity poll: read classes 1, 2, 3 and 0.
pub fn integrity_poll(seq: u8, out: &mut [u8]) -> Result<usize, EncodeError> {
    read_class(seq, Classes::ALL, out)
}

/// Application confirm (function 0) of a solicited response.
pub fn confirm(seq: u8, out: &mut [u8]) -> Result<usize, EncodeError> {
    request(seq, function::CONFIRM, &[]).encode(out)
}

/// Application confirm (function 0, UNS set) of an unsolicited response.
pub fn confirm_unsolicited(seq: u8, out: &mut [u8]) -> Result<usize, EncodeError> {
    let mut h = request(seq, function::CONFIRM, &[]);
    h.header.control.uns = true;
    h.encode(out)
}

/// A CROB request (g12v1, qualifier 0x28: 16-bit count and index) with function
/// `func` (select 3, operate 4, direct operate 5, direct operate no ack 6).
pub fn crob_request(
    seq: u8,
    func: u8,
    index: u16,
    crob: Crob,
    out: &mut [u8],
) -> Result<usize, EncodeError> {
    let point = Point::new(u32::from(index), Value::Crob(crob));
    one_object_request(seq, func, (12, 1), point, out)
}

/// Direct operate of one CROB.
pub fn direct_operate_crob(
    seq: u8,
    index: u16,
    crob: Crob,
    out: &mut [u8],
) -> Result<usize, EncodeError> {
    crob_request(seq, function::DIRECT_OPERATE, index, crob, out)
}

/// An analog output value and its g41 variation.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum AnalogOutput {
    /// g41v1.
    I32(i32),
    /// g41v2.
    I16(i16),
    /// g41v3.
    F32(f32),
    /// g41v4.
    F64(f64),
}

/// An analog output request (g41, qualifier 0x28) with function `func`.
pub fn analog_output_request(
    seq: u8,
    func: u8,
    index: u16,
    value: AnalogOutput,
    out: &mut [u8],
) -> Result<usize, EncodeError> {
    let (variation, v) = match value {
        AnalogOutput::I32(i) => (1, Value::Int(i)),
        AnalogOutput::I16(i) => (2, Value::Int(i32::from(i))),
        AnalogOutput::F32(f) => (3, Value::Float(f64::from(f))),
        AnalogOutput::F64(f) => (4, Value::Float(f)),
    };
    let mut p = Point::new(u32::from(index), v);
    p.status = Some(0);
    one_object_request(seq, func, (41, variation), p, out)
}

/// Write of the absolute time (g50v1, qualifier 0x07 count 1), ms since 1970 UTC.
pub fn write_time(seq: u8, ms: u64, out: &mut [u8]) -> Result<usize, EncodeError> {
    let mut p = Point::new(0, Value::None);
    p.time = Some(ms);
    let points = [p];
    let objs = [ObjectRepr {
        header: ObjectHeader {
            group: 50,
            variation: 1,
            prefix: 0,
            range: Range::Count { width: 1, count: 1 },
        },
        points: &points,
    }];
    request(seq, function::WRITE, &objs).encode(out)
}

/// A response (function 129) or unsolicited response (130) with the given objects.
pub fn response(
    control: AppControl,
    func: u8,
    iin: Iin,
    objects: &[ObjectRepr<'_>],
    out: &mut [u8],
) -> Result<usize, EncodeError> {
    FragmentRepr {
        header: AppHeader {
            control,
            function: func,
            iin,
        },
        objects,
    }
    .encode(out)
}

/// Bytes needed to carry a fragment of `fragment_len` bytes in link frames with
/// `max_payload` transport payload bytes per frame (1..=249).
pub fn frames_len(fragment_len: usize, max_payload: usize) -> usize {
    let max = max_payload.clamp(1, MAX_USER_DATA.saturating_sub(1));
    let full = fragment_len.checked_div(max).unwrap_or(0);
    let rest = fragment_len.checked_rem(max).unwrap_or(0);
    let mut n = full.saturating_mul(frame_len(max.saturating_add(1)));
    if rest > 0 || fragment_len == 0 {
        n = n.saturating_add(frame_len(rest.saturating_add(1)));
    }
    n
}

/// Splits `fragment` into transport segments (first sequence number `tseq`) and
/// writes each as a link frame with `header` into `out`. Returns bytes written.
pub fn encode_frames(
    header: LinkHeader,
    fragment: &[u8],
    tseq: u8,
    max_payload: usize,
    out: &mut [u8],
) -> Result<usize, EncodeError> {
    let mut pos = 0usize;
    let mut seg = [0u8; MAX_USER_DATA];
    transport::segment(fragment, max_payload, tseq, |th, payload| {
        let total = payload.len().saturating_add(1);
        let dst = seg.get_mut(..total).ok_or(EncodeError::Invalid {
            field: "transport payload",
            reason: "at most 249 bytes",
        })?;
        let (first, rest) = dst.split_at_mut(1);
        first.copy_from_slice(&[th]);
        rest.copy_from_slice(payload);
        let repr = LinkFrameRepr {
            header,
            user_data: dst,
        };
        let out_rest = out.get_mut(pos..).unwrap_or(&mut []);
        pos = pos.saturating_add(repr.encode(out_rest)?);
        Ok(())
    })?;
    Ok(pos)
}
