//! The practice and what it offers: read from `content/services.toml` at build time, shown on
//! the home and services pages, and (later) the source of truth for booking requests.

use crate::clock::ClockTime;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Everything in `content/services.toml`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Catalog {
    /// Facts about the practice itself.
    pub practice: Practice,
    /// What can be booked, in the order shown.
    #[serde(rename = "service")]
    pub services: Vec<Service>,
}

/// Facts about the practice that several pages repeat (header, footer, home, booking).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Practice {
    /// The practice's name, as the header and page titles show it.
    pub name: String,
    /// Where the site is published, e.g. `https://www.example.com` (no trailing slash): used
    /// for canonical URLs and link previews.
    pub site_url: String,
    /// The therapist's name, e.g. in the consent statement.
    pub therapist: String,
    /// A short line about the practice, shown with its name.
    pub tagline: String,
    /// Where in-call sessions happen, e.g. "a quiet treatment room in Marylebone".
    pub in_call_location: String,
    /// Where outcall sessions are offered, e.g. "across London (zones 1-4)".
    pub outcall_area: String,
    /// Opening time: the earliest start a request may ask for.
    pub opens: ClockTime,
    /// Closing time: no session starts at or after it.
    pub closes: ClockTime,
    /// The practice's phone number, as shown.
    pub phone: String,
    /// The practice's e-mail address.
    pub email: String,
    /// Added to the price when the therapist travels to the client.
    pub outcall_surcharge_gbp: u32,
    /// Postcode areas (the letters at the start: `SW`, `E`, `CR`) the therapist travels to.
    pub outcall_postcode_areas: Vec<String>,
    /// The cancellation terms, shown on the services page and the booking form.
    pub cancellation_policy: String,
    /// Requests are deleted this many days after the appointment (a confirmed booking) or
    /// after they arrived (any other): the privacy page says so and the receiver does it,
    /// both from this one number.
    #[serde(default = "default_retention_days")]
    pub retention_days: u16,
    /// Clients may cancel or move a booking themselves (the link in their e-mails) until
    /// this many hours before it; later, the page shows the policy and the phone number.
    /// `cancellation_policy` states the same number (checked when the file is read).
    #[serde(default = "default_cancellation_notice_hours")]
    pub cancellation_notice_hours: u16,
    /// The reminder is e-mailed at this London time on the day before the session.
    #[serde(default = "default_reminder_time")]
    pub reminder_time: ClockTime,
    /// A request she has not answered expires this many hours after it arrived (or at its
    /// last preferred time, if that comes first), and the client is told.
    #[serde(default = "default_request_expiry_hours")]
    pub request_expiry_hours: u16,
    /// When sessions can be booked: notice, window, grid, buffers and travel.
    pub scheduling: Scheduling,
}

fn default_retention_days() -> u16 {
    90
}

fn default_cancellation_notice_hours() -> u16 {
    24
}

fn default_reminder_time() -> ClockTime {
    ClockTime::from_minutes(10 * 60)
}

fn default_request_expiry_hours() -> u16 {
    48
}

/// The therapist's rules for which times are free (the `[practice.scheduling]` table): read by the
/// diary (`crate::diary`) when it checks a booking or lists free start times.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scheduling {
    /// A session starts at least this many hours after the request is made.
    pub minimum_notice_hours: u16,
    /// A session starts at most this many days after the request is made.
    pub booking_window_days: u16,
    /// Free start times are offered on this grid, counted from opening time (30: 11:00,
    /// 11:30, ...).
    pub start_every_minutes: u16,
    /// Kept free next to an in-call session (turning the room round between clients).
    pub in_call_buffer_minutes: u16,
    /// Kept free next to an outcall session (packing up, parking), on top of the journey.
    pub outcall_buffer_minutes: u16,
    /// Minutes from the studio by postcode area (`SW`) or district (`SW11`, `SW1A`); the most
    /// specific entry wins. Every area in `outcall_postcode_areas` has one, so a postcode the
    /// practice travels to always has a journey time, and any other is not offered outcall.
    pub travel_minutes: BTreeMap<String, u16>,
}

