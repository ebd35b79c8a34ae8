//! Her diary as the receiver knows it: the confirmed bookings in the store, the time she
//! blocked in the inbox, and her own calendar's busy times (`crate::calendar_feed`), as the
//! core's `Diary` (`massage_core::diary`), so a time is checked against them, travel and
//! buffers included, before it is confirmed or offered, the request page shows a clash
//! before she decides, and the inbox's diary view lays them out. Days her calendar is not
//! known for are said so: never offered as free, flagged in the inbox.

use crate::api::Api;
use crate::calendar_feed::{Busy, Known};
use crate::store::{InboxRequest, StoreError};
use massage_core::booking::london_time::LondonDateTime;
use massage_core::booking::{BookingRequest, FieldError};
use massage_core::calendar::Date;
use massage_core::diary::plan::day_span;
use massage_core::diary::{
    Diary, DiaryEntry, FreeDay, NotServed, Place, Session, Span, free_starts,
};
use massage_core::services::Scheduling;
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

/// How many days after today availability and the clash checks read: the booking window,
/// and the day after its last (a session late on the last day may run past midnight). The
/// one answer for the diary and for her calendar's feed, which keeps those days ready.
pub(crate) fn days_ahead(scheduling: &Scheduling) -> i64 {
    i64::from(scheduling.booking_window_days) + 1
}

/// Her diary over some London days, the confirmed requests in it by reference (for what
/// the diary does not carry: the treatment), and which of the days her calendar is known
/// for.
pub(crate) struct Loaded {
    pub(crate) diary: Diary,
    pub(crate) requests: HashMap<String, BookingRequest>,
    pub(crate) calendar: Known,
}

/// How her calendar's busy times are read for the days asked.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Calendar {
    /// What is kept ready (today to past the booking window): a lookup, for anyone.
    Ready,
    /// From the feed's text too, for days beyond that: her own diary pages only.
    Beyond,
}

/// Her diary from today to the end of the booking window (`days_ahead`), without
/// `excluding` (the request being decided: a moved booking does not clash with itself).
pub(crate) async fn ahead(api: &Api, now: i64, excluding: &str) -> Result<Loaded, StoreError> {
    let today = LondonDateTime::from_utc_seconds(now).date;
    let scheduling = &api.catalog.practice.scheduling;
    let last = Date::from_days_since_epoch(today.days_since_epoch() + days_ahead(scheduling));
    between(api, today, last, excluding, Calendar::Ready).await
}

/// The free starts of each day from today for a `minutes`-long session at `place`, not
/// counting the booking `excluding`; days her calendar is not known for are left out (the
/// booking page then offers every start there, and she checks when she answers).
pub(crate) async fn free_days(
    api: &Api,
    now: i64,
    excluding: &str,
    minutes: u16,
    place: &Place,
) -> Result<Result<Vec<FreeDay>, NotServed>, StoreError> {
    let loaded = ahead(api, now, excluding).await?;
    Ok(
        free_starts(&loaded.diary, &api.catalog.practice, minutes, place, now).map(|days| {
            days.into_iter()
                .filter(|d| loaded.calendar.covers(d.date))
                .collect()
        }),
    )
}

/// Her diary over the London dates `first` to `last`, without the booking `excluding`.
pub(crate) async fn between(
    api: &Api,
    first: Date,
    last: Date,
    excluding: &str,
    calendar: Calendar,
) -> Result<Loaded, StoreError> {
    let span = Span {
        start: day_span(first).start,
        end: day_span(last).end,
    };
    // From the day before: a late booking (and the journey back) runs past midnight.
    let from = format!(
        "{}T00:00",
        Date::from_days_since_epoch(first.days_since_epoch() - 1)
    );
    let (rows, blocked) = api
        .store
        .call(move |s| Ok((s.confirmed_from(&from)?, s.blocked_within(span)?)))
        .await?;
    let busy = match (&api.calendar, calendar) {
        (None, _) => Busy::no_feed(),
        (Some(feed), Calendar::Ready) => feed.busy(first, last),
        (Some(feed), Calendar::Beyond) => feed.busy_beyond(first, last).await,
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
            .chain(busy.times.into_iter().map(DiaryEntry::from))
            .collect::<Vec<_>>(),
    );
    Ok(Loaded {
        diary,
        requests,
        calendar: busy.known,
    })
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
    let booked = ahead(api, now, excluding).await?.diary;
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

/// The places in `times` (London times) on days her calendar is not known for: the inbox
/// says so next to them, since a clash with it could not be checked.
pub(crate) fn calendar_not_known(api: &Api, times: &[String]) -> Vec<usize> {
    let Some(feed) = &api.calendar else {
        return Vec::new();
    };
    times
        .iter()
        .enumerate()
        .filter_map(|(i, time)| {
            let date = LondonDateTime::parse(time)?.date;
            (!feed.busy(date, date).known.covers(date)).then_some(i)
        })
        .collect()
}
