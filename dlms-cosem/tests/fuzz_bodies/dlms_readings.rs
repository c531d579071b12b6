// Fuzz body shared by fuzz/fuzz_targets/dlms_readings.rs and
// tests/readings_fuzz_replay.rs: readings of arbitrary data-notifications and
// A-XDR bodies, through every mapping (self-describing, described, positional
// with a shipped layout, not mapped). Never panics; every reading it reports is
// counted once.
#[allow(dead_code)]
fn run(data: &[u8]) {
    use meterwire_dlms_cosem::axdr::Data;
    use meterwire_dlms_cosem::readings::{Push, PushParser, layout};
    fn exercise(p: &Push<'_>) {
        let mut n = 0usize;
        let count = p.for_each(|r| {
            n += 1;
            let _ = r.value.to_string();
            let _ = r.obis.to_string();
        });
        assert_eq!(n, count);
        let _ = (p.mapping(), p.list_id(), p.time(), p.meter_id());
        let _ = p.diagnostics();
        let with = p.with_layout(&layout::KAIFA_KFM_001);
        let _ = with.for_each(|_| {});
        let _ = with.with_system_title(*b"KFM\x10\x10\x00\x00\x23").diagnostics();
    }
    if let Ok(p) = Push::parse(data) {
        exercise(&p);
    }
    let _ = PushParser::new().strict().parse(data);
    if let Ok((d, _)) = Data::parse_prefix(data) {
        exercise(&Push::from_data(d));
    }
}
