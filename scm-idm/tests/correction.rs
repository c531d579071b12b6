//! Systematically injected errors: every 1- and 2-bit SCM error and every 1- and
//! 2-symbol R900 error is corrected back to the original; with 3 errors the outcome is
//! measured (the figures are in the README).

use meterwire_scm_idm::*;

use meterwire_testkit::hex;

/// Golden SCM (rtlamr2mqtt issue #254) and R900 (rtl_433 issue #2891) packets.
const SCM: &str = "f953061d90a9d3a913cd130e";
const R900_PKT: &str = "5d7c9a92a3801df1b2086d6fe480";

fn flip(b: &mut [u8], bit: usize) {
    b[bit / 8] ^= 0x80 >> (bit % 8);
}

#[test]
fn scm_every_one_and_two_bit_error_is_corrected() {
    let good = hex(SCM);
    let mut n = 0;
    for i in 16..96 {
        for j in i..96 {
            let mut b = good.clone();
            flip(&mut b, i);
            if j != i {
                flip(&mut b, j);
            }
            let fixed = scm::correct(&mut b).unwrap();
            assert_eq!(fixed, if i == j { 1 } else { 2 }, "bits {i},{j}");
            assert_eq!(b, good, "bits {i},{j}");
            n += 1;
        }
    }
    assert_eq!(n, 80 * 81 / 2);
}

#[test]
fn scm_three_bit_errors_measured() {
    // exhaustive over all C(80,3) = 82160 triples of codeword bits
    let good = hex(SCM);
    let (mut detected, mut miscorrected, mut total) = (0u32, 0u32, 0u32);
    let (mut detected1, mut miscorrected1, mut undetected_plain) = (0u32, 0u32, 0u32);
    for i in 16..96 {
        for j in (i + 1)..96 {
            for k in (j + 1)..96 {
                let mut b = good.clone();
                flip(&mut b, i);
                flip(&mut b, j);
                flip(&mut b, k);
                total += 1;
                undetected_plain += u32::from(Scm::new_checked(&b[..]).is_ok());
                let mut b1 = b.clone();
                match scm::correct_max(&mut b1, 1) {
                    Err(_) => detected1 += 1,
                    Ok(_) => miscorrected1 += 1,
                }
                match scm::correct(&mut b) {
                    Err(Error::Uncorrectable {
                        check: Check::ScmCrc,
                    }) => detected += 1,
                    Ok(_) => {
                        assert_ne!(b, good);
                        assert!(Scm::new_checked(&b[..]).is_ok());
                        miscorrected += 1
                    }
                    Err(e) => panic!("{e}"),
                }
            }
        }
    }
    assert_eq!(total, 82160);
    assert_eq!(detected + miscorrected, total);
    println!(
        "scm 3-bit errors: {total} patterns, {detected} rejected, {miscorrected} miscorrected (max 2 bits)"
    );
    println!(
        "scm 3-bit errors: {detected1} rejected, {miscorrected1} miscorrected (max 1 bit); {undetected_plain} pass the plain CRC"
    );
    assert_eq!(undetected_plain, 0);
    assert_eq!(
        (detected1, miscorrected1),
        (SCM3_DETECTED_MAX1, SCM3_MISCORRECTED_MAX1)
    );
    // measured figure, written in the README
    assert_eq!((detected, miscorrected), (SCM3_DETECTED, SCM3_MISCORRECTED));
}

const SCM3_DETECTED: u32 = 79540;
const SCM3_MISCORRECTED: u32 = 2620;
const SCM3_DETECTED_MAX1: u32 = 82160;
const SCM3_MISCORRECTED_MAX1: u32 = 0;

#[test]
fn scm_without_correction_detects_all_up_to_4_bits_measured() {
    // plain CRC check (no correction): count undetected 1..3 bit patterns (expected 0)
    let good = hex(SCM);
    let mut undetected = 0;
    for i in 16..96 {
        for j in (i + 1)..96 {
            let mut b = good.clone();
            flip(&mut b, i);
            flip(&mut b, j);
            undetected += u32::from(Scm::new_checked(&b[..]).is_ok());
        }
    }
    assert_eq!(undetected, 0);
}

#[test]
fn r900_every_one_and_two_symbol_error_is_corrected() {
    let good = hex(R900_PKT);
    let sym = R900::new_unchecked(&good[..]).symbols();
    let mut n = 0;
    for p in 0..21 {
        for e in 1..32u8 {
            let mut s = sym;
            s[p] ^= e;
            let mut b = r900::symbols_to_bytes(&s).to_vec();
            assert_eq!(r900::correct(&mut b), Ok(1), "pos {p} err {e}");
            assert_eq!(b, good);
            n += 1;
        }
    }
    for p in 0..21 {
        for q in (p + 1)..21 {
            for (e1, e2) in [(1u8, 1u8), (31, 7), (5, 30), (16, 2), (9, 9)] {
                let mut s = sym;
                s[p] ^= e1;
                s[q] ^= e2;
                let mut b = r900::symbols_to_bytes(&s).to_vec();
                assert_eq!(r900::correct(&mut b), Ok(2), "pos {p},{q}");
                assert_eq!(b, good);
                n += 1;
            }
        }
    }
    assert_eq!(n, 21 * 31 + 210 * 5);
}

