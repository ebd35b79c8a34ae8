//! E-mails the therapist about each stored request, when SMTP is configured. Sending happens
//! after the request is stored and answered, so a slow or failed e-mail never loses or
//! delays a request: failures are recorded and retried later. Health details are never put
//! in an e-mail (the therapist reads them in the inbox). The same worker sends the client's
//! e-mails (client_mail.rs), retried the same way.

use crate::api::Api;
use crate::client_mail::{self, ClientMessage};
use crate::store::Unnotified;
use lettre::message::header::ContentType;
use lettre::message::{Attachment, Mailbox, MultiPart, SinglePart};
use lettre::transport::smtp::authentication::Credentials;
use lettre::{Message, SmtpTransport, Transport};
use massage_core::booking::{BookingRequest, Location};
use massage_core::calendar::utc_timestamp;
use std::sync::Arc;
use std::time::Duration;

/// Failed sends are retried after 1, 2, 4 ... minutes, at most every 6 hours, for about a
/// week (30 attempts); then the request stays stored and `booking-api requests` shows it
/// was never e-mailed, and the log says so.
const MAX_ATTEMPTS: u32 = 30;
const MAX_BACKOFF_SECONDS: i64 = 6 * 3600;

pub(crate) struct Mailer {
    transport: SmtpTransport,
    from: Mailbox,
    to: Mailbox,
    retry_every: Duration,
}

impl Mailer {
    /// `None` when SMTP_HOST or NOTIFY_TO is unset (notifications are optional).
    pub(crate) fn from_env(env: impl Fn(&str) -> Option<String>) -> Result<Option<Self>, String> {
        let (Some(host), Some(to)) = (env("SMTP_HOST"), env("NOTIFY_TO")) else {
            return Ok(None);
        };
        let to: Mailbox = to.parse().map_err(|e| format!("NOTIFY_TO: {e}"))?;
        let from: Mailbox = env("SMTP_FROM")
            .unwrap_or_else(|| to.to_string())
            .parse()
            .map_err(|e| format!("SMTP_FROM: {e}"))?;
        let tls = env("SMTP_TLS").unwrap_or_else(|| "starttls".into());
        let mut builder = match tls.as_str() {
            "none" => SmtpTransport::builder_dangerous(&host),
            "starttls" => {
                SmtpTransport::starttls_relay(&host).map_err(|e| format!("SMTP_HOST: {e}"))?
            }
            "tls" => SmtpTransport::relay(&host).map_err(|e| format!("SMTP_HOST: {e}"))?,
            other => return Err(format!("SMTP_TLS `{other}` must be none, starttls or tls")),
        };
        if let Some(port) = env("SMTP_PORT") {
            builder = builder.port(
                port.parse()
                    .map_err(|_| format!("SMTP_PORT `{port}` is not a port number"))?,
            );
        }
        if let (Some(user), Some(password)) = (env("SMTP_USERNAME"), env("SMTP_PASSWORD")) {
            builder = builder.credentials(Credentials::new(user, password));
        }
        let retry_every = env("NOTIFY_RETRY_SECONDS")
            .and_then(|s| s.parse().ok())
            .unwrap_or(60);
        Ok(Some(Self {
            transport: builder.timeout(Some(Duration::from_secs(20))).build(),
            from,
            to,
            retry_every: Duration::from_secs(retry_every),
        }))
    }
}

/// Sends what is pending now, whenever a request is stored, and again every `retry_every`.
pub(crate) async fn run(api: Arc<Api>, mailer: Mailer) {
    let mailer = Arc::new(mailer);
    loop {
        let (api2, mailer2) = (api.clone(), mailer.clone());
        let _ = tokio::task::spawn_blocking(move || send_pending(&api2, &mailer2)).await;
        tokio::select! {
            () = api.stored.notified() => {}
            () = tokio::time::sleep(mailer.retry_every) => {}
        }
    }
}

/// When to try a failed send again: after 1, 2, 4 ... times `retry_every`, at most every
/// 6 hours.
fn next_attempt(mailer: &Mailer, now: i64, attempts_before: u32) -> String {
    let wait = (mailer.retry_every.as_secs() as i64)
        .saturating_mul(1 << attempts_before.min(20))
        .min(MAX_BACKOFF_SECONDS);
    utc_timestamp(now + wait)
}

impl Mailer {
    /// Sends a message that could be put together; either failure is one to retry later.
    fn send(&self, message: Result<Message, String>) -> Result<(), String> {
        self.transport
            .send(&message?)
            .map(|_| ())
            .map_err(|e| e.to_string())
    }
}

fn send_pending(api: &Api, mailer: &Mailer) {
    send_to_therapist(api, mailer);
    send_to_clients(api, mailer);
}

