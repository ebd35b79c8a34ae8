//! After the request (issue 23), over real HTTP, SQLite and a loopback SMTP server: the link
//! in every client e-mail and each state it opens (fresh, used, unknown, inside the
//! cancellation notice), a client cancelling or asking to move, the therapist moving,
//! cancelling or arranging by phone, the calendar updates (same UID, higher SEQUENCE,
//! METHOD REQUEST or CANCEL, read back with a real iCalendar parser), the reminder the day
//! before, and the request nobody answered.

mod common;

use common::inbox::*;
use common::smtp::{self, Messages, wait_for};
use common::{Server, database, noon_in, valid_body};
use icalendar::{Calendar, CalendarDateTime, Component, DatePerhapsTime, EventStatus};
use massage_core::booking::london_time::LondonDateTime;
use massage_core::calendar::utc_timestamp;
use reqwest::StatusCode;
use serde_json::json;
use std::path::Path;

const SITE: &str = "https://www.example.com";

fn env(port: u16) -> Vec<(&'static str, String)> {
    let mut env = smtp::env(port);
    env.push(("BOOKING_API_PUBLIC_URL", SITE.into()));
    env
}

/// The path of the link to manage the booking in an e-mail (`/manage/<token>`).
fn link_in(mail: &str) -> String {
    let start = mail
        .find(&format!("{SITE}/manage/"))
        .unwrap_or_else(|| panic!("no link in {mail}"))
        + SITE.len();
    mail[start..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, '/' | '-' | '_'))
        .collect()
}

/// What a calendar reads in an invite: its METHOD, and the event's UID, SEQUENCE, STATUS
/// and start (UTC).
#[derive(Debug, PartialEq)]
struct Read {
    method: String,
    uid: String,
    sequence: u32,
    status: Option<EventStatus>,
    start: String,
}

fn read(ics: &str) -> Read {
    let calendar: Calendar = ics.parse().unwrap();
    let event = calendar.events().next().unwrap();
    let start = match event.get_start() {
        Some(DatePerhapsTime::DateTime(CalendarDateTime::Utc(t))) => t.to_rfc3339(),
        other => panic!("{other:?}"),
    };
    Read {
        method: calendar.property_value("METHOD").unwrap().to_owned(),
        uid: event.get_uid().unwrap().to_owned(),
        sequence: event.get_sequence().unwrap(),
        status: event.get_status(),
        start,
    }
}

/// The UTC instant of a London time, as an invite must carry it (BST or GMT).
fn utc_of(london: &str) -> String {
    let minutes = LondonDateTime::parse(london).unwrap().to_utc_minutes();
    chrono::DateTime::from_timestamp(minutes * 60, 0)
        .unwrap()
        .to_rfc3339()
}

fn count_to(messages: &Messages, to: &str, about: &str) -> usize {
    messages
        .lock()
        .unwrap()
        .iter()
        .filter(|m| m.contains(&format!("To: {to}")) && readable(m).contains(about))
        .count()
}

/// The subject line of an e-mail as read: on her locked phone's screen for her notices.
fn subject(mail: &str) -> &str {
    mail.lines()
        .find(|l| l.starts_with("Subject: "))
        .unwrap_or_else(|| panic!("no subject in {mail}"))
}

/// A client with an e-mail address asking for `times`, with a health summary.
fn request_for(name: &str, email: &str, times: &[&str]) -> serde_json::Value {
    let mut body = valid_body(name);
    body["email"] = json!(email);
    body["phone"] = json!("07700 900123");
    body["preferred_times"] = json!(times);
    body["health"] = json!({ "summary": "SECRET-HEALTH-DETAIL", "consent": { "given": true, "text_version": "health-2026-11", "given_at": "2026-11-24T09:00:00Z" } });
    body
}

/// Signs in and confirms `reference` at `time` (one of its times).
async fn confirm(browser: &mut Browser<'_>, reference: &str, time: &str) {
    let page = format!("/inbox/requests/{reference}");
    let (csrf, seen) = browser.form_tokens(&page).await;
    let (status, _, html) = browser
        .post(
            &format!("{page}/confirm"),
            &[("csrf", &csrf), ("seen", &seen), ("time", time)],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{html}");
}

async fn signed_in(server: &Server) -> Browser<'_> {
    let mut browser = Browser::new(server);
    browser.origin = SITE.into();
    browser.sign_in("/inbox", PASSWORD).await;
    browser
}

/// A visitor's browser on the client's page: no cookies, this site's origin.
fn visitor(server: &Server) -> Browser<'_> {
    let mut browser = Browser::new(server);
    browser.origin = SITE.into();
    browser
}

/// Seconds since 1970 (UTC), now.
fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
}

fn sql<T: rusqlite::types::FromSql>(db: &Path, query: &str) -> T {
    rusqlite::Connection::open(db)
        .unwrap()
        .query_row(query, [], |r| r.get(0))
        .unwrap()
}

