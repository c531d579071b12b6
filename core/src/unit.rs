//! DLMS/COSEM units: the `unit` enumeration of the class 3 register's
//! `scaler_unit` (IEC 62056-6-2, the "Blue Book" unit table), with symbols.
//!
//! The table (codes 1-72, 128-174, 254, 255) follows the Blue Book; the code
//! list agrees with the enumeration of gurux-dlms 1.0.203 (PyPI, `enums/Unit.py`).
//!
//! ```
//! use meterwire_core::Unit;
//! assert_eq!(Unit::WATT_HOUR.symbol(), Some("Wh"));
//! assert_eq!(Unit::from_symbol("kWh"), Some((Unit::WATT_HOUR, 3)));
//! assert_eq!(Unit::from_symbol("m3"), Some((Unit::CUBIC_METRE, 0)));
//! ```

use core::fmt;

/// A DLMS unit code. Unknown codes are kept (`symbol()` is then `None`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[repr(transparent)]
pub struct Unit(pub u8);

macro_rules! units {
    ($($code:literal $name:ident $sym:literal $desc:literal;)*) => {
        impl Unit {
            $(
                #[doc = $desc]
                pub const $name: Unit = Unit($code);
            )*

            /// The unit's symbol (`"Wh"`, `"m³"`), `None` for unassigned codes.
            pub const fn symbol(self) -> Option<&'static str> {
                match self.0 {
                    $($code => Some($sym),)*
                    _ => None,
                }
            }

            /// What the unit measures (`"active energy"`), `None` for unassigned codes.
            pub const fn quantity(self) -> Option<&'static str> {
                match self.0 {
                    $($code => Some($desc),)*
                    _ => None,
                }
            }
        }
    };
}

