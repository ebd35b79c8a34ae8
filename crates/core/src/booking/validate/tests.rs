use super::*;
use crate::booking::fixtures::catalog;
use crate::booking::request::{Consent, HealthSummary};

/// Seconds since the epoch of a London local time.
fn london(text: &str) -> i64 {
    LondonDateTime::parse(text).unwrap().to_utc_minutes() * 60
}

/// "Now" for most tests: a winter Tuesday morning.
const NOW: &str = "2026-11-24T09:00";

fn valid() -> BookingRequest {
    BookingRequest {
        service_id: "deep".into(),
        minutes: 60,
        location: Location::InCall,
        preferred_times: vec!["2026-12-01T18:00".into()],
        name: "Sam Client".into(),
        email: "sam@example.com".into(),
        ..Default::default()
    }
}

fn errors_at(request: &BookingRequest, now: &str) -> Vec<(String, String)> {
    match validate(request, &catalog(), london(now)) {
        Ok(()) => Vec::new(),
        Err(errors) => errors.into_iter().map(|e| (e.field, e.code)).collect(),
    }
}

fn errors(request: &BookingRequest) -> Vec<(String, String)> {
    errors_at(request, NOW)
}

fn one(field: &str, code: &str) -> Vec<(String, String)> {
    vec![(field.to_owned(), code.to_owned())]
}

fn with(edit: impl FnOnce(&mut BookingRequest)) -> BookingRequest {
    let mut r = valid();
    edit(&mut r);
    r
}

#[test]
fn a_complete_request_is_valid() {
    assert_eq!(errors(&valid()), vec![]);
    let outcall = with(|r| {
        r.location = Location::Outcall;
        r.address = "1 Example Street".into();
        r.postcode = "sw1a 1aa".into();
        r.email = String::new();
        r.phone = "07700 900123".into();
        r.preferred_times = vec![
            "2026-12-01T11:00".into(),
            "2026-12-02T21:00".into(),
            "2026-12-03T15:30".into(),
        ];
    });
    assert_eq!(errors(&outcall), vec![]);
}

#[test]
fn the_service_and_length_must_exist() {
    assert_eq!(
        errors(&with(|r| r.service_id = String::new())),
        one("service_id", "required")
    );
    assert_eq!(
        errors(&with(|r| r.service_id = "reiki".into())),
        one("service_id", "unknown")
    );
    assert_eq!(errors(&with(|r| r.minutes = 45)), one("minutes", "unknown"));
}

#[test]
fn the_location_must_be_offered_for_the_service() {
    let r = with(|r| {
        r.service_id = "room-only".into();
        r.minutes = 30;
        r.location = Location::Outcall;
        r.address = "1 Street".into();
        r.postcode = "SW1A 1AA".into();
    });
    assert_eq!(errors(&r), one("location", "not_offered"));
    assert_eq!(
        errors(&with(|r| r.service_id = "home-only".into())),
        one("location", "not_offered")
    );
}

#[test]
fn outcall_needs_an_address_and_a_london_postcode() {
    let outcall = |address: &str, postcode: &str| {
        with(|r| {
            r.location = Location::Outcall;
            r.address = address.into();
            r.postcode = postcode.into();
        })
    };
    assert_eq!(errors(&outcall("", "SW1A 1AA")), one("address", "required"));
    assert_eq!(
        errors(&outcall(&"x".repeat(201), "SW1A 1AA")),
        one("address", "too_long")
    );
    assert_eq!(
        errors(&outcall("1 Street", "")),
        one("postcode", "required")
    );
    assert_eq!(
        errors(&outcall("1 Street", "12345")),
        one("postcode", "invalid")
    );
    assert_eq!(
        errors(&outcall("1 Street", "M1 1AE")),
        one("postcode", "outside_area")
    );
    let message = validate(&outcall("1 Street", "M1 1AE"), &catalog(), london(NOW)).unwrap_err()[0]
        .message
        .clone();
    assert!(
        message.contains("M1 1AE is outside")
            && message.contains("020 7946 0321")
            && message.contains("bookings@example.com"),
        "{message}"
    );
    // In-call requests do not need (or check) an address.
    assert_eq!(errors(&with(|r| r.postcode = "nonsense".into())), vec![]);
}

