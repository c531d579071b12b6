//! proptest strategy for valid owned PDUs (shared by the proptest suite and the
//! `gen_frames` example that feeds the pymodbus differential check): the
//! hand-written `Arbitrary` of the Reprs (feature `fuzzing`, the one description
//! of what a valid PDU is, also used by the `modbus_structured` fuzz target) fed
//! with proptest's random bytes.

use arbitrary::{Arbitrary, Unstructured};
use meterwire_modbus::PduRepr;
use proptest::collection::vec;
use proptest::prelude::*;

pub fn pdu() -> impl Strategy<Value = PduRepr> {
    vec(any::<u8>(), 16..=2048).prop_filter_map("too few bytes for a PDU", |bytes| {
        PduRepr::arbitrary(&mut Unstructured::new(&bytes)).ok()
    })
}
