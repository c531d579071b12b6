// Fuzz body shared by fuzz/fuzz_targets/dnp3_api.rs and tests/dnp3/fuzz_replay.rs: the
// decode API the other DNP3 targets leave alone (issue 18, corpus coverage): the
// stack framer with its getters, link frames and their header bits, the fragment's
// getters and IIN bits (checked against the header bytes), object blocks (headers
// only, strict), point values, the owned fragment, lenient and strict parsers. Never
// panics; the owned fragment views the same bytes as the borrowed one.
use meterwire_core::{Classify, Event, Frames, Strictness};
use meterwire_dnp3_lite::objects::ObjectBlocks;
use meterwire_dnp3_lite::{
    AppControl, Dnp3Framer, Fragment, FragmentOwned, FragmentParser, Iin, LinkFramer, LinkHeader,
    Reassembler, app, link,
};

fn fragment(f: &Fragment<'_>) {
    // the getters agree with the header, the header with the bytes
    let h = f.header();
    assert_eq!((h.control, h.function), (f.control(), f.function()));
    assert_eq!(f.function_name(), app::function_name(f.function()));
    assert_eq!(f.iin().is_some(), f.is_response());
    assert!(!h.is_empty());
    assert_eq!(f.as_bytes().len(), h.len() + f.object_bytes().len());
    assert!(f.as_bytes().ends_with(f.object_bytes()));
    assert_eq!(f.first_object(), f.objects().next().and_then(Result::ok));
    let _ = f.diagnostics().count();
    if let Some(i) = f.iin() {
        // each named bit is the bit of its IIN_NAMES entry
        let named: [fn(&Iin) -> bool; 14] = [
            Iin::all_stations,
            Iin::class_1_events,
            Iin::class_2_events,
            Iin::class_3_events,
            Iin::need_time,
            Iin::local_control,
            Iin::device_trouble,
            Iin::device_restart,
            Iin::no_func_code_support,
            Iin::object_unknown,
            Iin::parameter_error,
            Iin::event_buffer_overflow,
            Iin::already_executing,
            Iin::config_corrupt,
        ];
        for (n, bit) in named.iter().enumerate() {
            assert_eq!(bit(&i), i.bit(n), "{}", app::IIN_NAMES[n]);
        }
        let set = i.iin1.count_ones() + i.iin2.count_ones();
        assert_eq!(i.set_bits().count(), set as usize);
    }
    for b in f.objects().flatten() {
        let _ = (b.diagnostic(), b.raw_rest(), b.header.range.name());
        for p in b.points() {
            let _ = p.value.typed();
            if let meterwire_dnp3_lite::Value::Crob(c) = p.value {
                let _ = (c.op_type(), c.tcc());
            }
        }
    }
    for b in ObjectBlocks::new(f.object_bytes())
        .headers_only()
        .strictness(Strictness::Strict)
        .flatten()
    {
        let _ = b.count;
    }
    let owned = FragmentOwned::parse(f);
    assert_eq!(owned.view().as_bytes(), f.as_bytes());
    let _ = (owned.header(), owned.object_bytes().len());
}

