//! Her diary as the receiver knows it: the confirmed bookings in the store, as the core's
//! `Diary` (`massage_core::diary`), so a time is checked against them, travel and buffers
//! included, before it is confirmed, and the request page shows a clash before she decides.

use crate::api::Api;
use crate::store::{InboxRequest, Store, StoreError};
use massage_core::booking::london_time::LondonDateTime;
use massage_core::booking::{BookingRequest, FieldError};
use massage_core::diary::{Diary, DiaryEntry, Place, Session};
use std::sync::Arc;

/// The session a request would be at `time` (`YYYY-MM-DDTHH:MM`, London): its length and
/// place. `None` for a time or postcode that cannot be read (the receiver checked both on
/// arrival; an old row may predate a rule).
pub(crate) fn session(request: &BookingRequest, time: &str) -> Option<Session> {
    Some(Session {
        start: LondonDateTime::parse(time)?,
        minutes: request.minutes,
        place: Place::of(request.location, &request.postcode)?,
    })
}

/// The diary of the confirmed bookings from today on, without `excluding` (the request
/// being decided: a moved booking does not clash with itself).
pub(crate) async fn confirmed(
    store: &Arc<Store>,
    now: i64,
    excluding: &str,
) -> Result<Diary, StoreError> {
    let today = LondonDateTime::from_utc_seconds(now).date;
    let from = format!("{today}T00:00");
    let rows = store.call(move |s| s.confirmed_from(&from)).await?;
    Ok(diary_of(&rows, excluding))
}

fn diary_of(rows: &[InboxRequest], excluding: &str) -> Diary {
    Diary::new(
        rows.iter()
            .filter(|r| r.reference != excluding)
            .filter_map(|r| {
                let request: BookingRequest = serde_json::from_str(&r.request_json).ok()?;
                let booked = session(&request, r.confirmed_time.as_deref()?)?;
                Some(DiaryEntry::booking(
                    &r.reference,
                    request.name.trim(),
                    booked,
                ))
            }),
    )
}

/// For each of `times` that `request` could not be confirmed at, its place in `times` and
/// what it clashes with, in words for the inbox ("overlaps with Jane's 18:00 outcall in
/// SW11 (travel 35 min, buffer 15 min)"); the booking `excluding` (the request itself) does
/// not count. One reading of the diary for all of them.
pub(crate) async fn clashes(
    api: &Api,
    now: i64,
    excluding: &str,
    request: &BookingRequest,
    times: &[String],
) -> Result<Vec<(usize, Vec<String>)>, StoreError> {
    let booked = confirmed(&api.store, now, excluding).await?;
    let rules = &api.catalog.practice.scheduling;
    Ok(times
        .iter()
        .enumerate()
        .filter_map(|(i, time)| {
            let clashes: Vec<String> = booked
                .conflicts(&session(request, time)?, rules)
                .iter()
                .map(ToString::to_string)
                .collect();
            (!clashes.is_empty()).then_some((i, clashes))
        })
        .collect())
}

/// A field error for each of the request's preferred times that her diary already holds
/// (said without whose booking it is: that is for the inbox only).
pub(crate) async fn taken_times(
    api: &Api,
    request: &BookingRequest,
    now: i64,
) -> Result<Vec<FieldError>, StoreError> {
    let taken = clashes(api, now, "", request, &request.preferred_times).await?;
    Ok(taken
        .into_iter()
        .map(|(i, _)| {
            FieldError::new(
                format!("preferred_times.{i}"),
                "taken",
                "This time has just been booked: choose another time.",
            )
        })
        .collect())
}
