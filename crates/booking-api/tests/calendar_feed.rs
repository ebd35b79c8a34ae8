//! Her own calendar's feed over real HTTP (issue 22): a tiny feed server in the test serves
//! an ICS with a weekly event (EXDATE, a moved occurrence, the clock changes) and an ETag.
//! Its busy times are not offered; the second fetch asks with the validators and a 304 keeps
//! them; a failing feed is stale in /healthz and the inbox and its busy times still hold,
//! after a restart too, from start, end and title alone; days never read are not known,
//! never free; redirects stay within the site and carry no Referer; a feed too large, one
//! that stalls, one that asks to wait, and one that answers 304 unasked are failures, not
//! calendars; the secret address never reaches the log or the answers.

mod common;

use common::inbox::{Browser, PASSWORD, availability, free_starts_on, send_request, start_with};
use common::{Server, database, valid_body};
use massage_core::booking::london_time::LondonDateTime;
use massage_core::calendar::Date;
use serde_json::Value;
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const ETAG: &str = "\"v1-pilates\"";
const LAST_MODIFIED: &str = "Tue, 01 Dec 2026 10:00:00 GMT";
const SECRET: &str = "SECRET-7f3a9c";
/// In the feed's event, never to be kept: her calendar's details beyond start, end, title.
const PRIVATE: &str = "Jane Client prefers the side door";
const ATTENDEE: &str = "jane.client@example.org";

#[derive(Clone, PartialEq)]
enum Mode {
    /// The calendar, or 304 when asked with its ETag.
    Serve,
    /// The calendar, always 200, without validators, its DTSTAMP the time of the request
    /// (as Google's feeds are).
    Stamped,
    /// 500 for everything.
    Fail,
    /// 200 with a sign-in page, as a provider answers an address it has revoked.
    Garbage,
    /// A redirect to this address.
    Redirect(String),
    /// `Content-Length` over the cap, and nothing sent.
    TooLargeDeclared,
    /// Over the cap, sent in chunks without a length.
    TooLargeStreamed,
    /// 304 whatever was asked.
    NotModified,
    /// 429 with `Retry-After` in seconds.
    Busy(u64),
    /// Reads the request and never answers.
    Stall,
}

struct Shared {
    mode: Mode,
    body: String,
    /// Each request's head (lower-cased), when it came, and how it was answered.
    seen: Vec<(String, Instant, Mode)>,
}

struct FeedServer {
    port: u16,
    shared: Arc<Mutex<Shared>>,
}