units! {
    1 YEAR "a" "time, year";
    2 MONTH "mo" "time, month";
    3 WEEK "wk" "time, week";
    4 DAY "d" "time, day";
    5 HOUR "h" "time, hour";
    6 MINUTE "min" "time, minute";
    7 SECOND "s" "time, second";
    8 DEGREE "°" "phase angle";
    9 DEGREE_CELSIUS "°C" "temperature";
    10 CURRENCY "currency" "local currency";
    11 METRE "m" "length";
    12 METRE_PER_SECOND "m/s" "speed";
    13 CUBIC_METRE "m³" "volume";
    14 CUBIC_METRE_CORRECTED "m³" "corrected volume";
    15 CUBIC_METRE_PER_HOUR "m³/h" "volume flux";
    16 CUBIC_METRE_PER_HOUR_CORRECTED "m³/h" "corrected volume flux";
    17 CUBIC_METRE_PER_DAY "m³/d" "volume flux per day";
    18 CUBIC_METRE_PER_DAY_CORRECTED "m³/d" "corrected volume flux per day";
    19 LITRE "l" "volume, litre";
    20 KILOGRAM "kg" "mass";
    21 NEWTON "N" "force";
    22 NEWTON_METRE "Nm" "energy, newton metre";
    23 PASCAL "Pa" "pressure";
    24 BAR "bar" "pressure, bar";
    25 JOULE "J" "energy, joule";
    26 JOULE_PER_HOUR "J/h" "thermal power";
    27 WATT "W" "active power";
    28 VOLT_AMPERE "VA" "apparent power";
    29 VAR "var" "reactive power";
    30 WATT_HOUR "Wh" "active energy";
    31 VOLT_AMPERE_HOUR "VAh" "apparent energy";
    32 VAR_HOUR "varh" "reactive energy";
    33 AMPERE "A" "current";
    34 COULOMB "C" "electrical charge";
    35 VOLT "V" "voltage";
    36 VOLT_PER_METRE "V/m" "electrical field strength";
    37 FARAD "F" "capacity";
    38 OHM "Ω" "resistance";
    39 OHM_SQUARE_METRE_PER_METRE "Ωm²/m" "resistivity";
    40 WEBER "Wb" "magnetic flux";
    41 TESLA "T" "magnetic flux density";
    42 AMPERE_PER_METRE "A/m" "magnetic field strength";
    43 HENRY "H" "inductance";
    44 HERTZ "Hz" "frequency";
    45 PER_WATT_HOUR "1/(Wh)" "active energy meter constant";
    46 PER_VAR_HOUR "1/(varh)" "reactive energy meter constant";
    47 PER_VOLT_AMPERE_HOUR "1/(VAh)" "apparent energy meter constant";
    48 VOLT_SQUARED_HOUR "V²h" "volt-squared hour";
    49 AMPERE_SQUARED_HOUR "A²h" "ampere-squared hour";
    50 KILOGRAM_PER_SECOND "kg/s" "mass flux";
    51 SIEMENS "S" "conductance";
    52 KELVIN "K" "temperature, kelvin";
    53 PER_VOLT_SQUARED_HOUR "1/(V²h)" "volt-squared hour meter constant";
    54 PER_AMPERE_SQUARED_HOUR "1/(A²h)" "ampere-squared hour meter constant";
    55 PER_CUBIC_METRE "1/m³" "volume meter constant";
    56 PERCENT "%" "percentage";
    57 AMPERE_HOUR "Ah" "ampere hour";
    60 WATT_HOUR_PER_CUBIC_METRE "Wh/m³" "energy per volume";
    61 JOULE_PER_CUBIC_METRE "J/m³" "calorific value, wobbe";
    62 MOLE_PERCENT "Mol %" "molar fraction";
    63 GRAM_PER_CUBIC_METRE "g/m³" "mass density";
    64 PASCAL_SECOND "Pa s" "dynamic viscosity";
    65 JOULE_PER_KILOGRAM "J/kg" "specific energy";
    66 GRAM_PER_SQUARE_CENTIMETRE "g/cm²" "pressure, gram per square centimetre";
    67 ATMOSPHERE "atm" "pressure, atmosphere";
    70 DBM "dBm" "signal strength, dB milliwatt";
    71 DB_MICROVOLT "dbµV" "signal strength, dB microvolt";
    72 DB "dB" "logarithmic unit";
    128 INCH "in" "length, inch";
    129 FOOT "ft" "length, foot";
    130 POUND "lb" "mass, pound";
    131 DEGREE_FAHRENHEIT "°F" "temperature, fahrenheit";
    132 DEGREE_RANKINE "°R" "temperature, rankine";
    133 SQUARE_INCH "sq in" "area, square inch";
    134 SQUARE_FOOT "sq ft" "area, square foot";
    135 ACRE "ac" "area, acre";
    136 CUBIC_INCH "cu in" "volume, cubic inch";
    137 CUBIC_FOOT "cu ft" "volume, cubic foot";
    138 ACRE_FOOT "ac-ft" "volume, acre-foot";
    139 GALLON_IMPERIAL "gal (imp)" "volume, imperial gallon";
    140 GALLON_US "gal (US)" "volume, US gallon";
    141 POUND_FORCE "lbf" "force, pound force";
    142 POUND_FORCE_PER_SQUARE_INCH "psi" "pressure, pound force per square inch";
    143 POUND_PER_CUBIC_FOOT "lb/cu ft" "density, pound per cubic foot";
    144 POUND_PER_FOOT_SECOND "lb/(ft s)" "dynamic viscosity, pound per foot second";
    145 SQUARE_FOOT_PER_SECOND "sq ft/s" "kinematic viscosity";
    146 BTU "BTU" "energy, british thermal unit";
    147 THERM_EU "thm (EU)" "energy, therm EU";
    148 THERM_US "thm (US)" "energy, therm US";
    149 BTU_PER_POUND "BTU/lb" "specific energy, BTU per pound";
    150 BTU_PER_CUBIC_FOOT "BTU/cu ft" "calorific value, BTU per cubic foot";
    151 CUBIC_FEET "cu ft" "volume, cubic feet";
    152 FOOT_PER_SECOND "ft/s" "speed, foot per second";
    153 CUBIC_FOOT_PER_SECOND "cu ft/s" "volume flux, cubic foot per second";
    154 CUBIC_FOOT_PER_MINUTE "cu ft/min" "volume flux, cubic foot per minute";
    155 CUBIC_FOOT_PER_HOUR "cu ft/h" "volume flux, cubic foot per hour";
    156 CUBIC_FOOT_PER_DAY "cu ft/d" "volume flux, cubic foot per day";
    157 ACRE_FOOT_PER_SECOND "ac-ft/s" "volume flux, acre-foot per second";
    158 ACRE_FOOT_PER_MINUTE "ac-ft/min" "volume flux, acre-foot per minute";
    159 ACRE_FOOT_PER_HOUR "ac-ft/h" "volume flux, acre-foot per hour";
    160 ACRE_FOOT_PER_DAY "ac-ft/d" "volume flux, acre-foot per day";
    161 IMPERIAL_GALLON "imp gal" "volume, imperial gallon";
    162 IMPERIAL_GALLON_PER_SECOND "imp gal/s" "volume flux, imperial gallon per second";
    163 IMPERIAL_GALLON_PER_MINUTE "imp gal/min" "volume flux, imperial gallon per minute";
    164 IMPERIAL_GALLON_PER_HOUR "imp gal/h" "volume flux, imperial gallon per hour";
    165 IMPERIAL_GALLON_PER_DAY "imp gal/d" "volume flux, imperial gallon per day";
    166 US_GALLON "US gal" "volume, US gallon";
    167 US_GALLON_PER_SECOND "US gal/s" "volume flux, US gallon per second";
    168 US_GALLON_PER_MINUTE "US gal/min" "volume flux, US gallon per minute";
    169 US_GALLON_PER_HOUR "US gal/h" "volume flux, US gallon per hour";
    170 US_GALLON_PER_DAY "US gal/d" "volume flux, US gallon per day";
    171 BTU_PER_SECOND "BTU/s" "power, BTU per second";
    172 BTU_PER_MINUTE "BTU/min" "power, BTU per minute";
    173 BTU_PER_HOUR "BTU/h" "power, BTU per hour";
    174 BTU_PER_DAY "BTU/d" "power, BTU per day";
    254 OTHER "other" "other unit";
    255 COUNT "" "no unit, unitless, count";
}