#[test]
fn one_to_three_distinct_times() {
    assert_eq!(
        errors(&with(|r| r.preferred_times.clear())),
        one("preferred_times", "required")
    );
    let four = with(|r| r.preferred_times = vec!["2026-12-01T12:00".into(); 4]);
    assert_eq!(errors(&four), one("preferred_times", "too_many"));
    let twice =
        with(|r| r.preferred_times = vec!["2026-12-01T12:00".into(), "2026-12-01T12:00".into()]);
    assert_eq!(errors(&twice), one("preferred_times.1", "duplicate"));
    assert_eq!(
        errors(&with(|r| r.preferred_times = vec!["tomorrow at six".into()])),
        one("preferred_times.0", "invalid")
    );
    assert_eq!(
        errors(&with(|r| r.time_zone = "America/New_York".into())),
        one("preferred_times", "invalid_zone")
    );
}

#[test]
fn times_start_from_eleven_and_end_by_ten() {
    let at = |time: &str, minutes: u16| {
        errors(&with(|r| {
            r.minutes = minutes;
            r.preferred_times = vec![format!("2026-12-01T{time}")];
        }))
    };
    assert_eq!(at("11:00", 60), vec![]);
    assert_eq!(at("10:59", 60), one("preferred_times.0", "outside_hours"));
    assert_eq!(at("21:00", 60), vec![]);
    assert_eq!(
        at("21:01", 60),
        one("preferred_times.0", "ends_after_closing")
    );
    assert_eq!(at("20:30", 90), vec![]);
    assert_eq!(
        at("20:31", 90),
        one("preferred_times.0", "ends_after_closing")
    );
    assert_eq!(
        at("21:59", 60),
        one("preferred_times.0", "ends_after_closing")
    );
    assert_eq!(at("22:00", 60), one("preferred_times.0", "outside_hours"));
    let message = validate(
        &with(|r| r.preferred_times = vec!["2026-12-01T21:59".into()]),
        &catalog(),
        london(NOW),
    )
    .unwrap_err()[0]
        .message
        .clone();
    assert!(message.contains("Choose 21:00 or earlier"), "{message}");
}

#[test]
fn times_must_be_at_least_an_hour_ahead_and_within_ninety_days() {
    let at =
        |time: &str, now: &str| errors_at(&with(|r| r.preferred_times = vec![time.into()]), now);
    assert_eq!(at("2026-11-24T12:00", "2026-11-24T11:00"), vec![]);
    assert_eq!(
        at("2026-11-24T12:00", "2026-11-24T11:01"),
        one("preferred_times.0", "too_soon")
    );
    assert_eq!(
        at("2026-11-23T12:00", NOW),
        one("preferred_times.0", "too_soon")
    );
    assert_eq!(at("2027-02-21T12:00", NOW), vec![]);
    assert_eq!(
        at("2027-02-23T12:00", NOW),
        one("preferred_times.0", "too_far_ahead")
    );
}

#[test]
fn the_spring_clock_change_is_respected() {
    // 29 March 2026, 10:30 UTC = 11:30 BST. 12:15 London is 45 minutes away, not 105.
    let now = LondonDateTime::parse("2026-03-29T10:30").unwrap();
    let now =
        (now.date.days_since_epoch() * 1440 + i64::from(now.time.minutes_since_midnight())) * 60;
    let r = |time: &str| with(|r| r.preferred_times = vec![time.into()]);
    assert_eq!(
        validate(&r("2026-03-29T12:15"), &catalog(), now).unwrap_err()[0].code,
        "too_soon"
    );
    assert!(validate(&r("2026-03-29T12:30"), &catalog(), now).is_ok());
}

#[test]
fn the_autumn_clock_change_is_respected() {
    // 25 October 2026, 10:30 UTC = 10:30 GMT (the clocks went back at 01:00 UTC).
    let now = LondonDateTime::parse("2026-10-25T10:30").unwrap();
    let now =
        (now.date.days_since_epoch() * 1440 + i64::from(now.time.minutes_since_midnight())) * 60;
    let r = |time: &str| with(|r| r.preferred_times = vec![time.into()]);
    assert!(validate(&r("2026-10-25T11:30"), &catalog(), now).is_ok());
    assert_eq!(
        validate(&r("2026-10-25T11:29"), &catalog(), now).unwrap_err()[0].code,
        "too_soon"
    );
    // The day before, the same UTC moment is 11:30 BST.
    let before = now - 86_400;
    assert_eq!(
        validate(&r("2026-10-24T12:00"), &catalog(), before).unwrap_err()[0].code,
        "too_soon"
    );
}

