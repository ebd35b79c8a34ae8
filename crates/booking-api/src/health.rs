//! `GET /healthz`, for a monitor: whether the receiver can do its job right now. The
//! database takes a real write, the e-mail queue is moving, the scheduled backup is recent,
//! her calendar's feed (when she gave one) is not stale, and her articles' last automatic
//! publish did not fail. 200 when all hold, 503 when one does not, with a JSON body saying which.

use crate::api::now_seconds;
use crate::logging::with_cause;
use crate::store::Store;
use axum::Json;
use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use massage_core::calendar::utc_timestamp;
use serde_json::json;
use std::sync::{Arc, Mutex};
use std::time::Duration;

pub(crate) const PATH: &str = "/healthz";

/// An e-mail still unsent this long after it was queued is overdue: by then it has failed
/// four times (retries after 1, 2, 4 and 8 minutes).
pub(crate) const MAIL_OVERDUE_AFTER_SECONDS: i64 = 15 * 60;

pub(crate) struct Health {
    pub(crate) store: Arc<Store>,
    /// When e-mail is set up: how many attempts a message gets (one that has had them all
    /// has been given up on, and the therapist told; it is not overdue).
    pub(crate) mail_attempts: Option<u32>,
    /// When backups are scheduled: how often.
    pub(crate) backup_every: Option<Duration>,
    /// How old the newest backup may be (made by the schedule or by `booking-api backup`
    /// from a timer), when that is checked.
    pub(crate) backup_max_age: Option<Duration>,
    /// When the receiver started (Unix seconds): a new install has had no backup yet.
    pub(crate) started_at: i64,
    /// Why the last scheduled backup failed; `None` once one succeeds.
    pub(crate) backup_failure: Mutex<Option<String>>,
    /// Her calendar's feed, when she gave one: stale is a problem.
    pub(crate) calendar: Option<Arc<crate::calendar_feed::CalendarFeed>>,
    /// The article editor's publisher, when there is one: a failed automatic publish is a
    /// problem (a scheduled article not live, or a new build not serving her articles).
    pub(crate) publisher: Option<Arc<crate::publishing::Publisher>>,
}

pub(crate) fn router(health: Arc<Health>) -> axum::Router {
    axum::Router::new()
        .route(PATH, axum::routing::get(healthz))
        .with_state(health)
}

