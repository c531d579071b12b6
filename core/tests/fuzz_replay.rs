//! Replays the committed fuzz corpora and artifacts of `core_cursor` and `core_values`
//! on stable.

meterwire_testkit::fuzz_replay! {
    replay_core: "fuzz_bodies" [core_cursor, core_values];
}
