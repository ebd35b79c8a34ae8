//! Where a booking request can be sent, and how each kind of endpoint is spoken to: one
//! definition per kind of the encoding, the headers, what counts as accepted, which answers
//! may be retried and how error answers become messages next to fields.
//!
//! - `receiver`: this project's own contract (docs/booking-api.md): JSON, an
//!   `Idempotency-Key` header, 201 with a reference. Exactly once: every retry carries the key.
//! - `form-service`: a Formspree-style hosted form back-end. Form-encoded with
//!   `Accept: application/json`, so the browser sends no CORS preflight (many services allow
//!   no custom header in one); 2xx is success, 4xx carries `{"errors": [...]}`.
//! - `netlify`: Netlify Forms, form-encoded to the site itself with `form-name`.
//!
//! The hosted kinds have no idempotency: the request carries its key and a reference made from
//! it in the body, so a duplicate is visible to the therapist, and it is retried only when no
//! answer came back at all, never after one.

use super::plain_form::{self, Pairs};
use super::request::{Accepted, BookingRequest, ErrorBody, FieldError};
use serde::Deserialize;

/// The name of the form Netlify detects in the prerendered booking page.
pub const NETLIFY_FORM_NAME: &str = "booking";

/// The kind of endpoint the site sends booking requests to, chosen at build time.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EndpointKind {
    /// The reference receiver (crates/booking-api) or anything that speaks its contract.
    Receiver,
    /// A Formspree-style hosted form service.
    FormService,
    /// Netlify Forms on the site's own host.
    Netlify,
}

/// What to send, ready for `fetch`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Outgoing {
    /// The body's media type.
    pub content_type: &'static str,
    /// Headers besides `Content-Type`.
    pub headers: Vec<(&'static str, String)>,
    /// The encoded request.
    pub body: String,
}

/// How the endpoint answered one attempt.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Answer<'a> {
    /// Nothing came back: offline, a dropped connection, a timeout, a CORS refusal.
    None,
    /// An HTTP answer arrived.
    Status {
        /// The HTTP status code.
        status: u16,
        /// The response body, to read a reference or field errors from.
        body: &'a str,
        /// `Retry-After` in seconds, when the answer had one.
        retry_after: Option<u64>,
    },
}

/// What the outbox does after an attempt.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Verdict {
    /// Received: the reference to show the visitor.
    Accepted(Accepted),
    /// Refused: these fields need changing (or, with `field` `WHOLE_FORM`, the whole request).
    Rejected(Vec<FieldError>),
    /// Try again after the usual backoff.
    Retry,
    /// Try again after this many seconds.
    RetryAfter(u64),
}

/// The field an error about the request as a whole is shown against (next to the send
/// button), as the receiver's own whole-request errors are.
pub const WHOLE_FORM: &str = "request";

impl EndpointKind {
    /// Reads `BOOKING_ENDPOINT_KIND` as written at build time (empty: the receiver).
    pub fn parse(text: &str) -> Result<Self, String> {
        match text.trim() {
            "" | "receiver" => Ok(Self::Receiver),
            "form-service" => Ok(Self::FormService),
            "netlify" => Ok(Self::Netlify),
            other => Err(format!(
                "BOOKING_ENDPOINT_KIND is {other:?}: use receiver, form-service or netlify"
            )),
        }
    }

    /// The name `BOOKING_ENDPOINT_KIND` uses for this kind (see `parse`).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Receiver => "receiver",
            Self::FormService => "form-service",
            Self::Netlify => "netlify",
        }
    }

    /// Whether requests of this kind may carry the self-check's health summary. Hosted
    /// services e-mail each submission to the therapist, and health details never go in an
    /// e-mail; only the receiver keeps them behind her sign-in.
    pub fn carries_health(self) -> bool {
        self == Self::Receiver
    }

    /// The name of the field people never see, as this kind's spam filter knows it:
    /// Formspree-style services drop a submission whose `_gotcha` is filled in; Netlify is
    /// told the name by the form's `netlify-honeypot` attribute; the receiver reads `website`.
    pub fn honeypot_name(self) -> &'static str {
        match self {
            Self::FormService => "_gotcha",
            Self::Receiver | Self::Netlify => plain_form::HONEYPOT,
        }
    }

    /// The request as this kind of endpoint wants it. `key` is the request's idempotency key,
    /// the same on every attempt.
    pub fn encode(self, request: &BookingRequest, key: &str) -> Outgoing {
        match self {
            Self::Receiver => Outgoing {
                content_type: "application/json",
                headers: vec![
                    ("Accept", "application/json".into()),
                    ("Idempotency-Key", key.to_owned()),
                ],
                // Serialising a plain struct of strings and numbers cannot fail.
                body: serde_json::to_string(request).unwrap_or_default(),
            },
            Self::FormService => Outgoing {
                content_type: plain_form::CONTENT_TYPE,
                headers: vec![("Accept", "application/json".into())],
                body: plain_form::encode(&hosted_pairs(request, key, self)),
            },
            Self::Netlify => Outgoing {
                content_type: plain_form::CONTENT_TYPE,
                headers: vec![],
                body: plain_form::encode(&hosted_pairs(request, key, self)),
            },
        }
    }

    /// What to do after an attempt that got `answer`. `key` makes the reference a hosted
    /// service does not give.
    pub fn interpret(self, answer: Answer<'_>, key: &str) -> Verdict {
        let Answer::Status {
            status,
            body,
            retry_after,
        } = answer
        else {
            // Unknown whether it arrived: the receiver replays by key; a hosted service shows
            // the therapist the key twice at worst.
            return Verdict::Retry;
        };
        match self {
            Self::Receiver => match status {
                201 => serde_json::from_str(body)
                    .map(Verdict::Accepted)
                    // Stored, but the answer was garbled: the same key gets it again.
                    .unwrap_or(Verdict::Retry),
                400 | 413 | 415 | 422 => Verdict::Rejected(
                    serde_json::from_str::<ErrorBody>(body)
                        .map(|b| b.errors)
                        .unwrap_or_default(),
                ),
                429 => Verdict::RetryAfter(retry_after.unwrap_or(30)),
                // 409 (the first attempt is still in progress) and 5xx: the key makes it safe.
                _ => Verdict::Retry,
            },
            Self::FormService | Self::Netlify => match status {
                200..=299 => Verdict::Accepted(hosted_acceptance(key)),
                // Refused before it was stored: sending again cannot duplicate it.
                429 => Verdict::RetryAfter(retry_after.unwrap_or(60)),
                400..=499 => Verdict::Rejected(service_errors(body)),
                // An answer came back, so the request may be stored: never send it again.
                _ => Verdict::Rejected(vec![FieldError::new(
                    WHOLE_FORM,
                    "service_error",
                    "The booking service had a problem and may not have your request. \
                     Please wait a few minutes before sending it again, or call or e-mail instead.",
                )]),
            },
        }
    }
}

