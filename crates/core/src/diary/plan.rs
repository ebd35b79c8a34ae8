//! Her diary laid out day by day, for the inbox's day and week views: what holds each London
//! day, cut to that day (a holiday over several days shows on each of them), with the
//! journeys to and from home visits between, in London time across the clock changes.

use super::{Diary, DiaryEntry, Place, Span};
use crate::booking::london_time::LondonDateTime;
use crate::calendar::Date;
use crate::clock::ClockTime;
use crate::services::Scheduling;

/// One London day of the diary.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DayPlan<'a> {
    /// The London date.
    pub date: Date,
    /// What holds the day, by start; empty for a free day.
    pub items: Vec<PlanItem<'a>>,
}

/// One thing on a day: an entry of the diary, or a journey.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PlanItem<'a> {
    /// When, cut to the day (UTC minutes).
    pub span: Span,
    /// It began on an earlier day.
    pub starts_before: bool,
    /// It goes on past midnight into the next day.
    pub ends_after: bool,
    /// What it is.
    pub what: Planned<'a>,
}

/// What a plan item is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Planned<'a> {
    /// A booking, time she blocked, or a busy time from her calendar.
    Entry(&'a DiaryEntry),
    /// The journey between two places (a home visit and the studio, or two home visits),
    /// as the diary's own rules count it (`Scheduling::travel_between`).
    Travel {
        /// Where she sets out from.
        from: &'a Place,
        /// Where she goes.
        to: &'a Place,
    },
}

impl PlanItem<'_> {
    /// Midnight to midnight: the whole day.
    pub fn whole_day(&self) -> bool {
        self.starts_before && self.ends_after
    }

    /// Its London start and end times on the day (midnight for an end on the next day).
    pub fn times(&self) -> (ClockTime, ClockTime) {
        let (start, end) = self.span.london();
        (start.time, end.time)
    }

    /// Its length in minutes on the day.
    pub fn minutes(&self) -> i64 {
        self.span.end - self.span.start
    }
}

/// The Monday of `date`'s week: where a week view starts.
pub fn week_of(date: Date) -> Date {
    Date::from_days_since_epoch(date.days_since_epoch() - i64::from(date.weekday()))
}

/// The span of a London day, midnight to midnight (23 or 25 hours when the clocks change).
pub fn day_span(date: Date) -> Span {
    let midnight = |date| LondonDateTime {
        date,
        time: ClockTime::from_minutes(0),
    };
    Span::between(
        midnight(date),
        midnight(Date::from_days_since_epoch(date.days_since_epoch() + 1)),
    )
}

/// `days` London days from `first`, each with what holds it. A day starts and ends at the
/// studio: a home visit shows the journey to it (ending as it starts) and the journey on
/// (from its end) to wherever she is next, the studio when nothing follows that day. Blocked
/// time and her own calendar's events count as at the studio, as the clash check counts them.
pub fn plan<'a>(diary: &'a Diary, rules: &Scheduling, first: Date, days: u16) -> Vec<DayPlan<'a>> {
    (0..i64::from(days))
        .map(|n| {
            let date = Date::from_days_since_epoch(first.days_since_epoch() + n);
            DayPlan {
                date,
                items: day(diary, rules, day_span(date)),
            }
        })
        .collect()
}

fn day<'a>(diary: &'a Diary, rules: &Scheduling, bounds: Span) -> Vec<PlanItem<'a>> {
    let cut = |span: Span, what| {
        let clipped = Span {
            start: span.start.max(bounds.start),
            end: span.end.min(bounds.end),
        };
        (clipped.end > clipped.start).then_some(PlanItem {
            span: clipped,
            starts_before: span.start <= bounds.start,
            ends_after: span.end >= bounds.end,
            what,
        })
    };
    static STUDIO: Place = Place::Studio;
    let journey =
        |from: &'a Place, to: &'a Place, span: Span| cut(span, Planned::Travel { from, to });
    let mut items = Vec::new();
    let (mut here, mut free_from): (&'a Place, Option<i64>) = (&STUDIO, None);
    for entry in diary.overlapping(bounds) {
        let there = entry.place();
        let minutes = i64::from(rules.travel_between(here, there));
        if there != here && minutes > 0 {
            // Leaving a home visit: from its end. Going to one: arriving as it starts.
            let span = match free_from.filter(|_| matches!(here, Place::Home { .. })) {
                Some(left) => Span {
                    start: left,
                    end: left + minutes,
                },
                None => Span {
                    start: entry.span.start - minutes,
                    end: entry.span.start,
                },
            };
            items.extend(journey(here, there, span));
        }
        items.extend(cut(entry.span, Planned::Entry(entry)));
        here = there;
        free_from = Some(free_from.map_or(entry.span.end, |f| f.max(entry.span.end)));
    }
    if let (Place::Home { .. }, Some(left)) = (here, free_from) {
        let minutes = i64::from(rules.journey(here));
        let span = Span {
            start: left,
            end: left + minutes,
        };
        items.extend(journey(here, &STUDIO, span));
    }
    items.sort_by_key(|i| (i.span.start, i.span.end));
    items
}

#[cfg(test)]
mod tests;
