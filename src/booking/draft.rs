//! The form as typed so far, kept in localStorage so nothing is lost by going back, a
//! reload or a closed tab; cleared once the request is delivered. Never holds health details.

use leptos::prelude::window;
use massage_core::booking::Location;
use serde::{Deserialize, Serialize};

const KEY: &str = "booking-draft";

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Draft {
    pub service_id: String,
    pub minutes: u16,
    pub location: Location,
    pub address: String,
    pub postcode: String,
    /// (date `2026-12-01`, time `18:00`) pairs; one row at least.
    pub times: Vec<(String, String)>,
    pub name: String,
    pub email: String,
    pub phone: String,
    pub notes: String,
}

fn storage() -> Option<web_sys::Storage> {
    window().local_storage().ok().flatten()
}

pub fn load() -> Option<Draft> {
    storage()
        .and_then(|s| s.get_item(KEY).ok().flatten())
        .and_then(|json| serde_json::from_str(&json).ok())
}

pub fn save(draft: &Draft) {
    if let (Some(s), Ok(json)) = (storage(), serde_json::to_string(draft)) {
        let _ = s.set_item(KEY, &json);
    }
}

pub fn clear() {
    if let Some(s) = storage() {
        let _ = s.remove_item(KEY);
    }
}
