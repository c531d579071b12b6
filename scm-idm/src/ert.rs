//! ERT type (the low nibble of the SCM/SCM+/IDM type field) to commodity.

/// What an ERT meters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
pub enum Commodity {
    /// ERT types 4, 5, 7, 8.
    Electric,
    /// ERT types 0, 1, 2, 9, 12.
    Gas,
    /// ERT types 3, 11, 13.
    Water,
    /// Any other type.
    Unknown,
}

impl Commodity {
    /// The commodity of an ERT type; only the low nibble counts.
    pub const fn from_ert_type(ert_type: u8) -> Self {
        match ert_type & 0x0F {
            4 | 5 | 7 | 8 => Commodity::Electric,
            0 | 1 | 2 | 9 | 12 => Commodity::Gas,
            3 | 11 | 13 => Commodity::Water,
            _ => Commodity::Unknown,
        }
    }

    /// Lower-case name.
    pub const fn as_str(self) -> &'static str {
        match self {
            Commodity::Electric => "electric",
            Commodity::Gas => "gas",
            Commodity::Water => "water",
            Commodity::Unknown => "unknown",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table() {
        let e: [Commodity; 16] = core::array::from_fn(|i| Commodity::from_ert_type(i as u8));
        use Commodity::*;
        assert_eq!(
            e,
            [
                Gas, Gas, Gas, Water, Electric, Electric, Unknown, Electric, Electric, Gas,
                Unknown, Water, Gas, Water, Unknown, Unknown
            ]
        );
        assert_eq!(Commodity::from_ert_type(0x17), Electric);
    }
}
