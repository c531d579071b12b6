//! Modbus RTU over TCP (a serial device server forwarding raw RTU frames): send a
//! read request and read the typed response, whose direction the framer found.
//!
//! ```text
//! cargo run -p meterwire-tokio --example modbus_rtu_over_tcp                  # simulated device
//! cargo run -p meterwire-tokio --example modbus_rtu_over_tcp -- 10.0.0.5:4001 17 0 10
//! ```

#[path = "common/device.rs"]
mod device;

use futures_util::{SinkExt, StreamExt};
use meterwire_modbus::{PduRepr, RequestRepr, ResponseRepr};
use meterwire_modbus::{RtuFrame, RtuFramer};
use meterwire_tokio::{Item, TypedCodec};
use std::time::Duration;
use tokio::net::TcpStream;
use tokio_util::codec::Framed;

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (addr, unit, start, count) = match args.as_slice() {
        [addr, unit, start, count] => (addr.clone(), unit.parse()?, start.parse()?, count.parse()?),
        [] => {
            let port = device::spawn_device(17).await?;
            (format!("127.0.0.1:{port}"), 17u8, 0u16, 10u16)
        }
        _ => return Err("usage: modbus_rtu_over_tcp [ADDR UNIT START COUNT]".into()),
    };
    let stream = TcpStream::connect(&addr).await?;
    // one codec for both directions: it encodes any `Encode` value, and decodes RTU
    // frames into (unit, owned PDU) keeping the direction the framer decided
    let codec = TypedCodec::new(RtuFramer::new(), |f: RtuFrame<'_>| {
        (f.address, PduRepr::parse(&f.pdu))
    });
    let mut link = Framed::new(stream, codec);
    let request = RequestRepr::ReadHoldingRegisters {
        starting_address: start,
        quantity: count,
    };
    link.send(RtuFrame::new(unit, PduRepr::Request(request)))
        .await?;
    let reply = tokio::time::timeout(Duration::from_secs(2), link.next())
        .await
        .map_err(|_| "no answer within 2 s")?;
    match reply {
        Some(Ok(Item::Frame((address, pdu)))) => {
            println!("unit {address}: {:?} {}", pdu.direction(), pdu.name());
            if let PduRepr::Response(ResponseRepr::ReadHoldingRegisters { registers, .. }) = &pdu {
                for (i, v) in registers.iter().enumerate() {
                    println!("  register {}: {v}", usize::from(start).saturating_add(i));
                }
            }
        }
        Some(Ok(other)) => println!("not a frame: {other:?}"),
        Some(Err(e)) => return Err(e.into()),
        None => println!("connection closed"),
    }
    Ok(())
}
