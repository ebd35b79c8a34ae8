//! Booking requests posted as a plain HTML form (`application/x-www-form-urlencoded`): the
//! prerendered booking page before the app runs, or with JavaScript off. Read with the same
//! field names (`massage_core::booking::plain_form`) and stored by the same path as JSON
//! requests (`api::store_once`); the answer is a page in the site's look, made from the
//! prerendered booking page (`massage_core::booking::form_page`):
//! - stored: 303 to `/book/sent/<reference>` (post, then redirect: a reload sends nothing);
//! - refused: 422 with the form again as posted, each message next to its field.
//!
//! A plain form has no idempotency key. The key is made from the fields instead, so the same
//! fields sent again within about ten minutes (a double tap, the back button and send again)
//! are stored once and answered with the first reference.

use crate::api::{self, Api, MAX_BODY_BYTES};
use crate::logging::{Cause, with_cause};
use crate::store::Store;
use axum::body::{Body, to_bytes};
use axum::extract::{Path, State};
use axum::http::{HeaderValue, StatusCode, header, request::Parts};
use axum::response::{Html, IntoResponse, Response};
use massage_core::booking::FieldError;
use massage_core::booking::form_page::{form_again, sent_page};
use massage_core::booking::plain_form::{self, Pairs};
use massage_core::booking::request::{Accepted, ErrorBody};
use sha2::{Digest, Sha256};
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

/// Where the same fields count as the same request.
const SAME_REQUEST_SECONDS: i64 = 600;
/// Where a confirmation lives: `/book/sent/<reference>`.
pub(crate) const SENT_PATH: &str = "/book/sent";

pub(crate) fn is_form(parts: &Parts) -> bool {
    parts
        .headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .is_some_and(|v| v.trim().eq_ignore_ascii_case(plain_form::CONTENT_TYPE))
}