/// The request builders: each request parses back with its function code; a fragment
/// cut into link frames by `encode_frames` takes `frames_len` bytes and reassembles
/// through the stack framer to the same bytes.
fn builders(sel: u8, rest: &[u8]) {
    use meterwire_dnp3_lite::app::function;
    use meterwire_dnp3_lite::build::{self, AnalogOutput};
    use meterwire_dnp3_lite::objects::Crob;
    let w = |i: usize| rest.get(i).copied().unwrap_or(0);
    let seq = sel & 15;
    let idx = u16::from_le_bytes([w(0), w(1)]);
    let check = |r: Result<usize, meterwire_core::EncodeError>, out: &[u8], func: u8| {
        let n = r.unwrap();
        let f = Fragment::parse(&out[..n]).unwrap();
        assert_eq!(f.function(), func);
        assert!(f.objects().all(|b| b.is_ok()));
    };
    let mut out = [0u8; 64];
    let classes = (0..4u8)
        .filter(|n| sel & (1 << n) != 0)
        .filter_map(build::Classes::class)
        .fold(build::Classes::NONE, build::Classes::with);
    check(
        build::read_class(seq, classes, &mut out),
        &out,
        function::READ,
    );
    check(build::integrity_poll(seq, &mut out), &out, function::READ);
    check(build::confirm(seq, &mut out), &out, function::CONFIRM);
    check(
        build::confirm_unsolicited(seq, &mut out),
        &out,
        function::CONFIRM,
    );
    let crob = Crob {
        code: w(2),
        count: w(3),
        on_time: u32::from_le_bytes([w(4), w(5), w(6), w(7)]),
        off_time: u32::from_le_bytes([w(8), w(9), w(10), w(11)]),
        status: w(12) & 0x7F,
    };
    check(
        build::direct_operate_crob(seq, idx, crob, &mut out),
        &out,
        function::DIRECT_OPERATE,
    );
    check(
        build::crob_request(seq, function::SELECT, idx, crob, &mut out),
        &out,
        function::SELECT,
    );
    let v = i32::from_le_bytes([w(4), w(5), w(6), w(7)]);
    for value in [AnalogOutput::I32(v), AnalogOutput::I16(v as i16)] {
        check(
            build::analog_output_request(seq, function::SELECT, idx, value, &mut out),
            &out,
            function::SELECT,
        );
    }
    let ms = u64::from_le_bytes(core::array::from_fn(&w));
    check(
        build::write_time(seq, ms & 0xFFFF_FFFF_FFFF, &mut out),
        &out,
        function::WRITE,
    );
    if rest.is_empty() || rest.len() > 2048 {
        return;
    }
    let max_payload = usize::from(w(0)).clamp(1, 249);
    let need = build::frames_len(rest.len(), max_payload);
    let mut frames = vec![0u8; need];
    let n = build::encode_frames(
        LinkHeader::from_master(1, 2),
        rest,
        sel & 63,
        max_payload,
        &mut frames,
    )
    .unwrap();
    assert_eq!(n, need);
    let got: Vec<Vec<u8>> = Frames::new(Dnp3Framer::new().max_fragment(4096), &frames[..n])
        .filter_map(|ev| match ev {
            Event::Frame { frame, .. } => frame.fragment,
            _ => None,
        })
        .collect();
    assert_eq!(got, vec![rest.to_vec()]);
}

pub fn run(data: &[u8]) {
    let Some((sel, st, rest)) = meterwire_testkit::fuzz_selector(data) else {
        return;
    };
    builders(sel, rest);
    let _ = (
        AppControl::single(sel),
        link::function_name(sel & 2 != 0, sel & 15),
    );
    let _ = (
        LinkHeader::from_master(1, 2).dfc(),
        LinkHeader::from_outstation(2, 1).control(),
    );
    let _ = if sel & 4 != 0 {
        LinkHeader::from_master(3, 4)
    } else {
        LinkHeader::from_outstation(3, 4)
    }
    .control();
    let framer = Dnp3Framer::new()
        .strictness(st)
        .max_fragment(usize::from(sel) * 16 + 16);
    let _ = (framer.fragment_limit(), framer.buffered());
    for ev in Frames::new(framer, rest) {
        if let Event::Frame { frame, .. } = ev {
            let _ = frame.all_diagnostics().count();
            if let Some(Ok(f)) = frame.application() {
                fragment(&f);
            }
        }
    }
    if let Ok(l) = LinkFramer::new().strictness(st).parse(rest) {
        let _ = (
            l.as_bytes(),
            l.wire_len(),
            l.length(),
            l.control(),
            l.dir(),
            l.prm(),
            l.fcb(),
            l.fcv(),
            l.dfc(),
        );
        let _ = (
            l.diagnostics().count(),
            l.offers_user_data(),
            l.function(),
            l.function_name(),
        );
        let _ = (
            l.destination(),
            l.source(),
            l.header_crc(),
            l.user_data_len(),
            l.header(),
            l.transport_byte(),
        );
        let mut out = [0u8; 256];
        let n = l.copy_user_data(&mut out).unwrap();
        let (arr, m) = l.user_data_array();
        assert_eq!(&out[..n], &arr[..m]);
        let mut r = Reassembler::new([0u8; 2048]);
        let _ = r.push(&arr[..m]);
        let _ = (r.in_progress(), r.dropped(), r.limit(), r.fragment().len());
    }
    if let Ok(l) = meterwire_dnp3_lite::LinkFrame::parse(rest) {
        let _ = l.blocks().count();
    }
    match FragmentParser::default().strictness(st).parse(rest) {
        Ok(f) => fragment(&f),
        Err(e) => {
            let _ = (e.kind(), e.to_string());
        }
    }
    if let Ok(f) = FragmentParser::default().strict().parse(rest) {
        assert_eq!(f.diagnostics().count(), 0);
    }
    if let Ok(f) = Fragment::parse(rest) {
        fragment(&f);
    }
}
