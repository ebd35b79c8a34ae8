//! The inbox's list, one page at a time and sorted by SQLite: with years of requests the
//! whole table is never read (25,000 requests made a 9.7 MB page).

use super::{InboxRequest, REQUEST_COLUMNS, Store, inbox_request};
use rusqlite::params;

/// Which requests the list shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Show {
    /// Everything: those waiting for her answer first (newest first), then booked sessions
    /// to come (soonest first), then the rest (most recently changed first).
    All,
    /// Waiting for her answer: new, or a client asking to move.
    New,
    /// Booked (confirmed, or arranged by phone for a time), the session still to come.
    Upcoming,
    /// Booked, the session over.
    Past,
    Declined,
    ByPhone,
    Cancelled,
    /// Nobody answered in time.
    Expired,
}

impl Show {
    pub(crate) const EVERY: [Show; 8] = [
        Show::All,
        Show::New,
        Show::Upcoming,
        Show::Past,
        Show::Declined,
        Show::ByPhone,
        Show::Cancelled,
        Show::Expired,
    ];

    /// Its name in the address (`/inbox?show=new`).
    pub(crate) fn name(self) -> &'static str {
        match self {
            Show::All => "all",
            Show::New => "new",
            Show::Upcoming => "upcoming",
            Show::Past => "past",
            Show::Declined => "declined",
            Show::ByPhone => "phone",
            Show::Cancelled => "cancelled",
            Show::Expired => "expired",
        }
    }

    pub(crate) fn from_name(name: &str) -> Option<Self> {
        Self::EVERY.into_iter().find(|s| s.name() == name)
    }

    /// Which rows, given the London time now as `?1`.
    fn condition(self) -> &'static str {
        match self {
            Show::All => "1",
            Show::New => "status IN ('new', 'moving')",
            Show::Upcoming => "status IN ('confirmed', 'phone') AND confirmed_time >= ?1",
            Show::Past => "status IN ('confirmed', 'phone') AND confirmed_time < ?1",
            Show::Declined => "status = 'declined'",
            Show::ByPhone => "status = 'phone'",
            Show::Cancelled => "status = 'cancelled'",
            Show::Expired => "status = 'expired'",
        }
    }

    /// In which order: sessions to come soonest first, anything else newest first.
    fn order(self) -> &'static str {
        match self {
            Show::All => {
                "CASE WHEN status IN ('new', 'moving') THEN 0
                      WHEN status IN ('confirmed', 'phone') AND confirmed_time >= ?1 THEN 1 ELSE 2 END,
                 CASE WHEN status IN ('new', 'moving') THEN coalesce(decided_at, received_at) END DESC,
                 CASE WHEN status IN ('confirmed', 'phone') AND confirmed_time >= ?1 THEN confirmed_time END,
                 decided_at DESC, id DESC"
            }
            Show::Upcoming => "confirmed_time, id",
            Show::Past => "confirmed_time DESC, id DESC",
            Show::New => "coalesce(decided_at, received_at) DESC, id DESC",
            Show::Declined | Show::ByPhone | Show::Cancelled | Show::Expired => {
                "decided_at DESC, id DESC"
            }
        }
    }
}

impl Store {
    /// Up to `limit` requests of `show`, after skipping `offset`; `now_london` is the London
    /// time now (`2026-12-01T18:00`), which tells a session to come from one that is over.
    pub(crate) fn inbox_page(
        &self,
        show: Show,
        now_london: &str,
        limit: u32,
        offset: u32,
    ) -> rusqlite::Result<Vec<InboxRequest>> {
        let conn = self.conn();
        let mut stmt = conn.prepare(&format!(
            "SELECT {REQUEST_COLUMNS} FROM booking_requests WHERE {} ORDER BY {} LIMIT ?2 OFFSET ?3",
            show.condition(),
            show.order()
        ))?;
        let rows = stmt.query_map(params![now_london, limit, offset], |r| inbox_request(r, 0))?;
        rows.collect()
    }

    /// How many requests each of `Show::EVERY` holds, in that order.
    pub(crate) fn inbox_counts(&self, now_london: &str) -> rusqlite::Result<Vec<u32>> {
        let sums: String = Show::EVERY
            .iter()
            .map(|s| format!("coalesce(sum({}), 0)", s.condition()))
            .collect::<Vec<_>>()
            .join(", ");
        self.conn().query_row(
            &format!("SELECT {sums} FROM booking_requests"),
            [now_london],
            |r| (0..Show::EVERY.len()).map(|i| r.get(i)).collect(),
        )
    }
}
