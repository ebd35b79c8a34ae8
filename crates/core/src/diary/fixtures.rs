//! The booking tests' practice (open 11:00-22:00; travel SW 40, SW1 20, SW11 25, E 45,
//! CR 60; buffers 15) and short ways to write diary entries.

use super::{Place, Session};
use crate::booking::london_time::LondonDateTime;
use crate::services::{Practice, Scheduling};

pub(crate) fn practice() -> Practice {
    crate::booking::fixtures::catalog().practice
}

pub(crate) fn rules() -> Scheduling {
    practice().scheduling
}

pub(crate) fn home(postcode: &str) -> Place {
    Place::Home {
        postcode: postcode.to_owned(),
    }
}

/// `2026-12-03T18:00`, London.
pub(crate) fn at(text: &str) -> LondonDateTime {
    LondonDateTime::parse(text).expect("a London time")
}

pub(crate) fn session(start: &str, minutes: u16, place: Place) -> Session {
    Session {
        start: at(start),
        minutes,
        place,
    }
}

/// Seconds since the epoch of a London time: "now" in the tests.
pub(crate) fn now(text: &str) -> i64 {
    at(text).to_utc_minutes() * 60
}
