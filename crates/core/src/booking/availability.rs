//! Which start times are free (`GET /api/availability`): the question the booking page asks
//! the receiver for the treatment, length and place chosen, and the answer, the free starts
//! of each day (`crate::diary::free_starts`). One definition for both sides. The receiver
//! still checks every time a request arrives with: this only spares the visitor a refusal.

use super::endpoint::EndpointKind;
use super::form::{QUARTER_HOUR, start_times};
use super::{BookingRequest, FieldError, Location, validate};
use crate::calendar::Date;
use crate::clock::ClockTime;
use crate::diary::{FreeDay, Place};
use crate::services::{Catalog, Practice};
use serde::{Deserialize, Serialize};

/// Where the receiver answers, beside `/api/booking-requests`.
pub const PATH: &str = "/api/availability";

/// The fields of a request that decide which times are free.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AvailabilityQuery {
    /// The treatment (`[[service]]` id).
    pub service_id: String,
    /// Its length in minutes.
    pub minutes: u16,
    /// In-call, or outcall with a postcode.
    pub location: Location,
    /// For outcall: where she travels to.
    #[serde(default)]
    pub postcode: String,
}

/// The receiver's answer: each day of the booking window with its free starts.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Availability {
    /// From today to the end of the booking window, in order.
    pub days: Vec<FreeDay>,
}

/// The fields whose errors are about the question itself; the others (name, times) are
/// not asked here.
const ASKED: [&str; 4] = ["service_id", "minutes", "location", "postcode"];

impl AvailabilityQuery {
    /// The query as the request's fields would say it (a draft's).
    pub fn of(request: &BookingRequest) -> Self {
        Self {
            service_id: request.service_id.clone(),
            minutes: request.minutes,
            location: request.location,
            postcode: match request.location {
                Location::InCall => String::new(),
                Location::Outcall => request.postcode.trim().to_owned(),
            },
        }
    }

    /// `service_id=…&minutes=…&location=…[&postcode=…]`, as the receiver reads it.
    pub fn query_string(&self) -> String {
        let location = match self.location {
            Location::InCall => "in_call",
            Location::Outcall => "outcall",
        };
        let mut query = format!(
            "service_id={}&minutes={}&location={location}",
            crate::articles::encode_query_value(&self.service_id),
            self.minutes
        );
        if self.location == Location::Outcall {
            query.push_str("&postcode=");
            query.push_str(&crate::articles::encode_query_value(&self.postcode));
        }
        query
    }

    /// The same rules as a request's for these fields (one definition: `validate`), with
    /// the same messages for the visitor.
    pub fn check(&self, catalog: &Catalog, now: i64) -> Result<(), Vec<FieldError>> {
        let request = BookingRequest {
            service_id: self.service_id.clone(),
            minutes: self.minutes,
            location: self.location,
            // Any address: only the postcode decides the journey.
            address: "-".into(),
            postcode: self.postcode.clone(),
            ..BookingRequest::default()
        };
        let errors: Vec<FieldError> = match validate(&request, catalog, now) {
            Ok(()) => Vec::new(),
            Err(errors) => errors
                .into_iter()
                .filter(|e| ASKED.contains(&e.field.as_str()))
                .collect(),
        };
        if errors.is_empty() {
            Ok(())
        } else {
            Err(errors)
        }
    }

    /// Where the session would be, for the diary; `None` for a postcode that cannot be read.
    pub fn place(&self) -> Option<Place> {
        Place::of(self.location, &self.postcode)
    }
}

/// Where to ask, beside the receiver's request endpoint (`…/api/booking-requests`); `None`
/// for an endpoint that is not this project's receiver's.
pub fn url(endpoint: &str) -> Option<String> {
    endpoint
        .strip_suffix("/api/booking-requests")
        .map(|origin| format!("{origin}{PATH}"))
}

/// How many minutes apart the form offers start times for `kind` until it knows which are
/// free: the receiver's answers keep to the practice's grid (`start_every_minutes`), so the
/// form does too from the start; a hosted endpoint never answers, so every quarter hour.
pub fn start_every(kind: EndpointKind, practice: &Practice) -> u16 {
    match kind {
        EndpointKind::Receiver => practice.scheduling.start_every_minutes,
        EndpointKind::FormService | EndpointKind::Netlify => QUARTER_HOUR,
    }
}

/// The start times the form offers on `date` (`YYYY-MM-DD`) for a `minutes`-long session:
/// the free ones once the receiver has answered; until then, without an answer (offline,
/// another endpoint), or for a day outside its answer (too far ahead: the form says so next
/// to the date), every start of the day on the grid of `every` minutes (`start_every`), and
/// the receiver checks on arrival.
pub fn offered_starts(
    practice: &Practice,
    minutes: u16,
    date: &str,
    free: Option<&Availability>,
    every: u16,
) -> Vec<ClockTime> {
    match free.and_then(|answer| answer.starts_on(date)) {
        Some(free) => free.to_vec(),
        None => start_times(practice, minutes, every),
    }
}

/// What to say next to a row whose day or time is not free, when the receiver has said
/// which are.
pub fn row_note(date: &str, time: &str, free: Option<&Availability>) -> Option<String> {
    let answer = free?;
    let starts = answer.starts_on(date)?;
    if starts.is_empty() {
        return Some("No free times on this day: choose another day.".into());
    }
    let chosen = ClockTime::parse(time)?;
    (!starts.contains(&chosen))
        .then(|| format!("{chosen} is no longer free on this day: choose another time."))
}

