//! DSMR P1: decode a DSMR 5 telegram and read every value; a Belgian e-MUCS telegram;
//! a stream of 1,000 telegrams. Peers in the same run: dsmr5 0.4.0 (no_std, fixed
//! 2048-byte readout, `State` with every value) and dsmr-parse 0.4.2 (std,
//! `Telegram::read_from` builds a struct with every value). meterwire reads every line
//! as an exact reading (value scaled to the DLMS base unit, hex text decoded).
//! Telegrams: Wassasin/dsmr5 test/isk.txt (Iskra AM550, DSMR 5.0; dsmr5 rejects the
//! dsmr_parser V5 examples: its fixed-width number parsers refuse `0.48*A` and a unit-less
//! empty M-Bus reading) and ndokter/dsmr_parser test/example_telegrams.py
//! TELEGRAM_FLUVIUS_V171 (both under iec62056-21/tests/data).
use criterion::{Criterion, Throughput, black_box};
use meterwire_benches::{CpuTime, bench_iter};
use meterwire_core::{Frames, Value};
use meterwire_iec62056_21::p1::{P1Framer, Telegram};

const V5: &[u8] = include_bytes!("../../iec62056-21/tests/data/dsmr5/isk.txt");
const FLU: &[u8] =
    include_bytes!("../../iec62056-21/tests/data/dsmr_parser/TELEGRAM_FLUVIUS_V171.txt");

/// Consumes every value of a telegram in one pass over its lines: each line's
/// reading (exact value in the base unit), hex text decoded, power-failure events.
fn meterwire_values(t: &Telegram<'_>) -> i64 {
    let mut buf = [0u8; 512];
    let mut acc = 0i64;
    for l in t.lines() {
        let Some(r) = l.reading() else { continue };
        acc = acc.wrapping_add(match r.value {
            Value::Number(d) => d.mantissa ^ i64::from(d.exponent),
            Value::Text(_) => l.decoded_text(&mut buf).map_or(1, |s| s.len() as i64),
            Value::DateTime(dt) => i64::from(dt.second.unwrap_or(0)),
            _ => 1,
        });
        acc = acc.wrapping_add(i64::from(r.unit.map_or(0, |u| u.0)));
        for e in l.events() {
            acc = acc.wrapping_add(e.duration.mantissa);
        }
    }
    acc
}

fn dsmr5_values(bytes: &[u8]) -> f64 {
    let mut readout = dsmr5::Readout {
        buffer: [0u8; 2048],
    };
    readout.buffer[..bytes.len()].copy_from_slice(bytes);
    let t = readout.to_telegram().unwrap();
    let s = dsmr5::Result::<dsmr5::state::State>::from(&t).unwrap();
    state_sum(&s)
}

/// Every field of dsmr5's `State` (what it keeps of a telegram), folded like
/// `meterwire_values` folds every reading.
fn state_sum(s: &dsmr5::state::State) -> f64 {
    let tst = |t: &dsmr5::types::TST| f64::from(t.second) + f64::from(u8::from(t.dst));
    let mut acc = s.power_delivered.unwrap_or(0.0) + s.power_received.unwrap_or(0.0);
    acc += s.datetime.as_ref().map_or(0.0, tst);
    acc += s
        .tariff_indicator
        .map_or(0.0, |t| f64::from(t[0]) + f64::from(t[1]));
    for m in &s.meterreadings {
        acc += m.to.unwrap_or(0.0) + m.by.unwrap_or(0.0);
    }
    for l in &s.lines {
        acc += l.voltage.unwrap_or(0.0)
            + l.current.unwrap_or(0) as f64
            + l.active_power_plus.unwrap_or(0.0);
        acc += l.active_power_neg.unwrap_or(0.0)
            + l.voltage_sags.unwrap_or(0) as f64
            + l.voltage_swells.unwrap_or(0) as f64;
    }
    for sl in &s.slaves {
        acc += sl.device_type.unwrap_or(0) as f64;
        acc += sl.meter_reading.as_ref().map_or(0.0, |m| tst(&m.0) + m.1);
    }
    acc + s.power_failures.unwrap_or(0) as f64 + s.long_power_failures.unwrap_or(0) as f64
}

