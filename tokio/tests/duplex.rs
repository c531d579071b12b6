//! FramedCodec and TypedCodec over tokio::io::duplex: the testkit's toy length-prefixed framer,
//! and Modbus RTU whose direction (found by the framer) reaches the typed items.
#![allow(
    missing_docs,
    clippy::panic,
    clippy::arithmetic_side_effects,
    clippy::unwrap_used,
    clippy::indexing_slicing
)]
use futures_util::{SinkExt, StreamExt};
use meterwire_core::{Encode, EncodeError};
use meterwire_testkit::Toy;
use meterwire_tokio::{FramedCodec, Item, TypedCodec};
use tokio::io::AsyncWriteExt;
use tokio_util::codec::{FramedRead, FramedWrite};

struct Msg(Vec<u8>);
impl Encode for Msg {
    fn encoded_len(&self) -> usize {
        self.0.len() + 2
    }
    fn encode(&self, out: &mut [u8]) -> Result<usize, EncodeError> {
        let len = u8::try_from(self.0.len()).map_err(|_| EncodeError::Invalid {
            field: "len",
            reason: "at most 255",
        })?;
        let mut w = meterwire_core::Writer::new(out);
        w.write_u8(0xAA)?;
        w.write_u8(len)?;
        w.write_bytes(&self.0)?;
        Ok(w.position())
    }
}

#[tokio::test]
async fn frames_errors_and_truncation_over_duplex() {
    let (client, server) = tokio::io::duplex(4);
    let writer = tokio::spawn(async move {
        let mut sink = FramedWrite::new(client, FramedCodec::new(Toy));
        sink.send(Msg(vec![1, 2, 3])).await.unwrap();
        sink.send(Msg(vec![])).await.unwrap();
        let mut raw = sink.into_inner();
        raw.write_all(&[0x00, 0x01, 0xAA, 2, 9, 9, 0xAA, 7, 1])
            .await
            .unwrap();
        raw.shutdown().await.unwrap();
    });
    let mut frames = FramedRead::new(server, FramedCodec::new(Toy));
    let mut got = Vec::new();
    // how a run of garbage is cut into rejected items depends on read chunking
    // (duplex of 4 bytes here), so consecutive rejected bytes are merged
    let mut garbage: Vec<u8> = Vec::new();
    while let Some(item) = frames.next().await {
        let line = match item.unwrap() {
            Item::Frame(b) => format!("frame {:02x?}", &b[..]),
            Item::Rejected(r) => {
                assert_eq!(r.error.to_string(), "malformed start byte: expected 0xaa");
                garbage.extend_from_slice(&r.skipped);
                continue;
            }
            Item::Truncated { rest, needed } => {
                format!("truncated {:02x?} needs {}", &rest[..], needed.bytes())
            }
        };
        if !garbage.is_empty() {
            got.push(format!("rejected {:02x?}", std::mem::take(&mut garbage)));
        }
        got.push(line);
    }
    writer.await.unwrap();
    assert_eq!(
        got,
        vec![
            "frame [aa, 03, 01, 02, 03]",
            "frame [aa, 00]",
            "rejected [00, 01]",
            "frame [aa, 02, 09, 09]",
            "truncated [aa, 07, 01] needs 6",
        ]
    );
}

#[test]
fn encoder_refuses_invalid_and_leaves_buffer_clean() {
    use tokio_util::codec::Encoder;
    let mut codec = FramedCodec::new(Toy);
    let mut buf = bytes::BytesMut::new();
    codec.encode(Msg(vec![5]), &mut buf).unwrap();
    assert!(codec.encode(Msg(vec![0; 300]), &mut buf).is_err());
    assert_eq!(&buf[..], &[0xAA, 1, 5]);
}

#[tokio::test]
async fn typed_items_keep_rejections_and_truncation() {
    let (client, server) = tokio::io::duplex(3);
    let writer = tokio::spawn(async move {
        let mut sink = FramedWrite::new(client, TypedCodec::new(Toy, |p: &[u8]| p.to_vec()));
        sink.send(Msg(vec![1, 2, 3])).await.unwrap();
        let mut raw = sink.into_inner();
        raw.write_all(&[0x00, 0xAA, 1, 9, 0xAA, 5, 1])
            .await
            .unwrap();
        raw.shutdown().await.unwrap();
    });
    // the item is the mapping's owned value (here the payload without the header)
    let codec = TypedCodec::new(Toy, |p: &[u8]| p.to_vec());
    let mut frames = FramedRead::new(server, codec);
    let mut got = Vec::new();
    while let Some(item) = frames.next().await {
        got.push(match item.unwrap() {
            Item::Frame(payload) => format!("payload {payload:?}"),
            Item::Rejected(r) => format!("rejected {:?}", &r.skipped[..]),
            Item::Truncated { rest, needed } => {
                format!("truncated {:?} needs {}", &rest[..], needed.bytes())
            }
        });
    }
    writer.await.unwrap();
    assert_eq!(
        got,
        [
            "payload [1, 2, 3]",
            "rejected [0]",
            "payload [9]",
            "truncated [170, 5, 1] needs 4",
        ]
    );
}

/// Modbus RTU gives no direction on the wire: the framer decides (a request, then
/// the response that answers it). A typed item keeps that decision, so the user
/// never re-parses the bytes guessing "request first".
#[tokio::test]
async fn modbus_rtu_typed_items_carry_the_direction() {
    use meterwire_modbus::{Direction, RtuFrame, RtuFramer};
    use meterwire_modbus::{PduRepr, RequestRepr, ResponseRepr};

    // Modbus Application Protocol V1.1b3 6.3 (read holding registers 108-110 of
    // unit 0x11) in RTU framing (Serial Line V1.02 2.5.1), request then response
    let request = [0x11, 0x03, 0x00, 0x6b, 0x00, 0x03, 0x76, 0x87];
    let response = [
        0x11, 0x03, 0x06, 0x02, 0x2b, 0x00, 0x00, 0x00, 0x64, 0xc8, 0xba,
    ];
    let (mut client, server) = tokio::io::duplex(5);
    let writer = tokio::spawn(async move {
        client.write_all(&request).await.unwrap();
        client.write_all(&response).await.unwrap();
        client.shutdown().await.unwrap();
    });
    let codec = TypedCodec::new(RtuFramer::new(), |f: RtuFrame<'_>| {
        (f.address, PduRepr::parse(&f.pdu))
    });
    let mut frames = FramedRead::new(server, codec);
    let mut items: Vec<(u8, PduRepr)> = Vec::new();
    while let Some(item) = frames.next().await {
        match item.unwrap() {
            Item::Frame(f) => items.push(f),
            other => panic!("unexpected {other:?}"),
        }
    }
    writer.await.unwrap();
    assert_eq!(items.len(), 2);
    let (unit, req) = &items[0];
    assert_eq!(*unit, 0x11);
    assert_eq!(req.direction(), Direction::Request);
    match req {
        PduRepr::Request(RequestRepr::ReadHoldingRegisters {
            starting_address,
            quantity,
        }) => assert_eq!((*starting_address, *quantity), (0x6b, 3)),
        other => panic!("{other:?}"),
    }
    let (unit, resp) = &items[1];
    assert_eq!(*unit, 0x11);
    assert_eq!(resp.direction(), Direction::Response);
    match resp {
        PduRepr::Response(ResponseRepr::ReadHoldingRegisters { registers, .. }) => {
            assert_eq!(registers, &[0x022b, 0, 0x64]);
        }
        other => panic!("{other:?}"),
    }
}
