//! Push layouts: what each value of a positional push (a value list without
//! OBIS codes) is, and the scaler/unit of registers whose push carries no
//! `scaler_unit`.
//!
//! A layout is the meter's push setup `push_object_list` (IEC 62056-6-2 §4.4.8,
//! class 40 attribute 2: capture objects of class id, logical name and
//! attribute index) plus, per register, the scaler and unit of its class 3
//! `scaler_unit` attribute (which customer-interface pushes leave out).

use meterwire_core::{Obis, Unit};

use crate::axdr::Data;

/// COSEM interface class ids used in the shipped layouts.
pub mod class {
    /// Data (class 1).
    pub const DATA: u16 = 1;
    /// Register (class 3).
    pub const REGISTER: u16 = 3;
    /// Clock (class 8).
    pub const CLOCK: u16 = 8;
    /// Push setup (class 40).
    pub const PUSH_SETUP: u16 = 40;
}

/// One capture object of a push, with the scaler and unit of its value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Capture {
    /// COSEM interface class id.
    pub class_id: u16,
    /// Logical name.
    pub obis: Obis,
    /// Attribute index (2 = value).
    pub attribute: i8,
    /// Decimal scaler: the value is `raw × 10^scaler` in `unit`.
    pub scaler: i8,
    /// The unit, `None` for counts, text and identifiers.
    pub unit: Option<Unit>,
}

impl Capture {
    /// A register's value (class 3, attribute 2) with its scaler and unit.
    pub const fn register(obis: Obis, scaler: i8, unit: Unit) -> Self {
        Capture {
            class_id: class::REGISTER,
            obis,
            attribute: 2,
            scaler,
            unit: Some(unit),
        }
    }
    /// A data object's value (class 1, attribute 2): identifiers, texts.
    pub const fn data(obis: Obis) -> Self {
        Capture {
            class_id: class::DATA,
            obis,
            attribute: 2,
            scaler: 0,
            unit: None,
        }
    }
    /// A clock's time (class 8, attribute 2).
    pub const fn clock(obis: Obis) -> Self {
        Capture {
            class_id: class::CLOCK,
            obis,
            attribute: 2,
            scaler: 0,
            unit: None,
        }
    }
    /// The same capture with a scaler and unit.
    pub const fn with_scaler_unit(self, scaler: i8, unit: Unit) -> Self {
        Capture {
            scaler,
            unit: Some(unit),
            ..self
        }
    }

    /// A capture object as a push setup's `push_object_list` sends it:
    /// `structure { class_id long-unsigned, logical_name octet-string(6),
    /// attribute_index integer, data_index long-unsigned }` (scaler 0, no unit;
    /// add them with [`Capture::with_scaler_unit`]).
    pub fn from_capture_object(d: &Data<'_>) -> Option<Self> {
        let Data::Structure(s) = d else {
            return None;
        };
        let mut it = s.iter();
        let (
            Some(Data::LongUnsigned(class_id)),
            Some(Data::OctetString(ln)),
            Some(Data::Integer(attribute)),
        ) = (it.next(), it.next(), it.next())
        else {
            return None;
        };
        Some(Capture {
            class_id,
            obis: Obis::from_bytes(ln)?,
            attribute,
            scaler: 0,
            unit: None,
        })
    }
}

/// The layout of one push list: its capture objects in push order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PushLayout<'l> {
    /// A short stable name (`"kaifa-kfm_001"`).
    pub name: &'l str,
    /// The list identifier the push carries (`"KFM_001"`), if any.
    pub list_id: Option<&'l str>,
    /// The FLAG manufacturer id of the meters that send it (`"KFM"`), if known.
    pub manufacturer: Option<&'l str>,
    /// The public source of the layout.
    pub source: &'l str,
    /// The capture objects, in push order. A push may send a prefix of them
    /// (the Kaifa MA304 list 2 is the first 13 objects of list 3).
    pub captures: &'l [Capture],
}

impl<'l> PushLayout<'l> {
    /// A layout built by the caller (e.g. from the meter's `push_object_list`).
    pub const fn new(name: &'l str, captures: &'l [Capture]) -> Self {
        PushLayout {
            name,
            list_id: None,
            manufacturer: None,
            source: "",
            captures,
        }
    }

    /// The capture for `obis`: exact, or else equal but for group B (the
    /// channel, which Kaifa writes as 0 in Sweden and 1 in Norway).
    pub fn find(&self, obis: Obis) -> Option<&'l Capture> {
        let caps: &'l [Capture] = self.captures;
        caps.iter().find(|c| c.obis == obis).or_else(|| {
            caps.iter()
                .find(|c| c.obis.with_ab(c.obis.a(), 0) == obis.with_ab(obis.a(), 0))
        })
    }
}

const fn o(a: u8, b: u8, c: u8, d: u8, e: u8) -> Obis {
    Obis::new(a, b, c, d, e, 255)
}

