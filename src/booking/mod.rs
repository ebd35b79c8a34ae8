//! Where booking requests are sent from: the draft kept while typing, and the outbox that
//! delivers each request exactly once, retrying through bad connections.

pub mod draft;
pub mod outbox;

/// The endpoint requests are POSTed to, set when the site is built
/// (`BOOKING_ENDPOINT=https://… make build`); same-origin by default.
pub const ENDPOINT: &str = match option_env!("BOOKING_ENDPOINT") {
    Some(url) => url,
    None => "/api/booking-requests",
};
