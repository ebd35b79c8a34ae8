//! The form as typed so far, kept on the device so nothing is lost by going back, a reload
//! or a closed tab; cleared once the request is delivered. Never holds health details.
//! What a draft is and how it becomes a request is massage-core's (`booking::form`).

use crate::storage::{self, Lifetime};
pub use massage_core::booking::form::Draft;

const KEY: &str = "booking-draft";

pub fn load() -> Option<Draft> {
    storage::load(Lifetime::Device, KEY)
}

pub fn save(draft: &Draft) {
    storage::save(Lifetime::Device, KEY, draft);
}

pub fn clear() {
    storage::remove(Lifetime::Device, KEY);
}
