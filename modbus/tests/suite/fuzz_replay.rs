//! Replays every file of fuzz/corpus/modbus_* and fuzz/artifacts/modbus_* (if
//! present) through the same bodies as the fuzz targets, so stable CI catches old
//! crashers; `modbus_api` is the decode API the framing targets do not call.

mod modbus_tcp {
    include!("../fuzz_bodies/modbus_tcp.rs");
}
mod modbus_rtu {
    include!("../fuzz_bodies/modbus_rtu.rs");
}
mod modbus_ascii {
    include!("../fuzz_bodies/modbus_ascii.rs");
}
mod modbus_roundtrip {
    include!("../fuzz_bodies/modbus_roundtrip.rs");
}
mod modbus_structured {
    include!("../fuzz_bodies/modbus_structured.rs");
}
mod modbus_api {
    include!("../fuzz_bodies/modbus_api.rs");
}

#[test]
fn corpus_and_artifacts_replay() {
    meterwire_testkit::replay_all(
        env!("CARGO_MANIFEST_DIR"),
        &[
            ("modbus_tcp", modbus_tcp::run),
            ("modbus_rtu", modbus_rtu::run),
            ("modbus_ascii", modbus_ascii::run),
            ("modbus_roundtrip", modbus_roundtrip::run),
            ("modbus_structured", modbus_structured::run),
            ("modbus_api", modbus_api::run),
        ],
    );
}
