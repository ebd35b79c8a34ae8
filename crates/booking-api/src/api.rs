//! `POST /api/booking-requests`: the contract in docs/booking-api.md. Every valid request
//! is stored exactly once, however often it is retried; nothing sent is trusted.

use crate::logging::with_cause;
use crate::rate_limit::RateLimiter;
use crate::store::{NewRequest, Replay, Store};
use axum::body::{Body, to_bytes};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header, request::Parts};
use axum::response::{IntoResponse, Response};
use massage_core::booking::request::{Accepted, ErrorBody};
use massage_core::booking::{BookingRequest, FieldError, validate};
use massage_core::calendar::utc_timestamp;
use massage_core::services::Catalog;
use sha2::{Digest, Sha256};
use std::collections::HashSet;
use std::net::{IpAddr, Ipv6Addr, SocketAddr};
use std::sync::{Arc, Mutex};
use std::time::SystemTime;

pub(crate) const PATH: &str = "/api/booking-requests";
/// Far more than any honest request (the longest fields total about 4 KB).
pub(crate) const MAX_BODY_BYTES: usize = 16 * 1024;

pub(crate) struct Api {
    pub(crate) store: Arc<Store>,
    pub(crate) catalog: Catalog,
    pub(crate) limiter: RateLimiter,
    /// Keys being processed right now: a concurrent retry gets 409 instead of a second row.
    pub(crate) in_flight: Mutex<HashSet<String>>,
    /// Wakes the e-mail worker when a request is stored.
    pub(crate) stored: tokio::sync::Notify,
    /// Behind a reverse proxy every connection comes from the proxy: use the address it
    /// appends to X-Forwarded-For instead (only when told to; a client could forge it).
    pub(crate) trust_proxy: bool,
    /// The site's public address, for links in e-mails (`--public-url`).
    pub(crate) public_url: Option<String>,
    /// The treatment room's address, for confirmations (`--in-call-address`).
    pub(crate) in_call_address: Option<String>,
    /// The built site, when the receiver serves it (`--site`): the plain form's answers are
    /// made from its booking page.
    pub(crate) site: Option<std::path::PathBuf>,
    /// Her own calendar's feed, when she gave one (`--calendar-feed`): its busy times hold
    /// her diary.
    pub(crate) calendar: Option<Arc<crate::calendar_feed::CalendarFeed>>,
}

pub(crate) fn now_seconds() -> i64 {
    massage_core::calendar::unix_seconds(SystemTime::now())
}

fn error(status: StatusCode, field: &str, code: &str, message: &str) -> Response {
    let body = ErrorBody {
        errors: vec![FieldError::new(field, code, message)],
    };
    (status, axum::Json(body)).into_response()
}

