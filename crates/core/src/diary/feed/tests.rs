use super::*;

const FEED: &str = include_str!("../../../tests/feeds/her-calendar.ics");

fn date(text: &str) -> Date {
    Date::parse_iso(text).unwrap()
}

/// Her: the practice's address, and this site's UIDs.
fn her() -> Owner {
    Owner {
        emails: vec!["Amelia@Example.com".into()],
        uid_domain: "amelia-massage.example".into(),
    }
}

/// The busy times of `FEED` between two dates, read for `her()`.
fn feed_times(from: &str, to: &str) -> Vec<BusyTime> {
    let times = busy_times(FEED, date(from), date(to), &her()).unwrap();
    assert_eq!(times.held_back, [], "nothing in the test feed is held back");
    times.busy
}

/// The busy times between two dates, as `2026-03-15T12:00-13:30 Sunday lunch` in London
/// time (the end's date only when it differs), leaving out the daily gym.
fn busy(from: &str, to: &str) -> Vec<String> {
    feed_times(from, to)
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
    let lunch: Vec<Span> = feed_times("2026-03-28", "2026-03-29")
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
    let day_off = feed_times("2026-10-25", "2026-10-25")
        .into_iter()
        .find(|b| b.summary == "Day off")
        .unwrap();
    assert_eq!(day_off.span.end - day_off.span.start, 25 * 60);
}

