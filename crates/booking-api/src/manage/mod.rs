//! The client's own page for a booking, at `/manage/<token>`: the link in their e-mails
//! (a random token; only its SHA-256 is stored). It shows the booking, without health
//! details, and offers two plain forms: cancel, or ask for other times. Inside the
//! cancellation notice (`cancellation_notice_hours`) it shows the policy and her phone
//! number instead. A link to a booking that has changed says so (cancelled on ..., moved
//! to ...), and a change is made only from the state the page showed, once.
//!
//! Link scanners follow GETs, so the page changes nothing; each POST must come from this
//! site (`Origin`). Pages are `no-store`, `noindex`, sent with `Referrer-Policy: same-origin`
//! (the token is in the address: no other site is ever told it; `no-referrer` would make
//! browsers send `Origin: null` with the page's own forms) and a script-free
//! Content-Security-Policy. Every request
//! here counts against a per-client allowance, so tokens cannot be guessed at speed.

mod pages;

use crate::api::{Api, client_address, now_seconds};
use crate::diary;
use crate::private_pages::{page, private};
use crate::rate_limit::RateLimiter;
use crate::store::{Actor, Changed, InboxRequest, Status};
use axum::Router;
use axum::extract::{ConnectInfo, Form, Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use massage_core::booking::BookingRequest;
use massage_core::booking::deadlines::may_change_online;
use massage_core::booking::london_time::LondonDateTime;
use massage_core::booking::validate::{MAX_TIMES, validate};
use massage_core::calendar::utc_timestamp;
use massage_core::diary::Place;
use massage_core::services::Practice;
use pages::{Done, Feedback};
use serde::Deserialize;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

/// Where the pages are: `/manage/<token>`.
pub(crate) const PREFIX: &str = "/manage/";

/// Requests to these pages per client address in 15 minutes: a client needs a handful;
/// someone guessing tokens gets no further.
const PER_CLIENT: u32 = 30;
const PERIOD: Duration = Duration::from_secs(15 * 60);

/// Free starts listed on the page to help choose new times: the next two weeks.
const FREE_DAYS_SHOWN: usize = 14;

pub(crate) struct Manage {
    api: Arc<Api>,
    limiter: RateLimiter,
}

impl Manage {
    pub(crate) fn new(api: Arc<Api>) -> Self {
        Self {
            api,
            limiter: RateLimiter::per_period(PER_CLIENT, PERIOD),
        }
    }
}

pub(crate) fn router(manage: Arc<Manage>) -> Router {
    private(
        Router::new()
            .route("/manage/{token}", get(show))
            .route("/manage/{token}/cancel", post(cancel))
            .route("/manage/{token}/move", post(ask_to_move))
            .with_state(manage),
    )
}

/// Why a page is not the booking's: each its own plain page.
enum Refusal {
    NotFound,
    TooMany,
    /// A POST that did not come from this site: nothing was done.
    Forbidden,
    Failed(String),
}

impl Refusal {
    fn answer(self, manage: &Manage) -> Response {
        let practice = &manage.api.catalog.practice;
        match self {
            Self::NotFound => page(StatusCode::NOT_FOUND, pages::not_found(practice)),
            Self::TooMany => page(StatusCode::TOO_MANY_REQUESTS, pages::too_many(practice)),
            Self::Forbidden => {
                tracing::warn!("manage form refused: not from this site");
                page(StatusCode::FORBIDDEN, pages::forbidden(practice))
            }
            Self::Failed(cause) => crate::logging::with_cause(
                page(StatusCode::INTERNAL_SERVER_ERROR, pages::failed(practice)),
                cause,
            ),
        }
    }
}

impl From<crate::store::StoreError> for Refusal {
    fn from(e: crate::store::StoreError) -> Self {
        Self::Failed(e.to_string())
    }
}

/// The booking a token opens, after counting the request against the client's allowance:
/// the request as stored, the client's request, and the time the link's e-mail was about.
struct Opened {
    stored: InboxRequest,
    request: BookingRequest,
    link_time: Option<String>,
}

async fn open(
    manage: &Manage,
    token: &str,
    peer: SocketAddr,
    headers: &HeaderMap,
) -> Result<Opened, Refusal> {
    let client = client_address(peer.ip(), headers, manage.api.trust_proxy);
    if manage.limiter.check(client).is_err() {
        tracing::warn!(%client, "manage page refused: too many requests");
        return Err(Refusal::TooMany);
    }
    let hash = crate::secret::hash(token);
    let (stored, link_time) = manage
        .api
        .store
        .call(move |s| s.by_manage_link(&hash))
        .await?
        .ok_or(Refusal::NotFound)?;
    let request = serde_json::from_str(&stored.request_json).map_err(|e| {
        Refusal::Failed(format!("request {} cannot be read: {e}", stored.reference))
    })?;
    Ok(Opened {
        stored,
        request,
        link_time,
    })
}

#[derive(Deserialize)]
struct DoneQuery {
    done: Option<String>,
}

async fn show(
    State(manage): State<Arc<Manage>>,
    Path(token): Path<String>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    Query(query): Query<DoneQuery>,
    headers: HeaderMap,
) -> Response {
    let opened = match open(&manage, &token, peer, &headers).await {
        Ok(opened) => opened,
        Err(refusal) => return refusal.answer(&manage),
    };
    // Said only while it is still true (the address may be reloaded or shared later).
    let done = match (query.done.as_deref(), opened.stored.status) {
        (Some("cancelled"), Status::Cancelled) => Some(Done::Cancelled),
        (Some("move"), Status::Moving) => Some(Done::AskedToMove),
        _ => None,
    };
    let feedback = Feedback {
        done,
        ..Feedback::default()
    };
    render(&manage, &token, &opened, StatusCode::OK, &feedback).await
}

async fn render(
    manage: &Manage,
    token: &str,
    opened: &Opened,
    status: StatusCode,
    feedback: &Feedback,
) -> Response {
    let now = now_seconds();
    let free = free_days(manage, &opened.stored, &opened.request, now).await;
    let view = pages::View {
        practice: &manage.api.catalog.practice,
        catalog: &manage.api.catalog,
        stored: &opened.stored,
        request: &opened.request,
        link_time: opened.link_time.as_deref(),
        token,
        now,
        free: &free,
    };
    page(status, pages::booking(&view, feedback))
}

/// The free starts of the coming days for this booking's treatment and place, not counting
/// the booking itself; none when they cannot be read (the page then only has the form).
async fn free_days(
    manage: &Manage,
    stored: &InboxRequest,
    request: &BookingRequest,
    now: i64,
) -> Vec<(String, Vec<String>)> {
    if !(stored.status.awaits_answer() || stored.status.is_booked()) {
        return Vec::new();
    }
    let Some(place) = Place::of(request.location, &request.postcode) else {
        return Vec::new();
    };
    let Ok(free) =
        diary::free_days(&manage.api, now, &stored.reference, request.minutes, &place).await
    else {
        return Vec::new();
    };
    // The coming fortnight, with the days that still have a time free.
    free.map(|days| {
        days.into_iter()
            .take(FREE_DAYS_SHOWN)
            .filter(|d| !d.starts.is_empty())
            .map(|d| {
                (
                    d.date.long(),
                    d.starts.iter().map(ToString::to_string).collect(),
                )
            })
            .collect()
    })
    .unwrap_or_default()
}

/// A POST from a page of this site, else refused before anything is read.
fn from_this_site(manage: &Manage, headers: &HeaderMap) -> Result<(), Refusal> {
    if crate::inbox::from_site(manage.api.public_url.as_deref(), headers) {
        Ok(())
    } else {
        Err(Refusal::Forbidden)
    }
}

/// Whether the client may change it here now: a request still waiting, or a booking still
/// at least the cancellation notice ahead. The page shows its forms by the same rule.
pub(super) fn changeable(stored: &InboxRequest, now: i64, practice: &Practice) -> bool {
    if stored.status.awaits_answer() {
        return true;
    }
    stored.status.is_booked()
        && stored
            .confirmed_time
            .as_deref()
            .and_then(LondonDateTime::parse)
            .is_some_and(|t| may_change_online(t, now, practice))
}

/// The version of the booking the page showed (`seen`), as sent: a form without one (or
/// with anything but a number) matches none, and changes nothing.
#[derive(Deserialize)]
struct CancelForm {
    #[serde(default)]
    seen: String,
}

async fn cancel(
    State(manage): State<Arc<Manage>>,
    Path(token): Path<String>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    Form(form): Form<CancelForm>,
) -> Response {
    let result = async {
        from_this_site(&manage, &headers)?;
        let opened = open(&manage, &token, peer, &headers).await?;
        if !changeable(&opened.stored, now_seconds(), &manage.api.catalog.practice) {
            // The page said so already (or the notice began since it was opened).
            let feedback = Feedback::stale();
            return Ok(render(&manage, &token, &opened, StatusCode::CONFLICT, &feedback).await);
        }
        let reference = opened.stored.reference.clone();
        let (seen, now) = (form.seen.parse().ok(), utc_timestamp(now_seconds()));
        let changed = manage
            .api
            .store
            .call(move |s| s.cancel(&reference, Actor::Client, seen, "", &now))
            .await?;
        Ok::<_, Refusal>(after_change(&manage, &token, opened, changed, "cancelled").await)
    };
    result
        .await
        .unwrap_or_else(|refusal| refusal.answer(&manage))
}

/// After a change was asked for: to the page with what was done, or the page as the booking
/// now stands, saying nothing was done.
async fn after_change(
    manage: &Manage,
    token: &str,
    opened: Opened,
    changed: Changed,
    done: &str,
) -> Response {
    let reference = &opened.stored.reference;
    match changed {
        Changed::Now => {
            tracing::info!(%reference, what = done, "client changed their booking");
            manage.api.stored.notify_one();
            Redirect::to(&format!("{PREFIX}{token}?done={done}")).into_response()
        }
        Changed::Stale(stands) => {
            let opened = Opened {
                stored: *stands,
                ..opened
            };
            let feedback = Feedback::stale();
            render(manage, token, &opened, StatusCode::CONFLICT, &feedback).await
        }
        Changed::NotFound => Refusal::NotFound.answer(manage),
    }
}

#[derive(Deserialize, Default)]
struct MoveForm {
    #[serde(default)]
    seen: String,
    #[serde(default)]
    date_0: String,
    #[serde(default)]
    time_0: String,
    #[serde(default)]
    date_1: String,
    #[serde(default)]
    time_1: String,
    #[serde(default)]
    date_2: String,
    #[serde(default)]
    time_2: String,
}

impl MoveForm {
    fn rows(&self) -> [(String, String); MAX_TIMES] {
        [
            (&self.date_0, &self.time_0),
            (&self.date_1, &self.time_1),
            (&self.date_2, &self.time_2),
        ]
        .map(|(d, t)| (d.trim().to_owned(), t.trim().to_owned()))
    }
}

/// The times in the form's rows (London, `2026-12-01T18:00`), each with its row; or a
/// message next to each row that is wrong, by the same rules as a new request's times and
/// against her diary (not counting this booking).
async fn checked_times(
    manage: &Manage,
    opened: &Opened,
    rows: &[(String, String)],
    now: i64,
) -> Result<Vec<String>, Vec<(usize, String)>> {
    let mut errors = Vec::new();
    let mut times = Vec::new();
    let mut row_of = Vec::new();
    for (i, (date, time)) in rows.iter().enumerate() {
        match (date.is_empty(), time.is_empty()) {
            (true, true) => {}
            (false, false) => {
                times.push(format!("{date}T{time}"));
                row_of.push(i);
            }
            _ => errors.push((i, "Choose a date and a time.".to_owned())),
        }
    }
    if times.is_empty() && errors.is_empty() {
        errors.push((0, "Choose at least one date and time.".to_owned()));
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    // The request's own rules for its times: only these times change.
    let asked = BookingRequest {
        preferred_times: times.clone(),
        ..opened.request.clone()
    };
    let row = |field: &str| {
        field
            .strip_prefix("preferred_times.")
            .and_then(|i| i.parse::<usize>().ok())
            .and_then(|i| row_of.get(i).copied())
            .unwrap_or(0)
    };
    if let Err(found) = validate(&asked, &manage.api.catalog, now) {
        errors.extend(
            found
                .into_iter()
                .filter(|e| e.field.starts_with("preferred_times"))
                .map(|e| (row(&e.field), e.message)),
        );
    }
    // Each time the rules allow is checked against her diary too.
    let taken = diary::clashes(&manage.api, now, &opened.stored.reference, &asked, &times)
        .await
        .map_err(|e| {
            tracing::error!(error = %e, "could not check a client's new times against the diary");
            vec![(
                0,
                "Your times could not be checked just now: try again in a moment.".to_owned(),
            )]
        })?;
    for (i, _) in taken {
        let row = row_of.get(i).copied().unwrap_or(0);
        if !errors.iter().any(|(r, _)| *r == row) {
            errors.push((
                row,
                "This time is already booked: choose another.".to_owned(),
            ));
        }
    }
    if errors.is_empty() {
        Ok(times)
    } else {
        Err(errors)
    }
}

async fn ask_to_move(
    State(manage): State<Arc<Manage>>,
    Path(token): Path<String>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    Form(form): Form<MoveForm>,
) -> Response {
    let result = async {
        from_this_site(&manage, &headers)?;
        let opened = open(&manage, &token, peer, &headers).await?;
        let now = now_seconds();
        if !changeable(&opened.stored, now, &manage.api.catalog.practice) {
            let feedback = Feedback::stale();
            return Ok(render(&manage, &token, &opened, StatusCode::CONFLICT, &feedback).await);
        }
        let rows = form.rows();
        let times = match checked_times(&manage, &opened, &rows, now).await {
            Ok(times) => times,
            Err(errors) => {
                let feedback = Feedback {
                    rows: rows.to_vec(),
                    row_errors: errors,
                    ..Feedback::default()
                };
                return Ok(render(
                    &manage,
                    &token,
                    &opened,
                    StatusCode::UNPROCESSABLE_ENTITY,
                    &feedback,
                )
                .await);
            }
        };
        let reference = opened.stored.reference.clone();
        let (seen, at) = (form.seen.parse().ok(), utc_timestamp(now));
        let changed = manage
            .api
            .store
            .call(move |s| s.ask_to_move(&reference, &times, seen, &at))
            .await?;
        Ok::<_, Refusal>(after_change(&manage, &token, opened, changed, "move").await)
    };
    result
        .await
        .unwrap_or_else(|refusal| refusal.answer(&manage))
}
