//! Time she blocks in the inbox (an evening out, a whole day, a holiday over several days):
//! the form as she fills it in, checked into a span of London time, with a message next to
//! the field that is wrong. Blocked time holds her diary like a booking (no buffer around it;
//! see `travel::Gap`), so the booking page stops offering it and a confirmation over it is
//! refused.

use super::Span;
use crate::booking::FieldError;
use crate::booking::london_time::LondonDateTime;
use crate::booking::validate::is_forbidden_character;
use crate::calendar::Date;
use crate::clock::ClockTime;

/// The longest note, in characters: a word or two for her ("holiday", "dentist").
pub const MAX_NOTE: usize = 200;

/// The most days one block may cover: a year, so a mistyped year is caught.
pub const MAX_DAYS: i64 = 366;

/// How far from today the diary goes, either way, in days: a year. A block must start
/// within it, so the diary can always show (and remove) it.
pub const REACH_DAYS: i64 = 366;

/// The block form's fields, as typed. Field names (for errors): `date`, `last_date`,
/// `from`, `to`, `note`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct BlockForm {
    /// The first day, `2026-12-24`.
    pub date: String,
    /// The last day for a block over several days; empty for one day.
    pub last_date: String,
    /// Every hour of the days, midnight to midnight; `from` and `to` are then not read.
    pub whole_day: bool,
    /// The time it starts on the first day, `18:00`.
    pub from: String,
    /// The time it ends on the last day, `22:00`; `00:00` is the midnight that ends it.
    pub to: String,
    /// Her note ("holiday"); may be empty.
    pub note: String,
}

/// A block as it is stored: its span and its note, trimmed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Block {
    /// When, in UTC minutes.
    pub span: Span,
    /// The note, trimmed; may be empty.
    pub note: String,
}

impl BlockForm {
    /// The block the form describes, or every problem with it, each on its field. `now` is
    /// seconds since 1970-01-01 UTC: a block that is already over is refused (nothing to
    /// hold), one that has begun is not (the rest of today).
    pub fn check(&self, now: i64) -> Result<Block, Vec<FieldError>> {
        let mut errors = Vec::new();
        let mut err = |field: &str, code: &str, message: &str| {
            errors.push(FieldError::new(field, code, message))
        };
        let today = LondonDateTime::from_utc_seconds(now)
            .date
            .days_since_epoch();
        let date = match self.date.trim() {
            "" => {
                err("date", "required", "Enter the day to block.");
                None
            }
            text => match Date::parse_iso(text) {
                None => {
                    err("date", "invalid", "Enter a date like 2026-12-24.");
                    None
                }
                Some(date) if date.days_since_epoch() - today > REACH_DAYS => {
                    err(
                        "date",
                        "too_far",
                        "Enter a day within a year from today (is the year right?).",
                    );
                    None
                }
                date => date,
            },
        };
        let last_date = match self.last_date.trim() {
            "" => date,
            text => match Date::parse_iso(text) {
                None => {
                    err(
                        "last_date",
                        "invalid",
                        "Enter a date like 2026-12-31, or leave it empty for one day.",
                    );
                    None
                }
                Some(last) if date.is_some_and(|d| last < d) => {
                    err(
                        "last_date",
                        "before_first",
                        "The last day is before the first day.",
                    );
                    None
                }
                Some(last)
                    if date.is_some_and(|d| {
                        last.days_since_epoch() - d.days_since_epoch() >= MAX_DAYS
                    }) =>
                {
                    err("last_date", "too_long", "Block at most a year at once.");
                    None
                }
                last => last,
            },
        };
        let midnight = ClockTime::from_minutes(0);
        let (from, to) = if self.whole_day {
            (Some(midnight), Some(midnight))
        } else {
            let mut time = |field: &str, text: &str, missing: &str| match text.trim() {
                "" => {
                    err(field, "required", missing);
                    None
                }
                text => ClockTime::parse(text).or_else(|| {
                    err(field, "invalid", "Enter a time like 18:00.");
                    None
                }),
            };
            (
                time(
                    "from",
                    &self.from,
                    "Enter the time it starts, or choose the whole day.",
                ),
                time(
                    "to",
                    &self.to,
                    "Enter the time it ends, or choose the whole day.",
                ),
            )
        };
        let note = self.note.trim();
        if note.chars().count() > MAX_NOTE {
            err(
                "note",
                "too_long",
                &format!("Keep the note to {MAX_NOTE} characters."),
            );
        } else if note.chars().any(|c| is_forbidden_character(c, false)) {
            err(
                "note",
                "invalid",
                "The note contains a line break or a hidden character: retype it on one line.",
            );
        }
        let (Some(date), Some(last_date), Some(from), Some(to)) = (date, last_date, from, to)
        else {
            return Err(errors);
        };
        // The whole of the last day, or a "To" of 00:00: up to the midnight that ends the
        // last day (23 or 25 hours after the one before on the days the clocks change).
        let end_date = if to == midnight {
            Date::from_days_since_epoch(last_date.days_since_epoch() + 1)
        } else {
            last_date
        };
        let start = LondonDateTime { date, time: from };
        let end = LondonDateTime {
            date: end_date,
            time: to,
        };
        let mut missing = false;
        for (field, at) in [("from", start), ("to", end)] {
            if let Some(message) = missing_hour(at) {
                err(field, "no_such_time", &message);
                missing = true;
            }
        }
        if missing {
            return Err(errors);
        }
        let span = Span::between(start, end);
        if span.end <= span.start {
            let message = if date == last_date {
                "It ends before it starts. To block past midnight, give the last day too."
            } else {
                "It ends before it starts."
            };
            err("to", "before_start", message);
        } else if span.end <= now.div_euclid(60) {
            err(
                "date",
                "past",
                "This time is already over: choose a time still to come.",
            );
        }
        if errors.is_empty() {
            Ok(Block {
                span,
                note: note.to_owned(),
            })
        } else {
            Err(errors)
        }
    }
}

