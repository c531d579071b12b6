//! Oracle comparison: our decode against tshark's dnp3 dissector, field by field.
//!
//! Data: tests/oracle/expected.json (synthetic vectors from gen_vectors.py, dissected by
//! tshark after `text2pcap -T 20000,20000`) and tests/oracle/captures.json (real captures
//! from the Zeek repository, tests/data/captures/*.pcap). Regenerate with
//! `python3 tests/oracle/oracle.py`; `dnp3-lite/ci.sh` re-runs tshark and diffs.

use crate::common::*;
use meterwire_dnp3_lite::Error;
use serde_json::Value as J;

/// Vectors where tshark 4.0 and IEEE 1815-2012 (and so this crate) disagree, with the reason.
/// Each is still checked: link/transport/application header fields must match, and the
/// listed property of our decode is asserted.
const DIVERGENCES: &[(&str, &str)] = &[
    (
        "rsp_g30v1_q03_virtual8",
        "tshark 4.0 does not implement the virtual-address range codes 0x03-0x05",
    ),
    (
        "rsp_g30v2_q04_virtual16",
        "tshark 4.0 does not implement the virtual-address range codes 0x03-0x05",
    ),
    (
        "rsp_g20v1_q05_virtual32",
        "tshark 4.0 does not implement the virtual-address range codes 0x03-0x05",
    ),
    (
        "link_test_link_states",
        "tshark flags a link frame without user data as malformed; 1815 9.2.4.1 allows it",
    ),
    (
        "link_nack",
        "tshark flags a link frame without user data as malformed",
    ),
    (
        "link_not_supported",
        "tshark flags a link frame without user data as malformed",
    ),
    (
        "req_assign_class",
        "tshark does not dissect the object headers of assign class",
    ),
    (
        "req_freeze_at_time",
        "tshark does not dissect the object headers of freeze at time",
    ),
    (
        "rsp_g31v1_q00",
        "tshark 4.0 does not know g31 (frozen analog input)",
    ),
    (
        "rsp_g33v1_q17",
        "tshark 4.0 does not know g33 (frozen analog event)",
    ),
    (
        "rsp_g43v1_q17",
        "tshark 4.0 decodes g43v1 as g41 (value before status) and loses sync",
    ),
    (
        "rsp_g52v1_delay",
        "tshark 4.0 does not know g52v1 (coarse time delay)",
    ),
    (
        "rsp_g4v3_cto",
        "tshark 4.0 does not know g51v2 (unsynchronized CTO)",
    ),
    (
        "rsp_g80v1_iin",
        "tshark 4.0 shows every g80v1 bit as 0; bit 7 of 0x80 is IIN1.7 device restart",
    ),
    (
        "resync_junk_prefix",
        "tshark's TCP PDU dissector does not scan for 0x0564; this crate resyncs",
    ),
    (
        "app_unknown_group_sized",
        "tshark stops at an unknown object; with a size prefix we skip it and surface it raw (fact sheet)",
    ),
];

/// Capture frames where tshark and this crate disagree (file, frame number, reason).
const CAPTURE_DIVERGENCES: &[(&str, u64, &str)] = &[
    (
        "dnp3.pcap",
        154,
        "qualifier 0xed has the reserved bit 7 and range code 13 set: tshark dissects past it, we keep the header with the raw rest (reserved_code diagnostic)",
    ),
    (
        "dnp3.pcap",
        156,
        "qualifier 0xed has the reserved bit 7 and range code 13 set: tshark dissects past it, we keep the header with the raw rest (reserved_code diagnostic)",
    ),
    (
        "dnp3.pcap",
        163,
        "tshark does not dissect the objects of function 18 (stop application)",
    ),
    (
        "dnp3.pcap",
        166,
        "tshark does not dissect the objects of function 18 (stop application)",
    ),
    (
        "dnp3.pcap",
        174,
        "tshark does not dissect the objects of function 18 (stop application)",
    ),
    (
        "dnp3.pcap",
        176,
        "tshark does not dissect the objects of function 18 (stop application)",
    ),
    (
        "dnp3_file_write.pcap",
        4,
        "g70v3 file command: tshark prints its creation time (0) here but not in dnp3_file_read/file_del frame 4; we decode it as a field of the typed file command (tests/diagnostics.rs)",
    ),
];

