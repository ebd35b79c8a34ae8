//! The visitor's self-check answers, kept for this tab only: they survive a reload and the
//! back button, and are forgotten when the tab is closed. Health answers never go to
//! long-lived storage, a cookie, an address or the network (unless the visitor later chooses
//! to attach a summary to a booking request). Both the self-check and the booking page read
//! them here: the booking page must know what the check advised in this tab.

use crate::content::self_check_rules;
use crate::storage::{self, Lifetime};
use massage_core::self_check::engine::Next;
use massage_core::self_check::{Answers, Outcome};

const KEY: &str = "self-check-answers";

pub fn load() -> Answers {
    storage::load(Lifetime::Tab, KEY).unwrap_or_default()
}

pub fn save(answers: &Answers) {
    storage::save(Lifetime::Tab, KEY, answers);
}

pub fn clear() {
    storage::remove(Lifetime::Tab, KEY);
}

/// The outcome the check reached in this tab, if it was finished.
pub fn outcome() -> Option<&'static Outcome> {
    match self_check_rules().next(&load()) {
        Next::Result(outcome) => Some(outcome),
        Next::Ask { .. } | Next::Unmatched => None,
    }
}

/// The finished check as text the visitor may attach to a booking request.
pub fn booking_summary() -> Option<String> {
    self_check_rules().booking_summary(&load())
}
