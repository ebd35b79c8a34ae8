//! Her answer to a request, from its page in the inbox: confirm one of its times (or another
//! she types), decline it, or mark it arranged by phone. A time is checked like the booking
//! form's, and against her diary, under `Inbox::confirming`; the store records the answer
//! once, and only for the request as her page showed it (`seen`, its version).

use super::access::Checked;
use super::{Feedback, Inbox, MAX_MESSAGE, Refusal, SignedIn, changes, pages, render_request};
use crate::api::now_seconds;
use crate::diary;
use crate::store::{Decided, Decision, InboxRequest, Status};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use massage_core::booking::BookingRequest;
use massage_core::booking::deadlines;
use massage_core::booking::london_time::LondonDateTime;
use massage_core::booking::validate::check_start;
use massage_core::calendar::utc_timestamp;
use serde::Deserialize;
use std::sync::Arc;

/// Every form on a request's page: which fields count depends on the action.
#[derive(Deserialize)]
pub(super) struct DecisionForm {
    pub(super) time: Option<String>,
    #[serde(default)]
    pub(super) other_date: String,
    #[serde(default)]
    pub(super) other_time: String,
    #[serde(default)]
    pub(super) message: String,
    /// Arranged by phone: the time agreed.
    #[serde(default)]
    pub(super) phone_date: String,
    #[serde(default)]
    pub(super) phone_time: String,
    /// Moving a booking: the new time.
    #[serde(default)]
    pub(super) move_date: String,
    #[serde(default)]
    pub(super) move_time: String,
    /// The request's version, as the page showed it: a form without one (or with anything
    /// but a number) matches none, and changes nothing.
    #[serde(default)]
    pub(super) seen: String,
}

/// Whether `request` may be booked at `time` (`2026-12-01T18:00`, London), as she entered
/// it: a real time, by the booking form's rules (`check_start`), and clear of every other
/// booking in her diary (travel and buffers included; the booking `reference` itself does
/// not count). The message to show next to the time, if not.
pub(super) async fn time_problem(
    inbox: &Inbox,
    reference: &str,
    request: &BookingRequest,
    time: &str,
) -> Result<Option<String>, Refusal> {
    let Some(parsed) = LondonDateTime::parse(time) else {
        return Ok(Some("Enter a date and a start time.".to_owned()));
    };
    let practice = &inbox.api.catalog.practice;
    if let Err((_, message)) = check_start(parsed, Some(request.minutes), practice, now_seconds()) {
        return Ok(Some(message));
    }
    let times = [time.to_owned()];
    let clashes = diary::clashes(&inbox.api, now_seconds(), reference, request, &times).await?;
    Ok(clashes.into_iter().next().map(|(_, what)| {
        format!(
            "This time is taken: it {}. Choose another time.",
            what.join("; it ")
        )
    }))
}

/// When a booking at `time` is reminded of, if that is still ahead (RFC 3339).
pub(super) fn reminder_at(inbox: &Inbox, time: &str) -> Option<String> {
    let time = LondonDateTime::parse(time)?;
    deadlines::reminder_for(time, now_seconds(), &inbox.api.catalog.practice).map(utc_timestamp)
}

/// The time chosen in the confirm form: one of the times asked for (or, for a client asking
/// to move, the original time), or another typed in; the field to speak of; and a message
/// when the choice cannot stand.
fn chosen_time(
    stored: &InboxRequest,
    request: &BookingRequest,
    form: &DecisionForm,
) -> (&'static str, String, Option<String>) {
    let chosen = form.time.as_deref().unwrap_or_default();
    if chosen == "other" {
        let text = format!("{}T{}", form.other_date.trim(), form.other_time.trim());
        return ("other", text, None);
    }
    if !form.other_date.trim().is_empty() || !form.other_time.trim().is_empty() {
        // Typed another time but left a listed one chosen: ask, never guess.
        let message = "You entered another time: choose \u{201c}Another time\u{201d} to confirm it, \
                       or clear the date and time.";
        return ("other", chosen.to_owned(), Some(message.to_owned()));
    }
    let original = stored
        .confirmed_time
        .as_deref()
        .filter(|_| stored.status == Status::Moving);
    let offered = stored
        .times_asked(request)
        .iter()
        .map(String::as_str)
        .chain(original);
    let problem = (!offered.into_iter().any(|t| t == chosen))
        .then(|| "Choose one of the times, or another time.".to_owned());
    ("time", chosen.to_owned(), problem)
}

