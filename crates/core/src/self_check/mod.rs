//! The back-pain self-check: questions, outcomes and their conditions are data
//! (`content/self-check.toml`, reviewed like a clinical document); this module holds the
//! types and the engine that walks them. It is not a diagnosis: it screens for signs that
//! need a doctor first, then points to the part of the back-pain article that fits.
//!
//! - `engine`: which question comes next, and which outcome the answers lead to
//! - `rules` (build time): reads and checks the rules file, and runs its test cases

pub mod engine;
#[cfg(feature = "content")]
pub mod rules;

use crate::booking::FieldError;
use crate::calendar::Date;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The whole questionnaire, as read from the rules file.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SelfCheckRules {
    /// Asked in this order (warning signs first), each only when its `show_when` holds.
    #[serde(rename = "question")]
    pub questions: Vec<Question>,
    /// Checked in this order; the first whose `when` holds is the result.
    #[serde(rename = "outcome")]
    pub outcomes: Vec<Outcome>,
    /// Lines added to a result's next steps when their `when` holds (blood thinners: lighter
    /// pressure), on every result that does not send the person to a doctor at once.
    #[serde(default, rename = "caution", skip_serializing_if = "Vec::is_empty")]
    pub cautions: Vec<Caution>,
}

/// Something the visitor told the check that changes how a massage is given, not whether:
/// said on the result, beside what to do now.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Caution {
    /// Names the caution in test cases.
    pub id: String,
    /// What the visitor reads, as one more step.
    pub text: String,
    /// Said when one of these holds.
    pub when: Vec<Condition>,
}

/// One question of the self-check: one step of the questionnaire.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Question {
    /// Names the question in conditions, answers and test cases.
    pub id: String,
    /// The question, shown as the step's heading.
    pub text: String,
    /// A line of help under the question.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub hint: String,
    /// `one`: pick exactly one option (radio buttons). `any`: tick every option that applies
    /// (checkboxes), or the one `exclusive` option ("None of these").
    pub choose: Choose,
    /// The answers offered, in the order shown.
    #[serde(rename = "option")]
    pub options: Vec<AnswerOption>,
    /// Ask only when one of these holds (empty: always ask).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub show_when: Vec<Condition>,
}

/// How many options a question takes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Choose {
    /// Exactly one (radio buttons).
    One,
    /// Any number, or the exclusive option alone (checkboxes).
    Any,
}

/// One answer a question offers.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AnswerOption {
    /// Names the option in conditions, answers and test cases.
    pub id: String,
    /// What the visitor reads.
    pub label: String,
    /// For `choose = "any"`: this option ("None of these") cannot be ticked with others.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub exclusive: bool,
}

/// How urgent an outcome is, from most to least.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    /// Call 999 or go to A&E now. No booking is offered.
    Emergency,
    /// An urgent GP appointment or NHS 111 before any massage. No booking is offered.
    Urgent,
    /// See a GP, physiotherapist or midwife first; then massage may suit, adapted.
    CheckFirst,
    /// Massage suits, once the first 48-72 hours have passed.
    Wait,
    /// Massage is likely to suit.
    Suitable,
}

impl Level {
    /// Whether the result may offer a booking: only when massage is appropriate now or in
    /// a few days.
    pub fn offers_booking(self) -> bool {
        matches!(self, Level::Wait | Level::Suitable)
    }

    /// Whether reaching this level ends the questionnaire at once: nothing asked later can
    /// make a warning sign less serious.
    pub fn ends_early(self) -> bool {
        matches!(self, Level::Emergency | Level::Urgent)
    }

    /// The level in words, so it is never told by colour alone.
    pub fn label(self) -> &'static str {
        match self {
            Level::Emergency => "Emergency",
            Level::Urgent => "Urgent: see a doctor first",
            Level::CheckFirst => "Check first",
            Level::Wait => "Wait a few days",
            Level::Suitable => "Suitable for massage",
        }
    }

    /// A CSS-friendly name (`check-first`).
    pub fn slug(self) -> &'static str {
        match self {
            Level::Emergency => "emergency",
            Level::Urgent => "urgent",
            Level::CheckFirst => "check-first",
            Level::Wait => "wait",
            Level::Suitable => "suitable",
        }
    }
}

