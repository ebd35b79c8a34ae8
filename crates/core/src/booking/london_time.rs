//! London wall-clock time. Booking times are London local times (what the therapist's diary
//! shows), whatever time zone the visitor's phone is in; comparing them with "now" needs
//! the UK clock changes: BST (UTC+1) from 01:00 UTC on the last Sunday of March to 01:00 UTC
//! on the last Sunday of October, GMT (UTC+0) otherwise.

use crate::calendar::Date;
use crate::clock::ClockTime;
use std::fmt;

/// A London local date and time to the minute, written `2026-12-01T18:00`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct LondonDateTime {
    /// The London calendar date.
    pub date: Date,
    /// The London wall-clock time.
    pub time: ClockTime,
}

/// The IANA name of the one time zone booking times are in.
pub const ZONE: &str = "Europe/London";

impl LondonDateTime {
    /// Reads `2026-12-01T18:00`; `None` if it is not a real date and time.
    pub fn parse(text: &str) -> Option<Self> {
        let (date, time) = text.split_once('T')?;
        Some(Self {
            date: Date::parse_iso(date)?,
            time: ClockTime::parse(time)?,
        })
    }

    /// Minutes since 1970-01-01 00:00 UTC of this London time. For the hour that does not
    /// exist in spring it reads the clock as GMT; for the repeated hour in autumn, as BST
    /// (the first). Bookings (11:00-22:00) never fall in either.
    pub fn to_utc_minutes(self) -> i64 {
        let local =
            self.date.days_since_epoch() * 1440 + i64::from(self.time.minutes_since_midnight());
        let as_bst = local - 60;
        if is_bst_at_utc_minutes(as_bst) {
            as_bst
        } else {
            local
        }
    }

    /// The London time at a moment given as seconds since 1970-01-01 UTC.
    pub fn from_utc_seconds(seconds: i64) -> Self {
        let utc_minutes = seconds.div_euclid(60);
        let local = utc_minutes
            + if is_bst_at_utc_minutes(utc_minutes) {
                60
            } else {
                0
            };
        let date = Date::from_days_since_epoch(local.div_euclid(1440));
        let minute = local.rem_euclid(1440) as u16;
        Self {
            date,
            time: ClockTime::from_hm(minute / 60, minute % 60).expect("minute of day"),
        }
    }

    /// `Tuesday 1 December 2026, 18:00`: how e-mails and the inbox write a time for people
    /// (who are told separately that it is London time).
    pub fn for_people(self) -> String {
        format!("{}, {}", self.date.long(), self.time)
    }

    /// Whole minutes from now (seconds since the epoch, UTC) until this London time.
    pub fn minutes_after(self, now_utc_seconds: i64) -> i64 {
        self.to_utc_minutes() - now_utc_seconds.div_euclid(60)
    }
}

impl fmt::Display for LondonDateTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}T{}", self.date, self.time)
    }
}

/// Whether British Summer Time is in force at this moment (minutes since epoch, UTC).
pub fn is_bst_at_utc_minutes(utc_minutes: i64) -> bool {
    let year = Date::from_days_since_epoch(utc_minutes.div_euclid(1440)).year;
    let starts = Date::last_sunday(year, 3).days_since_epoch() * 1440 + 60;
    let ends = Date::last_sunday(year, 10).days_since_epoch() * 1440 + 60;
    (starts..ends).contains(&utc_minutes)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(text: &str) -> LondonDateTime {
        LondonDateTime::parse(text).unwrap()
    }

    /// Seconds since the epoch of a UTC time written like a London one.
    fn utc(text: &str) -> i64 {
        let l = t(text);
        (l.date.days_since_epoch() * 1440 + i64::from(l.time.minutes_since_midnight())) * 60
    }

    #[test]
    fn parses_only_the_documented_form() {
        assert_eq!(t("2026-12-01T18:00").to_string(), "2026-12-01T18:00");
        for bad in [
            "2026-12-01 18:00",
            "2026-12-01T18:00:00",
            "2026-02-30T12:00",
            "2026-12-01T24:00",
            "",
            "T",
        ] {
            assert_eq!(LondonDateTime::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn winter_is_gmt_and_summer_is_bst() {
        assert_eq!(
            t("2026-12-01T18:00").to_utc_minutes() * 60,
            utc("2026-12-01T18:00")
        );
        assert_eq!(
            t("2026-07-01T18:00").to_utc_minutes() * 60,
            utc("2026-07-01T17:00")
        );
        assert_eq!(
            LondonDateTime::from_utc_seconds(utc("2026-07-01T17:00")),
            t("2026-07-01T18:00")
        );
        assert_eq!(
            LondonDateTime::from_utc_seconds(utc("2026-12-31T23:59")),
            t("2026-12-31T23:59")
        );
    }

    #[test]
    fn clocks_go_forward_at_one_utc_on_the_last_sunday_of_march() {
        // 29 March 2026: 00:59 UTC is 00:59 GMT; 01:00 UTC is 02:00 BST.
        assert_eq!(
            LondonDateTime::from_utc_seconds(utc("2026-03-29T00:59")),
            t("2026-03-29T00:59")
        );
        assert_eq!(
            LondonDateTime::from_utc_seconds(utc("2026-03-29T01:00")),
            t("2026-03-29T02:00")
        );
        assert_eq!(
            t("2026-03-29T11:00").to_utc_minutes() * 60,
            utc("2026-03-29T10:00")
        );
        assert_eq!(
            t("2026-03-28T11:00").to_utc_minutes() * 60,
            utc("2026-03-28T11:00")
        );
    }

    #[test]
    fn clocks_go_back_at_one_utc_on_the_last_sunday_of_october() {
        // 25 October 2026: 00:59 UTC is 01:59 BST; 01:00 UTC is 01:00 GMT.
        assert_eq!(
            LondonDateTime::from_utc_seconds(utc("2026-10-25T00:59")),
            t("2026-10-25T01:59")
        );
        assert_eq!(
            LondonDateTime::from_utc_seconds(utc("2026-10-25T01:00")),
            t("2026-10-25T01:00")
        );
        assert_eq!(
            t("2026-10-25T11:00").to_utc_minutes() * 60,
            utc("2026-10-25T11:00")
        );
        assert_eq!(
            t("2026-10-24T11:00").to_utc_minutes() * 60,
            utc("2026-10-24T10:00")
        );
    }

    #[test]
    fn times_for_people_name_the_weekday() {
        assert_eq!(
            t("2026-12-01T18:00").for_people(),
            "Tuesday 1 December 2026, 18:00"
        );
        assert_eq!(
            t("2027-07-04T11:30").for_people(),
            "Sunday 4 July 2027, 11:30"
        );
    }

    #[test]
    fn minutes_until_a_london_time_across_the_spring_change() {
        // 10:30 UTC on the spring-forward day is 11:30 in London: 11:15 London has passed,
        // although 11:15 would still be ahead if London were read as UTC.
        let now = utc("2026-03-29T10:30");
        assert_eq!(t("2026-03-29T11:15").minutes_after(now), -15);
        assert_eq!(t("2026-03-29T11:45").minutes_after(now), 15);
    }
}
