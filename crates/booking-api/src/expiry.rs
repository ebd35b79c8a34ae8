//! Requests nobody answers expire: `request_expiry_hours` after they arrived (or after the
//! client asked to move), or at the last time they ask for if that is sooner
//! (`massage_core::booking::deadlines::expires_at`). The client is e-mailed that nothing is
//! booked and to call, or send a new request; she is e-mailed too (a client without an e-mail
//! address is told nothing: she calls them), and some hours before, that it is about to
//! (`deadlines::expiry_warning_at`). A background task looks every minute; an answer and the
//! expiry cannot both happen (`Store::expire` changes only a request still waiting, as it
//! was read).

use crate::api::{Api, now_seconds};
use crate::store::InboxRequest;
use massage_core::booking::BookingRequest;
use massage_core::booking::deadlines::{expires_at, expiry_warning_at, reminder_for};
use massage_core::booking::london_time::LondonDateTime;
use massage_core::calendar::{utc_seconds, utc_timestamp};
use massage_core::services::Practice;
use std::sync::Arc;
use std::time::Duration;

/// How often the task looks: a request expires at most this late.
const EVERY: Duration = Duration::from_secs(60);

/// Since when a request has waited for her answer (RFC 3339): its arrival, or when its
/// client asked to move.
fn asked_at(stored: &InboxRequest) -> &str {
    match stored.status {
        crate::store::Status::Moving => stored.decided_at.as_deref(),
        _ => None,
    }
    .unwrap_or(&stored.received_at)
}

/// When a request waiting for her answer expires (seconds since the epoch, UTC).
pub(crate) fn deadline(
    stored: &InboxRequest,
    request: &BookingRequest,
    practice: &Practice,
) -> i64 {
    let asked = utc_seconds(asked_at(stored)).unwrap_or_else(now_seconds);
    expires_at(asked, stored.times_asked(request), practice)
}

/// Expires what is due: at start, then every minute. At start, too, queues the reminder of
/// each booking to come that has none (made before reminders existed).
pub(crate) async fn run(api: Arc<Api>) {
    if let Err(e) = queue_missing_reminders(&api).await {
        tracing::error!(error = %e, "could not queue the reminders of earlier bookings");
    }
    loop {
        if let Err(e) = expire_due(&api).await {
            tracing::error!(error = %e, "could not expire unanswered requests");
        }
        tokio::time::sleep(EVERY).await;
    }
}

async fn expire_due(api: &Arc<Api>) -> Result<(), crate::store::StoreError> {
    let now = now_seconds();
    let waiting = api.store.call(|s| s.waiting()).await?;
    for stored in waiting {
        let Ok(request) = serde_json::from_str::<BookingRequest>(&stored.request_json) else {
            continue;
        };
        let expires = deadline(&stored, &request, &api.catalog.practice);
        let asked = asked_at(&stored).to_owned();
        let warn_at = utc_seconds(&asked).and_then(|asked| expiry_warning_at(asked, expires));
        let reference = stored.reference.clone();
        let (seen, at) = (stored.version, utc_timestamp(now));
        if expires <= now {
            let expired = api
                .store
                .call(move |s| s.expire(&reference, seen, &at))
                .await?;
            if expired {
                tracing::info!(reference = %stored.reference, "request expired unanswered");
                api.stored.notify_one();
            }
        } else if warn_at.is_some_and(|warn_at| warn_at <= now) {
            let warned = api
                .store
                .call(move |s| s.warn_expiring(&reference, seen, &asked, &at))
                .await?;
            if warned {
                tracing::info!(reference = %stored.reference, "request about to expire: she is told");
                api.stored.notify_one();
            }
        }
    }
    Ok(())
}

async fn queue_missing_reminders(api: &Arc<Api>) -> Result<(), crate::store::StoreError> {
    let now = now_seconds();
    let from = LondonDateTime::from_utc_seconds(now).to_string();
    let practice = api.catalog.practice.clone();
    let due = move |time: &str| {
        let time = LondonDateTime::parse(time)?;
        reminder_for(time, now, &practice).map(utc_timestamp)
    };
    let queued = api
        .store
        .call(move |s| s.queue_missing_reminders(&from, due, &utc_timestamp(now)))
        .await?;
    if queued > 0 {
        tracing::info!(
            queued,
            "reminders queued for bookings made before reminders existed"
        );
        api.stored.notify_one();
    }
    Ok(())
}