#[tokio::test]
async fn a_client_cancels_with_the_link_in_their_email_and_the_time_is_free_again() {
    let dir = tempfile::tempdir().unwrap();
    let (port, messages) = smtp::start().await;
    let server = start(&dir, &env(port)).await;
    let time = noon_in(7);
    let day = &time[..10];
    let reference = send_request(
        &server,
        "key-after-01",
        &request_for("Sam", "sam@example.com", &[&time]),
    )
    .await;
    let (receipt, _) = mail(&messages, "sam@example.com", "received").await;
    let receipt_link = link_in(&receipt);
    assert!(receipt.contains("withdraw the request"), "{receipt}");
    // It says when an unanswered request lapses: 48 hours after it arrived.
    let received: String = sql(&database(&dir), "SELECT received_at FROM booking_requests");
    let lapses = massage_core::calendar::utc_seconds(&received).unwrap() + 48 * 3600;
    assert!(
        receipt.contains(&format!(
            "If I have not answered by {} (London time), the request lapses",
            LondonDateTime::from_utc_seconds(lapses).for_people()
        )),
        "{receipt}"
    );

    let mut browser = signed_in(&server).await;
    confirm(&mut browser, &reference, &time).await;
    let (confirmation, sent) = mail(&messages, "sam@example.com", "is confirmed").await;
    let link = link_in(&confirmation);
    assert_ne!(link, receipt_link, "each e-mail has its own link");
    // The link works until 24 hours before the session: the letter says until when.
    let until = LondonDateTime::parse(&time).unwrap().to_utc_minutes() * 60 - 24 * 3600;
    assert!(
        confirmation.contains(&format!(
            "open this link (until {} London time;",
            LondonDateTime::from_utc_seconds(until).for_people()
        )),
        "{confirmation}"
    );
    let invite = read(&ics_of(&sent));
    assert_eq!(
        invite,
        Read {
            method: "REQUEST".into(),
            uid: format!("{reference}@www.example.com"),
            sequence: 0,
            status: Some(EventStatus::Confirmed),
            start: utc_of(&time),
        }
    );
    assert!(!free_starts_on(&server, day).await.contains(&"12:00".into()));

    // The page: the booking, no health details, and plain forms; never cached or indexed,
    // and the token never sent to another site in a Referer.
    let mut client = visitor(&server);
    let (status, headers, page) = client.get(&link).await;
    assert_eq!(status, 200, "{page}");
    assert_eq!(headers["cache-control"], "no-store");
    assert_eq!(headers["x-robots-tag"], "noindex, nofollow");
    assert_eq!(headers["referrer-policy"], "same-origin");
    assert!(
        headers["content-security-policy"]
            .to_str()
            .unwrap()
            .contains("default-src 'none'")
    );
    assert!(page.contains("Booked: "), "{page}");
    assert!(page.contains("Cancel my booking on "), "{page}");
    assert!(!page.contains("SECRET-HEALTH-DETAIL") && !page.contains("<script"));
    let seen = hidden(&page, "seen");

    // A form without a readable version changes nothing, and says so on the page.
    let (status, _, page) = client
        .post(&format!("{link}/cancel"), &[("seen", "x")])
        .await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert!(page.contains("Nothing was done"), "{page}");
    // A form from another site changes nothing.
    client.origin = "https://evil.example".into();
    let (status, _, _) = client
        .post(&format!("{link}/cancel"), &[("seen", &seen)])
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_eq!(status_of(&database(&dir), &reference).0, "confirmed");

    client.origin = SITE.into();
    let (status, headers, _) = client
        .post(&format!("{link}/cancel"), &[("seen", &seen)])
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(location(&headers), format!("{link}?done=cancelled"));
    let (_, _, page) = client.get(&format!("{link}?done=cancelled")).await;
    assert!(page.contains("Done: cancelled."), "{page}");
    assert_eq!(status_of(&database(&dir), &reference).0, "cancelled");

    // The client's calendar drops the event: the same UID, the next SEQUENCE, CANCEL.
    let (cancelled, sent) = mail(&messages, "sam@example.com", "is cancelled").await;
    assert!(cancelled.contains("As you asked"), "{cancelled}");
    assert_eq!(
        read(&ics_of(&sent)),
        Read {
            method: "CANCEL".into(),
            sequence: 1,
            status: Some(EventStatus::Cancelled),
            ..invite
        }
    );
    assert!(sent.contains("method=CANCEL"), "{sent}");
    // She is told, with the inbox link and without health details.
    let (notice, _) = mail(
        &messages,
        "therapist@example.com",
        "cancelled their booking",
    )
    .await;
    assert!(
        notice.contains(&format!("{SITE}/inbox/requests/{reference}")),
        "{notice}"
    );
    assert!(notice.contains("Phone: 07700 900123"), "{notice}");
    assert!(!subject(&notice).contains("Sam"), "{notice}");
    assert!(!notice.contains("SECRET-HEALTH-DETAIL"));
    // The time is offered again at once.
    assert!(free_starts_on(&server, day).await.contains(&"12:00".into()));

    // The same form again (a double tap, a second tab) does nothing and says so.
    let (status, _, page) = client
        .post(&format!("{link}/cancel"), &[("seen", &seen)])
        .await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert!(page.contains("Nothing was done"), "{page}");
    assert!(page.contains("was cancelled on"), "{page}");
    // Any old link says what happened, and offers no form.
    let (status, _, page) = client.get(&receipt_link).await;
    assert_eq!(status, 200);
    assert!(page.contains("was cancelled on"), "{page}");
    assert!(!page.contains("<form"), "{page}");
    assert_eq!(count_to(&messages, "sam@example.com", "is cancelled"), 1);
    assert_eq!(
        count_to(
            &messages,
            "therapist@example.com",
            "cancelled their booking"
        ),
        1
    );

    // A link that does not exist: a plain page that says to call.
    let (status, _, page) = client.get("/manage/not-a-real-token").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(page.contains("tel:+442079460321"), "{page}");

    // In the inbox: under its own filter, and her history says who cancelled.
    let (_, _, list) = browser.get("/inbox?show=cancelled").await;
    assert!(
        list.contains("Cancelled (1)") && list.contains(&reference),
        "{list}"
    );
    let (_, _, html) = browser.get(&format!("/inbox/requests/{reference}")).await;
    assert!(html.contains("Cancelled by the client"), "{html}");
    for message in messages.lock().unwrap().iter() {
        assert!(!message.contains("SECRET-HEALTH-DETAIL"));
    }
    // The log has each visit to the page and its form, never the token itself.
    server
        .logged(&["path=/manage/…/cancel", "status=409"], 1)
        .await;
    for token in [&link, &receipt_link] {
        let token = token.trim_start_matches("/manage/");
        assert!(!server.log().contains(token), "{token} in the log");
    }
}

