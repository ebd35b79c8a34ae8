//! The stale-calendar banner on every signed-in inbox page: while her calendar's feed has
//! not answered for a while (`crate::calendar_feed`), each page says so at the top. Set for
//! each request by a layer on the inbox's routes and read by `pages::layout`, so every page
//! (now and to come) shows it without each handler passing it on.

use super::Inbox;
use crate::api::now_seconds;
use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::Response;
use std::sync::Arc;

tokio::task_local! {
    static BANNER: Option<String>;
}

/// Runs the request with the feed's banner, if it is stale, in reach of `current`.
pub(super) async fn with_banner(
    State(inbox): State<Arc<Inbox>>,
    request: Request,
    next: Next,
) -> Response {
    let banner = inbox
        .api
        .calendar
        .as_ref()
        .and_then(|feed| feed.status(now_seconds()).banner());
    BANNER.scope(banner, next.run(request)).await
}

/// The banner for the page being rendered, if any.
pub(super) fn current() -> Option<String> {
    BANNER.try_with(Clone::clone).ok().flatten()
}
