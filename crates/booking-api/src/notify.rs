//! E-mails the therapist about each stored request, when SMTP is configured. Sending happens
//! after the request is stored and answered, so a slow or failed e-mail never loses or
//! delays a request: failures are recorded and retried later. Health details are never put
//! in an e-mail (the therapist reads them in the inbox). The same worker sends the client's
//! e-mails (client_mail.rs, change_mail.rs: reminders among them, each when it falls due) and
//! the therapist's notices of a client's change, retried the same way.

use crate::api::Api;
use crate::change_mail;
use crate::client_mail::{self, ClientMessage};
use crate::store::{ClientEmail, Unnotified};
use lettre::message::header::ContentType;
use lettre::message::{Attachment, Mailbox, MultiPart, SinglePart};
use lettre::transport::smtp::authentication::Credentials;
use lettre::{Message, SmtpTransport, Transport};
use massage_core::booking::{BookingRequest, Location};
use massage_core::calendar::{utc_seconds, utc_timestamp};
use std::sync::Arc;
use std::time::Duration;

/// Failed sends are retried after 1, 2, 4 ... minutes, at most every 6 hours, for about a
/// week (30 attempts); then the request stays stored and `booking-api requests` shows it
/// was never e-mailed, the log says so, and the therapist is told once.
const MAX_ATTEMPTS: u32 = 30;
const MAX_BACKOFF_SECONDS: i64 = 6 * 3600;

pub(crate) struct Mailer {
    transport: SmtpTransport,
    from: Mailbox,
    to: Mailbox,
    retry_every: Duration,
    /// How often a message is tried before it is given up on.
    pub(crate) max_attempts: u32,
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
        // Both for tests: giving up after a week of retries cannot be waited for.
        let retry_every = env("NOTIFY_RETRY_SECONDS")
            .and_then(|s| s.parse().ok())
            .unwrap_or(60);
        let max_attempts = env("NOTIFY_MAX_ATTEMPTS")
            .and_then(|s| s.parse().ok())
            .filter(|&n| n > 0)
            .unwrap_or(MAX_ATTEMPTS);
        Ok(Some(Self {
            transport: builder.timeout(Some(Duration::from_secs(20))).build(),
            from,
            to,
            retry_every: Duration::from_secs(retry_every),
            max_attempts,
        }))
    }
}

