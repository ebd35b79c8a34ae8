//! Her own calendar's busy times, from the ICS feed Google, iCloud or Outlook publish (the
//! "secret address"), parsed and expanded by `calcard`: RRULE, EXDATE, RECURRENCE-ID (a moved
//! or cancelled occurrence) and TZID with the IANA database (and Outlook's Windows zone
//! names). Times without a zone are London times. Free events (TRANSP:TRANSPARENT), cancelled
//! ones, invitations she declined and this site's own bookings hold no time.
//!
//! calcard expands one calendar object at a time (one UID, as CalDAV stores them), while a
//! feed holds every event in one calendar, so each UID is expanded on its own. That keeps
//! one series' moved occurrence from replacing another's at the same time, gives each
//! series its own occurrence limit, and lets a series that cannot be read be held back
//! alone (named, so she can fix it) while the rest of her calendar still holds.

use super::{DiaryEntry, Span};
use crate::booking::london_time::{LondonDateTime, ZONE};
use crate::booking::validate::is_forbidden_character;
use crate::calendar::Date;
use crate::clock::ClockTime;
use calcard::common::PartialDateTime;
use calcard::common::timezone::Tz;
use calcard::icalendar::{
    ICalendar, ICalendarComponent, ICalendarComponentType, ICalendarFrequency,
    ICalendarParameterName, ICalendarParameterValue, ICalendarParticipationStatus,
    ICalendarProperty, ICalendarStatus, ICalendarTransparency, ICalendarValue,
};
use std::collections::{HashMap, HashSet};
use std::fmt;
use std::str::FromStr;

/// The most occurrences one series repeating daily or less often may have from its first to
/// the end of the range (a daily event since 1990 has about 13,000). A series with more is
/// held back rather than cut short, which would leave its later times looking free.
pub const MAX_OCCURRENCES: usize = 100_000;

/// The same for a series repeating more often than daily (hourly, every minute): such a
/// series is rare in a person's calendar and costly to expand, so it is held back sooner.
pub const MAX_FREQUENT_OCCURRENCES: usize = 2_000;

/// The longest event title kept, in characters: enough for a phone's line.
pub const MAX_TITLE: usize = 80;

/// A time her calendar shows her busy.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BusyTime {
    /// When, in UTC minutes (rounded outwards to whole minutes).
    pub span: Span,
    /// The event's title, on one line and at most `MAX_TITLE` characters; may be empty.
    pub summary: String,
}

impl From<BusyTime> for DiaryEntry {
    fn from(busy: BusyTime) -> Self {
        DiaryEntry::calendar(busy.span, &busy.summary)
    }
}

/// Whose calendar it is: what tells her own answers and this site's own bookings apart.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Owner {
    /// Her e-mail addresses (any case): an invitation she declined at one of them holds no
    /// time.
    pub emails: Vec<String>,
    /// What follows `@` in the UIDs the receiver gives its bookings' invites and her diary
    /// feed's events. Those events are bookings the diary already knows (or one since
    /// cancelled): read from her calendar too, a moved booking would clash with its own old
    /// time, and a cancelled one would hold its time until her calendar dropped it.
    pub uid_domain: String,
}

impl Owner {
    fn is_her(&self, address: &str) -> bool {
        let address = address.trim();
        let address = address
            .get(..7)
            .filter(|scheme| scheme.eq_ignore_ascii_case("mailto:"))
            .map_or(address, |_| &address[7..]);
        self.emails
            .iter()
            .any(|email| email.trim().eq_ignore_ascii_case(address))
    }

    fn is_ours(&self, uid: &str) -> bool {
        !self.uid_domain.is_empty()
            && uid
                .rsplit_once('@')
                .is_some_and(|(_, domain)| domain.eq_ignore_ascii_case(&self.uid_domain))
    }
}

/// Her calendar's busy times over some days, and the series held back.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FeedTimes {
    /// The busy times, sorted by start.
    pub busy: Vec<BusyTime>,
    /// The series that could not be read: their times are not in `busy`.
    pub held_back: Vec<HeldBack>,
}

