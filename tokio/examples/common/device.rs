//! A simulated Modbus RTU device behind an RTU-over-TCP serial server, so the
//! examples run without hardware. Register `i` of unit `u` holds `u * 1000 + i`
//! until written; a frame for another unit is ignored (as on a shared RS-485 bus);
//! a broadcast (unit 0) write is executed without a reply.

use futures_util::{SinkExt, StreamExt};
use meterwire_modbus::{Direction, RtuFrame, RtuFramer};
use meterwire_modbus::{PduRepr, RequestRepr, ResponseRepr};
use meterwire_tokio::{FramedCodec, Item, TypedCodec};
use std::collections::HashMap;
use tokio::net::TcpListener;
use tokio_util::codec::{FramedRead, FramedWrite};

/// Starts a device answering as `unit` on a local port; returns the port.
pub async fn spawn_device(unit: u8) -> std::io::Result<u16> {
    let listener = TcpListener::bind("127.0.0.1:0").await?;
    let port = listener.local_addr()?.port();
    tokio::spawn(async move {
        let mut written: HashMap<u16, u16> = HashMap::new();
        while let Ok((sock, _)) = listener.accept().await {
            let (rd, wr) = sock.into_split();
            // a device only ever receives requests: tell the framer
            let codec = TypedCodec::new(
                RtuFramer::with_direction(Some(Direction::Request)),
                |f: RtuFrame<'_>| (f.address, PduRepr::parse(&f.pdu)),
            );
            let mut requests = FramedRead::new(rd, codec);
            let mut replies = FramedWrite::new(wr, FramedCodec::new(RtuFramer::new()));
            while let Some(Ok(Item::Frame((address, pdu)))) = requests.next().await {
                if address != unit && address != 0 {
                    continue;
                }
                let Some(response) = answer(unit, &pdu, &mut written) else {
                    continue;
                };
                if address == 0 {
                    continue; // broadcast: executed, never answered
                }
                if replies
                    .send(RtuFrame::new(unit, PduRepr::Response(response)))
                    .await
                    .is_err()
                {
                    break;
                }
            }
        }
    });
    Ok(port)
}

fn answer(unit: u8, pdu: &PduRepr, written: &mut HashMap<u16, u16>) -> Option<ResponseRepr> {
    let value = |r: u16| {
        written
            .get(&r)
            .copied()
            .unwrap_or_else(|| u16::from(unit).wrapping_mul(1000).wrapping_add(r))
    };
    Some(match pdu {
        PduRepr::Request(RequestRepr::ReadHoldingRegisters {
            starting_address,
            quantity,
        }) => {
            let values: Vec<u16> = (0..*quantity)
                .map(|i| value(starting_address.wrapping_add(i)))
                .collect();
            ResponseRepr::ReadHoldingRegisters {
                byte_count: u8::try_from(values.len().saturating_mul(2)).ok()?,
                registers: values,
            }
        }
        PduRepr::Request(RequestRepr::WriteSingleRegister {
            register_address,
            value,
        }) => {
            written.insert(*register_address, *value);
            ResponseRepr::WriteSingleRegister {
                register_address: *register_address,
                value: *value,
            }
        }
        // illegal function
        other => ResponseRepr::Exception {
            function_code: other.function_code() | 0x80,
            exception_code: 0x01,
        },
    })
}