#[test]
fn name_and_a_way_to_reply_are_required() {
    assert_eq!(
        errors(&with(|r| r.name = "  ".into())),
        one("name", "required")
    );
    assert_eq!(
        errors(&with(|r| r.name = "x".repeat(101))),
        one("name", "too_long")
    );
    assert_eq!(
        errors(&with(|r| r.email = String::new())),
        one("email", "contact_required")
    );
    assert_eq!(
        errors(&with(|r| r.email = "sam@".into())),
        one("email", "invalid")
    );
    assert_eq!(
        errors(&with(|r| r.phone = "12345".into())),
        one("phone", "invalid")
    );
    assert_eq!(
        errors(&with(|r| r.phone = "+44 7700 900123".into())),
        vec![]
    );
    assert_eq!(
        errors(&with(|r| r.notes = "x".repeat(1001))),
        one("notes", "too_long")
    );
    assert_eq!(errors(&with(|r| r.notes = "é".repeat(1000))), vec![]);
}

#[test]
fn health_details_need_explicit_current_consent() {
    let health = |given: bool, version: &str, at: &str| {
        with(|r| {
            r.health = Some(HealthSummary {
                summary: "Where is the pain? Lower back".into(),
                consent: Consent {
                    given,
                    text_version: version.into(),
                    given_at: at.into(),
                },
            })
        })
    };
    assert_eq!(
        errors(&health(true, CONSENT_VERSION, "2026-11-24T09:00:00.000Z")),
        vec![]
    );
    assert_eq!(
        errors(&health(false, CONSENT_VERSION, "2026-11-24T09:00:00Z")),
        one("health_consent", "consent_required")
    );
    assert_eq!(
        errors(&health(true, "health-2020-01", "2026-11-24T09:00:00Z")),
        one("health_consent", "consent_outdated")
    );
    for bad in [
        "yesterday",
        "2026-11-24T0000\u{e9}:0Z",
        "2026-11-24T09:00:+5Z",
        "2026-11-24T09:00:00.xyzZ",
        "2026-11-24T09:00:60Z",
    ] {
        assert_eq!(
            errors(&health(true, CONSENT_VERSION, bad)),
            one("health_consent", "invalid"),
            "{bad}"
        );
    }
    let long = with(|r| {
        r.health = Some(HealthSummary {
            summary: "x".repeat(2001),
            consent: Consent {
                given: true,
                text_version: CONSENT_VERSION.into(),
                given_at: "2026-11-24T09:00:00Z".into(),
            },
        })
    });
    assert_eq!(errors(&long), one("health_summary", "too_long"));
}

#[test]
fn errors_come_in_the_order_of_the_form() {
    let r = BookingRequest::default();
    let fields: Vec<String> = errors(&r).into_iter().map(|(f, _)| f).collect();
    assert_eq!(fields, ["service_id", "preferred_times", "name", "email"]);
}

