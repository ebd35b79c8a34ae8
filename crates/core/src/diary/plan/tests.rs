use super::*;
use crate::diary::fixtures::{at, home, rules, session};
use crate::diary::{EntryKind, Span};

fn date(text: &str) -> Date {
    Date::parse_iso(text).unwrap()
}

/// Each item of a day as `18:00-19:30 Jane` (`all day`, `from`/`until` for an item running
/// over midnight; `travel 25 min SW11 -> studio` for a journey).
fn lines(day: &DayPlan<'_>) -> Vec<String> {
    day.items
        .iter()
        .map(|item| {
            let (start, end) = item.times();
            let when = match (item.starts_before, item.ends_after) {
                (true, true) => "all day".to_owned(),
                (true, false) => format!("until {end}"),
                (false, true) => format!("from {start}"),
                (false, false) => format!("{start}-{end}"),
            };
            let name = |place: &Place| place.district().unwrap_or("studio").to_owned();
            let what = match &item.what {
                Planned::Travel { from, to } => {
                    format!(
                        "travel {} min {} -> {}",
                        item.minutes(),
                        name(from),
                        name(to)
                    )
                }
                Planned::Entry(entry) => match &entry.kind {
                    EntryKind::Booking { client, .. } => client.clone(),
                    EntryKind::Blocked { note, .. } => format!("blocked {note}"),
                    EntryKind::Calendar { summary } => format!("calendar {summary}"),
                },
            };
            format!("{when} {what}")
        })
        .collect()
}

#[test]
fn a_day_of_home_visits_shows_each_journey_once() {
    // SW11 is 25 minutes from the studio, SW19 40; both in SW, so between them the longer.
    let diary = Diary::new([
        DiaryEntry::booking(
            "AM-1",
            "Jane",
            session("2026-12-03T14:00", 60, home("SW11 1AA")),
        ),
        DiaryEntry::booking(
            "AM-2",
            "Sam",
            session("2026-12-03T16:00", 90, home("SW19 2AB")),
        ),
        DiaryEntry::booking(
            "AM-3",
            "Ali",
            session("2026-12-03T19:30", 60, Place::Studio),
        ),
    ]);
    let days = plan(&diary, &rules(), date("2026-12-03"), 1);
    assert_eq!(
        lines(&days[0]),
        [
            "13:35-14:00 travel 25 min studio -> SW11",
            "14:00-15:00 Jane",
            "15:00-15:40 travel 40 min SW11 -> SW19",
            "16:00-17:30 Sam",
            "17:30-18:10 travel 40 min SW19 -> studio",
            "19:30-20:30 Ali",
        ]
    );
}

#[test]
fn the_last_home_visit_of_a_day_shows_the_way_back() {
    let diary = Diary::new([DiaryEntry::booking(
        "AM-1",
        "Jane",
        session("2026-12-03T20:00", 90, home("E1 6AN")),
    )]);
    assert_eq!(
        lines(&plan(&diary, &rules(), date("2026-12-03"), 1)[0]),
        [
            "19:15-20:00 travel 45 min studio -> E1",
            "20:00-21:30 Jane",
            "21:30-22:15 travel 45 min E1 -> studio",
        ]
    );
}

#[test]
fn a_holiday_shows_on_each_of_its_days_and_a_week_starts_on_monday() {
    let diary = Diary::new([
        DiaryEntry::blocked(
            7,
            Span::between(at("2026-12-24T18:00"), at("2026-12-27T00:00")),
            "Christmas",
        ),
        DiaryEntry::calendar(
            Span::between(at("2026-12-22T12:00"), at("2026-12-22T13:00")),
            "Dentist",
        ),
    ]);
    let first = week_of(date("2026-12-24"));
    assert_eq!(first, date("2026-12-21"));
    let week = plan(&diary, &rules(), first, 7);
    let shown: Vec<(String, Vec<String>)> = week
        .iter()
        .map(|d| (d.date.to_string(), lines(d)))
        .collect();
    assert_eq!(
        shown,
        [
            ("2026-12-21".into(), vec![]),
            (
                "2026-12-22".into(),
                vec!["12:00-13:00 calendar Dentist".into()]
            ),
            ("2026-12-23".into(), vec![]),
            (
                "2026-12-24".into(),
                vec!["from 18:00 blocked Christmas".into()]
            ),
            (
                "2026-12-25".into(),
                vec!["all day blocked Christmas".into()]
            ),
            (
                "2026-12-26".into(),
                vec!["all day blocked Christmas".into()]
            ),
            ("2026-12-27".into(), vec![]),
        ]
    );
    assert!(week[4].items[0].whole_day());
}

#[test]
fn london_times_hold_across_the_clock_changes() {
    // Sunday 25 October 2026: 25 hours. A whole-day block is one item of 25 hours, and a
    // session at 18:00 shows at 18:00 (GMT, 18:00 UTC), as on the day before (BST, 17:00 UTC).
    let diary = Diary::new([
        DiaryEntry::booking(
            "AM-1",
            "Jane",
            session("2026-10-24T18:00", 60, Place::Studio),
        ),
        DiaryEntry::booking(
            "AM-2",
            "Sam",
            session("2026-10-25T18:00", 60, Place::Studio),
        ),
        DiaryEntry::blocked(
            1,
            Span::between(at("2026-10-26T00:00"), at("2026-10-27T00:00")),
            "",
        ),
    ]);
    let days = plan(&diary, &rules(), date("2026-10-24"), 3);
    assert_eq!(lines(&days[0]), ["18:00-19:00 Jane"]);
    assert_eq!(lines(&days[1]), ["18:00-19:00 Sam"]);
    assert_eq!(
        days[1].items[0].span.start - days[0].items[0].span.start,
        25 * 60
    );
    assert_eq!(lines(&days[2]), ["all day blocked "]);
    assert_eq!(
        day_span(date("2026-10-25")).end - day_span(date("2026-10-25")).start,
        25 * 60
    );
    assert_eq!(
        day_span(date("2026-03-29")).end - day_span(date("2026-03-29")).start,
        23 * 60
    );
}

#[test]
fn a_free_day_has_nothing_on_it() {
    let empty = Diary::default();
    let days = plan(&empty, &rules(), date("2026-12-03"), 2);
    assert_eq!(days.len(), 2);
    assert!(days.iter().all(|d| d.items.is_empty()));
    assert_eq!(days[1].date, date("2026-12-04"));
}
