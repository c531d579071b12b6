//! The Modbus TCP-to-RTU gateway example, run end to end over localhost TCP:
//! unit routing, a broadcast that reaches both devices without a reply, and the
//! gateway exception for an unknown unit.
#![allow(
    missing_docs,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing
)]

#[allow(dead_code)]
#[path = "../examples/modbus_tcp_gateway.rs"]
mod gateway;

#[tokio::test]
async fn gateway_routes_units_broadcasts_and_reports_unknown_units() {
    assert_eq!(
        gateway::demo().await.unwrap(),
        [
            "tid 1 unit 1: registers [1000, 1001, 1002]",
            "tid 2 unit 2: registers [2005, 2006]",
            "tid 3 unit 0: broadcast, no reply",
            "tid 4 unit 1: registers [42]",
            "tid 5 unit 2: registers [42]",
            "tid 6 unit 9: exception 0x0a",
        ]
    );
}
