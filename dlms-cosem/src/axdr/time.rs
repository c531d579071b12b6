//! COSEM date, time and date-time (Blue Book 4.1.6.1: 5, 4 and 12 octets; 0xFF /
//! 0xFFFF / 0x8000 mean "not specified").

/// A COSEM date (5 bytes): 0xFFFF / 0xFF mean "not specified".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "fuzzing", derive(arbitrary::Arbitrary))]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Date {
    /// Year, 0xFFFF = not specified.
    pub year: u16,
    /// Month 1..=12; 0xFD daylight savings end, 0xFE begin, 0xFF not specified.
    pub month: u8,
    /// Day of month 1..=31; 0xFD second last, 0xFE last day, 0xFF not specified.
    pub day: u8,
    /// Day of week 1 (Monday)..=7, 0xFF not specified.
    pub weekday: u8,
}

/// A COSEM time (4 bytes): 0xFF means "not specified".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "fuzzing", derive(arbitrary::Arbitrary))]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Time {
    /// Hour 0..=23.
    pub hour: u8,
    /// Minute 0..=59.
    pub minute: u8,
    /// Second 0..=59.
    pub second: u8,
    /// Hundredths 0..=99.
    pub hundredths: u8,
}

/// A COSEM date-time (12 bytes).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "fuzzing", derive(arbitrary::Arbitrary))]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct DateTime {
    /// The date part.
    pub date: Date,
    /// The time part.
    pub time: Time,
    /// Deviation in minutes (local time to UTC, as sent: UTC = local + deviation);
    /// 0x8000 (`i16::MIN`) = not specified.
    pub deviation: i16,
    /// Clock status bits (0x80 daylight saving active, 0x01 invalid, ...); 0xFF = not specified.
    pub clock_status: u8,
}

const NS8: u8 = 0xFF;

impl Date {
    /// Reads 5 bytes.
    pub fn from_bytes(b: [u8; 5]) -> Self {
        let [y0, y1, month, day, weekday] = b;
        Date {
            year: u16::from_be_bytes([y0, y1]),
            month,
            day,
            weekday,
        }
    }
    /// The 5 bytes.
    pub fn to_bytes(self) -> [u8; 5] {
        let [y0, y1] = self.year.to_be_bytes();
        [y0, y1, self.month, self.day, self.weekday]
    }
    /// Year, if specified.
    pub fn year(self) -> Option<u16> {
        (self.year != 0xFFFF).then_some(self.year)
    }
    /// Month 1..=12, if a plain month.
    pub fn month(self) -> Option<u8> {
        (1..=12).contains(&self.month).then_some(self.month)
    }
    /// Day 1..=31, if a plain day.
    pub fn day(self) -> Option<u8> {
        (1..=31).contains(&self.day).then_some(self.day)
    }
}

impl Time {
    /// Reads 4 bytes.
    pub fn from_bytes(b: [u8; 4]) -> Self {
        let [hour, minute, second, hundredths] = b;
        Time {
            hour,
            minute,
            second,
            hundredths,
        }
    }
    /// The 4 bytes.
    pub fn to_bytes(self) -> [u8; 4] {
        [self.hour, self.minute, self.second, self.hundredths]
    }
}

impl DateTime {
    /// Reads 12 bytes.
    pub fn from_bytes(b: [u8; 12]) -> Self {
        let [y0, y1, mo, d, wd, h, mi, s, hu, d0, d1, st] = b;
        DateTime {
            date: Date::from_bytes([y0, y1, mo, d, wd]),
            time: Time::from_bytes([h, mi, s, hu]),
            deviation: i16::from_be_bytes([d0, d1]),
            clock_status: st,
        }
    }
    /// The 12 bytes.
    pub fn to_bytes(self) -> [u8; 12] {
        let [y0, y1, mo, d, wd] = self.date.to_bytes();
        let [h, mi, s, hu] = self.time.to_bytes();
        let [d0, d1] = self.deviation.to_be_bytes();
        [y0, y1, mo, d, wd, h, mi, s, hu, d0, d1, self.clock_status]
    }
    /// From a 12-byte octet string (meters often send date-times so), if it looks like one:
    /// month, day, hour, minute, second in range or "not specified".
    pub fn from_octets(b: &[u8]) -> Option<Self> {
        let arr: [u8; 12] = b.try_into().ok()?;
        let dt = DateTime::from_bytes(arr);
        let ok = |v: u8, max: u8| v <= max || v == NS8;
        let plausible = (ok(dt.date.month, 12) || dt.date.month >= 0xFD)
            && (ok(dt.date.day, 31) || dt.date.day >= 0xFD)
            && ok(dt.date.weekday, 7)
            && ok(dt.time.hour, 23)
            && ok(dt.time.minute, 59)
            && ok(dt.time.second, 59)
            && ok(dt.time.hundredths, 99)
            && (dt.deviation == i16::MIN || (-840..=840).contains(&dt.deviation));
        plausible.then_some(dt)
    }
    /// Deviation in minutes, if specified.
    pub fn deviation(self) -> Option<i16> {
        (self.deviation != i16::MIN).then_some(self.deviation)
    }
}

fn two(f: &mut core::fmt::Formatter<'_>, v: u8, max: u8) -> core::fmt::Result {
    if v <= max {
        write!(f, "{v:02}")
    } else {
        f.write_str("XX")
    }
}

/// ISO-8601 form; unspecified fields print as `XX` (`XXXX` for the year).
impl core::fmt::Display for Date {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self.year() {
            Some(y) => write!(f, "{y:04}-")?,
            None => f.write_str("XXXX-")?,
        }
        two(f, self.month, 12)?;
        f.write_str("-")?;
        two(f, self.day, 31)
    }
}

/// `hh:mm:ss[.hh]`; unspecified fields print as `XX`.
impl core::fmt::Display for Time {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        two(f, self.hour, 23)?;
        f.write_str(":")?;
        two(f, self.minute, 59)?;
        f.write_str(":")?;
        two(f, self.second, 59)?;
        if self.hundredths <= 99 && self.hundredths != 0 {
            write!(f, ".{:02}", self.hundredths)?;
        }
        Ok(())
    }
}

/// `date T time [offset]`; the ISO offset is the negated DLMS deviation.
impl core::fmt::Display for DateTime {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "{}T{}", self.date, self.time)?;
        if let Some(d) = self.deviation() {
            let off = i32::from(d).saturating_neg();
            let sign = if off < 0 { '-' } else { '+' };
            let a = off.unsigned_abs();
            write!(f, "{sign}{:02}:{:02}", a / 60, a % 60)?;
        }
        Ok(())
    }
}
