//! The visitor's self-check answers, kept for this tab only: they survive a reload and the
//! back button, and are forgotten when the tab is closed. Health answers never go to
//! long-lived storage, a cookie or the network (unless the visitor later chooses to attach a
//! summary to a booking request).

use crate::storage::{self, Lifetime};
use massage_core::self_check::Answers;

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
