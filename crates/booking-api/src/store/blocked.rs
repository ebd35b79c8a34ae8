//! Time she blocks in the inbox (an evening, a day, a holiday), read into her diary
//! (`crate::diary`) beside the confirmed bookings.

use super::Store;
use massage_core::diary::Span;
use rusqlite::params;

/// A stored block.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct BlockedTime {
    pub(crate) id: i64,
    pub(crate) span: Span,
    pub(crate) note: String,
}

impl Store {
    /// Keeps a block; its id.
    pub(crate) fn add_blocked(&self, span: Span, note: &str, now: &str) -> rusqlite::Result<i64> {
        let conn = self.conn();
        conn.execute(
            "INSERT INTO blocked_time (start_minute, end_minute, note, created_at)
             VALUES (?1, ?2, ?3, ?4)",
            params![span.start, span.end, note, now],
        )?;
        Ok(conn.last_insert_rowid())
    }

    /// Removes a block; whether there was one with that id.
    pub(crate) fn remove_blocked(&self, id: i64) -> rusqlite::Result<bool> {
        Ok(self
            .conn()
            .execute("DELETE FROM blocked_time WHERE id = ?1", [id])?
            > 0)
    }

    /// Forgets the blocks that ended before `minute` (UTC minutes): the diary goes a year
    /// back, so older ones are never shown again. How many were forgotten.
    pub(crate) fn forget_blocked_before(&self, minute: i64) -> rusqlite::Result<usize> {
        self.conn()
            .execute("DELETE FROM blocked_time WHERE end_minute < ?1", [minute])
    }

    /// The blocks that share at least a minute with `span`, by start.
    pub(crate) fn blocked_within(&self, span: Span) -> rusqlite::Result<Vec<BlockedTime>> {
        let conn = self.conn();
        let mut stmt = conn.prepare(
            "SELECT id, start_minute, end_minute, note FROM blocked_time
             WHERE end_minute > ?1 AND start_minute < ?2
             ORDER BY start_minute, end_minute, id",
        )?;
        let rows = stmt.query_map([span.start, span.end], |r| {
            Ok(BlockedTime {
                id: r.get(0)?,
                span: Span {
                    start: r.get(1)?,
                    end: r.get(2)?,
                },
                note: r.get(3)?,
            })
        })?;
        rows.collect()
    }
}
