//! The inbox's part of the store: the therapist's password, sessions, remembered devices,
//! each request with its history, and the one decision a request gets.

use super::{
    Decided, Decision, HistoryEntry, InboxRequest, REQUEST_COLUMNS, Status, Store, inbox_request,
    privacy,
};
use rusqlite::{OptionalExtension, TransactionBehavior, params};

impl Store {
    /// Stores a new password hash and ends every session, so an old one cannot linger, and
    /// forgets every remembered device (their cookies were signed with the key deleted).
    pub(crate) fn set_password_hash(&self, hash: &str) -> rusqlite::Result<()> {
        let mut conn = self.conn();
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        tx.execute(
            "INSERT INTO settings (name, value) VALUES ('password_hash', ?1)
             ON CONFLICT (name) DO UPDATE SET value = excluded.value",
            [hash],
        )?;
        tx.execute("DELETE FROM sessions", [])?;
        tx.execute("DELETE FROM settings WHERE name = 'device_key'", [])?;
        tx.commit()
    }

    /// The key remembered devices' cookies are signed with, made the first time it is
    /// asked for.
    pub(crate) fn device_key(&self, fresh: &str) -> rusqlite::Result<String> {
        self.conn().query_row(
            "INSERT INTO settings (name, value) VALUES ('device_key', ?1)
             ON CONFLICT (name) DO UPDATE SET value = value RETURNING value",
            [fresh],
            |r| r.get(0),
        )
    }

    pub(crate) fn password_hash(&self) -> rusqlite::Result<Option<String>> {
        self.conn()
            .query_row(
                "SELECT value FROM settings WHERE name = 'password_hash'",
                [],
                |r| r.get(0),
            )
            .optional()
    }

    pub(crate) fn create_session(
        &self,
        id_hash: &str,
        csrf: &str,
        now: i64,
    ) -> rusqlite::Result<()> {
        self.conn().execute(
            "INSERT INTO sessions (id_hash, csrf, created_at, last_seen_at) VALUES (?1, ?2, ?3, ?3)",
            params![id_hash, csrf, now],
        )?;
        Ok(())
    }

    /// The CSRF token of a live session, which counts as seen now. A session idle since
    /// `idle_before`, or created before `created_before`, is over (and deleted).
    pub(crate) fn touch_session(
        &self,
        id_hash: &str,
        now: i64,
        idle_before: i64,
        created_before: i64,
    ) -> rusqlite::Result<Option<String>> {
        let conn = self.conn();
        conn.execute(
            "DELETE FROM sessions WHERE last_seen_at < ?1 OR created_at < ?2",
            params![idle_before, created_before],
        )?;
        let csrf = conn
            .query_row(
                "UPDATE sessions SET last_seen_at = ?2 WHERE id_hash = ?1 RETURNING csrf",
                params![id_hash, now],
                |r| r.get(0),
            )
            .optional()?;
        Ok(csrf)
    }

    pub(crate) fn delete_session(&self, id_hash: &str) -> rusqlite::Result<()> {
        self.conn()
            .execute("DELETE FROM sessions WHERE id_hash = ?1", [id_hash])?;
        Ok(())
    }

    pub(crate) fn inbox_request(&self, reference: &str) -> rusqlite::Result<Option<InboxRequest>> {
        self.conn()
            .query_row(
                &format!("SELECT {REQUEST_COLUMNS} FROM booking_requests WHERE reference = ?1"),
                [reference],
                |r| inbox_request(r, 0),
            )
            .optional()
    }

    /// What happened to a request after it arrived, oldest first: decisions and e-mails sent.
    pub(crate) fn history(&self, request_id: i64) -> rusqlite::Result<Vec<HistoryEntry>> {
        let conn = self.conn();
        let mut stmt = conn.prepare(
            "SELECT at, status, NULL FROM decisions WHERE request_id = ?1
             UNION ALL
             SELECT sent_at, NULL, kind FROM client_emails WHERE request_id = ?1 AND sent_at IS NOT NULL
             ORDER BY 1",
        )?;
        let rows = stmt.query_map([request_id], |r| {
            let status: Option<String> = r.get(1)?;
            let kind: Option<String> = r.get(2)?;
            let what = match (status.as_deref(), kind.as_deref()) {
                (Some("confirmed"), _) => "Confirmed",
                (Some("declined"), _) => "Declined",
                (Some(privacy::CONSENT_WITHDRAWN), _) => {
                    "Health summary deleted: consent withdrawn"
                }
                (Some(_), _) => "Marked as arranged by phone",
                (None, Some("receipt")) => "Receipt e-mailed to the client",
                (None, Some("confirmed")) => {
                    "Confirmation and calendar invite e-mailed to the client"
                }
                (None, _) => "Decline e-mailed to the client",
            };
            Ok(HistoryEntry {
                at: r.get(0)?,
                what: what.to_owned(),
            })
        })?;
        rows.collect()
    }

    /// Records `decision` unless the request was decided before: the conditional UPDATE
    /// and its history and e-mail rows are one transaction, so a double tap or a second tab
    /// changes nothing and is told what was decided.
    pub(crate) fn decide(
        &self,
        reference: &str,
        decision: &Decision,
        now: &str,
        email_client: bool,
    ) -> rusqlite::Result<Decided> {
        let (status, time, detail) = match decision {
            Decision::Confirm { time } => {
                (Status::Confirmed, Some(time.as_str()), Some(time.as_str()))
            }
            Decision::Decline { message } => (Status::Declined, None, Some(message.as_str())),
            Decision::ByPhone => (Status::ByPhone, None, None),
        };
        let mut conn = self.conn();
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let id: Option<i64> = tx
            .query_row(
                "UPDATE booking_requests SET status = ?2, confirmed_time = ?3, decided_at = ?4
                 WHERE reference = ?1 AND status = 'new' RETURNING id",
                params![reference, status.to_db(), time, now],
                |r| r.get(0),
            )
            .optional()?;
        let Some(id) = id else {
            let earlier = tx
                .query_row(
                    "SELECT status, confirmed_time, decided_at FROM booking_requests WHERE reference = ?1",
                    [reference],
                    |r| Ok((r.get::<_, String>(0)?, r.get(1)?, r.get(2)?)),
                )
                .optional()?;
            return Ok(match earlier {
                Some((status, time, at)) => Decided::Already(Status::from_db(&status), time, at),
                None => Decided::NotFound,
            });
        };
        tx.execute(
            "INSERT INTO decisions (request_id, at, status, detail) VALUES (?1, ?2, ?3, ?4)",
            params![id, now, status.to_db(), detail],
        )?;
        if email_client && status != Status::ByPhone {
            let message = match decision {
                Decision::Decline { message } => Some(message.as_str()),
                _ => None,
            };
            tx.execute(
                "INSERT INTO client_emails (request_id, kind, message, created_at) VALUES (?1, ?2, ?3, ?4)",
                params![id, status.to_db(), message, now],
            )?;
        }
        tx.commit()?;
        Ok(Decided::Now)
    }
}
