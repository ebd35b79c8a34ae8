use super::*;
use crate::booking::fixtures::catalog;
use crate::booking::validate::validate;

fn row(date: &str, time: &str) -> (String, String) {
    (date.to_owned(), time.to_owned())
}

fn error(field: &str, message: &str) -> FieldError {
    FieldError::new(field, "code", message)
}

fn filled() -> Draft {
    Draft {
        service_id: "deep".into(),
        minutes: 90,
        location: Location::Outcall,
        address: "  1 Example Street ".into(),
        postcode: " SW1A 1AA".into(),
        times: vec![
            row("2026-12-01", "18:00"),
            row("", ""),
            row("2026-12-02", ""),
        ],
        name: " Sam ".into(),
        email: "sam@example.com ".into(),
        phone: String::new(),
        notes: " Shoulders ".into(),
    }
}

#[test]
fn a_fresh_draft_takes_the_asked_for_service_or_the_first() {
    let catalog = catalog();
    for (asked, service, minutes, location) in [
        (None, "deep", 60, Location::InCall),
        (Some("home-only"), "home-only", 60, Location::Outcall),
        (Some("room-only"), "room-only", 30, Location::InCall),
        (Some("reiki"), "deep", 60, Location::InCall),
    ] {
        let draft = Draft::fresh(&catalog, asked);
        assert_eq!(
            (draft.service_id.as_str(), draft.minutes, draft.location),
            (service, minutes, location),
            "{asked:?}"
        );
        assert_eq!(draft.times, vec![row("", "")], "one blank row to fill in");
    }
}

#[test]
fn a_draft_becomes_a_trimmed_request_without_blank_rows() {
    let request = filled().to_request(None, "bot".into());
    assert_eq!(request.address, "1 Example Street");
    assert_eq!(request.postcode, "SW1A 1AA");
    assert_eq!(request.preferred_times, ["2026-12-01T18:00", "2026-12-02T"]);
    assert_eq!(request.time_zone, "Europe/London");
    assert_eq!(
        (request.name.as_str(), request.email.as_str()),
        ("Sam", "sam@example.com")
    );
    assert_eq!(request.notes, "Shoulders");
    assert_eq!(request.website, "bot");
}

#[test]
fn an_address_typed_before_choosing_in_call_is_not_sent() {
    let mut draft = filled();
    draft.location = Location::InCall;
    let request = draft.to_request(None, String::new());
    assert_eq!(
        (request.address, request.postcode),
        (String::new(), String::new())
    );
}

#[test]
fn a_refused_request_comes_back_as_the_draft_it_was_sent_from() {
    let mut draft = filled();
    draft.times.remove(1);
    let trimmed = Draft::from_request(&draft.to_request(None, String::new()));
    assert_eq!(
        trimmed.to_request(None, String::new()),
        draft.to_request(None, String::new())
    );
    assert_eq!(
        trimmed.times,
        vec![row("2026-12-01", "18:00"), row("2026-12-02", "")]
    );
}

#[test]
fn the_stored_draft_keeps_its_json_shape() {
    // Drafts already on visitors' phones must still load.
    let stored = r#"{"service_id":"deep","minutes":60,"location":"outcall","times":[["2026-12-01","18:00"]],"name":"Sam"}"#;
    let draft: Draft = serde_json::from_str(stored).unwrap();
    assert_eq!(draft.location, Location::Outcall);
    assert_eq!(draft.times, vec![row("2026-12-01", "18:00")]);
    assert_eq!(draft.email, "");
}

#[test]
fn choosing_a_service_keeps_what_it_offers_and_changes_what_it_does_not() {
    let catalog = catalog();
    let mut draft = Draft::fresh(&catalog, Some("deep"));
    draft.minutes = 90;
    draft.location = Location::Outcall;
    draft.choose_service(catalog.service("home-only").unwrap());
    assert_eq!((draft.minutes, draft.location), (60, Location::Outcall));
    draft.choose_service(catalog.service("room-only").unwrap());
    assert_eq!((draft.minutes, draft.location), (30, Location::InCall));
    draft.choose_service(catalog.service("deep").unwrap());
    assert_eq!((draft.minutes, draft.location), (60, Location::InCall));
}

