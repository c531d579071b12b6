//! A receiver back end and a meter emulator for ERT SCM/IDM and Neptune R900:
//! builds packets with the encoders, puts them into a noisy demodulated bit stream
//! with bit errors, and finds, checks and corrects them with the bit-stream scanner.
//!
//! Run: `cargo run -p meterwire-examples --example scm_idm_receiver`
use meterwire_scm_idm::{
    BitScan, Idm, IdmRepr, Kinds, Packet, R900, R900Repr, ScanEvent, Scm, ScmRepr, bitstream,
};

/// Bit `i` of an MSB-first bit stream.
fn get_bit(buf: &[u8], i: usize) -> bool {
    buf[i / 8] & (0x80 >> (i % 8)) != 0
}

/// Sets bit `i` of an MSB-first bit stream.
fn set_bit(buf: &mut [u8], i: usize, v: bool) {
    let m = 0x80 >> (i % 8);
    if v {
        buf[i / 8] |= m;
    } else {
        buf[i / 8] &= !m;
    }
}

/// Copies `n` bits of `src` (from bit 0) into `dst` at bit `to`.
fn put_bits(src: &[u8], n: usize, dst: &mut [u8], to: usize) {
    for i in 0..n {
        set_bit(dst, to + i, get_bit(src, i));
    }
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    // 1. A meter emulator: an electric SCM meter and an IDM packet from the same ERT.
    let scm = ScmRepr {
        id: 61412301,
        ert_type: 7,
        physical_tamper: 0,
        encoder_tamper: 1,
        consumption: 9480659,
        reserved: false,
    }
    .to_bytes()?;
    let mut idm = IdmRepr {
        serial: 61412301,
        ert_type: 0x17,
        interval_count: 12,
        ..IdmRepr::default()
    };
    for (i, v) in idm.intervals.iter_mut().enumerate() {
        *v = 20 + (i as u16 % 7);
    }
    let idm = idm.to_bytes()?;

    // 2. A demodulated stream: noise, the SCM packet with 2 bit errors at bit offset 45,
    //    then the IDM packet at bit offset 300.
    let mut stream = vec![0x5Au8; 160];
    put_bits(&scm, 96, &mut stream, 45);
    put_bits(&idm, 720, &mut stream, 300);
    for e in [45 + 40, 45 + 77] {
        let v = get_bit(&stream, e);
        set_bit(&mut stream, e, !v);
    }

    // 3. Scan with correction enabled.
    for ev in BitScan::new(&stream, stream.len() * 8, Kinds::ERT).correct() {
        match ev {
            ScanEvent::Packet(f) => match f.packet {
                Packet::Scm(b) => {
                    let p = Scm::new_checked(&b[..])?;
                    println!(
                        "bit {:4}: SCM id {} {} consumption {} (corrected {} bit(s))",
                        f.bit_offset,
                        p.id(),
                        p.commodity().as_str(),
                        p.consumption(),
                        f.corrected.unwrap_or(0)
                    );
                }
                Packet::Idm(b) => {
                    let p = Idm::new_checked(&b[..])?;
                    let total: u32 = p.intervals().map(u32::from).sum();
                    println!(
                        "bit {:4}: IDM serial {} sum of 47 intervals {}",
                        f.bit_offset,
                        p.serial(),
                        total
                    );
                }
                other => println!("bit {:4}: {}", f.bit_offset, other.name()),
            },
            ScanEvent::Rejected {
                bit_offset,
                kind,
                error,
            } => println!("bit {bit_offset:4}: {kind} rejected: {error}"),
        }
    }

    // 4. R900: encode, send as chips, corrupt two symbols, receive and correct.
    let r = R900Repr {
        id: 1568447122,
        unkn1: 163,
        nouse: 32,
        consumption: 1962418,
        leak: 2,
        ..R900Repr::default()
    };
    let pkt = r.to_bytes()?;
    let mut sym = R900::new_unchecked(&pkt[..]).symbols();
    sym[5] ^= 0x0B; // two symbols hit by interference
    sym[13] ^= 0x1F;
    let noisy = meterwire_scm_idm::r900::symbols_to_bytes(&sym);
    let (chips, n) = bitstream::r900_transmission(&noisy);
    for ev in BitScan::new(&chips, n, Kinds::R900).correct() {
        if let ScanEvent::Packet(f) = ev {
            let p = R900::new_checked(f.packet.bytes())?;
            println!(
                "R900 id {} consumption {} leak {} (corrected {} symbol(s))",
                p.id(),
                p.consumption(),
                p.leak(),
                f.corrected.unwrap_or(0)
            );
        } else if let ScanEvent::Rejected { error, .. } = ev {
            println!("R900 rejected: {error}");
        }
    }
    Ok(())
}
