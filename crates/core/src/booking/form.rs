//! The booking form's state and the decisions it makes, without a browser: the draft as
//! typed and the request it becomes, when a field's message shows, which element an error
//! moves focus to, and which start times the form offers. The app's components only wire
//! these to the page.

use super::london_time::{LondonDateTime, ZONE, is_bst_at_utc_minutes};
use super::request::{BookingRequest, FieldError, HealthSummary, Location, in_form_order};
use super::validate::MAX_TIMES;
use crate::calendar::Date;
use crate::clock::ClockTime;
use crate::services::{Catalog, Practice, Service};
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;

/// The form as typed so far. Kept on the visitor's device (so its JSON shape is stored data:
/// change it only compatibly), and never holds health details.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Draft {
    /// As in `BookingRequest`.
    pub service_id: String,
    /// As in `BookingRequest`.
    pub minutes: u16,
    /// As in `BookingRequest`.
    pub location: Location,
    /// As in `BookingRequest`.
    pub address: String,
    /// As in `BookingRequest`.
    pub postcode: String,
    /// (date `2026-12-01`, time `18:00`) pairs; one row at least.
    pub times: Vec<(String, String)>,
    /// As in `BookingRequest`.
    pub name: String,
    /// As in `BookingRequest`.
    pub email: String,
    /// As in `BookingRequest`.
    pub phone: String,
    /// As in `BookingRequest`.
    pub notes: String,
}

/// The field name of the times as a whole; one time is `preferred_times.N`.
pub const TIMES_FIELD: &str = "preferred_times";

impl Draft {
    /// A new draft for `service` (the one asked for in the address, `/book?service=…`) or,
    /// when there is none such, the first service: its first length, and in-call unless
    /// the service is outcall only.
    pub fn fresh(catalog: &Catalog, service: Option<&str>) -> Self {
        let service = service
            .and_then(|id| catalog.service(id))
            .unwrap_or(&catalog.services[0]);
        let mut draft = Self {
            times: vec![(String::new(), String::new())],
            ..Self::default()
        };
        draft.choose_service(service);
        draft
    }

    /// The form again from a request (without its health details), when one is refused.
    pub fn from_request(r: &BookingRequest) -> Self {
        Self {
            service_id: r.service_id.clone(),
            minutes: r.minutes,
            location: r.location,
            address: r.address.clone(),
            postcode: r.postcode.clone(),
            times: r
                .preferred_times
                .iter()
                .map(|t| {
                    let (date, time) = t.split_once('T').unwrap_or((t, ""));
                    (date.to_owned(), time.to_owned())
                })
                .collect(),
            name: r.name.clone(),
            email: r.email.clone(),
            phone: r.phone.clone(),
            notes: r.notes.clone(),
        }
    }

    /// The request the form would send now: text trimmed, the address only for outcall,
    /// blank rows of times left out.
    pub fn to_request(&self, health: Option<HealthSummary>, honeypot: String) -> BookingRequest {
        let outcall = |text: &str| {
            if self.location == Location::Outcall {
                text.trim().to_owned()
            } else {
                String::new()
            }
        };
        BookingRequest {
            service_id: self.service_id.clone(),
            minutes: self.minutes,
            location: self.location,
            address: outcall(&self.address),
            postcode: outcall(&self.postcode),
            preferred_times: self
                .sent_rows()
                .into_iter()
                .map(|row| format!("{}T{}", self.times[row].0, self.times[row].1))
                .collect(),
            time_zone: ZONE.to_owned(),
            name: self.name.trim().to_owned(),
            email: self.email.trim().to_owned(),
            phone: self.phone.trim().to_owned(),
            notes: self.notes.trim().to_owned(),
            health,
            website: honeypot,
        }
    }

    /// Switches to `service`, keeping the length and place when it offers them.
    pub fn choose_service(&mut self, service: &Service) {
        self.service_id = service.id.clone();
        if !service.lengths.iter().any(|l| l.minutes == self.minutes) {
            self.minutes = service.lengths[0].minutes;
        }
        if !service.outcall {
            self.location = Location::InCall;
        }
        if !service.in_call {
            self.location = Location::Outcall;
        }
    }

    /// Whether another row of times may be added (a request asks for at most `MAX_TIMES`).
    pub fn can_add_time(&self) -> bool {
        self.times.len() < MAX_TIMES
    }

    /// Adds a blank row of times, if one may be added; returns its place on screen.
    pub fn add_time(&mut self) -> Option<usize> {
        self.can_add_time().then(|| {
            self.times.push((String::new(), String::new()));
            self.times.len() - 1
        })
    }

    /// Removes a row of times, never the last one left.
    pub fn remove_time(&mut self, row: usize) {
        if self.times.len() > 1 && row < self.times.len() {
            self.times.remove(row);
        }
    }

    /// The rows of times actually sent (blank rows are left out), by their place on screen.
    pub fn sent_rows(&self) -> Vec<usize> {
        self.times
            .iter()
            .enumerate()
            .filter(|(_, (date, time))| !date.is_empty() || !time.is_empty())
            .map(|(row, _)| row)
            .collect()
    }