/// What to say when `at` is in the hour the clocks skip in spring (01:00 to 01:59 on the
/// last Sunday of March does not exist in London).
fn missing_hour(at: LondonDateTime) -> Option<String> {
    let read_back = LondonDateTime::from_utc_seconds(at.to_utc_minutes() * 60);
    (read_back != at).then(|| {
        format!(
            "There is no {} on {}: the clocks go forward from 01:00 to 02:00. Choose 02:00 or later.",
            at.time,
            at.date.long()
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diary::fixtures::{at, now};

    fn form(date: &str, from: &str, to: &str) -> BlockForm {
        BlockForm {
            date: date.into(),
            from: from.into(),
            to: to.into(),
            ..BlockForm::default()
        }
    }

    /// Each error as `field: message`.
    fn problems(form: &BlockForm, at_now: &str) -> Vec<String> {
        form.check(now(at_now))
            .unwrap_err()
            .into_iter()
            .map(|e| format!("{}: {}", e.field, e.message))
            .collect()
    }

    #[test]
    fn an_evening_on_one_day() {
        let block = BlockForm {
            note: "  Theatre ".into(),
            ..form("2026-12-04", "18:00", "22:00")
        }
        .check(now("2026-12-01T09:00"))
        .unwrap();
        assert_eq!(
            block,
            Block {
                span: Span::between(at("2026-12-04T18:00"), at("2026-12-04T22:00")),
                note: "Theatre".into()
            }
        );
    }

    #[test]
    fn whole_days_run_midnight_to_midnight_across_the_clock_change() {
        // A holiday over the October change: the 25th has 25 hours.
        let holiday = BlockForm {
            last_date: "2026-10-26".into(),
            whole_day: true,
            from: "nonsense, not read".into(),
            ..form("2026-10-24", "", "")
        }
        .check(now("2026-10-01T09:00"))
        .unwrap();
        assert_eq!(
            holiday.span,
            Span::between(at("2026-10-24T00:00"), at("2026-10-27T00:00"))
        );
        assert_eq!(holiday.span.end - holiday.span.start, (3 * 24 + 1) * 60);
        let (start, end) = holiday.span.london();
        assert_eq!(
            (start.to_string(), end.to_string()),
            ("2026-10-24T00:00".into(), "2026-10-27T00:00".into())
        );
    }

    #[test]
    fn from_one_evening_to_a_later_afternoon() {
        let weekend = BlockForm {
            last_date: "2026-12-06".into(),
            ..form("2026-12-04", "18:00", "14:00")
        }
        .check(now("2026-12-01T09:00"))
        .unwrap();
        assert_eq!(
            weekend.span,
            Span::between(at("2026-12-04T18:00"), at("2026-12-06T14:00"))
        );
    }

    #[test]
    fn nonsense_is_refused_next_to_its_field() {
        let today = "2026-12-01T09:00";
        assert_eq!(
            problems(&form("", "", ""), today),
            [
                "date: Enter the day to block.",
                "from: Enter the time it starts, or choose the whole day.",
                "to: Enter the time it ends, or choose the whole day.",
            ]
        );
        assert_eq!(
            problems(&form("2026-12-04", "22:00", "18:00"), today),
            ["to: It ends before it starts. To block past midnight, give the last day too."]
        );
        assert_eq!(
            problems(&form("2026-02-30", "18:00", "7pm"), today),
            [
                "date: Enter a date like 2026-12-24.",
                "to: Enter a time like 18:00."
            ]
        );
        let backwards = BlockForm {
            last_date: "2026-12-03".into(),
            ..form("2026-12-04", "18:00", "22:00")
        };
        assert_eq!(
            problems(&backwards, today),
            ["last_date: The last day is before the first day."]
        );
        let years = BlockForm {
            last_date: "2028-12-04".into(),
            ..form("2026-12-04", "18:00", "22:00")
        };
        assert_eq!(
            problems(&years, today),
            ["last_date: Block at most a year at once."]
        );
        assert_eq!(
            problems(&form("2026-11-30", "18:00", "22:00"), today),
            ["date: This time is already over: choose a time still to come."]
        );
        let hidden = BlockForm {
            note: "line\nbreak".into(),
            ..form("2026-12-04", "18:00", "22:00")
        };
        assert_eq!(problems(&hidden, today).len(), 1);
        let long = BlockForm {
            note: "x".repeat(MAX_NOTE + 1),
            ..form("2026-12-04", "18:00", "22:00")
        };
        assert_eq!(
            problems(&long, today),
            ["note: Keep the note to 200 characters."]
        );
    }

    #[test]
    fn a_to_of_midnight_ends_the_last_day() {
        let late = form("2026-12-04", "21:00", "00:00")
            .check(now("2026-12-01T09:00"))
            .unwrap();
        assert_eq!(
            late.span,
            Span::between(at("2026-12-04T21:00"), at("2026-12-05T00:00"))
        );
        let weekend = BlockForm {
            last_date: "2026-12-06".into(),
            ..form("2026-12-04", "18:00", "00:00")
        }
        .check(now("2026-12-01T09:00"))
        .unwrap();
        assert_eq!(
            weekend.span,
            Span::between(at("2026-12-04T18:00"), at("2026-12-07T00:00"))
        );
    }

    #[test]
    fn a_year_typed_wrong_is_refused_next_to_the_day() {
        let today = "2026-12-01T09:00";
        assert_eq!(
            problems(&form("2062-12-04", "18:00", "22:00"), today),
            ["date: Enter a day within a year from today (is the year right?)."]
        );
        // A year ahead is still within the diary's reach.
        assert!(
            form("2027-12-01", "18:00", "22:00")
                .check(now(today))
                .is_ok()
        );
    }

    #[test]
    fn the_hour_the_clocks_skip_is_named_not_called_backwards() {
        // 29 March 2026: 01:00 GMT becomes 02:00 BST.
        assert_eq!(
            problems(&form("2026-03-29", "01:30", "02:30"), "2026-03-01T09:00"),
            [
                "from: There is no 01:30 on Sunday 29 March 2026: the clocks go forward from 01:00 to 02:00. Choose 02:00 or later."
            ]
        );
        let from_two = form("2026-03-29", "02:00", "03:00")
            .check(now("2026-03-01T09:00"))
            .unwrap();
        assert_eq!(from_two.span.end - from_two.span.start, 60);
        // An evening through the night of the change is an hour shorter.
        let night = BlockForm {
            last_date: "2026-03-29".into(),
            ..form("2026-03-28", "22:00", "06:00")
        }
        .check(now("2026-03-01T09:00"))
        .unwrap();
        assert_eq!(night.span.end - night.span.start, 7 * 60);
    }

    #[test]
    fn the_rest_of_a_day_already_begun_may_be_blocked() {
        let rest = form("2026-12-01", "09:00", "22:00").check(now("2026-12-01T13:00"));
        assert!(rest.is_ok(), "{rest:?}");
    }
}
