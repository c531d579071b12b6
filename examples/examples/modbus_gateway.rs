//! A small Modbus TCP-to-RTU gateway: Modbus TCP requests in, routed by unit id
//! to RTU serial links, responses back with the client's transaction id. Unit 0
//! is a broadcast: forwarded to every link, never answered (Modbus over Serial
//! Line V1.02, 2.1). An unknown unit gets exception 0x0A (gateway path
//! unavailable), a unit that does not answer exception 0x0B (gateway target
//! device failed to respond). Everything runs in memory over `tokio::io::duplex`
//! pipes, with simulated RTU devices, so the example runs offline.
//!
//! `cargo run -p meterwire-examples --example modbus_gateway`
use std::collections::BTreeMap;
use std::time::Duration;

use futures_util::{SinkExt, StreamExt};
use meterwire_modbus::{
    Direction, Pdu, Request, Response, RtuFrame, RtuFramer, TcpFrame, TcpFramer,
};
use meterwire_tokio::{FramedCodec, Item};
use tokio::io::DuplexStream;
use tokio_util::codec::Framed;

type BoxError = Box<dyn std::error::Error + Send + Sync>;
type RtuLink = Framed<DuplexStream, FramedCodec<RtuFramer>>;
type TcpLink = Framed<DuplexStream, FramedCodec<TcpFramer>>;

/// How long the gateway waits for an RTU answer.
const RTU_TIMEOUT: Duration = Duration::from_millis(200);

/// A simulated RTU device: FC 3 reads and FC 6 writes on ten registers. It acts
/// on broadcasts (address 0) without answering; `silent` devices never answer.
async fn rtu_device(io: DuplexStream, address: u8, silent: bool) -> Result<(), BoxError> {
    let mut link = Framed::new(
        io,
        FramedCodec::new(RtuFramer::new().direction(Direction::Request)),
    );
    let mut registers: Vec<u16> = (0..10).map(|i| u16::from(address) * 1000 + i).collect();
    while let Some(item) = link.next().await {
        let Item::Frame(raw) = item? else { continue };
        let request = RtuFrame::parse(&raw, Some(Direction::Request))?;
        if request.address != address && request.address != 0 {
            continue;
        }
        if let Pdu::Request(Request::WriteSingleRegister {
            register_address,
            value,
        }) = request.pdu
        {
            if let Some(r) = registers.get_mut(usize::from(register_address)) {
                *r = value;
            }
        }
        if request.address == 0 || silent {
            continue; // broadcast: act, never answer
        }
        let code = request.pdu.function_code();
        let reply = match request.pdu {
            Pdu::Request(Request::ReadHoldingRegisters {
                starting_address,
                quantity,
            }) => {
                let start = usize::from(starting_address);
                match registers.get(start..start + usize::from(quantity)) {
                    Some(values) => Response::read_holding_registers(values),
                    None => Response::exception(code, 2),
                }
            }
            Pdu::Request(Request::WriteSingleRegister {
                register_address,
                value,
            }) => Response::WriteSingleRegister {
                register_address,
                value,
            },
            _ => Response::exception(code, 1),
        };
        link.send(RtuFrame::new(address, Pdu::Response(reply)))
            .await?;
    }
    Ok(())
}

/// The gateway: one Modbus TCP connection, RTU links by unit id.
async fn gateway(tcp: DuplexStream, mut links: BTreeMap<u8, RtuLink>) -> Result<(), BoxError> {
    let codec = FramedCodec::new(TcpFramer::new().direction(Direction::Request));
    let mut tcp: TcpLink = Framed::new(tcp, codec);
    while let Some(item) = tcp.next().await {
        let raw = match item? {
            Item::Frame(raw) => raw,
            Item::Rejected(r) => {
                println!("gateway: dropped {} byte(s): {}", r.skipped.len(), r.error);
                continue;
            }
            Item::Truncated { .. } => break,
        };
        let request = TcpFrame::parse(&raw, Some(Direction::Request))?;
        let (tid, unit) = (request.transaction_id, request.unit_id);
        if unit == 0 {
            for link in links.values_mut() {
                link.send(RtuFrame::new(0, request.pdu.clone())).await?;
            }
            continue;
        }
        let code = request.pdu.function_code();
        let Some(link) = links.get_mut(&unit) else {
            let reply = Pdu::Response(Response::exception(code, 0x0A));
            tcp.send(TcpFrame::new(tid, unit, reply)).await?;
            continue;
        };
        link.send(RtuFrame::new(unit, request.pdu.clone())).await?;
        match tokio::time::timeout(RTU_TIMEOUT, link.next()).await {
            Ok(Some(Ok(Item::Frame(rtu_raw)))) => {
                let answer = RtuFrame::parse(&rtu_raw, Some(Direction::Response))?;
                tcp.send(TcpFrame::new(tid, unit, answer.pdu)).await?;
            }
            _ => {
                let reply = Pdu::Response(Response::exception(code, 0x0B));
                tcp.send(TcpFrame::new(tid, unit, reply)).await?;
            }
        }
    }
    Ok(())
}