#[test]
fn rows_of_times_stop_at_the_most_a_request_may_ask_for_and_never_reach_none() {
    let mut draft = Draft::fresh(&catalog(), None);
    assert_eq!(draft.add_time(), Some(1));
    assert_eq!(draft.add_time(), Some(2));
    assert!(!draft.can_add_time());
    assert_eq!(draft.add_time(), None);
    assert_eq!(draft.times.len(), MAX_TIMES);
    for _ in 0..5 {
        draft.remove_time(0);
    }
    assert_eq!(draft.times.len(), 1);
}

#[test]
fn an_error_focuses_the_element_it_is_about() {
    let draft = filled(); // rows on screen: sent, blank, sent
    for (field, element) in [
        ("name", "name"),
        ("health_consent", "health_consent"),
        ("location", "location-in_call"),
        ("preferred_times", "time-date-0"),
        ("preferred_times.0", "time-date-0"),
        ("preferred_times.1", "time-date-2"),
        ("preferred_times.7", "time-date-0"),
    ] {
        assert_eq!(draft.element_for(field), element, "{field}");
    }
    assert_eq!(
        (
            draft.time_field(0),
            draft.time_field(1),
            draft.time_field(2)
        ),
        (
            Some("preferred_times.0".into()),
            None,
            Some("preferred_times.1".into())
        )
    );
}

#[test]
fn the_first_error_of_a_real_request_focuses_a_real_row() {
    // The rules name the second time sent; on screen it is the third row.
    let draft = filled();
    let errors = validate(&draft.to_request(None, String::new()), &catalog(), 0).unwrap_err();
    let times: Vec<_> = errors
        .iter()
        .filter(|e| e.field.starts_with("preferred_times."))
        .collect();
    assert_eq!(draft.element_for(&times[1].field), "time-date-2");
}

#[test]
fn a_fields_own_message_waits_until_the_visitor_leaves_it_or_presses_send() {
    let client = [
        error("name", "Enter your name."),
        error("email", "Bad e-mail."),
    ];
    let mut shown = Shown::default();
    assert_eq!(message_for("name", &[], &client, &shown), None);
    shown.left("name");
    assert_eq!(
        message_for("name", &[], &client, &shown).as_deref(),
        Some("Enter your name.")
    );
    assert_eq!(message_for("email", &[], &client, &shown), None);
    shown.send_pressed();
    assert_eq!(
        message_for("email", &[], &client, &shown).as_deref(),
        Some("Bad e-mail.")
    );
    assert_eq!(message_for("phone", &[], &client, &shown), None);
}

#[test]
fn the_receivers_message_shows_at_once_until_the_field_is_changed() {
    let mut server = vec![
        error("preferred_times.0", "Too soon."),
        error("preferred_times.1", "Too late."),
        error("name", "Server says no."),
    ];
    let client = [error("name", "Enter your name.")];
    let shown = Shown::default();
    assert_eq!(
        message_for("preferred_times.0", &server, &[], &shown).as_deref(),
        Some("Too soon.")
    );
    assert_eq!(
        message_for("name", &server, &client, &shown).as_deref(),
        Some("Server says no.")
    );
    forget(&mut server, "preferred_times");
    assert_eq!(server, vec![error("name", "Server says no.")]);
    forget(&mut server, "name");
    assert_eq!(message_for("name", &server, &client, &shown), None);
}

#[test]
fn the_summary_lists_the_receivers_errors_then_all_once_send_is_pressed_in_form_order() {
    let server = [error("email", "Server: e-mail.")];
    let client = [
        error("preferred_times", "Choose a time."),
        error("name", "Enter your name."),
        error("email", "Client: e-mail."),
    ];
    let mut shown = Shown::default();
    shown.left("name");
    let fields = |errors: Vec<FieldError>| -> Vec<String> {
        errors.into_iter().map(|e| e.message).collect()
    };
    assert_eq!(
        fields(summary(&server, &client, &shown)),
        ["Server: e-mail."]
    );
    shown.send_pressed();
    assert_eq!(
        fields(summary(&server, &client, &shown)),
        ["Choose a time.", "Enter your name.", "Server: e-mail."]
    );
}

