//! Invocation counter monotonicity (Green Book 9.2.7.2.4.2: a receiver accepts
//! an invocation counter only if it is greater than the last one accepted).

use super::SecurityError;

/// Checks that `received` is strictly greater than `last` (the last accepted
/// counter, `None` before the first APDU).
pub fn check_invocation_counter(last: Option<u32>, received: u32) -> Result<(), SecurityError> {
    match last {
        Some(last) if received <= last => Err(SecurityError::Replay { last, received }),
        _ => Ok(()),
    }
}

/// Remembers the last accepted invocation counter of one sender and rejects
/// replays and reordering.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct InvocationCounterGuard {
    last: Option<u32>,
}

impl InvocationCounterGuard {
    /// A guard that has seen nothing yet.
    pub const fn new() -> Self {
        InvocationCounterGuard { last: None }
    }

    /// A guard that resumes after `last` (e.g. restored from storage).
    pub const fn resume(last: u32) -> Self {
        InvocationCounterGuard { last: Some(last) }
    }

    /// The last accepted counter.
    pub const fn last(&self) -> Option<u32> {
        self.last
    }

    /// Checks `received` without recording it.
    pub fn check(&self, received: u32) -> Result<(), SecurityError> {
        check_invocation_counter(self.last, received)
    }

    /// Checks `received` and, when it is fresh, records it. Call this only
    /// after the APDU authenticated, so a forged counter cannot advance it.
    pub fn accept(&mut self, received: u32) -> Result<(), SecurityError> {
        self.check(received)?;
        self.last = Some(received);
        Ok(())
    }
}