pub(super) async fn decide(
    State(inbox): State<Arc<Inbox>>,
    Path((reference, action)): Path<(String, String)>,
    Checked { session, form }: Checked<DecisionForm>,
) -> Result<Response, Refusal> {
    // Held until the time is stored, so two decisions at once (two tabs, a double tap)
    // cannot both take one slot.
    let _confirming = match action.as_str() {
        "confirm" | "phone" | "move" => Some(inbox.confirming.lock().await),
        _ => None,
    };
    let lookup = reference.clone();
    let stored = inbox
        .store()
        .call(move |s| s.inbox_request(&lookup))
        .await?
        .ok_or(Refusal::NotFound)?;
    let request: BookingRequest = serde_json::from_str(&stored.request_json)
        .map_err(|e| Refusal::Unreadable(format!("request {reference} cannot be read: {e}")))?;
    // A form from a page that no longer shows the request as it stands is told so before
    // anything in it is checked against the request as it is now. (The store checks again,
    // in the transaction that changes it.)
    let seen: Option<i64> = form.seen.parse().ok();
    let changing = matches!(action.as_str(), "move" | "cancel");
    let open = match action.as_str() {
        "move" | "cancel" => stored.status.is_booked(),
        "confirm" | "phone" => stored.status.may_book(),
        _ => stored.status.awaits_answer(),
    };
    if open && seen != Some(stored.version) {
        return changed_since(&inbox, &reference, &session).await;
    }
    if changing {
        return changes::change(&inbox, &session, &stored, &request, &action, &form).await;
    }
    let decision = match action.as_str() {
        "confirm" | "phone" => {
            let (field, text, problem) = if action == "phone" {
                let text = format!("{}T{}", form.phone_date.trim(), form.phone_time.trim());
                ("phone", text, None)
            } else {
                chosen_time(&stored, &request, &form)
            };
            let problem = match problem {
                None if open => time_problem(&inbox, &reference, &request, &text).await?,
                problem => problem,
            };
            if open && let Some(message) = problem {
                let feedback = Feedback {
                    time_error: Some((field, message)),
                    chosen: form.time.as_deref(),
                    other_date: &form.other_date,
                    other_time: &form.other_time,
                    phone_date: &form.phone_date,
                    phone_time: &form.phone_time,
                    ..Default::default()
                };
                return render_request(
                    &inbox,
                    &reference,
                    &session,
                    StatusCode::UNPROCESSABLE_ENTITY,
                    &feedback,
                )
                .await;
            }
            if action == "phone" {
                Decision::ByPhone { time: text }
            } else {
                Decision::Confirm { time: text }
            }
        }
        "decline" => Decision::Decline {
            message: form.message.trim().chars().take(MAX_MESSAGE).collect(),
        },
        _ => return Err(Refusal::NotFound),
    };
    let now = utc_timestamp(now_seconds());
    let reminder = match &decision {
        Decision::Confirm { time } | Decision::ByPhone { time } => reminder_at(&inbox, time),
        Decision::Decline { .. } => None,
    };
    let decided_reference = reference.clone();
    let outcome = inbox
        .store()
        .call(move |s| {
            s.decide(
                &decided_reference,
                &decision,
                seen,
                &now,
                reminder.as_deref(),
            )
        })
        .await?;
    match outcome {
        Decided::Now => {
            tracing::info!(%reference, %action, "inbox decision");
            inbox.api.stored.notify_one();
            Ok(Redirect::to(&format!("/inbox/requests/{reference}?done=1")).into_response())
        }
        Decided::Already(status, time, at) => {
            let at = at
                .as_deref()
                .map(crate::client_mail::london)
                .unwrap_or_default();
            let what = pages::already(status, time.as_deref());
            let feedback = Feedback {
                notice: Some((
                    "warn",
                    format!("This request was {what} (at {at}, London time). Nothing was changed."),
                )),
                ..Default::default()
            };
            render_request(
                &inbox,
                &reference,
                &session,
                StatusCode::CONFLICT,
                &feedback,
            )
            .await
        }
        Decided::Changed => changed_since(&inbox, &reference, &session).await,
        Decided::NotFound => Err(Refusal::NotFound),
    }
}

/// The request's page as it stands, saying the form was sent from an older one and nothing
/// was changed.
pub(super) async fn changed_since(
    inbox: &Inbox,
    reference: &str,
    session: &SignedIn,
) -> Result<Response, Refusal> {
    let feedback = Feedback {
        notice: Some(("warn", pages::CHANGED_SINCE.to_owned())),
        ..Default::default()
    };
    render_request(inbox, reference, session, StatusCode::CONFLICT, &feedback).await
}
