//! Who may use the inbox, checked before a handler runs: `SignedIn` (a live session, or the
//! sign-in page), `Checked` (a form that changes something: signed in, with the session's
//! CSRF token and this site's `Origin`), and `Refusal`, every way a request is turned away,
//! each its own page. Handlers return `Result<Response, Refusal>` and use `?`.

use super::{Inbox, page, pages};
use crate::api::now_seconds;
use crate::logging::with_cause;
use crate::store::StoreError;
use axum::body::{Body, to_bytes};
use axum::extract::{Form, FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{HeaderMap, Method, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use base64::Engine;
use hmac::{Hmac, Mac};
use serde::de::DeserializeOwned;
use sha2::{Digest, Sha256};
use std::sync::Arc;

pub(super) const SESSION_COOKIE: &str = "inbox_session";
/// The sign-in form's own token (a double-submitted cookie): there is no session yet.
pub(super) const SIGN_IN_COOKIE: &str = "inbox_sign_in";
/// A device the therapist has signed in on: a random id and its signature (HMAC-SHA256 with
/// a key only the server has), kept a year. Its sign-ins have an allowance of their own, so
/// strangers spending everyone's together cannot lock her out of her own phone.
pub(super) const DEVICE_COOKIE: &str = "inbox_device";
pub(super) const DEVICE_SECONDS: i64 = 365 * 86_400;
/// A session ends after a day without use, and after 30 days in any case.
const IDLE_SECONDS: i64 = 86_400;
pub(super) const ABSOLUTE_SECONDS: i64 = 30 * 86_400;
/// Far more than any inbox form (a decline's message is at most 1000 characters).
const MAX_FORM_BYTES: usize = 64 * 1024;

/// Why a request to the inbox is not answered with the page it asked for.
#[derive(Debug)]
pub(super) enum Refusal {
    /// The database failed: a 500 page, the cause in the log.
    Database(StoreError),
    /// Something stored cannot be read: a 500 page, the cause in the log.
    Unreadable(String),
    /// No valid CSRF token or same-origin `Origin`: nothing was changed (403).
    Forbidden,
    NotFound,
    /// Not signed in: to the sign-in page, coming back to this address after.
    SignIn(String),
    /// No password is set yet: the page that says how to set one.
    NoPassword,
    /// A form that cannot be read, as axum answers it.
    Malformed(Response),
    /// The article editor, on a receiver without a content folder (`--content`).
    EditorOff,
}

impl From<StoreError> for Refusal {
    fn from(e: StoreError) -> Self {
        Self::Database(e)
    }
}

impl IntoResponse for Refusal {
    fn into_response(self) -> Response {
        match self {
            Self::Database(e) => server_error(e),
            Self::Unreadable(e) => server_error(e),
            Self::Forbidden => {
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
            Self::NotFound => page(
                StatusCode::NOT_FOUND,
                pages::message(
                    "Not found",
                    &[
                        "There is no such page or request (requests are deleted after the retention period).",
                    ],
                    Some(("/inbox", "All requests")),
                ),
            ),
            Self::SignIn(next) => to_sign_in(&next),
            Self::NoPassword => page(StatusCode::OK, pages::no_password()),
            Self::Malformed(response) => response,
            Self::EditorOff => page(
                StatusCode::NOT_FOUND,
                pages::message(
                    "The article editor is off",
                    &[
                        "This server has no content folder to write articles in (the receiver's --content setting, docs/inbox.md).",
                    ],
                    Some(("/inbox", "Back to the inbox")),
                ),
            ),
        }
    }
}

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

/// A live session: its id's hash, its CSRF token, and the banners every page shows her
/// (her calendar's feed cannot be read: `calendar_words`).
pub(super) struct SignedIn {
    pub(super) id_hash: String,
    pub(super) csrf: String,
    pub(super) banners: Vec<String>,
    /// Whether the article editor is on (its link in the header).
    pub(super) editor: bool,
}

impl FromRequestParts<Arc<Inbox>> for SignedIn {
    type Rejection = Refusal;

    async fn from_request_parts(parts: &mut Parts, inbox: &Arc<Inbox>) -> Result<Self, Refusal> {
        let here = return_to(&parts.method, parts.uri.path());
        let store = inbox.store();
        if store.call(|s| s.password_hash()).await?.is_none() {
            return Err(Refusal::NoPassword);
        }
        let Some(id) = cookie(&parts.headers, SESSION_COOKIE) else {
            return Err(Refusal::SignIn(here));
        };
        let id_hash = hash_id(id);
        let now = now_seconds();
        let lookup = id_hash.clone();
        let csrf = store
            .call(move |s| {
                s.touch_session(&lookup, now, now - IDLE_SECONDS, now - ABSOLUTE_SECONDS)
            })
            .await?;
        let Some(csrf) = csrf else {
            return Err(Refusal::SignIn(here));
        };
        let banners = inbox.api.calendar.as_ref().map_or_else(Vec::new, |feed| {
            super::calendar_words::banners(&feed.status(now))
        });
        Ok(Self {
            id_hash,
            csrf,
            banners,
            editor: inbox.editor,
        })
    }
}

/// Where to come back to after signing in: the page itself, or for a form, the page it was
/// sent from (a request's page for its decisions, the diary for blocked time, else the list).
fn return_to(method: &Method, path: &str) -> String {
    if method == Method::GET {
        return path.to_owned();
    }
    if path.starts_with("/inbox/blocked") {
        return "/inbox/diary".to_owned();
    }
    if let Some(rest) = path.strip_prefix("/inbox/articles/") {
        // An article's forms come back to its page (a new one's, to a new form).
        let slug = rest.split('/').next().unwrap_or_default();
        return format!("/inbox/articles/{slug}");
    }
    match path.strip_prefix("/inbox/requests/") {
        Some(rest) => match rest.split_once('/') {
            Some((reference, _action)) => format!("/inbox/requests/{reference}"),
            None => "/inbox".to_owned(),
        },
        None => "/inbox".to_owned(),
    }
}

/// A form that changes something, with the session that sent it. Refused before the handler
/// runs unless it is from a live session, carries that session's CSRF token in `csrf`, and
/// comes with this site's `Origin`.
pub(super) struct Checked<T> {
    pub(super) session: SignedIn,
    pub(super) form: T,
}

impl<T: DeserializeOwned> FromRequest<Arc<Inbox>> for Checked<T> {
    type Rejection = Refusal;

    async fn from_request(request: Request, inbox: &Arc<Inbox>) -> Result<Self, Refusal> {
        let (mut parts, body) = request.into_parts();
        let session = match SignedIn::from_request_parts(&mut parts, inbox).await {
            Ok(session) if same_origin(inbox, &parts.headers) => session,
            Ok(_) => return Err(refuse_after_reading(body, Refusal::Forbidden).await),
            Err(refusal) => return Err(refuse_after_reading(body, refusal).await),
        };
        let bytes = to_bytes(body, MAX_FORM_BYTES).await.map_err(|_| {
            Refusal::Malformed(
                (StatusCode::PAYLOAD_TOO_LARGE, "The form is too large.").into_response(),
            )
        })?;
        let token = form_urlencoded::parse(&bytes)
            .find(|(name, _)| name == "csrf")
            .map(|(_, value)| value.into_owned())
            .unwrap_or_default();
        if !same_secret(&token, &session.csrf) {
            return Err(Refusal::Forbidden);
        }
        let Form(form) =
            Form::<T>::from_request(Request::from_parts(parts, Body::from(bytes)), inbox)
                .await
                .map_err(|e| Refusal::Malformed(e.into_response()))?;
        Ok(Self { session, form })
    }
}

/// Turns a form away after reading what was sent of it (up to a small limit). Answering
/// before the body is read makes the server close the connection while the browser may still
/// be sending, and the browser then shows a broken connection instead of the answer.
pub(super) async fn refuse_after_reading(body: Body, refusal: Refusal) -> Refusal {
    const READ_BEFORE_REFUSING: usize = 256 * 1024;
    let _ = to_bytes(body, READ_BEFORE_REFUSING).await;
    refusal
}

pub(super) fn random_token() -> String {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).expect("the system's random source");
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

/// The key remembered devices are signed with.
pub(super) async fn device_key(inbox: &Inbox) -> Result<String, Refusal> {
    let fresh = random_token();
    Ok(inbox.store().call(move |s| s.device_key(&fresh)).await?)
}

fn device_signature(key: &str, id: &str) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(key.as_bytes()).expect("HMAC takes any key");
    mac.update(b"inbox-device:");
    mac.update(id.as_bytes());
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(mac.finalize().into_bytes())
}

/// `<id>.<signature>`.
pub(super) fn signed_device(key: &str, id: &str) -> String {
    format!("{id}.{}", device_signature(key, id))
}

pub(super) fn is_signed_device(key: &str, cookie: &str) -> bool {
    cookie
        .split_once('.')
        .is_some_and(|(id, signature)| same_secret(signature, &device_signature(key, id)))
}

pub(super) fn hash_id(id: &str) -> String {
    format!("{:x}", Sha256::digest(id.as_bytes()))
}

pub(super) fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
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
pub(super) fn same_secret(a: &str, b: &str) -> bool {
    Sha256::digest(a.as_bytes()) == Sha256::digest(b.as_bytes())
}

/// A POST from a page of this site: `Origin` names the public address (when set) or this
/// host. Browsers send `Origin` on every form POST, so its absence is refused too.
pub(super) fn same_origin(inbox: &Inbox, headers: &HeaderMap) -> bool {
    from_site(inbox.api.public_url.as_deref(), headers)
}

/// Whether a POST came from a page of this site: its `Origin` is `public_url` (when set) or
/// this host. The client's booking pages (`crate::manage`) check the same.
pub(crate) fn from_site(public_url: Option<&str>, headers: &HeaderMap) -> bool {
    let Some(origin) = headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()) else {
        return false;
    };
    match public_url {
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
pub(super) fn safe_next(next: Option<&str>) -> String {
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

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

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
        assert_eq!(
            return_to(&Method::POST, "/inbox/requests/AM-1234-5678/confirm"),
            "/inbox/requests/AM-1234-5678"
        );
        assert_eq!(return_to(&Method::POST, "/inbox/sign-out"), "/inbox");
        assert_eq!(
            return_to(&Method::POST, "/inbox/blocked/7/remove"),
            "/inbox/diary"
        );
        assert_eq!(
            return_to(
                &Method::POST,
                "/inbox/articles/back-pain/versions/20261204T181336Z"
            ),
            "/inbox/articles/back-pain"
        );
        assert_eq!(
            return_to(&Method::POST, "/inbox/articles/new"),
            "/inbox/articles/new"
        );
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
