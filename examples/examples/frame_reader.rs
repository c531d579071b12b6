//! `FrameReader` over a byte stream: Modbus TCP bytes arrive in odd-sized chunks
//! with line noise in between; frames come out whole, the noise is reported with
//! its stream offset and skipped.
//!
//! Run: `cargo run -p meterwire-examples --example frame_reader`
use meterwire_core::{Event, FrameReader};
use meterwire_modbus::TcpFramer;

fn main() {
    // Two real frames (cisagov/icsnpp-modbus testing/traces/modbus_example.pcap,
    // frames 24 and 26: read holding registers request and its response) with three
    // bytes of garbage between them and half a frame at the end.
    let request = [
        0x00, 0x06, 0x00, 0x00, 0x00, 0x06, 0x05, 0x03, 0x00, 0x01, 0x00, 0x08,
    ];
    let response = [
        0x00, 0x06, 0x00, 0x00, 0x00, 0x13, 0x05, 0x03, 0x10, 0x00, 0xaa, 0x00, 0xaa, 0x00, 0xbb,
        0x00, 0xcc, 0xef, 0x84, 0xe3, 0xeb, 0x9f, 0x8b, 0xe4, 0xc1,
    ];
    let mut stream = Vec::new();
    stream.extend_from_slice(&request);
    stream.extend_from_slice(&[0xde, 0xad, 0xbe]);
    stream.extend_from_slice(&response);
    stream.extend_from_slice(&request[..5]);

    // A fixed 64-byte buffer: no allocation at all, as on a microcontroller.
    let mut reader = FrameReader::new(TcpFramer::new(), [0u8; 64]);
    for chunk in stream.chunks(7) {
        reader
            .push(chunk)
            .expect("64 bytes hold any pending data here");
        print_events(&mut reader);
    }
    reader.finish();
    print_events(&mut reader);
}

fn print_events<B: meterwire_core::Storage>(reader: &mut FrameReader<TcpFramer, B>) {
    while let Some(event) = reader.next_event() {
        match event {
            Event::Frame { frame, offset, raw } => println!(
                "@{offset:>3} frame: transaction {} unit {} {} ({} bytes)",
                frame.transaction_id,
                frame.unit_id,
                frame.pdu.name(),
                raw.len()
            ),
            Event::Error {
                error,
                offset,
                skipped,
            } => {
                println!("@{offset:>3} skipped {} byte(s): {error}", skipped.len())
            }
            Event::Truncated {
                offset,
                rest,
                needed,
            } => println!(
                "@{offset:>3} stream ended inside a frame: {} byte(s), {} more needed",
                rest.len(),
                needed.bytes()
            ),
        }
    }
}
