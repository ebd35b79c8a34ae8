//! `POST /api/booking-requests`: the one address both kinds of booking post arrive at, a
//! plain HTML form (plain_form.rs, answered with pages) or the JSON contract (api.rs). Told
//! apart here, above both, so neither module needs the other: the plain form is stored by
//! the JSON path's `store_once`, and the JSON path knows nothing of forms.

use crate::api::{self, Api};
use crate::plain_form;
use axum::extract::{ConnectInfo, Request, State};
use axum::response::Response;
use std::net::SocketAddr;
use std::sync::Arc;

pub(crate) async fn submit(
    State(api): State<Arc<Api>>,
    ConnectInfo(client): ConnectInfo<SocketAddr>,
    request: Request,
) -> Response {
    let (parts, body) = request.into_parts();
    if plain_form::is_form(&parts) {
        plain_form::submit(api, client, parts, body).await
    } else {
        api::submit(api, client, parts, body).await
    }
}