/// A series (one UID) left out of the busy times, and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HeldBack {
    /// Its title, cleaned like a busy time's; may be empty.
    pub summary: String,
    /// Its UID, for the log: to find it in her calendar.
    pub uid: String,
    /// What is wrong with it.
    pub problem: SeriesProblem,
}

/// Why a series is held back.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SeriesProblem {
    /// Its times cannot be worked out (no start, a broken RRULE, ...), as calcard says it.
    Unreadable(String),
    /// It repeats more than its limit up to the end of the range (`MAX_OCCURRENCES`, or
    /// `MAX_FREQUENT_OCCURRENCES` for a series repeating more often than daily).
    TooManyOccurrences(usize),
}

impl fmt::Display for HeldBack {
    /// For the log: `the event "Yoga" (UID yoga@x) repeats more than 2000 times ...`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "the event \"{}\" (UID {}) ", self.summary, self.uid)?;
        match &self.problem {
            SeriesProblem::Unreadable(problem) => write!(f, "cannot be read: {problem}"),
            SeriesProblem::TooManyOccurrences(limit) => {
                write!(
                    f,
                    "repeats more than {limit} times up to the end of the range"
                )
            }
        }
    }
}

/// The text is not an iCalendar (`BEGIN:VCALENDAR` ... `END:VCALENDAR`): a sign-in page, an
/// error page. Never read as "free": the receiver keeps the last good busy times and shows
/// the feed as failing.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct NotACalendar;

impl fmt::Display for NotACalendar {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "the feed is not an iCalendar file")
    }
}

impl std::error::Error for NotACalendar {}

/// The busy times in `ics` that overlap the London dates `from` to `to` (both included),
/// sorted by start, for the calendar of `owner`; a series that cannot be read is held back
/// whole, the others still count.
pub fn busy_times(
    ics: &str,
    from: Date,
    to: Date,
    owner: &Owner,
) -> Result<FeedTimes, NotACalendar> {
    let calendar = ICalendar::parse(ics).map_err(|_| NotACalendar)?;
    let midnight = ClockTime::from_minutes(0);
    let day_after = Date::from_days_since_epoch(to.days_since_epoch() + 1);
    let range = Span::between(
        LondonDateTime {
            date: from,
            time: midnight,
        },
        LondonDateTime {
            date: day_after,
            time: midnight,
        },
    );
    let london = Tz::from_str(ZONE).expect("calcard knows Europe/London");

    let (zones, series) = by_uid(calendar.components);
    let mut times = FeedTimes::default();
    for (uid, events) in series {
        if owner.is_ours(&uid) {
            continue;
        }
        let events = prepared(events, day_after);
        if events.is_empty() {
            continue;
        }
        let limit = occurrence_limit(&events);
        let exdates: usize = events
            .iter()
            .map(|e| e.properties(&ICalendarProperty::Exdate).count())
            .sum();
        let object = ICalendar {
            components: zones_for(&zones, &events).chain(events).collect(),
        };
        let expanded = object.expand_dates(london, limit);
        let held_back = |problem| HeldBack {
            summary: series_title(&object),
            uid: uid.clone(),
            problem,
        };
        if let Some(error) = expanded.errors.first() {
            times.held_back.push(held_back(SeriesProblem::Unreadable(
                error.error.to_string(),
            )));
            continue;
        }
        // The limit counts skipped (EXDATE) occurrences too; reaching it may have cut the
        // series short.
        if expanded.events.len() + exdates >= limit {
            times
                .held_back
                .push(held_back(SeriesProblem::TooManyOccurrences(limit)));
            continue;
        }
        for event in expanded.events {
            let Some(component) = object.component_by_id(event.comp_id) else {
                continue;
            };
            if !holds_time(component, owner) {
                continue;
            }
            // The end by the local calendar (an all-day event ends at the next midnight,
            // even on a day of 23 or 25 hours), by plain duration where that time does not
            // exist.
            let (start, end) = match event.clone().try_into_date_time() {
                Some(e) => (e.start.timestamp(), e.end.timestamp()),
                None => event.timestamps(),
            };
            let span = Span {
                start: start.div_euclid(60),
                end: end.div_euclid(60) + i64::from(end.rem_euclid(60) > 0),
            };
            if span.overlaps(range) {
                times.busy.push(BusyTime {
                    span,
                    summary: title(component),
                });
            }
        }
    }
    times.busy.sort_by_key(|b| b.span);
    Ok(times)
}