#[tokio::test]
async fn a_client_asks_to_move_and_she_confirms_a_new_time_with_an_updated_invite() {
    let dir = tempfile::tempdir().unwrap();
    let (port, messages) = smtp::start().await;
    let server = start(&dir, &env(port)).await;
    let time = noon_in(7);
    let later_day = &noon_in(8)[..10];
    let taken = format!("{later_day}T16:00");
    let wanted = format!("{later_day}T14:00");
    let reference = send_request(
        &server,
        "key-after-11",
        &request_for("Sam", "sam@example.com", &[&time]),
    )
    .await;
    let other = send_request(
        &server,
        "key-after-12",
        &request_for("Jo", "jo@example.com", &[&taken]),
    )
    .await;
    let mut browser = signed_in(&server).await;
    confirm(&mut browser, &reference, &time).await;
    confirm(&mut browser, &other, &taken).await;
    let (confirmation, _) = mail(&messages, "sam@example.com", "is confirmed").await;
    let link = link_in(&confirmation);
    let mut client = visitor(&server);
    let (_, _, page) = client.get(&link).await;
    assert!(page.contains("Free times in the next two weeks"), "{page}");
    let seen = hidden(&page, "seen");

    // A time outside opening hours, and one already booked: each refused next to its row,
    // what was typed kept, nothing changed.
    let (status, _, page) = client
        .post(
            &format!("{link}/move"),
            &[
                ("seen", &seen),
                ("date_0", later_day),
                ("time_0", "08:00"),
                ("date_1", later_day),
                ("time_1", "16:00"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        page.contains("id=\"row-0-error\"") && page.contains("Sessions run from 11:00"),
        "{page}"
    );
    assert!(
        page.contains("id=\"row-1-error\"") && page.contains("already booked"),
        "{page}"
    );
    assert!(page.contains(&format!("value=\"{later_day}\"")), "{page}");
    // Summed up at the top, each linking to its row (the rows are far down a phone's screen).
    let summary = &page[page.find("role=\"alert\"").expect(&page)..];
    assert!(
        summary.find("href=\"#date-0\"") < summary.find("id=\"date-0\"")
            && summary.contains("href=\"#date-1\""),
        "{page}"
    );
    assert_eq!(status_of(&database(&dir), &reference).0, "confirmed");
    // An address saying it was done says so only while it is true.
    let (_, _, page) = client.get(&format!("{link}?done=cancelled")).await;
    assert!(!page.contains("Done: cancelled"), "{page}");

    let (status, _, _) = client
        .post(
            &format!("{link}/move"),
            &[("seen", &seen), ("date_0", later_day), ("time_0", "14:00")],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(status_of(&database(&dir), &reference).0, "moving");
    // Her old time is free at once; she is told; the client hears it arrived.
    assert!(
        free_starts_on(&server, &time[..10])
            .await
            .contains(&"12:00".into())
    );
    let (notice, _) = mail(&messages, "therapist@example.com", "asks to move their").await;
    assert!(notice.contains(&format!("{SITE}/inbox/requests/{reference}")));
    assert!(notice.contains("The old time is free again"), "{notice}");
    assert!(notice.contains("Phone: 07700 900123"), "{notice}");
    assert!(!subject(&notice).contains("Sam"), "{notice}");
    let (ack, _) = mail(&messages, "sam@example.com", "your new times have arrived").await;
    assert!(ack.contains("Nothing is booked until I confirm"), "{ack}");

    // In the inbox it waits for her, with the new time to choose and the old one to keep.
    let (_, _, list) = browser.get("/inbox?show=new").await;
    assert!(list.contains("Asks to move"), "{list}");
    let page_path = format!("/inbox/requests/{reference}");
    let (_, _, html) = browser.get(&page_path).await;
    assert!(html.contains("Keep the original time"), "{html}");
    assert!(html.contains(&format!("value=\"{wanted}\"")), "{html}");
    confirm(&mut browser, &reference, &wanted).await;

    // The client's calendar moves the same event: same UID, SEQUENCE 1, the new instant.
    let (moved, sent) = mail(&messages, "sam@example.com", "has moved").await;
    assert_eq!(
        read(&ics_of(&sent)),
        Read {
            method: "REQUEST".into(),
            uid: format!("{reference}@www.example.com"),
            sequence: 1,
            status: Some(EventStatus::Confirmed),
            start: utc_of(&wanted),
        }
    );
    // An old link says the booking has moved, and where to.
    let (_, _, page) = client.get(&link).await;
    let on = |time: &str| LondonDateTime::parse(time).unwrap().for_people();
    assert!(
        page.contains(&format!(
            "This booking has moved: it is now on {} (London time). It was on {}.",
            on(&wanted),
            on(&time)
        )),
        "{page}"
    );
    // Every client e-mail about a booking to come holds a link.
    assert!(moved.contains(&format!("{SITE}/manage/")), "{moved}");
    // The reminder follows the booking.
    let reminder: String = sql(
        &database(&dir),
        &format!(
            "SELECT time FROM client_emails e JOIN booking_requests r ON r.id = e.request_id
             WHERE r.reference = '{reference}' AND kind = 'reminder' AND sent_at IS NULL"
        ),
    );
    assert_eq!(reminder, wanted);
}

#[tokio::test]
async fn her_answer_from_a_page_opened_before_the_client_changed_their_times_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let (port, messages) = smtp::start().await;
    let server = start(&dir, &env(port)).await;
    let first = noon_in(7);
    let day = &noon_in(9)[..10];
    let reference = send_request(
        &server,
        "key-after-15",
        &request_for("Sam", "sam@example.com", &[&first]),
    )
    .await;
    let (receipt, _) = mail(&messages, "sam@example.com", "received").await;
    let link = link_in(&receipt);
    let mut browser = signed_in(&server).await;
    let page = format!("/inbox/requests/{reference}");
    let (csrf, seen) = browser.form_tokens(&page).await;

    // Her page is open; the client changes the times they asked for.
    let mut client = visitor(&server);
    let (_, _, form_page) = client.get(&link).await;
    assert!(
        form_page.contains("Change the times you asked for"),
        "{form_page}"
    );
    let client_seen = hidden(&form_page, "seen");
    let (status, _, _) = client
        .post(
            &format!("{link}/move"),
            &[("seen", &client_seen), ("date_0", day), ("time_0", "15:00")],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (ack, _) = mail(&messages, "sam@example.com", "You changed the times").await;
    assert!(ack.contains("Nothing is booked yet"), "{ack}");
    let (notice, _) = mail(&messages, "therapist@example.com", "changed the times").await;
    assert!(notice.contains(&reference), "{notice}");
    assert_eq!(
        subject(&notice),
        format!("Subject: New times: request {reference}")
    );
    assert!(
        !notice.contains("free again"),
        "nothing was booked: {notice}"
    );

    // Each of her answers from the page she opened before: refused, nothing changed.
    for (action, fields) in [
        ("decline", vec![("message", "Sorry")]),
        ("confirm", vec![("time", first.as_str())]),
        ("phone", vec![("phone_date", day), ("phone_time", "16:00")]),
    ] {
        let mut sent = vec![("csrf", csrf.as_str()), ("seen", seen.as_str())];
        sent.extend(fields);
        let (status, _, html) = browser.post(&format!("{page}/{action}"), &sent).await;
        assert_eq!(status, StatusCode::CONFLICT, "{action}: {html}");
        assert!(html.contains("changed since the page was opened"), "{html}");
        assert!(html.contains(&format!("value=\"{day}T15:00\"")), "{html}");
        assert_eq!(status_of(&database(&dir), &reference).0, "moving");
    }
    // A form without the version it was sent from does nothing either.
    let (status, _, _) = browser
        .post(
            &format!("{page}/decline"),
            &[("csrf", &csrf), ("seen", "not a number")],
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT);

    // From the page as it stands: the new time is confirmed, as a first confirmation.
    let new_time = format!("{day}T15:00");
    confirm(&mut browser, &reference, &new_time).await;
    let (_, sent) = mail(&messages, "sam@example.com", "is confirmed").await;
    let invite = read(&ics_of(&sent));
    assert_eq!((invite.sequence, invite.start), (0, utc_of(&new_time)));
}

/// The client at `link` asks for `time` instead (London, one of the page's rows).
async fn ask_to_move(server: &Server, link: &str, time: &str) {
    let mut client = visitor(server);
    let (_, _, page) = client.get(link).await;
    let seen = hidden(&page, "seen");
    let (date, time) = time.split_once('T').unwrap();
    let (status, _, page) = client
        .post(
            &format!("{link}/move"),
            &[("seen", &seen), ("date_0", date), ("time_0", time)],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{page}");
}

#[tokio::test]
async fn a_request_to_move_declined_kept_or_expired_tells_the_client_where_their_booking_stands() {
    let dir = tempfile::tempdir().unwrap();
    let db = database(&dir);
    let (port, messages) = smtp::start().await;
    let server = start(&dir, &env(port)).await;
    let mut browser = signed_in(&server).await;
    let [sam, jo, alex, kim] = [7, 8, 9, 10].map(noon_in);
    let wanted = |time: &str| format!("{}T15:00", &time[..10]);
    let mut reference = std::collections::HashMap::new();
    for (n, (name, time)) in [("sam", &sam), ("jo", &jo), ("alex", &alex), ("kim", &kim)]
        .into_iter()
        .enumerate()
    {
        let email = format!("{name}@example.com");
        let sent = send_request(
            &server,
            &format!("key-after-7{n}"),
            &request_for(name, &email, &[time]),
        )
        .await;
        mail(&messages, &email, "received").await;
        reference.insert(name, sent);
    }
    // Jo's was arranged by phone: nothing in their calendar. The others were confirmed.
    let page = format!("/inbox/requests/{}", reference["jo"]);
    let (csrf, seen) = browser.form_tokens(&page).await;
    let (status, _, _) = browser
        .post(
            &format!("{page}/phone"),
            &[
                ("csrf", &csrf),
                ("seen", &seen),
                ("phone_date", &jo[..10]),
                ("phone_time", "12:00"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let mut links = std::collections::HashMap::new();
    for (name, time) in [("sam", &sam), ("alex", &alex), ("kim", &kim)] {
        confirm(&mut browser, &reference[name], time).await;
        let email = format!("{name}@example.com");
        let (confirmation, _) = mail(&messages, &email, "is confirmed").await;
        links.insert(name, link_in(&confirmation));
    }
    let (receipt, _) = mail(&messages, "jo@example.com", "received").await;
    links.insert("jo", link_in(&receipt));
    for (name, time) in [("sam", &sam), ("jo", &jo), ("alex", &alex), ("kim", &kim)] {
        ask_to_move(&server, &links[name], &wanted(time)).await;
    }

    // Kim asks for other times again; Lee asks to move, then cancels instead. Her notices say
    // the booking's time was already free, not that it is freed now, nor that nothing was
    // ever booked.
    ask_to_move(&server, &links["kim"], &format!("{}T16:00", &kim[..10])).await;
    let (notice, _) = mail(&messages, "therapist@example.com", "changed the times they").await;
    assert!(
        notice.contains(&LondonDateTime::parse(&kim).unwrap().for_people())
            && !notice.contains("free again"),
        "{notice}"
    );
    let lee_time = noon_in(11);
    let lee = send_request(
        &server,
        "key-after-75",
        &request_for("lee", "lee@example.com", &[&lee_time]),
    )
    .await;
    confirm(&mut browser, &lee, &lee_time).await;
    let (confirmation, _) = mail(&messages, "lee@example.com", "is confirmed").await;
    let lee_link = link_in(&confirmation);
    ask_to_move(&server, &lee_link, &wanted(&lee_time)).await;
    let mut client = visitor(&server);
    let seen = hidden(&client.get(&lee_link).await.2, "seen");
    let (status, _, _) = client
        .post(&format!("{lee_link}/cancel"), &[("seen", &seen)])
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (notice, _) = mail(
        &messages,
        "therapist@example.com",
        "while asking to move it",
    )
    .await;
    assert!(
        notice.contains("already free") && !notice.contains("Nothing was booked"),
        "{notice}"
    );

    // Declined: the booking is off, and off the calendar that held it.
    for name in ["sam", "jo"] {
        let page = format!("/inbox/requests/{}", reference[name]);
        let (csrf, seen) = browser.form_tokens(&page).await;
        let (status, _, _) = browser
            .post(
                &format!("{page}/decline"),
                &[("csrf", &csrf), ("seen", &seen)],
            )
            .await;
        assert_eq!(status, StatusCode::SEE_OTHER);
    }
    let (declined, sent) = mail(&messages, "sam@example.com", "not available").await;
    assert!(declined.contains("has been given up"), "{declined}");
    assert!(
        declined.contains("takes it off your calendar"),
        "{declined}"
    );
    let cancel = read(&ics_of(&sent));
    assert_eq!(
        (cancel.method.as_str(), cancel.sequence, cancel.start),
        ("CANCEL", 1, utc_of(&sam))
    );
    let (declined, sent) = mail(&messages, "jo@example.com", "not available").await;
    assert!(declined.contains("has been given up"), "{declined}");
    assert!(
        !declined.contains("calendar") && !sent.contains("BEGIN:VCALENDAR"),
        "{sent}"
    );

    // Kept: the original time stands, and the client is told so, with the same event.
    let page = format!("/inbox/requests/{}", reference["alex"]);
    let (_, _, html) = browser.get(&page).await;
    assert!(html.contains("Keep the original time"), "{html}");
    confirm(&mut browser, &reference["alex"], &alex).await;
    let (kept, sent) = mail(&messages, "alex@example.com", "stays where it was").await;
    assert!(
        kept.contains("could not offer any of the new times"),
        "{kept}"
    );
    let invite = read(&ics_of(&sent));
    assert_eq!(
        (invite.method.as_str(), invite.sequence, invite.start),
        ("REQUEST", 1, utc_of(&alex))
    );

    // Unanswered: Kim asked 49 hours ago (written into the store), and it expires.
    drop(browser);
    server.stop();
    rusqlite::Connection::open(&db)
        .unwrap()
        .execute(
            "UPDATE booking_requests SET decided_at = ?1 WHERE reference = ?2",
            [utc_timestamp(now() - 49 * 3600), reference["kim"].clone()],
        )
        .unwrap();
    let _server = Server::start_with_env(&["--database", db.to_str().unwrap()], &env(port)).await;
    let (expired, sent) = mail(&messages, "kim@example.com", "could not answer").await;
    assert!(
        expired.contains("was given up when you asked to move"),
        "{expired}"
    );
    let cancel = read(&ics_of(&sent));
    assert_eq!(
        (cancel.method.as_str(), cancel.sequence, cancel.start),
        ("CANCEL", 1, utc_of(&kim))
    );
}

#[tokio::test]
async fn a_later_email_about_a_booking_waits_for_an_earlier_one_still_being_retried() {
    let dir = tempfile::tempdir().unwrap();
    let db = database(&dir);
    let (port, messages) = smtp::start().await;
    let server = start(&dir, &env(port)).await;
    let time = noon_in(7);
    let reference = send_request(
        &server,
        "key-after-81",
        &request_for("Sam", "sam@example.com", &[&time]),
    )
    .await;
    let mut browser = signed_in(&server).await;
    confirm(&mut browser, &reference, &time).await;
    mail(&messages, "sam@example.com", "is confirmed").await;
    drop(browser);
    server.stop();
    // As if the confirmation had failed once, to be tried again in three seconds.
    rusqlite::Connection::open(&db)
        .unwrap()
        .execute(
            "UPDATE client_emails SET sent_at = NULL, attempts = 1, next_at = ?1 WHERE kind = 'confirmed'",
            [utc_timestamp(now() + 3)],
        )
        .unwrap();
    let server = Server::start_with_env(&["--database", db.to_str().unwrap()], &env(port)).await;
    let mut browser = signed_in(&server).await;
    let page = format!("/inbox/requests/{reference}");
    let (csrf, seen) = browser.form_tokens(&page).await;
    let (status, _, _) = browser
        .post(
            &format!("{page}/move"),
            &[
                ("csrf", &csrf),
                ("seen", &seen),
                ("move_date", &noon_in(8)[..10]),
                ("move_time", "15:00"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    mail(&messages, "sam@example.com", "has moved").await;
    // The move (SEQUENCE 1) went after the confirmation (SEQUENCE 0) was sent again, so the
    // client's calendar ends at the new time.
    let order: Vec<u32> = messages
        .lock()
        .unwrap()
        .iter()
        .filter(|m| m.contains("To: sam@example.com") && m.contains("invite.ics"))
        .map(|m| read(&ics_of(m)).sequence)
        .collect();
    assert_eq!(order, [0, 0, 1]);
}

#[tokio::test]
async fn she_moves_then_cancels_a_booking_and_the_clients_calendar_follows() {
    let dir = tempfile::tempdir().unwrap();
    let (port, messages) = smtp::start().await;
    let server = start(&dir, &env(port)).await;
    let time = noon_in(7);
    let new_day = &noon_in(9)[..10];
    let reference = send_request(
        &server,
        "key-after-21",
        &request_for("Sam", "sam@example.com", &[&time]),
    )
    .await;
    let mut browser = signed_in(&server).await;
    confirm(&mut browser, &reference, &time).await;
    mail(&messages, "sam@example.com", "is confirmed").await;
    let page = format!("/inbox/requests/{reference}");
    let (_, _, html) = browser.get(&page).await;
    let (csrf, seen) = (hidden(&html, "csrf"), hidden(&html, "seen"));

    // A time outside opening hours is refused next to the field.
    let (status, _, html) = browser
        .post(
            &format!("{page}/move"),
            &[
                ("csrf", &csrf),
                ("seen", &seen),
                ("move_date", new_day),
                ("move_time", "23:00"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(html.contains("id=\"move-error\""), "{html}");
    // So is the time it has already.
    let (status, _, html) = browser
        .post(
            &format!("{page}/move"),
            &[
                ("csrf", &csrf),
                ("seen", &seen),
                ("move_date", &time[..10]),
                ("move_time", "12:00"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let said = |text: &str| html.contains(&text.replace('\'', "&#39;")) || html.contains(text);
    assert!(
        html.contains("id=\"move-error\"") && said("That is the booking's time already"),
        "{html}"
    );
    let (status, _, _) = browser
        .post(
            &format!("{page}/move"),
            &[
                ("csrf", &csrf),
                ("seen", &seen),
                ("move_date", new_day),
                ("move_time", "15:30"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let new_time = format!("{new_day}T15:30");
    assert_eq!(
        status_of(&database(&dir), &reference),
        ("confirmed".into(), Some(new_time.clone()))
    );
    let (_, sent) = mail(&messages, "sam@example.com", "has moved").await;
    let moved = read(&ics_of(&sent));
    assert_eq!(
        (moved.sequence, moved.start.clone()),
        (1, utc_of(&new_time))
    );

    // The page she moved it from is old now: cancelling from it does nothing.
    let (status, _, html) = browser
        .post(
            &format!("{page}/cancel"),
            &[("csrf", &csrf), ("seen", &seen), ("message", "Sorry")],
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert!(html.contains("Nothing was changed"), "{html}");
    let (_, _, html) = browser.get(&page).await;
    let seen = hidden(&html, "seen");
    let (status, _, _) = browser
        .post(
            &format!("{page}/cancel"),
            &[
                ("csrf", &csrf),
                ("seen", &seen),
                ("message", "I am unwell, sorry."),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (cancelled, sent) = mail(&messages, "sam@example.com", "I have had to cancel").await;
    assert!(cancelled.contains("I am unwell, sorry."), "{cancelled}");
    assert_eq!(
        read(&ics_of(&sent)),
        Read {
            method: "CANCEL".into(),
            sequence: 2,
            status: Some(EventStatus::Cancelled),
            ..moved
        }
    );
    // No reminder is left for a cancelled booking, and she is not e-mailed about her own act.
    let reminders: i64 = sql(
        &database(&dir),
        "SELECT count(*) FROM client_emails WHERE kind = 'reminder' AND sent_at IS NULL",
    );
    assert_eq!(reminders, 0);
    assert_eq!(
        count_to(&messages, "therapist@example.com", "Cancelled:"),
        0
    );
}

#[tokio::test]
async fn arranged_by_phone_takes_the_agreed_time_and_holds_it_in_her_diary() {
    let dir = tempfile::tempdir().unwrap();
    let (port, messages) = smtp::start().await;
    let server = start(&dir, &env(port)).await;
    let day = noon_in(10)[..10].to_owned();
    let jane = send_request(
        &server,
        "key-after-31",
        &request_for("Jane", "jane@example.com", &[&format!("{day}T18:00")]),
    )
    .await;
    let sam = send_request(
        &server,
        "key-after-32",
        &request_for("Sam", "sam@example.com", &[&format!("{day}T11:00")]),
    )
    .await;
    wait_for(&messages, 4).await;
    let mut browser = signed_in(&server).await;
    confirm(&mut browser, &jane, &format!("{day}T18:00")).await;
    let page = format!("/inbox/requests/{sam}");
    let (csrf, seen) = browser.form_tokens(&page).await;
    let (_, _, html) = browser.get(&page).await;
    assert!(
        html.contains(r#"id="phone-date" name="phone_date" value="""#)
            && html.contains(r#"id="phone-time" name="phone_time" step="900" value="""#),
        "empty until she types the time agreed: {html}"
    );
    let by_phone = format!("{page}/phone");
    // No time, and a time that clashes with Jane's: refused next to the field.
    for (date, time, expected) in [
        ("", "", "Enter a date and a start time."),
        (day.as_str(), "17:30", "This time is taken"),
    ] {
        let fields = [
            ("csrf", csrf.as_str()),
            ("seen", seen.as_str()),
            ("phone_date", date),
            ("phone_time", time),
        ];
        let (status, _, html) = browser.post(&by_phone, &fields).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{html}");
        assert!(
            html.contains("id=\"phone-error\"") && html.contains(expected),
            "{html}"
        );
    }
    assert_eq!(status_of(&database(&dir), &sam).0, "new");
    let fields = [
        ("csrf", csrf.as_str()),
        ("seen", seen.as_str()),
        ("phone_date", &day),
        ("phone_time", "14:00"),
    ];
    let (status, _, _) = browser.post(&by_phone, &fields).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(
        status_of(&database(&dir), &sam),
        ("phone".into(), Some(format!("{day}T14:00")))
    );
    // Held in her diary like a confirmation: not offered to anyone else.
    let starts = free_starts_on(&server, &day).await;
    assert!(!starts.contains(&"14:00".into()), "{starts:?}");
    let (_, _, html) = browser.get(&page).await;
    assert!(html.contains("By phone: "), "{html}");
    assert!(html.contains("Arranged by phone for "), "{html}");
    // Nothing e-mailed now (the reminder waits for its day).
    let queued: i64 = sql(
        &database(&dir),
        &format!(
            "SELECT count(*) FROM client_emails e JOIN booking_requests r ON r.id = e.request_id
             WHERE r.reference = '{sam}' AND kind <> 'receipt' AND kind <> 'reminder'"
        ),
    );
    assert_eq!(queued, 0);
}

#[tokio::test]
async fn inside_the_cancellation_notice_the_link_shows_the_policy_and_her_phone() {
    let dir = tempfile::tempdir().unwrap();
    let (port, messages) = smtp::start().await;
    let server = start(&dir, &env(port)).await;
    let time = noon_in(7);
    let reference = send_request(
        &server,
        "key-after-41",
        &request_for("Sam", "sam@example.com", &[&time]),
    )
    .await;
    let mut browser = signed_in(&server).await;
    confirm(&mut browser, &reference, &time).await;
    let (confirmation, _) = mail(&messages, "sam@example.com", "is confirmed").await;
    let link = link_in(&confirmation);
    let mut client = visitor(&server);
    let seen = hidden(&client.get(&link).await.2, "seen");
    // The session is now three hours away (moved in the store: the clock cannot be).
    let soon = LondonDateTime::from_utc_seconds(now() + 3 * 3600).to_string();
    rusqlite::Connection::open(database(&dir))
        .unwrap()
        .execute(
            "UPDATE booking_requests SET confirmed_time = ?1 WHERE reference = ?2",
            [&soon, &reference],
        )
        .unwrap();
    let (status, _, page) = client.get(&link).await;
    assert_eq!(status, 200);
    assert!(page.contains("less than 24 hours"), "{page}");
    assert!(page.contains("Later cancellations are charged"), "{page}");
    assert!(page.contains("href=\"tel:+442079460321\""), "{page}");
    assert!(!page.contains("<form"), "{page}");
    // A form sent from a page opened earlier is refused too.
    let (status, _, _) = client
        .post(&format!("{link}/cancel"), &[("seen", &seen)])
        .await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert_eq!(status_of(&database(&dir), &reference).0, "confirmed");
}

#[tokio::test]
async fn the_reminder_goes_once_when_it_falls_due_even_across_restarts() {
    let dir = tempfile::tempdir().unwrap();
    let db = database(&dir);
    let (port, messages) = smtp::start().await;
    let server = start(&dir, &env(port)).await;
    let time = noon_in(2);
    let reference = send_request(
        &server,
        "key-after-51",
        &request_for("Sam", "sam@example.com", &[&time]),
    )
    .await;
    let jo_time = noon_in(3);
    let jo = send_request(
        &server,
        "key-after-53",
        &request_for("Jo", "jo@example.com", &[&jo_time]),
    )
    .await;
    let mut browser = signed_in(&server).await;
    confirm(&mut browser, &reference, &time).await;
    confirm(&mut browser, &jo, &jo_time).await;
    mail(&messages, "sam@example.com", "is confirmed").await;
    mail(&messages, "jo@example.com", "is confirmed").await;
    // Queued for 10:00 London on the day before (services.toml's reminder_time).
    let day_before = format!("{}T10:00", &noon_in(1)[..10]);
    let due: String = sql(
        &db,
        &format!(
            "SELECT due_at FROM client_emails e JOIN booking_requests r ON r.id = e.request_id
             WHERE kind = 'reminder' AND sent_at IS NULL AND reference = '{reference}'"
        ),
    );
    let expected = LondonDateTime::parse(&day_before).unwrap().to_utc_minutes() * 60;
    assert_eq!(due, utc_timestamp(expected));
    drop(browser);
    server.stop();

    // It falls due four seconds after the receiver starts again, with retries only every
    // hour: the worker wakes for it.
    let soon = utc_timestamp(now() + 4);
    rusqlite::Connection::open(&db)
        .unwrap()
        .execute(
            "UPDATE client_emails SET due_at = ?1, next_at = ?1
             WHERE kind = 'reminder' AND request_id = (SELECT id FROM booking_requests WHERE reference = ?2)",
            [&soon, &reference],
        )
        .unwrap();
    let mut slow = env(port);
    slow.retain(|(k, _)| *k != "NOTIFY_RETRY_SECONDS");
    slow.push(("NOTIFY_RETRY_SECONDS", "3600".into()));
    let server = Server::start_with_env(&["--database", db.to_str().unwrap()], &slow).await;
    let (reminder, _) = mail(&messages, "sam@example.com", "Reminder: ").await;
    assert!(
        reminder.contains("A reminder of your booking"),
        "{reminder}"
    );
    assert!(reminder.contains(&format!("{SITE}/manage/")), "{reminder}");
    server.stop();

    // Jo's reminder was held up (a mail server down for a day) until their session had
    // begun an hour ago: too late to help, so it never goes, nor shows in her history.
    let begun = LondonDateTime::from_utc_seconds(now() - 3600).to_string();
    let conn = rusqlite::Connection::open(&db).unwrap();
    conn.execute(
        "UPDATE booking_requests SET confirmed_time = ?1 WHERE reference = ?2",
        [&begun, &jo],
    )
    .unwrap();
    conn.execute(
        "UPDATE client_emails SET time = ?1, due_at = ?2, next_at = ?2
         WHERE kind = 'reminder' AND request_id = (SELECT id FROM booking_requests WHERE reference = ?3)",
        [&begun, &utc_timestamp(now() - 60), &jo],
    )
    .unwrap();

    // Started again: Sam's never sent twice, Jo's not at all (a new request's receipt shows
    // the worker has run).
    let server = Server::start_with_env(&["--database", db.to_str().unwrap()], &env(port)).await;
    send_request(
        &server,
        "key-after-52",
        &request_for("Alex", "alex@example.com", &[&noon_in(9)]),
    )
    .await;
    mail(&messages, "alex@example.com", "received").await;
    assert_eq!(count_to(&messages, "sam@example.com", "Reminder: "), 1);
    assert_eq!(count_to(&messages, "jo@example.com", "Reminder: "), 0);
    let left: i64 = sql(
        &db,
        "SELECT count(*) FROM client_emails WHERE kind = 'reminder' AND sent_at IS NULL",
    );
    assert_eq!(left, 0);
    let mut browser = signed_in(&server).await;
    let (_, _, html) = browser.get(&format!("/inbox/requests/{jo}")).await;
    assert!(!html.contains("Reminder e-mailed"), "{html}");
}

#[tokio::test]
async fn a_request_nobody_answers_expires_she_is_told_and_can_still_book_the_time_agreed_by_phone()
{
    let dir = tempfile::tempdir().unwrap();
    let db = database(&dir);
    let (port, messages) = smtp::start().await;
    let server = start(&dir, &env(port)).await;
    let sam = send_request(
        &server,
        "key-after-61",
        &request_for("Sam", "sam@example.com", &[&noon_in(7)]),
    )
    .await;
    let mut phone_only = request_for("Pat", "", &[&noon_in(8)]);
    phone_only["phone"] = json!("07700 900456");
    let pat = send_request(&server, "key-after-62", &phone_only).await;
    let alex = send_request(
        &server,
        "key-after-63",
        &request_for("Alex", "alex@example.com", &[&noon_in(9)]),
    )
    .await;
    mail(&messages, "sam@example.com", "received").await;
    let mut browser = signed_in(&server).await;
    let (_, _, list) = browser.get("/inbox").await;
    let expires_in = |h: &str| list.matches(&format!("Expires in {h} h<")).count();
    assert_eq!(expires_in("48") + expires_in("47"), 3, "48 hours: {list}");
    // Pat's page, open on her phone before it expires.
    let pat_page = format!("/inbox/requests/{pat}");
    let (_, seen_before) = browser.form_tokens(&pat_page).await;
    drop(browser);
    // Her three notices and the two receipts have gone (stopped while sending, the
    // receiver waits for the send).
    wait_for(&messages, 5).await;
    server.stop();

    // Sam and Pat arrived 49 hours ago, Alex 43 (written into the store: nobody waits two
    // days for a test).
    let conn = rusqlite::Connection::open(&db).unwrap();
    for (reference, hours) in [(&sam, 49), (&pat, 49), (&alex, 43)] {
        conn.execute(
            "UPDATE booking_requests SET received_at = ?1 WHERE reference = ?2",
            [utc_timestamp(now() - hours * 3600), reference.clone()],
        )
        .unwrap();
    }
    let server = Server::start_with_env(&["--database", db.to_str().unwrap()], &env(port)).await;
    let (expired, _) = mail(&messages, "sam@example.com", "could not answer").await;
    assert!(expired.contains("+44 20 7946 0321"), "{expired}");
    assert!(expired.contains(&format!("{SITE}/book")), "{expired}");
    assert_eq!(status_of(&db, &sam).0, "expired");
    // She is told of each; Pat, who gave no e-mail address, was told nothing: she calls.
    let subject = |reference: &str| format!("Subject: Expired unanswered: request {reference}");
    let (notice, _) = mail(&messages, "therapist@example.com", &subject(&pat)).await;
    assert!(notice.contains("have not been told"), "{notice}");
    assert!(notice.contains("07700 900456"), "{notice}");
    assert!(
        notice.contains(&format!("{SITE}/inbox/requests/{pat}")),
        "{notice}"
    );
    let (notice, _) = mail(&messages, "therapist@example.com", &subject(&sam)).await;
    assert!(notice.contains("have been e-mailed"), "{notice}");
    // Alex's has six hours left: she is warned, and it still waits.
    let (warning, _) = mail(
        &messages,
        "therapist@example.com",
        &format!("Subject: Request {alex} expires"),
    )
    .await;
    assert!(
        warning.contains("still waiting for your answer"),
        "{warning}"
    );
    assert_eq!(status_of(&db, &alex).0, "new");

    let mut browser = signed_in(&server).await;
    let (_, _, list) = browser.get("/inbox?show=expired").await;
    assert!(
        list.contains("Expired (2)") && list.contains(&sam) && list.contains(&pat),
        "{list}"
    );
    // Pat calls and they agree a time. From the page opened before it expired: nothing
    // changes. From the page as it stands: held in her diary.
    let (csrf, seen) = browser.form_tokens(&pat_page).await;
    let (_, _, html) = browser.get(&pat_page).await;
    assert!(html.contains("has not been told"), "{html}");
    let day = noon_in(8)[..10].to_owned();
    let agreed = |seen: &str| {
        [
            ("csrf", csrf.clone()),
            ("seen", seen.to_owned()),
            ("phone_date", day.clone()),
            ("phone_time", "15:00".to_owned()),
        ]
    };
    let fields = agreed(&seen_before);
    let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let (status, _, html) = browser.post(&format!("{pat_page}/phone"), &fields).await;
    assert_eq!(status, StatusCode::CONFLICT, "{html}");
    assert_eq!(status_of(&db, &pat).0, "expired");
    let fields = agreed(&seen);
    let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let (status, _, html) = browser.post(&format!("{pat_page}/phone"), &fields).await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{html}");
    assert_eq!(
        status_of(&db, &pat),
        ("phone".into(), Some(format!("{day}T15:00")))
    );
    assert!(
        !free_starts_on(&server, &day)
            .await
            .contains(&"15:00".into())
    );

    // Sam calls too: declining is over, but the time agreed is confirmed and e-mailed.
    let sam_page = format!("/inbox/requests/{sam}");
    let (csrf, seen) = browser.form_tokens(&sam_page).await;
    let (status, _, html) = browser
        .post(
            &format!("{sam_page}/decline"),
            &[("csrf", &csrf), ("seen", &seen)],
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert!(html.contains("has expired"), "{html}");
    confirm(&mut browser, &sam, &noon_in(7)).await;
    let (_, sent) = mail(&messages, "sam@example.com", "is confirmed").await;
    let invite = read(&ics_of(&sent));
    assert_eq!((invite.sequence, invite.start), (0, utc_of(&noon_in(7))));
}

#[tokio::test]
async fn a_link_in_an_email_that_could_not_be_sent_opens_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let (port, _messages) = smtp::start().await;
    let mut env = env(port);
    env.push(("NOTIFY_MAX_ATTEMPTS", "2".into()));
    let server = start(&dir, &env).await;
    let email = format!("sam@{}", smtp::REFUSED);
    let reference = send_request(
        &server,
        "key-after-91",
        &request_for("Sam", &email, &[&noon_in(7)]),
    )
    .await;
    // The receipt was tried twice, each time with a new link, and given up on.
    server
        .logged(&["GIVING UP e-mailing the client", &reference], 1)
        .await;
    let links: i64 = sql(&database(&dir), "SELECT count(*) FROM manage_links");
    assert_eq!(links, 0);
}

#[tokio::test]
async fn guessing_links_is_limited_per_client() {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(&["--database", database(&dir).to_str().unwrap()]).await;
    let mut guesser = Browser::new(&server);
    let mut statuses = Vec::new();
    for n in 0..31 {
        statuses.push(guesser.get(&format!("/manage/guess-{n}")).await.0);
    }
    assert!(statuses[..30].iter().all(|s| *s == StatusCode::NOT_FOUND));
    assert_eq!(statuses[30], StatusCode::TOO_MANY_REQUESTS);
}
