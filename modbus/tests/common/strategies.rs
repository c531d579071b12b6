//! proptest strategies for valid owned PDUs and frames (shared by the proptest
//! suite and the `gen_frames` example that feeds the pymodbus differential check).
#![allow(dead_code, clippy::arithmetic_side_effects)]

use meterwire_modbus::{
    BytesBuf, DeviceObjectRepr, FileRecordRepr, FileSubRequest, FileSubResponseRepr, PduRepr,
    RequestRepr, ResponseRepr,
};
use proptest::collection::vec;
use proptest::prelude::*;

fn regs(min: usize, max: usize) -> impl Strategy<Value = Vec<u16>> {
    vec(any::<u16>(), min..=max)
}

fn bytes(max: usize) -> impl Strategy<Value = BytesBuf> {
    vec(any::<u8>(), 0..=max).prop_map(BytesBuf)
}

pub fn request() -> impl Strategy<Value = RequestRepr> {
    prop_oneof![
        (any::<u16>(), 1..=2000u16).prop_map(|(a, q)| RequestRepr::ReadCoils {
            starting_address: a,
            quantity: q
        }),
        (any::<u16>(), 1..=2000u16).prop_map(|(a, q)| RequestRepr::ReadDiscreteInputs {
            starting_address: a,
            quantity: q
        }),
        (any::<u16>(), 1..=125u16).prop_map(|(a, q)| RequestRepr::ReadHoldingRegisters {
            starting_address: a,
            quantity: q
        }),
        (any::<u16>(), 1..=125u16).prop_map(|(a, q)| RequestRepr::ReadInputRegisters {
            starting_address: a,
            quantity: q
        }),
        (any::<u16>(), any::<bool>()).prop_map(|(a, v)| RequestRepr::WriteSingleCoil {
            output_address: a,
            value: v
        }),
        (any::<u16>(), any::<u16>()).prop_map(|(a, v)| RequestRepr::WriteSingleRegister {
            register_address: a,
            value: v
        }),
        Just(RequestRepr::ReadExceptionStatus),
        (0..=21u16, vec(any::<u8>(), 2..=2)).prop_map(|(s, d)| RequestRepr::Diagnostics {
            sub_function: s,
            data: BytesBuf(d)
        }),
        Just(RequestRepr::GetCommEventCounter),
        Just(RequestRepr::GetCommEventLog),
        (any::<u16>(), vec(any::<bool>(), 1..=1968)).prop_map(|(a, c)| {
            let q = c.len() as u16;
            RequestRepr::WriteMultipleCoils {
                starting_address: a,
                quantity: q,
                byte_count: c.len().div_ceil(8) as u8,
                coils: c,
            }
        }),
        (any::<u16>(), regs(1, 123)).prop_map(|(a, r)| RequestRepr::WriteMultipleRegisters {
            starting_address: a,
            quantity: r.len() as u16,
            byte_count: (r.len() * 2) as u8,
            registers: r,
        }),
        Just(RequestRepr::ReportServerId),
        vec((1..=u16::MAX, 0..=9999u16, any::<u16>()), 1..=35).prop_map(|s| {
            let subs: Vec<FileSubRequest> = s
                .into_iter()
                .map(|(f, r, l)| FileSubRequest {
                    file_number: f,
                    record_number: r,
                    record_length: l,
                })
                .collect();
            RequestRepr::ReadFileRecord {
                byte_count: (subs.len() * 7) as u8,
                sub_requests: subs,
            }
        }),
        vec((1..=u16::MAX, 0..=9999u16, vec(any::<u16>(), 1..=8)), 1..=4).prop_map(|s| {
            let recs: Vec<FileRecordRepr> = s
                .into_iter()
                .map(|(f, r, d)| FileRecordRepr {
                    file_number: f,
                    record_number: r,
                    record_data: d,
                })
                .collect();
            let len: usize = recs.iter().map(|r| 7 + 2 * r.record_data.len()).sum();
            RequestRepr::WriteFileRecord {
                request_data_length: len as u8,
                sub_requests: recs,
            }
        }),
        (any::<u16>(), any::<u16>(), any::<u16>()).prop_map(|(a, m, o)| {
            RequestRepr::MaskWriteRegister {
                reference_address: a,
                and_mask: m,
                or_mask: o,
            }
        }),
        (any::<u16>(), 1..=125u16, any::<u16>(), regs(1, 121)).prop_map(|(ra, rq, wa, r)| {
            RequestRepr::ReadWriteMultipleRegisters {
                read_starting_address: ra,
                quantity_to_read: rq,
                write_starting_address: wa,
                quantity_to_write: r.len() as u16,
                write_byte_count: (r.len() * 2) as u8,
                registers: r,
            }
        }),
        any::<u16>().prop_map(|a| RequestRepr::ReadFifoQueue {
            fifo_pointer_address: a
        }),
        (1..=4u8, any::<u8>()).prop_map(|(c, o)| RequestRepr::ReadDeviceIdentification {
            read_device_id_code: c,
            object_id: o
        }),
        bytes(20).prop_map(|d| RequestRepr::CanopenGeneralReference { data: d }),
        (prop_oneof![65..=72u8, 100..=110u8], bytes(40)).prop_map(|(f, d)| {
            RequestRepr::Unsupported {
                function_code: f,
                data: d,
            }
        }),
    ]
}

