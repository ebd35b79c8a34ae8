//! What every page the receiver renders for one person has in common: the therapist's inbox
//! and a client's own booking page. They are never cached (a shared phone's back button, a
//! proxy), never indexed, send no address on to another site, and allow no script at all:
//! every value in them is escaped by `maud`, and the policy would stop anything that slipped.

use axum::Router;
use axum::http::{HeaderName, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use maud::{Markup, html};
use tower_http::set_header::SetResponseHeaderLayer;

/// No script, styles and images from this site only, forms posting only here.
const CSP: &str = "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; \
                   frame-ancestors 'none'; base-uri 'none'";

/// `router`'s answers with the headers above.
pub(crate) fn private(router: Router) -> Router {
    let header = |name: HeaderName, value: &'static str| {
        SetResponseHeaderLayer::overriding(name, HeaderValue::from_static(value))
    };
    router
        .layer(header(header::CACHE_CONTROL, "no-store"))
        .layer(header(
            HeaderName::from_static("x-robots-tag"),
            "noindex, nofollow",
        ))
        .layer(header(header::CONTENT_SECURITY_POLICY, CSP))
        .layer(header(header::REFERRER_POLICY, "same-origin"))
}

/// An HTML page with its status.
pub(crate) fn page(status: StatusCode, markup: Markup) -> Response {
    (
        status,
        [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
        markup.into_string(),
    )
        .into_response()
}

/// The `<head>`: the inbox's stylesheet and icon serve both kinds of page. `title` is the
/// whole title.
pub(crate) fn head(title: &str) -> Markup {
    html! {
        head {
            meta charset="utf-8";
            meta name="viewport" content="width=device-width, initial-scale=1";
            meta name="robots" content="noindex, nofollow";
            meta name="color-scheme" content="light dark";
            title { (title) }
            link rel="icon" href="/inbox/icon.svg";
            link rel="stylesheet" href="/inbox/inbox.css";
        }
    }
}
