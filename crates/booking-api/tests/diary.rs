//! Her diary in the inbox over real HTTP and SQLite (issue 22): time she blocks holds her
//! diary (the booking page stops offering it, a confirmation over it is refused naming it),
//! nonsense is refused next to its field, blocking over a booking asks first and names it,
//! and the day and week views show bookings, journeys and blocked time.

mod common;

use common::inbox::{
    Browser, PASSWORD, free_starts_on, hidden, location, send_request, start, status_of,
};
use common::{database, noon_in, valid_body};
use reqwest::StatusCode;
use serde_json::{Value, json};

fn day_in(days: i64) -> String {
    noon_in(days)[..10].to_owned()
}

/// The blocked times' remove addresses on a diary page, in order.
fn remove_actions(html: &str) -> Vec<String> {
    html.split("action=\"/inbox/blocked/")
        .skip(1)
        .map(|rest| format!("/inbox/blocked/{}", rest.split('"').next().unwrap()))
        .collect()
}

#[tokio::test]
async fn a_blocked_evening_is_not_offered_and_a_confirmation_over_it_is_refused_naming_it() {
    let dir = tempfile::tempdir().unwrap();
    let server = start(&dir, &[]).await;
    let day = day_in(6);
    let mut browser = Browser::new(&server);
    browser.sign_in("/inbox", PASSWORD).await;

    // The diary is one tap from every inbox page.
    let (_, _, list) = browser.get("/inbox").await;
    assert!(list.contains("href=\"/inbox/diary\""), "{list}");
    let csrf = browser.csrf("/inbox/diary").await;
    assert!(
        free_starts_on(&server, &day)
            .await
            .contains(&"19:00".into())
    );

    let (status, headers, _) = browser
        .post(
            "/inbox/blocked",
            &[
                ("csrf", &csrf),
                ("date", &day),
                ("from", "18:00"),
                ("to", "22:00"),
                ("note", "Theatre <3"),
                ("view", "day"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(
        location(&headers),
        format!("/inbox/diary?date={day}&view=day&done=blocked")
    );

    // The booking page no longer offers the evening, nor an hour running into it.
    let starts = free_starts_on(&server, &day).await;
    for gone in ["17:30", "18:00", "19:00", "21:00"] {
        assert!(!starts.contains(&gone.to_owned()), "{gone} in {starts:?}");
    }
    assert!(starts.contains(&"17:00".to_owned()), "{starts:?}");

    // A request for 19:00 sent from a page loaded before is refused next to that time.
    let mut late = valid_body("Sam");
    late["preferred_times"] = json!([format!("{day}T19:00")]);
    let refused = server.post("key-blocked-1", &late.to_string()).await;
    assert_eq!(refused.status(), 422);
    let errors: Value = refused.json().await.unwrap();
    assert_eq!(errors["errors"][0]["field"], "preferred_times.0");
    assert!(!errors.to_string().contains("Theatre"), "{errors}");

    // A request for the afternoon, moved to the evening: refused, naming the blocked time.
    let mut body = valid_body("Jo");
    body["preferred_times"] = json!([format!("{day}T14:00")]);
    let jo = send_request(&server, "key-blocked-2", &body).await;
    let page = format!("/inbox/requests/{jo}");
    let (csrf, seen) = browser.form_tokens(&page).await;
    let (status, _, html) = browser
        .post(
            &format!("{page}/confirm"),
            &[
                ("csrf", &csrf),
                ("seen", &seen),
                ("time", "other"),
                ("other_date", &day),
                ("other_time", "19:00"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        html.contains("overlaps with time you blocked, 18:00\u{2013}22:00 (Theatre &lt;3)"),
        "{html}"
    );
    assert_eq!(status_of(&database(&dir), &jo).0, "new");

    // The day shows the blocked evening, escaped, with its remove button.
    let (status, _, html) = browser
        .get(&format!("/inbox/diary?date={day}&view=day"))
        .await;
    assert_eq!(status, 200);
    assert!(html.contains("18:00\u{2013}22:00"), "{html}");
    assert!(html.contains("Blocked: Theatre &lt;3"), "{html}");
    let removes = remove_actions(&html);
    assert_eq!(removes.len(), 1, "{html}");

    // Removed: the evening is offered again; a second press changes nothing.
    let fields = [("csrf", csrf.as_str()), ("date", &day), ("view", "week")];
    let (status, headers, _) = browser.post(&removes[0], &fields).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert!(location(&headers).ends_with("&view=week&done=removed"));
    assert!(
        free_starts_on(&server, &day)
            .await
            .contains(&"19:00".into())
    );
    let (_, headers, _) = browser.post(&removes[0], &fields).await;
    assert!(location(&headers).ends_with("&done=already"));

    // Without the session's token, nothing is blocked.
    let (status, _, _) = browser
        .post(
            "/inbox/blocked",
            &[("csrf", "wrong"), ("date", &day), ("whole_day", "yes")],
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert!(
        free_starts_on(&server, &day)
            .await
            .contains(&"19:00".into())
    );
}

#[tokio::test]
async fn nonsense_is_refused_next_to_the_field_and_nothing_is_kept() {
    let dir = tempfile::tempdir().unwrap();
    let server = start(&dir, &[]).await;
    let mut browser = Browser::new(&server);
    browser.sign_in("/inbox", PASSWORD).await;
    let csrf = browser.csrf("/inbox/diary").await;
    let day = day_in(5);

    let (status, _, html) = browser
        .post(
            "/inbox/blocked",
            &[
                ("csrf", &csrf),
                ("date", &day),
                ("from", "22:00"),
                ("to", "18:00"),
                ("note", "kept as typed"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        html.contains("id=\"block-to-error\">It ends before it starts"),
        "{html}"
    );
    assert!(
        html.contains("aria-describedby=\"block-to-hint block-to-error\""),
        "{html}"
    );
    assert!(html.contains("value=\"kept as typed\""), "{html}");
    // On a phone the page comes back at the form, its messages listed first, each a link
    // to its field; the browser's own checks are off so these are the ones she sees.
    assert!(
        html.contains("action=\"/inbox/blocked#block-heading\" class=\"stack\" novalidate"),
        "{html}"
    );
    assert!(
        html.contains("<li><a href=\"#block-to\">To: It ends before it starts."),
        "{html}"
    );

    // A year typed wrong is caught next to the day.
    let year: i32 = day[..4].parse().unwrap();
    let mistyped = format!("{}{}", year + 30, &day[4..]);
    let (status, _, html) = browser
        .post(
            "/inbox/blocked",
            &[("csrf", &csrf), ("date", &mistyped), ("whole_day", "yes")],
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        html.contains("id=\"block-date-error\">Enter a day within a year from today"),
        "{html}"
    );

    let (status, _, html) = browser
        .post(
            "/inbox/blocked",
            &[("csrf", &csrf), ("date", &day_in(-2)), ("whole_day", "yes")],
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        html.contains("id=\"block-date-error\">This time is already over"),
        "{html}"
    );
    let (_, _, html) = browser.get(&format!("/inbox/diary?date={day}")).await;
    assert!(remove_actions(&html).is_empty(), "{html}");

    // A date that cannot be read shows today, and says so.
    let (status, _, html) = browser.get("/inbox/diary?date=someday&view=day").await;
    assert_eq!(status, 200);
    assert!(html.contains("That date could not be read"), "{html}");
    assert!(html.contains("(today)"), "{html}");
}

#[tokio::test]
async fn blocking_over_a_booking_names_it_first_and_leaves_it_booked() {
    let dir = tempfile::tempdir().unwrap();
    let server = start(&dir, &[]).await;
    let day = day_in(8);
    let mut body = valid_body("Jane");
    body["location"] = json!("outcall");
    body["minutes"] = json!(90);
    body["address"] = json!("1 Example Road");
    body["postcode"] = json!("SW11 1AA");
    body["preferred_times"] = json!([format!("{day}T15:00")]);
    let jane = send_request(&server, "key-over-1", &body).await;
    let mut browser = Browser::new(&server);
    browser.sign_in("/inbox", PASSWORD).await;
    let page = format!("/inbox/requests/{jane}");
    let (csrf, seen) = browser.form_tokens(&page).await;
    let (status, _, _) = browser
        .post(
            &format!("{page}/confirm"),
            &[
                ("csrf", &csrf),
                ("seen", &seen),
                ("time", &format!("{day}T15:00")),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);

    // The week shows her booking with its journeys there and back, in London time.
    let (_, _, html) = browser
        .get(&format!("/inbox/diary?date={day}&view=week"))
        .await;
    assert!(html.contains("15:00\u{2013}16:30"), "{html}");
    assert!(
        html.contains(&format!("href=\"/inbox/requests/{jane}\">Jane</a>")),
        "{html}"
    );
    assert!(html.contains("Outcall, SW11"), "{html}");
    assert!(
        html.contains("Travel, 30 min: from the studio to SW11"),
        "{html}"
    );
    assert!(
        html.contains("Travel, 30 min: from SW11 to the studio"),
        "{html}"
    );
    assert_eq!(html.matches("<section class=\"day\"").count(), 7, "{html}");

    // A day off over it: asked first, naming the booking; nothing kept yet.
    let holiday = [
        ("csrf", csrf.as_str()),
        ("date", &day),
        ("whole_day", "yes"),
        ("note", "Day off"),
        ("view", "day"),
    ];
    let (status, _, html) = browser.post("/inbox/blocked", &holiday).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        html.contains("This time includes confirmed bookings"),
        "{html}"
    );
    assert!(
        html.contains("Jane, ") && html.contains(&format!("({jane})")),
        "{html}"
    );
    assert!(html.contains("Block anyway"), "{html}");
    let (_, _, diary) = browser.get(&format!("/inbox/diary?date={day}")).await;
    assert!(remove_actions(&diary).is_empty());

    // "Block anyway" is for the time it named: sent with another time, it asks again.
    let checked = hidden(&html, "anyway");
    let mut evening = holiday.to_vec();
    evening.retain(|(name, _)| *name != "whole_day");
    evening.extend([("from", "14:00"), ("to", "18:00"), ("anyway", &checked)]);
    let (status, _, html) = browser.post("/inbox/blocked", &evening).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        html.contains("This time includes confirmed bookings"),
        "{html}"
    );
    let (_, _, diary) = browser.get(&format!("/inbox/diary?date={day}")).await;
    assert!(remove_actions(&diary).is_empty());

    // Blocked anyway: the day is blocked, the booking stays confirmed.
    let mut anyway = holiday.to_vec();
    anyway.push(("anyway", &checked));
    let (status, _, _) = browser.post("/inbox/blocked", &anyway).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(status_of(&database(&dir), &jane).0, "confirmed");
    let (_, _, html) = browser
        .get(&format!("/inbox/diary?date={day}&view=day"))
        .await;
    assert!(
        html.contains("All day") && html.contains("Blocked: Day off"),
        "{html}"
    );
    assert!(html.contains("15:00\u{2013}16:30"), "{html}");
    assert!(free_starts_on(&server, &day).await.is_empty());
}

/// The next Sunday the clocks change on.
fn next_clock_change() -> massage_core::calendar::Date {
    let today = massage_core::calendar::Date::parse_iso(&day_in(0)).unwrap();
    (today.year..=today.year + 1)
        .flat_map(|year| {
            [
                massage_core::calendar::Date::last_sunday(year, 3),
                massage_core::calendar::Date::last_sunday(year, 10),
            ]
        })
        .find(|d| d.days_since_epoch() > today.days_since_epoch() + 1)
        .unwrap()
}

#[tokio::test]
async fn a_block_over_the_clock_change_shows_on_each_day_and_goes_whole_from_a_later_one() {
    let dir = tempfile::tempdir().unwrap();
    let server = start(&dir, &[]).await;
    let mut browser = Browser::new(&server);
    browser.sign_in("/inbox", PASSWORD).await;
    let csrf = browser.csrf("/inbox/diary").await;
    let sunday = next_clock_change();
    let date = |days: i64| {
        massage_core::calendar::Date::from_days_since_epoch(sunday.days_since_epoch() + days)
    };
    let (saturday, monday) = (date(-1), date(1));
    let (status, _, _) = browser
        .post(
            "/inbox/blocked",
            &[
                ("csrf", &csrf),
                ("date", &saturday.to_string()),
                ("last_date", &monday.to_string()),
                ("from", "18:00"),
                ("to", "10:00"),
                ("note", "Away"),
                ("view", "week"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);

    // The week: Saturday from 18:00, the Sunday of 23 or 25 hours all day, each naming the
    // whole block, whose Remove takes all of it and says so.
    let (_, _, week) = browser
        .get(&format!("/inbox/diary?date={saturday}&view=week"))
        .await;
    let whole = format!("{} 18:00 to {} 10:00", saturday.short(), monday.short());
    let section = |html: &str, date: massage_core::calendar::Date| {
        let start = html.find(&format!("id=\"day-{date}\"")).unwrap();
        let end = html[start..].find("</section>").unwrap();
        html[start..start + end].to_owned()
    };
    let on_saturday = section(&week, saturday);
    assert!(
        on_saturday.contains("<span class=\"when\">from 18:00</span>"),
        "{on_saturday}"
    );
    assert!(
        on_saturday.contains(&format!("Blocked ({whole}): Away")),
        "{on_saturday}"
    );
    assert!(
        on_saturday.contains(&format!(
            "Remove all of it<span class=\"visually-hidden\"> blocked time, {whole}</span>"
        )),
        "{on_saturday}"
    );
    let on_sunday = section(&week, sunday);
    assert!(
        on_sunday.contains("<span class=\"when\">All day</span>"),
        "{on_sunday}"
    );

    // Removed from the Monday, where it ends: gone from every day.
    let (_, _, day) = browser
        .get(&format!("/inbox/diary?date={monday}&view=day"))
        .await;
    assert!(
        day.contains("<span class=\"when\">until 10:00</span>"),
        "{day}"
    );
    let removes = remove_actions(&day);
    assert_eq!(removes.len(), 1, "{day}");
    let fields = [
        ("csrf", csrf.as_str()),
        ("date", &monday.to_string()),
        ("view", "day"),
    ];
    let (status, _, _) = browser.post(&removes[0], &fields).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (_, _, week) = browser
        .get(&format!("/inbox/diary?date={saturday}&view=week"))
        .await;
    assert!(remove_actions(&week).is_empty(), "{week}");
}

#[tokio::test]
async fn blocks_and_bookings_over_midnight_show_on_both_days() {
    let dir = tempfile::tempdir().unwrap();
    let server = start(&dir, &[]).await;
    let mut browser = Browser::new(&server);
    browser.sign_in("/inbox", PASSWORD).await;
    let csrf = browser.csrf("/inbox/diary").await;
    let (day, next) = (day_in(10), day_in(11));
    let (status, _, _) = browser
        .post(
            "/inbox/blocked",
            &[
                ("csrf", &csrf),
                ("date", &day),
                ("last_date", &next),
                ("from", "22:30"),
                ("to", "02:00"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    // A late booking (arranged by hand, running past midnight) shows on the day after too.
    let late = send_request(&server, "key-late-1", &valid_body("Night Owl")).await;
    rusqlite::Connection::open(database(&dir))
        .unwrap()
        .execute(
            "UPDATE booking_requests SET status = 'confirmed', confirmed_time = ?1 WHERE reference = ?2",
            [format!("{day}T23:30"), late.clone()],
        )
        .unwrap();
    let (_, _, first) = browser
        .get(&format!("/inbox/diary?date={day}&view=day"))
        .await;
    assert!(
        first.contains("<span class=\"when\">from 22:30</span><span>Blocked (")
            && first.contains("<span class=\"when\">from 23:30</span>"),
        "{first}"
    );
    let (_, _, second) = browser
        .get(&format!("/inbox/diary?date={next}&view=day"))
        .await;
    assert!(
        second.contains("<span class=\"when\">until 02:00</span><span>Blocked ("),
        "{second}"
    );
    assert!(
        second.contains(&format!(
            "<span class=\"when\">until 00:30</span><span><a href=\"/inbox/requests/{late}\">Night Owl</a>"
        )),
        "{second}"
    );
    // "To" 00:00 is the midnight that ends the day.
    let (status, _, _) = browser
        .post(
            "/inbox/blocked",
            &[
                ("csrf", &csrf),
                ("date", &day_in(12)),
                ("from", "21:00"),
                ("to", "00:00"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let starts = free_starts_on(&server, &day_in(12)).await;
    assert!(
        starts.contains(&"19:30".into()) && !starts.contains(&"20:30".into()),
        "{starts:?}"
    );
}
