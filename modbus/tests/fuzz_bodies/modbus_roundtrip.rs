// Body of fuzz target `modbus_roundtrip`, also replayed by tests/fuzz_replay.rs.
// Any PDU that parses without diagnostics re-encodes to the same bytes (one with
// diagnostics may be refused by the strict encoder); wrapped in TCP, RTU and ASCII
// it decodes back to the same PDU; encoders never write past encoded_len().
use meterwire_core::{Decoded, Encode, Framer};
use meterwire_modbus::{AsciiAdu, AsciiFrame, Direction, Pdu, RtuFrame, TcpFrame, TcpFramer};

pub fn run(data: &[u8]) {
    for d in [Some(Direction::Request), Some(Direction::Response), None] {
        let Ok(pdu) = Pdu::parse(data, d) else {
            continue;
        };
        let dir = Some(pdu.direction());
        let mut buf = [0u8; 600];
        assert_eq!(pdu.encoded_len(), data.len());
        let n = match pdu.encode(&mut buf) {
            Ok(n) => n,
            Err(_) => {
                assert!(pdu.diagnostics().next().is_some(), "{pdu:?}");
                continue;
            }
        };
        assert_eq!(&buf[..n], data);
        // a buffer one byte short is an error, never a partial frame
        if n > 0 {
            assert!(pdu.encode(&mut buf[..n - 1]).is_err());
        }
        let tcp = TcpFrame::new(0x1234, 7, pdu);
        let n = tcp.encode(&mut buf).unwrap();
        match TcpFramer::with_direction(dir).decode(&buf[..n]).unwrap() {
            Decoded::Frame { frame, consumed } => {
                assert_eq!(consumed, n);
                assert_eq!(frame, tcp);
            }
            Decoded::Incomplete { .. } => panic!("incomplete"),
        }
        // views are invariant in their lifetime: one buffer per framing
        let mut buf = [0u8; 600];
        let rtu = RtuFrame::new(17, pdu);
        let n = rtu.encode(&mut buf).unwrap();
        assert_eq!(RtuFrame::parse(&buf[..n], dir).unwrap(), rtu);
        let mut buf = [0u8; 600];
        let ascii = AsciiFrame::new(17, pdu);
        let n = ascii.encode(&mut buf).unwrap();
        assert_eq!(
            AsciiAdu::parse(&buf[..n], dir).unwrap().frame().unwrap(),
            ascii
        );
    }
}