fn send_to_clients(api: &Api, mailer: &Mailer) {
    let now = crate::api::now_seconds();
    let Ok(pending) = api
        .store
        .unsent_client_emails(MAX_ATTEMPTS, &utc_timestamp(now))
    else {
        return;
    };
    let from_email = mailer.from.email.to_string();
    let context = client_mail::Context {
        catalog: &api.catalog,
        public_url: api.public_url.as_deref(),
        in_call_address: api.in_call_address.as_deref(),
        from_email: &from_email,
    };
    for email in pending {
        let reference = &email.request.reference;
        let Some(composed) = client_mail::compose(
            &context,
            &email.kind,
            &email.request,
            email.message.as_deref(),
        ) else {
            // Nothing to send (no address): recorded as done so it is not tried again.
            let _ = api
                .store
                .mark_client_email(email.id, Ok(&utc_timestamp(now)));
            continue;
        };
        let result = mailer.send(client_message(mailer, composed));
        match result {
            Ok(()) => {
                let _ = api
                    .store
                    .mark_client_email(email.id, Ok(&utc_timestamp(crate::api::now_seconds())));
            }
            Err(e) => {
                let next = next_attempt(mailer, now, email.attempts);
                eprintln!(
                    "booking-api: could not send the {} e-mail for request {reference} (attempt {}, next at {next}): {e}",
                    email.kind,
                    email.attempts + 1
                );
                let _ = api.store.mark_client_email(email.id, Err((&e, &next)));
            }
        }
    }
}

/// The client's e-mail, from the practice, with replies going to the therapist.
fn client_message(mailer: &Mailer, composed: ClientMessage) -> Result<Message, String> {
    let to: Mailbox = composed.to.parse().map_err(|e| format!("{e}"))?;
    let builder = Message::builder()
        .from(mailer.from.clone())
        .reply_to(mailer.to.clone())
        .to(to)
        .subject(composed.subject);
    let message = match composed.ics {
        // A declared charset, so a pound sign or an accented name reads as written.
        None => builder.singlepart(SinglePart::plain(composed.body)),
        Some(ics) => {
            let calendar = ContentType::parse("text/calendar; charset=utf-8; method=REQUEST")
                .map_err(|e| e.to_string())?;
            builder.multipart(
                MultiPart::mixed()
                    .singlepart(SinglePart::plain(composed.body))
                    .singlepart(Attachment::new("invite.ics".into()).body(ics, calendar)),
            )
        }
    };
    message.map_err(|e| e.to_string())
}

fn send_to_therapist(api: &Api, mailer: &Mailer) {
    let now = crate::api::now_seconds();
    let Ok(pending) = api.store.unnotified(MAX_ATTEMPTS, &utc_timestamp(now)) else {
        return;
    };
    for request in pending {
        let result = mailer.send(message(api, mailer, &request));
        match result {
            Ok(()) => {
                let _ = api
                    .store
                    .mark_notified(request.id, Ok(&utc_timestamp(crate::api::now_seconds())));
            }
            Err(e) => {
                let attempt = request.attempts + 1;
                let next = next_attempt(mailer, now, request.attempts);
                if attempt >= MAX_ATTEMPTS {
                    eprintln!(
                        "booking-api: GIVING UP e-mailing request {} after {attempt} attempts: {e}",
                        request.reference
                    );
                } else {
                    eprintln!(
                        "booking-api: could not e-mail request {} (attempt {attempt}, next at {next}): {e}",
                        request.reference
                    );
                }
                let _ = api.store.mark_notified(request.id, Err((&e, &next)));
            }
        }
    }
}

fn message(api: &Api, mailer: &Mailer, stored: &Unnotified) -> Result<Message, String> {
    let request: BookingRequest =
        serde_json::from_str(&stored.request_json).map_err(|e| e.to_string())?;
    let service = api
        .catalog
        .service(&request.service_id)
        .map_or(request.service_id.as_str(), |s| s.name.as_str());
    let mut body = format!(
        "New booking request {reference}, received {received}.\n\n\
         Treatment: {service}, {minutes} minutes\n\
         Where: {place}\n\
         Preferred times (London): {times}\n\n\
         Name: {name}\nE-mail: {email}\nPhone: {phone}\n",
        reference = stored.reference,
        received = stored.received_at,
        minutes = request.minutes,
        place = match request.location {
            Location::InCall => "in-call".to_owned(),
            Location::Outcall => format!("outcall, {}, {}", request.address, request.postcode),
        },
        times = request.preferred_times.join(", "),
        name = request.name,
        email = if request.email.is_empty() {
            "-"
        } else {
            &request.email
        },
        phone = if request.phone.is_empty() {
            "-"
        } else {
            &request.phone
        },
    );
    if !request.notes.is_empty() {
        body.push_str(&format!("\nNotes:\n{}\n", request.notes));
    }
    if request.health.is_some() {
        body.push_str("\nA health summary was attached with consent. It is not sent by e-mail: read it in the inbox.\n");
    }
    match &api.public_url {
        Some(url) => body.push_str(&format!(
            "\nRead it, confirm or decline: {url}/inbox/requests/{}\n",
            stored.reference
        )),
        None => body.push_str("\nRead it, confirm or decline in the inbox (/inbox).\n"),
    }
    Message::builder()
        .from(mailer.from.clone())
        .to(mailer.to.clone())
        .subject(format!("Booking request {} ({service})", stored.reference))
        .singlepart(SinglePart::plain(body))
        .map_err(|e| e.to_string())
}
