//! Wall-clock times of day ("11:00"), as the practice and its visitors write them.

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;

/// A time of day in London, to the minute. Stored as minutes since midnight so that
/// comparisons and "ends by closing time" sums are plain integer arithmetic.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ClockTime(u16);

impl ClockTime {
    /// The time `hour:minute`, or `None` if that is not a time of day.
    pub const fn from_hm(hour: u16, minute: u16) -> Option<Self> {
        if hour < 24 && minute < 60 {
            Some(Self(hour * 60 + minute))
        } else {
            None
        }
    }

    /// The time `minutes` after midnight, wrapping past the end of the day.
    pub const fn from_minutes(minutes: u16) -> Self {
        Self(minutes % 1440)
    }

    /// 0 for midnight, up to 1439.
    pub const fn minutes_since_midnight(self) -> u16 {
        self.0
    }

    /// Parses `HH:MM` (24-hour, two digits each), the only form the content files use.
    pub fn parse(text: &str) -> Option<Self> {
        let (h, m) = text.split_once(':')?;
        if h.len() != 2 || m.len() != 2 || !h.bytes().chain(m.bytes()).all(|b| b.is_ascii_digit()) {
            return None;
        }
        Self::from_hm(h.parse().ok()?, m.parse().ok()?)
    }
}

impl fmt::Display for ClockTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:02}:{:02}", self.0 / 60, self.0 % 60)
    }
}

impl Serialize for ClockTime {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for ClockTime {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        Self::parse(&text).ok_or_else(|| {
            serde::de::Error::custom(format!("`{text}` is not a time of day like 11:00"))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_prints_24_hour_times() {
        let t = ClockTime::parse("21:59").unwrap();
        assert_eq!(t.minutes_since_midnight(), 21 * 60 + 59);
        assert_eq!(t.to_string(), "21:59");
        assert_eq!(ClockTime::parse("00:00").unwrap().to_string(), "00:00");
    }

    #[test]
    fn rejects_what_is_not_a_time_of_day() {
        for bad in [
            "24:00", "11:60", "9:00", "11.00", "", "11:00:00", "ab:cd", "+9:00", "12:+5",
        ] {
            assert_eq!(ClockTime::parse(bad), None, "{bad}");
        }
    }
}
