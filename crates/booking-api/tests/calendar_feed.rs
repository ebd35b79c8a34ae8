//! Her own calendar's feed over real HTTP (issue 22): a tiny feed server in the test serves
//! an ICS with a weekly event (EXDATE, a moved occurrence, the clock changes) and an ETag.
//! Its busy times are not offered; the second fetch asks with the validators and a 304 keeps
//! them; a failing feed is stale in /healthz and the inbox and its busy times still hold,
//! after a restart too; the secret address never reaches the log or the answers.

mod common;

use common::inbox::{Browser, PASSWORD, start_with};
use common::{Server, database};
use massage_core::booking::london_time::LondonDateTime;
use massage_core::calendar::Date;
use serde_json::Value;
use std::io::{Read, Write};
use std::net::TcpListener;
use std::sync::{Arc, Mutex};
use std::time::Duration;

const ETAG: &str = "\"v1-pilates\"";
const LAST_MODIFIED: &str = "Tue, 01 Dec 2026 10:00:00 GMT";
const SECRET: &str = "SECRET-7f3a9c";

#[derive(Clone, Copy, PartialEq)]
enum Mode {
    /// The calendar, or 304 when asked with its ETag.
    Serve,
    /// 500 for everything.
    Fail,
    /// 200 with a sign-in page, as a provider answers an address it has revoked.
    Garbage,
}

struct FeedServer {
    port: u16,
    state: Arc<Mutex<(Mode, Vec<String>)>>,
}