fn replay(stored: Replay) -> Response {
    let status = StatusCode::from_u16(stored.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    (
        status,
        [(header::CONTENT_TYPE, "application/json")],
        stored.body,
    )
        .into_response()
}

/// A 500 whose cause the request log records (the client is told only to retry).
pub(crate) fn server_error(cause: impl std::fmt::Display) -> Response {
    with_cause(
        error(
            StatusCode::INTERNAL_SERVER_ERROR,
            "request",
            "server_error",
            "The request could not be saved. Please try again.",
        ),
        cause,
    )
}

/// A post that is not a plain form (endpoint.rs decides): the JSON contract.
pub(crate) async fn submit(
    api: Arc<Api>,
    client: SocketAddr,
    parts: Parts,
    body: Body,
) -> Response {
    if !is_json(&parts.headers) {
        return error(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "request",
            "unsupported_media_type",
            "Send the request as JSON (Content-Type: application/json).",
        );
    }
    let Some(key) = idempotency_key(&parts.headers) else {
        return error(
            StatusCode::BAD_REQUEST,
            "request",
            "idempotency_key_required",
            "Send an Idempotency-Key header: one random UUID per request, the same on every retry.",
        );
    };
    let Ok(bytes) = to_bytes(body, MAX_BODY_BYTES).await else {
        return error(
            StatusCode::PAYLOAD_TOO_LARGE,
            "request",
            "too_large",
            "The request is too large.",
        );
    };
    let request: BookingRequest = match serde_json::from_slice(&bytes) {
        Ok(r) => r,
        Err(e) => {
            return error(
                StatusCode::BAD_REQUEST,
                "request",
                "malformed",
                &format!("The request could not be read: {e}."),
            );
        }
    };
    let hash = format!("{:x}", Sha256::digest(&bytes));
    store_once(&api, &key, &hash, request, &parts, client).await
}

/// Stores `request` once under `key` (whose body hashes to `hash`), or replays the answer
/// the key already has; checks the rate limit and every rule first. The JSON answer, as the
/// contract says; the plain form path turns it into a page.
pub(crate) async fn store_once(
    api: &Arc<Api>,
    key: &str,
    hash: &str,
    request: BookingRequest,
    parts: &Parts,
    client: SocketAddr,
) -> Response {
    let (key, hash) = (key.to_owned(), hash.to_owned());
    // One request per key at a time; the guard releases the key however this returns.
    let Some(_guard) = InFlight::claim(api, &key) else {
        return error(
            StatusCode::CONFLICT,
            "request",
            "in_progress",
            "This request is still being processed. Try again in a moment.",
        );
    };
    let lookup_key = key.clone();
    let earlier = match api.store.call(move |s| s.lookup(&lookup_key)).await {
        Ok(earlier) => earlier,
        Err(e) => return server_error(format!("looking up the idempotency key: {e}")),
    };
    if let Some(earlier) = earlier {
        return if earlier.body_hash == hash {
            replay(earlier)
        } else {
            error(
                StatusCode::UNPROCESSABLE_ENTITY,
                "request",
                "idempotency_key_reused",
                "This Idempotency-Key was already used for a different request.",
            )
        };
    }
    let client = client_address(client.ip(), &parts.headers, api.trust_proxy);
    if let Err(retry_after) = api.limiter.check(client) {
        let mut response = error(
            StatusCode::TOO_MANY_REQUESTS,
            "request",
            "rate_limited",
            "Too many requests. Please wait a little and try again.",
        );
        response
            .headers_mut()
            .insert(header::RETRY_AFTER, HeaderValue::from(retry_after));
        return response;
    }

    let now = now_seconds();
    let received_at = utc_timestamp(now);
    let reference = new_reference();
    let (status, body, stored) = if !request.website.is_empty() {
        // A bot filled the field people never see: answer like a success, store nothing.
        let body = serde_json::to_string(&Accepted {
            reference: reference.clone(),
            received_at: received_at.clone(),
        });
        (StatusCode::CREATED, body, false)
    } else {
        // A time she has confirmed for someone else since the visitor chose it is refused
        // next to it, like any other rule (the booking page offers only free times, but a
        // request may come from anywhere, or from a phone that was offline for a while).
        let checked = match validate(&request, &api.catalog, now) {
            Ok(()) => match crate::diary::taken_times(api, &request, now).await {
                Ok(taken) if taken.is_empty() => Ok(()),
                Ok(taken) => Err(taken),
                Err(e) => return server_error(format!("reading the diary: {e}")),
            },
            errors => errors,
        };
        match checked {
            Ok(()) => {
                let body = serde_json::to_string(&Accepted {
                    reference: reference.clone(),
                    received_at: received_at.clone(),
                });
                (StatusCode::CREATED, body, true)
            }
            Err(errors) => (
                StatusCode::UNPROCESSABLE_ENTITY,
                serde_json::to_string(&ErrorBody { errors }),
                false,
            ),
        }
    };
    let body = match body {
        Ok(body) => body,
        Err(e) => return server_error(e),
    };
    let request_json = match serde_json::to_string(&request) {
        Ok(json) => json,
        Err(e) => return server_error(e),
    };
    let answer = Replay {
        body_hash: hash,
        status: status.as_u16(),
        body,
    };
    let (key_for_db, answer_for_db) = (key.clone(), answer.clone());
    let result = api
        .store
        .call(move |store| {
            let consent = request
                .health
                .as_ref()
                .map(|h| (h.consent.text_version.clone(), h.consent.given_at.clone()));
            let new = NewRequest {
                reference: &reference,
                received_at: &received_at,
                request_json: &request_json,
                consent_version: consent.as_ref().map(|c| c.0.as_str()),
                consent_given_at: consent.as_ref().map(|c| c.1.as_str()),
                client_email: !request.email.trim().is_empty(),
            };
            store.record(
                &key_for_db,
                &answer_for_db,
                stored.then_some(&new),
                &received_at,
            )
        })
        .await;
    match result {
        Ok(None) => {
            if stored {
                tracing::info!(reference = %reference_of(&answer), "stored request");
                api.stored.notify_one();
            }
            replay(answer)
        }
        Ok(Some(earlier)) if earlier.body_hash == answer.body_hash => replay(earlier),
        Ok(Some(_)) => error(
            StatusCode::UNPROCESSABLE_ENTITY,
            "request",
            "idempotency_key_reused",
            "This Idempotency-Key was already used for a different request.",
        ),
        Err(e) => server_error(format!("storing the request: {e}")),
    }
}

/// The reference in a stored 201 body, for the log (which never shows request details).
fn reference_of(answer: &Replay) -> String {
    serde_json::from_str::<Accepted>(&answer.body)
        .map(|a| a.reference)
        .unwrap_or_default()
}

/// Who the rate limit counts: the socket's peer, or (behind a trusted proxy) the last
/// address in X-Forwarded-For, which is the one the proxy itself appended. IPv6 clients are
/// counted per /64, since one home or phone network hands out a whole /64.
pub(crate) fn client_address(peer: IpAddr, headers: &HeaderMap, trust_proxy: bool) -> IpAddr {
    let forwarded = trust_proxy
        .then(|| {
            headers
                .get_all("x-forwarded-for")
                .iter()
                .filter_map(|v| v.to_str().ok())
                .collect::<Vec<_>>()
                .join(",")
        })
        .and_then(|list| {
            list.rsplit(',')
                .next()
                .and_then(|last| last.trim().parse::<IpAddr>().ok())
        });
    match forwarded.unwrap_or(peer) {
        IpAddr::V6(v6) => {
            let s = v6.segments();
            IpAddr::V6(Ipv6Addr::new(s[0], s[1], s[2], s[3], 0, 0, 0, 0))
        }
        v4 => v4,
    }
}

fn is_json(headers: &HeaderMap) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .is_some_and(|v| v.trim().eq_ignore_ascii_case("application/json"))
}

