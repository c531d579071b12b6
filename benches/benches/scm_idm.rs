//! ERT SCM / IDM / R900: decode + check, correction, and bit-stream scanning.
//! Run: `cargo bench -p meterwire-benches --bench scm_idm`
//!
//! No Rust crate decodes these packets (the references are rtlamr in Go and rtl_433 in
//! C), so there is no like-for-like peer. Floors are `bare_*`: `bare_sync_scan` finds
//! the three ERT sync words at every bit offset of the same stream and does nothing
//! else (a 256-entry anchor-byte table, then one 64-bit compare per candidate: the
//! search alone, without cutting, checking or iterating). References that are not
//! peers are `ref_*`: `ref_naive_per_bit` extracts and compares the syncs at every bit
//! offset; `ref_reed_solomon_gf256` is the `reed-solomon` crate decoding 2 errors in a
//! GF(256) RS(16+10) block (a different code, as a cost reference only).
//!
//! Timed in thread CPU time (CLOCK_THREAD_CPUTIME_ID), as `modbus.rs`: the machine is
//! shared, and CPU time is what the decoder costs whatever else runs.
use criterion::{Criterion, Throughput, black_box};
use meterwire_benches::{CpuTime, bench_iter};
use meterwire_scm_idm::*;

/// `n <= 32` bits MSB-first from bit `start` (the naive reference scanner's reader).
fn get_bits(buf: &[u8], start: usize, n: u32) -> u32 {
    let byte = start / 8;
    let acc = (0..5).fold(0u64, |a, k| {
        (a << 8) | u64::from(*buf.get(byte + k).unwrap_or(&0))
    });
    ((acc << (24 + (start % 8) as u32)) >> (64 - n)) as u32
}

/// Copies `nbits` bits from bit `start` of `src` into `dst` from bit 0.
fn extract(src: &[u8], start: usize, nbits: usize, dst: &mut [u8]) {
    for (k, d) in dst.iter_mut().enumerate().take(nbits.div_ceil(8)) {
        let take = (nbits - 8 * k).min(8) as u32;
        *d = (get_bits(src, start + 8 * k, take) << (8 - take)) as u8;
    }
}

fn hex(s: &str) -> Vec<u8> {
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
        .collect()
}

/// Golden packets (sources in scm-idm/tests/golden.rs).
const SCM: &str = "f953061d90a9d3a913cd130e";
const IDM: &str = "16a31c5cc604175c7760bd30bc0001000b0100000000000000000000153c9c218641211080481c0a05840221709088481f0e840120a06824160b05824160b06838180c0f8843c27188b8520f0602422310b0281207d161f28da1";
const R900_PKT: &str = "5d7c9a92a3801df1b2086d6fe480";

/// BCH correction of a copy of the 12-byte SCM packet `p` (the input stays as it is
/// for the next iteration).
#[inline(always)]
fn scm_correct_copy(p: &[u8]) -> Result<u8, Error> {
    let mut x = [0u8; 12];
    x.copy_from_slice(p);
    scm::correct(&mut x)
}

