//! Modbus RTU over TCP: RTU frames (address, PDU, CRC) carried unchanged in a TCP
//! connection, as serial device servers forward them. A simulated RTU device
//! listens on a loopback port; a client sends requests through
//! `meterwire_tokio::FramedCodec<RtuFramer>` (runs offline).
//!
//! The client sends a corrupted frame too: the device's decoder rejects it with a
//! `checksum` error and goes on with the next frame.
//!
//! `cargo run -p meterwire-examples --example modbus_rtu_over_tcp`
use futures_util::{SinkExt, StreamExt};
use meterwire_modbus::{Direction, Encode, Pdu, Request, Response, RtuFrame, RtuFramer};
use meterwire_tokio::{FramedCodec, Item};
use tokio::io::AsyncWriteExt;
use tokio::net::{TcpListener, TcpStream};
use tokio_util::codec::Framed;

type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// An RTU device at `address` with ten holding registers; answers FC 3 and FC 6.
async fn device(stream: TcpStream, address: u8) -> Result<usize, BoxError> {
    let codec = FramedCodec::new(RtuFramer::new().direction(Direction::Request));
    let mut link = Framed::new(stream, codec);
    let mut registers: Vec<u16> = (0..10).map(|i| 100 + i).collect();
    let mut rejected = 0;
    while let Some(item) = link.next().await {
        let raw = match item? {
            Item::Frame(raw) => raw,
            Item::Rejected(r) => {
                println!("device: rejected {} byte(s): {}", r.skipped.len(), r.error);
                rejected += 1;
                continue;
            }
            Item::Truncated { .. } => break,
        };
        let request = RtuFrame::parse(&raw, Some(Direction::Request))?;
        if request.address != address {
            continue; // another unit's frame on the shared link
        }
        let code = request.pdu.function_code();
        if let Pdu::Request(Request::WriteSingleRegister {
            register_address,
            value,
        }) = request.pdu
        {
            if let Some(r) = registers.get_mut(usize::from(register_address)) {
                *r = value;
            }
        }
        let reply = match request.pdu {
            Pdu::Request(Request::ReadHoldingRegisters {
                starting_address,
                quantity,
            }) => {
                let start = usize::from(starting_address);
                match registers.get(start..start + usize::from(quantity)) {
                    Some(values) => Response::read_holding_registers(values),
                    None => Response::exception(code, 2), // illegal data address
                }
            }
            Pdu::Request(Request::WriteSingleRegister {
                register_address,
                value,
            }) => Response::WriteSingleRegister {
                register_address,
                value,
            },
            _ => Response::exception(code, 1), // illegal function
        };
        link.send(RtuFrame::new(address, Pdu::Response(reply)))
            .await?;
    }
    Ok(rejected)
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), BoxError> {
    let listener = TcpListener::bind("127.0.0.1:0").await?;
    let port = listener.local_addr()?.port();
    let server = tokio::spawn(async move {
        let (stream, _) = listener.accept().await?;
        device(stream, 0x11).await
    });

    let stream = TcpStream::connect(("127.0.0.1", port)).await?;
    let codec = FramedCodec::new(RtuFramer::new().direction(Direction::Response));
    let mut link = Framed::new(stream, codec);

    // a frame with a broken CRC first: the device reports it and resyncs
    let mut bad =
        RtuFrame::new(0x11, Pdu::Request(Request::read_holding_registers(0, 2))).encode_to_vec()?;
    if let Some(last) = bad.last_mut() {
        *last ^= 0xFF;
    }
    link.get_mut().write_all(&bad).await?;

    for request in [
        Request::read_holding_registers(2, 3),
        Request::WriteSingleRegister {
            register_address: 3,
            value: 0xBEEF,
        },
        Request::read_holding_registers(2, 3),
        Request::read_holding_registers(9, 5), // past the end: exception 2
    ] {
        link.send(RtuFrame::new(0x11, Pdu::Request(request)))
            .await?;
        let Some(Ok(Item::Frame(raw))) = link.next().await else {
            return Err("no response".into());
        };
        let response = RtuFrame::parse(&raw, Some(Direction::Response))?;
        println!("client: {} -> {}", hex(&raw), serde_like(&response.pdu));
    }
    let got = {
        link.send(RtuFrame::new(
            0x11,
            Pdu::Request(Request::read_holding_registers(3, 1)),
        ))
        .await?;
        let Some(Ok(Item::Frame(raw))) = link.next().await else {
            return Err("no response".into());
        };
        match RtuFrame::parse(&raw, Some(Direction::Response))?.pdu {
            Pdu::Response(Response::ReadHoldingRegisters { registers, .. }) => registers.get(0),
            _ => None,
        }
    };
    assert_eq!(got, Some(0xBEEF));
    drop(link); // closes the connection: the device's stream ends
    let rejected = server.await??;
    assert_eq!(rejected, 1, "the corrupted frame was rejected once");
    println!("device rejected {rejected} corrupted frame; register 3 reads {got:04x?}");
    Ok(())
}

fn hex(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}

/// A short text form of a response.
fn serde_like(pdu: &Pdu<'_>) -> String {
    match pdu {
        Pdu::Response(Response::ReadHoldingRegisters { registers, .. }) => {
            format!("registers {:?}", registers.iter().collect::<Vec<_>>())
        }
        other => match other.exception() {
            Some((code, e)) => format!("exception {e} to fc {}", code & 0x7F),
            None => other.name().to_string(),
        },
    }
}