/// The reference shown for a request to a hosted service: made from its key, and sent in the
/// body, so the visitor and the therapist see the same one.
pub fn reference_from_key(key: &str) -> String {
    let hex: String = key
        .chars()
        .filter(char::is_ascii_hexdigit)
        .map(|c| c.to_ascii_uppercase())
        .collect();
    let part = |range: std::ops::Range<usize>| hex.get(range).unwrap_or("0000").to_owned();
    format!("AM-{}-{}", part(0..4), part(4..8))
}

fn hosted_acceptance(key: &str) -> Accepted {
    Accepted {
        reference: reference_from_key(key),
        received_at: String::new(),
    }
}

/// A hosted request's fields: the plain form's, plus its reference and key.
fn hosted_pairs(request: &BookingRequest, key: &str, kind: EndpointKind) -> Pairs {
    let mut pairs = Pairs::new();
    if kind == EndpointKind::Netlify {
        pairs.push(("form-name".into(), NETLIFY_FORM_NAME.into()));
    }
    pairs.push(("reference".into(), reference_from_key(key)));
    pairs.push(("idempotency_key".into(), key.into()));
    // Health details never go to a hosted service (see `carries_health`).
    let without_health = BookingRequest {
        health: None,
        ..request.clone()
    };
    let fields = plain_form::to_pairs(&without_health).into_iter();
    pairs.extend(
        fields.map(|(name, value)| match name == plain_form::HONEYPOT {
            true => (kind.honeypot_name().into(), value),
            false => (name, value),
        }),
    );
    pairs
}

/// A Formspree-style error body: `{"error": "...", "errors": [{"code", "field", "message"}]}`.
#[derive(Deserialize)]
struct ServiceErrors {
    #[serde(default)]
    error: Option<String>,
    #[serde(default)]
    errors: Vec<ServiceError>,
}

#[derive(Deserialize)]
struct ServiceError {
    #[serde(default)]
    code: Option<String>,
    #[serde(default)]
    field: Option<String>,
    #[serde(default)]
    message: Option<String>,
}

/// A hosted service's refusal as messages: each error against the form field it names (the
/// plain form's names map back to the form's), the rest against the whole form.
fn service_errors(body: &str) -> Vec<FieldError> {
    let parsed: ServiceErrors = serde_json::from_str(body).unwrap_or(ServiceErrors {
        error: None,
        errors: Vec::new(),
    });
    let mut errors: Vec<FieldError> = parsed
        .errors
        .into_iter()
        .map(|e| {
            let field = e
                .field
                .as_deref()
                .and_then(plain_form::field_for_name)
                .unwrap_or(WHOLE_FORM);
            let code = e.code.unwrap_or_else(|| "refused".into()).to_lowercase();
            let message = match (field, e.message) {
                (WHOLE_FORM, Some(m)) => format!("The booking service refused the request: {m}"),
                (_, Some(m)) => format!("The booking service says this {m}."),
                (_, None) => "The booking service refused this field.".into(),
            };
            FieldError::new(field, &code, message)
        })
        .collect();
    if errors.is_empty() {
        let detail = parsed.error.unwrap_or_default();
        errors.push(FieldError::new(
            WHOLE_FORM,
            "refused",
            if detail.is_empty() {
                "The booking service refused the request. Please call or e-mail instead.".into()
            } else {
                format!("The booking service refused the request: {detail}")
            },
        ));
    }
    errors
}

#[cfg(test)]
mod tests;