/// One kind of massage the practice offers.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Service {
    /// Stable identifier used in URLs and booking requests; never shown to visitors.
    pub id: String,
    /// The service's name, as shown.
    pub name: String,
    /// One or two sentences on the services page.
    pub summary: String,
    /// Offered at the treatment room (in-call).
    pub in_call: bool,
    /// Offered where the client is (outcall).
    pub outcall: bool,
    /// The lengths it can be booked for, each with its price.
    #[serde(rename = "length")]
    pub lengths: Vec<SessionLength>,
}

/// One bookable length of a service and its price.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SessionLength {
    /// The session's length.
    pub minutes: u16,
    /// The price in whole pounds.
    pub price_gbp: u32,
}

impl Catalog {
    /// The service with this id.
    pub fn service(&self, id: &str) -> Option<&Service> {
        self.services.iter().find(|s| s.id == id)
    }
}

impl Practice {
    /// "11:00-22:00", as printed in the footer and on the booking page.
    pub fn hours(&self) -> String {
        format!("{}\u{2013}{}", self.opens, self.closes)
    }

    /// The telephone number in the form a `tel:` link needs (no spaces).
    pub fn phone_link(&self) -> String {
        let digits: String = self
            .phone
            .chars()
            .filter(|c| c.is_ascii_digit() || *c == '+')
            .collect();
        format!("tel:{digits}")
    }
}

impl Scheduling {
    /// The minimum notice in minutes, for comparing with `LondonDateTime::minutes_after`.
    pub fn minimum_notice_minutes(&self) -> i64 {
        i64::from(self.minimum_notice_hours) * 60
    }

    /// The booking window in minutes: no session starts later than this after now.
    pub fn booking_window_minutes(&self) -> i64 {
        i64::from(self.booking_window_days) * 1440
    }
}

impl Service {
    /// "In-call or outcall", "Outcall only", ...: how the services page labels a service.
    pub fn where_label(&self) -> &'static str {
        match (self.in_call, self.outcall) {
            (true, true) => "In-call or outcall",
            (true, false) => "In-call only",
            (false, true) => "Outcall only",
            (false, false) => "Not currently offered",
        }
    }
}

#[cfg(feature = "content")]
mod load {
    use super::*;
    use crate::content_error::{ContentError, line_containing};
    use std::collections::HashSet;

    /// Shortest and longest bookable session, in minutes: a session must fit inside opening
    /// hours, and a quarter-hour grid keeps the booking form's choices sane.
    const LENGTH_RANGE: std::ops::RangeInclusive<u16> = 15..=180;

    impl Catalog {
        /// Parses and checks the services file. `file` is the path shown in error messages.
        pub fn from_toml(file: &str, text: &str) -> Result<Self, ContentError> {
            let catalog: Catalog =
                toml::from_str(text).map_err(|e| ContentError::from_toml(file, text, &e))?;
            catalog.check(file, text)?;
            Ok(catalog)
        }