/// The Norwegian HAN list 3 (NVE) after the meter's identifier objects (`ids`, class 1):
/// active and reactive power import/export, L1-L3 currents and voltages, the clock,
/// then active and reactive energy import/export; registers on group B `channel`,
/// with the vendor's scalers (power always 0).
macro_rules! nve_list_3 {
    (
        ids: [$($id:expr),*],
        channel: $b:expr,
        clock: $clock:expr,
        scalers: { current: $i:expr, voltage: $v:expr, energy: $e:expr $(,)? } $(,)?
    ) => {
        &[
            $(Capture::data($id),)*
            Capture::register(o(1, $b, 1, 7, 0), 0, Unit::WATT),
            Capture::register(o(1, $b, 2, 7, 0), 0, Unit::WATT),
            Capture::register(o(1, $b, 3, 7, 0), 0, Unit::VAR),
            Capture::register(o(1, $b, 4, 7, 0), 0, Unit::VAR),
            Capture::register(o(1, $b, 31, 7, 0), $i, Unit::AMPERE),
            Capture::register(o(1, $b, 51, 7, 0), $i, Unit::AMPERE),
            Capture::register(o(1, $b, 71, 7, 0), $i, Unit::AMPERE),
            Capture::register(o(1, $b, 32, 7, 0), $v, Unit::VOLT),
            Capture::register(o(1, $b, 52, 7, 0), $v, Unit::VOLT),
            Capture::register(o(1, $b, 72, 7, 0), $v, Unit::VOLT),
            Capture::clock($clock),
            Capture::register(o(1, $b, 1, 8, 0), $e, Unit::WATT_HOUR),
            Capture::register(o(1, $b, 2, 8, 0), $e, Unit::WATT_HOUR),
            Capture::register(o(1, $b, 3, 8, 0), $e, Unit::VAR_HOUR),
            Capture::register(o(1, $b, 4, 8, 0), $e, Unit::VAR_HOUR),
        ]
    };
}

/// Kaifa MA304H3E/H4 (Norway, Sweden), list identifier `KFM_001`: lists 2 (the
/// first 13 objects) and 3 (all 18), and the OBIS-carrying Swedish list.
pub static KAIFA_KFM_001: PushLayout<'static> = PushLayout {
    name: "kaifa-kfm_001",
    list_id: Some("KFM_001"),
    manufacturer: Some("KFM"),
    source: "NEK/NVE \"Kaifa HAN OBIS codes KFM_001\" (nek.no/wp-content/uploads/2018/11/Kaifa-KFM_001.pdf); \
scalers as in toreamun/amshan han/kaifa.py (_FIELD_SCALING)",
    captures: nve_list_3!(
        ids: [o(1, 1, 0, 2, 129), o(0, 0, 96, 1, 0), o(0, 0, 96, 1, 7)],
        channel: 0,
        clock: o(0, 0, 1, 0, 0),
        scalers: { current: -3, voltage: -1, energy: 0 },
    ),
};

/// Kaifa MA304 list 1 (Norway): a structure holding only the active power
/// import, sent every 2 s without a list identifier (selected by that shape).
pub static KAIFA_LIST_1: PushLayout<'static> = PushLayout {
    name: "kaifa-list1",
    list_id: None,
    manufacturer: Some("KFM"),
    source: "NEK/NVE \"Kaifa HAN OBIS codes KFM_001\" list 1; toreamun/amshan tests/test_kaifa.py no_list_1",
    captures: &[Capture::register(o(1, 0, 1, 7, 0), 0, Unit::WATT)],
};

/// Kamstrup Omnipower (Norway, Sweden), list identifier `Kamstrup_V0001`: the
/// push carries OBIS codes but no scaler/unit; this gives them.
pub static KAMSTRUP_V0001: PushLayout<'static> = PushLayout {
    name: "kamstrup-v0001",
    list_id: Some("Kamstrup_V0001"),
    manufacturer: Some("KAM"),
    source: "NEK/NVE \"Kamstrup HAN-NVE interface description\" (OBIS list, units); scalers as in \
toreamun/amshan han/kamstrup.py (_field_scaling_standard: current 0.01 A, energy 10 Wh/varh)",
    captures: nve_list_3!(
        ids: [o(1, 1, 0, 0, 5), o(1, 1, 96, 1, 1)],
        channel: 1,
        clock: o(0, 1, 1, 0, 0),
        scalers: { current: -2, voltage: 0, energy: 1 },
    ),
};

/// Every shipped layout.
pub static SHIPPED: &[&PushLayout<'static>] = &[&KAIFA_KFM_001, &KAIFA_LIST_1, &KAMSTRUP_V0001];

/// The shipped layout for a list identifier.
pub fn by_list_id(id: &str) -> Option<&'static PushLayout<'static>> {
    SHIPPED.iter().copied().find(|l| l.list_id == Some(id))
}

/// The FLAG manufacturer id of a system title (its first three bytes, upper-case letters).
pub fn manufacturer(system_title: &[u8; 8]) -> Option<&str> {
    let m = system_title.get(..3)?;
    if m.iter().all(u8::is_ascii_uppercase) {
        core::str::from_utf8(m).ok()
    } else {
        None
    }
}
