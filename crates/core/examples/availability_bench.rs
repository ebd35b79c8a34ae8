//! How long the free start times for 90 days take over her calendar: a generated feed of
//! 5,000 events (a third of them repeating, with EXDATEs and moved occurrences) plus
//! confirmed bookings, against the same question over an empty diary in the same run.
//! Figures, not a test (issue 22's target: under 10 ms natively, release build). Reading the
//! feed itself is timed too: the receiver does it in the background, once per new text and
//! once per London day, never while answering.
//!
//! cargo run --release -p massage-core --example availability_bench --features feeds,content

use massage_core::booking::london_time::LondonDateTime;
use massage_core::calendar::Date;
use massage_core::clock::ClockTime;
use massage_core::diary::feed::{Owner, busy_times};
use massage_core::diary::{Diary, DiaryEntry, Place, Session, Span, free_starts};
use massage_core::services::Catalog;
use std::fmt::Write;
use std::time::{Duration, Instant};

const EVENTS: usize = 5_000;
const RUNS: usize = 51;

fn main() {
    let catalog = Catalog::from_toml(
        "content/services.toml",
        include_str!("../../../content/services.toml"),
    )
    .expect("the services file is valid");
    let practice = &catalog.practice;
    let now_at = LondonDateTime::parse("2026-12-03T09:00").expect("a London time");
    let now = now_at.to_utc_minutes() * 60;
    let today = now_at.date;
    let last = Date::from_days_since_epoch(
        today.days_since_epoch() + i64::from(practice.scheduling.booking_window_days),
    );

    let feed = generated_feed();
    // The receiver keeps a week back to three days past the window ready (calendar_feed).
    let kept_from = Date::from_days_since_epoch(today.days_since_epoch() - 7);
    let kept_to = Date::from_days_since_epoch(last.days_since_epoch() + 4);
    let owner = Owner::default();
    let (parse, times) = timed(5, || {
        busy_times(&feed, kept_from, kept_to, &owner).expect("the feed reads")
    });
    let tomorrow = |d: Date| Date::from_days_since_epoch(d.days_since_epoch() + 1);
    let (midnight, _) = timed(5, || {
        busy_times(&feed, tomorrow(kept_from), tomorrow(kept_to), &owner).expect("the feed reads")
    });
    let busy: Vec<_> = times
        .busy
        .into_iter()
        .filter(|b| {
            b.span.overlaps(Span::between(
                LondonDateTime {
                    date: today,
                    time: ClockTime::from_minutes(0),
                },
                LondonDateTime {
                    date: tomorrow(last),
                    time: ClockTime::from_minutes(0),
                },
            ))
        })
        .collect();
    let bookings = bookings(today);
    let diary = Diary::new(
        busy.iter()
            .cloned()
            .map(DiaryEntry::from)
            .chain(bookings.iter().cloned()),
    );
    let empty = Diary::default();

    println!(
        "feed: {EVENTS} events, {} KB; {} busy times and {} bookings in the {} days from {today}",
        feed.len() / 1024,
        busy.len(),
        bookings.len(),
        practice.scheduling.booking_window_days
    );
    println!(
        "read the feed over the {} days kept ready (in the background, once per new text): {:.1} ms",
        kept_to.days_since_epoch() - kept_from.days_since_epoch() + 1,
        ms(parse)
    );
    println!(
        "read it again when the London day moves the range on (in the background, once a day): {:.1} ms (median of 5)",
        ms(midnight)
    );
    let places = [
        ("in-call", Place::Studio),
        (
            "outcall SW11",
            Place::Home {
                postcode: "SW11 1AA".into(),
            },
        ),
    ];
    for (label, place) in &places {
        let (baseline, _) = timed(RUNS, || {
            free_starts(&empty, practice, 90, place, now).expect("served")
        });
        let (full, days) = timed(RUNS, || {
            free_starts(&diary, practice, 90, place, now).expect("served")
        });
        let free: usize = days.iter().map(|d| d.starts.len()).sum();
        println!(
            "availability, 90 min {label}, {} days: {:.3} ms over the diary ({free} free starts), \
             {:.3} ms over an empty diary: {:.1}x (median of {RUNS})",
            days.len(),
            ms(full),
            ms(baseline),
            full.as_secs_f64() / baseline.as_secs_f64()
        );
    }
}

