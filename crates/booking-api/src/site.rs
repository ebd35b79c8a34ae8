//! Serves the built site (Trunk's `dist/`) like a static host would: every prerendered page
//! is a real file (`/articles/x` and `/articles/x/` are `articles/x/index.html`, and so is
//! each self-check step), the self-check's result gets the bare app shell (`shell.html`),
//! and any other address (a step that does not exist too) gets the prerendered not-found
//! page (`404.html`) with a 404 status.

use crate::site_files::SiteFiles;
use axum::Router;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use massage_core::site_html::site_hashes;
use massage_core::site_policy::{
    Delivery, IMMUTABLE, REVALIDATE, SECURITY_HEADERS, content_security_policy, is_hashed_asset,
    policy_in_netlify_headers,
};
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use tower::{Layer, ServiceExt};
use tower_http::compression::CompressionLayer;
use tower_http::cors::{AllowOrigin, CorsLayer};
use tower_http::services::ServeDir;
use tower_http::set_header::SetResponseHeaderLayer;

/// The Content-Security-Policy header for the built site in `dir`: the site's one policy
/// (`massage_core::site_policy`), as the build wrote it into Netlify's `_headers`, so this
/// receiver and Netlify send the same. It allows the inline scripts and styles of every page
/// by hash, and the booking endpoint the site was built with; each page stays limited by its
/// own `<meta>` policy as well (a browser enforces both). A build without `_headers` (not
/// prerendered) gets the policy for its pages' inline code, with a same-origin endpoint.
pub(crate) fn read_policy(dir: &Path) -> io::Result<String> {
    if !dir.join("index.html").is_file() {
        return Err(io::Error::new(
            io::ErrorKind::NotFound,
            format!(
                "{} has no index.html: build the site first (make build)",
                dir.display()
            ),
        ));
    }
    if let Ok(headers) = std::fs::read_to_string(dir.join("_headers"))
        && let Some(policy) = policy_in_netlify_headers(&headers)
    {
        return Ok(policy.to_owned());
    }
    let inline = site_hashes(dir).map_err(io::Error::other)?;
    Ok(content_security_policy(&inline, "", Delivery::Header))
}

/// The booking endpoint, plus the built site when given: answered from memory
/// (`SiteFiles`), and from the folder for what is not held there.
pub(crate) fn router(site: Option<(&Path, Arc<SiteFiles>)>, endpoint: Router) -> Router {
    let Some((dir, files)) = site else {
        return with_security_headers(endpoint, None);
    };
    let policy = files.snapshot().policy().clone();
    // The build writes `x.br` and `x.gz` beside each text file (site-build's `finish-site`):
    // they are sent as they are to browsers that accept them, so nothing is compressed per
    // request and brotli gets its best (slowest) level. Every file answer varies with
    // Accept-Encoding, so a shared cache never hands brotli to a browser that did not ask.
    let on_disk = SetResponseHeaderLayer::if_not_present(
        header::VARY,
        HeaderValue::from_static("accept-encoding"),
    )
    .layer(
        ServeDir::new(dir)
            .append_index_html_on_directories(true)
            .precompressed_br()
            .precompressed_gzip()
            .fallback(axum::routing::get(not_a_file).with_state(files.clone())),
    );
    let on_disk = Router::new()
        .fallback_service(on_disk)
        .layer(middleware::from_fn_with_state(
            Arc::new(dir.to_owned()),
            page_without_slash,
        ));
    let files = Arc::new(Files {
        memory: files,
        on_disk,
    });
    let router = endpoint
        .fallback_service(axum::routing::any(from_memory).with_state(files))
        .layer(middleware::from_fn(cache_control))
        .layer(CompressionLayer::new());
    with_security_headers(router, Some(policy))
}

/// The site in memory, and the folder behind it.
struct Files {
    memory: Arc<SiteFiles>,
    on_disk: Router,
}

