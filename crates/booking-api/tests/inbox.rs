//! The therapist's inbox over real HTTP: signing in and its limit, sessions that end, the
//! CSRF and same-origin checks, a request decided only once, and the client's three e-mails
//! (receipt, confirmation with its calendar invite, decline) on a loopback SMTP server.

mod common;

use common::browser::{Browser, form, location, set_password};
use common::smtp::{self, wait_for};
use common::{Server, database, noon_in, valid_body};
use icalendar::{Calendar, CalendarDateTime, Component, DatePerhapsTime};
use reqwest::StatusCode;
use reqwest::header::SET_COOKIE;
use serde_json::{Value, json};
use std::path::Path;

const PASSWORD: &str = "a long test password";

async fn start(dir: &tempfile::TempDir, env: &[(&str, String)]) -> Server {
    let db = database(dir);
    let output = set_password(&db, PASSWORD);
    assert!(output.status.success(), "{output:?}");
    Server::start_with_env(&["--database", db.to_str().unwrap()], env).await
}

async fn send_request(server: &Server, key: &str, body: &Value) -> String {
    let response = server.post(key, &body.to_string()).await;
    assert_eq!(response.status(), 201);
    response.json::<Value>().await.unwrap()["reference"]
        .as_str()
        .unwrap()
        .to_owned()
}

fn status_of(db: &Path, reference: &str) -> (String, Option<String>) {
    let conn = rusqlite::Connection::open(db).unwrap();
    conn.query_row(
        "SELECT status, confirmed_time FROM booking_requests WHERE reference = ?1",
        [reference],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )
    .unwrap()
}

#[tokio::test]
async fn without_a_password_the_inbox_says_how_to_set_one() {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(&["--database", database(&dir).to_str().unwrap()]).await;
    let (status, headers, page) = Browser::new(&server).get("/inbox").await;
    assert_eq!(status, 200);
    assert!(page.contains("booking-api set-password"), "{page}");
    assert!(!page.contains("type=\"password\""), "no sign-in form yet");
    assert_eq!(headers["cache-control"], "no-store");
    // A short password is refused, and nothing is stored.
    let output = set_password(&database(&dir), "short");
    assert!(!output.status.success());
    assert!(String::from_utf8_lossy(&output.stderr).contains("at least 10 characters"));
}