const LINK: &[&str] = &[
    "dnp3.len",
    "dnp3.ctl",
    "dnp3.dst",
    "dnp3.src",
    "dnp3.tr.ctl",
];
const HEADER: &[&str] = &["dnp3.al.ctl", "dnp3.al.func", "dnp3.al.iin"];

fn has(t: &J, k: &str) -> bool {
    t.get(k).is_some()
}

#[test]
fn synthetic_vectors_match_tshark() {
    let exp = load_json("expected.json");
    let vectors = exp["vectors"].as_object().unwrap();
    let (mut exact, mut diverged, mut errors, mut frames) = (0, 0, 0, 0usize);
    let mut failures = vec![];
    for (name, v) in vectors {
        let data = hex::decode(v["hex"].as_str().unwrap()).unwrap();
        let t = &v["tshark"];
        let ours = decode(&data);
        frames += ours.frames + ours.link_errors.len() + usize::from(ours.truncated);
        let mut bad = vec![];
        if let Some((_, why)) = DIVERGENCES.iter().find(|(n, _)| n == name) {
            diverged += 1;
            if name.as_str() != "resync_junk_prefix" {
                bad.extend(diff(&ours.fields, t, LINK));
            }
            if name.starts_with("rsp_") || name.starts_with("req_") {
                bad.extend(diff(&ours.fields, t, HEADER));
                // tshark's object list is a prefix of ours up to the object it does not know
                let ob = theirs(t, "dnp3.al.obj");
                let oo = ours.fields.get("dnp3.al.obj").cloned().unwrap_or_default();
                let k = ob.len().min(oo.len()).min(1);
                if ob[..k] != oo[..k] && !ob.is_empty() {
                    bad.push(format!("object prefix: ours {oo:?} tshark {ob:?}"));
                }
            }
            if !ours.app_errors.is_empty() || !ours.transport_errors.is_empty() {
                bad.push(format!("unexpected errors {:?} ({why})", ours.app_errors));
            }
            if name.as_str() == "resync_junk_prefix"
                && (ours.link_errors.len() != 1 || ours.frames != 1)
            {
                bad.push(format!("resync: {ours:?}"));
            }
        } else if has(t, "dnp3.data_chunk.CRC.incorrect") {
            errors += 1;
            let st = theirs(t, "dnp.data_chunk.CRC.status");
            let bad_block = st.iter().position(|s| s == "0").unwrap();
            match ours.link_errors.as_slice() {
                [Error::BlockCrc { block, .. }] if *block == bad_block => {}
                other => bad.push(format!(
                    "expected block {bad_block} crc error, got {other:?}"
                )),
            }
            bad.extend(diff(
                &ours.fields,
                t,
                &["dnp3.len", "dnp3.ctl", "dnp3.dst", "dnp3.src"],
            ));
        } else if !has(t, "dnp3.len") {
            // tshark saw no complete frame: header CRC error or truncation
            errors += 1;
            let ok = ours.frames == 0
                && (ours.truncated
                    || matches!(
                        ours.link_errors.first(),
                        Some(Error::HeaderCrc { .. } | Error::BadLength { .. })
                    ));
            if !ok {
                bad.push(format!("expected header crc / truncation, got {ours:?}"));
            }
        } else if has(t, "_ws.malformed")
            || theirs(t, "_ws.expert.message")
                .iter()
                .any(|m| m.contains("Negative"))
            || has(t, "dnp3.unknown_object")
        {
            errors += 1;
            bad.extend(diff(&ours.fields, t, LINK));
            bad.extend(diff(&ours.fields, t, &["dnp3.al.func"]));
            let Some(&(pos, _)) = ours.app_errors.first() else {
                failures.push(format!(
                    "{name}: expected an application error, got {ours:?}"
                ));
                continue;
            };
            let ob = theirs(t, "dnp3.al.obj");
            let oo = ours.fields.get("dnp3.al.obj").cloned().unwrap_or_default();
            if oo.len() != pos || ob.get(..pos) != Some(&oo[..]) {
                bad.push(format!(
                    "objects before the error: ours {oo:?} tshark {ob:?}"
                ));
            }
        } else {
            exact += 1;
            bad.extend(diff(&ours.fields, t, COMPARED));
            if !ours.link_errors.is_empty() || !ours.app_errors.is_empty() || ours.truncated {
                bad.push(format!(
                    "unexpected errors: {:?} {:?}",
                    ours.link_errors, ours.app_errors
                ));
            }
        }
        if !bad.is_empty() {
            failures.push(format!("{name}:\n  {}", bad.join("\n  ")));
        }
    }
    println!(
        "{} vectors ({frames} link frames): {exact} field-exact, {errors} error vectors agreeing on the error, {diverged} documented divergences",
        vectors.len()
    );
    assert!(
        failures.is_empty(),
        "{} mismatches:\n{}",
        failures.len(),
        failures.join("\n")
    );
    assert!(frames >= 100 && vectors.len() >= 100);
}

