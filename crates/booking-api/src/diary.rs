//! Her diary as the receiver knows it: the confirmed bookings in the store, the time she
//! blocked in the inbox, and her own calendar's busy times (`crate::calendar_feed`), as the
//! core's `Diary` (`massage_core::diary`), so a time is checked against them, travel and
//! buffers included, before it is confirmed or offered, the request page shows a clash
//! before she decides, and the inbox's diary view lays them out.

use crate::api::Api;
use crate::store::{InboxRequest, StoreError};
use massage_core::booking::london_time::LondonDateTime;
use massage_core::booking::{BookingRequest, FieldError};
use massage_core::calendar::Date;
use massage_core::diary::plan::day_span;
use massage_core::diary::{Diary, DiaryEntry, Place, Session, Span};
use std::collections::HashMap;

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

/// Her diary over some London days, and the confirmed requests in it by reference (for
/// what the diary does not carry: the treatment).
pub(crate) struct Loaded {
    pub(crate) diary: Diary,
    pub(crate) requests: HashMap<String, BookingRequest>,
}

/// Her diary from today to the end of the booking window, without `excluding` (the request
/// being decided: a moved booking does not clash with itself).
pub(crate) async fn ahead(api: &Api, now: i64, excluding: &str) -> Result<Diary, StoreError> {
    let today = LondonDateTime::from_utc_seconds(now).date;
    let window = i64::from(api.catalog.practice.scheduling.booking_window_days);
    let last = Date::from_days_since_epoch(today.days_since_epoch() + window + 1);
    Ok(between(api, today, last, now, excluding).await?.diary)
}

/// Her diary over the London dates `first` to `last`, without the booking `excluding`.
pub(crate) async fn between(
    api: &Api,
    first: Date,
    last: Date,
    now: i64,
    excluding: &str,
) -> Result<Loaded, StoreError> {
    let span = Span {
        start: day_span(first).start,
        end: day_span(last).end,
    };
    let from = format!("{first}T00:00");
    let (rows, blocked) = api
        .store
        .call(move |s| Ok((s.confirmed_from(&from)?, s.blocked_within(span)?)))
        .await?;
    let busy = match &api.calendar {
        Some(feed) => feed.busy(first, last, now).await,
        None => Vec::new(),
    };
    let requests: HashMap<String, BookingRequest> = rows
        .iter()
        .filter(|r| r.reference != excluding)
        .filter_map(|r| {
            Some((
                r.reference.clone(),
                serde_json::from_str(&r.request_json).ok()?,
            ))
        })
        .collect();
    let bookings = booked(&rows, &requests).filter(|e| e.span.overlaps(span));
    let blocked = blocked
        .into_iter()
        .map(|b| DiaryEntry::blocked(b.id, b.span, &b.note));
    let diary = Diary::new(
        bookings
            .chain(blocked)
            .chain(busy.into_iter().map(DiaryEntry::from))
            .collect::<Vec<_>>(),
    );
    Ok(Loaded { diary, requests })
}

/// The confirmed bookings among `rows` whose request is in `requests`.
fn booked<'a>(
    rows: &'a [InboxRequest],
    requests: &'a HashMap<String, BookingRequest>,
) -> impl Iterator<Item = DiaryEntry> + 'a {
    rows.iter().filter_map(|r| {
        let request = requests.get(&r.reference)?;
        let booked = session(request, r.confirmed_time.as_deref()?)?;
        Some(DiaryEntry::booking(
            &r.reference,
            request.name.trim(),
            booked,
        ))
    })
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
    let booked = ahead(api, now, excluding).await?;
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
