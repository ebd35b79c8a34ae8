//! The therapist's inbox at `/inbox`: sign in, read each request (with its health summary,
//! shown nowhere else), confirm a time, decline, or mark it arranged by phone; the client is
//! e-mailed by the notification worker. Server-rendered (pages.rs), never in the visitor's
//! wasm. See docs/inbox.md.
//!
//! Security: one password (its Argon2id hash); a random session id in an HttpOnly,
//! SameSite=Strict cookie scoped to /inbox (Secure when the public address is https); every
//! POST needs the session's CSRF token and a same-origin `Origin`; sign-in attempts are
//! limited per client and overall; pages are `no-store`, `noindex`, and have their own
//! script-free CSP.

mod pages;

use crate::api::{Api, client_address, now_seconds};
use crate::logging::with_cause;
use crate::password;
use crate::rate_limit::RateLimiter;
use crate::store::{Decided, Decision, Show, Status, Store};
use axum::Router;
use axum::extract::{ConnectInfo, Form, Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use base64::Engine;
use hmac::{Hmac, Mac};
use massage_core::booking::london_time::LondonDateTime;
use massage_core::booking::validate::check_start;
use massage_core::calendar::utc_timestamp;
use maud::Markup;
use pages::Feedback;
use serde::Deserialize;
use sha2::{Digest, Sha256};
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;
use tower_http::set_header::SetResponseHeaderLayer;

const SESSION_COOKIE: &str = "inbox_session";
/// The sign-in form's own token (a double-submitted cookie): there is no session yet.
const SIGN_IN_COOKIE: &str = "inbox_sign_in";
/// A device the therapist has signed in on: a random id and its signature (HMAC-SHA256 with
/// a key only the server has), kept a year. Its sign-ins have an allowance of their own, so
/// strangers spending everyone's together cannot lock her out of her own phone.
const DEVICE_COOKIE: &str = "inbox_device";
const DEVICE_SECONDS: i64 = 365 * 86_400;
/// A session ends after a day without use, and after 30 days in any case.
const IDLE_SECONDS: i64 = 86_400;
const ABSOLUTE_SECONDS: i64 = 30 * 86_400;
/// Sign-in attempts: per client, and from everyone together (so that many addresses cannot
/// guess faster), in 15 minutes.
const SIGN_INS_PER_CLIENT: u32 = 5;
const SIGN_INS_OVERALL: u32 = 20;
/// From remembered devices, together: only someone who has one of her devices uses it.
const SIGN_INS_REMEMBERED: u32 = 20;
const SIGN_IN_PERIOD: Duration = Duration::from_secs(15 * 60);
const MAX_MESSAGE: usize = 1000;

/// Inbox pages allow their own stylesheet and forms, and nothing else: no script at all.
const CSP: &str = "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; \
                   frame-ancestors 'none'; base-uri 'none'";

pub(crate) struct Inbox {
    pub(crate) api: Arc<Api>,
    per_client: RateLimiter,
    overall: RateLimiter,
    remembered: RateLimiter,
    /// Cookies only over HTTPS: set when the public address is https.
    secure_cookies: bool,
}

impl Inbox {
    pub(crate) fn new(api: Arc<Api>) -> Self {
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

pub(crate) fn router(inbox: Arc<Inbox>) -> Router {
    Router::new()
        .route("/inbox", get(list))
        .route("/inbox/sign-in", get(sign_in_page).post(sign_in))
        .route("/inbox/sign-out", post(sign_out))
        .route("/inbox/requests/{reference}", get(request_page))
        .route("/inbox/requests/{reference}/{action}", post(decide))
        .route("/inbox/inbox.css", get(stylesheet))
        .route("/inbox/icon.svg", get(icon))
        .with_state(inbox)
        .layer(SetResponseHeaderLayer::overriding(
            header::CACHE_CONTROL,
            HeaderValue::from_static("no-store"),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            axum::http::HeaderName::from_static("x-robots-tag"),
            HeaderValue::from_static("noindex, nofollow"),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(CSP),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::REFERRER_POLICY,
            HeaderValue::from_static("same-origin"),
        ))
}

fn page(status: StatusCode, markup: Markup) -> Response {
    (
        status,
        [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
        markup.into_string(),
    )
        .into_response()
}

/// A 500 page whose cause the request log records.
fn server_error(cause: impl std::fmt::Display) -> Response {
    with_cause(
        page(
            StatusCode::INTERNAL_SERVER_ERROR,
            pages::message(
                "Something went wrong",
                &["The inbox could not read its database. Try again in a moment."],
                Some(("/inbox", "Back to the inbox")),
            ),
        ),
        cause,
    )
}

fn forbidden() -> Response {
    tracing::warn!("inbox form refused: no valid CSRF token or same-origin Origin");
    page(
        StatusCode::FORBIDDEN,
        pages::message(
            "This form could not be accepted",
            &[
                "It did not carry the security check that proves it came from your inbox \
                 (an old page, another site, or a browser that strips it). Nothing was changed.",
                "Go back to the inbox, reload the page, and try again.",
            ],
            Some(("/inbox", "Back to the inbox")),
        ),
    )
}

async fn not_found() -> Response {
    page(
        StatusCode::NOT_FOUND,
        pages::message(
            "Not found",
            &[
                "There is no such page or request (requests are deleted after the retention period).",
            ],
            Some(("/inbox", "All requests")),
        ),
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

/// A store call whose failure is the inbox's 500 page.
async fn db<T: Send + 'static>(
    store: Arc<Store>,
    f: impl FnOnce(&Store) -> rusqlite::Result<T> + Send + 'static,
) -> Result<T, Response> {
    store.call(f).await.map_err(server_error)
}

fn random_token() -> String {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).expect("the system's random source");
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

/// The key remembered devices are signed with.
async fn device_key(inbox: &Inbox) -> Result<String, Response> {
    let fresh = random_token();
    db(inbox.store(), move |s| s.device_key(&fresh)).await
}

fn device_signature(key: &str, id: &str) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(key.as_bytes()).expect("HMAC takes any key");
    mac.update(b"inbox-device:");
    mac.update(id.as_bytes());
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(mac.finalize().into_bytes())
}

/// `<id>.<signature>`.
fn signed_device(key: &str, id: &str) -> String {
    format!("{id}.{}", device_signature(key, id))
}

fn is_signed_device(key: &str, cookie: &str) -> bool {
    cookie
        .split_once('.')
        .is_some_and(|(id, signature)| same_secret(signature, &device_signature(key, id)))
}

fn hash_id(id: &str) -> String {
    format!("{:x}", Sha256::digest(id.as_bytes()))
}

fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
}

/// Compares secrets in time that does not depend on where they differ.
fn same_secret(a: &str, b: &str) -> bool {
    Sha256::digest(a.as_bytes()) == Sha256::digest(b.as_bytes())
}

/// A POST from a page of this site: `Origin` names the public address (when set) or this
/// host. Browsers send `Origin` on every form POST, so its absence is refused too.
fn same_origin(inbox: &Inbox, headers: &HeaderMap) -> bool {
    let Some(origin) = headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()) else {
        return false;
    };
    match inbox.api.public_url.as_deref() {
        Some(public) => origin == public,
        None => {
            let host = headers.get(header::HOST).and_then(|v| v.to_str().ok());
            origin.split_once("://").is_some_and(|(scheme, rest)| {
                matches!(scheme, "http" | "https") && Some(rest) == host
            })
        }
    }
}

/// Only pages of the inbox are places to return to after signing in.
fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(n)
            if (n == "/inbox" || n.starts_with("/inbox/"))
                && !n.contains(['\\', '\r', '\n'])
                && !n.contains("//") =>
        {
            n.to_owned()
        }
        _ => "/inbox".into(),
    }
}

