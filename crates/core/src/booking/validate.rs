//! Every rule a booking request must meet, with a message for the visitor next to the field
//! it is about. The form runs these as the visitor types; the receiver runs them again.

use super::contact::{is_email, postcode_area, uk_phone, uk_postcode};
use super::london_time::{LondonDateTime, ZONE};
use super::request::{BookingRequest, CONSENT_VERSION, FieldError, Location, in_form_order};
use crate::clock::ClockTime;
use crate::services::{Catalog, Practice, Service};

/// The longest name accepted, in characters.
pub const MAX_NAME: usize = 100;
/// The longest outcall address accepted, in characters.
pub const MAX_ADDRESS: usize = 200;
/// The longest notes accepted, in characters.
pub const MAX_NOTES: usize = 1000;
/// The longest health summary accepted, in characters.
pub const MAX_HEALTH_SUMMARY: usize = 2000;
/// The longest phone number accepted, in characters as typed.
pub const MAX_PHONE: usize = 25;
/// The most preferred times one request may offer.
pub const MAX_TIMES: usize = 3;
/// The longest booking window a practice may set (`Scheduling::booking_window_days`): the
/// booking form's date inputs reach its last day (`form::date_range`).
pub const MAX_BOOKING_WINDOW_DAYS: u16 = 90;

/// All problems with `request`, in the order of the form's fields; empty when it is valid.
/// `now` is the current time in seconds since 1970-01-01 UTC.
pub fn validate(
    request: &BookingRequest,
    catalog: &Catalog,
    now: i64,
) -> Result<(), Vec<FieldError>> {
    let mut errors = Vec::new();
    let mut err = |field: &str, code: &str, message: String| {
        errors.push(FieldError::new(field, code, message))
    };
    let practice = &catalog.practice;

    let service = if request.service_id.trim().is_empty() {
        err("service_id", "required", "Choose a treatment.".into());
        None
    } else {
        let found = catalog.service(&request.service_id);
        if found.is_none() {
            err(
                "service_id",
                "unknown",
                "This treatment is not offered. Please choose another.".into(),
            );
        }
        found
    };

    if let Some(s) = service
        && !s.lengths.iter().any(|l| l.minutes == request.minutes)
    {
        let lengths: Vec<String> = s.lengths.iter().map(|l| l.minutes.to_string()).collect();
        err(
            "minutes",
            "unknown",
            format!(
                "Choose one of the lengths offered for this treatment ({} minutes).",
                lengths.join(", ")
            ),
        );
    }

    if let Some(s) = service {
        match request.location {
            Location::Outcall if !s.outcall => err(
                "location",
                "not_offered",
                format!(
                    "{} is only offered at the treatment room. Choose in-call, or another treatment.",
                    s.name
                ),
            ),
            Location::InCall if !s.in_call => err(
                "location",
                "not_offered",
                format!(
                    "{} is only offered as outcall, where I come to you.",
                    s.name
                ),
            ),
            _ => {}
        }
    }

    if request.location == Location::Outcall {
        let address = request.address.trim();
        if address.is_empty() {
            err(
                "address",
                "required",
                "Enter the address I should come to.".into(),
            );
        } else if address.chars().count() > MAX_ADDRESS {
            err(
                "address",
                "too_long",
                format!("Keep the address to {MAX_ADDRESS} characters or fewer."),
            );
        }
        match uk_postcode(&request.postcode) {
            _ if request.postcode.trim().is_empty() => {
                err("postcode", "required", "Enter your postcode.".into())
            }
            None => err(
                "postcode",
                "invalid",
                "Enter a UK postcode, like SW1A 1AA.".into(),
            ),
            Some(postcode)
                if !practice
                    .outcall_postcode_areas
                    .iter()
                    .any(|a| a == postcode_area(&postcode)) =>
            {
                err(
                    "postcode",
                    "outside_area",
                    format!(
                        "{postcode} is outside the area I travel to (London). To ask whether I can come to you, call {} or e-mail {}.",
                        practice.phone, practice.email
                    ),
                )
            }
            Some(_) => {}
        }
    }

    check_times(request, service, catalog, now, &mut err);

    let name = request.name.trim();
    if name.is_empty() {
        err("name", "required", "Enter your name.".into());
    } else if name.chars().count() > MAX_NAME {
        err(
            "name",
            "too_long",
            format!("Keep your name to {MAX_NAME} characters or fewer."),
        );
    }

    let (email, phone) = (request.email.trim(), request.phone.trim());
    if email.is_empty() && phone.is_empty() {
        err(
            "email",
            "contact_required",
            "Enter an e-mail address or a phone number, so I can confirm your booking.".into(),
        );
    }
    if !email.is_empty() && !is_email(email) {
        err(
            "email",
            "invalid",
            "Enter an e-mail address like name@example.com.".into(),
        );
    }
    if !phone.is_empty() && (phone.chars().count() > MAX_PHONE || uk_phone(phone).is_none()) {
        err(
            "phone",
            "invalid",
            "Enter a UK phone number, like 07700 900123.".into(),
        );
    }

    let notes = request.notes.chars().count();
    if notes > MAX_NOTES {
        err(
            "notes",
            "too_long",
            format!("Keep notes to {MAX_NOTES} characters or fewer (now {notes})."),
        );
    }

    if let Some(health) = &request.health {
        let length = health.summary.chars().count();
        if health.summary.trim().is_empty() {
            err(
                "health_summary",
                "required",
                "The health summary is empty: remove it, or take the self-check again.".into(),
            );
        } else if length > MAX_HEALTH_SUMMARY {
            err(
                "health_summary",
                "too_long",
                format!("Keep the health summary to {MAX_HEALTH_SUMMARY} characters or fewer."),
            );
        }
        if !health.consent.given {
            err("health_consent", "consent_required", "To send your health answers, tick the consent statement, or choose not to send them.".into());
        } else if health.consent.text_version != CONSENT_VERSION {
            err(
                "health_consent",
                "consent_outdated",
                "The consent wording has changed. Please read it and tick it again.".into(),
            );
        } else if !is_utc_timestamp(&health.consent.given_at) {
            err(
                "health_consent",
                "invalid",
                "The time consent was given is missing. Please tick the consent statement again."
                    .into(),
            );
        }
    }

    for (field, text, lines) in text_fields(request) {
        if let Some(message) = control_character_message(field, text, lines) {
            // One message per field: a hidden character is the thing to fix first.
            errors.retain(|e| e.field != field);
            errors.push(FieldError::new(field, "invalid", message));
        }
    }

    in_form_order(&mut errors);
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors)
    }
}