impl FeedServer {
    /// Serves `body` on a loopback port, one request per connection, keeping each request's
    /// head (lower-cased) to look at.
    fn start(body: String) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let state = Arc::new(Mutex::new((Mode::Serve, Vec::new())));
        let shared = state.clone();
        std::thread::spawn(move || {
            for mut socket in listener.incoming().map_while(Result::ok) {
                let mut head = Vec::new();
                let mut buf = [0u8; 1024];
                while !head.windows(4).any(|w| w == b"\r\n\r\n") {
                    match socket.read(&mut buf) {
                        Ok(0) | Err(_) => break,
                        Ok(n) => head.extend_from_slice(&buf[..n]),
                    }
                }
                let head = String::from_utf8_lossy(&head).to_lowercase();
                let mode = {
                    let mut state = shared.lock().unwrap();
                    state.1.push(head.clone());
                    state.0
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
                        body.clone(),
                    ),
                    Mode::Fail => ("500 Internal Server Error", String::new(), "down".into()),
                    Mode::Garbage => (
                        "200 OK",
                        "Content-Type: text/html\r\n".into(),
                        "<html>Sign in to see this calendar</html>".into(),
                    ),
                };
                let _ = write!(
                    socket,
                    "HTTP/1.1 {status}\r\n{headers}Content-Length: {}\r\nConnection: close\r\n\r\n{text}",
                    text.len()
                );
            }
        });
        Self { port, state }
    }

    fn url(&self) -> String {
        format!("http://127.0.0.1:{}/calendar/{SECRET}/basic.ics", self.port)
    }

    fn set(&self, mode: Mode) {
        self.state.lock().unwrap().0 = mode;
    }

    /// The heads of the requests so far, once there are `count` of them.
    async fn requests(&self, count: usize) -> Vec<String> {
        for _ in 0..400 {
            let seen = self.state.lock().unwrap().1.clone();
            if seen.len() >= count {
                return seen;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("the feed was not asked {count} times");
    }
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

/// Her Sunday Pilates, 12:00-13:00 London time, weekly since 2025; `skipped` left out
/// (EXDATE), `moved` moved to the Monday after at 15:00 (RECURRENCE-ID).
fn calendar(skipped: Date, moved: Date) -> String {
    let monday = plus(moved, 1);
    [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Test//Her calendar//EN",
        "BEGIN:VTIMEZONE",
        "TZID:Europe/London",
        "BEGIN:DAYLIGHT",
        "TZOFFSETFROM:+0000",
        "TZOFFSETTO:+0100",
        "TZNAME:BST",
        "DTSTART:19700329T010000",
        "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU",
        "END:DAYLIGHT",
        "BEGIN:STANDARD",
        "TZOFFSETFROM:+0100",
        "TZOFFSETTO:+0000",
        "TZNAME:GMT",
        "DTSTART:19701025T020000",
        "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU",
        "END:STANDARD",
        "END:VTIMEZONE",
        "BEGIN:VEVENT",
        "UID:pilates@test",
        "SUMMARY:Pilates",
        "DTSTART;TZID=Europe/London:20250105T120000",
        "DTEND;TZID=Europe/London:20250105T130000",
        "RRULE:FREQ=WEEKLY;BYDAY=SU",
        &format!("EXDATE;TZID=Europe/London:{}T120000", ics_date(skipped)),
        "END:VEVENT",
        "BEGIN:VEVENT",
        "UID:pilates@test",
        "SEQUENCE:1",
        "SUMMARY:Pilates (moved)",
        &format!(
            "RECURRENCE-ID;TZID=Europe/London:{}T120000",
            ics_date(moved)
        ),
        &format!("DTSTART;TZID=Europe/London:{}T150000", ics_date(monday)),
        &format!("DTEND;TZID=Europe/London:{}T160000", ics_date(monday)),
        "END:VEVENT",
        "END:VCALENDAR",
        "",
    ]
    .join("\r\n")
}

/// The starts `/api/availability` offers on `day` for a 60-minute in-call deep tissue.
async fn free_starts_on(server: &Server, day: Date) -> Vec<String> {
    let answer: Value = server
        .get("/api/availability?service_id=deep-tissue&minutes=60&location=in_call")
        .await
        .json()
        .await
        .unwrap();
    let day = day.to_string();
    answer["days"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["date"] == day.as_str())
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

/// Whether `day`'s noon hour is free, and the hour before.
async fn noon_is_free(server: &Server, day: Date) -> bool {
    let starts = free_starts_on(server, day).await;
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

#[tokio::test]
async fn her_calendars_busy_times_hold_her_diary_even_when_the_feed_fails() {
    let today = today();
    // The first Sunday at least three days ahead, then the skipped and the moved ones.
    let soonest = plus(today, 3);
    let first = plus(soonest, i64::from((6 + 7 - soonest.weekday()) % 7));
    assert_eq!(first.weekday(), 6);
    let (skipped, moved) = (plus(first, 7), plus(first, 14));
    let feed = FeedServer::start(calendar(skipped, moved));
    let dir = tempfile::tempdir().unwrap();
    let url = feed.url();
    let args = ["--calendar-feed", &url, "--calendar-feed-every", "1s"];
    let env = [("BOOKING_API_LOG", "debug".to_owned())];
    let server = start_with(&dir, &args, &env).await;
    server.logged(&["calendar feed updated"], 1).await;

    // Her Pilates is not offered; the skipped Sunday is; the moved one is free at noon
    // and taken on the Monday at 15:00.
    assert!(!noon_is_free(&server, first).await);
    let starts = free_starts_on(&server, first).await;
    assert!(
        !starts.contains(&"11:30".into()) && starts.contains(&"13:00".into()),
        "{starts:?}"
    );
    assert!(noon_is_free(&server, skipped).await);
    assert!(noon_is_free(&server, moved).await);
    let monday = free_starts_on(&server, plus(moved, 1)).await;
    assert!(
        !monday.contains(&"15:00".into()) && !monday.contains(&"14:30".into()),
        "{monday:?}"
    );
    assert!(monday.contains(&"16:00".into()), "{monday:?}");

    // The next fetch asks with the validators; the 304 keeps the busy times.
    let asked = feed.requests(2).await;
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
    server.logged(&["calendar feed unchanged"], 1).await;
    assert!(!noon_is_free(&server, first).await);
    let healthy = health_becomes(&server, 200).await;
    assert_eq!(healthy["calendar"]["stale"], false, "{healthy}");

    // The diary shows her Pilates at 12:00 London time on the Sunday the clocks change and
    // the Sunday before.
    let mut browser = Browser::new(&server);
    browser.sign_in("/inbox", PASSWORD).await;
    let change = clock_change_sunday(today, &[skipped, moved]);
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
    assert!(!html.contains("has not answered"), "{html}");

    // The feed fails: stale after three periods, said in /healthz and on every inbox page;
    // her Pilates still holds.
    feed.set(Mode::Fail);
    server.logged(&["calendar feed failed", "500"], 1).await;
    let failing = health_becomes(&server, 503).await;
    let problems = failing["problems"].to_string();
    let host = format!("127.0.0.1:{}", feed.port);
    assert!(
        problems.contains(&format!("her calendar feed ({host}) is stale")),
        "{failing}"
    );
    assert_eq!(failing["calendar"]["stale"], true);
    let (_, _, html) = browser.get("/inbox").await;
    assert!(
        html.contains(&format!(
            "Your calendar feed ({host}) has not answered since"
        )),
        "{html}"
    );
    assert!(!noon_is_free(&server, first).await);
    assert!(!failing.to_string().contains(SECRET) && !html.contains(SECRET));

    // After a restart, before any fetch succeeds (a revoked address answers a sign-in page),
    // the saved copy holds her busy times, and the feed is stale at once.
    feed.set(Mode::Garbage);
    server.stop();
    let server = start_with(&dir, &args, &env).await;
    assert!(!noon_is_free(&server, first).await);
    server
        .logged(&["calendar feed failed", "cannot be read"], 1)
        .await;
    let failing = health_becomes(&server, 503).await;
    assert!(
        failing["problems"].to_string().contains("not an iCalendar"),
        "{failing}"
    );
    assert!(!noon_is_free(&server, first).await);

    // It answers again: healthy, and the banner goes.
    feed.set(Mode::Serve);
    server.logged(&["calendar feed answers again"], 1).await;
    health_becomes(&server, 200).await;
    let mut browser = Browser::new(&server);
    browser.sign_in("/inbox", PASSWORD).await;
    let (_, _, html) = browser.get("/inbox").await;
    assert!(!html.contains("has not answered"), "{html}");
    assert!(!server.log().contains(SECRET), "{}", server.log());
    assert!(database(&dir).exists());
}
