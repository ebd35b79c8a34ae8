//! The visitor's self-check answers, kept for this tab only: they survive a reload and the
//! back button, and are forgotten when the tab is closed. Health answers never go to
//! long-lived storage, a cookie, an address or the network (unless the visitor later chooses
//! to attach a summary to a booking request). Both the self-check and the booking page read
//! them here: the booking page must know what the check advised in this tab.
//!
//! Saving the answers also saves what they come to once the check is finished (its advice
//! and the summary a request may carry), so the booking page reads that and needs neither
//! the rules nor their engine: its own app stays small (`massage_core::pages::PageApp`).

use crate::content::self_check_rules;
use crate::storage::{self, Lifetime};
use massage_core::self_check::engine::Next;
use massage_core::self_check::{Advice, Answers};
use serde::{Deserialize, Serialize};

const KEY: &str = "self-check-answers";
const FINISHED_KEY: &str = "self-check-finished";

/// A finished check, as the booking page needs it.
#[derive(Serialize, Deserialize)]
struct Finished {
    /// What the outcome reached advises.
    advice: Advice,
    /// The check as text the visitor may attach to a booking request.
    summary: String,
}

pub fn load() -> Answers {
    storage::load(Lifetime::Tab, KEY).unwrap_or_default()
}

/// Keeps the answers, and what they come to if the check is finished (else forgets any
/// earlier result: changed answers are a new check).
pub fn save(answers: &Answers) {
    storage::save(Lifetime::Tab, KEY, answers);
    let rules = self_check_rules();
    let finished = match (rules.next(answers), rules.booking_summary(answers)) {
        (Next::Result(outcome), Some(summary)) => Some(Finished {
            advice: rules.advice(outcome, answers),
            summary,
        }),
        _ => None,
    };
    match finished {
        Some(finished) => storage::save(Lifetime::Tab, FINISHED_KEY, &finished),
        None => storage::remove(Lifetime::Tab, FINISHED_KEY),
    }
}

pub fn clear() {
    storage::remove(Lifetime::Tab, KEY);
    storage::remove(Lifetime::Tab, FINISHED_KEY);
}

fn finished() -> Option<Finished> {
    storage::load(Lifetime::Tab, FINISHED_KEY)
}

/// What the check advised in this tab, if it was finished.
pub fn advice() -> Option<Advice> {
    finished().map(|f| f.advice)
}

/// The finished check as text the visitor may attach to a booking request.
pub fn booking_summary() -> Option<String> {
    finished().map(|f| f.summary)
}
