//! Calendar dates (`2025-10-22`) without a date library: the site needs only validity,
//! ordering and display, and the wasm stays small.

use std::fmt;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    pub year: i32,
    pub month: u8,
    pub day: u8,
}

impl Date {
    pub fn new(year: i32, month: u8, day: u8) -> Option<Self> {
        ((1..=12).contains(&month) && day >= 1 && day <= days_in_month(year, month))
            .then_some(Self { year, month, day })
    }

    /// Parses the ISO form `YYYY-MM-DD`, and only a real day (no 31 June, no 29 February 2026).
    pub fn parse_iso(text: &str) -> Option<Self> {
        let bytes = text.as_bytes();
        if bytes.len() != 10 || bytes[4] != b'-' || bytes[7] != b'-' {
            return None;
        }
        let digits = |r: std::ops::Range<usize>| text[r].bytes().all(|b| b.is_ascii_digit());
        if !(digits(0..4) && digits(5..7) && digits(8..10)) {
            return None;
        }
        Self::new(
            text[0..4].parse().ok()?,
            text[5..7].parse().ok()?,
            text[8..10].parse().ok()?,
        )
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

pub fn is_leap_year(year: i32) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

pub fn days_in_month(year: i32, month: u8) -> u8 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap_year(year) => 29,
        2 => 28,
        _ => 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_real_days_only() {
        assert_eq!(Date::parse_iso("2025-10-22"), Date::new(2025, 10, 22));
        assert!(Date::parse_iso("2024-02-29").is_some());
        for bad in [
            "2026-02-29",
            "2025-06-31",
            "2025-13-01",
            "2025-00-10",
            "2025-1-01",
            "22/10/2025",
            "2025-10-22T10:00",
            "",
        ] {
            assert_eq!(Date::parse_iso(bad), None, "{bad}");
        }
        assert!(!is_leap_year(1900) && is_leap_year(2000));
        assert_eq!(Date::new(2025, 1, 2).unwrap().to_string(), "2025-01-02");
    }
}
