//! Calendar dates (`2025-10-22`) without a date library: the site needs only validity,
//! ordering and display, and the wasm stays small.

use std::fmt;

/// A date in the proleptic Gregorian calendar, ordered by time.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    /// The year, e.g. `2025`.
    pub year: i32,
    /// 1 to 12.
    pub month: u8,
    /// 1 to the month's last day.
    pub day: u8,
}

impl Date {
    /// The date, or `None` if there is no such day (`2025-02-29`).
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

impl Date {
    /// Days since 1970-01-01 (negative before), by Howard Hinnant's civil-days algorithm.
    pub fn days_since_epoch(self) -> i64 {
        let y = i64::from(self.year) - i64::from(self.month <= 2);
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let m = i64::from(self.month);
        let doy = (153 * (m + if m > 2 { -3 } else { 9 }) + 2) / 5 + i64::from(self.day) - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146_097 + doe - 719_468
    }

    /// The date `days` after 1970-01-01.
    pub fn from_days_since_epoch(days: i64) -> Self {
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = (doy - (153 * mp + 2) / 5 + 1) as u8;
        let month = if mp < 10 { mp + 3 } else { mp - 9 } as u8;
        let year = (yoe + era * 400 + i64::from(month <= 2)) as i32;
        Self { year, month, day }
    }

    /// 0 = Monday ... 6 = Sunday.
    pub fn weekday(self) -> u8 {
        (self.days_since_epoch() + 3).rem_euclid(7) as u8
    }

    /// The last Sunday of a month: when UK clocks change (March and October).
    pub fn last_sunday(year: i32, month: u8) -> Self {
        let last = Self {
            year,
            month,
            day: days_in_month(year, month),
        };
        let back = (last.weekday() + 1) % 7;
        Self {
            day: last.day - back,
            ..last
        }
    }
}

/// Weekday names, Monday first (as `Date::weekday` counts).
pub const WEEKDAYS: [&str; 7] = [
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
];

/// Month names, January first.
pub const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

impl Date {
    /// The date as people read it: "Thursday 3 December 2026".
    pub fn long(self) -> String {
        format!("{} {}", WEEKDAYS[usize::from(self.weekday())], self.short())
    }

    /// The date as UK readers write it: "3 December 2026".
    pub fn short(self) -> String {
        let month = MONTHS.get(usize::from(self.month.wrapping_sub(1)));
        format!("{} {} {}", self.day, month.unwrap_or(&"?"), self.year)
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

/// A moment as seconds since 1970-01-01 UTC, the form every rule here takes "now" in. (The
/// core never reads the clock: the receiver and the prerenderer pass `SystemTime::now()`,
/// the browser `Date.now()`.)
pub fn unix_seconds(at: std::time::SystemTime) -> i64 {
    match at.duration_since(std::time::UNIX_EPOCH) {
        Ok(after) => after.as_secs() as i64,
        Err(before) => -(before.duration().as_secs_f64().ceil() as i64),
    }
}

/// `2026-11-24T10:05:00Z`: a moment (seconds since 1970-01-01 UTC) in RFC 3339 form.
pub fn utc_timestamp(seconds: i64) -> String {
    let date = Date::from_days_since_epoch(seconds.div_euclid(86_400));
    let s = seconds.rem_euclid(86_400);
    format!("{date}T{:02}:{:02}:{:02}Z", s / 3600, s % 3600 / 60, s % 60)
}

/// The moment `utc_timestamp` wrote (`2026-11-24T10:05:00Z`, a fraction allowed), as seconds
/// since 1970-01-01 UTC.
pub fn utc_seconds(text: &str) -> Option<i64> {
    let (date, time) = text.strip_suffix('Z')?.split_once('T')?;
    let time = time.split('.').next()?;
    let mut parts = time
        .split(':')
        .map(|p| p.parse::<i64>().ok().filter(|_| p.len() == 2));
    let (h, m, s) = (parts.next()??, parts.next()??, parts.next()??);
    (parts.next().is_none() && h < 24 && m < 60 && s < 61).then(|| {
        Date::parse_iso(date).map(|d| d.days_since_epoch() * 86_400 + h * 3600 + m * 60 + s)
    })?
}

/// Gregorian: every fourth year, except centuries not divisible by 400.
pub fn is_leap_year(year: i32) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

/// 28 to 31; 0 for a month outside 1 to 12.
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
    fn moments_count_whole_seconds_from_1970_either_way() {
        use std::time::{Duration, UNIX_EPOCH};
        for (at, seconds) in [
            (UNIX_EPOCH, 0),
            (UNIX_EPOCH + Duration::from_millis(999), 0),
            (UNIX_EPOCH + Duration::from_secs(86_400), 86_400),
            (UNIX_EPOCH - Duration::from_millis(1_500), -2),
        ] {
            assert_eq!(unix_seconds(at), seconds, "{at:?}");
        }
    }

    #[test]
    fn long_dates_read_as_people_write_them() {
        assert_eq!(
            Date::new(2026, 12, 3).unwrap().long(),
            "Thursday 3 December 2026"
        );
        assert_eq!(
            Date::new(2027, 1, 31).unwrap().long(),
            "Sunday 31 January 2027"
        );
    }

    #[test]
    fn utc_timestamps_read_back_to_the_same_moment() {
        for seconds in [0, 1_795_000_000, 1_800_003_599] {
            assert_eq!(utc_seconds(&utc_timestamp(seconds)), Some(seconds));
        }
        assert_eq!(
            utc_seconds("2026-11-24T09:12:05.123Z"),
            utc_seconds("2026-11-24T09:12:05Z")
        );
        for bad in [
            "2026-11-24T09:12:05",
            "2026-11-24T9:12:05Z",
            "2026-11-24T09:12Z",
            "",
        ] {
            assert_eq!(utc_seconds(bad), None, "{bad}");
        }
    }

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

    #[test]
    fn timestamps() {
        assert_eq!(utc_timestamp(0), "1970-01-01T00:00:00Z");
        assert_eq!(utc_timestamp(1_795_000_000), "2026-11-18T11:06:40Z");
    }

    #[test]
    fn counts_days_and_weekdays() {
        let d = Date::new(1970, 1, 1).unwrap();
        assert_eq!(d.days_since_epoch(), 0);
        assert_eq!(d.weekday(), 3); // a Thursday
        let d = Date::new(2026, 11, 24).unwrap();
        assert_eq!(Date::from_days_since_epoch(d.days_since_epoch()), d);
        assert_eq!(d.weekday(), 1); // a Tuesday
        assert_eq!(
            Date::from_days_since_epoch(-1),
            Date::new(1969, 12, 31).unwrap()
        );
        assert_eq!(Date::last_sunday(2026, 3), Date::new(2026, 3, 29).unwrap());
        assert_eq!(
            Date::last_sunday(2026, 10),
            Date::new(2026, 10, 25).unwrap()
        );
        assert_eq!(Date::last_sunday(2027, 3), Date::new(2027, 3, 28).unwrap());
    }
}