/// Sends what is pending now, whenever a request is stored or changed, when the next e-mail
/// falls due (a reminder, a retry), and at least every `retry_every`.
pub(crate) async fn run(api: Arc<Api>, mailer: Arc<Mailer>) {
    loop {
        let (api2, mailer2) = (api.clone(), mailer.clone());
        let _ = tokio::task::spawn_blocking(move || send_pending(&api2, &mailer2)).await;
        let attempts = mailer.max_attempts;
        let now = utc_timestamp(crate::api::now_seconds());
        let next = api
            .store
            .call(move |s| s.next_email_due(attempts, &now))
            .await;
        let wait = match next.ok().flatten().as_deref().and_then(utc_seconds) {
            Some(due) => Duration::from_secs(
                u64::try_from(due - crate::api::now_seconds())
                    .unwrap_or(0)
                    .max(1),
            )
            .min(mailer.retry_every),
            None => mailer.retry_every,
        };
        tokio::select! {
            () = api.stored.notified() => {}
            () = tokio::time::sleep(wait) => {}
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
    /// A plain-text message to the therapist.
    fn to_therapist(&self, subject: String, body: String) -> Result<Message, String> {
        Message::builder()
            .from(self.from.clone())
            .to(self.to.clone())
            .subject(subject)
            .singlepart(SinglePart::plain(body))
            .map_err(|e| e.to_string())
    }

    /// Sends a message that could be put together; either failure is one to retry later.
    fn send(&self, message: Result<Message, String>) -> Result<(), String> {
        self.transport
            .send(&message?)
            .map(|_| ())
            .map_err(|e| e.to_string())
    }

    /// Tells the therapist that something needs her (a backup failed, an e-mail was given
    /// up on) at once: sent now, not queued, and the log says whether it went. The caller
    /// makes sure it is said once. Blocks: call it off the async threads.
    pub(crate) fn alert(&self, subject: &str, body: &str) {
        let message = self.to_therapist(format!("Booking site: {subject}"), body.to_owned());
        match self.send(message) {
            Ok(()) => tracing::info!(subject, "the therapist was e-mailed"),
            Err(e) => tracing::error!(subject, error = %e, "could not e-mail the therapist"),
        }
    }
}

/// Where the therapist reads a request.
fn inbox_link(api: &Api, reference: &str) -> String {
    match &api.public_url {
        Some(url) => format!("{url}/inbox/requests/{reference}"),
        None => format!("/inbox/requests/{reference} in the inbox"),
    }
}

fn send_pending(api: &Api, mailer: &Mailer) {
    send_to_therapist(api, mailer);
    send_to_clients(api, mailer);
}

fn send_to_clients(api: &Api, mailer: &Mailer) {
    let now = crate::api::now_seconds();
    let pending = match api
        .store
        .unsent_client_emails(mailer.max_attempts, &utc_timestamp(now))
    {
        Ok(pending) => pending,
        Err(e) => {
            tracing::error!(error = %e, "could not read the client e-mails to send");
            return;
        }
    };
    let from_email = mailer.from.email.to_string();
    let context = client_mail::Context {
        catalog: &api.catalog,
        public_url: api.public_url.as_deref(),
        in_call_address: api.in_call_address.as_deref(),
        from_email: &from_email,
        now,
    };
    for email in pending {
        let reference = &email.request.reference;
        let kind = &email.kind;
        let Some((message, link)) = write(api, mailer, &context, &email, now) else {
            // Nothing to send (a reminder of a time no longer held, or begun; a warning of a
            // request answered since): forgotten, so it is not tried again and her history
            // never says it went.
            tracing::info!(%reference, %kind, "nothing to send");
            record(api.store.forget_client_email(email.id));
            continue;
        };
        let to = if email.to_therapist {
            "the therapist"
        } else {
            "the client"
        };
        match mailer.send(message) {
            Ok(()) => {
                tracing::info!(%reference, %kind, "{to} e-mailed");
                record(
                    api.store
                        .mark_client_email(email.id, Ok(&utc_timestamp(crate::api::now_seconds()))),
                );
            }
            Err(e) => {
                // The link in it was never sent: it must not open anything. The next attempt
                // has a link of its own.
                if let Some(hash) = link {
                    record(api.store.forget_manage_link(&hash));
                }
                let attempt = email.attempts + 1;
                let next = next_attempt(mailer, now, email.attempts);
                record(api.store.mark_client_email(email.id, Err((&e, &next))));
                if attempt < mailer.max_attempts {
                    tracing::warn!(%reference, %kind, attempt, %next, error = %e, "could not e-mail {to}");
                    continue;
                }
                tracing::error!(%reference, %kind, attempt, error = %e, "GIVING UP e-mailing {to}");
                let link = inbox_link(api, reference);
                let (subject, what_now) = if email.to_therapist {
                    (
                        format!("a notice about {reference} was not e-mailed to you"),
                        format!("Please read the request in the inbox: {link}."),
                    )
                } else {
                    (
                        format!("the client was not e-mailed about {reference}"),
                        format!(
                            "Please contact the client another way: their details are at {link}."
                        ),
                    )
                };
                mailer.alert(
                    &subject,
                    &format!(
                        "The {kind} e-mail for booking request {reference} could not be sent to \
                         {to} after {attempt} attempts, and will not be tried again.\n\n\
                         The last error: {e}\n\n{what_now}\n"
                    ),
                );
            }
        }
    }
}

/// The message a queued e-mail becomes, with a fresh link to manage the booking when its
/// kind offers one (only the link's hash is stored, and returned: a send that fails forgets
/// it); `None` when there is nothing to send.
fn write(
    api: &Api,
    mailer: &Mailer,
    context: &client_mail::Context<'_>,
    email: &ClientEmail,
    now: i64,
) -> Option<(Result<Message, String>, Option<String>)> {
    let mut letter = client_mail::Letter {
        kind: &email.kind,
        message: email.message.as_deref(),
        about: &email.about,
        manage: None,
    };
    if email.to_therapist {
        let (subject, body) = change_mail::notice(context, &email.request, &letter)?;
        return Some((mailer.to_therapist(subject, body), None));
    }
    let link = match api.public_url.as_deref() {
        Some(url) if client_mail::offers_link(&email.kind) => {
            let (token, hash) = crate::secret::new();
            let stored = api.store.add_manage_link(
                email.request.id,
                &hash,
                email.about.time.as_deref(),
                &utc_timestamp(now),
            );
            // Without its hash stored the link would not open: the letter goes without it.
            match stored {
                Ok(()) => Some((format!("{url}{}{token}", crate::manage::PREFIX), hash)),
                Err(e) => {
                    tracing::error!(error = %e, "could not store a link to manage a booking");
                    None
                }
            }
        }
        _ => None,
    };
    letter.manage = link.as_ref().map(|(url, _)| url.as_str());
    let hash = link.as_ref().map(|(_, hash)| hash.clone());
    let Some(composed) = client_mail::compose(context, &email.request, &letter) else {
        if let Some(hash) = &hash {
            record(api.store.forget_manage_link(hash));
        }
        return None;
    };
    Some((client_message(mailer, composed), hash))
}

/// A store write after an e-mail went or failed: if it fails, the e-mail may go again.
fn record(written: rusqlite::Result<()>) {
    if let Err(e) = written {
        tracing::error!(error = %e, "could not record an e-mail in the database");
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
        Some((ics, method)) => {
            let calendar = ContentType::parse(&format!(
                "text/calendar; charset=utf-8; method={}",
                method.name()
            ))
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
    let pending = match api
        .store
        .unnotified(mailer.max_attempts, &utc_timestamp(now))
    {
        Ok(pending) => pending,
        Err(e) => {
            tracing::error!(error = %e, "could not read the notifications to send");
            return;
        }
    };
    for request in pending {
        let reference = &request.reference;
        match mailer.send(message(api, mailer, &request)) {
            Ok(()) => {
                tracing::info!(%reference, "therapist notified");
                record(
                    api.store
                        .mark_notified(request.id, Ok(&utc_timestamp(crate::api::now_seconds()))),
                );
            }
            Err(e) => {
                let attempt = request.attempts + 1;
                let next = next_attempt(mailer, now, request.attempts);
                record(api.store.mark_notified(request.id, Err((&e, &next))));
                if attempt < mailer.max_attempts {
                    tracing::warn!(%reference, attempt, %next, error = %e, "could not notify the therapist");
                    continue;
                }
                tracing::error!(%reference, attempt, error = %e, "GIVING UP notifying the therapist");
                // Most likely the same failure stops this one too; the log keeps it anyway.
                mailer.alert(
                    &format!("booking request {reference} was not e-mailed to you"),
                    &format!(
                        "The notice of booking request {reference} could not be e-mailed after \
                         {attempt} attempts ({e}). The request is stored: read it at {}.\n",
                        inbox_link(api, reference)
                    ),
                );
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
    mailer.to_therapist(
        format!("Booking request {} ({service})", stored.reference),
        body,
    )
}