#[test]
fn real_captures_match_tshark() {
    let caps = load_json("captures.json");
    let mut failures = vec![];
    let (mut packets, mut compared, mut diverged) = (0, 0, 0);
    for (file, pkts) in caps["captures"].as_object().unwrap() {
        let mut readers: std::collections::HashMap<String, Reader> = Default::default();
        for p in pkts.as_array().unwrap() {
            packets += 1;
            let frame = p["frame"].as_u64().unwrap();
            let key = p["src"].as_str().unwrap().to_string();
            let udp = p["transport"] == "udp";
            let data = hex::decode(p["payload"].as_str().unwrap()).unwrap();
            let r = readers.entry(key).or_insert_with(reader);
            let mut ours = Ours::default();
            r.push(&data).unwrap();
            drain(r, &mut ours);
            if udp {
                r.finish();
                drain(r, &mut ours);
            }
            let t = &p["tshark"];
            if file == "dnp3_read_p20001.pcap" {
                continue; // port 20001: tshark does not dissect it as dnp3
            }
            if let Some((_, _, why)) = CAPTURE_DIVERGENCES
                .iter()
                .find(|(f, n, _)| f == file && *n == frame)
            {
                let mut d = diff(&ours.fields, t, LINK);
                d.extend(diff(&ours.fields, t, HEADER));
                if why.contains("reserved")
                    && !matches!(
                        ours.app_errors.as_slice(),
                        [(
                            2,
                            Error::UnknownObject {
                                qualifier: 0xED,
                                ..
                            }
                        )]
                    )
                {
                    d.push(format!(
                        "expected the reserved qualifier kept raw at header 2, got {:?}",
                        ours.app_errors
                    ));
                }
                if !d.is_empty() {
                    failures.push(format!(
                        "{file} frame {frame} ({why}):\n  {}",
                        d.join("\n  ")
                    ));
                }
                diverged += 1;
                continue;
            }
            compared += 1;
            let d = diff(&ours.fields, t, COMPARED);
            let unknown = has(t, "dnp3.unknown_object");
            if !d.is_empty() && !unknown {
                failures.push(format!("{file} frame {frame}:\n  {}", d.join("\n  ")));
            }
            if unknown {
                // tshark stops at an object it does not know (g255v0 read in dnp3.pcap):
                // we report an unknown-object error at the same header
                let ob = theirs(t, "dnp3.al.obj");
                let at = ours.app_errors.first().map(|(p, _)| *p);
                if !(at == Some(ob.len() - 1) || ob.last().map(String::as_str) == Some("0xff00")) {
                    failures.push(format!(
                        "{file} frame {frame}: unknown object, ours {:?}",
                        ours.app_errors
                    ));
                }
            }
        }
    }
    println!(
        "{packets} capture packets: {compared} field-exact with tshark, {diverged} documented divergences"
    );
    assert!(
        failures.is_empty(),
        "{} mismatches:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
