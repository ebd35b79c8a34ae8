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
    /// The time it ends on the last day, `22:00`.
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
        let date = match self.date.trim() {
            "" => {
                err("date", "required", "Enter the day to block.");
                None
            }
            text => Date::parse_iso(text).or_else(|| {
                err("date", "invalid", "Enter a date like 2026-12-24.");
                None
            }),
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
        // The whole of the last day: up to the next midnight (23 or 25 hours away on the
        // days the clocks change).
        let end_date = if self.whole_day {
            Date::from_days_since_epoch(last_date.days_since_epoch() + 1)
        } else {
            last_date
        };
        let span = Span::between(
            LondonDateTime { date, time: from },
            LondonDateTime {
                date: end_date,
                time: to,
            },
        );
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
    fn the_rest_of_a_day_already_begun_may_be_blocked() {
        let rest = form("2026-12-01", "09:00", "22:00").check(now("2026-12-01T13:00"));
        assert!(rest.is_ok(), "{rest:?}");
    }
}
