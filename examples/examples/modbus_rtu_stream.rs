//! Modbus RTU on a plain byte stream (no 3.5-character timing): a serial sniffer
//! sees a request/response exchange arrive in arbitrary chunks, with line noise
//! and a corrupted frame in between. The framer derives each frame's length from
//! the function code and byte counts, finds the direction by itself, checks the
//! CRC and resyncs by rescanning for the next CRC-valid frame.
//!
//! `cargo run -p meterwire-examples --example modbus_rtu_stream`
use meterwire_core::{Encode, Event, FrameReader};
use meterwire_modbus::{Pdu, Request, Response, RtuFrame, RtuFramer};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    // A master polls unit 0x11 for 3 registers (the example of Modbus Application
    // Protocol V1.1b3 6.3), the unit answers; then writes two registers (FC16).
    let mut wire = Vec::new();
    let regs = [0x022B, 0x0000, 0x0064];
    let exchange = [
        RtuFrame::new(
            0x11,
            Pdu::Request(Request::read_holding_registers(0x006B, 3)),
        ),
        RtuFrame::new(0x11, Pdu::Response(Response::read_holding_registers(&regs))),
        RtuFrame::new(
            0x11,
            Pdu::Request(Request::write_multiple_registers(0x0001, &[0x000A, 0x0102])),
        ),
        RtuFrame::new(
            0x11,
            Pdu::Response(Response::WriteMultipleRegisters {
                starting_address: 1,
                quantity: 2,
            }),
        ),
    ];
    wire.extend([0x00, 0xFF, 0x12]); // line noise before the first frame
    for (i, frame) in exchange.iter().enumerate() {
        let mut bytes = frame.encode_to_vec()?;
        if i == 2 {
            // a copy with a bit error goes out first (the master retries)
            let mut bad = bytes.clone();
            bad[4] ^= 0x04;
            wire.extend(bad);
        }
        wire.append(&mut bytes);
    }

    // Feed it in 5-byte chunks, as a UART driver might hand it over; a 512-byte
    // fixed buffer, so this also works without an allocator.
    let mut reader = FrameReader::new(RtuFramer::new(), [0u8; 512]);
    for chunk in wire.chunks(5) {
        reader.push(chunk).map_err(|e| format!("{e}"))?;
        while let Some(ev) = reader.next_event() {
            match ev {
                Event::Frame { frame, offset, .. } => {
                    let dir = frame.pdu.direction().as_str();
                    match &frame.pdu {
                        Pdu::Response(Response::ReadHoldingRegisters { registers, .. }) => {
                            let values: Vec<u16> = registers.iter().collect(); // lazy, big-endian
                            println!(
                                "@{offset:>3} unit {:#04x} {dir}: registers {values:04x?}",
                                frame.address
                            );
                        }
                        pdu => println!(
                            "@{offset:>3} unit {:#04x} {dir}: {}",
                            frame.address,
                            pdu.name()
                        ),
                    }
                }
                Event::Error {
                    error,
                    offset,
                    skipped,
                } => {
                    println!("@{offset:>3} dropped {} byte(s): {error}", skipped.len());
                }
                Event::Truncated { offset, .. } => {
                    println!("@{offset:>3} stream ended inside a frame")
                }
            }
        }
    }
    Ok(())
}