fn packets(c: &mut Criterion<CpuTime>) {
    let scm = hex(SCM);
    let idm = hex(IDM);
    let r9 = hex(R900_PKT);
    let mut g = c.benchmark_group("scm_idm");
    g.throughput(Throughput::Bytes(12));
    bench_iter!(g, "scm_decode_check/meterwire", || {
        let p = Scm::new_checked(black_box(&scm[..])).unwrap();
        (p.id(), p.consumption(), p.ert_type())
    });
    let mut bad = scm.clone();
    bad[4] ^= 0x01;
    bad[9] ^= 0x80;
    bench_iter!(g, "scm_correct_2bit/meterwire", || {
        scm_correct_copy(black_box(&bad)).unwrap()
    });
    let mut noisy = scm.clone();
    noisy[3] ^= 0x07;
    bench_iter!(g, "scm_correct_3bit_reject/meterwire", || {
        scm_correct_copy(black_box(&noisy)).is_err()
    });
    g.throughput(Throughput::Bytes(90));
    bench_iter!(g, "idm_decode_check_sum47/meterwire", || {
        let p = Idm::new_checked(black_box(&idm[..])).unwrap();
        p.intervals().map(u32::from).sum::<u32>()
    });
    g.throughput(Throughput::Bytes(14));
    bench_iter!(g, "r900_decode_check/meterwire", || {
        let p = R900::new_checked(black_box(&r9[..])).unwrap();
        (p.id(), p.consumption())
    });
    let mut s = R900::new_unchecked(&r9[..]).symbols();
    s[2] ^= 9;
    s[17] ^= 30;
    let bad9 = r900::symbols_to_bytes(&s);
    bench_iter!(g, "r900_correct_2sym/meterwire", || {
        let mut x = black_box(bad9);
        r900::correct(&mut x).unwrap()
    });
    // cost reference: GF(256) RS with 10 ECC bytes over 16 data bytes, 2 errors
    let enc = reed_solomon::Encoder::new(10);
    let dec = reed_solomon::Decoder::new(10);
    let data: Vec<u8> = (0..16u8).collect();
    let mut cw = enc.encode(&data).to_vec();
    cw[2] ^= 0x55;
    cw[20] ^= 0xAA;
    bench_iter!(g, "r900_correct_2sym/ref_reed_solomon_gf256", || {
        dec.correct(black_box(&cw), None).unwrap().data()[0]
    });
    g.finish();
}

/// A 1 MiB bit stream: random bits with 100 SCM and 20 IDM packets at random bit offsets.
fn stream() -> (Vec<u8>, usize) {
    let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut rnd = move || {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        x
    };
    let mut buf: Vec<u8> = (0..1 << 20).map(|_| rnd() as u8).collect();
    let nbits = buf.len() * 8;
    let scm = hex(SCM);
    let idm = hex(IDM);
    let put = |buf: &mut Vec<u8>, at: usize, p: &[u8], n: usize| {
        for i in 0..n {
            let bit = p[i / 8] & (0x80 >> (i % 8)) != 0;
            let pos = at + i;
            if bit {
                buf[pos / 8] |= 0x80 >> (pos % 8);
            } else {
                buf[pos / 8] &= !(0x80 >> (pos % 8));
            }
        }
    };
    // 120 slots of equal size, one packet at a random offset inside each
    let slot = nbits / 120;
    for k in 0..120 {
        let (p, n) = if k % 6 == 5 { (&idm, 720) } else { (&scm, 96) };
        let at = k * slot + (rnd() as usize % (slot - n));
        put(&mut buf, at, p, n);
    }
    (buf, nbits)
}

/// The naive scanner: at every bit offset, read the candidate sync and, on a match,
/// cut the packet and check it.
fn naive(bits: &[u8], nbits: usize) -> usize {
    let mut found = 0;
    let mut pos = 0;
    let mut pkt = [0u8; 90];
    while pos + 96 <= nbits {
        if get_bits(bits, pos, 21) == 0x1F_2A60 {
            extract(bits, pos, 96, &mut pkt);
            if Scm::new_checked(&pkt[..12]).is_ok() {
                found += 1;
                pos += 96;
                continue;
            }
        } else if get_bits(bits, pos, 24) == 0x16_A31C && pos + 720 <= nbits {
            extract(bits, pos, 720, &mut pkt);
            if Idm::new_checked(&pkt[..]).is_ok() {
                found += 1;
                pos += 720;
                continue;
            }
        } else if get_bits(bits, pos, 24) == 0x16_A31E && pos + 128 <= nbits {
            extract(bits, pos, 128, &mut pkt);
            if ScmPlus::new_checked(&pkt[..16]).is_ok() {
                found += 1;
                pos += 128;
                continue;
            }
        }
        pos += 1;
    }
    found
}

/// How many packets a scan finds.
#[inline(always)]
fn packets_in(scan: impl Iterator<Item = ScanEvent>) -> usize {
    scan.filter(|e| matches!(e, ScanEvent::Packet(_))).count()
}