#[test]
fn r900_three_symbol_errors_are_never_miscorrected() {
    // RS(31,26) shortened has minimum distance 6: 2 corrected + 3 always detected.
    let good = hex(R900_PKT);
    let sym = R900::new_unchecked(&good[..]).symbols();
    let mut rnd = xorshift(0x1234_5678);
    let (mut detected, mut total) = (0, 0);
    for _ in 0..20000 {
        let pos = loop {
            let p = [rnd(21) as usize, rnd(21) as usize, rnd(21) as usize];
            if p[0] != p[1] && p[1] != p[2] && p[0] != p[2] {
                break p;
            }
        };
        let mut s = sym;
        for p in pos {
            s[p] ^= 1 + rnd(31) as u8;
        }
        let mut b = r900::symbols_to_bytes(&s).to_vec();
        total += 1;
        match r900::correct(&mut b) {
            Err(Error::Uncorrectable { .. }) => detected += 1,
            other => panic!("3 errors at {pos:?}: {other:?}"),
        }
    }
    assert_eq!(detected, total);
}

/// All `k`-subsets of `0..n` not in `skip` (bit mask), as masks.
fn subsets(n: usize, k: usize, skip: u32) -> Vec<u32> {
    let mut out = vec![];
    fn go(n: usize, k: usize, start: usize, cur: u32, skip: u32, out: &mut Vec<u32>) {
        if k == 0 {
            out.push(cur);
            return;
        }
        for i in start..n {
            if skip & (1 << i) == 0 {
                go(n, k - 1, i + 1, cur | (1 << i), skip, out);
            }
        }
    }
    go(n, k, 0, 0, skip, &mut out);
    out
}

#[test]
fn r900_every_errors_and_erasures_pattern_within_2e_plus_f_le_5_is_corrected() {
    // Exhaustive over positions: every set of f erasures and e errors with 2e + f <= 5
    // on the golden packet (rtl_433 issue #2891); error values and erased symbols are
    // pseudo-random (erased symbols may even keep their value).
    let good = hex(R900_PKT);
    let sym = R900::new_unchecked(&good[..]).symbols();
    let mut rnd = xorshift(0x9E37_79B9);
    let mut counts = std::collections::BTreeMap::new();
    for e in 0..=2usize {
        for f in 0..=(5 - 2 * e) {
            let mut n = 0u32;
            for erased in subsets(21, f, 0) {
                for errs in subsets(21, e, erased) {
                    let mut s = sym;
                    for (i, v) in s.iter_mut().enumerate() {
                        if erased & (1 << i) != 0 {
                            *v = rnd(32) as u8;
                        }
                        if errs & (1 << i) != 0 {
                            *v ^= 1 + rnd(31) as u8;
                        }
                    }
                    let fix = r900::correct_symbols(&mut s, erased)
                        .unwrap_or_else(|e| panic!("erased {erased:#x} errors {errs:#x}: {e}"));
                    assert_eq!(s, sym, "erased {erased:#x} errors {errs:#x}");
                    assert_eq!(
                        (fix.errors as usize, fix.erasures as usize),
                        (e, f),
                        "erased {erased:#x} errors {errs:#x}"
                    );
                    assert_eq!(r900::symbols_to_bytes(&s).to_vec(), good);
                    n += 1;
                }
            }
            counts.insert((e, f), n);
        }
    }
    // C(21,f) * C(21-f,e) patterns for each (e, f)
    let c =
        |n: u32, k: u32| (0..k).fold(1u64, |a, i| a * u64::from(n - i) / u64::from(i + 1)) as u32;
    for (&(e, f), &n) in &counts {
        assert_eq!(
            n,
            c(21, f as u32) * c(21 - f as u32, e as u32),
            "e={e} f={f}"
        );
    }
    assert_eq!(counts.values().sum::<u32>(), 60_467);
}

#[test]
fn r900_patterns_with_2e_plus_f_eq_6_are_never_miscorrected() {
    // d = 6: with 2e + f = 6 a decoded codeword would need 2e' + f >= 6 on the
    // punctured code, so every such pattern is detected. Random patterns, all shapes.
    let good = hex(R900_PKT);
    let sym = R900::new_unchecked(&good[..]).symbols();
    let mut rnd = xorshift(0x0BAD_5EED);
    let mut total = 0;
    for (e, f) in [(3usize, 0usize), (2, 2), (1, 4), (0, 6)] {
        for _ in 0..5000 {
            let mut erased = 0u32;
            while (erased.count_ones() as usize) < f {
                erased |= 1 << rnd(21);
            }
            let mut errs = 0u32;
            while (errs.count_ones() as usize) < e {
                let b = 1 << rnd(21);
                if b & erased == 0 {
                    errs |= b;
                }
            }
            let mut s = sym;
            for (i, v) in s.iter_mut().enumerate() {
                if erased & (1 << i) != 0 {
                    // a wrong value, so the pattern really has f + e wrong symbols
                    *v ^= 1 + rnd(31) as u8;
                }
                if errs & (1 << i) != 0 {
                    *v ^= 1 + rnd(31) as u8;
                }
            }
            let before = s;
            assert!(
                matches!(
                    r900::correct_symbols(&mut s, erased),
                    Err(Error::Uncorrectable { .. })
                ),
                "e={e} f={f} erased {erased:#x} errors {errs:#x}"
            );
            assert_eq!(s, before, "left unchanged");
            total += 1;
        }
    }
    assert_eq!(total, 20_000);
}

/// A xorshift32 generator from `seed`: each call returns the next value modulo `m`.
fn xorshift(seed: u32) -> impl FnMut(u32) -> u32 {
    let mut x = meterwire_testkit::rng::XorShift32(seed);
    move |m| x.below(m)
}
