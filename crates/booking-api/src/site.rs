//! Serves the built site (Trunk's `dist/`) like a static host would, plus what a single-page
//! app needs: any path that is not a file gets the app shell, so deep links survive a reload.

use axum::Router;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use tower_http::compression::CompressionLayer;
use tower_http::services::ServeDir;
use tower_http::set_header::SetResponseHeaderLayer;

/// Trunk names build outputs `name-<16 hex digits>.ext`; such files never change, so browsers
/// may keep them for a year. Everything else must be revalidated so a new deploy shows at once.
const IMMUTABLE: &str = "public, max-age=31536000, immutable";
const REVALIDATE: &str = "no-cache";

pub fn router(site: Option<&Path>) -> io::Result<Router> {
    let router = Router::new();
    let Some(dir) = site else {
        return Ok(with_security_headers(router));
    };
    let shell = dir.join("index.html");
    if !shell.is_file() {
        return Err(io::Error::new(
            io::ErrorKind::NotFound,
            format!(
                "{} has no index.html: build the site first (make build)",
                dir.display()
            ),
        ));
    }
    let files = ServeDir::new(dir)
        .append_index_html_on_directories(true)
        .fallback(axum::routing::get(app_shell).with_state(Arc::new(shell)));
    let router = router
        .fallback_service(files)
        .layer(middleware::from_fn(cache_control))
        .layer(CompressionLayer::new());
    Ok(with_security_headers(router))
}

fn with_security_headers(router: Router) -> Router {
    let headers = [
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        (header::REFERRER_POLICY, "strict-origin-when-cross-origin"),
        (header::X_FRAME_OPTIONS, "DENY"),
    ];
    headers.into_iter().fold(router, |router, (name, value)| {
        router.layer(SetResponseHeaderLayer::if_not_present(
            name,
            HeaderValue::from_static(value),
        ))
    })
}

/// The fallback for paths with no file behind them. A path that looks like a file (`/x.js`)
/// is a real 404, so a missing asset is not hidden behind the app shell; any other path is a
/// route of the app, which renders its own not-found page when it does not know it.
async fn app_shell(State(shell): State<Arc<PathBuf>>, request: Request) -> Response {
    let last = request.uri().path().rsplit('/').next().unwrap_or_default();
    if last.contains('.') {
        return (StatusCode::NOT_FOUND, "Not found").into_response();
    }
    match tokio::fs::read(shell.as_path()).await {
        Ok(html) => (
            [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
            Body::from(html),
        )
            .into_response(),
        Err(_) => (StatusCode::INTERNAL_SERVER_ERROR, "The site is not built").into_response(),
    }
}

async fn cache_control(request: Request, next: Next) -> Response {
    let immutable = is_hashed_asset(request.uri().path());
    let mut response = next.run(request).await;
    let policy = if immutable && response.status().is_success() {
        IMMUTABLE
    } else {
        REVALIDATE
    };
    response
        .headers_mut()
        .entry(header::CACHE_CONTROL)
        .or_insert(HeaderValue::from_static(policy));
    response
}

fn is_hashed_asset(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or_default();
    let stem = name.split('.').next().unwrap_or_default();
    stem.split(['-', '_'])
        .any(|part| (10..=16).contains(&part.len()) && part.bytes().all(|b| b.is_ascii_hexdigit()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recognises_trunk_hashed_file_names() {
        assert!(is_hashed_asset("/massage-site-6c1f2e7a9b3d4c5e_bg.wasm"));
        assert!(is_hashed_asset("/main-a1b2c3d4e5f6a7b8.css"));
        // Trunk does not zero-pad the hash.
        assert!(is_hashed_asset("/main-f648beb93c05556.css"));
        assert!(!is_hashed_asset("/index.html"));
        assert!(!is_hashed_asset("/articles/back-pain"));
        assert!(!is_hashed_asset("/favicon.svg"));
    }
}