        fn check(&self, file: &str, text: &str) -> Result<(), ContentError> {
            let p = &self.practice;
            let at = |needle: &str| line_containing(text, needle);
            for (field, value) in [
                ("name", &p.name),
                ("therapist", &p.therapist),
                ("tagline", &p.tagline),
                ("in_call_location", &p.in_call_location),
                ("outcall_area", &p.outcall_area),
                ("phone", &p.phone),
                ("email", &p.email),
                ("cancellation_policy", &p.cancellation_policy),
            ] {
                if value.trim().is_empty() {
                    let msg = format!("[practice] {field} is empty");
                    return Err(ContentError::new(file, at(field), msg));
                }
            }
            if !p.site_url.starts_with("https://") || p.site_url.ends_with('/') {
                let msg = format!(
                    "[practice] site_url `{}` must start with https:// and not end with /",
                    p.site_url
                );
                return Err(ContentError::new(file, at("site_url"), msg));
            }
            if p.opens >= p.closes {
                let msg = format!(
                    "[practice] opens ({}) must be before closes ({})",
                    p.opens, p.closes
                );
                return Err(ContentError::new(file, at("opens"), msg));
            }
            if !p.email.contains('@') {
                let msg = format!("[practice] email `{}` is not an e-mail address", p.email);
                return Err(ContentError::new(file, at("email"), msg));
            }
            if p.outcall_postcode_areas.is_empty()
                || p.outcall_postcode_areas.iter().any(|a| {
                    !(1..=2).contains(&a.len()) || !a.bytes().all(|b| b.is_ascii_uppercase())
                })
            {
                let msg = "[practice] outcall_postcode_areas lists postcode areas: one or two capital letters, like \"SW\"";
                return Err(ContentError::new(file, at("outcall_postcode_areas"), msg));
            }
            if !(1..=3650).contains(&p.retention_days) {
                let msg = format!(
                    "[practice] retention_days is {}: give a number of days from 1 to 3650",
                    p.retention_days
                );
                return Err(ContentError::new(file, at("retention_days"), msg));
            }
            p.check_follow_up(file, text)?;
            p.scheduling.check(p, file, text)?;
            if self.services.is_empty() {
                return Err(ContentError::new(file, None, "no [[service]] entries"));
            }
            let open_minutes = p.closes.minutes_since_midnight() - p.opens.minutes_since_midnight();
            let mut ids = HashSet::new();
            for s in &self.services {
                let line = at(&format!("\"{}\"", s.id));
                let fail = |msg: String| {
                    Err(ContentError::new(
                        file,
                        line,
                        format!("service `{}`: {msg}", s.id),
                    ))
                };
                if !is_slug(&s.id) {
                    return fail("id must be lowercase letters, digits and hyphens".into());
                }
                if !ids.insert(s.id.as_str()) {
                    return fail("id is used by another service too".into());
                }
                if s.name.trim().is_empty() || s.summary.trim().is_empty() {
                    return fail("name and summary must not be empty".into());
                }
                if !s.in_call && !s.outcall {
                    return fail("offer it in_call, outcall or both".into());
                }
                if s.lengths.is_empty() {
                    return fail("needs at least one [[service.length]]".into());
                }
                let mut minutes = HashSet::new();
                for l in &s.lengths {
                    if !LENGTH_RANGE.contains(&l.minutes) || l.minutes % 15 != 0 {
                        return fail(format!(
                            "length of {} minutes: use 15-180 minutes in steps of 15",
                            l.minutes
                        ));
                    }
                    if l.minutes > open_minutes {
                        return fail(format!("{} minutes do not fit in opening hours", l.minutes));
                    }
                    if !minutes.insert(l.minutes) {
                        return fail(format!("length of {} minutes is listed twice", l.minutes));
                    }
                    if l.price_gbp == 0 {
                        return fail(format!("the {}-minute price is 0", l.minutes));
                    }
                }
            }
            Ok(())
        }
    }
}

#[cfg(feature = "content")]
mod load_follow_up {
    use super::*;
    use crate::content_error::{ContentError, line_containing};

    impl Practice {
        /// Checks what happens after a request (cancelling online, reminders, expiry), and
        /// that the cancellation policy states the same notice the cancel link keeps to.
        pub(super) fn check_follow_up(&self, file: &str, text: &str) -> Result<(), ContentError> {
            let at = |needle: &str| line_containing(text, needle);
            for (field, value, range) in [
                (
                    "cancellation_notice_hours",
                    self.cancellation_notice_hours,
                    0..=168,
                ),
                ("request_expiry_hours", self.request_expiry_hours, 1..=720),
            ] {
                if !range.contains(&value) {
                    let msg = format!(
                        "[practice] {field} is {value}: use {} to {}",
                        range.start(),
                        range.end()
                    );
                    return Err(ContentError::new(file, at(field), msg));
                }
            }
            if !states_notice(&self.cancellation_policy, self.cancellation_notice_hours) {
                let hours = self.cancellation_notice_hours;
                let msg = format!(
                    "[practice] cancellation_policy does not say \"{hours} hours\", the cancellation_notice_hours \
                     until which clients may cancel online: make the two agree"
                );
                return Err(ContentError::new(file, at("cancellation_policy"), msg));
            }
            Ok(())
        }
    }

    /// Whether a policy's wording names `hours` of notice ("24 hours", "24-hour", "2 days").
    fn states_notice(policy: &str, hours: u16) -> bool {
        if hours == 0 {
            return true;
        }
        let mut ways = vec![format!("{hours} hour"), format!("{hours}-hour")];
        if hours.is_multiple_of(24) {
            let days = hours / 24;
            ways.extend([format!("{days} day"), format!("{days}-day")]);
        }
        let policy = policy.to_lowercase();
        ways.iter().any(|w| {
            policy.match_indices(w.as_str()).any(|(i, _)| {
                // "124 hours" does not state 24.
                !policy[..i].ends_with(|c: char| c.is_ascii_digit())
            })
        })
    }

