//! A small catalogue for the booking tests: one service offered both ways with two
//! lengths, one in-call only, one outcall only; open 11:00 to 22:00.

use crate::clock::ClockTime;
use crate::services::{Catalog, Practice, Scheduling, Service, SessionLength};

pub(crate) fn catalog() -> Catalog {
    let service = |id: &str, in_call, outcall, lengths: &[u16]| Service {
        id: id.into(),
        name: format!("{id} massage"),
        summary: "s".into(),
        in_call,
        outcall,
        lengths: lengths
            .iter()
            .map(|&minutes| SessionLength {
                minutes,
                price_gbp: 50,
            })
            .collect(),
    };
    Catalog {
        practice: Practice {
            name: "P".into(),
            site_url: "https://example.com".into(),
            therapist: "Anna".into(),
            tagline: "t".into(),
            in_call_location: "room".into(),
            outcall_area: "London".into(),
            opens: ClockTime::parse("11:00").unwrap(),
            closes: ClockTime::parse("22:00").unwrap(),
            phone: "020 7946 0321".into(),
            email: "bookings@example.com".into(),
            outcall_surcharge_gbp: 20,
            outcall_postcode_areas: vec!["SW".into(), "E".into(), "CR".into()],
            cancellation_policy: "c".into(),
            retention_days: 90,
            cancellation_notice_hours: 24,
            reminder_time: ClockTime::parse("10:00").unwrap(),
            request_expiry_hours: 48,
            scheduling: Scheduling {
                minimum_notice_hours: 1,
                booking_window_days: 90,
                start_every_minutes: 30,
                in_call_buffer_minutes: 15,
                outcall_buffer_minutes: 15,
                travel_minutes: [("SW", 40), ("SW1", 20), ("SW11", 25), ("E", 45), ("CR", 60)]
                    .map(|(k, v)| (k.to_owned(), v))
                    .into(),
            },
        },
        services: vec![
            service("deep", true, true, &[60, 90]),
            service("room-only", true, false, &[30]),
            service("home-only", false, true, &[60]),
        ],
    }
}
