//! Her calendar's busy times as last read (`crate::calendar_feed`): start, end and title of
//! each over the dates the diary needs, and when the feed last answered, so a restart holds
//! them before the first fetch and knows how stale they are. Never the feed itself: its
//! descriptions, places and other people's addresses are not the practice's to keep, and
//! what is stored goes into every backup. Replaced whole at each new reading, so a title
//! leaves the file once its day is more than a week past.

use super::Store;
use massage_core::calendar::Date;
use massage_core::diary::Span;
use massage_core::diary::feed::BusyTime;
use rusqlite::{OptionalExtension, TransactionBehavior, params};

/// Her calendar's busy times over the London dates `first` to `last`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct SavedBusy {
    pub(crate) first: Date,
    pub(crate) last: Date,
    pub(crate) busy: Vec<BusyTime>,
    /// When the feed last answered, seconds since 1970.
    pub(crate) fetched_at: i64,
}

impl Store {
    /// Keeps a new reading of her calendar in place of the last.
    pub(crate) fn save_busy(&self, saved: &SavedBusy) -> rusqlite::Result<()> {
        let mut conn = self.conn();
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        tx.execute(
            "INSERT INTO calendar_feed (id, first_date, last_date, fetched_at)
             VALUES (1, ?1, ?2, ?3)
             ON CONFLICT (id) DO UPDATE SET first_date = excluded.first_date,
                 last_date = excluded.last_date, fetched_at = excluded.fetched_at",
            params![
                saved.first.to_string(),
                saved.last.to_string(),
                saved.fetched_at
            ],
        )?;
        tx.execute("DELETE FROM calendar_busy", [])?;
        {
            let mut insert = tx.prepare(
                "INSERT INTO calendar_busy (start_minute, end_minute, summary) VALUES (?1, ?2, ?3)",
            )?;
            for busy in &saved.busy {
                insert.execute(params![busy.span.start, busy.span.end, busy.summary])?;
            }
        }
        tx.commit()
    }

    /// Notes that the feed answered at `at` (with nothing new to keep).
    pub(crate) fn feed_answered(&self, at: i64) -> rusqlite::Result<()> {
        self.conn().execute(
            "UPDATE calendar_feed SET fetched_at = ?1 WHERE id = 1",
            [at],
        )?;
        Ok(())
    }

    /// The last reading kept, if there is one (and its dates can be read).
    pub(crate) fn saved_busy(&self) -> rusqlite::Result<Option<SavedBusy>> {
        let conn = self.conn();
        let head = conn
            .query_row(
                "SELECT first_date, last_date, fetched_at FROM calendar_feed WHERE id = 1",
                [],
                |r| {
                    Ok((
                        r.get::<_, String>(0)?,
                        r.get::<_, String>(1)?,
                        r.get::<_, i64>(2)?,
                    ))
                },
            )
            .optional()?;
        let Some((first, last, fetched_at)) = head else {
            return Ok(None);
        };
        let (Some(first), Some(last)) = (Date::parse_iso(&first), Date::parse_iso(&last)) else {
            return Ok(None);
        };
        let mut stmt = conn.prepare(
            "SELECT start_minute, end_minute, summary FROM calendar_busy ORDER BY start_minute, end_minute",
        )?;
        let busy = stmt
            .query_map([], |r| {
                Ok(BusyTime {
                    span: Span {
                        start: r.get(0)?,
                        end: r.get(1)?,
                    },
                    summary: r.get(2)?,
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(Some(SavedBusy {
            first,
            last,
            busy,
            fetched_at,
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_new_reading_replaces_the_last_whole() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("b.sqlite")).unwrap();
        assert_eq!(store.saved_busy().unwrap(), None);
        let date = |d| Date::new(2026, 12, d).unwrap();
        let busy = |start, summary: &str| BusyTime {
            span: Span {
                start,
                end: start + 60,
            },
            summary: summary.into(),
        };
        let first = SavedBusy {
            first: date(1),
            last: date(20),
            busy: vec![busy(120, "Dentist"), busy(60, "Gym")],
            fetched_at: 1000,
        };
        store.save_busy(&first).unwrap();
        let read = store.saved_busy().unwrap().unwrap();
        assert_eq!(read.busy, [busy(60, "Gym"), busy(120, "Dentist")]);
        assert_eq!(
            (read.first, read.last, read.fetched_at),
            (date(1), date(20), 1000)
        );
        store.feed_answered(2000).unwrap();
        assert_eq!(store.saved_busy().unwrap().unwrap().fetched_at, 2000);
        store
            .save_busy(&SavedBusy {
                first: date(2),
                last: date(21),
                busy: vec![busy(300, "Yoga")],
                fetched_at: 3000,
            })
            .unwrap();
        let read = store.saved_busy().unwrap().unwrap();
        assert_eq!(read.busy, [busy(300, "Yoga")]);
        assert_eq!((read.first, read.fetched_at), (date(2), 3000));
    }
}