/// One possible result of the self-check.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Outcome {
    /// Names the outcome in test cases (`expect`).
    pub id: String,
    /// How urgent the result is; decides whether booking is offered.
    pub level: Level,
    /// The result's heading.
    pub title: String,
    /// Why this is the result, in plain words.
    pub explanation: String,
    /// What to do now, as steps.
    pub next_steps: Vec<String>,
    /// For a `wait` outcome: how many days from today the first bookable day is. The build
    /// checks that the title and the steps give this same number of days.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub wait_days: Option<u32>,
    /// Sections of articles that fit this result.
    #[serde(default, rename = "link", skip_serializing_if = "Vec::is_empty")]
    pub links: Vec<SectionLink>,
    /// The result when one of these holds; empty only for the last, catch-all outcome.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub when: Vec<Condition>,
}

/// A link to `/articles/{article}#{section}`, with a line on why it fits.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SectionLink {
    /// The article's slug.
    pub article: String,
    /// The section's heading id in that article.
    pub section: String,
    /// The link's text.
    pub label: String,
    /// Why the section fits this result, shown under the link.
    pub why: String,
    /// Show this link only when one of these holds (empty: always).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub when: Vec<Condition>,
}

impl Outcome {
    /// What this outcome advises whatever the answers (`SelfCheckRules::advice` adds the
    /// cautions the answers call for).
    pub fn advice(&self) -> Advice {
        Advice {
            level: self.level,
            title: self.title.clone(),
            next_steps: self.next_steps.clone(),
            wait_days: self.wait_days,
        }
    }
}

/// What a finished self-check advised, without the rules that led there: the booking page
/// needs only this. The self-check keeps it in the tab when it ends, so the booking page's
/// app carries neither the rules nor their engine.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Advice {
    /// How urgent the result is; decides whether booking is offered.
    pub level: Level,
    /// The result's heading.
    pub title: String,
    /// What to do now, as steps.
    pub next_steps: Vec<String>,
    /// For a `wait` outcome: how many days from today the first bookable day is.
    pub wait_days: Option<u32>,
}

impl Advice {
    /// The first day a session may be booked for, if this outcome offers a booking at all:
    /// `today` itself, or after the wait. One definition for the result page and the form.
    pub fn earliest_booking_day(&self, today: Date) -> Option<Date> {
        self.level.offers_booking().then(|| {
            Date::from_days_since_epoch(
                today.days_since_epoch() + i64::from(self.wait_days.unwrap_or(0)),
            )
        })
    }

    /// A message for each preferred time (`YYYY-MM-DDTHH:MM`, as a booking request has them)
    /// on a day before this outcome's wait is over, for the booking form to show next to it.
    /// The receiver does not know the outcome, so this is the form's own check.
    pub fn times_before_the_wait(
        &self,
        preferred_times: &[String],
        today: Date,
    ) -> Vec<FieldError> {
        let (Some(days), Some(first)) = (self.wait_days, self.earliest_booking_day(today)) else {
            return Vec::new();
        };
        preferred_times
            .iter()
            .enumerate()
            .filter(|(_, time)| {
                time.get(..10)
                    .and_then(Date::parse_iso)
                    .is_some_and(|day| day < first)
            })
            .map(|(i, _)| {
                FieldError::new(
                    format!("preferred_times.{i}"),
                    "before_the_wait",
                    format!(
                        "Your self-check said to wait until after the first {days} days: choose {} or later.",
                        first.long()
                    ),
                )
            })
            .collect()
    }
}

impl SectionLink {
    /// The link's address: `/articles/{article}#{section}`.
    pub fn href(&self) -> String {
        format!("/articles/{}#{}", self.article, self.section)
    }
}

/// All of its entries must hold: `question id → expected`. A list of conditions holds
/// when any one of them does.
pub type Condition = BTreeMap<String, Expected>;

/// What a condition expects of one question's answer.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Expected {
    /// One option id, or the word `any`: any option except the exclusive one ("None").
    One(String),
    /// Any of these option ids.
    OneOf(Vec<String>),
}

/// The visitor's answers: question id → the option ids chosen (one for `choose = "one"`).
pub type Answers = BTreeMap<String, Vec<String>>;
