//! What falls due after a request, from the practice's settings: when a request nobody has
//! answered expires, when a booking's reminder is e-mailed, and until when the client may
//! cancel or move it through the link in their e-mails. Times are London wall-clock times;
//! moments are seconds since 1970-01-01 UTC, and "now" is always passed in.

use crate::booking::london_time::LondonDateTime;
use crate::calendar::Date;
use crate::services::Practice;

/// When a request asked at `asked_at` for `times` (London, `2026-12-01T18:00`) expires if
/// nobody answers it: `request_expiry_hours` later, or at the last of its times if that
/// comes first (once every time asked for has begun there is nothing left to confirm).
pub fn expires_at(asked_at: i64, times: &[String], practice: &Practice) -> i64 {
    let limit = asked_at + i64::from(practice.request_expiry_hours) * 3600;
    times
        .iter()
        .filter_map(|t| LondonDateTime::parse(t))
        .map(|t| t.to_utc_minutes() * 60)
        .max()
        .map_or(limit, |last| last.min(limit))
}

/// How long before a request expires the therapist is told it is about to.
pub const EXPIRY_WARNING_SECONDS: i64 = 6 * 3600;

/// When to tell the therapist that a request asked at `asked_at`, expiring at `expires`,
/// is about to expire: `EXPIRY_WARNING_SECONDS` before. `None` when that would be less than
/// as long after it was asked: her notice of it is still recent, and the warning would
/// only repeat it.
pub fn expiry_warning_at(asked_at: i64, expires: i64) -> Option<i64> {
    let at = expires - EXPIRY_WARNING_SECONDS;
    (at - asked_at >= EXPIRY_WARNING_SECONDS).then_some(at)
}

/// The moment a booking at `appointment` is reminded of: `reminder_time` (London) on the
/// day before.
pub fn reminder_due(appointment: LondonDateTime, practice: &Practice) -> i64 {
    let day_before = Date::from_days_since_epoch(appointment.date.days_since_epoch() - 1);
    let due = LondonDateTime {
        date: day_before,
        time: practice.reminder_time,
    };
    due.to_utc_minutes() * 60
}

/// When to send the reminder of a booking made (or moved) at `now`: `None` when that moment
/// has passed, since the confirmation the client has just been sent says it all.
pub fn reminder_for(appointment: LondonDateTime, now: i64, practice: &Practice) -> Option<i64> {
    let due = reminder_due(appointment, practice);
    (due > now).then_some(due)
}

/// Until when the client may cancel or move a booking at `appointment` themselves:
/// `cancellation_notice_hours` before it (real hours, across a clock change).
pub fn change_online_until(appointment: LondonDateTime, practice: &Practice) -> i64 {
    appointment.to_utc_minutes() * 60 - i64::from(practice.cancellation_notice_hours) * 3600
}

