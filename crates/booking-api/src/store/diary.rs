//! What holds her time in the store: bookings confirmed or arranged by phone (not
//! cancelled, nor waiting for a new time), read for her diary (`crate::diary`).

use super::{InboxRequest, REQUEST_COLUMNS, Store, inbox_request};

impl Store {
    /// Bookings (confirmed or arranged by phone) whose appointment starts at or after `from`
    /// (a London time, `2026-12-01T00:00`), soonest first.
    pub(crate) fn confirmed_from(&self, from: &str) -> rusqlite::Result<Vec<InboxRequest>> {
        let conn = self.conn();
        let mut stmt = conn.prepare(&format!(
            "SELECT {REQUEST_COLUMNS} FROM booking_requests
             WHERE status IN ('confirmed', 'phone') AND confirmed_time >= ?1
             ORDER BY confirmed_time"
        ))?;
        let rows = stmt.query_map([from], |r| inbox_request(r, 0))?;
        rows.collect()
    }
}

impl Store {
    /// Keeps the hash of a new secret for her diary feed, replacing any earlier one (whose
    /// address stops working).
    pub(crate) fn set_diary_feed(&self, secret_hash: &str) -> rusqlite::Result<()> {
        self.conn().execute(
            "INSERT INTO settings (name, value) VALUES ('diary_feed_hash', ?1)
             ON CONFLICT (name) DO UPDATE SET value = excluded.value",
            [secret_hash],
        )?;
        Ok(())
    }

    /// Forgets the diary feed's secret: its address stops working.
    pub(crate) fn revoke_diary_feed(&self) -> rusqlite::Result<()> {
        self.conn()
            .execute("DELETE FROM settings WHERE name = 'diary_feed_hash'", [])?;
        Ok(())
    }

    /// The hash of the diary feed's secret, if there is a feed.
    pub(crate) fn diary_feed(&self) -> rusqlite::Result<Option<String>> {
        use rusqlite::OptionalExtension;
        self.conn()
            .query_row(
                "SELECT value FROM settings WHERE name = 'diary_feed_hash'",
                [],
                |r| r.get(0),
            )
            .optional()
    }
}