    #[cfg(test)]
    #[test]
    fn a_policy_states_its_notice_in_hours_or_days() {
        assert!(states_notice("Free to cancel up to 24 hours before.", 24));
        assert!(states_notice("24-hour notice, please", 24));
        assert!(states_notice("Cancel at least 2 days ahead", 48));
        assert!(states_notice("Anything goes", 0));
        assert!(!states_notice("Free to cancel up to 48 hours before.", 24));
        assert!(!states_notice("Free to cancel up to 124 hours before.", 24));
        assert!(!states_notice("Cancel a day ahead", 24));
    }
}

#[cfg(feature = "content")]
mod load_scheduling {
    use super::*;
    use crate::booking::validate::MAX_BOOKING_WINDOW_DAYS;
    use crate::content_error::{ContentError, line_containing};
    use crate::diary::travel::is_travel_key;

    /// The table the travel times are in, as the file writes its header.
    const TRAVEL_TABLE: &str = "practice.scheduling.travel_minutes";

    impl Scheduling {
        /// Checks the `[scheduling]` table against the practice it belongs to.
        pub(super) fn check(
            &self,
            practice: &Practice,
            file: &str,
            text: &str,
        ) -> Result<(), ContentError> {
            let fail = |line: Option<usize>, msg: String| {
                Err(ContentError::new(
                    file,
                    line,
                    format!("[practice.scheduling] {msg}"),
                ))
            };
            let at = |needle: &str| line_containing(text, needle);
            // Wide enough for any real practice; outside it is a typo (a notice of 2400
            // hours, a window of 0 days offers nothing).
            for (field, value, range) in [
                ("minimum_notice_hours", self.minimum_notice_hours, 0..=168),
                (
                    "booking_window_days",
                    self.booking_window_days,
                    1..=MAX_BOOKING_WINDOW_DAYS,
                ),
                (
                    "in_call_buffer_minutes",
                    self.in_call_buffer_minutes,
                    0..=120,
                ),
                (
                    "outcall_buffer_minutes",
                    self.outcall_buffer_minutes,
                    0..=120,
                ),
            ] {
                if !range.contains(&value) {
                    let msg = format!(
                        "{field} is {value}: use {} to {}",
                        range.start(),
                        range.end()
                    );
                    return fail(at(field), msg);
                }
            }
            // A grid that divides an hour keeps every offered time on the quarter, third or
            // half hour people expect, whatever the opening time.
            if ![15, 20, 30, 60].contains(&self.start_every_minutes) {
                let msg = format!(
                    "start_every_minutes is {}: use 15, 20, 30 or 60",
                    self.start_every_minutes
                );
                return fail(at("start_every_minutes"), msg);
            }
            let table_line = line_of_table(text, TRAVEL_TABLE);
            for (key, &minutes) in &self.travel_minutes {
                let line = line_of_key(text, TRAVEL_TABLE, key).or(table_line);
                if !is_travel_key(key) {
                    let msg = format!(
                        "travel_minutes `{key}`: use a postcode area (SW) or district (SW11, SW1A), in capitals"
                    );
                    return fail(line, msg);
                }
                let area = crate::booking::contact::postcode_area(key);
                if !practice.outcall_postcode_areas.iter().any(|a| a == area) {
                    let msg = format!(
                        "travel_minutes `{key}`: {area} is not in outcall_postcode_areas, so no visit there is offered"
                    );
                    return fail(line, msg);
                }
                if !(1..=180).contains(&minutes) {
                    let msg = format!("travel_minutes `{key}` is {minutes}: use 1 to 180 minutes");
                    return fail(line, msg);
                }
            }
            // No default journey: an area she travels to without a time would either be
            // offered with a guess or silently never offered.
            if let Some(area) = practice
                .outcall_postcode_areas
                .iter()
                .find(|a| !self.travel_minutes.contains_key(a.as_str()))
            {
                let msg = format!(
                    "travel_minutes has no entry for {area}, which outcall_postcode_areas lists: add `{area} = <minutes>`"
                );
                return fail(table_line.or(at("outcall_postcode_areas")), msg);
            }
            Ok(())
        }
    }

