//! Modbus: meterwire against rmodbus and modbus-core (crates.io), same work, same run.
//!
//! Cases (issue 4): TCP FC03 request decode; TCP FC03 125-register response decode +
//! sum of all registers; RTU FC03 125-register response decode with CRC check (and the
//! bare CRC-16 over the same bytes as the floor); TCP FC16 123-register request encode.
//! Run: `cargo bench -p meterwire-benches --bench modbus`
//!
//! Timed in *thread CPU time* (`cpu-time`, CLOCK_THREAD_CPUTIME_ID), not wall time:
//! the 2-core machine these figures come from is shared with other builds, and
//! CPU time is what a decoder costs whatever else runs.

use criterion::{Criterion, Throughput, black_box};
use meterwire_benches::{CpuTime, bench_iter};
use meterwire_core::crc::CRC16_MODBUS;
use meterwire_core::{Decoded, Encode, Framer};
use meterwire_modbus::{
    Direction, Pdu, Request, Response, RtuFrame, RtuFramer, TcpFrame, TcpFramer,
};

fn values() -> Vec<u16> {
    (0..125u16).map(|i| i.wrapping_mul(517) ^ 0x5A5A).collect()
}

fn tcp_fc03_request() -> Vec<u8> {
    vec![
        0x00, 0x01, 0x00, 0x00, 0x00, 0x06, 0x11, 0x03, 0x00, 0x6B, 0x00, 0x7D,
    ]
}

fn tcp_fc03_response() -> Vec<u8> {
    let v = values();
    TcpFrame::new(1, 0x11, Pdu::Response(Response::read_holding_registers(&v)))
        .encode_to_vec()
        .unwrap()
}

fn rtu_fc03_response() -> Vec<u8> {
    let v = values();
    RtuFrame::new(0x11, Pdu::Response(Response::read_holding_registers(&v)))
        .encode_to_vec()
        .unwrap()
}

// The encoders: each is timed in `bench` and its bytes compared in `same_work`.

/// meterwire: TCP FC16 write-multiple-registers request (transaction 1, unit 0x11,
/// from register 0) into `buf`.
#[inline(always)]
fn mw_tcp_fc16(v: &[u16], buf: &mut [u8]) -> usize {
    let f = TcpFrame::new(
        1,
        0x11,
        Pdu::Request(Request::write_multiple_registers(0, v)),
    );
    f.encode(buf).unwrap()
}

/// rmodbus: the same request into `out`.
#[inline(always)]
fn rm_tcp_fc16(req: &mut rmodbus::client::ModbusRequest, v: &[u16], out: &mut Vec<u8>) -> usize {
    out.clear();
    req.generate_set_holdings_bulk(0, v, out).unwrap();
    out.len()
}

/// modbus-core: the same request into `buf` (`words`: the registers' bytes).
#[inline(always)]
fn mc_tcp_fc16(v: &[u16], words: &mut [u8], buf: &mut [u8]) -> usize {
    let data = modbus_core::Data::from_words(v, words).unwrap();
    let adu = modbus_core::tcp::RequestAdu {
        hdr: modbus_core::tcp::Header {
            transaction_id: 1,
            unit_id: 0x11,
        },
        pdu: modbus_core::RequestPdu(modbus_core::Request::WriteMultipleRegisters(0, data)),
    };
    modbus_core::tcp::client::encode_request(adu, buf).unwrap()
}

/// meterwire: RTU FC03 read-holding-registers request to unit 0x11 into `buf`.
#[inline(always)]
fn mw_rtu_fc03_request(address: u16, quantity: u16, buf: &mut [u8]) -> usize {
    let f = RtuFrame::new(
        0x11,
        Pdu::Request(Request::read_holding_registers(address, quantity)),
    );
    f.encode(buf).unwrap()
}

/// rmodbus: the same request into `out`.
#[inline(always)]
fn rm_rtu_fc03_request(
    req: &mut rmodbus::client::ModbusRequest,
    address: u16,
    quantity: u16,
    out: &mut Vec<u8>,
) -> usize {
    out.clear();
    req.generate_get_holdings(address, quantity, out).unwrap();
    out.len()
}

/// modbus-core: the same request into `buf`.
#[inline(always)]
fn mc_rtu_fc03_request(address: u16, quantity: u16, buf: &mut [u8]) -> usize {
    let adu = modbus_core::rtu::RequestAdu {
        hdr: modbus_core::rtu::Header { slave: 0x11 },
        pdu: modbus_core::RequestPdu(modbus_core::Request::ReadHoldingRegisters(
            address, quantity,
        )),
    };
    modbus_core::rtu::client::encode_request(adu, buf).unwrap()
}

/// meterwire: RTU FC03 response from unit 0x11 with the registers `v` into `buf`.
#[inline(always)]
fn mw_rtu_fc03_response(v: &[u16], buf: &mut [u8]) -> usize {
    let f = RtuFrame::new(0x11, Pdu::Response(Response::read_holding_registers(v)));
    f.encode(buf).unwrap()
}

