//! Replays every file of fuzz/corpus/modbus_* and fuzz/artifacts/modbus_* (if
//! present) through the same bodies as the fuzz targets, so stable CI catches old
//! crashers; `modbus_api` is the decode API the framing targets do not call.

/// Each fuzz target's body as a module of its name (from `fuzz_bodies/<name>.rs`),
/// and the list of targets to replay.
macro_rules! fuzz_bodies {
    ($($target:ident),* $(,)?) => {
        $(
            mod $target {
                include!(concat!("../fuzz_bodies/", stringify!($target), ".rs"));
            }
        )*
        const TARGETS: &[meterwire_testkit::FuzzTarget<'static>] =
            &[$((stringify!($target), $target::run)),*];
    };
}

fuzz_bodies![
    modbus_tcp,
    modbus_rtu,
    modbus_ascii,
    modbus_roundtrip,
    modbus_structured,
    modbus_api,
];

#[test]
fn corpus_and_artifacts_replay() {
    meterwire_testkit::replay_all(env!("CARGO_MANIFEST_DIR"), TARGETS);
}
