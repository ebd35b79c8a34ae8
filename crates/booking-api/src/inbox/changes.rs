//! Changing a booking after it was made, from its page in the inbox: moving it to another
//! time (checked like a confirmation, against her diary, under the same lock) or cancelling
//! it with a message to the client. The client is e-mailed the updated invite, or its
//! cancellation; the reminder follows. Each change is made only from the booking as her
//! page showed it (`seen`, its version), so a double tap or an old tab changes nothing twice.

use super::decide::{DecisionForm, changed_since, reminder_at, time_problem};
use super::{Feedback, Inbox, MAX_MESSAGE, Refusal, SignedIn, render_request};
use crate::api::now_seconds;
use crate::store::{Actor, Changed, InboxRequest};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use massage_core::booking::BookingRequest;
use massage_core::booking::london_time::LondonDateTime;
use massage_core::calendar::utc_timestamp;

/// `action` is `move` or `cancel`; for a move, the caller holds `Inbox::confirming`.
pub(super) async fn change(
    inbox: &Inbox,
    session: &SignedIn,
    stored: &InboxRequest,
    request: &BookingRequest,
    action: &str,
    form: &DecisionForm,
) -> Result<Response, Refusal> {
    let reference = stored.reference.clone();
    let seen = form.seen.parse().ok();
    let now = utc_timestamp(now_seconds());
    let changed = if action == "move" {
        let time = format!("{}T{}", form.move_date.trim(), form.move_time.trim());
        let unmoved = LondonDateTime::parse(&time).map(|t| t.to_string()) == stored.confirmed_time;
        let problem = if unmoved {
            // The client would read that their booking stays where it was, as if they had
            // asked to move it.
            Some("That is the booking's time already: choose another time.".to_owned())
        } else {
            time_problem(inbox, &reference, request, &time).await?
        };
        if stored.status.is_booked()
            && let Some(message) = problem
        {
            let feedback = Feedback {
                time_error: Some(("move", message)),
                move_date: &form.move_date,
                move_time: &form.move_time,
                ..Default::default()
            };
            return render_request(
                inbox,
                &reference,
                session,
                StatusCode::UNPROCESSABLE_ENTITY,
                &feedback,
            )
            .await;
        }
        let reminder = reminder_at(inbox, &time);
        let lookup = reference.clone();
        inbox
            .store()
            .call(move |s| s.move_booking(&lookup, &time, seen, &now, reminder.as_deref()))
            .await?
    } else {
        let message: String = form.message.trim().chars().take(MAX_MESSAGE).collect();
        let lookup = reference.clone();
        inbox
            .store()
            .call(move |s| s.cancel(&lookup, Actor::Therapist, seen, &message, &now))
            .await?
    };
    match changed {
        Changed::Now => {
            tracing::info!(%reference, %action, "inbox change to a booking");
            inbox.api.stored.notify_one();
            Ok(Redirect::to(&format!("/inbox/requests/{reference}?done=1")).into_response())
        }
        Changed::Stale(_) => changed_since(inbox, &reference, session).await,
        Changed::NotFound => Err(Refusal::NotFound),
    }
}
