//! The RTU resync scan: after garbage, the next position in a window where a
//! CRC-valid frame starts, and the first position that could still be the start
//! of one, in one pass with an incremental CRC.
//!
//! A frame from `i` with its CRC at `j` (the body is `input[i..j]`) matches when
//! `crc(input[i..j]) == c(j)`, the two bytes at `j`. With `P(k)` the CRC register
//! after `input[..k]` and `A` the register's step over a zero byte (linear and
//! invertible for CRC-16/MODBUS), `crc(input[i..j]) = P(j) ^ A^(j-i)(P(i) ^ init)`.
//! Multiplying both sides by `A^(W-j)` for a fixed `W` gives a test on two numbers
//! computed once per position: `Q(j) = A^(W-j)(P(j) ^ c(j))` and
//! `R(i) = A^(W-i)(P(i) ^ init)` are equal exactly when the CRC matches. A
//! candidate length is then one comparison instead of a CRC over the frame, and
//! the frames without a length field (first CRC match wins) are a search for
//! `R(i)` in `Q[i+min..]`. Powers of `A` are applied with nibble tables
//! (`A^e = A^(64h) A^l`, 77 matrices, 9.6 KiB of constants).
//!
//! Each position found this way is confirmed by the ordinary decoder before it is
//! reported, so the result is the same as probing every position with `decode`.

use super::{Len, MAX_ADU, RESYNC_WINDOW, Step, pdu_len, try_direction};
use crate::pdu::Direction;

/// The CRC register's step over one byte (table of the reflected polynomial 0xA001).
const TABLE: [u16; 256] = super::crc_table();

/// `A`: one step of the register over a zero byte.
#[allow(clippy::indexing_slicing)] // const evaluation only
const fn zero_step(x: u16) -> u16 {
    (x >> 8) ^ TABLE[(x & 0xFF) as usize]
}

/// A linear map of 16-bit values as four nibble tables.
type Nibbles = [[u16; 16]; 4];

/// The nibble tables of `A^n`.
#[allow(clippy::indexing_slicing, clippy::arithmetic_side_effects)] // const evaluation only
const fn power(n: usize) -> Nibbles {
    let mut cols = [0u16; 16];
    let mut k = 0;
    while k < 16 {
        let mut x = 1u16 << k;
        let mut s = 0;
        while s < n {
            x = zero_step(x);
            s += 1;
        }
        cols[k] = x;
        k += 1;
    }
    let mut t = [[0u16; 16]; 4];
    let mut q = 0;
    while q < 4 {
        let mut v = 0;
        while v < 16 {
            let mut acc = 0u16;
            let mut b = 0;
            while b < 4 {
                if v >> b & 1 == 1 {
                    acc ^= cols[q * 4 + b];
                }
                b += 1;
            }
            t[q][v] = acc;
            v += 1;
        }
        q += 1;
    }
    t
}

/// Exponents up to the scan span (window + largest ADU).
const SPAN: usize = RESYNC_WINDOW + MAX_ADU;
const HIGH: usize = SPAN / 64 + 1;

#[allow(clippy::indexing_slicing, clippy::arithmetic_side_effects)] // const evaluation only
const fn powers<const N: usize>(stride: usize) -> [Nibbles; N] {
    let mut t = [[[0u16; 16]; 4]; N];
    let mut i = 0;
    while i < N {
        t[i] = power(i * stride);
        i += 1;
    }
    t
}

/// `A^l` for `l` in `0..64`.
static LOW: [Nibbles; 64] = powers::<64>(1);
/// `A^(64h)` for `64h` up to the span.
static HIGH_POWERS: [Nibbles; HIGH] = powers::<HIGH>(64);

#[inline(always)]
fn apply(t: &Nibbles, v: u16) -> u16 {
    let [a, b, c, d] = t;
    let n = |x: u16| usize::from(x & 0xF);
    a.get(n(v)).copied().unwrap_or(0)
        ^ b.get(n(v >> 4)).copied().unwrap_or(0)
        ^ c.get(n(v >> 8)).copied().unwrap_or(0)
        ^ d.get(n(v >> 12)).copied().unwrap_or(0)
}

/// `A^e(v)` for `e <= SPAN`.
#[inline(always)]
fn pow(e: usize, v: u16) -> u16 {
    let (Some(h), Some(l)) = (HIGH_POWERS.get(e >> 6), LOW.get(e & 63)) else {
        return 0;
    };
    apply(h, apply(l, v))
}

#[inline(always)]
fn step(crc: u16, b: u8) -> u16 {
    let i = usize::from((crc ^ u16::from(b)) as u8);
    (crc >> 8) ^ TABLE.get(i).copied().unwrap_or(0)
}