/// Whether the client may still cancel or move a booking at `appointment` themselves: at
/// least `cancellation_notice_hours` ahead (`change_online_until`). Later, they call (the
/// policy applies).
pub fn may_change_online(appointment: LondonDateTime, now: i64, practice: &Practice) -> bool {
    now <= change_online_until(appointment, practice)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::booking::fixtures::catalog;
    use crate::calendar::utc_timestamp;

    fn at(text: &str) -> LondonDateTime {
        LondonDateTime::parse(text).unwrap()
    }

    fn now(text: &str) -> i64 {
        at(text).to_utc_minutes() * 60
    }

    #[test]
    fn a_request_expires_after_the_set_hours_or_at_its_last_time_if_sooner() {
        let practice = catalog().practice; // 48 hours
        let asked = now("2026-12-01T09:00");
        let far = vec!["2026-12-10T18:00".to_owned(), "2026-12-11T18:00".to_owned()];
        assert_eq!(
            utc_timestamp(expires_at(asked, &far, &practice)),
            "2026-12-03T09:00:00Z"
        );
        let soon = vec!["2026-12-01T14:00".to_owned(), "2026-12-02T12:00".to_owned()];
        assert_eq!(expires_at(asked, &soon, &practice), now("2026-12-02T12:00"));
        assert_eq!(
            expires_at(asked, &[], &practice),
            now("2026-12-03T09:00"),
            "no readable time: the set hours"
        );
    }

    #[test]
    fn she_is_warned_six_hours_before_a_request_expires_unless_it_has_only_just_arrived() {
        let practice = catalog().practice; // 48 hours
        let asked = now("2026-12-01T09:00");
        let far = vec!["2026-12-10T18:00".to_owned()];
        let expires = expires_at(asked, &far, &practice);
        assert_eq!(
            expiry_warning_at(asked, expires).map(utc_timestamp),
            Some("2026-12-03T03:00:00Z".to_owned())
        );
        // Its only time is this afternoon: it expires then, and her notice is fresh.
        let soon = vec!["2026-12-01T14:00".to_owned()];
        assert_eq!(
            expiry_warning_at(asked, expires_at(asked, &soon, &practice)),
            None
        );
        // Twelve hours ahead: warned after six.
        let evening = vec!["2026-12-01T21:00".to_owned()];
        assert_eq!(
            expiry_warning_at(asked, expires_at(asked, &evening, &practice)),
            Some(now("2026-12-01T15:00"))
        );
    }

    #[test]
    fn the_reminder_is_due_the_day_before_at_the_set_london_time_in_bst_and_gmt() {
        let practice = catalog().practice; // 10:00
        // Winter: 10:00 London is 10:00 UTC.
        assert_eq!(
            utc_timestamp(reminder_due(at("2026-12-02T18:00"), &practice)),
            "2026-12-01T10:00:00Z"
        );
        // Summer: 10:00 London is 09:00 UTC.
        assert_eq!(
            utc_timestamp(reminder_due(at("2027-07-15T11:00"), &practice)),
            "2027-07-14T09:00:00Z"
        );
        // The day before the clocks go back (Sunday 25 October 2026) is still summer time.
        assert_eq!(
            utc_timestamp(reminder_due(at("2026-10-25T12:00"), &practice)),
            "2026-10-24T09:00:00Z"
        );
        // Across a month's end.
        assert_eq!(
            utc_timestamp(reminder_due(at("2027-03-01T12:00"), &practice)),
            "2027-02-28T10:00:00Z"
        );
    }

    #[test]
    fn a_booking_made_after_its_reminder_time_gets_none() {
        let practice = catalog().practice;
        let session = at("2026-12-02T18:00");
        assert_eq!(
            reminder_for(session, now("2026-12-01T09:59"), &practice),
            Some(now("2026-12-01T10:00"))
        );
        assert_eq!(
            reminder_for(session, now("2026-12-01T10:00"), &practice),
            None
        );
        assert_eq!(
            reminder_for(session, now("2026-12-02T09:00"), &practice),
            None
        );
    }

    #[test]
    fn clients_change_online_until_the_notice_before_the_session() {
        let practice = catalog().practice; // 24 hours
        let session = at("2026-12-02T18:00");
        assert!(may_change_online(
            session,
            now("2026-12-01T18:00"),
            &practice
        ));
        assert!(!may_change_online(
            session,
            now("2026-12-01T18:01"),
            &practice
        ));
        // Across the spring change, the hours are real hours: 24 hours before 12:00 on
        // Sunday 29 March 2026 (BST) is 11:00 London on the Saturday (GMT).
        let spring = at("2026-03-29T12:00");
        assert!(may_change_online(
            spring,
            now("2026-03-28T11:00"),
            &practice
        ));
        assert!(!may_change_online(
            spring,
            now("2026-03-28T11:01"),
            &practice
        ));
        assert_eq!(
            change_online_until(spring, &practice),
            now("2026-03-28T11:00")
        );
    }
}
