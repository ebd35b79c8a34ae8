//! Asking the receiver which start times are free (`massage_core::booking::availability`),
//! so the booking form offers only those. Only this project's receiver answers it; with
//! another endpoint, or with no answer (offline, an error), the form offers every start of
//! the day and the receiver checks the times when the request arrives.

use super::{ENDPOINT, endpoint_kind};
use gloo_net::http::Request;
use massage_core::booking::availability::{self, Availability, AvailabilityQuery};
use massage_core::booking::endpoint::EndpointKind;

/// Where to ask, when the site sends requests to the receiver.
pub fn url() -> Option<String> {
    (endpoint_kind() == EndpointKind::Receiver)
        .then(|| availability::url(ENDPOINT))
        .flatten()
}

/// The receiver's free starts for `query`, or `None` when it did not answer with them.
pub async fn fetch(url: &str, query: &AvailabilityQuery) -> Option<Availability> {
    let response = Request::get(&format!("{url}?{}", query.query_string()))
        .send()
        .await
        .ok()?;
    if !response.ok() {
        return None;
    }
    response.json().await.ok()
}
