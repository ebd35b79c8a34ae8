//! Serves the built site (Trunk's `dist/`) like a static host would: every prerendered page
//! is a real file (`/articles/x` and `/articles/x/` are `articles/x/index.html`), the
//! self-check's steps get the bare app shell (`shell.html`), and any other address gets the
//! prerendered not-found page (`404.html`) with a 404 status.

use axum::Router;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use base64::Engine;
use sha2::{Digest, Sha256};
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use tower::Layer;
use tower_http::compression::CompressionLayer;
use tower_http::cors::{AllowOrigin, CorsLayer};
use tower_http::services::ServeDir;
use tower_http::set_header::SetResponseHeaderLayer;

/// Trunk names build outputs `name-<16 hex digits>.ext`; such files never change, so browsers
/// may keep them for a year. Everything else must be revalidated so a new deploy shows at once.
const IMMUTABLE: &str = "public, max-age=31536000, immutable";
const REVALIDATE: &str = "no-cache";

/// The built site's app shell: `shell.html`, which keeps Trunk's inline loader (prerendered
/// pages start the app from `start.js` instead), or `index.html` in a build that was not
/// prerendered. Its inline script is what the CSP allows by hash.
pub fn read_shell(dir: &Path) -> io::Result<String> {
    std::fs::read_to_string(dir.join("shell.html"))
        .or_else(|_| std::fs::read_to_string(dir.join("index.html")))
        .map_err(|_| {
            io::Error::new(
                io::ErrorKind::NotFound,
                format!(
                    "{} has no index.html: build the site first (make build)",
                    dir.display()
                ),
            )
        })
}

/// The booking endpoint, plus the built site (its folder and app shell) when given.
pub fn router(site: Option<(&Path, &str)>, endpoint: Router) -> Router {
    let Some((dir, html)) = site else {
        return with_security_headers(endpoint, None);
    };
    // The build writes `x.br` and `x.gz` beside each text file (site-build's `finish-site`):
    // they are sent as they are to browsers that accept them, so nothing is compressed per
    // request and brotli gets its best (slowest) level. Every file answer varies with
    // Accept-Encoding, so a shared cache never hands brotli to a browser that did not ask.
    let files = SetResponseHeaderLayer::if_not_present(
        header::VARY,
        HeaderValue::from_static("accept-encoding"),
    )
    .layer(
        ServeDir::new(dir)
            .append_index_html_on_directories(true)
            .precompressed_br()
            .precompressed_gzip()
            .fallback(axum::routing::get(not_a_file).with_state(Arc::new(dir.to_owned()))),
    );
    let router = endpoint
        .fallback_service(files)
        .layer(middleware::from_fn_with_state(
            Arc::new(dir.to_owned()),
            page_without_slash,
        ))
        .layer(middleware::from_fn(cache_control))
        .layer(CompressionLayer::new());
    with_security_headers(router, Some(content_security_policy(html)))
}

/// Lets a site on another origin post requests (its origin must be listed): the browser
/// asks first (a preflight), because of the JSON body and the Idempotency-Key header.
pub fn cors(origins: &[String]) -> CorsLayer {
    let origins: Vec<HeaderValue> = origins
        .iter()
        .filter_map(|o| HeaderValue::from_str(o).ok())
        .collect();
    CorsLayer::new()
        .allow_origin(AllowOrigin::list(origins))
        .allow_methods([axum::http::Method::POST])
        .allow_headers([
            header::CONTENT_TYPE,
            header::ACCEPT,
            axum::http::HeaderName::from_static("idempotency-key"),
        ])
        .expose_headers([header::RETRY_AFTER])
        .max_age(std::time::Duration::from_secs(3600))
}

/// A policy the site works under and little else does: scripts only from this origin (plus
/// Trunk's one inline loader, by hash, and WebAssembly), no plugins, no framing, no
/// injected forms or base URLs.
fn content_security_policy(index_html: &str) -> String {
    let inline: Vec<String> = inline_scripts(index_html)
        .map(|script| {
            format!(
                "'sha256-{}'",
                base64::engine::general_purpose::STANDARD.encode(Sha256::digest(script.as_bytes()))
            )
        })
        .collect();
    format!(
        "default-src 'self'; script-src 'self' 'wasm-unsafe-eval' {}; style-src 'self'; img-src 'self' data:; \
         connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'",
        inline.join(" ")
    )
}

