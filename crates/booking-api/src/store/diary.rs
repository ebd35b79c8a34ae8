//! What holds her time in the store: confirmed bookings, read for her diary
//! (`crate::diary`).

use super::{InboxRequest, REQUEST_COLUMNS, Store, inbox_request};

impl Store {
    /// Confirmed bookings whose appointment starts at or after `from` (a London time,
    /// `2026-12-01T00:00`), soonest first.
    pub(crate) fn confirmed_from(&self, from: &str) -> rusqlite::Result<Vec<InboxRequest>> {
        let conn = self.conn();
        let mut stmt = conn.prepare(&format!(
            "SELECT {REQUEST_COLUMNS} FROM booking_requests
             WHERE status = 'confirmed' AND confirmed_time >= ?1
             ORDER BY confirmed_time"
        ))?;
        let rows = stmt.query_map([from], |r| inbox_request(r, 0))?;
        rows.collect()
    }
}