/// 8 to 100 characters of letters, digits and hyphens (a UUID is 36).
fn idempotency_key(headers: &HeaderMap) -> Option<String> {
    let key = headers.get("idempotency-key")?.to_str().ok()?.trim();
    ((8..=100).contains(&key.len()) && key.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-'))
        .then(|| key.to_owned())
}

/// `AM-7K3Q-9XPD`: 40 random bits in Crockford base32 (no I, L, O, U), easy to read out.
fn new_reference() -> String {
    const ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";
    let mut bytes = [0u8; 5];
    getrandom::fill(&mut bytes).expect("the system's random source");
    let mut n = bytes.iter().fold(0u64, |acc, b| acc << 8 | u64::from(*b));
    let mut chars = [0u8; 8];
    for c in chars.iter_mut().rev() {
        *c = ALPHABET[(n & 31) as usize];
        n >>= 5;
    }
    let text = String::from_utf8_lossy(&chars);
    format!("AM-{}-{}", &text[..4], &text[4..])
}

struct InFlight<'a> {
    api: &'a Api,
    key: String,
}

impl<'a> InFlight<'a> {
    fn claim(api: &'a Api, key: &str) -> Option<Self> {
        let mut keys = api.in_flight.lock().unwrap_or_else(|e| e.into_inner());
        keys.insert(key.to_owned()).then(|| Self {
            api,
            key: key.to_owned(),
        })
    }
}

impl Drop for InFlight<'_> {
    fn drop(&mut self) {
        self.api
            .in_flight
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .remove(&self.key);
    }
}

/// Answers anything but POST on the endpoint.
pub(crate) async fn method_not_allowed() -> Response {
    let mut response = error(
        StatusCode::METHOD_NOT_ALLOWED,
        "request",
        "method_not_allowed",
        "Send booking requests with POST.",
    );
    response
        .headers_mut()
        .insert(header::ALLOW, HeaderValue::from_static("POST, OPTIONS"));
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_are_short_and_readable() {
        let r = new_reference();
        assert_eq!(r.len(), 12, "{r}");
        assert!(r.starts_with("AM-") && r.as_bytes()[7] == b'-', "{r}");
        assert!(!r[3..].contains(['I', 'L', 'O', 'U']), "{r}");
        assert_ne!(new_reference(), new_reference());
    }

    #[test]
    fn clients_are_counted_by_peer_or_by_a_trusted_proxy() {
        let peer: IpAddr = "10.0.0.2".parse().unwrap();
        let mut h = HeaderMap::new();
        h.insert(
            "x-forwarded-for",
            HeaderValue::from_static("203.0.113.9, 198.51.100.7"),
        );
        assert_eq!(
            client_address(peer, &h, false),
            peer,
            "not trusted: the header is ignored"
        );
        assert_eq!(
            client_address(peer, &h, true),
            "198.51.100.7".parse::<IpAddr>().unwrap()
        );
        assert_eq!(client_address(peer, &HeaderMap::new(), true), peer);
        let v6: IpAddr = "2001:db8:1:2:3:4:5:6".parse().unwrap();
        assert_eq!(
            client_address(v6, &HeaderMap::new(), false),
            "2001:db8:1:2::".parse::<IpAddr>().unwrap()
        );
    }

    #[test]
    fn keys_and_content_types() {
        let mut h = HeaderMap::new();
        assert_eq!(idempotency_key(&h), None);
        h.insert(
            "idempotency-key",
            HeaderValue::from_static("6f1c2f0e-8a4b-4c1d-9e2f-0a1b2c3d4e5f"),
        );
        assert!(idempotency_key(&h).is_some());
        h.insert("idempotency-key", HeaderValue::from_static("short"));
        assert_eq!(idempotency_key(&h), None);
        h.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json; charset=utf-8"),
        );
        assert!(is_json(&h));
        h.insert(header::CONTENT_TYPE, HeaderValue::from_static("text/plain"));
        assert!(!is_json(&h));
    }
}
