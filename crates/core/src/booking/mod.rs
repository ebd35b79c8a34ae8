//! Booking requests: the one definition of what the form sends and what the receiver
//! accepts, and the rules both apply (the form as the visitor types, the receiver because it
//! trusts nothing it is sent). A request, not a booking: the therapist confirms by phone or
//! e-mail.
//!
//! - `request`: the request and error types (the JSON the endpoint receives and answers)
//! - `validate`: every rule, with messages written for the visitor
//! - `form`: the booking form's state without a browser (draft, when errors show, focus)
//! - `london_time`: London local times and the UK clock changes
//! - `availability`: which start times are free, as the booking page asks the receiver
//! - `deadlines`: after the request: when it expires unanswered, when the reminder is due,
//!   until when the client may cancel or move online
//! - `contact`: e-mail, UK phone and postcode formats
//! - `endpoint`: the kinds of endpoint a request can be sent to, and how each is spoken to
//! - `plain_form`: the request as a plain HTML form posts it (`form_page`: the receiver's
//!   answer pages to such a post, native only)

pub mod availability;
pub mod contact;
pub mod deadlines;
pub mod endpoint;
#[cfg(test)]
pub(crate) mod fixtures;
pub mod form;
#[cfg(feature = "html")]
pub mod form_page;
pub mod london_time;
pub mod plain_form;
pub mod request;
pub mod validate;

pub use request::{BookingRequest, Consent, FieldError, HealthSummary, Location};
pub use validate::validate;