impl FeedServer {
    /// Serves `body` on a loopback port, one request per connection.
    fn start(body: String) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let shared = Arc::new(Mutex::new(Shared {
            mode: Mode::Serve,
            body,
            seen: Vec::new(),
        }));
        let state = shared.clone();
        std::thread::spawn(move || {
            for socket in listener.incoming().map_while(Result::ok) {
                let state = state.clone();
                std::thread::spawn(move || answer(socket, &state));
            }
        });
        Self { port, shared }
    }

    fn url(&self) -> String {
        format!("http://127.0.0.1:{}/calendar/{SECRET}/basic.ics", self.port)
    }

    fn set(&self, mode: Mode) {
        self.shared.lock().unwrap().mode = mode;
    }

    fn set_body(&self, body: String) {
        self.shared.lock().unwrap().body = body;
    }

    fn asked(&self) -> usize {
        self.shared.lock().unwrap().seen.len()
    }

    /// The requests so far, once there are `count` of them.
    async fn requests(&self, count: usize) -> Vec<(String, Instant, Mode)> {
        for _ in 0..600 {
            let seen = self.shared.lock().unwrap().seen.clone();
            if seen.len() >= count {
                return seen;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("the feed was not asked {count} times");
    }

    /// The heads of the requests so far, once there are `count` of them.
    async fn heads(&self, count: usize) -> Vec<String> {
        self.requests(count)
            .await
            .into_iter()
            .map(|(head, _, _)| head)
            .collect()
    }
}

fn answer(mut socket: TcpStream, state: &Mutex<Shared>) {
    let mut head = Vec::new();
    let mut buf = [0u8; 1024];
    while !head.windows(4).any(|w| w == b"\r\n\r\n") {
        match socket.read(&mut buf) {
            Ok(0) | Err(_) => return,
            Ok(n) => head.extend_from_slice(&buf[..n]),
        }
    }
    let head = String::from_utf8_lossy(&head).to_lowercase();
    let (mode, body, served) = {
        let mut state = state.lock().unwrap();
        let mode = state.mode.clone();
        state
            .seen
            .push((head.clone(), Instant::now(), mode.clone()));
        (mode, state.body.clone(), state.seen.len())
    };
    let (status, headers, text) = match mode {
        Mode::Serve if head.contains(&format!("if-none-match: {ETAG}")) => (
            "304 Not Modified",
            format!("ETag: {ETAG}\r\n"),
            String::new(),
        ),
        Mode::Serve => (
            "200 OK",
            format!(
                "ETag: {ETAG}\r\nLast-Modified: {LAST_MODIFIED}\r\nContent-Type: text/calendar\r\n"
            ),
            body,
        ),
        Mode::Stamped => {
            let stamp = format!(
                "DTSTAMP:20261201T10{:02}{:02}Z",
                served / 60 % 60,
                served % 60
            );
            (
                "200 OK",
                "Content-Type: text/calendar\r\n".into(),
                body.replace("DTSTAMP:20261201T100000Z", &stamp),
            )
        }
        Mode::Fail => ("500 Internal Server Error", String::new(), "down".into()),
        Mode::Garbage => (
            "200 OK",
            "Content-Type: text/html\r\n".into(),
            "<html>Sign in to see this calendar</html>".into(),
        ),
        Mode::Redirect(to) => ("302 Found", format!("Location: {to}\r\n"), String::new()),
        Mode::TooLargeDeclared => {
            let _ = write!(
                socket,
                "HTTP/1.1 200 OK\r\nContent-Type: text/calendar\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                21 * 1024 * 1024
            );
            return;
        }
        Mode::TooLargeStreamed => {
            let _ = write!(
                socket,
                "HTTP/1.1 200 OK\r\nContent-Type: text/calendar\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
            );
            let chunk = "X".repeat(1024 * 1024);
            for _ in 0..21 {
                if write!(socket, "{:x}\r\n{chunk}\r\n", chunk.len()).is_err() {
                    return;
                }
            }
            let _ = write!(socket, "0\r\n\r\n");
            return;
        }
        Mode::NotModified => (
            "304 Not Modified",
            format!("ETag: {ETAG}\r\n"),
            String::new(),
        ),
        Mode::Busy(seconds) => (
            "429 Too Many Requests",
            format!("Retry-After: {seconds}\r\n"),
            String::new(),
        ),
        Mode::Stall => {
            std::thread::sleep(Duration::from_secs(120));
            return;
        }
    };
    let _ = write!(
        socket,
        "HTTP/1.1 {status}\r\n{headers}Content-Length: {}\r\nConnection: close\r\n\r\n{text}",
        text.len()
    );
}

fn today() -> Date {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64;
    LondonDateTime::from_utc_seconds(now).date
}

fn plus(date: Date, days: i64) -> Date {
    Date::from_days_since_epoch(date.days_since_epoch() + days)
}

fn ics_date(date: Date) -> String {
    date.to_string().replace('-', "")
}

const LONDON: &str = "BEGIN:VTIMEZONE\r\nTZID:Europe/London\r\nBEGIN:DAYLIGHT\r\nTZOFFSETFROM:+0000\r\n\
TZOFFSETTO:+0100\r\nTZNAME:BST\r\nDTSTART:19700329T010000\r\nRRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU\r\n\
END:DAYLIGHT\r\nBEGIN:STANDARD\r\nTZOFFSETFROM:+0100\r\nTZOFFSETTO:+0000\r\nTZNAME:GMT\r\n\
DTSTART:19701025T020000\r\nRRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU\r\nEND:STANDARD\r\nEND:VTIMEZONE";

/// A calendar of these events (each the lines between `BEGIN:VEVENT` and `END:VEVENT`).
fn calendar_of(events: &[Vec<String>]) -> String {
    let mut lines = vec![
        "BEGIN:VCALENDAR".to_owned(),
        "VERSION:2.0".into(),
        "PRODID:-//Test//Her calendar//EN".into(),
        LONDON.into(),
    ];
    for event in events {
        lines.push("BEGIN:VEVENT".into());
        lines.extend(event.iter().cloned());
        lines.push("END:VEVENT".into());
    }
    lines.push("END:VCALENDAR".into());
    lines.push(String::new());
    lines.join("\r\n")
}

/// Her Sunday Pilates, 12:00-13:00 London time, weekly since 2025, with a description and
/// another attendee that must never be kept; `skipped` left out (EXDATE), `moved` moved to
/// the Monday after at 15:00 (RECURRENCE-ID).
fn pilates(skipped: Date, moved: Date) -> Vec<Vec<String>> {
    let monday = plus(moved, 1);
    vec![
        vec![
            "UID:pilates@test".into(),
            "DTSTAMP:20261201T100000Z".into(),
            "SUMMARY:Pilates".into(),
            format!("DESCRIPTION:{PRIVATE}"),
            "LOCATION:Studio 4, 1 Example Street".into(),
            format!("ATTENDEE;PARTSTAT=ACCEPTED:mailto:{ATTENDEE}"),
            "DTSTART;TZID=Europe/London:20250105T120000".into(),
            "DTEND;TZID=Europe/London:20250105T130000".into(),
            "RRULE:FREQ=WEEKLY;BYDAY=SU".into(),
            format!("EXDATE;TZID=Europe/London:{}T120000", ics_date(skipped)),
        ],
        vec![
            "UID:pilates@test".into(),
            "SEQUENCE:1".into(),
            "SUMMARY:Pilates (moved)".into(),
            format!(
                "RECURRENCE-ID;TZID=Europe/London:{}T120000",
                ics_date(moved)
            ),
            format!("DTSTART;TZID=Europe/London:{}T150000", ics_date(monday)),
            format!("DTEND;TZID=Europe/London:{}T160000", ics_date(monday)),
        ],
    ]
}

/// A dentist's appointment at 16:00-17:00 London time on `day`.
fn dentist(day: Date) -> Vec<String> {
    vec![
        "UID:dentist@test".into(),
        "SUMMARY:Dentist".into(),
        format!("DTSTART;TZID=Europe/London:{}T160000", ics_date(day)),
        format!("DTEND;TZID=Europe/London:{}T170000", ics_date(day)),
    ]
}

/// The first Sunday at least three days ahead.
fn next_sunday() -> Date {
    let soonest = plus(today(), 3);
    let first = plus(soonest, i64::from((6 + 7 - soonest.weekday()) % 7));
    assert_eq!(first.weekday(), 6);
    first
}

/// Whether `day`'s noon hour is free, and the hour before.
async fn noon_is_free(server: &Server, day: Date) -> bool {
    let starts = free_starts_on(server, &day.to_string()).await;
    assert!(starts.contains(&"11:00".to_owned()), "{day}: {starts:?}");
    starts.contains(&"12:00".to_owned())
}

/// `/healthz` once its status is `want` (it changes as the feed goes stale or answers).
async fn health_becomes(server: &Server, want: u16) -> Value {
    for _ in 0..400 {
        let response = server.get("/healthz").await;
        if response.status() == want {
            return response.json().await.unwrap();
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("/healthz did not answer {want}");
}

/// The next Sundays the clocks change on, within the diary's year, that are not `avoid`
/// nor the Sunday after one of them (the test's calendar changes those).
fn clock_change_sunday(from: Date, avoid: &[Date]) -> Date {
    (from.year..=from.year + 1)
        .flat_map(|year| [Date::last_sunday(year, 3), Date::last_sunday(year, 10)])
        .filter(|d| *d > from && d.days_since_epoch() - from.days_since_epoch() < 360)
        .find(|d| !avoid.iter().any(|a| *a == *d || *a == plus(*d, -7)))
        .expect("a clock change within the year")
}

/// Everything in the database's files (the file and its write-ahead log), as text.
fn database_bytes(dir: &tempfile::TempDir) -> String {
    let db = database(dir);
    let mut all = std::fs::read(&db).unwrap();
    if let Ok(wal) = std::fs::read(db.with_extension("sqlite-wal")) {
        all.extend(wal);
    }
    String::from_utf8_lossy(&all).into_owned()
}

fn args(url: &str) -> [&str; 4] {
    ["--calendar-feed", url, "--calendar-feed-every", "1s"]
}

fn debug_log() -> [(&'static str, String); 1] {
    [("BOOKING_API_LOG", "debug".to_owned())]
}

#[tokio::test]
async fn her_calendars_busy_times_hold_her_diary_even_when_the_feed_fails() {
    let first = next_sunday();
    let (skipped, moved) = (plus(first, 7), plus(first, 14));
    let feed = FeedServer::start(calendar_of(&pilates(skipped, moved)));
    let dir = tempfile::tempdir().unwrap();
    let url = feed.url();
    let server = start_with(&dir, &args(&url), &debug_log()).await;
    server.logged(&["calendar feed updated"], 1).await;

    // Her Pilates is not offered; the skipped Sunday is; the moved one is free at noon
    // and taken on the Monday at 15:00.
    assert!(!noon_is_free(&server, first).await);
    let starts = free_starts_on(&server, &first.to_string()).await;
    assert!(
        !starts.contains(&"11:30".into()) && starts.contains(&"13:00".into()),
        "{starts:?}"
    );
    assert!(noon_is_free(&server, skipped).await);
    assert!(noon_is_free(&server, moved).await);
    let monday = free_starts_on(&server, &plus(moved, 1).to_string()).await;
    assert!(
        !monday.contains(&"15:00".into()) && !monday.contains(&"14:30".into()),
        "{monday:?}"
    );
    assert!(monday.contains(&"16:00".into()), "{monday:?}");

    // The next fetch asks with the validators; the 304 keeps the busy times.
    let asked = feed.heads(2).await;
    assert!(
        asked[1].contains(&format!("if-none-match: {ETAG}")),
        "{}",
        asked[1]
    );
    assert!(
        asked[1].contains(&format!(
            "if-modified-since: {}",
            LAST_MODIFIED.to_lowercase()
        )),
        "{}",
        asked[1]
    );
    assert!(asked[0].contains("accept-encoding: gzip"), "{}", asked[0]);
    server.logged(&["calendar feed unchanged"], 1).await;
    assert!(!noon_is_free(&server, first).await);
    let healthy = health_becomes(&server, 200).await;
    assert_eq!(healthy["calendar"]["stale"], false, "{healthy}");

    // The diary shows her Pilates at 12:00 London time on the Sunday the clocks change and
    // the Sunday before (read from the feed's text: beyond the days kept ready).
    let mut browser = Browser::new(&server);
    browser.sign_in("/inbox", PASSWORD).await;
    let change = clock_change_sunday(today(), &[skipped, moved]);
    for sunday in [plus(change, -7), change] {
        let (status, _, html) = browser
            .get(&format!("/inbox/diary?date={sunday}&view=day"))
            .await;
        assert_eq!(status, 200);
        assert!(
            html.contains(
                "<span class=\"when\">12:00\u{2013}13:00</span><span>Your calendar: Pilates</span>"
            ),
            "{sunday}: {html}"
        );
        assert!(!html.contains("is not known for this day"), "{html}");
    }
    let (_, _, html) = browser
        .get(&format!("/inbox/diary?date={moved}&view=day"))
        .await;
    assert!(html.contains("Nothing booked or blocked"), "{html}");
    let monday = plus(moved, 1);
    let (_, _, html) = browser
        .get(&format!("/inbox/diary?date={monday}&view=day"))
        .await;
    assert!(
        html.contains("<span class=\"when\">15:00\u{2013}16:00</span><span>Your calendar: Pilates (moved)</span>"),
        "{html}"
    );
    assert!(!html.contains("could not be read"), "{html}");

    // The feed fails: stale after three periods, said in /healthz (without the host) and
    // on every inbox page; her Pilates still holds.
    feed.set(Mode::Fail);
    server.logged(&["calendar feed failed", "500"], 1).await;
    let failing = health_becomes(&server, 503).await;
    let problems = failing["problems"].to_string();
    let host = format!("127.0.0.1:{}", feed.port);
    assert!(
        problems.contains("her calendar feed is stale, last read"),
        "{failing}"
    );
    assert_eq!(failing["calendar"]["stale"], true);
    assert_eq!(
        failing["calendar"]["last_failure"],
        "answered 500 Internal Server Error"
    );
    assert!(!failing.to_string().contains(&host), "{failing}");
    let (_, _, html) = browser.get("/inbox").await;
    assert!(
        html.contains(&format!("Your calendar ({host}) could not be read since")),
        "{html}"
    );
    assert!(
        html.contains("Anything added since may be offered to clients."),
        "{html}"
    );
    assert!(!noon_is_free(&server, first).await);
    assert!(!failing.to_string().contains(SECRET) && !html.contains(SECRET));

    // After a restart, before any fetch succeeds (a revoked address answers a sign-in page),
    // the busy times saved hold, and the feed is stale at once.
    feed.set(Mode::Garbage);
    server.stop();
    let server = start_with(&dir, &args(&url), &debug_log()).await;
    assert!(!noon_is_free(&server, first).await);
    server
        .logged(&["calendar feed failed", "not a calendar"], 1)
        .await;
    let failing = health_becomes(&server, 503).await;
    assert!(
        failing["problems"].to_string().contains("not a calendar"),
        "{failing}"
    );
    assert!(!noon_is_free(&server, first).await);
    // Saved: when, and the title; never the rest of her calendar.
    let kept = database_bytes(&dir);
    assert!(kept.contains("Pilates (moved)"));
    for private in [PRIVATE, ATTENDEE, "Example Street", SECRET] {
        assert!(!kept.contains(private), "{private} is in the database");
    }

    // It answers again: healthy, and the banner goes.
    feed.set(Mode::Serve);
    server.logged(&["calendar feed answers again"], 1).await;
    health_becomes(&server, 200).await;
    let mut browser = Browser::new(&server);
    browser.sign_in("/inbox", PASSWORD).await;
    let (_, _, html) = browser.get("/inbox").await;
    assert!(!html.contains("could not be read"), "{html}");
    assert!(!server.log().contains(SECRET), "{}", server.log());
}

#[tokio::test]
async fn a_calendar_never_read_is_not_known_not_free_and_a_stalled_fetch_holds_nothing_up() {
    let feed = FeedServer::start(calendar_of(&[dentist(plus(today(), 5))]));
    feed.set(Mode::Stall);
    let dir = tempfile::tempdir().unwrap();
    let url = feed.url();
    let server = start_with(&dir, &args(&url), &[]).await;
    feed.requests(1).await;

    // While the first fetch hangs, the booking page gets its answer at once, with no day
    // said to be free (it then offers every start, and she checks when she answers).
    let asked = Instant::now();
    assert_eq!(availability(&server).await, []);
    assert!(asked.elapsed() < Duration::from_secs(5));
    let mut browser = Browser::new(&server);
    browser.sign_in("/inbox", PASSWORD).await;
    let (status, _, html) = browser.get("/inbox/diary?view=day").await;
    assert_eq!(status, 200);
    assert!(
        html.contains("Your calendar is not known for this day"),
        "{html}"
    );
    // A request's page says its times could not be checked against her calendar.
    let reference = send_request(&server, "key-not-known-1", &valid_body("Sam")).await;
    let (_, _, html) = browser.get(&format!("/inbox/requests/{reference}")).await;
    assert!(
        html.contains("Your calendar is not known for this day: check it before you confirm."),
        "{html}"
    );
    assert!(
        html.contains("aria-describedby=\"time-0-calendar\""),
        "{html}"
    );
    // Only one fetch at a time: the stalled one is still the only one.
    tokio::time::sleep(Duration::from_secs(2)).await;
    assert_eq!(feed.asked(), 1);
}

#[tokio::test]
async fn a_feed_too_large_or_answering_not_modified_unasked_is_a_failure_not_a_calendar() {
    let day = plus(today(), 5);
    let feed = FeedServer::start(calendar_of(&[dentist(day)]));
    feed.set(Mode::TooLargeDeclared);
    let dir = tempfile::tempdir().unwrap();
    let url = feed.url();
    let server = start_with(&dir, &args(&url), &[]).await;
    server
        .logged(&["calendar feed failed", "larger than 20 MB"], 1)
        .await;
    feed.set(Mode::TooLargeStreamed);
    server
        .logged(&["calendar feed failed", "larger than 20 MB"], 2)
        .await;
    // A 304 with no copy held (none was asked for) is no answer.
    feed.set(Mode::NotModified);
    server
        .logged(&["calendar feed failed", "answered 304 Not Modified"], 1)
        .await;
    assert!(
        !feed
            .heads(1)
            .await
            .iter()
            .any(|h| h.contains("if-none-match")),
        "no validators before a copy is held"
    );
    let failing = health_becomes(&server, 503).await;
    assert!(
        failing["problems"]
            .to_string()
            .contains("her calendar feed is stale, never read"),
        "{failing}"
    );
    assert_eq!(availability(&server).await, []);
    let mut browser = Browser::new(&server);
    browser.sign_in("/inbox", PASSWORD).await;
    let (_, _, html) = browser.get("/inbox").await;
    assert!(html.contains("has not been read yet"), "{html}");

    feed.set(Mode::Serve);
    server.logged(&["calendar feed updated"], 1).await;
    let starts = free_starts_on(&server, &day.to_string()).await;
    assert!(
        !starts.contains(&"16:00".into()) && starts.contains(&"17:00".into()),
        "{starts:?}"
    );
}

#[tokio::test]
async fn redirects_are_followed_within_the_site_without_a_referer() {
    let day = plus(today(), 4);
    let target = FeedServer::start(calendar_of(&[dentist(day)]));
    let feed = FeedServer::start(String::new());
    feed.set(Mode::Redirect(format!(
        "http://127.0.0.1:{}/moved/{SECRET}.ics",
        target.port
    )));
    let dir = tempfile::tempdir().unwrap();
    let url = feed.url();
    let server = start_with(&dir, &args(&url), &[]).await;
    server.logged(&["calendar feed updated"], 1).await;
    let heads = target.heads(1).await;
    assert!(!heads[0].contains("referer"), "{}", heads[0]);
    assert!(
        !free_starts_on(&server, &day.to_string())
            .await
            .contains(&"16:00".into())
    );

    // To another host: not followed, a failure; the busy times read before still hold.
    let stranger = FeedServer::start(calendar_of(&[]));
    feed.set(Mode::Redirect(format!(
        "http://localhost:{}/collect",
        stranger.port
    )));
    server
        .logged(&["calendar feed failed", "was not followed"], 1)
        .await;
    assert_eq!(stranger.asked(), 0);
    assert!(
        !free_starts_on(&server, &day.to_string())
            .await
            .contains(&"16:00".into())
    );
    assert!(!server.log().contains(SECRET), "{}", server.log());
}

#[tokio::test]
async fn a_new_address_is_sent_no_validators_and_the_old_busy_times_hold_until_it_answers() {
    let first = next_sunday();
    let old = FeedServer::start(calendar_of(&pilates(plus(first, 7), plus(first, 14))));
    let dir = tempfile::tempdir().unwrap();
    let old_url = old.url();
    let server = start_with(&dir, &args(&old_url), &[]).await;
    server.logged(&["calendar feed updated"], 1).await;
    assert!(!noon_is_free(&server, first).await);
    server.stop();

    // She resets her secret address: the new one starts failing.
    let new = FeedServer::start(calendar_of(&[dentist(first)]));
    new.set(Mode::Fail);
    let new_url = new.url();
    let server = start_with(&dir, &args(&new_url), &[]).await;
    let heads = new.heads(1).await;
    assert!(
        !heads[0].contains("if-none-match") && !heads[0].contains("if-modified-since"),
        "{}",
        heads[0]
    );
    server.logged(&["calendar feed failed"], 1).await;
    assert!(!noon_is_free(&server, first).await);

    new.set(Mode::Serve);
    server.logged(&["calendar feed updated"], 1).await;
    assert!(noon_is_free(&server, first).await);
    let starts = free_starts_on(&server, &first.to_string()).await;
    assert!(!starts.contains(&"16:00".into()), "{starts:?}");
}

#[tokio::test]
async fn an_unchanged_feed_is_not_read_again_and_one_asking_to_wait_is_waited_for() {
    let first = next_sunday();
    let feed = FeedServer::start(calendar_of(&pilates(plus(first, 7), plus(first, 14))));
    feed.set(Mode::Stamped);
    let dir = tempfile::tempdir().unwrap();
    let url = feed.url();
    let server = start_with(&dir, &args(&url), &debug_log()).await;
    // Every answer is a 200 with a new DTSTAMP: read once, then known to be the same.
    server.logged(&["calendar feed unchanged"], 2).await;
    assert_eq!(server.logged(&["calendar feed updated"], 1).await.len(), 1);
    assert!(!noon_is_free(&server, first).await);

    // Too many requests: the next comes after the time it asked for, not the period.
    feed.set(Mode::Busy(3));
    let seen = feed.requests(feed.asked() + 1).await;
    let refused = seen
        .iter()
        .position(|(_, _, mode)| *mode == Mode::Busy(3))
        .expect("a request answered 429");
    feed.set(Mode::Stamped);
    let seen = feed.requests(refused + 2).await;
    let waited = seen[refused + 1].1 - seen[refused].1;
    assert!(waited >= Duration::from_millis(2900), "{waited:?}");
    server
        .logged(&["calendar feed failed", "429 Too Many Requests"], 1)
        .await;
    assert!(!noon_is_free(&server, first).await);
}

#[tokio::test]
async fn an_event_her_calendar_cannot_read_is_named_and_the_rest_still_holds() {
    let first = next_sunday();
    let mut events = pilates(plus(first, 7), plus(first, 14));
    events.push(vec![
        "UID:every-minute@test".into(),
        "SUMMARY:Drink water".into(),
        "DTSTART:20250101T000000Z".into(),
        "DURATION:PT1M".into(),
        "RRULE:FREQ=MINUTELY".into(),
    ]);
    let feed = FeedServer::start(calendar_of(&events));
    let dir = tempfile::tempdir().unwrap();
    let url = feed.url();
    let server = start_with(&dir, &args(&url), &[]).await;
    server
        .logged(&["her calendar: the event \"Drink water\"", "not held"], 1)
        .await;
    assert!(!noon_is_free(&server, first).await);
    health_becomes(&server, 200).await;
    let mut browser = Browser::new(&server);
    browser.sign_in("/inbox", PASSWORD).await;
    let (_, _, html) = browser.get("/inbox/diary").await;
    assert!(
        html.contains("In your calendar, \u{201c}Drink water\u{201d} cannot be read, so its times are not held here"),
        "{html}"
    );

    // Fixed in her calendar: the banner goes.
    feed.set_body(calendar_of(&pilates(plus(first, 7), plus(first, 14))));
    feed.set(Mode::Stamped);
    for _ in 0..100 {
        let (_, _, html) = browser.get("/inbox").await;
        if !html.contains("Drink water") {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("the banner stayed after the event was fixed");
}
