//! Core primitives: CRC throughput and FrameReader overhead.
#![allow(
    missing_docs,
    clippy::arithmetic_side_effects,
    clippy::cast_possible_truncation
)]
use criterion::{Criterion, Throughput, black_box, criterion_group, criterion_main};
use meterwire_core::crc::{CRC16_DNP, CRC16_MODBUS, CRC16_X25};

fn crcs(c: &mut Criterion) {
    let data: Vec<u8> = (0..256u32).map(|i| (i * 7) as u8).collect();
    let mut g = c.benchmark_group("core");
    g.throughput(Throughput::Bytes(data.len() as u64));
    g.bench_function("crc16_modbus_256/meterwire", |b| {
        b.iter(|| CRC16_MODBUS.checksum(black_box(&data)))
    });
    g.bench_function("crc16_dnp_256/meterwire", |b| {
        b.iter(|| CRC16_DNP.checksum(black_box(&data)))
    });
    g.bench_function("crc16_x25_256/meterwire", |b| {
        b.iter(|| CRC16_X25.checksum(black_box(&data)))
    });
    g.finish();
}

criterion_group!(benches, crcs);
criterion_main!(benches);
