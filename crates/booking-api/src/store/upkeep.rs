//! Keeping the store in order: the health probe, the e-mail queue's state, backups.

use super::Store;
use rusqlite::{OptionalExtension, TransactionBehavior, params};
use std::path::Path;

/// The e-mails still to send (to the therapist and to clients), as `/healthz` reports them.
#[derive(Debug, PartialEq)]
pub(crate) struct MailQueue {
    /// Not sent yet, still being tried.
    pub(crate) pending: u32,
    /// Of those, queued before the cutoff.
    pub(crate) overdue: u32,
    /// Tried as often as they may be, and given up on.
    pub(crate) given_up: u32,
}

impl Store {
    /// A real write, committed, as every booking request needs one: a full disk, a read-only
    /// file or a lock held elsewhere shows here.
    pub(crate) fn probe_write(&self, now: &str) -> rusqlite::Result<()> {
        let mut conn = self.conn();
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        tx.execute(
            "INSERT INTO settings (name, value) VALUES ('health_probe_at', ?1)
             ON CONFLICT (name) DO UPDATE SET value = excluded.value",
            [now],
        )?;
        tx.commit()
    }

    /// The e-mail queue at `now`, counting as overdue what fell due before `queued_before`
    /// (a reminder falls due the day before its session, not when it was queued).
    pub(crate) fn mail_queue(
        &self,
        max_attempts: u32,
        queued_before: &str,
        now: &str,
    ) -> rusqlite::Result<MailQueue> {
        self.conn().query_row(
            "WITH queue (queued_at, attempts) AS (
                 SELECT received_at, notify_attempts FROM booking_requests WHERE notified_at IS NULL
                 UNION ALL
                 SELECT coalesce(due_at, created_at), attempts FROM client_emails
                 WHERE sent_at IS NULL AND coalesce(due_at, created_at) <= ?3
             )
             SELECT coalesce(sum(attempts < ?1), 0),
                    coalesce(sum(attempts < ?1 AND queued_at < ?2), 0),
                    coalesce(sum(attempts >= ?1), 0)
             FROM queue",
            params![max_attempts, queued_before, now],
            |r| {
                Ok(MailQueue {
                    pending: r.get(0)?,
                    overdue: r.get(1)?,
                    given_up: r.get(2)?,
                })
            },
        )
    }

    /// When the last backup of this database was made and checked (Unix seconds).
    pub(crate) fn last_backup_at(&self) -> rusqlite::Result<Option<i64>> {
        let value: Option<String> = self
            .conn()
            .query_row(
                "SELECT value FROM settings WHERE name = 'last_backup_at'",
                [],
                |r| r.get(0),
            )
            .optional()?;
        Ok(value.and_then(|v| v.parse().ok()))
    }

    pub(crate) fn set_last_backup_at(&self, at: i64) -> rusqlite::Result<()> {
        self.conn().execute(
            "INSERT INTO settings (name, value) VALUES ('last_backup_at', ?1)
             ON CONFLICT (name) DO UPDATE SET value = excluded.value",
            [at.to_string()],
        )?;
        Ok(())
    }

    /// A consistent copy of the whole database in the new file `to`, written from one read
    /// snapshot while requests go on being stored (`VACUUM INTO`: compact, no free pages, so
    /// nothing deleted lingers in the copy).
    pub(crate) fn copy_into(&self, to: &Path) -> rusqlite::Result<()> {
        let to = to
            .to_str()
            .ok_or_else(|| rusqlite::Error::InvalidPath(to.to_owned()))?;
        self.conn().execute("VACUUM INTO ?1", [to])?;
        Ok(())
    }
}