/// modbus-core: the same response into `buf` (`words`: the registers' bytes).
#[inline(always)]
fn mc_rtu_fc03_response(v: &[u16], words: &mut [u8], buf: &mut [u8]) -> usize {
    let data = modbus_core::Data::from_words(v, words).unwrap();
    let adu = modbus_core::rtu::ResponseAdu {
        hdr: modbus_core::rtu::Header { slave: 0x11 },
        pdu: modbus_core::ResponsePdu(Ok(modbus_core::Response::ReadHoldingRegisters(data))),
    };
    modbus_core::rtu::server::encode_response(adu, buf).unwrap()
}

fn bench(c: &mut Criterion<CpuTime>) {
    let mut g = c.benchmark_group("modbus");

    // ---- TCP FC03 request decode: address and quantity out
    let req = tcp_fc03_request();
    g.throughput(Throughput::Bytes(req.len() as u64));
    bench_iter!(g, "tcp_fc03_request_decode", "meterwire", || {
        let mut f = TcpFramer::with_direction(Some(Direction::Request));
        match f.decode(black_box(&req)) {
            Ok(Decoded::Frame {
                frame:
                    TcpFrame {
                        pdu:
                            Pdu::Request(Request::ReadHoldingRegisters {
                                starting_address,
                                quantity,
                            }),
                        ..
                    },
                ..
            }) => (starting_address, quantity),
            _ => panic!(),
        }
    });
    let mut scratch: Vec<u8> = Vec::with_capacity(512);
    bench_iter!(g, "tcp_fc03_request_decode", "rmodbus", || {
        scratch.clear();
        let mut frame = rmodbus::server::ModbusFrame::new(
            0x11,
            black_box(&req),
            rmodbus::ModbusProto::TcpUdp,
            &mut scratch,
        );
        frame.parse().unwrap();
        (frame.reg, frame.count)
    });
    bench_iter!(g, "tcp_fc03_request_decode", "modbus-core", || {
        match modbus_core::tcp::server::decode_request(black_box(&req)) {
            Ok(Some(adu)) => match adu.pdu.0 {
                modbus_core::Request::ReadHoldingRegisters(a, q) => (a, q),
                _ => panic!(),
            },
            _ => panic!(),
        }
    });

    // ---- TCP FC03 125-register response decode + sum
    let rsp = tcp_fc03_response();
    g.throughput(Throughput::Bytes(rsp.len() as u64));
    bench_iter!(g, "tcp_fc03_response_125_sum", "meterwire", || {
        let mut f = TcpFramer::with_direction(Some(Direction::Response));
        match f.decode(black_box(&rsp)) {
            Ok(Decoded::Frame {
                frame:
                    TcpFrame {
                        pdu: Pdu::Response(Response::ReadHoldingRegisters { registers, .. }),
                        ..
                    },
                ..
            }) => registers.iter().map(u32::from).sum::<u32>(),
            _ => panic!(),
        }
    });
    let mut out16: Vec<u16> = Vec::with_capacity(128);
    let mut mreq = rmodbus::client::ModbusRequest::new_tcp_udp(0x11, 1);
    let mut tmp = Vec::new();
    mreq.generate_get_holdings(0, 125, &mut tmp).unwrap();
    bench_iter!(g, "tcp_fc03_response_125_sum", "rmodbus", || {
        out16.clear();
        mreq.parse_u16(black_box(&rsp), &mut out16).unwrap();
        out16.iter().map(|&v| u32::from(v)).sum::<u32>()
    });
    bench_iter!(g, "tcp_fc03_response_125_sum", "modbus-core", || {
        match modbus_core::tcp::client::decode_response(black_box(&rsp)) {
            Ok(Some(adu)) => match adu.pdu.0 {
                Ok(modbus_core::Response::ReadHoldingRegisters(data)) => {
                    data.into_iter().map(u32::from).sum::<u32>()
                }
                _ => panic!(),
            },
            _ => panic!(),
        }
    });

    // ---- RTU FC03 125-register response decode with CRC check
    let rtu = rtu_fc03_response();
    g.throughput(Throughput::Bytes(rtu.len() as u64));
    bench_iter!(g, "rtu_fc03_response_125", "meterwire", || {
        let mut f = RtuFramer::with_direction(Some(Direction::Response));
        match f.decode(black_box(&rtu)) {
            Ok(Decoded::Frame { frame, consumed }) => (frame.address, consumed),
            _ => panic!(),
        }
    });
    let mut mreq_rtu = rmodbus::client::ModbusRequest::new(0x11, rmodbus::ModbusProto::Rtu);
    let mut tmp = Vec::new();
    mreq_rtu.generate_get_holdings(0, 125, &mut tmp).unwrap();
    bench_iter!(g, "rtu_fc03_response_125", "rmodbus", || {
        mreq_rtu.parse_slice(black_box(&rtu)).unwrap().len()
    });
    bench_iter!(g, "rtu_fc03_response_125", "modbus-core", || {
        match modbus_core::rtu::client::decode_response(black_box(&rtu)) {
            Ok(Some(adu)) => (adu.hdr.slave, adu.pdu.0.is_ok()),
            _ => panic!(),
        }
    });
    bench_iter!(g, "rtu_fc03_response_125", "bare_crc16", || {
        CRC16_MODBUS.checksum(black_box(&rtu[..rtu.len() - 2]))
    });

    // ---- TCP FC16 123-register request encode
    let v = values();
    let v123 = &v[..123];
    let frame_len = 7 + 6 + 246;
    g.throughput(Throughput::Bytes(frame_len as u64));
    let mut buf = [0u8; 300];
    bench_iter!(g, "tcp_fc16_123_request_encode", "meterwire", || {
        mw_tcp_fc16(black_box(v123), &mut buf)
    });
    let mut out8: Vec<u8> = Vec::with_capacity(300);
    let mut mreq16 = rmodbus::client::ModbusRequest::new_tcp_udp(0x11, 1);
    bench_iter!(g, "tcp_fc16_123_request_encode", "rmodbus", || {
        rm_tcp_fc16(&mut mreq16, black_box(v123), &mut out8)
    });
    let mut words = [0u8; 246];
    bench_iter!(g, "tcp_fc16_123_request_encode", "modbus-core", || {
        mc_tcp_fc16(black_box(v123), &mut words, &mut buf)
    });

    // ---- RTU encode (issue 17): FC03 request, FC03 response with 100 registers
    let mut buf = [0u8; 300];
    g.throughput(Throughput::Bytes(8));
    bench_iter!(g, "rtu_encode_fc03_request", "meterwire", || {
        mw_rtu_fc03_request(black_box(0x6B), black_box(100), &mut buf)
    });
    let mut mreq_enc = rmodbus::client::ModbusRequest::new(0x11, rmodbus::ModbusProto::Rtu);
    bench_iter!(g, "rtu_encode_fc03_request", "rmodbus", || {
        rm_rtu_fc03_request(&mut mreq_enc, black_box(0x6B), black_box(100), &mut out8)
    });
    bench_iter!(g, "rtu_encode_fc03_request", "modbus-core", || {
        mc_rtu_fc03_request(black_box(0x6B), black_box(100), &mut buf)
    });
    // the response: rmodbus builds responses only from its server context
    // (request parse + context read), not the same work, so it is left out
    let v100 = &v[..100];
    g.throughput(Throughput::Bytes(205));
    bench_iter!(g, "rtu_encode_fc03_response_100", "meterwire", || {
        mw_rtu_fc03_response(black_box(v100), &mut buf)
    });
    let mut words100 = [0u8; 200];
    bench_iter!(g, "rtu_encode_fc03_response_100", "modbus-core", || {
        mc_rtu_fc03_response(black_box(v100), &mut words100, &mut buf)
    });
    g.finish();
}

