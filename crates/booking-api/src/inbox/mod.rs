//! The therapist's inbox at `/inbox`: sign in, read each request (with its health summary,
//! shown nowhere else), confirm a time, decline, or mark it arranged by phone (decide.rs),
//! move or cancel a booking (changes.rs); the client is e-mailed by the notification worker.
//! Server-rendered (pages.rs), never in the visitor's wasm. See docs/inbox.md.
//!
//! Security: one password (its Argon2id hash); a random session id in an HttpOnly,
//! SameSite=Strict cookie scoped to /inbox (Secure when the public address is https); every
//! POST needs the session's CSRF token and a same-origin `Origin`; sign-in attempts are
//! limited per client and overall; pages are `no-store`, `noindex`, and have their own
//! script-free CSP.

mod access;
mod calendar_words;
mod changes;
mod decide;
mod diary_page;
mod diary_view;
mod editor;
mod editor_form;
mod editor_pages;
mod editor_photo;
mod pages;
mod publish_alert;

pub(crate) use access::from_site;

use crate::api::{Api, client_address, now_seconds};
use crate::diary;
use crate::password;
pub(crate) use crate::private_pages::page;
use crate::private_pages::private;
use crate::rate_limit::RateLimiter;
use crate::store::{InboxRequest, Show, Store};
use access::{
    ABSOLUTE_SECONDS, Checked, DEVICE_COOKIE, DEVICE_SECONDS, Refusal, SESSION_COOKIE,
    SIGN_IN_COOKIE, SignedIn, cookie, device_key, hash_id, is_signed_device, random_token,
    safe_next, same_origin, same_secret, signed_device,
};
use axum::Router;
use axum::extract::{ConnectInfo, Form, Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use massage_core::booking::BookingRequest;
use massage_core::booking::london_time::LondonDateTime;
use pages::Feedback;
use serde::Deserialize;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;

/// Sign-in attempts: per client, and from everyone together (so that many addresses cannot
/// guess faster), in 15 minutes.
const SIGN_INS_PER_CLIENT: u32 = 5;
const SIGN_INS_OVERALL: u32 = 20;
/// From remembered devices, together: only someone who has one of her devices uses it.
const SIGN_INS_REMEMBERED: u32 = 20;
const SIGN_IN_PERIOD: Duration = Duration::from_secs(15 * 60);
const MAX_MESSAGE: usize = 1000;

pub(crate) struct Inbox {
    pub(crate) api: Arc<Api>,
    per_client: RateLimiter,
    overall: RateLimiter,
    remembered: RateLimiter,
    /// Cookies only over HTTPS: set when the public address is https.
    secure_cookies: bool,
    /// Held from checking a time against her diary until the confirmation is stored, so two
    /// confirmations at once (two tabs, a double tap) cannot both take one slot.
    confirming: tokio::sync::Mutex<()>,
    /// Whether the article editor is on (`--content`): its link is shown only then.
    editor: bool,
}

impl Inbox {
    pub(crate) fn new(api: Arc<Api>, editor: bool) -> Self {
        let secure_cookies = api
            .public_url
            .as_deref()
            .is_some_and(|u| u.starts_with("https://"));
        Self {
            api,
            per_client: RateLimiter::per_period(SIGN_INS_PER_CLIENT, SIGN_IN_PERIOD),
            overall: RateLimiter::per_period(SIGN_INS_OVERALL, SIGN_IN_PERIOD),
            remembered: RateLimiter::per_period(SIGN_INS_REMEMBERED, SIGN_IN_PERIOD),
            secure_cookies,
            confirming: tokio::sync::Mutex::new(()),
            editor,
        }
    }

    fn store(&self) -> Arc<Store> {
        self.api.store.clone()
    }

    fn cookie(&self, name: &str, value: &str, max_age: i64) -> HeaderValue {
        let secure = if self.secure_cookies { "; Secure" } else { "" };
        HeaderValue::from_str(&format!(
            "{name}={value}; Path=/inbox; HttpOnly; SameSite=Strict; Max-Age={max_age}{secure}"
        ))
        .expect("cookie characters")
    }
}

/// The inbox's pages; with a publisher (`--content`), the article editor's too.
pub(crate) fn router(
    inbox: Arc<Inbox>,
    publisher: Option<Arc<crate::publishing::Publisher>>,
) -> Router {
    let editor = editor::router(inbox.clone(), publisher);
    private(
        Router::new()
            .route("/inbox", get(list))
            .route("/inbox/sign-in", get(sign_in_page).post(sign_in))
            .route("/inbox/sign-out", post(sign_out))
            .route("/inbox/requests/{reference}", get(request_page))
            .route("/inbox/requests/{reference}/{action}", post(decide::decide))
            .route("/inbox/inbox.css", get(stylesheet))
            .route("/inbox/icon.svg", get(icon))
            .merge(diary_view::routes())
            .with_state(inbox)
            .merge(editor),
    )
}

async fn icon() -> Response {
    ([(header::CONTENT_TYPE, "image/svg+xml")], pages::ICON).into_response()
}

async fn stylesheet() -> Response {
    (
        [(header::CONTENT_TYPE, "text/css; charset=utf-8")],
        pages::STYLESHEET,
    )
        .into_response()
}

#[derive(Deserialize)]
struct ListQuery {
    show: Option<String>,
    page: Option<u32>,
}

async fn list(
    State(inbox): State<Arc<Inbox>>,
    session: SignedIn,
    Query(query): Query<ListQuery>,
) -> Result<Response, Refusal> {
    let show = query
        .show
        .as_deref()
        .and_then(Show::from_name)
        .unwrap_or(Show::All);
    let number = query.page.unwrap_or(1).clamp(1, 100_000);
    let now = now_seconds();
    let now_london = LondonDateTime::from_utc_seconds(now).to_string();
    let (requests, counts) = inbox
        .store()
        .call(move |s| {
            let offset = (number - 1) * pages::PAGE_SIZE;
            let requests = s.inbox_page(show, &now_london, pages::PAGE_SIZE, offset)?;
            Ok((requests, s.inbox_counts(&now_london)?))
        })
        .await?;
    let listing = pages::Listing {
        show,
        page: number,
        counts: &counts,
    };
    Ok(page(
        StatusCode::OK,
        pages::list(&inbox.api.catalog, &requests, &listing, now, &session),
    ))
}

#[derive(Deserialize)]
struct NextQuery {
    next: Option<String>,
}

async fn sign_in_page(
    State(inbox): State<Arc<Inbox>>,
    Query(query): Query<NextQuery>,
) -> Result<Response, Refusal> {
    if inbox.store().call(|s| s.password_hash()).await?.is_none() {
        return Err(Refusal::NoPassword);
    }
    Ok(sign_in_form(
        &inbox,
        StatusCode::OK,
        &safe_next(query.next.as_deref()),
        None,
    ))
}

/// The sign-in form with a fresh token, set in a cookie and in the form.
fn sign_in_form(inbox: &Inbox, status: StatusCode, next: &str, error: Option<&str>) -> Response {
    let token = random_token();
    let mut response = page(status, pages::sign_in(&token, next, error));
    response.headers_mut().append(
        header::SET_COOKIE,
        inbox.cookie(SIGN_IN_COOKIE, &token, 3600),
    );
    response
}

#[derive(Deserialize)]
struct SignInForm {
    #[serde(default)]
    token: String,
    #[serde(default)]
    next: String,
    #[serde(default)]
    password: String,
}

async fn sign_in(
    State(inbox): State<Arc<Inbox>>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    Form(form): Form<SignInForm>,
) -> Result<Response, Refusal> {
    let token_ok = cookie(&headers, SIGN_IN_COOKIE)
        .is_some_and(|t| !form.token.is_empty() && same_secret(t, &form.token));
    if !token_ok || !same_origin(&inbox, &headers) {
        return Err(Refusal::Forbidden);
    }
    let next = safe_next(Some(&form.next));
    let client = client_address(peer.ip(), &headers, inbox.api.trust_proxy);
    let key = device_key(&inbox).await?;
    let remembered = cookie(&headers, DEVICE_COOKIE).is_some_and(|c| is_signed_device(&key, c));
    let together = if remembered {
        &inbox.remembered
    } else {
        &inbox.overall
    };
    let limited = inbox
        .per_client
        .check(client)
        .and_then(|()| together.check(IpAddr::V4(Ipv4Addr::UNSPECIFIED)));
    if let Err(wait) = limited {
        let at = LondonDateTime::from_utc_seconds(now_seconds() + wait as i64 + 59);
        let message = format!(
            "Too many sign-in attempts. Try again at {} (London time).",
            at.time
        );
        tracing::warn!(%client, remembered, "inbox sign-in refused: too many attempts");
        return Ok(sign_in_form(
            &inbox,
            StatusCode::TOO_MANY_REQUESTS,
            &next,
            Some(&message),
        ));
    }
    let Some(stored) = inbox.store().call(|s| s.password_hash()).await? else {
        return Err(Refusal::NoPassword);
    };
    let password = form.password;
    let right = tokio::task::spawn_blocking(move || password::verify(&password, &stored))
        .await
        .unwrap_or(false);
    if !right {
        tracing::warn!(%client, remembered, "inbox sign-in failed: wrong password");
        return Ok(sign_in_form(
            &inbox,
            StatusCode::UNAUTHORIZED,
            &next,
            Some("That password is not right."),
        ));
    }
    let (id, csrf) = (random_token(), random_token());
    let (id_hash, now) = (hash_id(&id), now_seconds());
    inbox
        .store()
        .call(move |s| s.create_session(&id_hash, &csrf, now))
        .await?;
    tracing::info!(%client, remembered, "inbox signed in");
    let mut response = Redirect::to(&next).into_response();
    let headers = response.headers_mut();
    headers.append(
        header::SET_COOKIE,
        inbox.cookie(SESSION_COOKIE, &id, ABSOLUTE_SECONDS),
    );
    headers.append(header::SET_COOKIE, inbox.cookie(SIGN_IN_COOKIE, "", 0));
    if !remembered {
        let device = signed_device(&key, &random_token());
        headers.append(
            header::SET_COOKIE,
            inbox.cookie(DEVICE_COOKIE, &device, DEVICE_SECONDS),
        );
    }
    Ok(response)
}

/// A form with nothing in it but its CSRF token (which `Checked` reads).
#[derive(Deserialize)]
struct NoFields {}

async fn sign_out(
    State(inbox): State<Arc<Inbox>>,
    Checked { session, .. }: Checked<NoFields>,
) -> Result<Response, Refusal> {
    let id_hash = session.id_hash;
    inbox
        .store()
        .call(move |s| s.delete_session(&id_hash))
        .await?;
    tracing::info!("inbox signed out");
    let mut response = page(
        StatusCode::OK,
        pages::message(
            "Signed out",
            &["You are signed out of the inbox."],
            Some(("/inbox/sign-in", "Sign in again")),
        ),
    );
    response
        .headers_mut()
        .append(header::SET_COOKIE, inbox.cookie(SESSION_COOKIE, "", 0));
    Ok(response)
}

#[derive(Deserialize)]
struct DoneQuery {
    done: Option<String>,
}

async fn request_page(
    State(inbox): State<Arc<Inbox>>,
    session: SignedIn,
    Path(reference): Path<String>,
    Query(query): Query<DoneQuery>,
) -> Result<Response, Refusal> {
    let notice = query.done.is_some().then(|| ("ok", "Saved.".to_owned()));
    let feedback = Feedback {
        notice,
        ..Default::default()
    };
    render_request(&inbox, &reference, &session, StatusCode::OK, &feedback).await
}

async fn render_request(
    inbox: &Inbox,
    reference: &str,
    session: &SignedIn,
    status: StatusCode,
    feedback: &Feedback<'_>,
) -> Result<Response, Refusal> {
    let lookup = reference.to_owned();
    let found = inbox
        .store()
        .call(move |s| {
            let Some(request) = s.inbox_request(&lookup)? else {
                return Ok(None);
            };
            let history = s.history(request.id)?;
            Ok(Some((request, history)))
        })
        .await?;
    let (request, history) = found.ok_or(Refusal::NotFound)?;
    let (clashes, calendar_not_known) = preferred_time_clashes(inbox, &request).await?;
    let feedback = &Feedback {
        clashes,
        calendar_not_known,
        ..feedback.clone()
    };
    Ok(page(
        status,
        pages::request_page(
            &inbox.api.catalog,
            &request,
            &history,
            now_seconds(),
            session,
            feedback,
        ),
    ))
}

/// For a request she may still give a time: each time it asks for that clashes with her
/// diary, and with what, so she sees it before she chooses; and the times on days her own
/// calendar is not known for.
async fn preferred_time_clashes(
    inbox: &Inbox,
    stored: &InboxRequest,
) -> Result<(Vec<(String, Vec<String>)>, Vec<String>), Refusal> {
    let Some(request) = stored
        .status
        .may_book()
        .then(|| serde_json::from_str::<BookingRequest>(&stored.request_json).ok())
        .flatten()
    else {
        return Ok((Vec::new(), Vec::new()));
    };
    let times = stored.times_asked(&request);
    let clashes = diary::clashes(
        &inbox.api,
        now_seconds(),
        &stored.reference,
        &request,
        times,
    );
    let clashes = clashes
        .await?
        .into_iter()
        .map(|(i, what)| (times[i].clone(), what))
        .collect();
    let not_known = diary::calendar_not_known(&inbox.api, times)
        .into_iter()
        .map(|i| times[i].clone())
        .collect();
    Ok((clashes, not_known))
}
