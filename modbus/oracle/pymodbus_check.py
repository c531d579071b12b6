#!/usr/bin/env python3
"""Decode Modbus frames with pymodbus (an independent implementation) and compare
field by field with meterwire's JSON, then re-encode with pymodbus and compare bytes.

Input: JSON lines {"framing": tcp|rtu|ascii, "direction": request|response, "hex": ..., "frame": {...}}
as written by `cargo run -p meterwire-modbus --example gen_frames` (live differential),
or by tests/data/oracle_frames.jsonl (committed vectors; see gen_pymodbus_vectors.py).

Exit status 1 on any disagreement that is not a documented pymodbus limitation.
"""
import json
import sys
from collections import Counter

from pymodbus.framer import FramerAscii, FramerRTU, FramerSocket
from pymodbus.pdu import DecodePDU, ExceptionResponse

FRAMERS = {"tcp": FramerSocket, "rtu": FramerRTU, "ascii": FramerAscii}

# Function codes whose pymodbus classes we compare field by field.
# Others are reported as "not compared" with the reason.
LIMITS = {
    43: "MEI 13 (CANopen) is not in pymodbus",
}

# pymodbus defects found by this check (pymodbus 3.11.4); such frames are counted
# apart, never as agreement, and the fields are cross-checked with tshark instead.
KNOWN_PYMODBUS_BUGS = {
    "ascii_min_size": "FramerAscii.MIN_SIZE is 10 but ':' + address + FC + LRC + CRLF is 9 characters: "
                      "requests without data (FC 7, 11, 12, 17) are never decoded",
    "fifo_count": "ReadFifoQueueResponse.decode reads `count - 4` values instead of `count`",
    "rtu_diag_reserved": "FramerRTU cannot size FC 8 frames of the reserved sub-functions 5..=9 "
                         "(DiagnosticBase has no length): never decoded on RTU",
    "file_record_length": "FileRecord treats record_length (a register count) as a byte count: "
                          "it halves it and rejects odd values (FC 20/21)",
}


def known_bug(rec, frame):
    fc = frame["function_code"]
    if rec["framing"] == "ascii" and len(rec["hex"]) == 18:
        return "ascii_min_size"
    if fc == 24 and rec["direction"] == "response":
        return "fifo_count"
    if fc in (20, 21):
        return "file_record_length"
    if fc == 8 and rec["framing"] == "rtu" and 5 <= frame["sub_function"] <= 9:
        return "rtu_diag_reserved"
    return None


def pdu_fields(pdu, request):
    """pymodbus PDU -> meterwire field names."""
    fc = pdu.function_code
    if isinstance(pdu, ExceptionResponse):
        return {"function_code": fc, "exception_code": pdu.exception_code}
    d = {"function_code": fc}
    if fc in (1, 2, 3, 4):
        if request:
            d.update(starting_address=pdu.address, quantity=pdu.count)
        elif fc in (1, 2):
            d["coils" if fc == 1 else "inputs"] = list(pdu.bits)
        else:
            d["registers"] = list(pdu.registers)
    elif fc == 5:
        d.update(output_address=pdu.address, value=bool(pdu.bits[0]))
    elif fc == 6:
        d.update(register_address=pdu.address, value=pdu.registers[0])
    elif fc == 7:
        if not request:
            d["output_data"] = pdu.status
    elif fc == 8:
        m = pdu.message
        if isinstance(m, int):
            m = m.to_bytes(2, "big")
        elif isinstance(m, (list, tuple)):
            m = b"".join(int(x).to_bytes(2, "big") for x in m)
        d.update(sub_function=pdu.sub_function_code, data=bytes(m or b"").hex())
    elif fc == 11:
        if not request:
            # pymodbus keeps `status` as "ready" (True for 0x0000)
            d.update(status=0 if pdu.status else 0xFFFF, event_count=pdu.count)
    elif fc == 12:
        if not request:
            d.update(status=0 if pdu.status else 0xFFFF, event_count=pdu.event_count,
                     message_count=pdu.message_count, events=bytes(pdu.events).hex())
    elif fc == 15:
        if request:
            d.update(starting_address=pdu.address, quantity=len(pdu.bits), coils=list(pdu.bits))
        else:
            d.update(starting_address=pdu.address, quantity=pdu.count)
    elif fc == 16:
        d.update(starting_address=pdu.address, quantity=pdu.count)
        if request:
            d["registers"] = list(pdu.registers)
    elif fc == 17:
        if not request:
            # pymodbus keeps all the data as `identifier` and the last byte as `status`
            d.update(data=pdu.identifier.hex(), run_indicator=bool(pdu.status))
    elif fc == 22:
        d.update(reference_address=pdu.address, and_mask=pdu.and_mask, or_mask=pdu.or_mask)
    elif fc == 23:
        if request:
            d.update(read_starting_address=pdu.read_address, quantity_to_read=pdu.read_count,
                     write_starting_address=pdu.write_address, quantity_to_write=len(pdu.write_registers),
                     registers=list(pdu.write_registers))
        else:
            d["registers"] = list(pdu.registers)
    elif fc == 24:
        if request:
            d["fifo_pointer_address"] = pdu.address
        else:
            d.update(fifo_count=len(pdu.values), values=list(pdu.values))
    elif fc == 43:
        if request:
            d.update(read_device_id_code=pdu.read_code, object_id=pdu.object_id)
        else:
            d.update(read_device_id_code=pdu.read_code, conformity_level=pdu.conformity,
                     more_follows=bool(pdu.more_follows), next_object_id=pdu.next_object_id,
                     number_of_objects=pdu.number_of_objects,
                     objects={k: (b"".join(v) if isinstance(v, list) else v).hex()
                              for k, v in pdu.information.items()})
    elif fc in (20, 21):
        d["records"] = len(pdu.records)
    return d