pub fn response() -> impl Strategy<Value = ResponseRepr> {
    prop_oneof![
        vec(any::<bool>(), 1..=250).prop_map(|b| {
            // whole bytes, as on the wire
            let mut b = b;
            b.resize(b.len().div_ceil(8) * 8, false);
            ResponseRepr::ReadCoils {
                byte_count: (b.len() / 8) as u8,
                coils: b,
            }
        }),
        vec(any::<u8>(), 1..=250).prop_map(|bytes| {
            let bits: Vec<bool> = bytes
                .iter()
                .flat_map(|b| (0..8).map(move |i| b >> i & 1 == 1))
                .collect();
            ResponseRepr::ReadDiscreteInputs {
                byte_count: bytes.len() as u8,
                inputs: bits,
            }
        }),
        regs(1, 125).prop_map(|r| ResponseRepr::ReadHoldingRegisters {
            byte_count: (r.len() * 2) as u8,
            registers: r
        }),
        regs(1, 125).prop_map(|r| ResponseRepr::ReadInputRegisters {
            byte_count: (r.len() * 2) as u8,
            registers: r
        }),
        (any::<u16>(), any::<bool>()).prop_map(|(a, v)| ResponseRepr::WriteSingleCoil {
            output_address: a,
            value: v
        }),
        (any::<u16>(), any::<u16>()).prop_map(|(a, v)| ResponseRepr::WriteSingleRegister {
            register_address: a,
            value: v
        }),
        any::<u8>().prop_map(|o| ResponseRepr::ReadExceptionStatus { output_data: o }),
        (0..=21u16, vec(any::<u8>(), 2..=2)).prop_map(|(s, d)| ResponseRepr::Diagnostics {
            sub_function: s,
            data: BytesBuf(d)
        }),
        (prop_oneof![Just(0u16), Just(0xFFFF)], any::<u16>()).prop_map(|(s, e)| {
            ResponseRepr::GetCommEventCounter {
                status: s,
                event_count: e,
            }
        }),
        (
            prop_oneof![Just(0u16), Just(0xFFFF)],
            any::<u16>(),
            any::<u16>(),
            vec(any::<u8>(), 0..=64)
        )
            .prop_map(|(s, e, m, ev)| ResponseRepr::GetCommEventLog {
                byte_count: (ev.len() + 6) as u8,
                status: s,
                event_count: e,
                message_count: m,
                events: BytesBuf(ev),
            }),
        (any::<u16>(), 1..=1968u16).prop_map(|(a, q)| ResponseRepr::WriteMultipleCoils {
            starting_address: a,
            quantity: q
        }),
        (any::<u16>(), 1..=123u16).prop_map(|(a, q)| ResponseRepr::WriteMultipleRegisters {
            starting_address: a,
            quantity: q
        }),
        // server id bytes, then the run indicator status (0x00 off, 0xFF on)
        (vec(any::<u8>(), 1..=100), any::<bool>()).prop_map(|(mut d, run)| {
            d.push(if run { 0xFF } else { 0x00 });
            ResponseRepr::ReportServerId {
                byte_count: d.len() as u8,
                data: BytesBuf(d),
            }
        }),
        vec(vec(any::<u16>(), 1..=10), 1..=5).prop_map(|s| {
            let subs: Vec<FileSubResponseRepr> = s
                .into_iter()
                .map(|d| FileSubResponseRepr { record_data: d })
                .collect();
            let len: usize = subs.iter().map(|r| 2 + 2 * r.record_data.len()).sum();
            ResponseRepr::ReadFileRecord {
                response_data_length: len as u8,
                sub_responses: subs,
            }
        }),
        vec((1..=u16::MAX, 0..=9999u16, vec(any::<u16>(), 1..=8)), 1..=4).prop_map(|s| {
            let recs: Vec<FileRecordRepr> = s
                .into_iter()
                .map(|(f, r, d)| FileRecordRepr {
                    file_number: f,
                    record_number: r,
                    record_data: d,
                })
                .collect();
            let len: usize = recs.iter().map(|r| 7 + 2 * r.record_data.len()).sum();
            ResponseRepr::WriteFileRecord {
                response_data_length: len as u8,
                sub_responses: recs,
            }
        }),
        (any::<u16>(), any::<u16>(), any::<u16>()).prop_map(|(a, m, o)| {
            ResponseRepr::MaskWriteRegister {
                reference_address: a,
                and_mask: m,
                or_mask: o,
            }
        }),
        regs(1, 125).prop_map(|r| ResponseRepr::ReadWriteMultipleRegisters {
            byte_count: (r.len() * 2) as u8,
            registers: r
        }),
        regs(0, 31).prop_map(|r| ResponseRepr::ReadFifoQueue {
            byte_count: (2 + r.len() * 2) as u16,
            fifo_count: r.len() as u16,
            values: r
        }),
        (
            1..=4u8,
            any::<u8>(),
            any::<bool>(),
            any::<u8>(),
            proptest::collection::btree_map(any::<u8>(), vec(32u8..127, 0..=20), 0..=5)
        )
            .prop_map(|(c, l, m, n, objs)| {
                // object ids are distinct and ascending in a real response
                let objects: Vec<DeviceObjectRepr> = objs
                    .into_iter()
                    .map(|(id, v)| DeviceObjectRepr {
                        object_id: id,
                        value: BytesBuf(v),
                    })
                    .collect();
                ResponseRepr::ReadDeviceIdentification {
                    read_device_id_code: c,
                    conformity_level: l,
                    more_follows: m,
                    next_object_id: n,
                    number_of_objects: objects.len() as u8,
                    objects,
                }
            }),
        bytes(20).prop_map(|d| ResponseRepr::CanopenGeneralReference { data: d }),
        (1..=0x7Fu8, 1..=255u8).prop_map(|(f, e)| ResponseRepr::exception(f, e)),
        (prop_oneof![65..=72u8, 100..=110u8], bytes(40)).prop_map(|(f, d)| {
            ResponseRepr::Unsupported {
                function_code: f,
                data: d,
            }
        }),
    ]
}

pub fn pdu() -> impl Strategy<Value = PduRepr> {
    prop_oneof![
        request().prop_map(PduRepr::Request),
        response().prop_map(PduRepr::Response)
    ]
}