#[test]
fn start_times_run_on_the_grid_until_the_last_that_ends_by_closing() {
    let practice = catalog().practice; // 11:00 to 22:00
    for (every, minutes, count, second, last) in [
        (15, 60, 41, "11:15", "21:00"),
        (15, 90, 39, "11:15", "20:30"),
        (15, 30, 43, "11:15", "21:30"),
        (30, 60, 21, "11:30", "21:00"),
        (20, 90, 29, "11:20", "20:20"),
    ] {
        let times: Vec<String> = start_times(&practice, minutes, every)
            .iter()
            .map(|t| t.to_string())
            .collect();
        let what = format!("{minutes} min every {every}");
        assert_eq!(times.first().map(String::as_str), Some("11:00"), "{what}");
        assert_eq!(times[1], second, "{what}");
        assert_eq!(
            (times.len(), times.last().unwrap().as_str()),
            (count, last),
            "{what}"
        );
    }
    assert!(
        start_times(&practice, 12 * 60, 15).is_empty(),
        "no start ends in time"
    );
}

#[test]
fn every_start_time_offered_is_one_the_rules_accept() {
    let catalog = catalog();
    let now = LondonDateTime::parse("2026-11-24T09:00")
        .unwrap()
        .to_utc_minutes()
        * 60;
    for minutes in [60, 90] {
        for time in start_times(&catalog.practice, minutes, QUARTER_HOUR) {
            let mut draft = Draft::fresh(&catalog, Some("deep"));
            draft.minutes = minutes;
            draft.times = vec![row("2026-12-01", &time.to_string())];
            draft.name = "Sam".into();
            draft.email = "sam@example.com".into();
            let request = draft.to_request(None, String::new());
            assert_eq!(
                validate(&request, &catalog, now),
                Ok(()),
                "{minutes} at {time}"
            );
        }
    }
}

/// Seconds since the epoch of a London time.
fn london(text: &str) -> i64 {
    LondonDateTime::parse(text).unwrap().to_utc_minutes() * 60
}

fn range(practice: &crate::services::Practice, now: &str) -> (String, String) {
    let (first, last) = date_range(practice, london(now));
    (first.to_string(), last.to_string())
}

#[test]
fn the_date_inputs_allow_the_days_the_notice_and_window_leave() {
    let mut practice = catalog().practice; // an hour's notice, 90 days
    // 23:30 UTC on 30 June is already 1 July in London (BST).
    assert_eq!(
        range(&practice, "2026-07-01T00:30"),
        ("2026-07-01".into(), "2026-09-29".into())
    );
    // At 21:30 an hour's notice reaches past closing: tomorrow is the first day.
    assert_eq!(range(&practice, "2026-07-01T21:30").0, "2026-07-02");
    assert_eq!(range(&practice, "2026-07-01T20:59").0, "2026-07-01");
    // A day's notice and a fortnight's window, across the October clock change.
    practice.scheduling.minimum_notice_hours = 24;
    practice.scheduling.booking_window_days = 14;
    assert_eq!(
        range(&practice, "2026-10-20T10:00"),
        ("2026-10-21".into(), "2026-11-03".into())
    );
    assert_eq!(range(&practice, "2026-10-20T22:30").0, "2026-10-22");
}

#[test]
fn the_zone_label_names_the_clock_london_keeps_on_the_date_chosen() {
    let today = Date::parse_iso("2026-11-24").unwrap();
    for (date, label) in [
        ("", "London time, GMT"),
        ("not a date", "London time, GMT"),
        ("2026-07-01", "London time, BST"),
        ("2026-03-28", "London time, GMT"),
        ("2026-03-29", "London time, BST"),
        ("2026-10-24", "London time, BST"),
        ("2026-10-25", "London time, GMT"),
    ] {
        assert_eq!(zone_label(date, today), label, "{date:?}");
    }
    assert_eq!(
        zone_label("", Date::parse_iso("2026-08-01").unwrap()),
        "London time, BST"
    );
}