#[test]
fn control_characters_are_refused_where_they_could_fake_lines() {
    let outcall = |address: &str| {
        with(|r| {
            r.location = Location::Outcall;
            r.address = address.into();
            r.postcode = "SW1A 1AA".into();
        })
    };
    let health = |summary: &str| {
        with(|r| {
            r.health = Some(HealthSummary {
                summary: summary.into(),
                consent: Consent {
                    given: true,
                    text_version: CONSENT_VERSION.into(),
                    given_at: "2026-11-24T08:00:00Z".into(),
                },
            })
        })
    };
    // (what, request, the field refused or None when the request is valid)
    let cases: Vec<(&str, BookingRequest, Option<&str>)> = vec![
        (
            "a line break in the name",
            with(|r| r.name = "Sam\nPhone: 0800".into()),
            Some("name"),
        ),
        (
            "a carriage return in the name",
            with(|r| r.name = "Sam\r".into()),
            Some("name"),
        ),
        (
            "a tab in the name",
            with(|r| r.name = "Sam\tClient".into()),
            Some("name"),
        ),
        (
            "NUL in the name",
            with(|r| r.name = "Sam\0".into()),
            Some("name"),
        ),
        (
            "ESC in the name",
            with(|r| r.name = "\u{1b}[31mSam".into()),
            Some("name"),
        ),
        (
            "DEL in the name",
            with(|r| r.name = "Sam\u{7f}".into()),
            Some("name"),
        ),
        (
            "a C1 control in the name",
            with(|r| r.name = "Sam\u{85}".into()),
            Some("name"),
        ),
        (
            "a line separator in the name",
            with(|r| r.name = "Sam\u{2028}x".into()),
            Some("name"),
        ),
        (
            "a right-to-left override in the name",
            with(|r| r.name = "Sam\u{202e}x".into()),
            Some("name"),
        ),
        (
            "accents and other scripts in the name",
            with(|r| r.name = "Zoë Ødegård 王芳".into()),
            None,
        ),
        (
            "a line break after the e-mail",
            with(|r| r.email = "sam@example.com\n".into()),
            Some("email"),
        ),
        (
            "a tab in the phone number",
            with(|r| r.phone = "07700\t900123".into()),
            Some("phone"),
        ),
        (
            "ESC in the notes",
            with(|r| r.notes = "fine\u{1b}".into()),
            Some("notes"),
        ),
        (
            "NUL in the notes",
            with(|r| r.notes = "\0".into()),
            Some("notes"),
        ),
        (
            "lines and tabs in the notes",
            with(|r| r.notes = "one\r\ntwo\n\tthree\u{2028}".into()),
            None,
        ),
        (
            "lines in the address",
            outcall("Flat 2\n1 Example Street"),
            None,
        ),
        (
            "NUL in the address",
            outcall("1 Example\0 Street"),
            Some("address"),
        ),
        (
            "a line break in the postcode",
            with(|r| {
                r.location = Location::Outcall;
                r.address = "1 Example Street".into();
                r.postcode = "SW1A\n1AA".into();
            }),
            Some("postcode"),
        ),
        (
            "lines in the health summary",
            health("Where?\nLower back"),
            None,
        ),
        (
            "BEL in the health summary",
            health("Where?\u{7}"),
            Some("health_summary"),
        ),
    ];
    for (what, request, refused) in cases {
        let found = validate(&request, &catalog(), london(NOW))
            .err()
            .unwrap_or_default();
        match refused {
            None => assert_eq!(found, vec![], "{what}"),
            Some(field) => {
                assert_eq!(found.len(), 1, "{what}: {found:?}");
                let error = &found[0];
                assert_eq!(
                    (error.field.as_str(), error.code.as_str()),
                    (field, "invalid"),
                    "{what}"
                );
                assert!(
                    error.message.contains("U+"),
                    "{what}: the message names the character: {}",
                    error.message
                );
            }
        }
    }
}

#[test]
fn a_hidden_character_is_the_one_message_for_its_field() {
    let request = with(|r| r.name = format!("{}\u{1b}", "x".repeat(200)));
    let errors = validate(&request, &catalog(), london(NOW)).unwrap_err();
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert_eq!(errors[0].code, "invalid");
    assert!(
        errors[0]
            .message
            .starts_with("Your name contains a hidden control character (U+001B)"),
        "{}",
        errors[0].message
    );
    let tab = validate(
        &with(|r| r.notes = "a\u{0}b".into()),
        &catalog(),
        london(NOW),
    )
    .unwrap_err();
    assert!(
        tab[0].message.ends_with("Line breaks and tabs are fine."),
        "{}",
        tab[0].message
    );
}

#[test]
fn a_confirmed_start_time_follows_the_same_rules_as_the_preferred_times() {
    let practice = catalog().practice;
    let now = london(NOW);
    let at = |text: &str, minutes| {
        check_start(
            LondonDateTime::parse(text).unwrap(),
            minutes,
            &practice,
            now,
        )
        .map_err(|(code, _)| code)
    };
    assert_eq!(at("2026-12-01T18:00", Some(60)), Ok(()));
    assert_eq!(at("2026-11-24T09:30", Some(60)), Err("too_soon"));
    assert_eq!(at("2026-11-23T12:00", None), Err("too_soon"), "in the past");
    assert_eq!(at("2026-12-01T10:45", Some(60)), Err("outside_hours"));
    assert_eq!(at("2026-12-01T21:30", Some(60)), Err("ends_after_closing"));
    assert_eq!(at("2026-12-01T21:30", None), Ok(()), "length unknown");
    assert_eq!(at("2027-03-01T12:00", Some(60)), Err("too_far_ahead"));
}