/// What one position of the window is, for resync.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Scan {
    /// The first position after 0 where a complete, CRC-valid frame starts.
    pub frame: Option<usize>,
    /// The first position after 0 whose header derives a length that has not
    /// arrived yet (a position that only waits for a CRC match does not count),
    /// before `frame`.
    pub prefix: Option<usize>,
}

/// Scans positions `1..min(len, RESYNC_WINDOW)` of `input` in the given
/// directions; stops at the first frame.
pub(super) fn scan(input: &[u8], directions: [Option<Direction>; 2]) -> Scan {
    let span = input.len().min(SPAN);
    let starts = input.len().min(RESYNC_WINDOW);
    let data = input.get(..span).unwrap_or(input);
    // Q(j) is filled lazily, up to the farthest CRC position a start at `i`
    // can reach (`i + MAX_ADU`): a resync that finds a frame a few bytes on
    // (a corrupted frame in a clean stream) computes ~MAX_ADU values, not SPAN
    let mut q = [0u16; SPAN];
    let mut filled = 0usize;
    let mut pq = 0xFFFFu16;
    let mut fill = |q: &mut [u16; SPAN], upto: usize| {
        let upto = upto.min(span.saturating_sub(1));
        while filled < upto {
            let j = filled;
            if let (Some(&b), Some(&hi), Some(qj)) =
                (data.get(j), data.get(j.saturating_add(1)), q.get_mut(j))
            {
                *qj = pow(span.saturating_sub(j), pq ^ u16::from_le_bytes([b, hi]));
                pq = step(pq, b);
            }
            filled = filled.saturating_add(1);
        }
    };
    let mut prefix = None;
    // P(i), advanced one byte per position; R(i) only where a candidate needs it
    let mut p = step(0xFFFF, data.first().copied().unwrap_or(0));
    for i in 1..starts {
        fill(&mut q, i.saturating_add(MAX_ADU));
        let rest = input.get(i..).unwrap_or(&[]);
        let pi = p;
        p = step(p, data.get(i).copied().unwrap_or(0));
        let mut r = None;
        let mut ri = || *r.get_or_insert_with(|| pow(span.saturating_sub(i), pi ^ 0xFFFF));
        let mut waits = rest.len() < 2;
        let mut frame = false;
        // both directions of a code without a length field search the same CRC
        // matches: remember the first search
        let mut searched: Option<(usize, Option<usize>)> = None;
        let pdu = rest.get(1..).unwrap_or(&[]);
        for d in directions {
            let Some(d) = d else { break };
            let end = match pdu_len(pdu, d) {
                Err(_) => continue,
                Ok(Len::Need(_)) => {
                    waits = true;
                    continue;
                }
                Ok(Len::Exact(n)) => {
                    let total = n.saturating_add(3);
                    if total > MAX_ADU {
                        continue;
                    }
                    if rest.len() < total {
                        waits = true;
                        continue;
                    }
                    let j = i.saturating_add(total).saturating_sub(2);
                    (q.get(j).copied() == Some(ri())).then_some(())
                }
                Ok(Len::Scan(min)) => {
                    // first CRC match with at least min + 1 bytes (address + PDU) before it
                    let limit = rest.len().min(MAX_ADU);
                    let lo = i.saturating_add(min.saturating_add(1).max(1));
                    let hi = i.saturating_add(limit.saturating_sub(2));
                    let at = match searched {
                        Some((from, at)) if from == lo => at,
                        _ => {
                            let at = first_match(q.get(lo..=hi).unwrap_or(&[]), ri());
                            searched = Some((lo, at));
                            at
                        }
                    };
                    at.map(|_| ())
                }
            };
            if end.is_some() && matches!(try_direction(rest, d), Ok(Step::Frame(..))) {
                frame = true;
                break;
            }
        }
        if frame {
            return Scan {
                frame: Some(i),
                prefix,
            };
        }
        if waits && prefix.is_none() {
            prefix = Some(i);
        }
    }
    Scan {
        frame: None,
        prefix,
    }
}

/// The index of the first `v == target` (chunked so that the comparison vectorises).
#[inline]
fn first_match(values: &[u16], target: u16) -> Option<usize> {
    let mut base = 0usize;
    for chunk in values.chunks(16) {
        if chunk.iter().fold(false, |acc, &v| acc | (v == target)) {
            return chunk
                .iter()
                .position(|&v| v == target)
                .map(|k| base.saturating_add(k));
        }
        base = base.saturating_add(chunk.len());
    }
    None
}