/// All three produce the same bytes / values (checked once, outside the timing).
fn same_work() {
    let v = values();
    let mut buf = [0u8; 300];
    let n = mw_tcp_fc16(&v[..123], &mut buf);
    let mut r = Vec::new();
    rm_tcp_fc16(
        &mut rmodbus::client::ModbusRequest::new_tcp_udp(0x11, 1),
        &v[..123],
        &mut r,
    );
    assert_eq!(&buf[..n], &r[..], "rmodbus FC16 bytes");
    let mut buf2 = [0u8; 300];
    let m = mc_tcp_fc16(&v[..123], &mut [0u8; 246], &mut buf2);
    assert_eq!(&buf[..n], &buf2[..m], "modbus-core FC16 bytes");

    // RTU encode: same bytes from all three (request) / both (response)
    let n = mw_rtu_fc03_request(0x6B, 100, &mut buf);
    let req = &buf[..n];
    rm_rtu_fc03_request(
        &mut rmodbus::client::ModbusRequest::new(0x11, rmodbus::ModbusProto::Rtu),
        0x6B,
        100,
        &mut r,
    );
    assert_eq!(req, r, "rmodbus FC03 request bytes");
    let m = mc_rtu_fc03_request(0x6B, 100, &mut buf2);
    assert_eq!(req, &buf2[..m], "modbus-core FC03 request bytes");
    let n = mw_rtu_fc03_response(&v[..100], &mut buf);
    let resp = &buf[..n];
    assert_eq!(resp.len(), 205);
    let m = mc_rtu_fc03_response(&v[..100], &mut [0u8; 200], &mut buf2);
    assert_eq!(resp, &buf2[..m], "modbus-core FC03 response bytes");
}

fn all(c: &mut Criterion<CpuTime>) {
    same_work();
    bench(c);
}

meterwire_benches::main!(all);
