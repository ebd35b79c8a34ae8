//! What is still to be e-mailed (the therapist's notices and the client's e-mails), and how
//! each attempt went: the queue the notification worker (notify.rs) works through.

use super::{About, ClientEmail, Store, Unnotified, inbox_request, request_columns_of};
use rusqlite::params;

/// For an unsent e-mail `e` (`?1` the most attempts, `?2` now): no earlier one to the same
/// person about the same request is still to go, due and not given up on.
const NOT_HELD: &str = "NOT EXISTS (SELECT 1 FROM client_emails p
     WHERE p.request_id = e.request_id AND p.recipient = e.recipient AND p.id < e.id
       AND p.sent_at IS NULL AND p.attempts < ?1 AND coalesce(p.due_at, p.created_at) <= ?2)";

impl Store {
    /// Requests not yet e-mailed whose next attempt is due at `now` (RFC 3339).
    pub(crate) fn unnotified(
        &self,
        max_attempts: u32,
        now: &str,
    ) -> rusqlite::Result<Vec<Unnotified>> {
        let conn = self.conn();
        let mut stmt = conn.prepare(
            "SELECT id, reference, received_at, request_json, notify_attempts FROM booking_requests
             WHERE notified_at IS NULL AND notify_attempts < ?1 AND (notify_next_at IS NULL OR notify_next_at <= ?2)
             ORDER BY id",
        )?;
        let rows = stmt.query_map(params![max_attempts, now], |r| {
            Ok(Unnotified {
                id: r.get(0)?,
                reference: r.get(1)?,
                received_at: r.get(2)?,
                request_json: r.get(3)?,
                attempts: r.get(4)?,
            })
        })?;
        rows.collect()
    }

    /// Records a sent e-mail (`Ok(sent_at)`), or a failure and when to try next.
    pub(crate) fn mark_notified(
        &self,
        id: i64,
        outcome: Result<&str, (&str, &str)>,
    ) -> rusqlite::Result<()> {
        let conn = self.conn();
        match outcome {
            Ok(at) => conn.execute("UPDATE booking_requests SET notified_at = ?2, notify_error = NULL WHERE id = ?1", params![id, at])?,
            Err((error, next_at)) => conn.execute(
                "UPDATE booking_requests SET notify_attempts = notify_attempts + 1, notify_error = ?2, notify_next_at = ?3 WHERE id = ?1",
                params![id, error, next_at],
            )?,
        };
        Ok(())
    }

    /// Client e-mails (and the therapist's notices of a client's change) not yet sent whose
    /// next attempt is due at `now` (a reminder's first is its due time), oldest first. One
    /// queued after another to the same person about the same request waits until that one
    /// has gone (or been given up on): a retried invite never lands after the next one.
    pub(crate) fn unsent_client_emails(
        &self,
        max_attempts: u32,
        now: &str,
    ) -> rusqlite::Result<Vec<ClientEmail>> {
        let conn = self.conn();
        let columns = request_columns_of("r");
        let mut stmt = conn.prepare(&format!(
            "SELECT e.id, e.kind, e.message, e.attempts, e.time, e.previous_time, e.sequence,
                    e.recipient = 'therapist', {columns}
             FROM client_emails e JOIN booking_requests r ON r.id = e.request_id
             WHERE e.sent_at IS NULL AND e.attempts < ?1 AND (e.next_at IS NULL OR e.next_at <= ?2)
               AND {NOT_HELD}
             ORDER BY e.id"
        ))?;
        let rows = stmt.query_map(params![max_attempts, now], |r| {
            Ok(ClientEmail {
                id: r.get(0)?,
                kind: r.get(1)?,
                message: r.get(2)?,
                attempts: r.get(3)?,
                about: About {
                    time: r.get(4)?,
                    previous_time: r.get(5)?,
                    sequence: r.get(6)?,
                },
                to_therapist: r.get(7)?,
                request: inbox_request(r, 8)?,
            })
        })?;
        rows.collect()
    }

    /// When the next unsent e-mail not held behind another falls due (RFC 3339), so the
    /// worker can wake for it.
    pub(crate) fn next_email_due(
        &self,
        max_attempts: u32,
        now: &str,
    ) -> rusqlite::Result<Option<String>> {
        self.conn().query_row(
            &format!(
                "SELECT min(coalesce(e.next_at, e.created_at)) FROM client_emails e
                 WHERE e.sent_at IS NULL AND e.attempts < ?1 AND {NOT_HELD}"
            ),
            params![max_attempts, now],
            |r| r.get(0),
        )
    }

    /// Forgets a queued e-mail that turned out to have nothing to say.
    pub(crate) fn forget_client_email(&self, id: i64) -> rusqlite::Result<()> {
        self.conn()
            .execute("DELETE FROM client_emails WHERE id = ?1", [id])?;
        Ok(())
    }

    /// Records a sent client e-mail (`Ok(sent_at)`), or a failure and when to try next.
    pub(crate) fn mark_client_email(
        &self,
        id: i64,
        outcome: Result<&str, (&str, &str)>,
    ) -> rusqlite::Result<()> {
        let conn = self.conn();
        match outcome {
            Ok(at) => conn.execute(
                "UPDATE client_emails SET sent_at = ?2, error = NULL WHERE id = ?1",
                params![id, at],
            )?,
            Err((error, next_at)) => conn.execute(
                "UPDATE client_emails SET attempts = attempts + 1, error = ?2, next_at = ?3 WHERE id = ?1",
                params![id, error, next_at],
            )?,
        };
        Ok(())
    }
}
