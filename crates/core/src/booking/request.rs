//! The booking request as sent (JSON), its health summary and consent, and the answers the
//! receiver gives: the one definition the app, the plain form and the receiver share.

use serde::{Deserialize, Serialize};

/// What the booking form POSTs as JSON (see docs/booking-api.md and
/// docs/booking-request.schema.json). Optional text fields may be absent or empty.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BookingRequest {
    /// A service id from content/services.toml.
    pub service_id: String,
    /// One of that service's lengths.
    pub minutes: u16,
    /// In-call or outcall.
    pub location: Location,
    /// Outcall only: where to come to.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub address: String,
    /// Outcall only: a London postcode.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub postcode: String,
    /// One to three London local start times, `2026-12-01T18:00`.
    pub preferred_times: Vec<String>,
    /// Always `Europe/London`: the times above are London wall-clock times.
    #[serde(default = "london")]
    pub time_zone: String,
    /// The client's name.
    pub name: String,
    /// Where to reply by e-mail; a request needs this, a phone number, or both.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub email: String,
    /// A UK phone number to reply to; a request needs this, an e-mail address, or both.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub phone: String,
    /// Anything else the client wants the therapist to know.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub notes: String,
    /// Only with explicit consent (special category data under UK GDPR).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub health: Option<HealthSummary>,
    /// A field people never see or fill in; anything here means a bot.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub website: String,
}

impl Default for BookingRequest {
    /// An empty request, in London time like every request.
    fn default() -> Self {
        Self {
            service_id: String::new(),
            minutes: 0,
            location: Location::InCall,
            address: String::new(),
            postcode: String::new(),
            preferred_times: Vec::new(),
            time_zone: london(),
            name: String::new(),
            email: String::new(),
            phone: String::new(),
            notes: String::new(),
            health: None,
            website: String::new(),
        }
    }
}

fn london() -> String {
    super::london_time::ZONE.to_owned()
}

/// Where the session happens.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Location {
    /// At the therapist's treatment room.
    #[default]
    InCall,
    /// The therapist travels to the client.
    Outcall,
}

/// A short summary of health answers (e.g. from the self-check) and the consent to send it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HealthSummary {
    /// The answers as lines of text (see `SelfCheckRules::booking_summary`).
    pub summary: String,
    /// The consent that lets the summary be sent.
    pub consent: Consent,
}

/// Explicit consent: which wording was agreed to, and when (UTC, RFC 3339).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Consent {
    /// Must be `true`: unticked means no consent, and no summary may be sent.
    pub given: bool,
    /// The `CONSENT_VERSION` of the wording agreed to.
    pub text_version: String,
    /// When the box was ticked, UTC, RFC 3339.
    pub given_at: String,
}

/// The consent statement, separate from everything else and never pre-ticked. Bump the
/// version whenever the wording changes: each request records the version agreed to.
pub const CONSENT_VERSION: &str = "health-2026-11";

/// The consent statement shown beside the checkbox, naming the therapist.
pub fn consent_text(therapist: &str) -> String {
    format!(
        "I agree that {therapist} may use the health information above to plan a safe treatment for me. \
         I understand I can withdraw this consent at any time by e-mail, and that it is deleted with my request."
    )
}

/// A problem with one field: `field` names it as the form does, `code` is for programs,
/// `message` is for the visitor. The endpoint answers 422 with `{"errors": [...]}`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldError {
    /// The form's name for the field, e.g. `email` or `preferred_times.1`.
    pub field: String,
    /// A stable name for the problem, for programs (e.g. `required`).
    pub code: String,
    /// What to change, in words for the visitor.
    pub message: String,
}

impl FieldError {
    /// An error about `field` with a program `code` and a visitor `message`.
    pub fn new(field: impl Into<String>, code: &str, message: impl Into<String>) -> Self {
        Self {
            field: field.into(),
            code: code.to_owned(),
            message: message.into(),
        }
    }
}

/// The body of every error response.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorBody {
    /// Every problem found, in the form's field order.
    pub errors: Vec<FieldError>,
}

/// The body of a 201 response.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Accepted {
    /// Short, readable over the phone: `AM-7K3Q-9XPD`.
    pub reference: String,
    /// When the receiver stored the request, UTC, RFC 3339.
    pub received_at: String,
}

/// The form's field names, in the order the form shows them (used to order errors and to
/// move focus to the first one).
pub const FIELDS: [&str; 12] = [
    "service_id",
    "minutes",
    "location",
    "address",
    "postcode",
    "preferred_times",
    "name",
    "email",
    "phone",
    "notes",
    "health_summary",
    "health_consent",
];

/// Sorts `errors` into the order the form shows the fields (a time's errors, named
/// `preferred_times.N`, go with the times), so the first error is the first on screen.
pub fn in_form_order(errors: &mut [FieldError]) {
    errors.sort_by_key(|e| {
        FIELDS
            .iter()
            .position(|f| e.field.starts_with(f))
            .unwrap_or(FIELDS.len())
    });
}
