//! A small Modbus TCP to RTU gateway: Modbus TCP clients on one side, RTU devices
//! behind RTU-over-TCP serial servers on the other, routed by unit id. Unit 0 is a
//! broadcast: sent to every route, executed by the devices, never answered. An
//! unknown unit gets exception 0x0A (gateway path unavailable), a device that does
//! not answer within a second 0x0B (gateway target device failed to respond).
//!
//! ```text
//! cargo run -p meterwire-tokio --example modbus_tcp_gateway     # demo: 2 simulated devices and a client
//! cargo run -p meterwire-tokio --example modbus_tcp_gateway -- 0.0.0.0:502 1=10.0.0.5:4001 2=10.0.0.6:4001
//! ```

#[path = "common/device.rs"]
mod device;

use futures_util::{SinkExt, StreamExt};
use meterwire_modbus::{Direction, RtuFrame, RtuFramer, TcpFrame, TcpFramer};
use meterwire_modbus::{PduRepr, RequestRepr, ResponseRepr};
use meterwire_tokio::{FramedCodec, Item, TypedCodec};
use std::collections::{BTreeSet, HashMap};
use std::sync::Arc;
use std::time::Duration;
use tokio::net::{TcpListener, TcpStream};
use tokio_util::codec::{Framed, FramedRead, FramedWrite};

/// Unit id -> address of the RTU-over-TCP serial server the unit hangs on.
pub type Routes = HashMap<u8, String>;

/// The RTU side: frames the gateway reads there are responses.
type RtuLink = Framed<TcpStream, TypedCodec<RtuFramer, fn(RtuFrame<'_>) -> (u8, PduRepr)>>;

fn rtu_item(f: RtuFrame<'_>) -> (u8, PduRepr) {
    (f.address, PduRepr::parse(&f.pdu))
}

fn tcp_item(f: TcpFrame<'_>) -> (u16, u8, PduRepr) {
    (f.transaction_id, f.unit_id, PduRepr::parse(&f.pdu))
}

fn exception(request: &PduRepr, code: u8) -> PduRepr {
    PduRepr::Response(ResponseRepr::Exception {
        function_code: request.function_code() | 0x80,
        exception_code: code,
    })
}

/// Accepts Modbus TCP clients forever.
pub async fn serve(listener: TcpListener, routes: Arc<Routes>) {
    while let Ok((sock, _)) = listener.accept().await {
        tokio::spawn(client(sock, Arc::clone(&routes)));
    }
}

/// One client connection: requests in order, each routed by its unit id.
async fn client(sock: TcpStream, routes: Arc<Routes>) {
    let (rd, wr) = sock.into_split();
    let codec = TypedCodec::new(
        TcpFramer::with_direction(Some(Direction::Request)),
        tcp_item,
    );
    let mut requests = FramedRead::new(rd, codec);
    let mut replies = FramedWrite::new(wr, FramedCodec::new(TcpFramer::new()));
    let mut links: HashMap<String, RtuLink> = HashMap::new();
    while let Some(item) = requests.next().await {
        let (tid, unit, pdu) = match item {
            Ok(Item::Frame(request)) => request,
            Ok(Item::Rejected(r)) => {
                eprintln!("gateway: bad request skipped: {}", r.error);
                continue;
            }
            Ok(Item::Truncated { .. }) | Err(_) => break,
        };
        if unit == 0 {
            let servers: BTreeSet<&String> = routes.values().collect();
            for server in servers {
                if let Some(link) = link(&mut links, server).await {
                    if link.send(RtuFrame::new(0, pdu.clone())).await.is_err() {
                        links.remove(server);
                    }
                }
            }
            continue; // a broadcast is never answered
        }
        let answer = match routes.get(&unit) {
            None => exception(&pdu, 0x0A),
            Some(server) => match forward(&mut links, server, unit, &pdu).await {
                Some(response) => response,
                None => {
                    links.remove(server);
                    exception(&pdu, 0x0B)
                }
            },
        };
        if replies
            .send(TcpFrame::new(tid, unit, answer))
            .await
            .is_err()
        {
            break;
        }
    }
}

async fn link<'a>(
    links: &'a mut HashMap<String, RtuLink>,
    server: &str,
) -> Option<&'a mut RtuLink> {
    if !links.contains_key(server) {
        let stream = TcpStream::connect(server).await.ok()?;
        let map: fn(RtuFrame<'_>) -> (u8, PduRepr) = rtu_item;
        let codec = TypedCodec::new(RtuFramer::with_direction(Some(Direction::Response)), map);
        links.insert(server.to_string(), Framed::new(stream, codec));
    }
    links.get_mut(server)
}