pub(crate) async fn submit(
    api: Arc<Api>,
    client: SocketAddr,
    parts: Parts,
    body: Body,
) -> Response {
    let Ok(bytes) = to_bytes(body, MAX_BODY_BYTES).await else {
        return refused(
            &api,
            StatusCode::PAYLOAD_TOO_LARGE,
            &Pairs::new(),
            &[whole("too_large", "The request is too large.")],
        );
    };
    let posted: Pairs = form_urlencoded::parse(&bytes).into_owned().collect();
    // Checked by the same path as JSON requests (`store_once`), which says what is wrong.
    let request = plain_form::from_pairs(&posted);
    let json = match serde_json::to_string(&request) {
        Ok(json) => json,
        Err(e) => {
            let page = refused(
                &api,
                StatusCode::INTERNAL_SERVER_ERROR,
                &posted,
                &[failed()],
            );
            return with_cause(page, e);
        }
    };
    let hash = format!("{:x}", Sha256::digest(json.as_bytes()));
    let key = same_request_key(&api, &hash).await;
    // A double tap: the first post is being stored; its answer comes in a moment.
    for _ in 0..50 {
        let response = api::store_once(&api, &key, &hash, request.clone(), &parts, client).await;
        if response.status() != StatusCode::CONFLICT {
            return answer(&api, &posted, response).await;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    with_cause(
        refused(&api, StatusCode::SERVICE_UNAVAILABLE, &posted, &[failed()]),
        "the same form, posted before, was still being stored after 5 s",
    )
}

/// Whether `ask` finds something in the store. A store that fails to answer finds nothing,
/// and the log says why.
async fn found(
    api: &Api,
    ask: impl FnOnce(&Store) -> rusqlite::Result<bool> + Send + 'static,
) -> bool {
    api.store.call(ask).await.unwrap_or_else(|e| {
        tracing::error!(error = %e, "could not read the database (taken as not found)");
        false
    })
}

/// The key for these fields: the one they were stored under in the last ten minutes, if any.
async fn same_request_key(api: &Api, hash: &str) -> String {
    let window = api::now_seconds() / SAME_REQUEST_SECONDS;
    let key = |w: i64| format!("plain-form-{hash}-{w}");
    let earlier = key(window - 1);
    let seen = found(api, move |store| {
        store.lookup(&earlier).map(|r| r.is_some())
    })
    .await;
    key(if seen { window - 1 } else { window })
}

/// The JSON path's answer as a page.
async fn answer(api: &Api, posted: &Pairs, response: Response) -> Response {
    let status = response.status();
    let retry_after = response.headers().get(header::RETRY_AFTER).cloned();
    let cause = response.extensions().get::<Cause>().cloned();
    let body = to_bytes(response.into_body(), MAX_BODY_BYTES)
        .await
        .unwrap_or_default();
    if status == StatusCode::CREATED
        && let Ok(accepted) = serde_json::from_slice::<Accepted>(&body)
    {
        let location = format!("{SENT_PATH}/{}", accepted.reference);
        return (
            StatusCode::SEE_OTHER,
            [(header::LOCATION, location)],
            "Sent: see the confirmation.",
        )
            .into_response();
    }
    let errors = serde_json::from_slice::<ErrorBody>(&body)
        .map(|b| b.errors)
        .unwrap_or_else(|_| vec![failed()]);
    let mut page = refused(api, status, posted, &errors);
    if let Some(retry_after) = retry_after {
        page.headers_mut().insert(header::RETRY_AFTER, retry_after);
    }
    if let Some(cause) = cause {
        page.extensions_mut().insert(cause);
    }
    page
}

/// `GET /book/sent/<reference>`: the confirmation, for a request that was stored.
pub(crate) async fn sent(State(api): State<Arc<Api>>, Path(reference): Path<String>) -> Response {
    let lookup = reference.clone();
    let stored = found(&api, move |store| {
        store.inbox_request(&lookup).map(|r| r.is_some())
    })
    .await;
    if !stored {
        return not_found(&api);
    }
    let therapist = &api.catalog.practice.therapist;
    let page = book_page(&api)
        .and_then(|page| sent_page(&page, &reference, therapist).ok())
        .unwrap_or_else(|| {
            format!(
                "<!DOCTYPE html><html lang=\"en-GB\"><title>Request sent</title><h1>Your request has been sent</h1>\
                 <p>Your reference is <strong>{reference}</strong>.</p>"
            )
        });
    no_store(Html(page).into_response())
}

/// The form again with `errors`, or a bare page saying what went wrong when the receiver
/// serves no site.
fn refused(api: &Api, status: StatusCode, posted: &Pairs, errors: &[FieldError]) -> Response {
    let page = book_page(api)
        .and_then(|page| form_again(&page, posted, errors).ok())
        .unwrap_or_else(|| {
            let items: String = errors
                .iter()
                .map(|e| {
                    format!(
                        "<li>{}</li>",
                        massage_core::site_html::escape_text(&e.message)
                    )
                })
                .collect();
            format!(
                "<!DOCTYPE html><html lang=\"en-GB\"><title>Please check the form</title>\
                 <h1>Please check the form</h1><ul>{items}</ul><p>Go back to change it.</p>"
            )
        });
    no_store((status, Html(page)).into_response())
}

fn not_found(api: &Api) -> Response {
    let page = api
        .site
        .as_ref()
        .and_then(|site| std::fs::read_to_string(site.join("404.html")).ok())
        .unwrap_or_else(|| "Not found".into());
    (StatusCode::NOT_FOUND, Html(page)).into_response()
}

/// Read at each answer, so a rebuilt site is used without a restart.
fn book_page(api: &Api) -> Option<String> {
    let site = api.site.as_ref()?;
    std::fs::read_to_string(site.join("book/index.html")).ok()
}

/// These pages hold what the visitor typed: never kept by a cache.
fn no_store(mut response: Response) -> Response {
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

fn whole(code: &str, message: &str) -> FieldError {
    FieldError::new(massage_core::booking::endpoint::WHOLE_FORM, code, message)
}

fn failed() -> FieldError {
    whole(
        "server_error",
        "The request could not be saved. Please try again, or call or e-mail instead.",
    )
}

/// The route for confirmations, merged into the receiver's router.
pub(crate) fn router(api: Arc<Api>) -> axum::Router {
    axum::Router::new()
        .route(
            &format!("{SENT_PATH}/{{reference}}"),
            axum::routing::get(sent),
        )
        .with_state(api)
}
