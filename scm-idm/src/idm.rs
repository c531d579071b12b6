//! ERT Interval Data Message (IDM) and NetIDM: 90 bytes from the sync word.
//!
//! Both share sync 0x16A3, packet type 0x1C, length 0x5C, a serial number CRC
//! (CRC-16/GENIBUS over bytes 7..10, at 86..87) and a packet CRC (CRC-16/GENIBUS over
//! bytes 2..87, at 88..89). Nothing in the bytes tells them apart: the caller chooses.
//!
//! IDM: 47 differential intervals of 9 bits from bit 248 (byte 31) and 1 padding bit.
//! NetIDM: 27 intervals of 14 bits from bit 288 (byte 36) and 6 padding bits.

use crate::bits::{get_bits, set_bits};
use crate::{Check, Commodity, Error};
use meterwire_core::crc::CRC16_GENIBUS;
use meterwire_core::{Diagnostic, DiagnosticKind, Encode, EncodeError, Strictness};

/// Field positions shared by IDM and NetIDM.
pub mod field {
    use core::ops::Range;
    /// Packet length from the sync word through the packet CRC.
    pub const LEN: usize = 90;
    /// Sync word.
    pub const SYNC: [u8; 2] = [0x16, 0xA3];
    /// Packet type value.
    pub const PACKET_TYPE: u8 = 0x1C;
    /// Packet length value.
    pub const PACKET_LENGTH: u8 = 0x5C;
    /// Serial number (covered by the serial CRC).
    pub const SERIAL: Range<usize> = 7..11;
    /// Tamper counters.
    pub const TAMPER: Range<usize> = 13..19;
    /// IDM power outage flags.
    pub const POWER_OUTAGE: Range<usize> = 21..27;
    /// NetIDM unknown field 1.
    pub const NET_UNKNOWN_1: Range<usize> = 19..23;
    /// NetIDM unknown field 2.
    pub const NET_UNKNOWN_2: Range<usize> = 29..32;
    /// Bytes covered by the packet CRC.
    pub const PACKET_CHECKED: Range<usize> = 2..88;
    /// IDM intervals: first bit, count, width.
    pub const IDM_INTERVALS: (usize, usize, u32) = (248, 47, 9);
    /// NetIDM intervals: first bit, count, width.
    pub const NETIDM_INTERVALS: (usize, usize, u32) = (288, 27, 14);
    /// IDM padding bit position (1 bit).
    pub const IDM_PADDING: (usize, u32) = (671, 1);
    /// NetIDM padding bits (6 bits).
    pub const NETIDM_PADDING: (usize, u32) = (666, 6);
}

/// A lazy iterator over fixed-width big-endian bit fields (IDM and NetIDM intervals).
#[derive(Debug, Clone)]
pub struct Intervals<'a> {
    buf: &'a [u8],
    pos: usize,
    left: usize,
    width: u32,
}

impl<'a> Intervals<'a> {
    const fn new(buf: &'a [u8], (pos, left, width): (usize, usize, u32)) -> Self {
        Intervals {
            buf,
            pos,
            left,
            width,
        }
    }
}

impl Iterator for Intervals<'_> {
    type Item = u16;
    fn next(&mut self) -> Option<u16> {
        if self.left == 0 {
            return None;
        }
        let v = get_bits(self.buf, self.pos, self.width) as u16;
        self.pos = self.pos.wrapping_add(self.width as usize);
        self.left = self.left.saturating_sub(1);
        Some(v)
    }
    fn size_hint(&self) -> (usize, Option<usize>) {
        (self.left, Some(self.left))
    }
}
impl ExactSizeIterator for Intervals<'_> {}

/// Which of the two IDM CRCs hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CrcStatus {
    /// The serial number CRC matches.
    pub serial_ok: bool,
    /// The packet CRC matches.
    pub packet_ok: bool,
}