/// Sends the request to `unit` and waits up to 1 s for its response.
async fn forward(
    links: &mut HashMap<String, RtuLink>,
    server: &str,
    unit: u8,
    pdu: &PduRepr,
) -> Option<PduRepr> {
    let link = link(links, server).await?;
    link.send(RtuFrame::new(unit, pdu.clone())).await.ok()?;
    let wait = async {
        while let Some(item) = link.next().await {
            match item {
                Ok(Item::Frame((address, response))) if address == unit => return Some(response),
                Ok(_) => continue, // noise on the line, or another unit
                Err(_) => return None,
            }
        }
        None
    };
    tokio::time::timeout(Duration::from_secs(1), wait)
        .await
        .ok()
        .flatten()
}

/// Two simulated RTU devices (units 1 and 2, on two serial servers), the gateway
/// and a client: reads, a broadcast write, reads that see it, an unknown unit.
/// Returns what the client printed.
pub async fn demo() -> Result<Vec<String>, Box<dyn std::error::Error>> {
    let mut routes = Routes::new();
    for unit in [1u8, 2] {
        let port = device::spawn_device(unit).await?;
        routes.insert(unit, format!("127.0.0.1:{port}"));
    }
    let listener = TcpListener::bind("127.0.0.1:0").await?;
    let gateway = listener.local_addr()?;
    tokio::spawn(serve(listener, Arc::new(routes)));

    let stream = TcpStream::connect(gateway).await?;
    let codec = TypedCodec::new(
        TcpFramer::with_direction(Some(Direction::Response)),
        tcp_item,
    );
    let mut conn = Framed::new(stream, codec);
    let read = |a, n| {
        PduRepr::Request(RequestRepr::ReadHoldingRegisters {
            starting_address: a,
            quantity: n,
        })
    };
    let write = PduRepr::Request(RequestRepr::WriteSingleRegister {
        register_address: 7,
        value: 42,
    });
    let mut lines = Vec::new();
    for (tid, unit, pdu) in [
        (1, 1, read(0, 3)),
        (2, 2, read(5, 2)),
        (3, 0, write),
        (4, 1, read(7, 1)),
        (5, 2, read(7, 1)),
        (6, 9, read(0, 1)),
    ] {
        conn.send(TcpFrame::new(tid, unit, pdu)).await?;
        if unit == 0 {
            lines.push(format!("tid {tid} unit 0: broadcast, no reply"));
            continue;
        }
        let Some(Ok(Item::Frame((rtid, runit, response)))) = conn.next().await else {
            lines.push(format!("tid {tid}: connection closed"));
            break;
        };
        lines.push(match response {
            PduRepr::Response(ResponseRepr::ReadHoldingRegisters { registers, .. }) => format!(
                "tid {rtid} unit {runit}: registers {:?}",
                registers.iter().collect::<Vec<_>>()
            ),
            PduRepr::Response(ResponseRepr::Exception { exception_code, .. }) => {
                format!("tid {rtid} unit {runit}: exception {exception_code:#04x}")
            }
            other => format!("tid {rtid} unit {runit}: {}", other.name()),
        });
    }
    Ok(lines)
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some((listen, route_args)) = args.split_first() else {
        for line in demo().await? {
            println!("{line}");
        }
        return Ok(());
    };
    let mut routes = Routes::new();
    for r in route_args {
        let (unit, server) = r.split_once('=').ok_or("route: UNIT=HOST:PORT")?;
        routes.insert(unit.parse()?, server.to_string());
    }
    let listener = TcpListener::bind(listen).await?;
    println!(
        "gateway on {} with {} route(s)",
        listener.local_addr()?,
        routes.len()
    );
    serve(listener, Arc::new(routes)).await;
    Ok(())
}