#[test]
fn an_endless_series_from_years_ago_is_expanded_up_to_the_range_only() {
    let gym: Vec<BusyTime> = feed_times("2026-12-01", "2026-12-03")
        .into_iter()
        .filter(|b| b.summary == "Gym")
        .collect();
    assert_eq!(gym.len(), 3);
    assert_eq!(gym[0].span.london().0.to_string(), "2026-12-01T07:30");
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

/// A calendar of these events (each `BEGIN:VEVENT` ... `END:VEVENT` lines without them),
/// with Europe/London as the only zone given.
fn calendar_of(events: &[&[&str]]) -> String {
    let mut lines = vec!["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Test//EN"];
    for event in events {
        lines.push("BEGIN:VEVENT");
        lines.extend_from_slice(event);
        lines.push("END:VEVENT");
    }
    lines.push("END:VCALENDAR");
    lines.push("");
    lines.join("\r\n")
}

/// `ics`'s busy times between two dates as `start-end title` (London), and the titles and
/// problems of the series held back.
fn read(ics: &str, from: &str, to: &str) -> (Vec<String>, Vec<String>) {
    let times = busy_times(ics, date(from), date(to), &her()).unwrap();
    let busy = times
        .busy
        .iter()
        .map(|b| {
            let (start, end) = b.span.london();
            format!("{start}-{end} {}", b.summary)
        })
        .collect();
    let held = times
        .held_back
        .iter()
        .map(|h| format!("{}: {:?}", h.summary, h.problem))
        .collect();
    (busy, held)
}

#[test]
fn what_is_not_a_calendar_fails_the_feed_instead_of_looking_free() {
    assert_eq!(
        busy_times(
            "not a calendar",
            date("2026-12-01"),
            date("2026-12-03"),
            &her()
        ),
        Err(NotACalendar)
    );
    assert_eq!(
        busy_times(
            "<html>Sign in</html>",
            date("2026-12-01"),
            date("2026-12-03"),
            &her()
        ),
        Err(NotACalendar)
    );
}

#[test]
fn a_series_that_cannot_be_read_is_held_back_by_name_and_the_rest_still_holds() {
    let ics = calendar_of(&[
        &[
            "UID:every-minute@elsewhere",
            "SUMMARY:Spam \u{202e}evil",
            "DTSTART:20200101T000000Z",
            "DURATION:PT1M",
            "RRULE:FREQ=MINUTELY",
        ],
        &[
            "UID:broken@elsewhere",
            "SUMMARY:Broken",
            "DTSTART:20261202T100000Z",
            "DTEND:20261202T110000Z",
            "RRULE:FREQ=WEEKLY;BYSETPOS=0",
        ],
        &[
            "UID:dentist@elsewhere",
            "SUMMARY:Dentist",
            "DTSTART:20261202T140000Z",
            "DTEND:20261202T150000Z",
        ],
    ]);
    let (busy, held) = read(&ics, "2026-12-01", "2026-12-03");
    assert_eq!(busy, ["2026-12-02T14:00-2026-12-02T15:00 Dentist"]);
    assert_eq!(held.len(), 2, "{held:?}");
    assert_eq!(
        held[0],
        format!("Spam evil: TooManyOccurrences({MAX_FREQUENT_OCCURRENCES})")
    );
    assert!(held[1].starts_with("Broken: Unreadable("), "{held:?}");
}

#[test]
fn a_daily_series_may_have_many_more_occurrences_than_an_hourly_one() {
    // Every day since 2000: about 9,800 occurrences, fine; every hour for a year: held back.
    let ics = calendar_of(&[
        &[
            "UID:daily@elsewhere",
            "SUMMARY:Walk",
            "DTSTART;TZID=Europe/London:20000101T080000",
            "DTEND;TZID=Europe/London:20000101T083000",
            "RRULE:FREQ=DAILY",
        ],
        &[
            "UID:hourly@elsewhere",
            "SUMMARY:Water the plants",
            "DTSTART;TZID=Europe/London:20251201T080000",
            "DURATION:PT5M",
            "RRULE:FREQ=HOURLY",
        ],
    ]);
    let (busy, held) = read(&ics, "2026-12-01", "2026-12-01");
    assert_eq!(busy, ["2026-12-01T08:00-2026-12-01T08:30 Walk"]);
    assert_eq!(
        held,
        [format!(
            "Water the plants: TooManyOccurrences({MAX_FREQUENT_OCCURRENCES})"
        )]
    );
}

#[test]
fn an_invitation_she_declined_holds_no_time_one_someone_else_declined_does() {
    let ics = calendar_of(&[
        &[
            "UID:party@elsewhere",
            "SUMMARY:Party",
            "DTSTART:20261202T180000Z",
            "DTEND:20261202T200000Z",
            "ORGANIZER:mailto:friend@example.org",
            "ATTENDEE;PARTSTAT=ACCEPTED:mailto:friend@example.org",
            "ATTENDEE;CN=Amelia;PARTSTAT=DECLINED:mailto:amelia@example.com",
        ],
        &[
            "UID:meeting@elsewhere",
            "SUMMARY:Meeting",
            "DTSTART:20261203T120000Z",
            "DTEND:20261203T130000Z",
            "ATTENDEE;PARTSTAT=DECLINED:mailto:someone@example.org",
            "ATTENDEE;PARTSTAT=ACCEPTED:MAILTO:AMELIA@EXAMPLE.COM",
        ],
    ]);
    let (busy, _) = read(&ics, "2026-12-01", "2026-12-03");
    assert_eq!(busy, ["2026-12-03T12:00-2026-12-03T13:00 Meeting"]);
}

#[test]
fn this_sites_own_bookings_in_her_calendar_are_left_to_the_diary() {
    let ics = calendar_of(&[
        &[
            "UID:AM-7K3Q-9XPD@amelia-massage.example",
            "SUMMARY:Deep tissue massage (Jane)",
            "DTSTART:20261202T150000Z",
            "DTEND:20261202T160000Z",
        ],
        &[
            "UID:AM-7K3Q-9XPD@another.example",
            "SUMMARY:Someone else's booking system",
            "DTSTART:20261202T170000Z",
            "DTEND:20261202T180000Z",
        ],
    ]);
    let (busy, _) = read(&ics, "2026-12-01", "2026-12-03");
    assert_eq!(
        busy,
        ["2026-12-02T17:00-2026-12-02T18:00 Someone else's booking system"]
    );
}

#[test]
fn all_day_events_without_an_end_durations_and_repeating_days_off() {
    let ics = calendar_of(&[
        // A weekly day off, all day (VALUE=DATE), through the autumn change.
        &[
            "UID:day-off@elsewhere",
            "SUMMARY:Day off",
            "DTSTART;VALUE=DATE:20261018",
            "DTEND;VALUE=DATE:20261019",
            "RRULE:FREQ=WEEKLY",
        ],
        // A date without an end: that one day (RFC 5545, 3.6.1).
        &[
            "UID:birthday@elsewhere",
            "SUMMARY:Birthday",
            "DTSTART;VALUE=DATE:20261023",
        ],
        // A time without an end or duration: an instant, which holds no time (calcard
        // alone would run it to midnight).
        &[
            "UID:reminder@elsewhere",
            "SUMMARY:Reminder",
            "DTSTART;TZID=Europe/London:20261023T090000",
        ],
        // A length given as a duration.
        &[
            "UID:massage@elsewhere",
            "SUMMARY:Her own massage",
            "DTSTART;TZID=Europe/London:20261024T170000",
            "DURATION:PT1H30M",
        ],
    ]);
    let (busy, held) = read(&ics, "2026-10-23", "2026-10-25");
    assert_eq!(held, Vec::<String>::new());
    assert_eq!(
        busy,
        [
            "2026-10-23T00:00-2026-10-24T00:00 Birthday",
            "2026-10-24T17:00-2026-10-24T18:30 Her own massage",
            // The 25th has 25 hours: still midnight to midnight.
            "2026-10-25T00:00-2026-10-26T00:00 Day off",
        ]
    );
}

#[test]
fn outlooks_windows_zone_names_are_london_time() {
    // Outlook names its zones the Windows way, with or without a VTIMEZONE for them.
    let with_zone = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:Microsoft Exchange Server 2010",
        "BEGIN:VTIMEZONE",
        "TZID:GMT Standard Time",
        "BEGIN:STANDARD",
        "DTSTART:16010101T020000",
        "TZOFFSETFROM:+0100",
        "TZOFFSETTO:+0000",
        "RRULE:FREQ=YEARLY;INTERVAL=1;BYDAY=-1SU;BYMONTH=10",
        "END:STANDARD",
        "BEGIN:DAYLIGHT",
        "DTSTART:16010101T010000",
        "TZOFFSETFROM:+0000",
        "TZOFFSETTO:+0100",
        "RRULE:FREQ=YEARLY;INTERVAL=1;BYDAY=-1SU;BYMONTH=3",
        "END:DAYLIGHT",
        "END:VTIMEZONE",
        "BEGIN:VEVENT",
        "UID:040000008200E00074C5B7101A82E008@outlook",
        "SUMMARY:Accountant",
        "DTSTART;TZID=GMT Standard Time:20260701T100000",
        "DTEND;TZID=GMT Standard Time:20260701T110000",
        "END:VEVENT",
        "END:VCALENDAR",
        "",
    ]
    .join("\r\n");
    let (busy, held) = read(&with_zone, "2026-07-01", "2026-07-01");
    assert_eq!(held, Vec::<String>::new());
    assert_eq!(busy, ["2026-07-01T10:00-2026-07-01T11:00 Accountant"]);
    let without_zone = calendar_of(&[&[
        "UID:outlook-2@elsewhere",
        "SUMMARY:Accountant",
        "DTSTART;TZID=GMT Standard Time:20260701T100000",
        "DTEND;TZID=GMT Standard Time:20260701T110000",
    ]]);
    let (busy, _) = read(&without_zone, "2026-07-01", "2026-07-01");
    assert_eq!(busy, ["2026-07-01T10:00-2026-07-01T11:00 Accountant"]);
}

