//! The booking request as a plain HTML form sends it (`application/x-www-form-urlencoded`):
//! the one list of field names used by the prerendered `<form method="post">`, by the app when
//! it posts to a hosted form service, and by the receiver when it reads a form post.
//!
//! Preferred times travel as repeated `date` and `time` fields, one pair per row of the form,
//! because that is what a browser sends for the form's date inputs and time selects.

use super::london_time::ZONE;
use super::request::{BookingRequest, Location};

/// The media type of a plain HTML form post.
pub const CONTENT_TYPE: &str = "application/x-www-form-urlencoded";

/// Names and values in the order they are sent.
pub type Pairs = Vec<(String, String)>;

/// The plain form's field names, and the form field (`FIELDS`) each one's errors belong to.
pub const NAMES: [(&str, &str); 12] = [
    ("service_id", "service_id"),
    ("minutes", "minutes"),
    ("location", "location"),
    ("address", "address"),
    ("postcode", "postcode"),
    (DATE, "preferred_times"),
    (TIME, "preferred_times"),
    ("name", "name"),
    ("email", "email"),
    ("phone", "phone"),
    ("notes", "notes"),
    (HONEYPOT, "website"),
];

/// One preferred time's date (`2026-12-01`), repeated per row.
pub const DATE: &str = "date";
/// One preferred time's London start time (`18:00`), repeated per row.
pub const TIME: &str = "time";
/// The field people never see; anything in it means a bot.
pub const HONEYPOT: &str = "website";

/// The form field whose errors a plain form name (or a hosted service's) stands for.
pub fn field_for_name(name: &str) -> Option<&'static str> {
    NAMES.iter().find(|(n, _)| *n == name).map(|(_, f)| *f)
}

fn location_value(location: Location) -> &'static str {
    match location {
        Location::InCall => "in_call",
        Location::Outcall => "outcall",
    }
}

/// The request as the plain form's fields (without the health summary, which only the app
/// sends, after its consent step).
pub fn to_pairs(request: &BookingRequest) -> Pairs {
    let mut pairs: Pairs = vec![
        ("service_id".into(), request.service_id.clone()),
        ("minutes".into(), request.minutes.to_string()),
        ("location".into(), location_value(request.location).into()),
    ];
    if request.location == Location::Outcall {
        pairs.push(("address".into(), request.address.clone()));
        pairs.push(("postcode".into(), request.postcode.clone()));
    }
    for time in &request.preferred_times {
        let (date, clock) = time.split_once('T').unwrap_or((time, ""));
        pairs.push((DATE.into(), date.into()));
        pairs.push((TIME.into(), clock.into()));
    }
    pairs.push(("time_zone".into(), ZONE.into()));
    for (name, value) in [
        ("name", &request.name),
        ("email", &request.email),
        ("phone", &request.phone),
        ("notes", &request.notes),
        (HONEYPOT, &request.website),
    ] {
        pairs.push((name.into(), value.clone()));
    }
    pairs
}

/// A form post read back into a request, to be validated like any other. Unknown names are
/// ignored (a hosted form adds its own); a malformed value becomes one the rules refuse with
/// a message next to its field (an unknown location becomes in-call with its own check).
pub fn from_pairs(pairs: &[(String, String)]) -> BookingRequest {
    let one = |name: &str| {
        pairs
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.trim().to_owned())
            .unwrap_or_default()
    };
    let all = |name: &'static str| pairs.iter().filter(move |(n, _)| n == name).map(|(_, v)| v);
    let location = if one("location") == "outcall" {
        Location::Outcall
    } else {
        Location::InCall
    };
    let preferred_times = all(DATE)
        .zip(all(TIME))
        .map(|(date, time)| (date.trim(), time.trim()))
        .filter(|(date, time)| !date.is_empty() || !time.is_empty())
        .map(|(date, time)| format!("{date}T{time}"))
        .collect();
    let outcall_only = |name: &str| {
        if location == Location::Outcall {
            one(name)
        } else {
            String::new()
        }
    };
    BookingRequest {
        service_id: one("service_id"),
        // Not a number: 0, which no service offers, so the rules say which lengths are.
        minutes: one("minutes").parse().unwrap_or(0),
        location,
        address: outcall_only("address"),
        postcode: outcall_only("postcode"),
        preferred_times,
        time_zone: ZONE.into(),
        name: one("name"),
        email: one("email"),
        phone: one("phone"),
        notes: one("notes"),
        health: None,
        website: one(HONEYPOT),
    }
}

/// `application/x-www-form-urlencoded`, as browsers write it (WHATWG URL standard).
pub fn encode(pairs: &[(String, String)]) -> String {
    pairs
        .iter()
        .map(|(name, value)| format!("{}={}", escape(name), escape(value)))
        .collect::<Vec<_>>()
        .join("&")
}

fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'*' | b'-' | b'.' | b'_' => {
                out.push(byte as char)
            }
            b' ' => out.push('+'),
            _ => out.push_str(&format!("%{byte:02X}")),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn outcall() -> BookingRequest {
        BookingRequest {
            service_id: "deep-tissue".into(),
            minutes: 90,
            location: Location::Outcall,
            address: "Flat 2, 10 Long Road".into(),
            postcode: "E8 1AA".into(),
            preferred_times: vec!["2026-12-01T18:00".into(), "2026-12-02T11:15".into()],
            name: "Zoë O'Neil".into(),
            email: "zoe@example.com".into(),
            notes: "Line one\nline two & more".into(),
            ..Default::default()
        }
    }

    #[test]
    fn a_request_survives_the_plain_form_both_ways() {
        let request = outcall();
        let pairs = to_pairs(&request);
        assert_eq!(from_pairs(&pairs), request);
    }

    #[test]
    fn in_call_posts_drop_an_address_left_in_hidden_fields() {
        let mut pairs = to_pairs(&outcall());
        for (name, value) in &mut pairs {
            if name == "location" {
                *value = "in_call".into();
            }
        }
        let request = from_pairs(&pairs);
        assert_eq!(request.location, Location::InCall);
        assert!(request.address.is_empty() && request.postcode.is_empty());
    }

    #[test]
    fn blank_time_rows_are_left_out_and_half_rows_kept_for_the_rules() {
        let pairs: Pairs = [
            ("date", "2026-12-01"),
            ("time", "18:00"),
            ("date", ""),
            ("time", ""),
            ("date", ""),
            ("time", "12:00"),
        ]
        .iter()
        .map(|(n, v)| (n.to_string(), v.to_string()))
        .collect();
        assert_eq!(
            from_pairs(&pairs).preferred_times,
            vec!["2026-12-01T18:00", "T12:00"]
        );
    }

    #[test]
    fn a_length_that_is_not_a_number_becomes_one_the_rules_refuse() {
        let pairs = vec![("minutes".to_string(), "sixty".to_string())];
        assert_eq!(from_pairs(&pairs).minutes, 0);
    }

    #[test]
    fn encoding_follows_the_browsers() {
        let pairs = vec![
            ("name".to_string(), "Zoë O'Neil & co".to_string()),
            ("notes".to_string(), "a+b=c\r\n".to_string()),
        ];
        assert_eq!(
            encode(&pairs),
            "name=Zo%C3%AB+O%27Neil+%26+co&notes=a%2Bb%3Dc%0D%0A"
        );
    }

    #[test]
    fn every_name_maps_to_a_form_field() {
        for (name, field) in NAMES {
            assert_eq!(field_for_name(name), Some(field));
            assert!(
                super::super::request::FIELDS.contains(&field) || field == "website",
                "{field}"
            );
        }
        assert_eq!(field_for_name("_gotcha"), None);
    }
}
