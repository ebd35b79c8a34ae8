//! Her bookings as a calendar feed for her phone: `GET /diary/<secret>.ics`, the confirmed
//! bookings from a month ago on, to subscribe to in Google, Apple or Outlook calendar.
//! `booking-api diary-feed` makes the secret address (only its hash is stored) and
//! `--revoke` ends it. Each event has the treatment, the client's name and contact and the
//! place; never health details or the client's notes, since a calendar app syncs them to
//! other servers.

use crate::api::{Api, now_seconds};
use crate::client_mail::treatment;
use crate::ics::{uid, uid_domain, utc_instant};
use axum::Router;
use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use icalendar::{Calendar, Component, Event, EventLike, EventStatus};
use massage_core::booking::london_time::LondonDateTime;
use massage_core::booking::{BookingRequest, Location};
use std::sync::Arc;

/// Where the feed is served: `/diary/<secret>.ics`.
pub(crate) const PREFIX: &str = "/diary/";

/// How far back the feed goes: enough to look up a recent client.
const DAYS_BACK: i64 = 31;

pub(crate) fn router(api: Arc<Api>) -> Router {
    Router::new()
        .route("/diary/{file}", get(feed))
        .with_state(api)
}

async fn feed(State(api): State<Arc<Api>>, Path(file): Path<String>) -> Response {
    // Any wrong, old or revoked address is simply not found: nothing says a feed exists.
    let not_found = || StatusCode::NOT_FOUND.into_response();
    let Some(secret) = file.strip_suffix(".ics") else {
        return not_found();
    };
    let stored = match api.store.call(|s| s.diary_feed()).await {
        Ok(stored) => stored,
        Err(e) => return crate::api::server_error(format!("reading the diary feed: {e}")),
    };
    if stored.as_deref() != Some(crate::secret::hash(secret).as_str()) {
        return not_found();
    }
    let since = LondonDateTime::from_utc_seconds(now_seconds() - DAYS_BACK * 86_400).date;
    let from = format!("{since}T00:00");
    let rows = match api.store.call(move |s| s.confirmed_from(&from)).await {
        Ok(rows) => rows,
        Err(e) => return crate::api::server_error(format!("reading the diary: {e}")),
    };
    let domain = uid_domain(api.public_url.as_deref());
    let mut calendar = Calendar::new();
    calendar.name(&format!("{}: bookings", api.catalog.practice.name));
    for row in rows {
        let Ok(request) = serde_json::from_str::<BookingRequest>(&row.request_json) else {
            continue;
        };
        let Some(start) = row
            .confirmed_time
            .as_deref()
            .and_then(LondonDateTime::parse)
        else {
            continue;
        };
        calendar.push(event(&api, &row.reference, domain, &request, start));
    }
    (
        [
            (header::CONTENT_TYPE, "text/calendar; charset=utf-8"),
            // Her clients' names and numbers: no shared cache keeps them.
            (header::CACHE_CONTROL, "private, no-store"),
        ],
        calendar.done().to_string(),
    )
        .into_response()
}

fn event(
    api: &Api,
    reference: &str,
    domain: &str,
    request: &BookingRequest,
    start: LondonDateTime,
) -> Event {
    let start = utc_instant(start);
    let end = start + chrono::Duration::minutes(i64::from(request.minutes));
    let (name, phone, email) = (
        request.name.trim(),
        request.phone.trim(),
        request.email.trim(),
    );
    let place = match request.location {
        Location::InCall => "In-call (the treatment room)".to_owned(),
        Location::Outcall => format!("{}, {}", request.address.trim(), request.postcode.trim()),
    };
    let contact: Vec<&str> = [phone, email]
        .into_iter()
        .filter(|c| !c.is_empty())
        .collect();
    Event::new()
        .uid(&uid(reference, domain))
        .summary(&format!("{name}: {}", treatment(&api.catalog, request)))
        .location(&place)
        .description(&format!("Booking {reference}. {}", contact.join(", ")))
        .starts(start)
        .ends(end)
        .status(EventStatus::Confirmed)
        .done()
}
