//! Her calendar's busy times kept ready over a range of London dates, and what a question
//! about some dates gets from them: the busy times, and which of those dates they cover.
//! Nothing here parses: reading the feed happens in the background (`super::CalendarFeed`),
//! so a visitor's question is a lookup.

use massage_core::calendar::Date;
use massage_core::diary::Span;
use massage_core::diary::feed::{BusyTime, HeldBack};
use massage_core::diary::plan::day_span;
use std::sync::Arc;

/// A reading of her calendar over the London dates `from` to `to`.
pub(super) struct Kept {
    pub(super) from: Date,
    pub(super) to: Date,
    pub(super) busy: Arc<Vec<BusyTime>>,
    /// The series left out because they cannot be read.
    pub(super) held_back: Arc<Vec<HeldBack>>,
    /// Which text it was read from (`Text::generation`); 0 for one read back from the
    /// store at start.
    pub(super) generation: u64,
}

impl Kept {
    /// The busy times over `from` to `to`, as far as this reading covers them.
    pub(super) fn over(&self, from: Date, to: Date) -> Busy {
        let (first, last) = (from.max(self.from), to.min(self.to));
        if first > last {
            return Busy::not_known();
        }
        let wanted = Span {
            start: day_span(first).start,
            end: day_span(last).end,
        };
        Busy {
            times: self
                .busy
                .iter()
                .filter(|b| b.span.overlaps(wanted))
                .cloned()
                .collect(),
            known: Known::Between(first, last),
        }
    }
}

/// Her calendar's busy times over some dates, and which of them they cover.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Busy {
    pub(crate) times: Vec<BusyTime>,
    pub(crate) known: Known,
}

impl Busy {
    /// Without a feed: nothing from it, and nothing missing.
    pub(crate) fn no_feed() -> Self {
        Self {
            times: Vec::new(),
            known: Known::All,
        }
    }

    pub(crate) fn not_known() -> Self {
        Self {
            times: Vec::new(),
            known: Known::Nothing,
        }
    }
}

/// Which London dates her calendar's busy times are known for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Known {
    /// Every date (no feed is set, or it covers all that was asked).
    All,
    /// These dates, both included.
    Between(Date, Date),
    /// None: no reading yet, or none that reaches these dates.
    Nothing,
}

impl Known {
    pub(crate) fn covers(self, date: Date) -> bool {
        match self {
            Self::All => true,
            Self::Between(first, last) => first <= date && date <= last,
            Self::Nothing => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_question_gets_the_busy_times_and_only_the_days_the_reading_covers() {
        let date = |d| Date::new(2026, 12, d).unwrap();
        let on = |d, summary: &str| BusyTime {
            span: Span {
                start: day_span(date(d)).start + 12 * 60,
                end: day_span(date(d)).start + 13 * 60,
            },
            summary: summary.into(),
        };
        let kept = Kept {
            from: date(1),
            to: date(10),
            busy: Arc::new(vec![on(2, "Gym"), on(5, "Dentist"), on(9, "Yoga")]),
            held_back: Arc::default(),
            generation: 1,
        };
        let within = kept.over(date(4), date(6));
        assert_eq!(within.times, [on(5, "Dentist")]);
        assert_eq!(within.known, Known::Between(date(4), date(6)));
        // Past the reading's end: what it covers, and the rest not known.
        let past = kept.over(date(9), date(20));
        assert_eq!(past.times, [on(9, "Yoga")]);
        assert!(past.known.covers(date(10)) && !past.known.covers(date(11)));
        assert_eq!(kept.over(date(11), date(20)), Busy::not_known());
        assert!(Busy::no_feed().known.covers(date(31)));
    }
}