/// Getters of byte arrays: `name -> N = range;` (the `N` bytes from `range.start`),
/// each with its doc.
macro_rules! byte_getters {
    ($($(#[$m:meta])* $name:ident -> $n:literal = $range:expr;)*) => {
        $(
            $(#[$m])*
            pub fn $name(&self) -> [u8; $n] {
                self.arr($range.start)
            }
        )*
    };
}

/// A view of the 90-byte IDM layout: the shared header, checks and CRCs, and the
/// intervals at `$intervals` (first bit, count, width).
macro_rules! common_header {
    ($(#[$m:meta])* $t:ident, $name:literal, intervals: $intervals:expr, $iv_doc:literal) => {
        view!($(#[$m])* $t, field::LEN);

        impl<T: AsRef<[u8]>> $t<T> {

            /// Wraps and checks length, sync, packet type and the packet CRC (lenient:
            /// a packet length byte other than 0x5C and a serial number CRC that does
            /// not match are [`diagnostics`](Self::diagnostics), as rtl_433 decodes
            /// them: the packet CRC covers both, so the bytes arrived as sent).
            pub fn new_checked(buf: T) -> Result<Self, Error> {
                Self::new_checked_with(buf, Strictness::Lenient)
            }

            /// As [`Self::new_checked`]; [`Strictness::Strict`] also rejects every
            /// diagnostic with `Error::Core(Nonconforming)`.
            pub fn new_checked_with(buf: T, strictness: Strictness) -> Result<Self, Error> {
                checked!($t { buf }, strictness, check_header, check_packet_crc)
            }

            /// Departures that still decode: the packet length byte is not 0x5C
            /// (`out_of_range`; the layout is fixed at 90 bytes), the serial number
            /// CRC does not match while the packet CRC does (`vendor_quirk`).
            pub fn diagnostics(&self) -> impl Iterator<Item = Diagnostic> + use<T> {
                let len = self.packet_length();
                let serial = self.serial_crc();
                let serial_ok = self.computed_serial_crc() == serial;
                [
                    (len != field::PACKET_LENGTH).then(|| {
                        Diagnostic::with_value(
                            DiagnosticKind::OutOfRange,
                            concat!($name, " packet length"),
                            "expected 0x5c; the 90-byte layout is fixed",
                            len.into(),
                        )
                    }),
                    (!serial_ok).then(|| {
                        Diagnostic::with_value(
                            DiagnosticKind::VendorQuirk,
                            concat!($name, " serial crc"),
                            "does not match the serial number while the packet crc does",
                            serial.into(),
                        )
                    }),
                ]
                .into_iter()
                .flatten()
            }

            /// Checks length, sync and packet type (the packet length byte is a
            /// diagnostic, see [`Self::diagnostics`]).
            pub fn check_header(&self) -> Result<(), Error> {
                let b = self.buf.as_ref();
                crate::error::need_len(b.len(), field::LEN)?;
                if b.get(..2) != Some(&field::SYNC[..]) {
                    return Err(Error::malformed(concat!($name, " sync"), "expected 0x16a3"));
                }
                if self.packet_type() != field::PACKET_TYPE {
                    return Err(Error::malformed(
                        concat!($name, " packet type"),
                        "expected 0x1c",
                    ));
                }
                Ok(())
            }

            /// Checks the packet CRC (bytes 2..87).
            pub fn check_packet_crc(&self) -> Result<(), Error> {
                let (expected, actual) = (self.computed_packet_crc(), self.packet_crc());
                crate::error::crc_matches(Check::IdmPacketCrc, expected, actual)
            }

            /// Checks the serial number CRC (bytes 7..10).
            pub fn check_serial_crc(&self) -> Result<(), Error> {
                let (expected, actual) = (self.computed_serial_crc(), self.serial_crc());
                crate::error::crc_matches(Check::IdmSerialCrc, expected, actual)
            }

            /// Both CRC results, separately.
            pub fn crc_status(&self) -> CrcStatus {
                CrcStatus {
                    serial_ok: self.computed_serial_crc() == self.serial_crc(),
                    packet_ok: self.computed_packet_crc() == self.packet_crc(),
                }
            }

            fn arr<const N: usize>(&self, start: usize) -> [u8; N] {
                core::array::from_fn(|i| self.bits(start.wrapping_add(i).wrapping_mul(8), 8) as u8)
            }

            #[doc = $iv_doc]
            pub fn intervals(&self) -> Intervals<'_> {
                Intervals::new(self.buf.as_ref(), $intervals)
            }

            /// Commodity of the ERT type.
            pub fn commodity(&self) -> Commodity {
                Commodity::from_ert_type(self.ert_type())
            }
            byte_getters! {
                /// Tamper counters (bytes 13..18).
                tamper_counters -> 6 = field::TAMPER;
            }
            bit_getters! {
                /// Packet type (0x1C).
                packet_type -> u8 = 2 * 8, 8;
                /// Packet length (0x5C).
                packet_length -> u8 = 3 * 8, 8;
                /// Hamming code byte (0xC6 in real packets).
                hamming_code -> u8 = 4 * 8, 8;
                /// Application version.
                application_version -> u8 = 5 * 8, 8;
                /// ERT type, the full byte (low nibble = commodity).
                ert_type -> u8 = 6 * 8, 8;
                /// ERT serial number.
                serial -> u32 = 7 * 8, 32;
                /// Consumption interval count.
                interval_count -> u8 = 11 * 8, 8;
                /// Module programming state.
                programming_state -> u8 = 12 * 8, 8;
                /// Transmit time offset.
                tx_time_offset -> u16 = 84 * 8, 16;
                /// Serial number CRC in the packet.
                serial_crc -> u16 = 86 * 8, 16;
                /// Packet CRC in the packet.
                packet_crc -> u16 = 88 * 8, 16;
            }
            /// Serial number CRC computed over bytes 7..10.
            pub fn computed_serial_crc(&self) -> u16 {
                CRC16_GENIBUS.checksum(self.buf.as_ref().get(field::SERIAL).unwrap_or(&[]))
            }
            /// Packet CRC computed over bytes 2..87.
            pub fn computed_packet_crc(&self) -> u16 {
                CRC16_GENIBUS.checksum(self.buf.as_ref().get(field::PACKET_CHECKED).unwrap_or(&[]))
            }
        }
    };
}

common_header!(
    /// A zero-copy view of an IDM packet.
    Idm,
    "idm",
    intervals: field::IDM_INTERVALS,
    "The 47 differential consumption intervals (9 bits each), lazily."
);

impl<T: AsRef<[u8]>> Idm<T> {
    byte_getters! {
        /// Power outage flags (bytes 21..26).
        power_outage_flags -> 6 = field::POWER_OUTAGE;
    }
    bit_getters! {
        /// Asynchronous counters (bytes 19..20).
        async_counters -> u16 = 19 * 8, 16;
        /// Last consumption count (bytes 27..30).
        last_consumption -> u32 = 27 * 8, 32;
        /// The padding bit after the intervals (last bit of byte 83).
        padding -> u8 = field::IDM_PADDING.0, field::IDM_PADDING.1;
    }
}

common_header!(
    /// A zero-copy view of a NetIDM packet.
    NetIdm,
    "netidm",
    intervals: field::NETIDM_INTERVALS,
    "The 27 differential intervals (14 bits each), lazily."
);

impl<T: AsRef<[u8]>> NetIdm<T> {
    byte_getters! {
        /// Unknown bytes 19..22.
        unknown_1 -> 4 = field::NET_UNKNOWN_1;
        /// Unknown bytes 29..31.
        unknown_2 -> 3 = field::NET_UNKNOWN_2;
    }
    bit_getters! {
        /// Last consumption, 24 bits (bytes 23..25).
        last_consumption -> u32 = 23 * 8, 24;
        /// Last generation, 24 bits (bytes 26..28).
        last_generation -> u32 = 26 * 8, 24;
        /// Last consumption net (bytes 32..35).
        last_consumption_net -> u32 = 32 * 8, 32;
        /// The 6 padding bits after the intervals (end of byte 83).
        padding -> u8 = field::NETIDM_PADDING.0, field::NETIDM_PADDING.1;
    }
}

/// An owned IDM/NetIDM form: the shared header fields, then `$own` fields read by
/// the view getters of the same name, then the intervals, the padding and the
/// transmit time offset; `parse`, `commodity` and `to_bytes`.
macro_rules! idm_repr {
    (
        $(#[$m:meta])* $repr:ident of $view:ident {
            $($(#[$fm:meta])* $own:ident: $ty:ty,)*
        }
        intervals: $n:literal, $iv_doc:literal;
        padding: $pad_doc:literal;
    ) => {
        $(#[$m])*
        #[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
        pub struct $repr {
            /// Hamming code byte.
            pub hamming_code: u8,
            /// Application version.
            pub application_version: u8,
            /// ERT type (full byte).
            pub ert_type: u8,
            /// ERT serial number.
            pub serial: u32,
            /// Consumption interval count.
            pub interval_count: u8,
            /// Module programming state.
            pub programming_state: u8,
            /// Tamper counters.
            pub tamper_counters: [u8; 6],
            $($(#[$fm])* pub $own: $ty,)*
            #[doc = $iv_doc]
            #[cfg_attr(feature = "serde", serde(with = "crate::serde_arr"))]
            pub intervals: [u16; $n],
            #[doc = $pad_doc]
            pub padding: u8,
            /// Transmit time offset.
            pub tx_time_offset: u16,
        }

        impl $repr {
            /// Reads a view.
            pub fn parse<T: AsRef<[u8]>>(p: &$view<T>) -> Self {
                $repr {
                    hamming_code: p.hamming_code(),
                    application_version: p.application_version(),
                    ert_type: p.ert_type(),
                    serial: p.serial(),
                    interval_count: p.interval_count(),
                    programming_state: p.programming_state(),
                    tamper_counters: p.tamper_counters(),
                    $($own: p.$own(),)*
                    intervals: fill(p.intervals()),
                    padding: p.padding(),
                    tx_time_offset: p.tx_time_offset(),
                }
            }
            /// Commodity of the ERT type.
            pub fn commodity(&self) -> Commodity {
                Commodity::from_ert_type(self.ert_type)
            }
            to_bytes!(field::LEN);
        }
    };
}

idm_repr! {
    /// The owned fields of an IDM packet; sync, type, length and both CRCs are computed.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
    IdmRepr of Idm {
        /// Asynchronous counters.
        async_counters: u16,
        /// Power outage flags.
        power_outage_flags: [u8; 6],
        /// Last consumption count.
        last_consumption: u32,
    }
    intervals: 47, "47 intervals of 9 bits.";
    padding: "The padding bit (0 or 1).";
}

idm_repr! {
    /// The owned fields of a NetIDM packet.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Hash)]
    NetIdmRepr of NetIdm {
        /// Unknown bytes 19..22.
        unknown_1: [u8; 4],
        /// Last consumption, 24 bits.
        last_consumption: u32,
        /// Last generation, 24 bits.
        last_generation: u32,
        /// Unknown bytes 29..31.
        unknown_2: [u8; 3],
        /// Last consumption net.
        last_consumption_net: u32,
    }
    intervals: 27, "27 intervals of 14 bits.";
    padding: "The 6 padding bits.";
}

fn fill<const N: usize>(it: Intervals<'_>) -> [u16; N] {
    let mut out = [0u16; N];
    for (o, v) in out.iter_mut().zip(it) {
        *o = v;
    }
    out
}

impl Default for IdmRepr {
    fn default() -> Self {
        IdmRepr {
            hamming_code: 0xC6,
            application_version: 0,
            ert_type: 0,
            serial: 0,
            interval_count: 0,
            programming_state: 0,
            tamper_counters: [0; 6],
            async_counters: 0,
            power_outage_flags: [0; 6],
            last_consumption: 0,
            intervals: [0; 47],
            padding: 0,
            tx_time_offset: 0,
        }
    }
}

fn put_bytes(o: &mut [u8], start: usize, src: &[u8]) {
    if let Some(d) = o.get_mut(start..start.saturating_add(src.len())) {
        d.copy_from_slice(src);
    }
}

/// Header values shared by both encoders.
struct Header {
    hamming_code: u8,
    application_version: u8,
    ert_type: u8,
    serial: u32,
    interval_count: u8,
    programming_state: u8,
    tamper_counters: [u8; 6],
    tx_time_offset: u16,
}

macro_rules! header {
    ($s:expr) => {
        Header {
            hamming_code: $s.hamming_code,
            application_version: $s.application_version,
            ert_type: $s.ert_type,
            serial: $s.serial,
            interval_count: $s.interval_count,
            programming_state: $s.programming_state,
            tamper_counters: $s.tamper_counters,
            tx_time_offset: $s.tx_time_offset,
        }
    };
}

fn put_header(o: &mut [u8], h: &Header) {
    put_bytes(o, 0, &field::SYNC);
    put_bytes(
        o,
        2,
        &[
            field::PACKET_TYPE,
            field::PACKET_LENGTH,
            h.hamming_code,
            h.application_version,
            h.ert_type,
        ],
    );
    put_bytes(o, 7, &h.serial.to_be_bytes());
    put_bytes(o, 11, &[h.interval_count, h.programming_state]);
    put_bytes(o, field::TAMPER.start, &h.tamper_counters);
    put_bytes(o, 84, &h.tx_time_offset.to_be_bytes());
}

fn put_crcs(o: &mut [u8]) {
    let s = CRC16_GENIBUS.checksum(o.get(field::SERIAL).unwrap_or(&[]));
    put_bytes(o, 86, &s.to_be_bytes());
    let p = CRC16_GENIBUS.checksum(o.get(field::PACKET_CHECKED).unwrap_or(&[]));
    put_bytes(o, 88, &p.to_be_bytes());
}

fn put_intervals(
    o: &mut [u8],
    (pos, _, width): (usize, usize, u32),
    vals: &[u16],
) -> Result<(), EncodeError> {
    let mut p = pos;
    for &v in vals {
        crate::bits::fits(
            "intervals",
            v.into(),
            width,
            "value wider than the interval field",
        )?;
        set_bits(o, p, width, v.into());
        p = p.wrapping_add(width as usize);
    }
    Ok(())
}

/// A field checked against its width before encoding: name, value, bits, reason.
type Width = (&'static str, u32, u32, &'static str);

/// The encoding both forms share: checks the padding (value, `(first bit, width)`,
/// reason) and then `widths`, zeroes the 90 bytes, writes the header, `body` (the
/// form's own fields and intervals), the padding bits and both CRCs.
fn encode_idm(
    out: &mut [u8],
    (padding, (pos, bits), reason): (u8, (usize, u32), &'static str),
    widths: &[Width],
    h: &Header,
    body: impl FnOnce(&mut [u8]) -> Result<(), EncodeError>,
) -> Result<usize, EncodeError> {
    crate::bits::fits("padding", padding.into(), bits, reason)?;
    for &(name, v, n, why) in widths {
        crate::bits::fits(name, v, n, why)?;
    }
    let o = crate::bits::out_zeroed(out, field::LEN)?;
    put_header(o, h);
    body(o)?;
    set_bits(o, pos, bits, padding.into());
    put_crcs(o);
    Ok(field::LEN)
}

impl Encode for IdmRepr {
    fn encoded_len(&self) -> usize {
        field::LEN
    }
    fn encode(&self, out: &mut [u8]) -> Result<usize, EncodeError> {
        let padding = (self.padding, field::IDM_PADDING, "1 bit");
        encode_idm(out, padding, &[], &header!(self), |o| {
            put_bytes(o, 19, &self.async_counters.to_be_bytes());
            put_bytes(o, field::POWER_OUTAGE.start, &self.power_outage_flags);
            put_bytes(o, 27, &self.last_consumption.to_be_bytes());
            put_intervals(o, field::IDM_INTERVALS, &self.intervals)
        })
    }
}

impl Encode for NetIdmRepr {
    fn encoded_len(&self) -> usize {
        field::LEN
    }
    fn encode(&self, out: &mut [u8]) -> Result<usize, EncodeError> {
        const NAME: &str = "last_consumption/last_generation";
        let widths = [
            (NAME, self.last_consumption, 24, "at most 24 bits"),
            (NAME, self.last_generation, 24, "at most 24 bits"),
        ];
        let padding = (self.padding, field::NETIDM_PADDING, "6 bits");
        encode_idm(out, padding, &widths, &header!(self), |o| {
            put_bytes(o, field::NET_UNKNOWN_1.start, &self.unknown_1);
            set_bits(o, 23 * 8, 24, self.last_consumption);
            set_bits(o, 26 * 8, 24, self.last_generation);
            put_bytes(o, field::NET_UNKNOWN_2.start, &self.unknown_2);
            put_bytes(o, 32, &self.last_consumption_net.to_be_bytes());
            put_intervals(o, field::NETIDM_INTERVALS, &self.intervals)
        })
    }
}
