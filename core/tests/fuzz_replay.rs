//! Replays the committed fuzz corpora and artifacts of `core_cursor` and `core_values`
//! on stable.
#![allow(
    missing_docs,
    clippy::unwrap_used,
    clippy::indexing_slicing,
    clippy::arithmetic_side_effects,
    clippy::panic
)]

meterwire_testkit::fuzz_replay! {
    replay_core: "fuzz_bodies" [core_cursor, core_values];
}