/// The contents of inline <script> elements that run (not JSON-LD data blocks).
fn inline_scripts(html: &str) -> impl Iterator<Item = &str> {
    html.split("<script").skip(1).filter_map(|rest| {
        let (attributes, rest) = rest.split_once('>')?;
        if attributes.contains("src=") || attributes.contains("application/ld+json") {
            return None;
        }
        rest.split_once("</script>").map(|(body, _)| body)
    })
}

fn with_security_headers(router: Router, csp: Option<String>) -> Router {
    let headers = [
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        (header::REFERRER_POLICY, "strict-origin-when-cross-origin"),
        (header::X_FRAME_OPTIONS, "DENY"),
    ];
    let router = headers.into_iter().fold(router, |router, (name, value)| {
        router.layer(SetResponseHeaderLayer::if_not_present(
            name,
            HeaderValue::from_static(value),
        ))
    });
    match csp.and_then(|csp| HeaderValue::from_str(&csp).ok()) {
        Some(csp) => router.layer(SetResponseHeaderLayer::if_not_present(
            header::CONTENT_SECURITY_POLICY,
            csp,
        )),
        None => router,
    }
}

/// `/articles/x` is the page in `articles/x/index.html`, served as it is: a static file
/// server would redirect to `/articles/x/` first, a round trip on every first visit.
async fn page_without_slash(
    State(dir): State<Arc<PathBuf>>,
    mut request: Request,
    next: Next,
) -> Response {
    let path = request.uri().path();
    if !path.ends_with('/') && !looks_like_file(path) && !path.contains("..") {
        let page = massage_core::pages::prerendered_file(path);
        if tokio::fs::metadata(dir.join(&page))
            .await
            .is_ok_and(|m| m.is_file())
        {
            let query = request
                .uri()
                .query()
                .map(|q| format!("?{q}"))
                .unwrap_or_default();
            if let Ok(uri) = format!("{path}/{query}").parse() {
                *request.uri_mut() = uri;
            }
        }
    }
    next.run(request).await
}

/// The fallback for paths with no file behind them. A path that looks like a file (`/x.js`)
/// is a plain 404, so a missing asset is not hidden behind a page; a self-check step gets
/// the app shell; anything else is an unknown page: the not-found page, with a 404 status
/// so that search engines drop the address.
async fn not_a_file(State(dir): State<Arc<PathBuf>>, request: Request) -> Response {
    let path = request.uri().path();
    if looks_like_file(path) {
        return (StatusCode::NOT_FOUND, "Not found").into_response();
    }
    let (file, status) = if massage_core::pages::is_per_visitor(path.trim_end_matches('/')) {
        ("shell.html", StatusCode::OK)
    } else {
        ("404.html", StatusCode::NOT_FOUND)
    };
    match tokio::fs::read(dir.join(file)).await {
        Ok(html) => (
            status,
            [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
            Body::from(html),
        )
            .into_response(),
        Err(_) => (StatusCode::INTERNAL_SERVER_ERROR, "The site is not built").into_response(),
    }
}

/// Whether the path names a file (`/x.js`) rather than a page (`/articles/x`).
fn looks_like_file(path: &str) -> bool {
    path.rsplit('/').next().unwrap_or_default().contains('.')
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
    fn the_policy_allows_exactly_the_inline_loader() {
        let html = "<script type=\"module\">import init from '/a.js';</script><script src=\"/b.js\"></script>\
                    <script type=\"application/ld+json\">{}</script>";
        let scripts: Vec<&str> = inline_scripts(html).collect();
        assert_eq!(scripts, ["import init from '/a.js';"]);
        let csp = content_security_policy(html);
        let hash = base64::engine::general_purpose::STANDARD
            .encode(Sha256::digest(b"import init from '/a.js';"));
        assert!(csp.contains(&format!("'sha256-{hash}'")), "{csp}");
        assert!(
            csp.contains("frame-ancestors 'none'") && csp.contains("object-src 'none'"),
            "{csp}"
        );
    }

    #[test]
    fn the_policy_comes_from_the_shell_not_a_prerendered_page() {
        let dir = std::env::temp_dir().join(format!("site-shell-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(
            dir.join("index.html"),
            "<script type=\"module\" src=\"/start.js\"></script>",
        )
        .unwrap();
        assert!(
            read_shell(&dir).unwrap().contains("/start.js"),
            "without a shell: index.html"
        );
        std::fs::write(
            dir.join("shell.html"),
            "<script type=\"module\">import init from '/a.js';</script>",
        )
        .unwrap();
        let csp = content_security_policy(&read_shell(&dir).unwrap());
        std::fs::remove_dir_all(&dir).unwrap();
        assert!(
            csp.contains("'sha256-"),
            "Trunk's inline loader is allowed: {csp}"
        );
    }

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
