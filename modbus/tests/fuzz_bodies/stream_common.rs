// Shared by the modbus_tcp, modbus_rtu and modbus_ascii fuzz bodies (included
// by each): for every direction setting, one decode and one resync (which drops
// 1..=len bytes) never panic, then every frame of the stream goes to `check`
// with its raw bytes.
fn each_frame<'a, F: meterwire_core::Framer + 'a>(
    data: &'a [u8],
    framer: impl Fn(Option<meterwire_modbus::Direction>) -> F,
    mut check: impl FnMut(F::Frame<'a>, &'a [u8]),
) {
    use meterwire_modbus::Direction;
    for d in [None, Some(Direction::Request), Some(Direction::Response)] {
        let mut f = framer(d);
        let _ = f.decode(data);
        let r = f.resync(data);
        assert!(data.is_empty() || (1..=data.len()).contains(&r));
        for ev in meterwire_core::Frames::new(framer(d), data) {
            if let meterwire_core::Event::Frame { frame, raw, .. } = ev {
                check(frame, raw);
            }
        }
    }
}