fn to_sign_in(next: &str) -> Response {
    let query: String = next
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'/' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect();
    Redirect::to(&format!("/inbox/sign-in?next={query}")).into_response()
}

struct Session {
    id_hash: String,
    csrf: String,
}

/// The live session, or where to go instead: the sign-in page (coming back to `here`), or
/// the page that says a password must be set first.
async fn session(inbox: &Inbox, headers: &HeaderMap, here: &str) -> Result<Session, Response> {
    let store = inbox.store();
    if db(store.clone(), |s| s.password_hash()).await?.is_none() {
        return Err(page(StatusCode::OK, pages::no_password()));
    }
    let Some(id) = cookie(headers, SESSION_COOKIE) else {
        return Err(to_sign_in(here));
    };
    let id_hash = hash_id(id);
    let now = now_seconds();
    let lookup = id_hash.clone();
    let csrf = db(store, move |s| {
        s.touch_session(&lookup, now, now - IDLE_SECONDS, now - ABSOLUTE_SECONDS)
    })
    .await?;
    match csrf {
        Some(csrf) => Ok(Session { id_hash, csrf }),
        None => Err(to_sign_in(here)),
    }
}

#[derive(Deserialize)]
struct ListQuery {
    show: Option<String>,
    page: Option<u32>,
}