/// Every free-text field the visitor types, by the form's field name, and whether it may hold
/// line breaks (the address and notes are several lines; the health summary is written by
/// the self-check in lines). The honeypot is left out: anything there marks a bot anyway.
fn text_fields(request: &BookingRequest) -> Vec<(&'static str, &str, bool)> {
    let mut fields = vec![
        ("address", request.address.as_str(), true),
        ("postcode", request.postcode.as_str(), false),
        ("name", request.name.as_str(), false),
        ("email", request.email.as_str(), false),
        ("phone", request.phone.as_str(), false),
        ("notes", request.notes.as_str(), true),
    ];
    if let Some(health) = &request.health {
        fields.push(("health_summary", health.summary.as_str(), true));
    }
    fields
}

/// Whether `c` is a control character no request text may hold: the C0 and C1 controls
/// (NUL, ESC, DEL, ...), the Unicode line and paragraph separators, and the bidirectional
/// overrides and isolates that make text display in another order than it is stored.
/// A line break in a one-line field would let a name fake lines such as "Phone: ..." in
/// the therapist's e-mail; `lines` allows CR, LF and TAB (and the line separators) where a
/// field is several lines long.
pub fn is_forbidden_character(c: char, lines: bool) -> bool {
    let line_break = matches!(c, '\n' | '\r' | '\t' | '\u{2028}' | '\u{2029}');
    let control = c.is_control()
        || matches!(c, '\u{2028}' | '\u{2029}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}');
    control && !(lines && line_break)
}

/// The visitor's message when `text` holds a character `is_forbidden_character` refuses.
fn control_character_message(field: &str, text: &str, lines: bool) -> Option<String> {
    let c = text.chars().find(|&c| is_forbidden_character(c, lines))?;
    let what = match field {
        "address" => "The address",
        "postcode" => "The postcode",
        "name" => "Your name",
        "email" => "The e-mail address",
        "phone" => "The phone number",
        "notes" => "The notes",
        _ => "The health summary",
    };
    let hint = match c {
        '\n' | '\r' | '\u{2028}' | '\u{2029}' => "a line break",
        '\t' => "a tab",
        _ => "a hidden control character",
    };
    let allowed = if lines {
        " Line breaks and tabs are fine."
    } else {
        ""
    };
    Some(format!(
        "{what} contains {hint} (U+{:04X}). Please retype it without it.{allowed}",
        u32::from(c)
    ))
}

