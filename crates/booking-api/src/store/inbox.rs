//! The inbox's part of the store: the therapist's password, sessions, remembered devices,
//! each request with its history, and the one decision a request gets.

use super::{
    Decided, Decision, Happened, HistoryEntry, InboxRequest, REQUEST_COLUMNS, Status, Store,
    bookings, inbox_request,
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

    /// What happened to a request after it arrived, oldest first: decisions, the client's
    /// changes, and e-mails sent to the client.
    pub(crate) fn history(&self, request_id: i64) -> rusqlite::Result<Vec<HistoryEntry>> {
        let conn = self.conn();
        let mut stmt = conn.prepare(
            "SELECT at, status, detail, NULL FROM decisions WHERE request_id = ?1
             UNION ALL
             SELECT sent_at, NULL, NULL, kind FROM client_emails
             WHERE request_id = ?1 AND sent_at IS NOT NULL AND recipient = 'client'
             ORDER BY 1",
        )?;
        let rows = stmt.query_map([request_id], |r| {
            let status: Option<String> = r.get(1)?;
            let detail: Option<String> = r.get(2)?;
            let kind: Option<String> = r.get(3)?;
            let what = match status {
                Some(what) => Happened::Change { what, detail },
                None => Happened::Emailed {
                    kind: kind.unwrap_or_default(),
                },
            };
            Ok(HistoryEntry {
                at: r.get(0)?,
                what,
            })
        })?;
        rows.collect()
    }

    /// Records `decision` unless the request was answered before (an expired one may still
    /// be given the time agreed when its client called), or has changed since her
    /// page showed it (`seen`, its version: the client changed their times, or asked to
    /// move): the check, the UPDATE and its history and e-mail rows are one transaction, so a
    /// double tap, a second tab, a change by the client or the request expiring at that
    /// moment changes nothing and is told what happened. A time (confirmed or by phone) gets
    /// its reminder at `reminder_at` (RFC 3339), if any; a client whose calendar holds an
    /// invite for the booking gets it updated or cancelled.
    pub(crate) fn decide(
        &self,
        reference: &str,
        decision: &Decision,
        seen: Option<i64>,
        now: &str,
        reminder_at: Option<&str>,
    ) -> rusqlite::Result<Decided> {
        let (status, time, detail) = match decision {
            Decision::Confirm { time } => (Status::Confirmed, Some(time.as_str()), time.as_str()),
            Decision::Decline { message } => (Status::Declined, None, message.as_str()),
            Decision::ByPhone { time } => (Status::ByPhone, Some(time.as_str()), time.as_str()),
        };
        let mut conn = self.conn();
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let Some(before) = bookings::current(&tx, reference)? else {
            return Ok(Decided::NotFound);
        };
        let open = match decision {
            Decision::Decline { .. } => before.status.awaits_answer(),
            Decision::Confirm { .. } | Decision::ByPhone { .. } => before.status.may_book(),
        };
        if !open {
            return Ok(Decided::Already(
                before.status,
                before.time,
                before.decided_at,
            ));
        }
        if seen != Some(before.version) {
            return Ok(Decided::Changed);
        }
        let id = before.id;
        tx.execute(
            "UPDATE booking_requests SET status = ?2, confirmed_time = coalesce(?3, confirmed_time),
                    decided_at = ?4
             WHERE id = ?1",
            params![id, status.to_db(), time, now],
        )?;
        tx.execute(
            "INSERT INTO decisions (request_id, at, status, detail) VALUES (?1, ?2, ?3, ?4)",
            params![id, now, status.to_db(), detail],
        )?;
        let reminder = reminder_at.filter(|_| before.client_email);
        bookings::set_reminder(&tx, id, time.zip(reminder), now)?;
        bookings::changed(&tx, id)?;
        if before.client_email {
            let moved_from = before.time.as_deref().filter(|_| before.invited());
            match decision {
                Decision::Confirm { time } => {
                    let kind = if moved_from.is_some() {
                        "moved"
                    } else {
                        "confirmed"
                    };
                    bookings::send_invite(&tx, &before, kind, time, moved_from, now)?;
                }
                // Nothing is e-mailed, unless their calendar would otherwise keep the old time.
                Decision::ByPhone { time } if before.invited() => {
                    bookings::send_invite(&tx, &before, "moved", time, moved_from, now)?;
                }
                Decision::ByPhone { .. } => {}
                Decision::Decline { message } => {
                    bookings::send_cancel(&tx, &before, "declined", Some(message), now)?;
                }
            }
        }
        tx.commit()?;
        Ok(Decided::Now)
    }
}