async fn list(
    State(inbox): State<Arc<Inbox>>,
    Query(query): Query<ListQuery>,
    headers: HeaderMap,
) -> Response {
    let session = match session(&inbox, &headers, "/inbox").await {
        Ok(s) => s,
        Err(r) => return r,
    };
    let show = query
        .show
        .as_deref()
        .and_then(Show::from_name)
        .unwrap_or(Show::All);
    let number = query.page.unwrap_or(1).clamp(1, 100_000);
    let now = now_seconds();
    let now_london = LondonDateTime::from_utc_seconds(now).to_string();
    let listed = db(inbox.store(), move |s| {
        let offset = (number - 1) * pages::PAGE_SIZE;
        let requests = s.inbox_page(show, &now_london, pages::PAGE_SIZE, offset)?;
        Ok((requests, s.inbox_counts(&now_london)?))
    })
    .await;
    let (requests, counts) = match listed {
        Ok(listed) => listed,
        Err(r) => return r,
    };
    let listing = pages::Listing {
        show,
        page: number,
        counts: &counts,
    };
    page(
        StatusCode::OK,
        pages::list(&inbox.api.catalog, &requests, &listing, now, &session.csrf),
    )
}

#[derive(Deserialize)]
struct NextQuery {
    next: Option<String>,
}

async fn sign_in_page(State(inbox): State<Arc<Inbox>>, Query(query): Query<NextQuery>) -> Response {
    match db(inbox.store(), |s| s.password_hash()).await {
        Ok(None) => return page(StatusCode::OK, pages::no_password()),
        Ok(Some(_)) => {}
        Err(r) => return r,
    }
    sign_in_form(
        &inbox,
        StatusCode::OK,
        &safe_next(query.next.as_deref()),
        None,
    )
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
) -> Response {
    let token_ok = cookie(&headers, SIGN_IN_COOKIE)
        .is_some_and(|t| !form.token.is_empty() && same_secret(t, &form.token));
    if !token_ok || !same_origin(&inbox, &headers) {
        return forbidden();
    }
    let next = safe_next(Some(&form.next));
    let client = client_address(peer.ip(), &headers, inbox.api.trust_proxy);
    let key = match device_key(&inbox).await {
        Ok(key) => key,
        Err(r) => return r,
    };
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
        return sign_in_form(&inbox, StatusCode::TOO_MANY_REQUESTS, &next, Some(&message));
    }
    let stored = match db(inbox.store(), |s| s.password_hash()).await {
        Ok(Some(hash)) => hash,
        Ok(None) => return page(StatusCode::OK, pages::no_password()),
        Err(r) => return r,
    };
    let password = form.password;
    let right = tokio::task::spawn_blocking(move || password::verify(&password, &stored))
        .await
        .unwrap_or(false);
    if !right {
        tracing::warn!(%client, remembered, "inbox sign-in failed: wrong password");
        return sign_in_form(
            &inbox,
            StatusCode::UNAUTHORIZED,
            &next,
            Some("That password is not right."),
        );
    }
    let (id, csrf) = (random_token(), random_token());
    let (id_hash, now) = (hash_id(&id), now_seconds());
    if let Err(r) = db(inbox.store(), move |s| {
        s.create_session(&id_hash, &csrf, now)
    })
    .await
    {
        return r;
    }
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
    response
}

