//! Requests nobody answers expire: `request_expiry_hours` after they arrived (or after the
//! client asked to move), or at the last time they ask for if that is sooner
//! (`massage_core::booking::deadlines::expires_at`). The client is e-mailed that nothing is
//! booked and to call, or send a new request. A background task looks every minute; an
//! answer and the expiry cannot both happen (`Store::expire` changes only a request still
//! waiting, as it was read).

use crate::api::{Api, now_seconds};
use crate::store::InboxRequest;
use massage_core::booking::BookingRequest;
use massage_core::booking::deadlines::expires_at;
use massage_core::calendar::{utc_seconds, utc_timestamp};
use massage_core::services::Practice;
use std::sync::Arc;
use std::time::Duration;

/// How often the task looks: a request expires at most this late.
const EVERY: Duration = Duration::from_secs(60);

/// When a request waiting for her answer expires (seconds since the epoch, UTC).
pub(crate) fn deadline(
    stored: &InboxRequest,
    request: &BookingRequest,
    practice: &Practice,
) -> i64 {
    // A client asking to move waits from when they asked.
    let asked = match stored.status {
        crate::store::Status::Moving => stored.decided_at.as_deref(),
        _ => None,
    }
    .unwrap_or(&stored.received_at);
    let asked = utc_seconds(asked).unwrap_or_else(now_seconds);
    expires_at(asked, stored.times_asked(request), practice)
}

/// Expires what is due: at start, then every minute.
pub(crate) async fn run(api: Arc<Api>) {
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
        if deadline(&stored, &request, &api.catalog.practice) > now {
            continue;
        }
        let reference = stored.reference.clone();
        let (seen, at) = (stored.version, utc_timestamp(now));
        let expired = api
            .store
            .call(move |s| s.expire(&reference, seen, &at))
            .await?;
        if expired {
            tracing::info!(reference = %stored.reference, "request expired unanswered");
            api.stored.notify_one();
        }
    }
    Ok(())
}
