//! DNP3 (meterwire-dnp3-lite): link frames with CRC blocks, transport reassembly and
//! the application layer. Every CRC-valid link frame is one record; the frame that
//! completes an application fragment also carries `application` (so a multi-frame
//! fragment prints its application layer once). Problems above the link layer (a
//! segment without FIR, a sequence gap, an unsized object header) are
//! `diagnostics` on the record, not errors; `--strict` rejects them.

use super::{Fields, FramerStream, object};
use meterwire_dnp3_lite::{Dnp3Frame, Dnp3Framer};

/// Maps one link frame (and a completed fragment) to JSON: the crate's serde view
/// `link`, `transport`, `application` (objects with points; an `error` inside it
/// when an object header cannot be decoded, keeping the headers before it) and
/// `diagnostics` when there are any.
pub fn to_json(frame: &Dnp3Frame<'_>) -> Fields {
    let m = object(frame)?;
    let label = match frame.application() {
        Some(Ok(f)) => f.function_name().to_string(),
        _ if frame.transport.is_some() => "segment".to_string(),
        _ => format!("link:{}", frame.link.function_name()),
    };
    Ok((label, m))
}

protocols! {
    /// `dnp3`.
    Dnp3Protocol "dnp3" ports [20000]
        => "DNP3 link frames, transport and application layers, port 20000",
        |name, opts, _| {
            let framer = Dnp3Framer::new().strictness(opts.strictness);
            Ok(FramerStream::boxed(name, framer, |f| to_json(f)))
        };
}

#[cfg(test)]
mod tests {
    #![allow(clippy::indexing_slicing, clippy::unwrap_used, clippy::panic)]
    use super::*;
    use crate::output::Record;
    use crate::protocols::testing::{stream_records, strict};
    use crate::protocols::{Options, Protocol};

    fn run(hex: &str) -> Vec<Record> {
        run_with(hex, &Options::default())
    }

    fn run_with(hex: &str, opts: &Options) -> Vec<Record> {
        stream_records(&Dnp3Protocol, opts, &hex::decode(hex).unwrap())
    }

    #[test]
    fn samples_decode_and_multiframe_prints_application_once() {
        for s in Dnp3Protocol.samples() {
            let recs = run(s.hex);
            assert!(recs.iter().all(Record::is_ok), "{}", s.title);
            let apps = recs
                .iter()
                .filter(|r| r.to_json(&[]).to_string().contains("\"application\""))
                .count();
            assert_eq!(apps, 1, "{}", s.title);
        }
        let recs = run(Dnp3Protocol.samples()[5].hex);
        assert_eq!(recs.len(), 7);
        let last = recs[6].to_json(&[]);
        let app = last
            .pointer("/application")
            .or_else(|| last.pointer("/fields/application"));
        let s = last.to_string();
        assert!(app.is_some() || s.contains("\"application\""), "{s}");
        assert!(
            s.contains("\"group\":30") || s.contains("\"group\":40"),
            "{s}"
        );
    }

    #[test]
    fn crc_error_is_rejected_with_block_number() {
        let mut hex = Dnp3Protocol.samples()[1].hex.to_string();
        hex.replace_range(30..32, "00"); // inside block 0
        let recs = run(&hex);
        assert!(!recs[0].is_ok());
        let s = recs[0].to_json(&[]).to_string();
        assert!(s.contains("checksum") && s.contains("data block 0"), "{s}");
    }

    #[test]
    fn to_json_field_names() {
        let recs = run(Dnp3Protocol.samples()[2].hex);
        let s = recs[0].to_json(&[]).to_string();
        for k in [
            "\"link\"",
            "\"destination\"",
            "\"transport\"",
            "\"fir\"",
            "\"application\"",
            "\"objects\"",
            "\"points\"",
            "\"on_time\"",
            "\"qualifier\":40",
        ] {
            assert!(s.contains(k), "{k} in {s}");
        }
    }

    /// dnp3_link_only.pcap (Zeek test traces) frame 10 alone: a capture that starts
    /// mid-message (transport 0x23, FIR=0). The link frame decodes with a diagnostic;
    /// `--strict` rejects it.
    #[test]
    fn mid_message_segment_is_a_diagnostic_and_strict_rejects_it() {
        let whole = Dnp3Protocol.samples()[5].hex;
        // the first link frame of the sample is frame 22 (FIR); frame 24 follows it
        let second = &whole[2 * 292..2 * 584];
        let recs = run(second);
        assert_eq!(recs.len(), 1);
        assert!(recs[0].is_ok());
        let s = recs[0].to_json(&[]).to_string();
        assert!(
            s.contains("\"unreassembled\"") && s.contains("\"fir\":false"),
            "{s}"
        );
        let recs = run_with(second, &strict());
        assert!(!recs[0].is_ok());
        assert!(recs[0].to_json(&[]).to_string().contains("nonconforming"));
    }
}