    /// The field name of the row on screen at `row` (`preferred_times.N`, counting only the
    /// rows sent, as the rules and the receiver do); none for a blank row.
    pub fn time_field(&self, row: usize) -> Option<String> {
        let sent = self.sent_rows().iter().position(|&r| r == row)?;
        Some(format!("{TIMES_FIELD}.{sent}"))
    }

    /// The id of the element to focus for an error on `field`. `preferred_times.N` counts
    /// only the rows sent, so it is mapped back to its row on screen.
    pub fn element_for(&self, field: &str) -> String {
        match field {
            "location" => "location-in_call".into(),
            TIMES_FIELD => date_input_id(0),
            f => match f
                .strip_prefix(TIMES_FIELD)
                .and_then(|n| n.strip_prefix('.'))
            {
                Some(sent) => {
                    let sent: usize = sent.parse().unwrap_or(0);
                    date_input_id(self.sent_rows().get(sent).copied().unwrap_or(0))
                }
                None => f.to_owned(),
            },
        }
    }
}

/// The id of the date input in the row of times at `row` on screen.
pub fn date_input_id(row: usize) -> String {
    format!("time-date-{row}")
}

/// Which fields' own messages (the form's checks, not the receiver's) the visitor sees yet:
/// a field's once the visitor has left it, every field's once send is pressed. Nobody is
/// told off for what they have not typed yet.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Shown {
    fields: BTreeSet<String>,
    all: bool,
}

impl Shown {
    /// The visitor has left `field` (or changed a row of times).
    pub fn left(&mut self, field: &str) {
        self.fields.insert(field.to_owned());
    }

    /// The visitor pressed send: every message shows from now on.
    pub fn send_pressed(&mut self) {
        self.all = true;
    }

    /// Whether send has been pressed, so every message shows.
    pub fn all(&self) -> bool {
        self.all
    }

    /// Whether `field`'s message may show: the visitor has left it, or pressed send.
    pub fn shows(&self, field: &str) -> bool {
        self.all || self.fields.contains(field)
    }
}

/// The message next to `field`: the receiver's (`server`), until the field is changed,
/// else the form's own (`client`) once `shown` says so.
pub fn message_for(
    field: &str,
    server: &[FieldError],
    client: &[FieldError],
    shown: &Shown,
) -> Option<String> {
    let find = |errors: &[FieldError]| {
        errors
            .iter()
            .find(|e| e.field == field)
            .map(|e| e.message.clone())
    };
    find(server).or_else(|| shown.shows(field).then(|| find(client)).flatten())
}

/// The errors listed above the form, in the form's order: the receiver's, and once send is
/// pressed the form's own for every field the receiver said nothing about.
pub fn summary(server: &[FieldError], client: &[FieldError], shown: &Shown) -> Vec<FieldError> {
    let mut all = server.to_vec();
    if shown.all() {
        for e in client {
            if !all.iter().any(|s| s.field == e.field) {
                all.push(e.clone());
            }
        }
    }
    in_form_order(&mut all);
    all
}

/// The receiver's messages once the visitor changes `field`: those about it (and, for the
/// times, about each time) are answered by the change, so they go.
pub fn forget(server: &mut Vec<FieldError>, field: &str) {
    server.retain(|e| !e.field.starts_with(field));
}

/// Start times every quarter hour: what the form offers when nothing narrows the choice
/// (a hosted endpoint, which cannot say which times are free).
pub const QUARTER_HOUR: u16 = 15;

/// The start times the form offers for a session of `minutes`: every `every` minutes from
/// opening time to the last start that ends by closing time.
pub fn start_times(practice: &Practice, minutes: u16, every: u16) -> Vec<ClockTime> {
    let (open, close) = (
        practice.opens.minutes_since_midnight(),
        practice.closes.minutes_since_midnight(),
    );
    (open..=close.saturating_sub(minutes))
        .step_by(usize::from(every.max(1)))
        .filter_map(|m| ClockTime::from_hm(m / 60, m % 60))
        .collect()
}

/// The first and last dates the date inputs allow, in London, at `now` (seconds since the
/// epoch, UTC), from `[practice.scheduling]`: the first day a session can still start after
/// the minimum notice (the next day once that falls at or after closing time), and the last
/// day of the booking window.
pub fn date_range(practice: &Practice, now: i64) -> (Date, Date) {
    let rules = &practice.scheduling;
    let earliest = LondonDateTime::from_utc_seconds(now + rules.minimum_notice_minutes() * 60);
    let first = if earliest.time >= practice.closes {
        Date::from_days_since_epoch(earliest.date.days_since_epoch() + 1)
    } else {
        earliest.date
    };
    let last = LondonDateTime::from_utc_seconds(now + rules.booking_window_minutes() * 60).date;
    (first, last)
}

/// "London time, BST" or "London time, GMT": the clock London keeps on the date typed
/// (`2026-07-01`), or on `today` until a date is typed.
pub fn zone_label(date: &str, today: Date) -> &'static str {
    let noon = LondonDateTime {
        date: Date::parse_iso(date).unwrap_or(today),
        time: ClockTime::from_hm(12, 0).expect("noon"),
    };
    if is_bst_at_utc_minutes(noon.to_utc_minutes()) {
        "London time, BST"
    } else {
        "London time, GMT"
    }
}

#[cfg(test)]
mod tests;
