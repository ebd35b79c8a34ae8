use super::fixtures::{at, home, rules, session};
use super::*;
use crate::calendar::Date;

fn jane_at_six() -> DiaryEntry {
    DiaryEntry::booking(
        "AM-JANE",
        "Jane",
        session("2026-12-03T18:00", 90, home("SW11 1AA")),
    )
}

fn messages(diary: &Diary, proposed: &Session) -> Vec<String> {
    diary
        .conflicts(proposed, &rules())
        .iter()
        .map(|c| c.to_string())
        .collect()
}

#[test]
fn two_home_visits_at_the_same_time_clash() {
    // The Thursday: three requests for 18:00, 90 minutes, outcall.
    let diary = Diary::new([jane_at_six()]);
    let second = session("2026-12-03T18:00", 90, home("E1 6AN"));
    assert_eq!(
        messages(&diary, &second),
        ["overlaps with Jane's 18:00 outcall in SW11 (travel 70 min, buffer 15 min)"]
    );
    let conflicts = diary.conflicts(&second, &rules());
    assert!(conflicts[0].overlaps);
    assert_eq!(conflicts[0].entry, &diary.entries()[0]);
}

#[test]
fn travel_and_buffer_hold_the_time_between_sessions() {
    let diary = Diary::new([jane_at_six()]);
    // Same area (SW): the longer journey (SW19, 40) and the buffer (15) after 19:30.
    let after = |start| session(start, 60, home("SW19 2AB"));
    assert_eq!(
        messages(&diary, &after("2026-12-03T20:00")),
        ["is too close to Jane's 18:00 outcall in SW11 (travel 40 min, buffer 15 min)"]
    );
    assert!(
        diary
            .conflicts(&after("2026-12-03T20:25"), &rules())
            .is_empty()
    );
    // Before it, at the studio: the journey to SW11 (25) and the buffer end by 18:00.
    let before = |start| session(start, 60, Place::Studio);
    assert!(
        !diary
            .conflicts(&before("2026-12-03T16:30"), &rules())
            .is_empty()
    );
    assert!(
        diary
            .conflicts(&before("2026-12-03T16:20"), &rules())
            .is_empty()
    );
}

#[test]
fn in_call_sessions_keep_the_buffer_only() {
    let diary = Diary::new([DiaryEntry::booking(
        "AM-1",
        "Sam",
        session("2026-12-03T14:00", 60, Place::Studio),
    )]);
    let next = |start| session(start, 60, Place::Studio);
    assert_eq!(
        messages(&diary, &next("2026-12-03T15:00")),
        ["is too close to Sam's 14:00 in-call session (buffer 15 min)"]
    );
    assert!(
        diary
            .conflicts(&next("2026-12-03T15:15"), &rules())
            .is_empty()
    );
    assert!(
        diary
            .conflicts(&next("2026-12-03T12:45"), &rules())
            .is_empty()
    );
}

#[test]
fn blocked_time_and_her_calendar_need_the_journey_but_no_buffer() {
    let diary = Diary::new([
        DiaryEntry::blocked(
            1,
            Span::between(at("2026-12-03T12:00"), at("2026-12-03T14:00")),
            "lunch with Mum",
        ),
        DiaryEntry::calendar(
            Span::between(at("2026-12-03T19:00"), at("2026-12-03T20:00")),
            "Dentist",
        ),
    ]);
    let visit = |start| session(start, 60, home("E1 6AN"));
    assert_eq!(
        messages(&diary, &visit("2026-12-03T14:30")),
        ["is too close to time you blocked, 12:00\u{2013}14:00 (lunch with Mum) (travel 45 min)"]
    );
    assert!(
        diary
            .conflicts(&visit("2026-12-03T14:45"), &rules())
            .is_empty()
    );
    assert_eq!(
        messages(&diary, &visit("2026-12-03T18:30")),
        [
            "overlaps with \u{201c}Dentist\u{201d} in your calendar, 19:00\u{2013}20:00 (travel 45 min)"
        ]
    );
    // At the studio, right up to her own events.
    assert!(
        diary
            .conflicts(&session("2026-12-03T18:00", 60, Place::Studio), &rules())
            .is_empty()
    );
}

#[test]
fn entries_over_several_days_name_the_days() {
    let diary = Diary::new([DiaryEntry::blocked(
        2,
        Span::between(at("2026-12-24T10:00"), at("2026-12-27T22:00")),
        "",
    )]);
    assert_eq!(
        messages(&diary, &session("2026-12-25T12:00", 60, Place::Studio)),
        ["overlaps with time you blocked, 24 December 2026 10:00 to 27 December 2026 22:00"]
    );
}

#[test]
fn whole_days_and_evenings_to_midnight_are_said_as_people_say_them() {
    let span = |from: &str, to: &str| Span::between(at(from), at(to));
    assert_eq!(
        span("2026-12-04T00:00", "2026-12-05T00:00").in_words(),
        "all day Friday 4 December 2026"
    );
    assert_eq!(
        span("2026-10-24T00:00", "2026-10-27T00:00").in_words(),
        "all day, Saturday 24 October 2026 to Monday 26 October 2026"
    );
    assert_eq!(
        span("2026-12-04T21:00", "2026-12-05T00:00").in_words(),
        "21:00\u{2013}midnight"
    );
    assert_eq!(
        span("2026-12-04T21:00", "2026-12-04T22:30").in_words(),
        "21:00\u{2013}22:30"
    );
}

#[test]
fn spans_from_any_zone_meet_london_times_across_the_clock_change() {
    // 29 March 2026, clocks go forward: 10:00-11:00 UTC is 11:00-12:00 in London.
    let utc_ten = Date::new(2026, 3, 29).unwrap().days_since_epoch() * 1440 + 600;
    let diary = Diary::new([DiaryEntry::calendar(
        Span {
            start: utc_ten,
            end: utc_ten + 60,
        },
        "Gym",
    )]);
    let studio = |start| session(start, 30, Place::Studio);
    assert!(
        !diary
            .conflicts(&studio("2026-03-29T11:30"), &rules())
            .is_empty()
    );
    assert!(
        diary
            .conflicts(&studio("2026-03-29T12:00"), &rules())
            .is_empty()
    );
    // The day before, still GMT, the same hours are 10:00-11:00 London.
    let day_before = Diary::new([DiaryEntry::calendar(
        Span {
            start: utc_ten - 1440,
            end: utc_ten - 1440 + 60,
        },
        "Gym",
    )]);
    assert!(
        day_before
            .conflicts(&studio("2026-03-28T11:00"), &rules())
            .is_empty()
    );
}

#[test]
fn places_come_from_a_request_location_and_postcode() {
    use crate::booking::Location;
    assert_eq!(Place::of(Location::InCall, ""), Some(Place::Studio));
    assert_eq!(
        Place::of(Location::Outcall, "sw11 1aa"),
        Some(home("SW11 1AA"))
    );
    assert_eq!(Place::of(Location::Outcall, "nowhere"), None);
    assert_eq!(home("SW1A 1AA").district(), Some("SW1A"));
    assert_eq!(home("SW1A 1AA").location(), Location::Outcall);
}

#[test]
fn empty_entries_hold_no_time_and_the_rest_are_sorted() {
    let empty = DiaryEntry::blocked(
        3,
        Span::between(at("2026-12-03T12:00"), at("2026-12-03T12:00")),
        "",
    );
    let diary = Diary::new([jane_at_six(), empty]);
    assert_eq!(diary.entries().len(), 1);
}