async fn healthz(State(health): State<Arc<Health>>) -> Response {
    let now = now_seconds();
    let mail_attempts = health.mail_attempts;
    // Each check's own result is kept: one failing says which.
    let checked = health
        .store
        .call(move |store| {
            let writable = store.probe_write(&utc_timestamp(now));
            let mail = mail_attempts.map(|attempts| {
                store.mail_queue(
                    attempts,
                    &utc_timestamp(now - MAIL_OVERDUE_AFTER_SECONDS),
                    &utc_timestamp(now),
                )
            });
            let last_backup = store.last_backup_at();
            Ok((writable, mail, last_backup))
        })
        .await;
    let Ok((writable, mail, last_backup)) = checked else {
        return answer(
            false,
            json!({}),
            vec!["the health check itself failed".into()],
        );
    };
    let mut problems = Vec::new();
    let database = match writable {
        Ok(()) => json!({ "writable": true }),
        Err(e) => {
            problems.push(format!("the database cannot be written: {e}"));
            json!({ "writable": false })
        }
    };
    let mail = match mail {
        None => json!({ "enabled": false }),
        Some(Ok(queue)) => {
            if queue.overdue > 0 {
                problems.push(format!(
                    "{} e-mails unsent after {} minutes",
                    queue.overdue,
                    MAIL_OVERDUE_AFTER_SECONDS / 60
                ));
            }
            json!({ "enabled": true, "pending": queue.pending, "overdue": queue.overdue, "given_up": queue.given_up })
        }
        Some(Err(e)) => {
            problems.push(format!("the e-mail queue cannot be read: {e}"));
            json!({ "enabled": true })
        }
    };
    let age = match last_backup {
        Ok(at) => at.map(|at| now - at),
        Err(e) => {
            problems.push(format!("the last backup's time cannot be read: {e}"));
            None
        }
    };
    let failure = health
        .backup_failure
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .clone();
    if let Some(failure) = &failure {
        problems.push(format!("the last backup failed: {failure}"));
    }
    if let Some(stale) = health.backup_overdue(age, now) {
        problems.push(stale);
    }
    let backup = json!({
        "scheduled": health.backup_every.is_some(),
        "every_seconds": health.backup_every.map(|e| e.as_secs()),
        "max_age_seconds": health.backup_max_age.map(|m| m.as_secs()),
        "last_age_seconds": age,
        "last_failure": failure,
    });
    let calendar = match &health.calendar {
        None => json!({ "configured": false }),
        Some(feed) => {
            // Public: no host, no event, no error text beyond a few words.
            let status = feed.status(now);
            let age = status.fetched_at.map(|at| now - at);
            let reason = status.failure.as_ref().map(|f| f.reason.clone());
            if status.stale {
                let since = age.map_or_else(
                    || "never read".to_owned(),
                    |age| format!("last read {age} seconds ago"),
                );
                let why = reason
                    .as_deref()
                    .map(|r| format!(": {r}"))
                    .unwrap_or_default();
                problems.push(format!("her calendar feed is stale, {since}{why}"));
            }
            json!({ "configured": true, "stale": status.stale, "last_read_age_seconds": age, "last_failure": reason })
        }
    };
    let publishing = match &health.publisher {
        None => json!({ "enabled": false }),
        Some(publisher) => {
            // Public: when, not what (the build's messages quote her articles).
            let failed_at = publisher.failure().map(|f| utc_timestamp(f.at));
            if let Some(at) = &failed_at {
                problems.push(format!(
                    "publishing her articles automatically failed at {at}: the inbox's Articles page says why"
                ));
            }
            json!({ "enabled": true, "last_failure_at": failed_at })
        }
    };
    answer(
        problems.is_empty(),
        json!({ "database": database, "mail": mail, "backup": backup, "calendar": calendar, "publishing": publishing }),
        problems,
    )
}

impl Health {
    /// What is wrong when the newest backup (`age` seconds old, or none) is older than
    /// allowed: the schedule or the timer that makes them has stopped.
    pub(crate) fn backup_overdue(&self, age: Option<i64>, now: i64) -> Option<String> {
        let limit = self.backup_max_age?.as_secs() as i64;
        match age {
            Some(age) if age > limit => Some(format!(
                "the newest backup is {} old (at most {} allowed)",
                duration_words(age),
                duration_words(limit)
            )),
            None if now - self.started_at > limit => Some(format!(
                "no backup has been made (the receiver started {} ago)",
                duration_words(now - self.started_at)
            )),
            _ => None,
        }
    }
}

/// `36 hours`, `2 days`, `45 seconds`: roughly, for people.
fn duration_words(seconds: i64) -> String {
    let (n, unit) = match seconds {
        s if s < 120 => (s, "second"),
        s if s < 2 * 3600 => (s / 60, "minute"),
        s if s < 3 * 86_400 => (s / 3600, "hour"),
        s => (s / 86_400, "day"),
    };
    format!("{n} {unit}{}", if n == 1 { "" } else { "s" })
}

fn answer(healthy: bool, mut body: serde_json::Value, problems: Vec<String>) -> Response {
    body["status"] = json!(if healthy { "ok" } else { "failing" });
    let status = if healthy {
        StatusCode::OK
    } else {
        StatusCode::SERVICE_UNAVAILABLE
    };
    let cause = problems.join("; ");
    body["problems"] = json!(problems);
    let mut response = (status, Json(body)).into_response();
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    if healthy {
        response
    } else {
        with_cause(response, cause)
    }
}
