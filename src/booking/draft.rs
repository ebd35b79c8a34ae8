//! The form as typed so far, kept on the device so nothing is lost by going back, a reload
//! or a closed tab; cleared once the request is delivered. Never holds health details.

use crate::storage::{self, Lifetime};
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

impl Draft {
    /// The form again from a request (without its health details), when one is refused.
    pub fn from_request(r: &massage_core::booking::BookingRequest) -> Self {
        Self {
            service_id: r.service_id.clone(),
            minutes: r.minutes,
            location: r.location,
            address: r.address.clone(),
            postcode: r.postcode.clone(),
            times: r
                .preferred_times
                .iter()
                .map(|t| {
                    let (date, time) = t.split_once('T').unwrap_or((t, ""));
                    (date.to_owned(), time.to_owned())
                })
                .collect(),
            name: r.name.clone(),
            email: r.email.clone(),
            phone: r.phone.clone(),
            notes: r.notes.clone(),
        }
    }
}

pub fn load() -> Option<Draft> {
    storage::load(Lifetime::Device, KEY)
}

pub fn save(draft: &Draft) {
    storage::save(Lifetime::Device, KEY, draft);
}

pub fn clear() {
    storage::remove(Lifetime::Device, KEY);
}
