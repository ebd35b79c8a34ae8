//! The calendar invite sent with a confirmation (RFC 5545, iTIP `METHOD:REQUEST`), and its
//! updates: a move is a `REQUEST` with the new time, a cancellation a `CANCEL` with
//! `STATUS:CANCELLED`. Times are written in UTC, converted from the London time with the
//! core's clock-change rules, so the event lands at the right instant in BST and GMT whatever
//! the client's calendar zone is. The UID depends only on the request, and each update has a
//! higher SEQUENCE (kept per booking in the store), so a calendar replaces the event it has
//! instead of adding a second one.

use chrono::{DateTime, Utc};
use icalendar::{Calendar, Component, Event, EventLike, EventStatus};
use massage_core::booking::london_time::LondonDateTime;

/// What an invite asks the client's calendar to do with the event.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Method {
    /// Add it, or update it to this time.
    Request,
    /// Take it off.
    Cancel,
}

impl Method {
    /// As iTIP names it (`METHOD:` and the MIME part's `method=`).
    pub(crate) fn name(self) -> &'static str {
        match self {
            Self::Request => "REQUEST",
            Self::Cancel => "CANCEL",
        }
    }
}

pub(crate) struct Invite<'a> {
    pub(crate) method: Method,
    /// Higher with every update the client is sent (0 for the first invite).
    pub(crate) sequence: u32,
    pub(crate) reference: &'a str,
    /// Where the UID is unique: the site's host name.
    pub(crate) domain: &'a str,
    pub(crate) start: LondonDateTime,
    pub(crate) minutes: u16,
    pub(crate) summary: &'a str,
    pub(crate) location: &'a str,
    pub(crate) description: &'a str,
    pub(crate) organizer_email: &'a str,
    pub(crate) attendee_email: &'a str,
}

/// The UTC instant of a London time.
pub(crate) fn utc_instant(time: LondonDateTime) -> DateTime<Utc> {
    DateTime::from_timestamp(time.to_utc_minutes() * 60, 0).unwrap_or_default()
}

/// Where a UID is unique: the host of the site's public address (`--public-url`).
pub(crate) fn uid_domain(public_url: Option<&str>) -> &str {
    public_url
        .and_then(|u| u.split("://").nth(1))
        .unwrap_or("booking-api")
}

pub(crate) fn uid(reference: &str, domain: &str) -> String {
    format!("{reference}@{domain}")
}

impl Invite<'_> {
    pub(crate) fn to_ics(&self) -> String {
        let start = utc_instant(self.start);
        let end = start + chrono::Duration::minutes(i64::from(self.minutes));
        let event = Event::new()
            .uid(&uid(self.reference, self.domain))
            .sequence(self.sequence)
            .summary(self.summary)
            .description(self.description)
            .location(self.location)
            .starts(start)
            .ends(end)
            .status(match self.method {
                Method::Request => EventStatus::Confirmed,
                Method::Cancel => EventStatus::Cancelled,
            })
            .add_property("ORGANIZER", format!("mailto:{}", self.organizer_email))
            .add_property("ATTENDEE", format!("mailto:{}", self.attendee_email.trim()))
            .done();
        let mut calendar = Calendar::new();
        calendar.append_property(("METHOD", self.method.name()));
        calendar.push(event);
        calendar.done().to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use icalendar::{CalendarDateTime, DatePerhapsTime};

    fn invite(start: &str) -> String {
        update(start, Method::Request, 0)
    }

    fn update(start: &str, method: Method, sequence: u32) -> String {
        Invite {
            method,
            sequence,
            reference: "AM-7K3Q-9XPD",
            domain: "www.example.com",
            start: LondonDateTime::parse(start).unwrap(),
            minutes: 90,
            summary: "Deep tissue massage",
            location: "1 Example Street, London W1",
            description: "Reference AM-7K3Q-9XPD",
            organizer_email: "bookings@example.com",
            attendee_email: "sam@example.com",
        }
        .to_ics()
    }

    fn start_of(ics: &str) -> DateTime<Utc> {
        let calendar: Calendar = ics.parse().unwrap();
        let event = calendar.events().next().unwrap();
        match event.get_start() {
            Some(DatePerhapsTime::DateTime(CalendarDateTime::Utc(t))) => t,
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn summer_times_are_an_hour_behind_in_utc_and_winter_times_are_not() {
        assert_eq!(
            start_of(&invite("2027-07-14T18:00")).to_rfc3339(),
            "2027-07-14T17:00:00+00:00"
        );
        assert_eq!(
            start_of(&invite("2027-01-14T18:00")).to_rfc3339(),
            "2027-01-14T18:00:00+00:00"
        );
    }

    #[test]
    fn a_confirmed_request_with_a_stable_uid() {
        let ics = invite("2027-01-14T18:00");
        for line in [
            "METHOD:REQUEST",
            "STATUS:CONFIRMED",
            "UID:AM-7K3Q-9XPD@www.example.com",
            "DTEND:20270114T193000Z",
        ] {
            assert!(ics.contains(line), "{line} in {ics}");
        }
        let again = invite("2027-01-14T18:00");
        let uid = |ics: &str| {
            ics.lines()
                .find(|l| l.starts_with("UID:"))
                .map(str::to_owned)
        };
        assert_eq!(uid(&ics), uid(&again));
    }

    #[test]
    fn a_move_and_a_cancellation_keep_the_uid_with_a_higher_sequence() {
        let read = |ics: &str| {
            let calendar: Calendar = ics.parse().unwrap();
            let event = calendar.events().next().unwrap().clone();
            (
                calendar.property_value("METHOD").map(str::to_owned),
                event.get_uid().map(str::to_owned),
                event.get_sequence(),
                event.get_status(),
            )
        };
        let moved = update("2027-07-15T18:00", Method::Request, 1);
        assert_eq!(
            read(&moved),
            (
                Some("REQUEST".into()),
                Some("AM-7K3Q-9XPD@www.example.com".into()),
                Some(1),
                Some(EventStatus::Confirmed)
            )
        );
        assert_eq!(start_of(&moved).to_rfc3339(), "2027-07-15T17:00:00+00:00");
        let cancelled = update("2027-07-15T18:00", Method::Cancel, 2);
        assert_eq!(
            read(&cancelled),
            (
                Some("CANCEL".into()),
                Some("AM-7K3Q-9XPD@www.example.com".into()),
                Some(2),
                Some(EventStatus::Cancelled)
            )
        );
    }
}
