//! The start times still free for a treatment: on the practice's grid from opening time,
//! far enough ahead and not too far, with the session and its journeys inside opening hours,
//! and clear of everything in the diary once journeys and buffers are counted.

use super::conflict::clash;
use super::{Diary, Place, Session, Span};
use crate::booking::london_time::LondonDateTime;
use crate::calendar::Date;
use crate::clock::ClockTime;
use crate::services::Practice;
use serde::{Deserialize, Serialize};

/// The free start times on one London date (`/api/availability` answers a list of these).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(into = "WireDay", try_from = "WireDay")]
pub struct FreeDay {
    /// The London date.
    pub date: Date,
    /// The free starts, London time, earliest first; empty when the day is full.
    pub starts: Vec<ClockTime>,
}

/// `{"date": "2026-12-01", "starts": ["11:00", "11:30"]}`.
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct WireDay {
    date: String,
    starts: Vec<ClockTime>,
}

impl From<FreeDay> for WireDay {
    fn from(day: FreeDay) -> Self {
        Self {
            date: day.date.to_string(),
            starts: day.starts,
        }
    }
}

impl TryFrom<WireDay> for FreeDay {
    type Error = String;

    fn try_from(wire: WireDay) -> Result<Self, String> {
        let date = Date::parse_iso(&wire.date)
            .ok_or_else(|| format!("`{}` is not a date like 2026-12-01", wire.date))?;
        Ok(Self {
            date,
            starts: wire.starts,
        })
    }
}

/// The postcode is not one the practice travels to: no journey time, so no free time.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct NotServed;

/// Whether `session` and its journeys fit inside opening hours on its day: she leaves the
/// studio after opening and is back by closing (buffers are between sessions only).
pub fn fits_opening_hours(session: &Session, practice: &Practice) -> bool {
    let journey = i64::from(practice.scheduling.journey(&session.place));
    let at = |time| {
        LondonDateTime {
            date: session.start.date,
            time,
        }
        .to_utc_minutes()
    };
    let span = session.span();
    span.start - journey >= at(practice.opens) && span.end + journey <= at(practice.closes)
}

/// Every London date from today (at `now`, seconds since 1970-01-01 UTC) to the end of the
/// booking window, each with the starts free for a `minutes`-long session at `place`. A
/// start is free when it is on the grid (`start_every_minutes` from opening time), at least
/// the minimum notice and at most the booking window from now, fits opening hours with its
/// journeys (`fits_opening_hours`), and clashes with nothing in the diary
/// (`Diary::conflicts`). Err for a home visit where the practice does not travel.
pub fn free_starts(
    diary: &Diary,
    practice: &Practice,
    minutes: u16,
    place: &Place,
    now: i64,
) -> Result<Vec<FreeDay>, NotServed> {
    let rules = &practice.scheduling;
    if let Place::Home { postcode } = place
        && rules.travel_from_studio(postcode).is_none()
    {
        return Err(NotServed);
    }
    let today = LondonDateTime::from_utc_seconds(now).date;
    let last = LondonDateTime::from_utc_seconds(now + rules.booking_window_minutes() * 60).date;
    let (opens, closes) = (
        practice.opens.minutes_since_midnight(),
        practice.closes.minutes_since_midnight(),
    );
    let grid = usize::from(rules.start_every_minutes.max(1));
    let widest = i64::from(rules.widest_gap(place));

    // Starts come in time order, so the entries that could clash with one form a window that
    // only moves forward: each entry joins it once and leaves it once, whatever the diary's
    // size. (London's clock changes at 01:00-02:00, so times of day in opening hours are in
    // time order too.)
    let entries = diary.entries();
    let mut next = 0;
    let mut near = Vec::new();
    let mut days = Vec::new();
    for day in today.days_since_epoch()..=last.days_since_epoch() {
        let date = Date::from_days_since_epoch(day);
        let mut starts = Vec::new();
        for minute in (opens..closes).step_by(grid) {
            let time = ClockTime::from_minutes(minute);
            let session = Session {
                start: LondonDateTime { date, time },
                minutes,
                place: place.clone(),
            };
            let ahead = session.start.minutes_after(now);
            if ahead < rules.minimum_notice_minutes()
                || ahead > rules.booking_window_minutes()
                || !fits_opening_hours(&session, practice)
            {
                continue;
            }
            let span = session.span();
            let reach = Span {
                start: span.start - widest,
                end: span.end + widest,
            };
            while let Some(entry) = entries.get(next).filter(|e| e.span.start < reach.end) {
                near.push(entry);
                next += 1;
            }
            near.retain(|e| e.span.end > reach.start);
            if near
                .iter()
                .all(|e| clash(rules, &session, span, e).is_none())
            {
                starts.push(time);
            }
        }
        days.push(FreeDay { date, starts });
    }
    Ok(days)
}

#[cfg(test)]
mod tests;