/// Sends one request through the gateway and describes the answer.
async fn ask(
    client: &mut TcpLink,
    tid: &mut u16,
    unit: u8,
    request: Request<'static>,
) -> Result<String, BoxError> {
    *tid += 1;
    client
        .send(TcpFrame::new(*tid, unit, Pdu::Request(request)))
        .await?;
    let Some(Ok(Item::Frame(raw))) = client.next().await else {
        return Err("no answer".into());
    };
    let answer = TcpFrame::parse(&raw, Some(Direction::Response))?;
    assert_eq!((answer.transaction_id, answer.unit_id), (*tid, unit));
    Ok(match &answer.pdu {
        Pdu::Response(Response::ReadHoldingRegisters { registers, .. }) => {
            format!("{:?}", registers.iter().collect::<Vec<_>>())
        }
        pdu => match pdu.exception() {
            Some((_, e)) => format!("exception {e:#04x}"),
            None => pdu.name().to_string(),
        },
    })
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), BoxError> {
    // three serial links: units 1 and 2 answer, unit 3 is switched off
    let mut links = BTreeMap::new();
    let mut devices = Vec::new();
    for (unit, silent) in [(1u8, false), (2, false), (3, true)] {
        let (gateway_end, device_end) = tokio::io::duplex(1024);
        let link = Framed::new(
            gateway_end,
            FramedCodec::new(RtuFramer::new().direction(Direction::Response)),
        );
        links.insert(unit, link);
        devices.push(tokio::spawn(rtu_device(device_end, unit, silent)));
    }
    let (client_end, gateway_end) = tokio::io::duplex(1024);
    let gw = tokio::spawn(gateway(gateway_end, links));

    let codec = FramedCodec::new(TcpFramer::new().direction(Direction::Response));
    let mut client: TcpLink = Framed::new(client_end, codec);
    let mut tid = 0u16;
    let r1 = ask(
        &mut client,
        &mut tid,
        1,
        Request::read_holding_registers(0, 3),
    )
    .await?;
    let r2 = ask(
        &mut client,
        &mut tid,
        2,
        Request::read_holding_registers(0, 3),
    )
    .await?;
    println!("unit 1: {r1}\nunit 2: {r2}");
    assert_eq!(
        (r1.as_str(), r2.as_str()),
        ("[1000, 1001, 1002]", "[2000, 2001, 2002]")
    );

    // broadcast a write of register 1 to every unit: no answer comes back
    client
        .send(TcpFrame::new(
            100,
            0,
            Pdu::Request(Request::WriteSingleRegister {
                register_address: 1,
                value: 0x0777,
            }),
        ))
        .await?;
    let r1 = ask(
        &mut client,
        &mut tid,
        1,
        Request::read_holding_registers(1, 1),
    )
    .await?;
    let r2 = ask(
        &mut client,
        &mut tid,
        2,
        Request::read_holding_registers(1, 1),
    )
    .await?;
    println!("after broadcast: unit 1 {r1}, unit 2 {r2}");
    assert_eq!((r1.as_str(), r2.as_str()), ("[1911]", "[1911]"));

    let unknown = ask(
        &mut client,
        &mut tid,
        9,
        Request::read_holding_registers(0, 1),
    )
    .await?;
    let silent = ask(
        &mut client,
        &mut tid,
        3,
        Request::read_holding_registers(0, 1),
    )
    .await?;
    println!("unit 9 (no route): {unknown}\nunit 3 (silent): {silent}");
    assert_eq!(
        (unknown.as_str(), silent.as_str()),
        ("exception 0x0a", "exception 0x0b")
    );

    drop(client);
    gw.await??;
    for d in devices {
        d.await??;
    }
    Ok(())
}