/// The feed's time zones by TZID.
type Zones = HashMap<String, ICalendarComponent>;

/// The feed's events grouped by UID, in the feed's order.
type Series = Vec<(String, Vec<ICalendarComponent>)>;

/// The feed's time zones, and its events grouped by UID (an event without one stands alone).
fn by_uid(components: Vec<ICalendarComponent>) -> (Zones, Series) {
    let mut zones = HashMap::new();
    let mut index = HashMap::new();
    let mut series: Series = Vec::new();
    for mut component in components {
        // Children (a time zone's STANDARD and DAYLIGHT, an event's alarms) are referred to
        // by position, which changes here; calcard reads a zone by its TZID alone.
        component.component_ids.clear();
        match component.component_type {
            ICalendarComponentType::VTimezone => {
                if let Some(id) = text(&component, &ICalendarProperty::Tzid) {
                    zones.insert(id.to_owned(), component);
                }
            }
            ICalendarComponentType::VEvent => {
                let uid = component.uid().unwrap_or_default().to_owned();
                if uid.is_empty() {
                    series.push((uid, vec![component]));
                } else {
                    let at = *index.entry(uid.clone()).or_insert_with(|| {
                        series.push((uid, Vec::new()));
                        series.len() - 1
                    });
                    series[at].1.push(component);
                }
            }
            _ => {}
        }
    }
    (zones, series)
}

/// The feed's time zones that `events` name (Outlook's feeds repeat dozens): only those are
/// copied into the series' calendar object.
fn zones_for<'a>(
    zones: &'a Zones,
    events: &[ICalendarComponent],
) -> impl Iterator<Item = ICalendarComponent> + 'a {
    let named: HashSet<&str> = events
        .iter()
        .flat_map(|e| e.entries.iter())
        .filter_map(|entry| entry.tz_id())
        .collect();
    let wanted: Vec<&ICalendarComponent> = named.iter().filter_map(|id| zones.get(*id)).collect();
    wanted.into_iter().cloned()
}

/// How many occurrences the series may have: fewer when it repeats more often than daily.
fn occurrence_limit(events: &[ICalendarComponent]) -> usize {
    let frequent = events
        .iter()
        .flat_map(|e| e.properties(&ICalendarProperty::Rrule))
        .flat_map(|entry| entry.values.iter())
        .any(|value| {
            matches!(value, ICalendarValue::RecurrenceRule(rule) if matches!(
                rule.freq,
                ICalendarFrequency::Hourly | ICalendarFrequency::Minutely | ICalendarFrequency::Secondly
            ))
        });
    if frequent {
        MAX_FREQUENT_OCCURRENCES
    } else {
        MAX_OCCURRENCES
    }
}

/// One series made ready for calcard: nothing when the whole series is cancelled or starts
/// after the range; without SEQUENCE, which calcard requires to match between a series and
/// its moved occurrences while calendars bump it on the moved one alone; and with an
/// open-ended RRULE stopped after the range, so that expansion ends there.
fn prepared(mut events: Vec<ICalendarComponent>, day_after: Date) -> Vec<ICalendarComponent> {
    let is_master = |e: &ICalendarComponent| !e.is_recurrence_override();
    if events
        .iter()
        .any(|e| is_master(e) && e.status() == Some(&ICalendarStatus::Cancelled))
    {
        return Vec::new();
    }
    let stop = PartialDateTime {
        year: u16::try_from(day_after.year).ok(),
        month: Some(day_after.month),
        day: Some(day_after.day),
        hour: Some(23),
        minute: Some(59),
        second: Some(59),
        ..PartialDateTime::default()
    };
    let stop_key = date_key(&stop);
    events.retain(|e| !(is_master(e) && start_key(e).is_some_and(|s| s > stop_key)));
    for event in &mut events {
        event
            .entries
            .retain(|entry| entry.name != ICalendarProperty::Sequence);
        for entry in event.properties_mut(&ICalendarProperty::Rrule) {
            for value in &mut entry.values {
                if let ICalendarValue::RecurrenceRule(rule) = value
                    && rule.count.is_none()
                    && rule.until.as_ref().is_none_or(|u| date_key(u) > stop_key)
                {
                    rule.until = Some(stop.clone());
                }
            }
        }
    }
    events
}

