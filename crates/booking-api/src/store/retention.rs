//! Deleting what is past keeping: the retention period, and the two steps every deletion
//! shares (a request with all that belongs to it; the write-ahead log emptied after).

use super::Store;
use rusqlite::{Connection, TransactionBehavior};

impl Store {
    /// Deletes the requests past keeping: a booking (confirmed, arranged by phone, or asking
    /// to move) once its appointment is before `appointments_before` (a London time,
    /// `2026-12-01T18:00`), since its details are needed until the session and a while
    /// after; any other request (new, declined, cancelled, expired) once it last changed
    /// (`decided_at`; arrived, for one never answered) before `changed_before` (RFC 3339), so
    /// one cancelled today is kept, with the cancellation it is still owed. Their decisions,
    /// e-mails and idempotency records go with them, and idempotency records of requests
    /// never stored once as old. Returns how many requests were deleted.
    pub(crate) fn purge(
        &self,
        changed_before: &str,
        appointments_before: &str,
    ) -> rusqlite::Result<usize> {
        let mut conn = self.conn();
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        tx.execute_batch(
            "CREATE TEMP TABLE IF NOT EXISTS expired (id INTEGER PRIMARY KEY, key TEXT NOT NULL);
             DELETE FROM temp.expired;",
        )?;
        tx.execute(
            "INSERT INTO temp.expired (id, key)
             SELECT id, idempotency_key FROM booking_requests
             WHERE CASE WHEN status IN ('confirmed', 'phone', 'moving') AND confirmed_time IS NOT NULL
                        THEN confirmed_time < ?2
                        ELSE coalesce(decided_at, received_at) < ?1 END",
            [changed_before, appointments_before],
        )?;
        let deleted = delete_requests(&tx)?;
        tx.execute(
            "DELETE FROM idempotency WHERE created_at < ?1
             AND key NOT IN (SELECT idempotency_key FROM booking_requests)",
            [changed_before],
        )?;
        tx.commit()?;
        if deleted > 0 {
            fold_log(&conn);
        }
        Ok(deleted)
    }
}

/// Deletes the requests listed in `temp.expired`, and everything that belongs to them: the
/// health summary is in the request; decisions, client e-mails, the links in them and the
/// answer to its idempotency key are rows of their own. Returns how many requests were deleted.
pub(super) fn delete_requests(tx: &rusqlite::Transaction<'_>) -> rusqlite::Result<usize> {
    for table in ["decisions", "client_emails", "manage_links"] {
        tx.execute(
            &format!("DELETE FROM {table} WHERE request_id IN (SELECT id FROM temp.expired)"),
            [],
        )?;
    }
    tx.execute(
        "DELETE FROM idempotency WHERE key IN (SELECT key FROM temp.expired)",
        [],
    )?;
    tx.execute(
        "DELETE FROM booking_requests WHERE id IN (SELECT id FROM temp.expired)",
        [],
    )
}

/// Folds the write-ahead log into the file and empties it: the log still holds the pages
/// as they were before a deletion, until then.
pub(super) fn fold_log(conn: &Connection) {
    if let Err(e) = conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(())) {
        tracing::warn!(error = %e, "could not fold the write-ahead log after deleting");
    }
}