impl Unit {
    /// The unit and decimal exponent of a unit written as text in IEC 62056-21
    /// data sets and DSMR P1 lines (`kWh` is `Wh` with exponent 3, `m3` is
    /// `m³`). Case-insensitive for the prefixed electrical units, as meters send
    /// `kwh` and `v` (node-dsmr-parser's lower-case DSMR 5 example). `None` for
    /// text that names no DLMS unit.
    pub fn from_symbol(text: &str) -> Option<(Unit, i8)> {
        let t = text.trim();
        // exact, case-sensitive symbols first (where case matters: "m" metre vs "M" mega)
        let exact = match t {
            "s" => Some(Unit::SECOND),
            "min" => Some(Unit::MINUTE),
            "h" => Some(Unit::HOUR),
            "d" => Some(Unit::DAY),
            "m3" | "m³" => Some(Unit::CUBIC_METRE),
            "Nm3" | "Nm³" => Some(Unit::CUBIC_METRE_CORRECTED),
            "m3/h" | "m³/h" => Some(Unit::CUBIC_METRE_PER_HOUR),
            "l" | "L" => Some(Unit::LITRE),
            "°C" | "C" | "degC" => Some(Unit::DEGREE_CELSIUS),
            "K" => Some(Unit::KELVIN),
            "%" => Some(Unit::PERCENT),
            "bar" => Some(Unit::BAR),
            "Pa" => Some(Unit::PASCAL),
            _ => None,
        };
        if let Some(u) = exact {
            return Some((u, 0));
        }
        let lower_eq = |a: &str, b: &str| a.eq_ignore_ascii_case(b);
        let bases: [(&str, Unit); 12] = [
            ("wh", Unit::WATT_HOUR),
            ("w", Unit::WATT),
            ("varh", Unit::VAR_HOUR),
            ("var", Unit::VAR),
            ("vah", Unit::VOLT_AMPERE_HOUR),
            ("va", Unit::VOLT_AMPERE),
            ("v", Unit::VOLT),
            ("a", Unit::AMPERE),
            ("hz", Unit::HERTZ),
            ("j", Unit::JOULE),
            ("ah", Unit::AMPERE_HOUR),
            ("j/h", Unit::JOULE_PER_HOUR),
        ];
        for (sym, unit) in bases {
            if lower_eq(t, sym) {
                return Some((unit, 0));
            }
        }
        let mut chars = t.chars();
        let prefix = chars.next()?;
        let rest = chars.as_str();
        let exp = match prefix {
            'k' | 'K' => 3,
            'M' => 6,
            'G' => 9,
            'm' => -3,
            _ => return None,
        };
        for (sym, unit) in bases {
            if lower_eq(rest, sym) {
                return Some((unit, exp));
            }
        }
        if prefix == 'k' || prefix == 'K' {
            if rest == "g" {
                return Some((Unit::KILOGRAM, 0));
            }
            if rest.eq_ignore_ascii_case("varh") {
                return Some((Unit::VAR_HOUR, 3));
            }
        }
        None
    }
}

impl fmt::Display for Unit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.symbol() {
            Some(s) => f.write_str(s),
            None => write!(f, "unit({})", self.0),
        }
    }
}

#[cfg(feature = "serde")]
impl serde::Serialize for Unit {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_and_text_units() {
        assert_eq!(Unit(30).symbol(), Some("Wh"));
        assert_eq!(Unit(27).symbol(), Some("W"));
        assert_eq!(Unit(13).symbol(), Some("m³"));
        assert_eq!(Unit(58).symbol(), None);
        assert_eq!(Unit(255).symbol(), Some(""));
        assert_eq!(Unit::from_symbol("kW"), Some((Unit::WATT, 3)));
        assert_eq!(Unit::from_symbol("kwh"), Some((Unit::WATT_HOUR, 3)));
        assert_eq!(Unit::from_symbol("kvarh"), Some((Unit::VAR_HOUR, 3)));
        assert_eq!(Unit::from_symbol("kVArh"), Some((Unit::VAR_HOUR, 3)));
        assert_eq!(Unit::from_symbol("kVA"), Some((Unit::VOLT_AMPERE, 3)));
        assert_eq!(Unit::from_symbol("GJ"), Some((Unit::JOULE, 9)));
        assert_eq!(Unit::from_symbol("V"), Some((Unit::VOLT, 0)));
        assert_eq!(Unit::from_symbol("kV"), Some((Unit::VOLT, 3)));
        assert_eq!(Unit::from_symbol("A"), Some((Unit::AMPERE, 0)));
        assert_eq!(Unit::from_symbol("kHz"), Some((Unit::HERTZ, 3)));
        assert_eq!(Unit::from_symbol("s"), Some((Unit::SECOND, 0)));
        assert_eq!(Unit::from_symbol("m3"), Some((Unit::CUBIC_METRE, 0)));
        assert_eq!(Unit::from_symbol("h"), Some((Unit::HOUR, 0)));
        assert_eq!(Unit::from_symbol("furlong"), None);
        assert_eq!(Unit::from_symbol(""), None);
    }
}