    /// 1-based line of the `[table]` header.
    fn line_of_table(text: &str, table: &str) -> Option<usize> {
        text.lines()
            .position(|l| table_header(l) == Some(table))
            .map(|i| i + 1)
    }

    /// 1-based line where `key = ...` is written inside `[table]`: the same key (`W`) may
    /// appear elsewhere in the file, e.g. in `outcall_postcode_areas`.
    fn line_of_key(text: &str, table: &str, key: &str) -> Option<usize> {
        let mut current = None;
        for (i, line) in text.lines().enumerate() {
            if let Some(header) = table_header(line) {
                current = Some(header);
                continue;
            }
            let Some((left, _)) = line.split_once('=') else {
                continue;
            };
            if current == Some(table) && left.trim().trim_matches('"') == key {
                return Some(i + 1);
            }
        }
        None
    }

    /// The table a header line opens: `scheduling.travel_minutes` for
    /// `[scheduling.travel_minutes]`, `service` for `[[service]]`.
    fn table_header(line: &str) -> Option<&str> {
        let inner = line.trim().strip_prefix('[')?.trim_start_matches('[');
        inner.split(']').next().map(str::trim)
    }
}

/// Identifiers in URLs and data files: lowercase ASCII letters, digits and single hyphens.
pub fn is_slug(text: &str) -> bool {
    !text.is_empty()
        && !text.starts_with('-')
        && !text.ends_with('-')
        && !text.contains("--")
        && text
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

#[cfg(all(test, feature = "content"))]
mod tests {
    use super::*;

    const GOOD: &str = r#"
[practice]
name = "Test Practice"
site_url = "https://www.example.com"
therapist = "Anna"
tagline = "Massage"
in_call_location = "a room"
outcall_area = "London"
opens = "11:00"
closes = "22:00"
phone = "+44 20 7946 0000"
email = "a@example.com"
outcall_surcharge_gbp = 20
outcall_postcode_areas = ["SW", "W"]
cancellation_policy = "24 hours"

[practice.scheduling]
minimum_notice_hours = 1
booking_window_days = 90
start_every_minutes = 30
in_call_buffer_minutes = 15
outcall_buffer_minutes = 15

[practice.scheduling.travel_minutes]
SW = 40
SW11 = 25
W = 20

[[service]]
id = "deep-tissue"
name = "Deep tissue"
summary = "Firm"
in_call = true
outcall = true
[[service.length]]
minutes = 60
price_gbp = 80
"#;

    fn load(text: &str) -> Result<Catalog, String> {
        Catalog::from_toml("content/services.toml", text).map_err(|e| e.to_string())
    }

    #[test]
    fn reads_a_valid_file() {
        let c = load(GOOD).unwrap();
        assert_eq!(c.practice.hours(), "11:00\u{2013}22:00");
        assert_eq!(c.practice.phone_link(), "tel:+442079460000");
        let s = c.service("deep-tissue").unwrap();
        assert_eq!(
            s.lengths,
            vec![SessionLength {
                minutes: 60,
                price_gbp: 80
            }]
        );
        assert_eq!(s.where_label(), "In-call or outcall");
    }

    #[test]
    fn the_real_services_file_is_valid() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../content/services.toml");
        let text = std::fs::read_to_string(path).unwrap();
        let c = load(&text).unwrap();
        assert!(c.services.len() >= 3);
    }

    fn assert_fails(text: &str, expected: &str) {
        let err = load(text).expect_err("should fail");
        assert!(err.starts_with("content/services.toml"), "{err}");
        assert!(err.contains(expected), "expected {expected:?} in {err:?}");
    }

    #[test]
    fn syntax_errors_name_file_and_line() {
        let broken = GOOD.replace("minutes = 60", "minutes = ");
        assert_fails(&broken, "content/services.toml:36:");
    }

    #[test]
    fn unknown_fields_are_refused() {
        assert_fails(
            &GOOD.replace("summary = \"Firm\"", "sumary = \"Firm\""),
            "unknown field `sumary`",
        );
    }

    #[test]
    fn missing_fields_are_refused() {
        assert_fails(
            &GOOD.replace("outcall = true\n", ""),
            "missing field `outcall`",
        );
    }

    #[test]
    fn semantic_errors_name_the_service_and_problem() {
        let cases = [
            (
                GOOD.replace("minutes = 60", "minutes = 50"),
                "deep-tissue`: length of 50 minutes",
            ),
            (
                GOOD.replace("price_gbp = 80", "price_gbp = 0"),
                "price is 0",
            ),
            (
                GOOD.replace(
                    "in_call = true\noutcall = true",
                    "in_call = false\noutcall = false",
                ),
                "offer it",
            ),
            (
                GOOD.replace("\"deep-tissue\"", "\"Deep Tissue\""),
                "lowercase",
            ),
            (
                GOOD.replace("opens = \"11:00\"", "opens = \"23:00\""),
                "must be before closes",
            ),
            (
                GOOD.replace(
                    "cancellation_policy = \"24 hours\"",
                    "cancellation_policy = \"24 hours\"\nretention_days = 0",
                ),
                "retention_days is 0: give a number of days from 1 to 3650",
            ),
            (
                GOOD.replace(
                    "cancellation_policy = \"24 hours\"",
                    "cancellation_policy = \"48 hours\"",
                ),
                "cancellation_policy does not say \"24 hours\"",
            ),
            (
                GOOD.replace(
                    "cancellation_policy = \"24 hours\"",
                    "cancellation_policy = \"24 hours\"\nrequest_expiry_hours = 0",
                ),
                "request_expiry_hours is 0: use 1 to 720",
            ),
            (
                GOOD.replace(
                    "cancellation_policy = \"24 hours\"",
                    "cancellation_policy = \"24 hours\"\nreminder_time = \"10\"",
                ),
                "`10` is not a time of day",
            ),
            (
                GOOD.replace("opens = \"11:00\"", "opens = \"11am\""),
                "not a time of day",
            ),
            (
                GOOD.replace("a@example.com", "nobody"),
                "not an e-mail address",
            ),
            (
                GOOD.replace("https://www.example.com", "http://www.example.com/"),
                "must start with https://",
            ),
            (
                format!("{GOOD}\n[[service.length]]\nminutes = 60\nprice_gbp = 90\n"),
                "listed twice",
            ),
            (
                format!(
                    "{GOOD}\n[[service]]\nid = \"deep-tissue\"\nname = \"x\"\nsummary = \"y\"\nin_call = true\noutcall = false\n[[service.length]]\nminutes = 30\nprice_gbp = 40\n"
                ),
                "used by another service",
            ),
        ];
        for (text, expected) in cases {
            assert_fails(&text, expected);
        }
    }

    #[test]
    fn scheduling_errors_name_the_line_and_the_setting() {
        let cases = [
            (
                GOOD.replace("SW11 = 25", "SW111 = 25"),
                ":26: [practice.scheduling] travel_minutes `SW111`: use a postcode area",
            ),
            (
                GOOD.replace("SW11 = 25", "E1 = 25"),
                ":26: [practice.scheduling] travel_minutes `E1`: E is not in outcall_postcode_areas",
            ),
            (
                // `W` is also in outcall_postcode_areas (line 14): the table's own line counts.
                GOOD.replace("W = 20", "W = 0"),
                ":27: [practice.scheduling] travel_minutes `W` is 0",
            ),
            (
                GOOD.replace("W = 20\n", ""),
                ":24: [practice.scheduling] travel_minutes has no entry for W",
            ),
            (
                GOOD.replace("booking_window_days = 90", "booking_window_days = 0"),
                ":19: [practice.scheduling] booking_window_days is 0: use 1 to 90",
            ),
            (
                GOOD.replace("minimum_notice_hours = 1", "minimum_notice_hours = 1000"),
                ":18: [practice.scheduling] minimum_notice_hours is 1000",
            ),
            (
                GOOD.replace("start_every_minutes = 30", "start_every_minutes = 25"),
                ":20: [practice.scheduling] start_every_minutes is 25: use 15, 20, 30 or 60",
            ),
            (
                GOOD.replace("outcall_buffer_minutes = 15\n", ""),
                "missing field `outcall_buffer_minutes`",
            ),
        ];
        for (text, expected) in cases {
            assert_fails(&text, expected);
        }
    }

    #[test]
    fn slugs() {
        assert!(is_slug("back-pain-2"));
        for bad in ["", "-a", "a-", "a--b", "A", "a b", "a_b", "é"] {
            assert!(!is_slug(bad), "{bad}");
        }
    }
}