#[derive(Deserialize)]
struct CsrfForm {
    #[serde(default)]
    csrf: String,
}

async fn sign_out(
    State(inbox): State<Arc<Inbox>>,
    headers: HeaderMap,
    Form(form): Form<CsrfForm>,
) -> Response {
    let session = match session(&inbox, &headers, "/inbox").await {
        Ok(s) => s,
        Err(r) => return r,
    };
    if !same_origin(&inbox, &headers) || !same_secret(&form.csrf, &session.csrf) {
        return forbidden();
    }
    let id_hash = session.id_hash;
    if let Err(r) = db(inbox.store(), move |s| s.delete_session(&id_hash)).await {
        return r;
    }
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
    response
}

#[derive(Deserialize)]
struct DoneQuery {
    done: Option<String>,
}

async fn request_page(
    State(inbox): State<Arc<Inbox>>,
    Path(reference): Path<String>,
    Query(query): Query<DoneQuery>,
    headers: HeaderMap,
) -> Response {
    let here = format!("/inbox/requests/{reference}");
    let session = match session(&inbox, &headers, &here).await {
        Ok(s) => s,
        Err(r) => return r,
    };
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
    session: &Session,
    status: StatusCode,
    feedback: &Feedback<'_>,
) -> Response {
    let lookup = reference.to_owned();
    let found = db(inbox.store(), move |s| {
        let Some(request) = s.inbox_request(&lookup)? else {
            return Ok(None);
        };
        let history = s.history(request.id)?;
        Ok(Some((request, history)))
    })
    .await;
    match found {
        Ok(Some((request, history))) => page(
            status,
            pages::request_page(
                &inbox.api.catalog,
                &request,
                &history,
                now_seconds(),
                &session.csrf,
                feedback,
            ),
        ),
        Ok(None) => not_found().await,
        Err(r) => r,
    }
}

#[derive(Deserialize)]
struct DecisionForm {
    #[serde(default)]
    csrf: String,
    time: Option<String>,
    #[serde(default)]
    other_date: String,
    #[serde(default)]
    other_time: String,
    #[serde(default)]
    message: String,
}