/// Whether an occurrence holds her time: not marked free, not cancelled, not an invitation
/// she declined, not an instant.
fn holds_time(event: &ICalendarComponent, owner: &Owner) -> bool {
    event.transparency() != Some(&ICalendarTransparency::Transparent)
        && event.status() != Some(&ICalendarStatus::Cancelled)
        && !declined_by(event, owner)
        && !is_instant(event)
}

/// A start time with neither end nor duration: RFC 5545 (3.6.1) makes it end as it starts
/// (a reminder), where calcard would run it to midnight.
fn is_instant(event: &ICalendarComponent) -> bool {
    let timed = matches!(
        event
            .property(&ICalendarProperty::Dtstart)
            .and_then(|start| start.values.first()),
        Some(ICalendarValue::PartialDateTime(start)) if start.has_time()
    );
    timed
        && event.property(&ICalendarProperty::Dtend).is_none()
        && event.property(&ICalendarProperty::Duration).is_none()
}

/// Whether `owner` is an attendee who answered no (`ATTENDEE;PARTSTAT=DECLINED`).
fn declined_by(event: &ICalendarComponent, owner: &Owner) -> bool {
    event
        .properties(&ICalendarProperty::Attendee)
        .any(|attendee| {
            let declined = attendee
                .parameters(&ICalendarParameterName::Partstat)
                .any(|p| {
                    matches!(
                        p,
                        ICalendarParameterValue::Partstat(ICalendarParticipationStatus::Declined)
                    )
                });
            declined
                && attendee
                    .values
                    .first()
                    .and_then(ICalendarValue::as_text)
                    .is_some_and(|address| owner.is_her(address))
        })
}

/// The event's DTSTART as a comparable date.
fn start_key(event: &ICalendarComponent) -> Option<(u16, u8, u8)> {
    match event
        .property(&ICalendarProperty::Dtstart)?
        .values
        .first()?
    {
        ICalendarValue::PartialDateTime(start) => Some(date_key(start)),
        _ => None,
    }
}

fn date_key(at: &PartialDateTime) -> (u16, u8, u8) {
    (
        at.year.unwrap_or_default(),
        at.month.unwrap_or_default(),
        at.day.unwrap_or_default(),
    )
}

fn text<'a>(event: &'a ICalendarComponent, property: &ICalendarProperty) -> Option<&'a str> {
    event.property(property)?.values.first()?.as_text()
}

/// The title of a series: its main event's, else any.
fn series_title(object: &ICalendar) -> String {
    let events = || {
        object
            .components
            .iter()
            .filter(|c| c.component_type == ICalendarComponentType::VEvent)
    };
    events()
        .find(|e| !e.is_recurrence_override())
        .or_else(|| events().next())
        .map(title)
        .unwrap_or_default()
}

/// An event's title as it may be shown: on one line, without control or direction-changing
/// characters (which could make the rest of a line read backwards), at most `MAX_TITLE`
/// characters.
fn title(event: &ICalendarComponent) -> String {
    clean_title(text(event, &ICalendarProperty::Summary).unwrap_or_default())
}

/// `text` on one line, without hidden characters, cut to `MAX_TITLE` characters with "…".
pub fn clean_title(text: &str) -> String {
    let hidden = |c: char| {
        is_forbidden_character(c, false)
            || matches!(c, '\u{200e}' | '\u{200f}' | '\u{061c}' | '\u{feff}')
    };
    let visible: String = text
        .chars()
        .map(|c| if c.is_whitespace() { ' ' } else { c })
        .filter(|c| !hidden(*c))
        .collect();
    let line = visible.split_whitespace().collect::<Vec<_>>().join(" ");
    if line.chars().count() <= MAX_TITLE {
        return line;
    }
    let mut cut: String = line.chars().take(MAX_TITLE - 1).collect();
    cut.truncate(cut.trim_end().len());
    cut.push('\u{2026}');
    cut
}

#[cfg(test)]
mod tests;