fn check_times(
    request: &BookingRequest,
    service: Option<&Service>,
    catalog: &Catalog,
    now: i64,
    err: &mut impl FnMut(&str, &str, String),
) {
    let practice = &catalog.practice;
    if request.time_zone != ZONE {
        err(
            "preferred_times",
            "invalid_zone",
            format!("Times must be London times ({ZONE})."),
        );
    }
    match request.preferred_times.len() {
        0 => {
            return err(
                "preferred_times",
                "required",
                "Choose at least one date and time.".into(),
            );
        }
        n if n > MAX_TIMES => {
            return err(
                "preferred_times",
                "too_many",
                format!("Choose up to {MAX_TIMES} times."),
            );
        }
        _ => {}
    }
    let minutes = service
        .and_then(|s| s.lengths.iter().find(|l| l.minutes == request.minutes))
        .map(|l| l.minutes);
    let mut seen = Vec::new();
    for (i, text) in request.preferred_times.iter().enumerate() {
        let field = format!("preferred_times.{i}");
        let Some(time) = LondonDateTime::parse(text) else {
            err(&field, "invalid", "Choose a date and a time.".into());
            continue;
        };
        if let Err((code, message)) = check_start(time, minutes, practice, now) {
            err(&field, code, message);
        } else if seen.contains(&time) {
            err(&field, "duplicate", "You chose this time twice.".into());
        }
        seen.push(time);
    }
}

/// Whether a session may start at `time` (London): far enough ahead but not too far, and
/// inside opening hours, ending by closing time when its length is known. The one rule for
/// the times a visitor asks for and the time the therapist confirms. The error is a code and
/// a message for the person choosing the time.
pub fn check_start(
    time: LondonDateTime,
    minutes: Option<u16>,
    practice: &Practice,
    now: i64,
) -> Result<(), (&'static str, String)> {
    let (opens, closes) = (
        practice.opens.minutes_since_midnight(),
        practice.closes.minutes_since_midnight(),
    );
    let start = time.time.minutes_since_midnight();
    let ahead = time.minutes_after(now);
    let rules = &practice.scheduling;
    if ahead < rules.minimum_notice_minutes() {
        let notice = match rules.minimum_notice_hours {
            1 => "an hour".to_owned(),
            hours => format!("{hours} hours"),
        };
        Err((
            "too_soon",
            format!("Choose a time at least {notice} from now (London time)."),
        ))
    } else if ahead > rules.booking_window_minutes() {
        Err((
            "too_far_ahead",
            format!(
                "Choose a time within the next {} days.",
                rules.booking_window_days
            ),
        ))
    } else if start < opens || start >= closes {
        Err((
            "outside_hours",
            format!(
                "Sessions run from {} to {} (London time).",
                practice.opens, practice.closes
            ),
        ))
    } else if let Some(minutes) = minutes.filter(|m| start + m > closes) {
        let latest = ClockTime::from_minutes(closes - minutes);
        Err((
            "ends_after_closing",
            format!(
                "A {minutes}-minute session starting then would end after {}. Choose {latest} or earlier.",
                practice.closes,
            ),
        ))
    } else {
        Ok(())
    }
}

/// `2026-11-24T10:00:00Z` (seconds optional fraction), as `Date.toISOString()` writes it.
fn is_utc_timestamp(text: &str) -> bool {
    if !text.is_ascii() {
        return false;
    }
    let Some(rest) = text.strip_suffix('Z') else {
        return false;
    };
    let Some((date, time)) = rest.split_once('T') else {
        return false;
    };
    let (time, fraction) = time.split_once('.').unwrap_or((time, "0"));
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    crate::calendar::Date::parse_iso(date).is_some()
        && time.len() == 8
        && ClockTime::parse(&time[..5]).is_some()
        && time.as_bytes()[5] == b':'
        && digits(&time[6..])
        && time[6..] < *"60"
        && digits(fraction)
}

#[cfg(test)]
mod tests;