/// Every field of dsmr-parse's `Telegram`, folded the same way.
fn dsmr_parse_values(t: &dsmr_parse::Telegram) -> f64 {
    let f = |v: &Option<dsmr_parse::UnitValue<f64>>| v.as_ref().map_or(0.0, |u| u.value);
    let n = |v: &Option<u32>| f64::from(v.unwrap_or(0));
    let s = |v: &Option<String>| v.as_ref().map_or(0.0, |x| x.len() as f64);
    let d = |v: &Option<dsmr_parse::Tst>| f64::from(u8::from(v.is_some()));
    let c = |v: &Option<dsmr_parse::UnitValue<u16>>| v.as_ref().map_or(0.0, |u| f64::from(u.value));
    let mut acc = t.ident.len() as f64 + s(&t.version) + s(&t.electricity_equipment_id);
    acc += s(&t.current_tariff) + s(&t.message) + s(&t.device_type) + s(&t.gas_equipment_id);
    acc += d(&t.electricity_date) + d(&t.gas_date);
    for v in [
        &t.electricity_consumed_tariff_1,
        &t.electricity_consumed_tariff_2,
        &t.electricity_generated_tariff_1,
        &t.electricity_generated_tariff_2,
        &t.power,
        &t.return_power,
        &t.voltage_l1,
        &t.voltage_l2,
        &t.voltage_l3,
        &t.power_l1,
        &t.power_l2,
        &t.power_l3,
        &t.return_power_l1,
        &t.return_power_l2,
        &t.return_power_l3,
        &t.gas_consumed,
    ] {
        acc += f(v);
    }
    for v in [
        &t.power_failure_count,
        &t.long_power_failure_count,
        &t.voltage_sag_l1_count,
        &t.voltage_sag_l2_count,
        &t.voltage_sag_l3_count,
        &t.voltage_swell_l1_count,
        &t.voltage_swell_l2_count,
        &t.voltage_swell_l3_count,
    ] {
        acc += n(v);
    }
    acc += c(&t.current_l1) + c(&t.current_l2) + c(&t.current_l3);
    for e in &t.power_failure_log {
        acc += e.duration.value as f64;
    }
    acc
}

fn single(c: &mut Criterion<CpuTime>) {
    assert!(dsmr5_values(V5) > 0.0);
    assert!(dsmr_parse::Telegram::read_from(V5).unwrap().is_some());
    assert_eq!(
        Telegram::parse(V5)
            .unwrap()
            .readings(&mut [0u8; 512])
            .count(),
        23
    );
    let mut g = c.benchmark_group("p1");
    g.throughput(Throughput::Bytes(V5.len() as u64));
    bench_iter!(g, "dsmr5_telegram/meterwire", || {
        meterwire_values(&Telegram::parse(black_box(V5)).unwrap())
    });
    bench_iter!(g, "dsmr5_telegram/dsmr5", || {
        dsmr5_values(black_box(V5))
    });
    bench_iter!(g, "dsmr5_telegram/dsmr-parse", || {
        dsmr_parse_values(
            &dsmr_parse::Telegram::read_from(black_box(V5))
                .unwrap()
                .unwrap(),
        )
    });
    bench_iter!(g, "dsmr5_telegram/bare_crc16_arc", || {
        meterwire_iec62056_21::crc::crc16_arc(black_box(&V5[..V5.len() - 6]))
    });
    g.throughput(Throughput::Bytes(FLU.len() as u64));
    // dsmr5 0.4.0 has no e-MUCS objects: its State fails (UnknownObis), so it is not run
    let mut ro = dsmr5::Readout {
        buffer: [0u8; 2048],
    };
    ro.buffer[..FLU.len()].copy_from_slice(FLU);
    assert!(dsmr5::Result::<dsmr5::state::State>::from(&ro.to_telegram().unwrap()).is_err());
    bench_iter!(g, "belgian_telegram/meterwire", || {
        meterwire_values(&Telegram::parse(black_box(FLU)).unwrap())
    });
    // dsmr-parse 0.4.2 fails on it too (`InvalidInt`: it parses the 98.1.0 count line
    // as a number list), so the Belgian case has no peer
    assert!(dsmr_parse::Telegram::read_from(FLU).is_err());
    g.finish();
}

fn stream(c: &mut Criterion<CpuTime>) {
    let s: Vec<u8> = V5.iter().copied().cycle().take(V5.len() * 1000).collect();
    let mut g = c.benchmark_group("p1");
    g.throughput(Throughput::Bytes(s.len() as u64));
    g.sample_size(10);
    bench_iter!(g, "stream_1000/meterwire", || {
        let mut acc = 0i64;
        let mut n = 0;
        for ev in Frames::new(P1Framer::new(), black_box(&s)) {
            if let meterwire_core::Event::Frame { frame, .. } = ev {
                acc = acc.wrapping_add(meterwire_values(&frame));
                n += 1;
            }
        }
        assert_eq!(n, 1000);
        acc
    });
    bench_iter!(g, "stream_1000/dsmr5", || {
        let mut acc = 0.0;
        let mut n = 0;
        for r in dsmr5::Reader::new(black_box(&s).iter().map(|&b| Ok::<u8, ()>(b))) {
            let r = r.unwrap();
            let t = r.to_telegram().unwrap();
            acc += state_sum(&dsmr5::Result::<dsmr5::state::State>::from(&t).unwrap());
            n += 1;
        }
        assert_eq!(n, 1000);
        acc
    });
    bench_iter!(g, "stream_1000/dsmr-parse", || {
        let mut src: &[u8] = black_box(&s);
        let mut acc = 0.0;
        let mut n = 0;
        while let Ok(Some(t)) = dsmr_parse::Telegram::read_from(&mut src) {
            acc += dsmr_parse_values(&t);
            n += 1;
        }
        assert_eq!(n, 1000);
        acc
    });
    g.finish();
}

meterwire_benches::main!(single, stream);