#[tokio::test]
async fn signing_in_gives_a_strict_session_cookie_and_is_limited() {
    let dir = tempfile::tempdir().unwrap();
    let server = start(&dir, &[]).await;
    let mut browser = Browser::new(&server);
    let (status, headers, _) = browser.get("/inbox").await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(location(&headers), "/inbox/sign-in?next=/inbox");

    let (status, headers, _) = browser.sign_in("/inbox", PASSWORD).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(location(&headers), "/inbox");
    let cookie = headers
        .get_all(SET_COOKIE)
        .iter()
        .map(|v| v.to_str().unwrap())
        .find(|c| c.starts_with("inbox_session="))
        .unwrap();
    for part in ["HttpOnly", "SameSite=Strict", "Path=/inbox"] {
        assert!(cookie.contains(part), "{cookie}");
    }
    assert!(
        !cookie.contains("Secure"),
        "plain http on loopback: {cookie}"
    );
    let (status, headers, page) = browser.get("/inbox").await;
    assert_eq!(status, 200);
    assert!(page.contains("Booking requests") && page.contains("noindex"));
    assert_eq!(headers["cache-control"], "no-store");
    assert_eq!(headers["x-robots-tag"], "noindex, nofollow");
    assert!(
        headers["content-security-policy"]
            .to_str()
            .unwrap()
            .contains("default-src 'none'")
    );

    // Someone else guessing: one plain message, then a wait with a time to come back.
    let mut guesser = Browser::new(&server);
    for _ in 0..4 {
        let (status, _, page) = guesser.sign_in("/inbox", "wrong guess").await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
        assert!(page.contains("That password is not right."), "{page}");
    }
    let (status, _, page) = guesser.sign_in("/inbox", PASSWORD).await;
    assert_eq!(
        status,
        StatusCode::TOO_MANY_REQUESTS,
        "even the right password waits"
    );
    assert!(page.contains("Try again at"), "{page}");

    // Signing out ends the session.
    let csrf = browser.csrf("/inbox").await;
    let (status, _, _) = browser.post("/inbox/sign-out", &[("csrf", &csrf)]).await;
    assert_eq!(status, 200);
    assert_eq!(browser.get("/inbox").await.0, StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn an_expired_session_signs_in_again_and_lands_where_she_was() {
    let dir = tempfile::tempdir().unwrap();
    let server = start(&dir, &[]).await;
    let reference = send_request(&server, "key-inbox-0001", &valid_body("Sam")).await;
    let page = format!("/inbox/requests/{reference}");
    let mut browser = Browser::new(&server);
    browser.sign_in("/inbox", PASSWORD).await;
    assert_eq!(browser.get(&page).await.0, 200);

    let db = database(&dir);
    let conn = rusqlite::Connection::open(&db).unwrap();
    // A day and a minute without use: over.
    conn.execute(
        "UPDATE sessions SET last_seen_at = last_seen_at - 86460",
        [],
    )
    .unwrap();
    let (status, headers, _) = browser.get(&page).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(location(&headers), format!("/inbox/sign-in?next={page}"));
    let (status, headers, _) = browser.sign_in(&page, PASSWORD).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(location(&headers), page, "back where she was");
    assert_eq!(browser.get(&page).await.0, 200);

    // Used every day, but signed in 31 days ago: over too.
    conn.execute(
        "UPDATE sessions SET created_at = created_at - 31 * 86400",
        [],
    )
    .unwrap();
    assert_eq!(browser.get(&page).await.0, StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn changes_need_the_csrf_token_and_this_origin() {
    let dir = tempfile::tempdir().unwrap();
    let server = start(&dir, &[]).await;
    let reference = send_request(&server, "key-inbox-0002", &valid_body("Sam")).await;
    let page = format!("/inbox/requests/{reference}");
    let mut browser = Browser::new(&server);
    browser.sign_in("/inbox", PASSWORD).await;
    let csrf = browser.csrf(&page).await;
    let decline = format!("{page}/decline");

    let (status, _, body) = browser.post(&decline, &[("message", "no")]).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert!(body.contains("Nothing was changed"), "{body}");
    let (status, _, _) = browser
        .post(&decline, &[("csrf", "forged"), ("message", "no")])
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    browser.origin = "https://evil.example".into();
    let (status, _, _) = browser.post(&decline, &[("csrf", &csrf)]).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_eq!(status_of(&database(&dir), &reference).0, "new");

    // The sign-in form has its own token.
    browser.origin = server.base.clone();
    let (status, _, _) = browser
        .post("/inbox/sign-in", &[("token", "x"), ("password", PASSWORD)])
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);

    // An unknown reference is a 404 page.
    assert_eq!(
        browser.get("/inbox/requests/AM-0000-0000").await.0,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn a_request_is_decided_once_however_often_the_button_is_pressed() {
    let dir = tempfile::tempdir().unwrap();
    let server = start(&dir, &[]).await;
    let mut body = valid_body("Sam");
    let (first, second) = (noon_in(7), noon_in(8));
    body["preferred_times"] = json!([first, second]);
    let reference = send_request(&server, "key-inbox-0003", &body).await;
    let page = format!("/inbox/requests/{reference}");
    let mut browser = Browser::new(&server);
    browser.sign_in("/inbox", PASSWORD).await;
    let csrf = browser.csrf(&page).await;
    let confirm = format!("{page}/confirm");

    // A time outside opening hours: a message by the field, nothing changed.
    let date = &first[..10];
    let (status, _, html) = browser
        .post(
            &confirm,
            &[
                ("csrf", &csrf),
                ("time", "other"),
                ("other_date", date),
                ("other_time", "08:00"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(html.contains("id=\"other-error\""), "{html}");
    assert!(html.contains("Sessions run from 11:00 to 22:00"), "{html}");
    assert_eq!(status_of(&database(&dir), &reference).0, "new");

    // Another time typed, but a preferred time still chosen: asked, not guessed.
    let (status, _, html) = browser
        .post(
            &confirm,
            &[
                ("csrf", &csrf),
                ("time", &first),
                ("other_date", date),
                ("other_time", "15:00"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(html.contains("You entered another time"), "{html}");
    assert_eq!(status_of(&database(&dir), &reference).0, "new");

    // A double tap: two at once, one wins.
    let (a, b) = futures::join!(
        browser
            .http
            .post(format!("{}{confirm}", server.base))
            .header("cookie", browser.cookie_header())
            .header("origin", &server.base)
            .header("content-type", "application/x-www-form-urlencoded")
            .body(form(&[("csrf", &csrf), ("time", &second)]))
            .send(),
        browser
            .http
            .post(format!("{}{page}/decline", server.base))
            .header("cookie", browser.cookie_header())
            .header("origin", &server.base)
            .header("content-type", "application/x-www-form-urlencoded")
            .body(form(&[("csrf", &csrf), ("message", "Sorry")]))
            .send(),
    );
    let mut statuses = [a.unwrap().status(), b.unwrap().status()];
    statuses.sort();
    assert_eq!(statuses, [StatusCode::SEE_OTHER, StatusCode::CONFLICT]);
    let decided = status_of(&database(&dir), &reference);

    // A second tab, later: told what was decided; nothing changes.
    let (status, _, html) = browser
        .post(&confirm, &[("csrf", &csrf), ("time", &first)])
        .await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert!(html.contains("This request was already"), "{html}");
    assert!(html.contains("Nothing was changed"), "{html}");
    assert_eq!(status_of(&database(&dir), &reference), decided);
    let conn = rusqlite::Connection::open(database(&dir)).unwrap();
    let decisions: i64 = conn
        .query_row("SELECT count(*) FROM decisions", [], |r| r.get(0))
        .unwrap();
    assert_eq!(decisions, 1);
    // `booking-api requests` says how it was decided.
    let printed = &common::stored_requests(&database(&dir))[0];
    assert_eq!(printed["status"], decided.0.as_str());
    assert!(printed["decided_at"].is_string());
}

/// The calendar invite in an e-mail, as sent (7bit or base64).
fn ics_of(mail: &str) -> String {
    let start = mail.find("BEGIN:VCALENDAR");
    let text = match start {
        Some(start) => {
            let end = mail.find("END:VCALENDAR").unwrap() + "END:VCALENDAR".len();
            mail[start..end].to_owned()
        }
        None => {
            use base64::Engine;
            let part = mail
                .split("invite.ics")
                .nth(1)
                .expect("an invite.ics attachment");
            let encoded: String = part
                .split("\n\n")
                .nth(1)
                .unwrap()
                .lines()
                .take_while(|l| !l.starts_with("--"))
                .collect();
            String::from_utf8(
                base64::engine::general_purpose::STANDARD
                    .decode(encoded)
                    .unwrap(),
            )
            .unwrap()
        }
    };
    text.replace("\r\n", "\n").replace('\n', "\r\n")
}

fn utc_start(ics: &str) -> String {
    let calendar: Calendar = ics.parse().unwrap();
    let event = calendar.events().next().unwrap();
    match event.get_start() {
        Some(DatePerhapsTime::DateTime(CalendarDateTime::Utc(t))) => t.to_rfc3339(),
        other => panic!("{other:?}"),
    }
}

/// An e-mail as its reader sees it: quoted-printable text decoded.
fn readable(mail: &str) -> String {
    if !mail.contains("quoted-printable") {
        return mail.to_owned();
    }
    let joined = mail.replace("=\n", "");
    let bytes = joined.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match (bytes[i], hex) {
            (b'=', Some(byte)) => {
                out.push(byte);
                i += 3;
            }
            (b, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The e-mail to `to` whose text mentions `about`, as its reader sees it, and as sent.
fn mail_to(messages: &[String], to: &str, about: &str) -> (String, String) {
    messages
        .iter()
        .find(|m| m.contains(&format!("To: {to}")) && readable(m).contains(about))
        .map(|m| (readable(m), m.clone()))
        .unwrap_or_else(|| panic!("no e-mail to {to} about {about}: {messages:#?}"))
}

#[tokio::test]
async fn the_client_hears_at_once_then_on_confirm_or_decline() {
    let dir = tempfile::tempdir().unwrap();
    let (port, messages) = smtp::start().await;
    let mut env = smtp::env(port);
    env.push(("BOOKING_API_PUBLIC_URL", "https://www.example.com".into()));
    env.push((
        "BOOKING_API_IN_CALL_ADDRESS",
        "1 Example Mews, London W1".into(),
    ));
    let server = start(&dir, &env).await;

    let mut body = valid_body("Sam");
    body["email"] = json!("sam@example.com");
    body["preferred_times"] = json!([noon_in(7), noon_in(9)]);
    body["health"] = json!({ "summary": "SECRET-HEALTH-DETAIL", "consent": { "given": true, "text_version": "health-2026-11", "given_at": "2026-11-24T09:00:00Z" } });
    let confirmed = send_request(&server, "key-inbox-0004", &body).await;
    let mut other = valid_body("Alex");
    other["email"] = json!("alex@example.com");
    let declined = send_request(&server, "key-inbox-0005", &other).await;
    // The therapist's notices and the two receipts.
    wait_for(&messages, 4).await;
    {
        let all = messages.lock().unwrap();
        let (notice, _) = mail_to(&all, "therapist@example.com", &confirmed);
        assert!(
            notice.contains(&format!(
                "https://www.example.com/inbox/requests/{confirmed}"
            )),
            "{notice}"
        );
        let (receipt, sent) = mail_to(&all, "sam@example.com", "received");
        assert!(
            sent.to_ascii_lowercase().contains("charset=utf-8"),
            "{sent}"
        );
        assert!(
            receipt.contains("Deep tissue massage, 60 minutes, £80"),
            "{receipt}"
        );
        assert!(receipt.contains(&confirmed), "{receipt}");
        assert!(receipt.contains("Nothing is booked yet"), "{receipt}");
        assert!(receipt.contains("(London time)"), "{receipt}");
        assert!(
            !receipt.contains("Example Mews"),
            "the address only comes with a confirmation"
        );
    }

    let mut browser = Browser::new(&server);
    browser.origin = "https://www.example.com".into(); // the public address is the origin
    let (_, headers, _) = browser.sign_in("/inbox", PASSWORD).await;
    let cookie = headers
        .get_all(SET_COOKIE)
        .iter()
        .map(|v| v.to_str().unwrap().to_owned())
        .collect::<Vec<_>>()
        .join("\n");
    assert!(cookie.contains("Secure"), "https public address: {cookie}");
    let page = format!("/inbox/requests/{confirmed}");
    let csrf = browser.csrf(&page).await;
    let (status, _, _) = browser
        .post(
            &format!("{page}/confirm"),
            &[("csrf", &csrf), ("time", &noon_in(9))],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (status, _, _) = browser
        .post(
            &format!("/inbox/requests/{declined}/decline"),
            &[("csrf", &csrf), ("message", "I am away that week.")],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    wait_for(&messages, 6).await;

    let all = messages.lock().unwrap().clone();
    let (confirmation, sent) = mail_to(&all, "sam@example.com", "confirmed");
    assert!(
        confirmation.contains("1 Example Mews, London W1"),
        "{confirmation}"
    );
    assert!(
        confirmation.contains("Cancellation policy"),
        "{confirmation}"
    );
    let ics = ics_of(&sent);
    assert!(
        ics.contains("METHOD:REQUEST") && ics.contains("STATUS:CONFIRMED"),
        "{ics}"
    );
    assert!(
        ics.contains(&format!("UID:{confirmed}@www.example.com")),
        "{ics}"
    );
    let (decline, _) = mail_to(&all, "alex@example.com", "not available");
    assert!(decline.contains("I am away that week."), "{decline}");
    assert!(
        decline.contains("https://www.example.com/book"),
        "{decline}"
    );
    for mail in &all {
        assert!(
            !mail.contains("SECRET-HEALTH-DETAIL"),
            "health details never e-mailed"
        );
    }

    // The history shows what was sent, with times.
    let (_, _, html) = browser.get(&page).await;
    assert!(
        html.contains("Confirmation and calendar invite e-mailed"),
        "{html}"
    );
}

#[tokio::test]
async fn invites_land_at_the_right_instant_in_summer_and_winter() {
    let dir = tempfile::tempdir().unwrap();
    let (port, messages) = smtp::start().await;
    let server = start(&dir, &smtp::env(port)).await;
    let reference = send_request(&server, "key-inbox-0006", &valid_body("Sam")).await;
    wait_for(&messages, 2).await; // notice and receipt
    // Confirmations for a July and a January evening (written into the store directly:
    // a request can only ask for the next 90 days, so one season is always out of reach).
    let conn = rusqlite::Connection::open(database(&dir)).unwrap();
    for (i, time) in ["2027-07-14T18:00", "2027-01-14T18:00"].iter().enumerate() {
        conn.execute(
            "UPDATE booking_requests SET status = 'confirmed', confirmed_time = ?1",
            [time],
        )
        .unwrap();
        conn.execute(
            "INSERT INTO client_emails (request_id, kind, created_at) SELECT id, 'confirmed', '2027-01-01T00:00:00Z' FROM booking_requests",
            [],
        )
        .unwrap();
        wait_for(&messages, 3 + i).await;
    }
    let all = messages.lock().unwrap().clone();
    let july = ics_of(&all[2]);
    let january = ics_of(&all[3]);
    assert_eq!(
        utc_start(&july),
        "2027-07-14T17:00:00+00:00",
        "BST: an hour behind"
    );
    assert_eq!(utc_start(&january), "2027-01-14T18:00:00+00:00", "GMT");
    let uid = |ics: &str| {
        ics.lines()
            .find(|l| l.starts_with("UID:"))
            .unwrap()
            .to_owned()
    };
    assert_eq!(
        uid(&july),
        uid(&january),
        "a re-sent confirmation updates the same event"
    );
    assert!(uid(&july).contains(&reference));
}

#[tokio::test]
async fn hostile_text_in_a_request_is_shown_as_text() {
    let dir = tempfile::tempdir().unwrap();
    let server = start(&dir, &[]).await;
    let mut body = valid_body("<script>alert(1)</script> \"Sam\" 'O'Neil'");
    body["notes"] = json!("<img src=x onerror=alert(2)>\n</dd></dl><h1>Fake</h1>");
    let reference = send_request(&server, "key-inbox-0007", &body).await;
    let mut browser = Browser::new(&server);
    browser.sign_in("/inbox", PASSWORD).await;
    for path in ["/inbox".to_owned(), format!("/inbox/requests/{reference}")] {
        let (status, _, html) = browser.get(&path).await;
        assert_eq!(status, 200);
        assert!(
            !html.contains("<script") && !html.contains("<img"),
            "{html}"
        );
        assert!(
            html.contains("&lt;script&gt;alert(1)&lt;/script&gt; &quot;Sam&quot; 'O'Neil'"),
            "{html}"
        );
    }
    let (_, _, html) = browser.get(&format!("/inbox/requests/{reference}")).await;
    assert!(
        html.contains("&lt;img src=x onerror=alert(2)&gt;"),
        "{html}"
    );
    assert_eq!(html.matches("<h1>").count(), 1, "{html}");
}

#[tokio::test]
async fn sign_ins_are_logged_without_the_password() {
    let dir = tempfile::tempdir().unwrap();
    let server = start(&dir, &[]).await;
    let mut browser = Browser::new(&server);
    let (status, _, _) = browser.sign_in("/inbox", "a wrong guess at it").await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let (status, _, _) = browser.sign_in("/inbox", PASSWORD).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let failed = server
        .logged(
            &[
                "WARN",
                "inbox sign-in failed: wrong password",
                "client=127.0.0.1",
            ],
            1,
        )
        .await;
    assert_eq!(failed.len(), 1);
    server.logged(&["INFO", "inbox signed in"], 1).await;
    let log = server.log();
    assert!(
        !log.contains("wrong guess") && !log.contains(PASSWORD),
        "{log}"
    );
}

#[tokio::test]
async fn the_list_comes_in_pages_newest_first_with_a_filter_for_each_status() {
    let dir = tempfile::tempdir().unwrap();
    let db = database(&dir);
    assert!(set_password(&db, PASSWORD).status.success());
    let server = Server::start(&["--database", db.to_str().unwrap(), "--rate-limit", "100"]).await;
    for i in 1..=55 {
        let body = valid_body(&format!("Client {i:02}"));
        send_request(&server, &format!("key-paging-{i:04}"), &body).await;
    }
    rusqlite::Connection::open(&db)
        .unwrap()
        .execute_batch(
            "UPDATE booking_requests SET status = 'declined', decided_at = '2026-01-01T00:00:00Z'
             WHERE json_extract(request_json, '$.name') IN ('Client 03', 'Client 04')",
        )
        .unwrap();
    let mut browser = Browser::new(&server);
    browser.sign_in("/inbox", PASSWORD).await;
    let rows = |page: &str| page.matches("<li class=\"request ").count();

    let (status, _, first) = browser.get("/inbox").await;
    assert_eq!(status, 200);
    assert_eq!(rows(&first), 50);
    assert!(first.contains("Page 1 of 2"), "{first}");
    assert!(
        first.find("Client 55").unwrap() < first.find("Client 54").unwrap(),
        "newest first"
    );
    assert!(first.contains("href=\"/inbox?show=all&amp;page=2\" rel=\"next\""));
    assert!(first.contains("aria-current=\"page\">All (55)"), "{first}");
    assert!(first.contains("New (53)") && first.contains("Declined (2)"));

    let (_, _, second) = browser.get("/inbox?show=all&page=2").await;
    // The two declined ones come last, after every new one.
    assert_eq!(rows(&second), 5);
    assert!(second.contains("Client 03") && second.contains("Client 04"));
    assert!(second.contains("rel=\"prev\"") && !second.contains("rel=\"next\""));

    let (_, _, declined) = browser.get("/inbox?show=declined").await;
    assert_eq!(rows(&declined), 2);
    assert!(declined.contains("aria-current=\"page\">Declined (2)"));
    assert!(!declined.contains("Page 1 of"), "one page: no pager");
    let (_, _, upcoming) = browser.get("/inbox?show=upcoming").await;
    assert_eq!(rows(&upcoming), 0);
    assert!(upcoming.contains("None here."));
}

/// Strangers from many addresses spend the sign-in allowance everyone shares; the
/// therapist's phone, remembered when she last signed in, still gets in.
#[tokio::test]
async fn strangers_cannot_lock_the_therapist_out_of_her_own_phone() {
    let dir = tempfile::tempdir().unwrap();
    let db = database(&dir);
    assert!(set_password(&db, PASSWORD).status.success());
    let server = Server::start(&["--database", db.to_str().unwrap(), "--trust-proxy", "yes"]).await;
    let mut phone = Browser::new(&server);
    phone.forwarded_for = Some("198.51.100.7".into());
    let (status, headers, _) = phone.sign_in("/inbox", PASSWORD).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let device = headers
        .get_all(SET_COOKIE)
        .iter()
        .map(|v| v.to_str().unwrap())
        .find(|v| v.starts_with("inbox_device="))
        .expect("the device is remembered");
    for part in [
        "HttpOnly",
        "SameSite=Strict",
        "Path=/inbox",
        "Max-Age=31536000",
    ] {
        assert!(device.contains(part), "{device}");
    }
    let csrf = phone.csrf("/inbox").await;
    phone.post("/inbox/sign-out", &[("csrf", &csrf)]).await;

    // Five addresses, five guesses each: the shared allowance (20) is spent.
    let mut refused = 0;
    for n in 1..=5 {
        let mut stranger = Browser::new(&server);
        stranger.forwarded_for = Some(format!("203.0.113.{n}"));
        for _ in 0..5 {
            let (status, _, _) = stranger.sign_in("/inbox", "a guess at it").await;
            refused += usize::from(status == StatusCode::TOO_MANY_REQUESTS);
        }
    }
    // Her own first sign-in, from a device not yet remembered, counted too.
    assert_eq!(refused, 6, "the 20th to 25th guesses are refused");
    let mut newcomer = Browser::new(&server);
    newcomer.forwarded_for = Some("192.0.2.1".into());
    let (status, _, _) = newcomer.sign_in("/inbox", PASSWORD).await;
    assert_eq!(
        status,
        StatusCode::TOO_MANY_REQUESTS,
        "a device never seen waits"
    );

    let (status, headers, _) = phone.sign_in("/inbox", PASSWORD).await;
    assert_eq!(status, StatusCode::SEE_OTHER, "her phone gets in");
    assert_eq!(location(&headers), "/inbox");
    server
        .logged(&["inbox signed in", "remembered=true"], 1)
        .await;

    // A forged device cookie counts for nothing.
    let mut forger = Browser::new(&server);
    forger.forwarded_for = Some("192.0.2.2".into());
    forger
        .cookies
        .push(("inbox_device".into(), "made-up.c2lnbmF0dXJl".into()));
    let (status, _, _) = forger.sign_in("/inbox", PASSWORD).await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
}

/// Issue 22: three requests for one evening, two of them home visits across London. The
/// inbox let her confirm two at the same time; now the second says why it is taken before
/// she decides, and confirming it is refused next to the time.
#[tokio::test]
async fn a_time_that_clashes_with_a_confirmed_booking_is_shown_and_refused() {
    let dir = tempfile::tempdir().unwrap();
    let server = start(&dir, &[]).await;
    let day = noon_in(7)[..10].to_owned();
    let evening = format!("{day}T18:00");
    let next_day = format!("{}T18:00", &noon_in(8)[..10]);
    let home_visit = |name: &str, postcode: &str, times: &[&str]| {
        let mut body = valid_body(name);
        body["location"] = json!("outcall");
        body["minutes"] = json!(90);
        body["address"] = json!("1 Example Road");
        body["postcode"] = json!(postcode);
        body["preferred_times"] = json!(times);
        body
    };
    let jane = send_request(
        &server,
        "key-clash-1",
        &home_visit("Jane", "SW11 1AA", &[&evening]),
    )
    .await;
    let sam = send_request(
        &server,
        "key-clash-2",
        &home_visit("Sam", "E17 4AA", &[&evening, &next_day]),
    )
    .await;
    let mut browser = Browser::new(&server);
    browser.sign_in("/inbox", PASSWORD).await;

    // Sam's page shows nothing taken yet; Jane is confirmed for 18:00.
    let (_, _, html) = browser.get(&format!("/inbox/requests/{sam}")).await;
    assert!(!html.contains("Taken:"), "{html}");
    let jane_page = format!("/inbox/requests/{jane}");
    let csrf = browser.csrf(&jane_page).await;
    let (status, _, _) = browser
        .post(
            &format!("{jane_page}/confirm"),
            &[("csrf", &csrf), ("time", &evening)],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);

    // Now Sam's 18:00 is marked taken, and why, before she decides.
    let sam_page = format!("/inbox/requests/{sam}");
    let (_, _, html) = browser.get(&sam_page).await;
    assert!(
        html.contains("Taken: it overlaps with Jane&#39;s 18:00 outcall in SW11")
            || html.contains("Taken: it overlaps with Jane's 18:00 outcall in SW11"),
        "{html}"
    );
    assert!(html.contains("aria-describedby=\"time-0-clash\""), "{html}");
    assert!(!html.contains("id=\"time-1-clash\""), "{html}");

    // Confirming it anyway is refused next to the time, and nothing changes.
    let (status, _, html) = browser
        .post(
            &format!("{sam_page}/confirm"),
            &[("csrf", &csrf), ("time", &evening)],
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(html.contains("id=\"time-error\""), "{html}");
    assert!(html.contains("This time is taken"), "{html}");
    assert_eq!(status_of(&database(&dir), &sam).0, "new");

    // Straight after Jane's session ends is too soon: the journey from SW11 to E17 does not fit.
    let (status, _, html) = browser
        .post(
            &format!("{sam_page}/confirm"),
            &[
                ("csrf", &csrf),
                ("time", "other"),
                ("other_date", &day),
                ("other_time", "19:30"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        html.contains("id=\"other-error\"") && html.contains("travel"),
        "{html}"
    );

    // The next evening is free.
    let (status, _, _) = browser
        .post(
            &format!("{sam_page}/confirm"),
            &[("csrf", &csrf), ("time", &next_day)],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(
        status_of(&database(&dir), &sam),
        ("confirmed".into(), Some(next_day))
    );
}

/// The starts `/api/availability` offers on `day` for a 60-minute in-call deep tissue.
async fn free_starts_on(server: &Server, day: &str) -> Vec<String> {
    let response = reqwest::get(format!(
        "{}/api/availability?service_id=deep-tissue&minutes=60&location=in_call",
        server.base
    ))
    .await
    .unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["cache-control"], "no-store");
    let answer: Value = response.json().await.unwrap();
    answer["days"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["date"] == day)
        .map(|d| {
            d["starts"]
                .as_array()
                .unwrap()
                .iter()
                .map(|s| s.as_str().unwrap().to_owned())
                .collect()
        })
        .unwrap_or_default()
}

/// Issue 22: the booking page is offered only free times, and a time taken since it was
/// chosen is refused next to it when the request arrives.
#[tokio::test]
async fn a_confirmed_time_is_no_longer_offered_and_a_request_for_it_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let server = start(&dir, &[]).await;
    let day = noon_in(7)[..10].to_owned();
    let evening = format!("{day}T18:00");
    assert!(
        free_starts_on(&server, &day)
            .await
            .contains(&"18:00".to_owned())
    );

    let mut body = valid_body("Jane");
    body["preferred_times"] = json!([evening]);
    let jane = send_request(&server, "key-avail-1", &body).await;
    let mut browser = Browser::new(&server);
    browser.sign_in("/inbox", PASSWORD).await;
    let page = format!("/inbox/requests/{jane}");
    let csrf = browser.csrf(&page).await;
    let (status, _, _) = browser
        .post(
            &format!("{page}/confirm"),
            &[("csrf", &csrf), ("time", &evening)],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);

    // 18:00 goes, and so do the starts whose hour would run into it with the buffer.
    let starts = free_starts_on(&server, &day).await;
    for taken in ["17:00", "17:30", "18:00", "18:30", "19:00"] {
        assert!(!starts.contains(&taken.to_owned()), "{taken} in {starts:?}");
    }
    assert!(
        starts.contains(&"16:00".to_owned()) && starts.contains(&"19:30".to_owned()),
        "{starts:?}"
    );

    // A request for 18:00 from a page loaded before: refused next to that time only.
    let mut late = valid_body("Sam");
    late["preferred_times"] = json!([format!("{day}T20:00"), evening]);
    let response = server.post("key-avail-2", &late.to_string()).await;
    assert_eq!(response.status(), 422);
    let errors: Value = response.json().await.unwrap();
    assert_eq!(errors["errors"][0]["field"], "preferred_times.1");
    assert_eq!(errors["errors"][0]["code"], "taken");
    assert!(!errors.to_string().contains("Jane"), "{errors}");

    // A question the receiver cannot answer says what is wrong.
    let bad = reqwest::get(format!(
        "{}/api/availability?service_id=deep-tissue&minutes=60&location=outcall&postcode=AB10%201AA",
        server.base
    ))
    .await
    .unwrap();
    assert_eq!(bad.status(), 422);
    assert!(bad.text().await.unwrap().contains("outside the area"));
    let nonsense = reqwest::get(format!("{}/api/availability?minutes=lots", server.base))
        .await
        .unwrap();
    assert_eq!(nonsense.status(), 400);
}

/// `booking-api diary-feed`: the path it prints, or what it says on --revoke.
fn diary_feed(db: &Path, revoke: bool) -> String {
    let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_booking-api"));
    command.args(["diary-feed", "--database"]).arg(db);
    if revoke {
        command.arg("--revoke");
    }
    let output = command.output().unwrap();
    assert!(output.status.success(), "{output:?}");
    String::from_utf8(output.stdout).unwrap().trim().to_owned()
}

/// Issue 22: her confirmed bookings on her phone's calendar, at a secret address she can end.
#[tokio::test]
async fn her_bookings_are_a_calendar_feed_at_a_secret_address_without_health_details() {
    let dir = tempfile::tempdir().unwrap();
    let server = start(&dir, &[]).await;
    let evening = format!("{}T18:00", &noon_in(7)[..10]);
    let mut body = valid_body("Jane Feed");
    body["preferred_times"] = json!([evening]);
    body["notes"] = json!("Private note about my shoulder");
    body["health"] = json!({
        "summary": "Self-check result: Suitable for massage",
        "consent": { "given": true, "text_version": massage_core::booking::request::CONSENT_VERSION, "given_at": "2026-11-30T10:00:00Z" },
    });
    let jane = send_request(&server, "key-feed-1", &body).await;
    let other = send_request(&server, "key-feed-2", &valid_body("Not Confirmed")).await;
    let mut browser = Browser::new(&server);
    browser.sign_in("/inbox", PASSWORD).await;
    let page = format!("/inbox/requests/{jane}");
    let csrf = browser.csrf(&page).await;
    let (status, _, _) = browser
        .post(
            &format!("{page}/confirm"),
            &[("csrf", &csrf), ("time", &evening)],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);

    let db = database(&dir);
    let path = diary_feed(&db, false);
    assert!(
        path.starts_with("/diary/") && path.ends_with(".ics"),
        "{path}"
    );
    let response = reqwest::get(format!("{}{path}", server.base))
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert!(
        response.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/calendar")
    );
    assert_eq!(response.headers()["cache-control"], "private, no-store");
    let ics = response.text().await.unwrap();
    assert!(
        ics.contains("BEGIN:VEVENT") && ics.contains("SUMMARY:Jane Feed: "),
        "{ics}"
    );
    assert!(ics.contains(&format!("UID:{jane}@")), "{ics}");
    assert!(
        !ics.contains(&other) && !ics.contains("Not Confirmed"),
        "{ics}"
    );
    for private in ["Self-check", "shoulder"] {
        assert!(!ics.contains(private), "{private} in {ics}");
    }

    // A new address ends the old one; --revoke ends the feed; a guess finds nothing.
    let status = |path: String| {
        let url = format!("{}{path}", server.base);
        async move { reqwest::get(url).await.unwrap().status() }
    };
    let newer = diary_feed(&db, false);
    assert_ne!(newer, path);
    assert_eq!(status(path).await, 404);
    assert_eq!(status(newer.clone()).await, 200);
    diary_feed(&db, true);
    assert_eq!(status(newer).await, 404);
    assert_eq!(status("/diary/guess.ics".into()).await, 404);
}