def ours(frame, framing):
    """meterwire JSON -> the same comparable fields."""
    d = {"function_code": frame["function_code"]}
    for k in ("sub_function", "starting_address", "quantity", "coils", "inputs", "registers", "output_address", "value",
              "register_address", "output_data", "status", "event_count", "message_count", "events",
              "data", "reference_address", "and_mask", "or_mask", "read_starting_address",
              "quantity_to_read", "write_starting_address", "quantity_to_write", "fifo_pointer_address",
              "fifo_count", "values", "read_device_id_code", "object_id", "conformity_level",
              "more_follows", "next_object_id", "number_of_objects", "exception_code"):
        if k in frame:
            d[k] = frame[k]
    if "objects" in frame:
        d["objects"] = {o["object_id"]: o["value"] for o in frame["objects"]}
    if "sub_requests" in frame:
        d["records"] = len(frame["sub_requests"])
    if "sub_responses" in frame:
        d["records"] = len(frame["sub_responses"])
    if frame["function_code"] == 15 and frame["direction"] == "request":
        pass
    if frame["function_code"] == 16 and frame["direction"] == "response":
        d.pop("registers", None)
    if frame["function_code"] == 17 and frame["direction"] == "response":
        d["run_indicator"] = d["data"][-2:] == "ff"
    return d, (frame.get("transaction_id"), frame.get("unit_id", frame.get("address")))


def check(lines, verbose=False):
    stats = Counter()
    failures = []
    for n, line in enumerate(lines, 1):
        rec = json.loads(line)
        raw = bytes.fromhex(rec["hex"])
        request = rec["direction"] == "request"
        frame = rec["frame"]
        fc = frame["function_code"]
        framer = FRAMERS[rec["framing"]](DecodePDU(is_server=request))
        try:
            used, pdu = framer.handleFrame(raw, 0, 0)
        except Exception as e:  # pymodbus raises on what it cannot decode
            used, pdu = 0, None
            err = repr(e)
        else:
            err = None
        if frame.get("function") == "unsupported":
            # an unknown / user-defined code: meterwire surfaces it as unsupported;
            # pymodbus must not decode it either
            stats["unsupported: both refuse" if pdu is None else "unsupported: pymodbus decoded"] += 1
            if pdu is not None:
                failures.append((n, rec, "pymodbus decoded an unknown function code"))
            continue
        if fc == 43 and frame.get("mei_type") == 13:
            stats[f"not compared: {LIMITS[fc]}"] += 1
            continue
        if bug := known_bug(rec, frame):
            stats[f"known pymodbus bug: {bug}"] += 1
            continue
        if pdu is None:
            stats["pymodbus could not decode"] += 1
            failures.append((n, rec, f"pymodbus: {err or 'no pdu'}"))
            continue
        mine, (tid, unit) = ours(frame, rec["framing"])
        theirs = pdu_fields(pdu, request)
        if pdu.dev_id != unit or (rec["framing"] == "tcp" and pdu.transaction_id != tid):
            failures.append((n, rec, f"header: pymodbus dev_id={pdu.dev_id} tid={pdu.transaction_id}"))
            continue
        diff = {k: (mine.get(k), theirs.get(k)) for k in set(mine) | set(theirs) if mine.get(k) != theirs.get(k)}
        if diff:
            failures.append((n, rec, f"field mismatch {diff}"))
            continue
        # and back: pymodbus encodes the PDU it decoded; the bytes must be ours
        if fc == 43 and not request:
            # pymodbus's encode() adds one per object to the decoded number_of_objects
            # (a decoded response re-encodes with twice the count): start it from 0
            pdu.number_of_objects = 0
        if fc == 17 and not request:
            # pymodbus decodes the run indicator into `identifier` *and* `status`, and
            # encode() appends `status` after `identifier`: drop it from `identifier`
            pdu.identifier = pdu.identifier[:-1]
        try:
            again = FRAMERS[rec["framing"]](DecodePDU(is_server=request)).buildFrame(pdu)
        except Exception as e:
            failures.append((n, rec, f"pymodbus encode: {e!r}"))
            continue
        if again != raw:
            failures.append((n, rec, f"re-encode differs: {again.hex()}"))
            continue
        stats["agree (decode fields + re-encode bytes)"] += 1
    return stats, failures


def main():
    src = open(sys.argv[1]) if len(sys.argv) > 1 and sys.argv[1] != "-" else sys.stdin
    stats, failures = check(src.read().splitlines())
    for k, v in sorted(stats.items()):
        print(f"{v:6}  {k}")
    for n, rec, why in failures[:20]:
        print(f"DISAGREE line {n} {rec['framing']} {rec['direction']} {rec['hex']}: {why}")
    agreed = sum(v for k, v in stats.items() if k.startswith(("agree", "unsupported: both")))
    skipped = sum(v for k, v in stats.items() if k.startswith(("known", "not compared")))
    print(f"{agreed} passed, {len(failures)} failed, {skipped} skipped")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