fn scan(c: &mut Criterion<CpuTime>) {
    let (buf, nbits) = stream();
    let fast = packets_in(BitScan::new(&buf, nbits, Kinds::ERT));
    assert_eq!(fast, 120);
    assert_eq!(naive(&buf, nbits), 120);
    assert!(bare_sync_scan(&buf, nbits) >= 120);
    let mut g = c.benchmark_group("scm_idm");
    g.sample_size(20);
    g.throughput(Throughput::Bytes(buf.len() as u64));
    bench_iter!(g, "scan_1mib_100scm_20idm", "meterwire", || {
        packets_in(BitScan::new(black_box(&buf), nbits, Kinds::ERT))
    });
    bench_iter!(g, "scan_1mib_100scm_20idm", "meterwire-correct", || {
        packets_in(BitScan::new(black_box(&buf), nbits, Kinds::ERT).correct())
    });
    bench_iter!(g, "scan_1mib_100scm_20idm", "ref_naive_per_bit", || {
        naive(black_box(&buf), nbits)
    });
    bench_iter!(g, "scan_1mib_100scm_20idm", "bare_sync_scan", || {
        bare_sync_scan(black_box(&buf), nbits)
    });
    g.finish();
}

/// The three ERT sync words (pattern, bits).
const ERT_SYNCS: [(u64, u32); 3] = [(0x1F_2A60, 21), (0x16_A31E, 24), (0x16_A31C, 24)];

/// `[anchor, byte before]`: for each stream byte value, the (sync, end offset) pairs
/// (bit 8k + e) for which it can be the last whole byte inside the sync, and the byte
/// before that one (every value for the SCM preamble ending 1 or 2 bits into a byte).
const BARE: [[u32; 256]; 2] = {
    let mut t = [[0u32; 256]; 2];
    let mut k = 0;
    while k < ERT_SYNCS.len() {
        let (p, l) = ERT_SYNCS[k];
        let mut e = 0;
        while e < 8 {
            let bit = 1u32 << (8 * k + e);
            t[0][((p >> e) & 0xFF) as usize] |= bit;
            if l as usize >= e + 16 {
                t[1][((p >> (e + 8)) & 0xFF) as usize] |= bit;
            } else {
                let mut v = 0;
                while v < 256 {
                    t[1][v] |= bit;
                    v += 1;
                }
            }
            e += 1;
        }
        k += 1;
    }
    t
};

/// Floor: count the bit offsets where an ERT sync word ends, nothing else: two table
/// lookups per byte (8 bytes per branch), then one 64-bit compare per surviving
/// (sync, offset) pair.
fn bare_sync_scan(bits: &[u8], nbits: usize) -> usize {
    let mut n = 0;
    let last = (nbits / 8).saturating_sub(1);
    let mut i = 7;
    while i < last {
        if i + 8 <= last {
            let acc = (0..8).fold(0, |a, j| {
                a | (BARE[0][bits[i + j] as usize] & BARE[1][bits[i + j - 1] as usize])
            });
            if acc == 0 {
                i += 8;
                continue;
            }
        }
        let stop = (i + 8).min(last);
        while i < stop {
            n += bare_check(bits, i);
            i += 1;
        }
    }
    n
}

/// The syncs ending 0..7 bits after anchor byte `i`.
fn bare_check(bits: &[u8], i: usize) -> usize {
    let mut m = BARE[0][bits[i] as usize] & BARE[1][bits[i - 1] as usize];
    if m == 0 {
        return 0;
    }
    let w = u64::from_be_bytes(bits[i - 6..i + 2].try_into().unwrap());
    let mut n = 0;
    while m != 0 {
        let bit = m.trailing_zeros() as usize;
        m &= m - 1;
        let (p, l) = ERT_SYNCS[bit / 8];
        let v = w >> (8 - bit % 8);
        n += usize::from(v & ((1 << l) - 1) == p);
    }
    n
}

meterwire_benches::main!(packets, scan);
