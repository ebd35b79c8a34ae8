use super::*;

const FEED: &str = include_str!("../../../tests/feeds/her-calendar.ics");

fn date(text: &str) -> Date {
    Date::parse_iso(text).unwrap()
}

/// The busy times between two dates, as `2026-03-15T12:00-13:30 Sunday lunch` in London
/// time (the end's date only when it differs), leaving out the daily gym.
fn busy(from: &str, to: &str) -> Vec<String> {
    busy_times(FEED, date(from), date(to))
        .unwrap()
        .into_iter()
        .filter(|b| b.summary != "Gym")
        .map(|b| {
            let (start, end) = b.span.london();
            let end = if end.date == start.date {
                end.time.to_string()
            } else {
                end.to_string()
            };
            format!("{start}-{end} {}", b.summary)
        })
        .collect()
}

#[test]
fn a_weekly_event_keeps_its_london_time_across_the_spring_change_with_its_exceptions() {
    assert_eq!(
        busy("2026-03-15", "2026-04-19")
            .into_iter()
            .filter(|b| b.contains("Sunday lunch"))
            .collect::<Vec<_>>(),
        [
            "2026-03-15T12:00-13:30 Sunday lunch",
            // 22 March: EXDATE. 29 March: clocks go forward, still 12:00 in London.
            "2026-03-29T12:00-13:30 Sunday lunch",
            // 5 April moved to Monday 6 April (RECURRENCE-ID, with a newer SEQUENCE).
            "2026-04-06T15:00-16:30 Sunday lunch (moved)",
            // 12 April: that occurrence alone cancelled.
            "2026-04-19T12:00-13:30 Sunday lunch",
        ]
    );
}

#[test]
fn the_spring_change_moves_the_utc_hours_under_london_times() {
    let lunch: Vec<Span> = busy_times(FEED, date("2026-03-28"), date("2026-03-29"))
        .unwrap()
        .into_iter()
        .filter(|b| b.summary == "Sunday lunch")
        .map(|b| b.span)
        .collect();
    // 12:00 BST is 11:00 UTC.
    let utc_eleven = date("2026-03-29").days_since_epoch() * 1440 + 11 * 60;
    assert_eq!(
        lunch,
        [Span {
            start: utc_eleven,
            end: utc_eleven + 90
        }]
    );
}

#[test]
fn other_zones_land_on_the_right_london_hour_while_the_clocks_disagree() {
    assert_eq!(
        busy("2026-03-02", "2026-04-06")
            .into_iter()
            .filter(|b| b.contains("New York"))
            .collect::<Vec<_>>(),
        [
            "2026-03-02T15:00-16:00 Call with New York",
            // America moves its clocks on 8 March, Britain on 29 March: three weeks at 14:00.
            "2026-03-09T14:00-15:00 Call with New York",
            "2026-03-16T14:00-15:00 Call with New York",
            "2026-03-23T14:00-15:00 Call with New York",
            "2026-03-30T15:00-16:00 Call with New York",
            "2026-04-06T15:00-16:00 Call with New York",
        ]
    );
}

#[test]
fn a_moved_occurrence_replaces_only_its_own_series() {
    // Team and Yoga both repeat on Mondays at 10:00; Yoga's 16 March moved to 16:00.
    let monday: Vec<String> = busy("2026-03-16", "2026-03-16")
        .into_iter()
        .filter(|b| !b.contains("New York"))
        .collect();
    assert_eq!(
        monday,
        [
            "2026-03-16T10:00-10:30 Team",
            "2026-03-16T16:00-16:30 Yoga (later)",
        ]
    );
}

#[test]
fn autumn_floating_utc_and_all_day_events_free_and_cancelled_ones() {
    assert_eq!(
        busy("2026-10-23", "2026-10-27"),
        [
            "2026-10-23T18:00-19:00 Evening class",
            // 09:00 UTC is 10:00 BST.
            "2026-10-24T10:00-12:30 Flight",
            "2026-10-24T18:00-19:00 Evening class",
            // Clocks go back on the 25th: the whole London day, 25 hours.
            "2026-10-25T00:00-2026-10-26T00:00 Day off",
            // The weekly lunch, back on GMT, still at 12:00.
            "2026-10-25T12:00-13:30 Sunday lunch",
            "2026-10-25T18:00-19:00 Evening class",
            "2026-10-26T18:00-19:00 Evening class",
            "2026-10-27T18:00-19:00 Evening class",
            // The rent reminder is marked free, "Called off" cancelled: neither holds time.
        ]
    );
    let day_off = busy_times(FEED, date("2026-10-25"), date("2026-10-25"))
        .unwrap()
        .into_iter()
        .find(|b| b.summary == "Day off")
        .unwrap();
    assert_eq!(day_off.span.end - day_off.span.start, 25 * 60);
}

#[test]
fn an_endless_series_from_years_ago_is_expanded_up_to_the_range_only() {
    let gym: Vec<BusyTime> = busy_times(FEED, date("2026-12-01"), date("2026-12-03"))
        .unwrap()
        .into_iter()
        .filter(|b| b.summary == "Gym")
        .collect();
    assert_eq!(gym.len(), 3);
    assert_eq!(gym[0].span.london().0.to_string(), "2026-12-01T07:30");
}

#[test]
fn what_cannot_be_read_fails_the_feed_instead_of_looking_free() {
    assert_eq!(
        busy_times("not a calendar", date("2026-12-01"), date("2026-12-03")),
        Err(FeedError::NotACalendar)
    );
    let endless = "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:every-minute\r\n\
        DTSTART:20200101T000000Z\r\nDURATION:PT1M\r\nRRULE:FREQ=MINUTELY\r\n\
        END:VEVENT\r\nEND:VCALENDAR\r\n";
    assert_eq!(
        busy_times(endless, date("2026-12-01"), date("2026-12-03")),
        Err(FeedError::TooManyOccurrences {
            uid: "every-minute".into()
        })
    );
}

#[test]
fn busy_times_become_calendar_entries_in_the_diary() {
    let entry = DiaryEntry::from(BusyTime {
        span: Span { start: 0, end: 60 },
        summary: "Dentist".into(),
    });
    assert_eq!(
        entry,
        DiaryEntry::calendar(Span { start: 0, end: 60 }, "Dentist")
    );
}
