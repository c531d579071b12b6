/// Units as written, their DLMS unit and the decimal exponent the parser applies
/// (shared by tests/roundtrip.rs and the p1_structured fuzz body).
const UNITS: [(&str, Unit, i8); 6] = [
    ("kWh", Unit::WATT_HOUR, 3),
    ("kW", Unit::WATT, 3),
    ("V", Unit::VOLT, 0),
    ("A", Unit::AMPERE, 0),
    ("m3", Unit::CUBIC_METRE, 0),
    ("kvarh", Unit::VAR_HOUR, 3),
];
