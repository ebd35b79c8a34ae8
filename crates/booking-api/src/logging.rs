//! What the receiver tells its operator, on standard error (where a service manager keeps
//! it): one line per request (method, path, status, time taken), the cause of every 5xx,
//! sign-ins, e-mails that fail, backups. Never a query string (a sign-in's `next`), the secret
//! in an address (a client's link to their booking, her diary feed: the log outlives the
//! database and erasure cannot reach it), a request body, or anything a client wrote: health
//! answers and contact details stay out of the log.

use axum::extract::Request;
use axum::middleware::Next;
use axum::response::Response;
use std::fmt::Display;
use std::time::Instant;

/// `BOOKING_API_LOG` (`error`, `warn`, `info`, `debug`; default `info`) sets how much is said.
pub(crate) fn init() {
    let level = std::env::var("BOOKING_API_LOG")
        .ok()
        .and_then(|l| l.parse().ok())
        .unwrap_or(tracing::Level::INFO);
    tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_target(false)
        .with_max_level(level)
        .init();
}

/// Why an answer is a 5xx, carried from the handler that knows to the request log, so each
/// failure is one line with its request.
#[derive(Clone, Debug)]
pub(crate) struct Cause(String);

/// `response`, marked with why it failed.
pub(crate) fn with_cause(mut response: Response, cause: impl Display) -> Response {
    response.extensions_mut().insert(Cause(cause.to_string()));
    response
}

/// Paths are logged as requested, without their query, and cut short: they are the client's
/// text, and a log line should stay a line.
const MAX_PATH_CHARS: usize = 200;

/// Addresses whose next segment is a secret (a bearer token): logged as `…`.
const SECRET_PREFIXES: [&str; 2] = [crate::manage::PREFIX, crate::diary_feed::PREFIX];

/// `path` as the log may show it: the secret after a `SECRET_PREFIXES` entry replaced by `…`
/// (`/manage/…/cancel`), and cut short.
fn loggable(path: &str) -> String {
    let path: String = path.chars().take(MAX_PATH_CHARS).collect();
    for prefix in SECRET_PREFIXES {
        if let Some(rest) = path.strip_prefix(prefix) {
            let after = rest.find('/').map_or("", |i| &rest[i..]);
            return format!("{prefix}…{after}");
        }
    }
    path
}

/// The request log, around every route.
pub(crate) async fn request_log(request: Request, next: Next) -> Response {
    let method = request.method().clone();
    let path = loggable(request.uri().path());
    let started = Instant::now();
    let response = next.run(request).await;
    let status = response.status().as_u16();
    let ms = (started.elapsed().as_secs_f64() * 1000.0 * 100.0).round() / 100.0;
    if response.status().is_server_error() {
        let cause = response
            .extensions()
            .get::<Cause>()
            .map_or("not recorded", |c| c.0.as_str());
        tracing::error!(%method, %path, status, ms, %cause, "request failed");
    } else if path != crate::health::PATH || status != 200 {
        // A monitor asks for the health every few seconds: only a failing answer is news.
        tracing::info!(%method, %path, status, ms, "request");
    }
    response
}

#[cfg(test)]
mod tests {
    use super::loggable;

    #[test]
    fn secrets_in_addresses_are_not_logged() {
        assert_eq!(loggable("/manage/s3cr3t-T0ken"), "/manage/…");
        assert_eq!(loggable("/manage/s3cr3t-T0ken/cancel"), "/manage/…/cancel");
        assert_eq!(loggable("/diary/s3cr3t.ics"), "/diary/…");
        assert_eq!(loggable("/articles/back-pain"), "/articles/back-pain");
        assert_eq!(loggable("/managed"), "/managed");
    }
}
