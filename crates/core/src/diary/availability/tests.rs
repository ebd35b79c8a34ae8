use super::*;
use crate::diary::DiaryEntry;
use crate::diary::fixtures::{at, home, now, practice, session};

fn day(days: &[FreeDay], date: &str) -> Vec<String> {
    let date = Date::parse_iso(date).unwrap();
    days.iter()
        .find(|d| d.date == date)
        .expect("the day is in the window")
        .starts
        .iter()
        .map(ToString::to_string)
        .collect()
}

fn free(diary: &Diary, minutes: u16, place: &Place, now_text: &str) -> Vec<FreeDay> {
    free_starts(diary, &practice(), minutes, place, now(now_text)).unwrap()
}

/// "11:00", "11:30", ... up to and including `last`.
fn grid(first: &str, last: &str) -> Vec<String> {
    let (first, last) = (
        ClockTime::parse(first).unwrap().minutes_since_midnight(),
        ClockTime::parse(last).unwrap().minutes_since_midnight(),
    );
    (first..=last)
        .step_by(30)
        .map(|m| ClockTime::from_minutes(m).to_string())
        .collect()
}

#[test]
fn an_empty_diary_offers_the_grid_inside_opening_hours() {
    let days = free(&Diary::default(), 60, &Place::Studio, "2026-12-01T09:00");
    assert_eq!(day(&days, "2026-12-03"), grid("11:00", "21:00"));
    // A home visit leaves after opening and is back by closing: SW11 is 25 minutes away.
    let days = free(&Diary::default(), 60, &home("SW11 1AA"), "2026-12-01T09:00");
    assert_eq!(day(&days, "2026-12-03"), grid("11:30", "20:30"));
}

#[test]
fn notice_and_window_bound_the_days_offered() {
    let days = free(&Diary::default(), 60, &Place::Studio, "2026-12-01T12:10");
    // An hour's notice: 13:10 at the earliest, so 13:30 on the grid.
    assert_eq!(day(&days, "2026-12-01"), grid("13:30", "21:00"));
    // 90 days: the last day ends at the time of day it is now.
    assert_eq!(days.first().unwrap().date.to_string(), "2026-12-01");
    assert_eq!(days.last().unwrap().date.to_string(), "2027-03-01");
    assert_eq!(day(&days, "2027-03-01"), grid("11:00", "12:00"));
    assert_eq!(days.len(), 91);
}

#[test]
fn bookings_hold_their_buffer_and_journeys() {
    let diary = Diary::new([
        DiaryEntry::booking(
            "AM-1",
            "Sam",
            session("2026-12-03T14:00", 60, Place::Studio),
        ),
        DiaryEntry::booking(
            "AM-2",
            "Jane",
            session("2026-12-03T18:00", 90, home("SW11 1AA")),
        ),
    ]);
    let studio = free(&diary, 60, &Place::Studio, "2026-12-01T09:00");
    // Sam 14:00-15:00 plus 15 minutes either side; Jane 18:00-19:30 plus 25 minutes to or
    // from SW11 and 15 minutes' buffer.
    let mut expected = grid("11:00", "12:30");
    expected.extend(grid("15:30", "16:00"));
    expected.extend(grid("20:30", "21:00"));
    assert_eq!(day(&studio, "2026-12-03"), expected);

    // E1 is 45 minutes from the studio (12:00 to 20:00 on an empty day). Next to Sam it
    // needs 45 + 15 minutes (16:00 at the earliest after him), next to Jane in SW11, across
    // town, 45 + 25 + 15 (by 15:35 before her, 20:55 after): only 12:00 is left.
    let east = free(&diary, 60, &home("E1 6AN"), "2026-12-01T09:00");
    assert_eq!(day(&east, "2026-12-03"), ["12:00"]);
    // The next day is untouched.
    assert_eq!(day(&east, "2026-12-04"), grid("12:00", "20:00"));
}

#[test]
fn her_calendar_in_utc_blocks_london_hours_across_the_clock_change() {
    // 10:00-11:00 UTC on 29 March 2026 (clocks went forward at 01:00) is 11:00-12:00 BST;
    // the same UTC hours on the Saturday before are 10:00-11:00 GMT, before opening.
    let utc_ten = |date: &str| Date::parse_iso(date).unwrap().days_since_epoch() * 1440 + 600;
    let gym = |date| {
        DiaryEntry::calendar(
            Span {
                start: utc_ten(date),
                end: utc_ten(date) + 60,
            },
            "Gym",
        )
    };
    let diary = Diary::new([gym("2026-03-28"), gym("2026-03-29")]);
    let days = free(&diary, 30, &Place::Studio, "2026-03-27T09:00");
    assert_eq!(day(&days, "2026-03-28"), grid("11:00", "21:30"));
    assert_eq!(day(&days, "2026-03-29"), grid("12:00", "21:30"));
    // Each offered start is the London wall-clock time: 12:00 BST is 11:00 UTC.
    assert_eq!(
        at("2026-03-29T12:00").to_utc_minutes(),
        utc_ten("2026-03-29") + 60
    );
    // And in October, back to GMT on the 25th: 10:00 UTC is 11:00 on the 24th, 10:00 on the
    // 25th.
    let diary = Diary::new([gym("2026-10-24"), gym("2026-10-25")]);
    let days = free(&diary, 30, &Place::Studio, "2026-10-23T09:00");
    assert_eq!(day(&days, "2026-10-24"), grid("12:00", "21:30"));
    assert_eq!(day(&days, "2026-10-25"), grid("11:00", "21:30"));
}

#[test]
fn a_start_offered_is_one_the_conflict_check_accepts() {
    let diary = Diary::new([
        DiaryEntry::booking(
            "AM-1",
            "Sam",
            session("2026-12-03T14:00", 60, Place::Studio),
        ),
        DiaryEntry::booking(
            "AM-2",
            "Jane",
            session("2026-12-03T18:00", 90, home("SW11 1AA")),
        ),
    ]);
    let p = practice();
    for place in [
        Place::Studio,
        home("SW19 2AB"),
        home("E1 6AN"),
        home("CR0 1AA"),
    ] {
        let days = free(&diary, 90, &place, "2026-12-01T09:00");
        let date = Date::parse_iso("2026-12-03").unwrap();
        for minute in (11 * 60..22 * 60).step_by(30) {
            let time = ClockTime::from_minutes(minute);
            let s = Session {
                start: LondonDateTime { date, time },
                minutes: 90,
                place: place.clone(),
            };
            let fits = fits_opening_hours(&s, &p) && diary.conflicts(&s, &p.scheduling).is_empty();
            let offered = days
                .iter()
                .any(|d| d.date == date && d.starts.contains(&time));
            assert_eq!(offered, fits, "{place:?} at {time}");
        }
    }
}

#[test]
fn nowhere_she_travels_to_has_no_free_time() {
    assert_eq!(
        free_starts(
            &Diary::default(),
            &practice(),
            60,
            &home("M1 1AE"),
            now("2026-12-01T09:00")
        ),
        Err(NotServed)
    );
}

#[test]
fn free_days_travel_as_iso_dates_and_clock_times() {
    let day = FreeDay {
        date: Date::new(2026, 12, 1).unwrap(),
        starts: vec![ClockTime::parse("11:00").unwrap()],
    };
    let json = serde_json::to_string(&day).unwrap();
    assert_eq!(json, r#"{"date":"2026-12-01","starts":["11:00"]}"#);
    assert_eq!(serde_json::from_str::<FreeDay>(&json).unwrap(), day);
    assert!(serde_json::from_str::<FreeDay>(r#"{"date":"2026-02-30","starts":[]}"#).is_err());
}