#[test]
fn titles_are_shown_on_one_line_without_hidden_characters_and_cut_short() {
    assert_eq!(clean_title("  Dentist\r\n  (Dr\tLee) "), "Dentist (Dr Lee)");
    assert_eq!(clean_title("abc\u{202e}fed\u{2066}x\u{200f}"), "abcfedx");
    let long = "word ".repeat(40);
    let cut = clean_title(&long);
    assert_eq!(cut.chars().count(), MAX_TITLE);
    assert!(cut.ends_with("word\u{2026}"), "{cut}");
    assert_eq!(clean_title(""), "");
}

#[test]
fn availability_keeps_her_weekly_lunch_at_london_noon_on_the_sundays_the_clocks_change() {
    use crate::diary::fixtures::{now, practice};
    use crate::diary::{Diary, Place, free_starts};
    for (sunday, today) in [
        ("2026-03-29", "2026-03-27T09:00"),
        ("2026-10-25", "2026-10-23T09:00"),
    ] {
        let diary = Diary::new(
            feed_times(today.split('T').next().unwrap(), sunday)
                .into_iter()
                .filter(|b| b.summary == "Sunday lunch")
                .map(DiaryEntry::from),
        );
        let days = free_starts(&diary, &practice(), 60, &Place::Studio, now(today)).unwrap();
        let starts: Vec<String> = days
            .iter()
            .find(|d| d.date == date(sunday))
            .unwrap()
            .starts
            .iter()
            .map(ToString::to_string)
            .collect();
        // Lunch is 12:00-13:30 London time, BST or GMT: an hour before it, and from its end.
        assert!(starts.contains(&"11:00".into()), "{sunday}: {starts:?}");
        for taken in ["11:30", "12:00", "13:00"] {
            assert!(
                !starts.contains(&taken.into()),
                "{sunday} {taken}: {starts:?}"
            );
        }
        assert!(starts.contains(&"13:30".into()), "{sunday}: {starts:?}");
    }
}