/// A GET or HEAD for a file held in memory is answered from there (no system call); anything
/// else goes to the folder, with its rules for pages and for what is not found.
async fn from_memory(State(files): State<Arc<Files>>, request: Request) -> Response {
    if matches!(*request.method(), Method::GET | Method::HEAD)
        && let Some((snapshot, file)) = files.memory.find(request.uri().path()).await
    {
        return snapshot.answer(&file, request.method(), request.headers());
    }
    match files.on_disk.clone().oneshot(request).await {
        Ok(response) => response,
        Err(never) => match never {},
    }
}

/// Lets a site on another origin post requests (its origin must be listed): the browser
/// asks first (a preflight), because of the JSON body and the Idempotency-Key header.
pub(crate) fn cors(origins: &[String]) -> CorsLayer {
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

fn with_security_headers(router: Router, csp: Option<HeaderValue>) -> Router {
    let router = SECURITY_HEADERS
        .into_iter()
        .fold(router, |router, (name, value)| {
            router.layer(SetResponseHeaderLayer::if_not_present(
                axum::http::HeaderName::try_from(name).expect("a valid header name"),
                HeaderValue::from_static(value),
            ))
        });
    match csp {
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
/// is a plain 404, so a missing asset is not hidden behind a page; the self-check's result
/// gets the app shell; anything else is an unknown page: the not-found page, with a 404 status
/// so that search engines drop the address.
async fn not_a_file(State(files): State<Arc<SiteFiles>>, request: Request) -> Response {
    let path = request.uri().path();
    if looks_like_file(path) {
        return (StatusCode::NOT_FOUND, "Not found").into_response();
    }
    let (file, status) = if massage_core::pages::is_per_visitor(path.trim_end_matches('/')) {
        ("shell.html", StatusCode::OK)
    } else {
        ("404.html", StatusCode::NOT_FOUND)
    };
    match files.find(&format!("/{file}")).await {
        Some((snapshot, html)) => (
            status,
            [
                (
                    header::CONTENT_TYPE,
                    HeaderValue::from_static("text/html; charset=utf-8"),
                ),
                (header::CONTENT_SECURITY_POLICY, snapshot.policy().clone()),
            ],
            Body::from(html.bytes()),
        )
            .into_response(),
        None => crate::logging::with_cause(
            (StatusCode::INTERNAL_SERVER_ERROR, "The site is not built").into_response(),
            format!("the site has no {file}"),
        ),
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_header_policy_allows_every_pages_inline_code_and_forbids_framing() {
        let dir = tempfile::tempdir().unwrap();
        assert!(read_policy(dir.path()).is_err(), "no site built");
        std::fs::write(
            dir.path().join("index.html"),
            "<script type=\"module\" data-app-js=\"/a.js\">start()</script><script type=\"application/ld+json\">{}</script>",
        )
        .unwrap();
        std::fs::write(
            dir.path().join("shell.html"),
            "<script type=\"module\">import init from '/a.js';</script>",
        )
        .unwrap();
        std::fs::create_dir(dir.path().join("book")).unwrap();
        std::fs::write(dir.path().join("book/index.html"), "<style>p{}</style>").unwrap();
        let csp = read_policy(dir.path()).unwrap();
        let sha = |text: &str| {
            use base64::Engine;
            use sha2::Digest;
            base64::engine::general_purpose::STANDARD.encode(sha2::Sha256::digest(text))
        };
        assert!(
            csp.contains(&format!("'sha256-{}'", sha("import init from '/a.js';"))),
            "Trunk's loader in the shell: {csp}"
        );
        assert!(
            csp.contains(&format!("style-src 'self' 'sha256-{}'", sha("p{}"))),
            "{csp}"
        );
        assert!(!csp.contains(&sha("{}")), "JSON-LD does not run: {csp}");
        assert!(csp.contains("frame-ancestors 'none'"), "{csp}");
        // The build's own file wins: Netlify and this receiver send the same policy.
        std::fs::write(
            dir.path().join("_headers"),
            massage_core::site_policy::netlify_headers("default-src 'none'", []),
        )
        .unwrap();
        assert_eq!(read_policy(dir.path()).unwrap(), "default-src 'none'");
    }
}
