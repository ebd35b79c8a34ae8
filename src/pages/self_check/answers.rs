//! The visitor's answers, kept in sessionStorage only: they survive a reload and the back
//! button, and are forgotten when the tab is closed. Health answers never go to
//! localStorage, a cookie or the network (unless the visitor later chooses to attach a
//! summary to a booking request).

use massage_core::self_check::Answers;

const KEY: &str = "self-check-answers";

fn storage() -> Option<web_sys::Storage> {
    leptos::prelude::window().session_storage().ok().flatten()
}

pub fn load() -> Answers {
    storage()
        .and_then(|s| s.get_item(KEY).ok().flatten())
        .and_then(|json| serde_json::from_str(&json).ok())
        .unwrap_or_default()
}

/// Saves the answers; where storage is unavailable (some private modes), the questionnaire
/// still works, it just will not survive a reload.
pub fn save(answers: &Answers) {
    if let (Some(storage), Ok(json)) = (storage(), serde_json::to_string(answers)) {
        let _ = storage.set_item(KEY, &json);
    }
}

pub fn clear() {
    if let Some(storage) = storage() {
        let _ = storage.remove_item(KEY);
    }
}