impl Availability {
    /// The free starts on `date` (`YYYY-MM-DD`), or `None` for a day outside the answer.
    pub fn starts_on(&self, date: &str) -> Option<&[ClockTime]> {
        let date = Date::parse_iso(date)?;
        self.days
            .iter()
            .find(|d| d.date == date)
            .map(|d| d.starts.as_slice())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::booking::fixtures::catalog;

    #[test]
    fn the_query_says_the_place_only_for_outcall_and_encodes_what_it_sends() {
        let mut q = AvailabilityQuery {
            service_id: "deep-tissue".into(),
            minutes: 90,
            location: Location::InCall,
            postcode: "SW11 1AA".into(),
        };
        assert_eq!(
            q.query_string(),
            "service_id=deep-tissue&minutes=90&location=in_call"
        );
        q.location = Location::Outcall;
        assert_eq!(
            q.query_string(),
            "service_id=deep-tissue&minutes=90&location=outcall&postcode=SW11%201AA"
        );
    }

    #[test]
    fn a_question_is_checked_by_the_requests_own_rules_for_its_fields() {
        let catalog = catalog();
        let service = &catalog.services[0];
        let ok = AvailabilityQuery {
            service_id: service.id.clone(),
            minutes: service.lengths[0].minutes,
            location: Location::InCall,
            postcode: String::new(),
        };
        assert_eq!(ok.check(&catalog, 0), Ok(()));
        let far = AvailabilityQuery {
            location: Location::Outcall,
            postcode: "AB10 1AA".into(),
            ..ok.clone()
        };
        let errors = far.check(&catalog, 0).unwrap_err();
        assert_eq!(errors.len(), 1);
        assert_eq!(
            (errors[0].field.as_str(), errors[0].code.as_str()),
            ("postcode", "outside_area")
        );
        let unknown = AvailabilityQuery {
            service_id: "nothing".into(),
            ..ok
        };
        assert_eq!(
            unknown.check(&catalog, 0).unwrap_err()[0].field,
            "service_id"
        );
    }

    #[test]
    fn the_form_offers_free_starts_once_known_and_says_why_a_row_is_not_free() {
        let catalog = catalog();
        let practice = &catalog.practice;
        let answer = Availability {
            days: vec![
                FreeDay {
                    date: Date::new(2026, 12, 10).unwrap(),
                    starts: vec![
                        ClockTime::from_hm(11, 0).unwrap(),
                        ClockTime::from_hm(19, 30).unwrap(),
                    ],
                },
                FreeDay {
                    date: Date::new(2026, 12, 11).unwrap(),
                    starts: Vec::new(),
                },
            ],
        };
        let grid = start_every(EndpointKind::Receiver, practice);
        let every = start_times(practice, 60, grid);
        assert_eq!(
            offered_starts(practice, 60, "2026-12-10", None, grid),
            every
        );
        assert_eq!(offered_starts(practice, 60, "", Some(&answer), grid), every);
        let offered = offered_starts(practice, 60, "2026-12-10", Some(&answer), grid);
        assert_eq!(
            offered.iter().map(ToString::to_string).collect::<Vec<_>>(),
            ["11:00", "19:30"]
        );
        assert!(offered_starts(practice, 60, "2026-12-11", Some(&answer), grid).is_empty());
        assert_eq!(
            offered_starts(practice, 60, "2027-06-01", Some(&answer), grid),
            every
        );
        assert_eq!(
            row_note("2026-12-10", "18:00", Some(&answer)).unwrap(),
            "18:00 is no longer free on this day: choose another time."
        );
        assert_eq!(row_note("2026-12-10", "19:30", Some(&answer)), None);
        assert!(
            row_note("2026-12-11", "", Some(&answer))
                .unwrap()
                .contains("choose another day")
        );
        assert_eq!(row_note("2026-12-10", "18:00", None), None);
    }

    #[test]
    fn before_an_answer_the_receiver_offers_the_practices_grid_and_hosted_kinds_every_quarter() {
        let mut practice = catalog().practice;
        practice.scheduling.start_every_minutes = 20;
        let starts = |kind| {
            let every = start_every(kind, &practice);
            offered_starts(&practice, 60, "2026-12-10", None, every)
                .iter()
                .take(3)
                .map(ToString::to_string)
                .collect::<Vec<_>>()
        };
        assert_eq!(starts(EndpointKind::Receiver), ["11:00", "11:20", "11:40"]);
        for hosted in [EndpointKind::FormService, EndpointKind::Netlify] {
            assert_eq!(starts(hosted), ["11:00", "11:15", "11:30"], "{hosted:?}");
        }
    }

    #[test]
    fn it_is_asked_beside_the_receivers_endpoint_only() {
        assert_eq!(url("/api/booking-requests").unwrap(), "/api/availability");
        assert_eq!(
            url("https://book.example.com/api/booking-requests").unwrap(),
            "https://book.example.com/api/availability"
        );
        assert_eq!(url("https://formspree.io/f/abc"), None);
    }

    #[test]
    fn the_answer_gives_a_days_starts_or_nothing_for_a_day_outside_it() {
        let day = Date::new(2026, 12, 10).unwrap();
        let answer = Availability {
            days: vec![FreeDay {
                date: day,
                starts: vec![ClockTime::from_hm(11, 0).unwrap()],
            }],
        };
        assert_eq!(answer.starts_on("2026-12-10").map(<[_]>::len), Some(1));
        assert_eq!(answer.starts_on("2026-12-11"), None);
        assert_eq!(answer.starts_on("not a date"), None);
    }
}
