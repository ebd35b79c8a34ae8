//! Where booking requests are sent from: the draft kept while typing, and the outbox that
//! delivers each request exactly once, retrying through bad connections.

pub mod availability;
pub mod draft;
pub mod outbox;

/// The endpoint requests are POSTed to, set when the site is built
/// (`BOOKING_ENDPOINT=https://… make build`); same-origin by default.
pub const ENDPOINT: &str = match option_env!("BOOKING_ENDPOINT") {
    Some(url) => url,
    None => "/api/booking-requests",
};

/// The kind of endpoint `ENDPOINT` is (`BOOKING_ENDPOINT_KIND=receiver|form-service|netlify`
/// at build time): how requests are encoded, and what its answers mean. `build.rs` has
/// already refused any other value, naming it.
pub fn endpoint_kind() -> massage_core::booking::endpoint::EndpointKind {
    massage_core::booking::endpoint::EndpointKind::parse(env!("BOOKING_ENDPOINT_KIND"))
        .unwrap_or(massage_core::booking::endpoint::EndpointKind::Receiver)
}
