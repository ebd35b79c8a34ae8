//! A client's rights over what is stored about them (UK GDPR), found by their e-mail
//! address: a copy of it all, erasure, and withdrawing consent to the health summary.

use super::retention::{delete_requests, fold_log};
use super::{Store, times_from_db};
use rusqlite::{TransactionBehavior, params};
use serde_json::{Value, json};

/// The history entry a withdrawal leaves, in the `decisions` table.
pub(crate) const CONSENT_WITHDRAWN: &str = "consent_withdrawn";

/// Requests whose e-mail address is `?1`, in any case and with spaces around it.
const BY_EMAIL: &str =
    "?1 <> '' AND lower(trim(json_extract(request_json, '$.email'))) = lower(trim(?1))";

impl Store {
    /// Everything stored about the client with this address, oldest request first: each
    /// request as sent (the health summary too), how it was decided, the times they asked to
    /// move to, its history, the e-mails sent to them and the therapist's notices about them.
    /// (The links in their e-mails are stored only as hashes, which say nothing.)
    pub(crate) fn export(&self, email: &str) -> rusqlite::Result<Vec<Value>> {
        let conn = self.conn();
        let mut requests = conn.prepare(&format!(
            "SELECT id, reference, idempotency_key, received_at, request_json, consent_version,
                    consent_given_at, notified_at, status, confirmed_time, decided_at, move_times
             FROM booking_requests WHERE {BY_EMAIL} ORDER BY id"
        ))?;
        let mut decisions = conn.prepare(
            "SELECT at, status, detail FROM decisions WHERE request_id = ?1 ORDER BY id",
        )?;
        let mut emails = conn.prepare(
            "SELECT kind, message, created_at, sent_at, attempts, error
             FROM client_emails WHERE request_id = ?1 AND recipient = ?2 ORDER BY id",
        )?;
        let found: Vec<(i64, Value)> = requests
            .query_map([email], |r| {
                let request: String = r.get(4)?;
                Ok((
                    r.get(0)?,
                    json!({
                        "reference": r.get::<_, String>(1)?,
                        "idempotency_key": r.get::<_, String>(2)?,
                        "received_at": r.get::<_, String>(3)?,
                        "request": serde_json::from_str::<Value>(&request).unwrap_or(Value::String(request)),
                        "consent_version": r.get::<_, Option<String>>(5)?,
                        "consent_given_at": r.get::<_, Option<String>>(6)?,
                        "therapist_notified_at": r.get::<_, Option<String>>(7)?,
                        "status": r.get::<_, String>(8)?,
                        "confirmed_time": r.get::<_, Option<String>>(9)?,
                        "decided_at": r.get::<_, Option<String>>(10)?,
                        "times_asked_to_move_to": times_from_db(r.get::<_, Option<String>>(11)?.as_deref()),
                    }),
                ))
            })?
            .collect::<rusqlite::Result<_>>()?;
        found
            .into_iter()
            .map(|(id, mut request)| {
                request["history"] = decisions
                    .query_map([id], |r| {
                        Ok(json!({
                            "at": r.get::<_, String>(0)?,
                            "what": r.get::<_, String>(1)?,
                            "detail": r.get::<_, Option<String>>(2)?,
                        }))
                    })?
                    .collect::<rusqlite::Result<Vec<_>>>()?
                    .into();
                // What was e-mailed to the client, and what the therapist was told about them
                // (their cancellations, requests to move, requests expiring).
                for (field, recipient) in [
                    ("emails_to_client", "client"),
                    ("notices_to_therapist", "therapist"),
                ] {
                    request[field] = emails
                        .query_map(params![id, recipient], |r| {
                            Ok(json!({
                                "kind": r.get::<_, String>(0)?,
                                "message": r.get::<_, Option<String>>(1)?,
                                "queued_at": r.get::<_, String>(2)?,
                                "sent_at": r.get::<_, Option<String>>(3)?,
                                "attempts": r.get::<_, u32>(4)?,
                                "last_error": r.get::<_, Option<String>>(5)?,
                            }))
                        })?
                        .collect::<rusqlite::Result<Vec<_>>>()?
                        .into();
                }
                Ok(request)
            })
            .collect()
    }

    /// Deletes every request from this address, with all that belongs to each, in one
    /// transaction. Returns how many requests were deleted.
    pub(crate) fn erase(&self, email: &str) -> rusqlite::Result<usize> {
        let mut conn = self.conn();
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        tx.execute_batch(
            "CREATE TEMP TABLE IF NOT EXISTS expired (id INTEGER PRIMARY KEY, key TEXT NOT NULL);
             DELETE FROM temp.expired;",
        )?;
        tx.execute(
            &format!(
                "INSERT INTO temp.expired (id, key)
                 SELECT id, idempotency_key FROM booking_requests WHERE {BY_EMAIL}"
            ),
            [email],
        )?;
        let deleted = delete_requests(&tx)?;
        tx.commit()?;
        if deleted > 0 {
            fold_log(&conn);
        }
        Ok(deleted)
    }

    /// Deletes the health summary (and the consent it was sent with) from every request from
    /// this address, keeping the bookings; each request's history says so. Returns how many
    /// requests had one.
    pub(crate) fn withdraw_consent(&self, email: &str, now: &str) -> rusqlite::Result<usize> {
        let mut conn = self.conn();
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let ids: Vec<i64> = tx
            .prepare(&format!(
                "UPDATE booking_requests
                 SET request_json = json_remove(request_json, '$.health'),
                     consent_version = NULL, consent_given_at = NULL
                 WHERE {BY_EMAIL} AND json_type(request_json, '$.health') = 'object'
                 RETURNING id"
            ))?
            .query_map([email], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        for id in &ids {
            tx.execute(
                "INSERT INTO decisions (request_id, at, status) VALUES (?1, ?2, ?3)",
                params![id, now, CONSENT_WITHDRAWN],
            )?;
        }
        tx.commit()?;
        if !ids.is_empty() {
            fold_log(&conn);
        }
        Ok(ids.len())
    }
}
