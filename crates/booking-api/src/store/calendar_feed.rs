//! The last good copy of her calendar's feed (`crate::calendar_feed`): its text, the
//! validators to ask for it again (`ETag`, `Last-Modified`), and when it last answered, so a
//! restart holds her busy times before the first fetch and knows how stale they are.

use super::Store;
use rusqlite::{OptionalExtension, params};

/// The feed as last fetched whole.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct SavedFeed {
    /// A hash of the address it came from: validators are only sent back to that one.
    pub(crate) url_hash: String,
    pub(crate) body: String,
    pub(crate) etag: Option<String>,
    pub(crate) last_modified: Option<String>,
    /// When the feed last answered (with this text, or "not modified"), seconds since 1970.
    pub(crate) fetched_at: i64,
}

impl Store {
    /// Keeps a newly fetched feed in place of the last.
    pub(crate) fn save_feed(&self, feed: &SavedFeed) -> rusqlite::Result<()> {
        self.conn().execute(
            "INSERT INTO calendar_feed (id, url_hash, body, etag, last_modified, fetched_at)
             VALUES (1, ?1, ?2, ?3, ?4, ?5)
             ON CONFLICT (id) DO UPDATE SET url_hash = excluded.url_hash, body = excluded.body,
                 etag = excluded.etag, last_modified = excluded.last_modified,
                 fetched_at = excluded.fetched_at",
            params![
                feed.url_hash,
                feed.body,
                feed.etag,
                feed.last_modified,
                feed.fetched_at
            ],
        )?;
        Ok(())
    }

    /// Notes that the feed answered "not modified" at `at`.
    pub(crate) fn feed_unchanged(&self, at: i64) -> rusqlite::Result<()> {
        self.conn().execute(
            "UPDATE calendar_feed SET fetched_at = ?1 WHERE id = 1",
            [at],
        )?;
        Ok(())
    }

    /// The last good feed, if one was ever fetched.
    pub(crate) fn saved_feed(&self) -> rusqlite::Result<Option<SavedFeed>> {
        self.conn()
            .query_row(
                "SELECT url_hash, body, etag, last_modified, fetched_at FROM calendar_feed WHERE id = 1",
                [],
                |r| {
                    Ok(SavedFeed {
                        url_hash: r.get(0)?,
                        body: r.get(1)?,
                        etag: r.get(2)?,
                        last_modified: r.get(3)?,
                        fetched_at: r.get(4)?,
                    })
                },
            )
            .optional()
    }
}
