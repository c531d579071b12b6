//! RTU resync on hostile input (issue 18): time per byte of random bytes stays flat
//! as the input grows (no quadratic rescans), and every byte is accounted for.
//!
//! Times are thread CPU time (the machine is shared). CI runs reduced sizes (1 MiB against 4 MiB); the full figure (8 MiB, release) is
//! `cargo test --release -p meterwire-modbus --test resync -- --ignored --nocapture`.
#![allow(clippy::arithmetic_side_effects)]

use std::time::Duration;

use cpu_time::ThreadTime;

use meterwire_core::{Event, Frames};
use meterwire_modbus::RtuFramer;

/// Deterministic pseudo-random bytes (xorshift64*).
fn random_bytes(n: usize, mut seed: u64) -> Vec<u8> {
    let mut v = Vec::with_capacity(n);
    while v.len() < n {
        seed ^= seed >> 12;
        seed ^= seed << 25;
        seed ^= seed >> 27;
        v.extend_from_slice(&seed.wrapping_mul(0x2545_F491_4F6C_DD1D).to_le_bytes());
    }
    v.truncate(n);
    v
}

/// Decodes `data` as one stream; returns the time taken and checks that frames,
/// errors and the remainder cover every byte exactly once.
fn run(data: &[u8]) -> (Duration, usize) {
    let t = ThreadTime::now();
    let mut next = 0u64;
    let mut frames = 0;
    for ev in Frames::new(RtuFramer::new(), data) {
        let (offset, len) = match ev {
            Event::Frame { offset, raw, .. } => {
                frames += 1;
                (offset, raw.len())
            }
            Event::Error {
                offset, skipped, ..
            } => (offset, skipped.len()),
            Event::Truncated { offset, rest, .. } => (offset, rest.len()),
        };
        assert_eq!(offset, next, "bytes lost or counted twice");
        next += len as u64;
    }
    assert_eq!(next, data.len() as u64);
    (t.elapsed(), frames)
}

fn per_byte(n: usize, seed: u64) -> f64 {
    let data = random_bytes(n, seed);
    let (t, _) = run(&data);
    t.as_secs_f64() / n as f64
}

#[test]
fn random_bytes_resync_time_per_byte_is_flat() {
    const MIB: usize = 1 << 20;
    let small = per_byte(MIB, 1);
    let large = per_byte(4 * MIB, 2);
    println!(
        "rtu resync on random bytes: {:.1} ns/byte at 1 MiB, {:.1} ns/byte at 4 MiB",
        small * 1e9,
        large * 1e9
    );
    // flat: a quadratic rescan would make 4 MiB cost 4x per byte; allow noise
    assert!(
        large < small * 2.0,
        "{small:e} s/B at 1 MiB, {large:e} s/B at 4 MiB"
    );
}

#[test]
#[ignore = "full size, run once in release for the figure"]
fn random_bytes_resync_figure() {
    const MIB: usize = 1 << 20;
    for n in [MIB, 8 * MIB] {
        let data = random_bytes(n, 3);
        let (t, frames) = run(&data);
        println!(
            "{} MiB random: {:.1} MB/s ({:.2} ns/byte), {frames} CRC-valid frames found",
            n / MIB,
            n as f64 / t.as_secs_f64() / 1e6,
            t.as_secs_f64() * 1e9 / n as f64
        );
    }
}
