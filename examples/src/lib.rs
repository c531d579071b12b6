//! Runnable examples live in `examples/`; run them with `cargo run -p meterwire-examples --example NAME`.

/// The text of an optional value (an AP title, an address), empty when absent.
pub fn or_empty<T: core::fmt::Display>(v: Option<T>) -> String {
    v.map(|t| t.to_string()).unwrap_or_default()
}
