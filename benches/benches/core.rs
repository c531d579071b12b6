//! Core primitives: CRC throughput and FrameReader overhead.
use criterion::{Criterion, Throughput, black_box};
use meterwire_benches::{CpuTime, bench_iter};
use meterwire_core::crc::{CRC16_DNP, CRC16_MODBUS, CRC16_X25};

fn crcs(c: &mut Criterion<CpuTime>) {
    let data: Vec<u8> = (0..256u32).map(|i| (i * 7) as u8).collect();
    let mut g = c.benchmark_group("core");
    g.throughput(Throughput::Bytes(data.len() as u64));
    bench_iter!(g, "crc16_modbus_256/meterwire", || {
        CRC16_MODBUS.checksum(black_box(&data))
    });
    bench_iter!(g, "crc16_dnp_256/meterwire", || {
        CRC16_DNP.checksum(black_box(&data))
    });
    bench_iter!(g, "crc16_x25_256/meterwire", || {
        CRC16_X25.checksum(black_box(&data))
    });
    g.finish();
}

/// The cost of driving a framer through `FrameReader` (push in 1 KiB chunks,
/// pull events) against decoding the same bytes with `Frames` over one slice and
/// against calling the framer directly; every frame goes through `black_box` so
/// none of the three can skip building it.
fn frame_reader(c: &mut Criterion<CpuTime>) {
    use meterwire_core::{Decoded, Event, FrameReader, Framer, Frames};
    use meterwire_modbus::TcpFramer;
    // cisagov/icsnpp-modbus modbus_example.pcap frame 26: 8-register response
    let frame = [
        0x00, 0x06, 0x00, 0x00, 0x00, 0x13, 0x05, 0x03, 0x10, 0x00, 0xaa, 0x00, 0xaa, 0x00, 0xbb,
        0x00, 0xcc, 0xef, 0x84, 0xe3, 0xeb, 0x9f, 0x8b, 0xe4, 0xc1,
    ];
    let stream = meterwire_benches::stream_of(&frame, 64 * 1024);
    let mut g = c.benchmark_group("core");
    g.throughput(Throughput::Bytes(stream.len() as u64));
    bench_iter!(g, "modbus_tcp_stream_64k/direct", || {
        let mut framer = TcpFramer::new();
        let mut rest = black_box(&stream[..]);
        let mut n = 0usize;
        while let Ok(Decoded::Frame { frame, consumed }) = framer.decode(rest) {
            black_box(&frame);
            rest = &rest[consumed..];
            n += 1;
        }
        n
    });
    bench_iter!(g, "modbus_tcp_stream_64k/frames_iter", || {
        Frames::new(TcpFramer::new(), black_box(&stream[..]))
            .filter(|e| matches!(black_box(e), Event::Frame { .. }))
            .count()
    });
    g.bench_function("modbus_tcp_stream_64k/frame_reader_1k_chunks", |b| {
        let mut reader = FrameReader::new(TcpFramer::new(), vec![0u8; 4096]);
        b.iter(|| {
            let mut n = 0usize;
            for chunk in black_box(&stream[..]).chunks(1024) {
                reader.push(chunk).unwrap();
                while let Some(ev) = reader.next_event() {
                    if matches!(black_box(&ev), Event::Frame { .. }) {
                        n += 1;
                    }
                }
            }
            n
        })
    });
    g.finish();
}

meterwire_benches::main!(crcs, frame_reader);