async fn decide(
    State(inbox): State<Arc<Inbox>>,
    Path((reference, action)): Path<(String, String)>,
    headers: HeaderMap,
    Form(form): Form<DecisionForm>,
) -> Response {
    let here = format!("/inbox/requests/{reference}");
    let session = match session(&inbox, &headers, &here).await {
        Ok(s) => s,
        Err(r) => return r,
    };
    if !same_origin(&inbox, &headers) || !same_secret(&form.csrf, &session.csrf) {
        return forbidden();
    }
    let lookup = reference.clone();
    let stored = match db(inbox.store(), move |s| s.inbox_request(&lookup)).await {
        Ok(Some(stored)) => stored,
        Ok(None) => return not_found().await,
        Err(r) => return r,
    };
    let request: massage_core::booking::BookingRequest =
        match serde_json::from_str(&stored.request_json) {
            Ok(r) => r,
            Err(e) => return server_error(format!("request {reference} cannot be read: {e}")),
        };
    let decision = match action.as_str() {
        "confirm" => {
            let chosen = form.time.as_deref().unwrap_or_default();
            let (field, text) = if chosen == "other" {
                (
                    "other",
                    format!("{}T{}", form.other_date.trim(), form.other_time.trim()),
                )
            } else {
                ("time", chosen.to_owned())
            };
            let other_filled =
                !form.other_date.trim().is_empty() || !form.other_time.trim().is_empty();
            let (field, problem) = match LondonDateTime::parse(&text) {
                // Typed another time but left a preferred one chosen: ask, never guess.
                _ if field == "time" && other_filled => (
                    "other",
                    Some(
                        "You entered another time: choose \u{201c}Another time\u{201d} to confirm it, \
                         or clear the date and time."
                            .to_owned(),
                    ),
                ),
                _ if field == "time" && !request.preferred_times.contains(&text) => (
                    field,
                    Some("Choose one of the times, or another time.".to_owned()),
                ),
                None => (field, Some("Enter a date and a start time.".to_owned())),
                Some(time) => (
                    field,
                    check_start(
                        time,
                        Some(request.minutes),
                        &inbox.api.catalog.practice,
                        now_seconds(),
                    )
                    .err()
                    .map(|(_, message)| message),
                ),
            };
            if stored.status == Status::New
                && let Some(message) = problem
            {
                let feedback = Feedback {
                    time_error: Some((field, message)),
                    chosen: Some(chosen),
                    other_date: &form.other_date,
                    other_time: &form.other_time,
                    ..Default::default()
                };
                return render_request(
                    &inbox,
                    &reference,
                    &session,
                    StatusCode::UNPROCESSABLE_ENTITY,
                    &feedback,
                )
                .await;
            }
            Decision::Confirm { time: text }
        }
        "decline" => Decision::Decline {
            message: form.message.trim().chars().take(MAX_MESSAGE).collect(),
        },
        "phone" => Decision::ByPhone,
        _ => return not_found().await,
    };
    let now = utc_timestamp(now_seconds());
    let email_client = !request.email.trim().is_empty();
    let decided_reference = reference.clone();
    let outcome = db(inbox.store(), move |s| {
        s.decide(&decided_reference, &decision, &now, email_client)
    })
    .await;
    match outcome {
        Ok(Decided::Now) => {
            tracing::info!(%reference, %action, "inbox decision");
            inbox.api.stored.notify_one();
            Redirect::to(&format!("{here}?done=1")).into_response()
        }
        Ok(Decided::Already(status, time, at)) => {
            let what = match status {
                Status::Confirmed => format!(
                    "already confirmed for {}",
                    crate::client_mail::for_people(time.as_deref().unwrap_or_default())
                ),
                Status::Declined => "already declined".into(),
                Status::ByPhone => "already marked as arranged by phone".into(),
                Status::New => "already decided".into(),
            };
            let at = at.as_deref().map(pages::london).unwrap_or_default();
            let feedback = Feedback {
                notice: Some((
                    "warn",
                    format!("This request was {what} (at {at}, London time). Nothing was changed."),
                )),
                ..Default::default()
            };
            render_request(
                &inbox,
                &reference,
                &session,
                StatusCode::CONFLICT,
                &feedback,
            )
            .await
        }
        Ok(Decided::NotFound) => not_found().await,
        Err(r) => r,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_inbox_pages_are_returned_to_after_signing_in() {
        assert_eq!(
            safe_next(Some("/inbox/requests/AM-1234-5678")),
            "/inbox/requests/AM-1234-5678"
        );
        for bad in [
            "https://evil.example",
            "//evil.example",
            "/inbox//evil",
            "/other",
            "/inboxes",
        ] {
            assert_eq!(safe_next(Some(bad)), "/inbox", "{bad}");
        }
        assert_eq!(safe_next(None), "/inbox");
    }

    #[test]
    fn cookies_are_read_by_name() {
        let mut h = HeaderMap::new();
        h.insert(
            header::COOKIE,
            HeaderValue::from_static("a=1; inbox_session=xyz; b=2"),
        );
        assert_eq!(cookie(&h, SESSION_COOKIE), Some("xyz"));
        assert_eq!(cookie(&h, "c"), None);
    }
}
