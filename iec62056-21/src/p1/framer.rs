//! Streaming framer for a P1 serial line (DSMR 5.0.2 §6.2; the quirks of the
//! fact sheet §4: glued and partial telegrams, LF-only lines, NUL/0xFF noise).

use meterwire_core::{Decoded, Framer, Needed, Strictness};

use super::telegram::{Telegram, dropped_partial_flag, find_end, find_end_at, parse_inner_end};
use crate::Error;

/// The default bound on one telegram (noise before it included): 8 KiB. Real
/// telegrams are 0.3–2 KiB; DSMR 5 allows text messages of 1024 hex characters.
pub const DEFAULT_MAX_TELEGRAM: usize = 8 * 1024;

/// Cuts P1 telegrams out of a serial byte stream.
///
/// * resyncs on `/`; bytes before it (NUL or 0xFF noise, gateway junk, the end of
///   a telegram whose start was missed) are part of the next frame's `consumed`
///   count and reported as a `noise` diagnostic with their count;
/// * a telegram ends at `!`, up to 4 hex CRC digits (DSMR 4+) or none (DSMR
///   2.2/3), then CR LF; LF alone, a NUL before CR LF, or no line end at all (the
///   next `/` glued on) are diagnostics;
/// * a new header at a line start before `!` means the telegram before it was
///   cut short: it is dropped with an `unreassembled` diagnostic;
/// * the CRC-16/ARC is checked over the raw bytes from `/` through `!`; a bad
///   CRC is a `checksum` error; a byte with bit 7 set inside the CRC scope is
///   rejected (7E1 read as 8N1: see [`strip_parity`](super::strip_parity));
/// * a stream that holds no complete telegram within `max_len` bytes is a
///   `length` error, so memory stays bounded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct P1Framer {
    strictness: Strictness,
    skip_crc: bool,
    max_len: usize,
    /// Length of a whole telegram strict mode just rejected (resync drops it all).
    rejected: usize,
}

impl Default for P1Framer {
    fn default() -> Self {
        Self::new()
    }
}

impl P1Framer {
    /// Lenient, CRC checked, telegrams up to [`DEFAULT_MAX_TELEGRAM`].
    pub const fn new() -> Self {
        P1Framer {
            strictness: Strictness::Lenient,
            skip_crc: false,
            max_len: DEFAULT_MAX_TELEGRAM,
            rejected: 0,
        }
    }

    parse_builders!();

    /// Sets the largest telegram (noise before it included) in bytes (at least 16).
    pub const fn max_len(mut self, n: usize) -> Self {
        self.max_len = if n < 16 { 16 } else { n };
        self
    }

    fn window(&self) -> usize {
        self.max_len.saturating_add(1)
    }

    /// The start of the telegram to decode: the first `/`, moved to a later header
    /// at a line start when the telegram it opens is cut short before its `!`.
    /// Also returns where the first `!` after the start is, when it is in the window.
    fn start(&self, input: &[u8]) -> Option<(usize, bool, Option<usize>)> {
        let win = input.get(..self.window()).unwrap_or(input);
        // 0xAF is `/` with a parity bit (7E1 read as 8N1): start there so that the
        // telegram is rejected with a message that says so, not skipped silently
        let mut p = win.iter().position(|&b| b == b'/' || b == 0xAF)?;
        let mut dropped = false;
        // one pass for the `!` and a header at a line start before it (what
        // `new_header` over the text before the `!` finds)
        let mut from = 1usize;
        loop {
            let rest = win.get(p..)?;
            let Some(q) = rest
                .get(from..)
                .and_then(|r| crate::dataset::memchr2(b'!', b'/', r))
                .and_then(|i| i.checked_add(from))
            else {
                return Some((p, dropped, None));
            };
            if rest.get(q) == Some(&b'!') {
                return Some((p, dropped, Some(q)));
            }
            if rest.get(q.checked_sub(1)?) == Some(&b'\n') {
                p = p.checked_add(q)?;
                dropped = true;
                from = 1;
            } else {
                from = q.checked_add(1)?;
            }
        }
    }
}

/// Position of the first `\n/` (a header at a line start) in `scope` (the
/// reference for the search in `start`, kept for its test). Searched
/// by its `/` (one in a telegram, the header's) rather than by its line end (one
/// search per line: measured 8% of a stream decode).
#[cfg(test)]
fn new_header(scope: &[u8]) -> Option<usize> {
    let mut from = 1usize;
    loop {
        let q = from.checked_add(crate::dataset::memchr(b'/', scope.get(from..)?)?)?;
        let p = q.checked_sub(1)?;
        if scope.get(p) == Some(&b'\n') {
            return Some(p);
        }
        from = q.checked_add(1)?;
    }
}

