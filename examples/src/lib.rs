//! Runnable examples live in `examples/`; run them with `cargo run -p meterwire-examples --example NAME`.
