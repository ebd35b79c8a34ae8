//! Her own calendar's busy times, from the ICS feed Google, iCloud or Outlook publish (the
//! "secret address"), parsed and expanded by `calcard`: RRULE, EXDATE, RECURRENCE-ID (a moved
//! or cancelled occurrence) and TZID with the IANA database. Times without a zone are London
//! times. Free events (TRANSP:TRANSPARENT) and cancelled ones hold no time.
//!
//! calcard expands one calendar object at a time (one UID, as CalDAV stores them), while a
//! feed holds every event in one calendar, so each UID is expanded on its own. That keeps
//! one series' moved occurrence from replacing another's at the same time, and gives each
//! series its own occurrence limit.

use super::{DiaryEntry, Span};
use crate::booking::london_time::{LondonDateTime, ZONE};
use crate::calendar::Date;
use crate::clock::ClockTime;
use calcard::common::PartialDateTime;
use calcard::common::timezone::Tz;
use calcard::icalendar::{
    ICalendar, ICalendarComponent, ICalendarComponentType, ICalendarProperty, ICalendarStatus,
    ICalendarTransparency, ICalendarValue,
};
use std::collections::HashMap;
use std::fmt;
use std::str::FromStr;

/// The most occurrences one series may have from its first to the end of the range (a daily
/// event since 1990 has about 13,000). A series with more fails the feed rather than being
/// cut short, which would leave its later times looking free.
pub const MAX_OCCURRENCES: usize = 100_000;

/// A time her calendar shows her busy.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BusyTime {
    /// When, in UTC minutes (rounded outwards to whole minutes).
    pub span: Span,
    /// The event's title; may be empty.
    pub summary: String,
}

impl From<BusyTime> for DiaryEntry {
    fn from(busy: BusyTime) -> Self {
        DiaryEntry::calendar(busy.span, &busy.summary)
    }
}

/// Why a feed gave no busy times. Never read as "free": the receiver keeps the last good
/// busy times and shows the feed as stale.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FeedError {
    /// The text is not an iCalendar (`BEGIN:VCALENDAR` ... `END:VCALENDAR`).
    NotACalendar,
    /// An event whose times cannot be worked out (no start, a broken RRULE, ...).
    Unreadable {
        /// The event's UID, to find it in her calendar.
        uid: String,
        /// What is wrong, as calcard says it.
        problem: String,
    },
    /// A series with more than `MAX_OCCURRENCES` occurrences up to the range's end.
    TooManyOccurrences {
        /// The series' UID.
        uid: String,
    },
}

impl fmt::Display for FeedError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::NotACalendar => write!(f, "the feed is not an iCalendar file"),
            Self::Unreadable { uid, problem } => {
                write!(f, "the event {uid} cannot be read: {problem}")
            }
            Self::TooManyOccurrences { uid } => write!(
                f,
                "the event {uid} repeats more than {MAX_OCCURRENCES} times up to the end of the range"
            ),
        }
    }
}

impl std::error::Error for FeedError {}

/// The busy times in `ics` that overlap the London dates `from` to `to` (both included),
/// sorted by start.
pub fn busy_times(ics: &str, from: Date, to: Date) -> Result<Vec<BusyTime>, FeedError> {
    let calendar = ICalendar::parse(ics).map_err(|_| FeedError::NotACalendar)?;
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
    let mut busy = Vec::new();
    for (uid, events) in series {
        let events = prepared(events, day_after);
        if events.is_empty() {
            continue;
        }
        let exdates: usize = events
            .iter()
            .map(|e| e.properties(&ICalendarProperty::Exdate).count())
            .sum();
        let object = ICalendar {
            components: zones.iter().cloned().chain(events).collect(),
        };
        let expanded = object.expand_dates(london, MAX_OCCURRENCES);
        if let Some(error) = expanded.errors.first() {
            return Err(FeedError::Unreadable {
                uid,
                problem: error.error.to_string(),
            });
        }
        // The limit counts skipped (EXDATE) occurrences too; reaching it may have cut the
        // series short.
        if expanded.events.len() + exdates >= MAX_OCCURRENCES {
            return Err(FeedError::TooManyOccurrences { uid });
        }
        for event in expanded.events {
            let Some(component) = object.component_by_id(event.comp_id) else {
                continue;
            };
            if !holds_time(component) {
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
                busy.push(BusyTime {
                    span,
                    summary: text(component, &ICalendarProperty::Summary)
                        .unwrap_or_default()
                        .to_owned(),
                });
            }
        }
    }
    busy.sort_by_key(|b| b.span);
    Ok(busy)
}

/// The feed's time zones, and its events grouped by UID (an event without one stands alone).
fn by_uid(
    components: Vec<ICalendarComponent>,
) -> (
    Vec<ICalendarComponent>,
    Vec<(String, Vec<ICalendarComponent>)>,
) {
    let mut zones = Vec::new();
    let mut index = HashMap::new();
    let mut series: Vec<(String, Vec<ICalendarComponent>)> = Vec::new();
    for mut component in components {
        // Children (a time zone's STANDARD and DAYLIGHT, an event's alarms) are referred to
        // by position, which changes here; calcard reads a zone by its TZID alone.
        component.component_ids.clear();
        match component.component_type {
            ICalendarComponentType::VTimezone => zones.push(component),
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

/// Whether an occurrence holds her time: not marked free, not cancelled.
fn holds_time(event: &ICalendarComponent) -> bool {
    event.transparency() != Some(&ICalendarTransparency::Transparent)
        && event.status() != Some(&ICalendarStatus::Cancelled)
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

#[cfg(test)]
mod tests;