impl Framer for P1Framer {
    type Frame<'a> = Telegram<'a>;
    type Error = Error;

    fn decode<'a>(&mut self, input: &'a [u8]) -> Result<Decoded<Telegram<'a>>, Error> {
        let too_long = input.len() > self.max_len;
        let Some((p, dropped, bang)) = self.start(input) else {
            return if too_long {
                Err(Error::length("p1 telegram", self.max_len, input.len()))
            } else {
                Ok(Decoded::Incomplete {
                    needed: Needed::at_least(1),
                })
            };
        };
        let raw = input.get(p..).unwrap_or(&[]);
        let end = match bang {
            Some(b) => find_end_at(raw, b, false),
            None => find_end(raw, false),
        };
        let Some(end) = end else {
            return if too_long {
                Err(Error::length("p1 telegram", self.max_len, input.len()))
            } else {
                Ok(Decoded::Incomplete {
                    needed: Needed::at_least(1),
                })
            };
        };
        let consumed = p.saturating_add(end.end);
        if consumed > self.max_len {
            return Err(Error::length("p1 telegram", self.max_len, consumed));
        }
        let extra = if dropped { dropped_partial_flag() } else { 0 };
        // `end` read over `raw` is what `find_end` finds over `raw[..end.end]`
        let cut = raw.get(..end.end).unwrap_or(raw);
        let t = parse_inner_end(cut, Some(end), self.skip_crc, p, extra)?;
        if self.strictness.is_strict() {
            if let Some(d) = t.diagnostics().next() {
                // a whole, checked telegram: drop all of it (noise before it only,
                // when noise is what strict mode rejects)
                self.rejected = if t.skipped() > 0 {
                    t.skipped()
                } else {
                    consumed
                };
                self.strictness.reject(d)?;
            }
        }
        Ok(Decoded::Frame { frame: t, consumed })
    }

    fn resync(&mut self, input: &[u8]) -> usize {
        let rejected = core::mem::take(&mut self.rejected);
        if rejected > 0 {
            return rejected.clamp(1, input.len().max(1));
        }
        // drop the noise before a header first (so that a telegram whose noise made
        // the frame too long is tried again on its own), then the header itself
        let n = match self.start(input) {
            Some((0, _, _)) => 1,
            Some((p, _, _)) => p,
            None => self.window(),
        };
        n.clamp(1, input.len().max(1))
    }
}

/// Clears bit 7 of every byte (a 7E1 line read as 8N1 carries the parity bit
/// there); returns how many bytes changed, so the caller can report it (a
/// `noise` diagnostic) rather than change bytes silently. Run it on the receive
/// buffer before framing when the port is known to be 7E1.
pub fn strip_parity(buf: &mut [u8]) -> usize {
    let mut n = 0usize;
    for b in buf.iter_mut() {
        if *b & 0x80 != 0 {
            *b &= 0x7F;
            n = n.saturating_add(1);
        }
    }
    n
}

#[cfg(test)]
#[allow(clippy::arithmetic_side_effects, clippy::indexing_slicing)]
mod tests {
    use proptest::prelude::*;

    /// The first `\n/` found through its `\n` (the form before the search by `/`).
    fn by_line_end(scope: &[u8]) -> Option<usize> {
        scope.windows(2).position(|w| w == b"\n/")
    }

    /// `start` as it was: the `!` and then the header searched separately.
    fn old_start(f: &super::P1Framer, input: &[u8]) -> Option<(usize, bool, Option<usize>)> {
        let win = input.get(..f.window()).unwrap_or(input);
        let mut p = win.iter().position(|&b| b == b'/' || b == 0xAF)?;
        let mut dropped = false;
        loop {
            let rest = win.get(p..)?;
            let bang = rest.iter().position(|&b| b == b'!').unwrap_or(rest.len());
            match super::new_header(&rest[..bang]) {
                Some(q) => {
                    p += q + 1;
                    dropped = true;
                }
                None => return Some((p, dropped, (bang < rest.len()).then_some(bang))),
            }
        }
    }

    proptest! {
        #[test]
        fn start_matches_separate_searches(input in proptest::collection::vec(
            proptest::sample::select(b"/\n\ra!(".to_vec()), 0..60)
        ) {
            let f = super::P1Framer::new().max_len(32);
            prop_assert_eq!(f.start(&input), old_start(&f, &input));
        }

        #[test]
        fn header_search_by_slash(scope in proptest::collection::vec(
            proptest::sample::select(b"/\n\ra!(".to_vec()), 0..40)
        ) {
            prop_assert_eq!(super::new_header(&scope), by_line_end(&scope));
        }
    }
}