/// The median time of `runs` calls, and the last result.
fn timed<T>(runs: usize, mut f: impl FnMut() -> T) -> (Duration, T) {
    let mut times = Vec::with_capacity(runs);
    let mut result = None;
    for _ in 0..runs {
        let start = Instant::now();
        result = Some(std::hint::black_box(f()));
        times.push(start.elapsed());
    }
    times.sort();
    (times[runs / 2], result.expect("at least one run"))
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// A small deterministic generator, so every run measures the same feed.
struct Lcg(u64);

impl Lcg {
    fn below(&mut self, n: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 33) % n
    }
}

/// `20261203T090000`, for a day count since 1970 and a minute of the day.
fn ics_time(day: i64, minute: u64) -> String {
    let d = Date::from_days_since_epoch(day);
    format!(
        "{:04}{:02}{:02}T{:02}{:02}00",
        d.year,
        d.month,
        d.day,
        minute / 60,
        minute % 60
    )
}

/// 5,000 events from 2019 to spring 2027 in London time (years of history, as a real feed
/// has), 30 to 120 minutes between 08:00 and 21:00. One in ten repeats weekly: a third end by
/// COUNT, most of the rest by UNTIL within a year, one in nine never; every fifth series
/// skips an occurrence (EXDATE), every other one moves one (RECURRENCE-ID).
fn generated_feed() -> String {
    let mut rng = Lcg(22);
    let first = Date::new(2019, 1, 1).expect("a date").days_since_epoch();
    let span = Date::new(2027, 4, 1).expect("a date").days_since_epoch() - first;
    let mut ics = String::from(
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//bench//EN\r\nBEGIN:VTIMEZONE\r\n\
         TZID:Europe/London\r\nEND:VTIMEZONE\r\n",
    );
    for i in 0..EVENTS {
        let day = first + rng.below(span as u64) as i64;
        let start = 8 * 60 + rng.below(13 * 4) * 15;
        let length = 30 + rng.below(4) * 30;
        let (dtstart, dtend) = (ics_time(day, start), ics_time(day, start + length));
        let _ = write!(
            ics,
            "BEGIN:VEVENT\r\nUID:event-{i}@bench\r\nSUMMARY:Event {i}\r\n\
             DTSTART;TZID=Europe/London:{dtstart}\r\nDTEND;TZID=Europe/London:{dtend}\r\n"
        );
        let repeats = i % 10 == 0;
        if repeats {
            let end = match (i % 30, i % 90) {
                (0, _) => format!(";COUNT={}", 10 + rng.below(50)),
                (_, 20) => String::new(),
                _ => format!(
                    ";UNTIL={}Z",
                    ics_time(day + 7 * (5 + rng.below(48) as i64), 0)
                ),
            };
            let _ = write!(ics, "RRULE:FREQ=WEEKLY{end}\r\n");
            if i % 5 == 0 {
                let _ = write!(
                    ics,
                    "EXDATE;TZID=Europe/London:{}\r\n",
                    ics_time(day + 14, start)
                );
            }
        }
        ics.push_str("END:VEVENT\r\n");
        if repeats && i % 20 == 0 {
            let moved = start.saturating_sub(60).max(8 * 60);
            let _ = write!(
                ics,
                "BEGIN:VEVENT\r\nUID:event-{i}@bench\r\nSEQUENCE:1\r\nSUMMARY:Event {i} (moved)\r\n\
                 RECURRENCE-ID;TZID=Europe/London:{}\r\nDTSTART;TZID=Europe/London:{}\r\n\
                 DTEND;TZID=Europe/London:{}\r\nEND:VEVENT\r\n",
                ics_time(day + 7, start),
                ics_time(day + 8, moved),
                ics_time(day + 8, moved + length),
            );
        }
    }
    ics.push_str("END:VCALENDAR\r\n");
    ics
}

/// Two confirmed sessions a day for the next 90 days, one in-call and one outcall.
fn bookings(today: Date) -> Vec<DiaryEntry> {
    let places = [
        Place::Studio,
        Place::Home {
            postcode: "NW1 4RY".into(),
        },
    ];
    (0..90)
        .flat_map(|offset| {
            let date = Date::from_days_since_epoch(today.days_since_epoch() + offset);
            ["12:00", "19:00"]
                .into_iter()
                .zip(places.clone())
                .map(move |(time, place)| {
                    let start = LondonDateTime::parse(&format!("{date}T{time}")).expect("a time");
                    DiaryEntry::booking(
                        "AM-BENCH",
                        "Client",
                        Session {
                            start,
                            minutes: 60,
                            place,
                        },
                    )
                })
        })
        .collect()
}
