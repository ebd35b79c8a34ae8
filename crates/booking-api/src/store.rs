//! The SQLite file: every accepted request exactly once, the first response to each
//! idempotency key (so a retry gets the same answer), and what is still to be e-mailed.
//! One connection behind a mutex: SQLite has one writer anyway, and this is a small
//! practice's diary, not a high-traffic service.

use rusqlite::{Connection, OptionalExtension, TransactionBehavior, params};
use std::path::Path;
use std::sync::Mutex;

pub struct Store {
    conn: Mutex<Connection>,
}

/// The stored answer to an idempotency key.
#[derive(Clone, Debug, PartialEq)]
pub struct Replay {
    pub body_hash: String,
    pub status: u16,
    pub body: String,
}

/// A request to store, with the response to remember for its key.
pub struct NewRequest<'a> {
    pub reference: &'a str,
    pub received_at: &'a str,
    pub request_json: &'a str,
    pub consent_version: Option<&'a str>,
    pub consent_given_at: Option<&'a str>,
}

/// A stored request still to be e-mailed to the therapist.
pub struct Unnotified {
    pub id: i64,
    pub reference: String,
    pub received_at: String,
    pub request_json: String,
    pub attempts: u32,
}

/// Each entry moves the schema one version on; `PRAGMA user_version` says how far a file is.
const MIGRATIONS: &[&str] = &[
    "
    CREATE TABLE booking_requests (
        id INTEGER PRIMARY KEY,
        reference TEXT NOT NULL UNIQUE,
        idempotency_key TEXT NOT NULL UNIQUE,
        received_at TEXT NOT NULL,
        request_json TEXT NOT NULL,
        consent_version TEXT,
        consent_given_at TEXT,
        notified_at TEXT,
        notify_attempts INTEGER NOT NULL DEFAULT 0,
        notify_error TEXT
    );
    CREATE TABLE idempotency (
        key TEXT PRIMARY KEY,
        body_hash TEXT NOT NULL,
        status INTEGER NOT NULL,
        response TEXT NOT NULL,
        created_at TEXT NOT NULL
    );
",
    "
    ALTER TABLE booking_requests ADD COLUMN notify_next_at TEXT;
",
];

impl Store {
    pub fn open(path: &Path) -> rusqlite::Result<Self> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            let _ = std::fs::create_dir_all(dir);
        }
        let mut conn = Connection::open(path)?;
        conn.pragma_update(None, "journal_mode", "WAL")?;
        // Durable once COMMIT returns: an accepted request survives a crash or power cut.
        conn.pragma_update(None, "synchronous", "FULL")?;
        conn.busy_timeout(std::time::Duration::from_secs(5))?;
        // Migrate under the write lock, reading the version inside it, so two processes
        // starting on a new file at once cannot both create the tables.
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let version: usize = tx.pragma_query_value(None, "user_version", |r| r.get(0))?;
        for (i, migration) in MIGRATIONS.iter().enumerate().skip(version) {
            tx.execute_batch(migration)?;
            tx.pragma_update(None, "user_version", i + 1)?;
        }
        tx.commit()?;
        Ok(Self {
            conn: Mutex::new(conn),
        })
    }

    fn conn(&self) -> std::sync::MutexGuard<'_, Connection> {
        // A panic while holding the lock cannot leave SQLite half-written (transactions roll
        // back), so a poisoned lock is safe to keep using.
        self.conn.lock().unwrap_or_else(|e| e.into_inner())
    }

    pub fn lookup(&self, key: &str) -> rusqlite::Result<Option<Replay>> {
        find_replay(&self.conn(), key)
    }

    /// Stores the response for `key` and, when given, the request, in one transaction. If
    /// the key was recorded meanwhile, nothing is written and that earlier answer returned.
    pub fn record(
        &self,
        key: &str,
        replay: &Replay,
        request: Option<&NewRequest>,
        now: &str,
    ) -> rusqlite::Result<Option<Replay>> {
        let mut conn = self.conn();
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let existing = find_replay(&tx, key)?;
        if existing.is_some() {
            return Ok(existing);
        }
        if let Some(r) = request {
            tx.execute(
                "INSERT INTO booking_requests (reference, idempotency_key, received_at, request_json, consent_version, consent_given_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![r.reference, key, r.received_at, r.request_json, r.consent_version, r.consent_given_at],
            )?;
        }
        tx.execute(
            "INSERT INTO idempotency (key, body_hash, status, response, created_at) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![key, replay.body_hash, replay.status, replay.body, now],
        )?;
        tx.commit()?;
        Ok(None)
    }

    /// Every stored request as a JSON object, oldest first.
    pub fn requests(&self) -> rusqlite::Result<Vec<serde_json::Value>> {
        let conn = self.conn();
        let mut stmt = conn.prepare(
            "SELECT reference, received_at, request_json, consent_version, consent_given_at, notified_at
             FROM booking_requests ORDER BY id",
        )?;
        let rows = stmt.query_map([], |r| {
            let request: String = r.get(2)?;
            Ok(serde_json::json!({
                "reference": r.get::<_, String>(0)?,
                "received_at": r.get::<_, String>(1)?,
                "request": serde_json::from_str::<serde_json::Value>(&request).unwrap_or(serde_json::Value::Null),
                "consent_version": r.get::<_, Option<String>>(3)?,
                "consent_given_at": r.get::<_, Option<String>>(4)?,
                "notified_at": r.get::<_, Option<String>>(5)?,
            }))
        })?;
        rows.collect()
    }

    /// Requests not yet e-mailed whose next attempt is due at `now` (RFC 3339).
    pub fn unnotified(&self, max_attempts: u32, now: &str) -> rusqlite::Result<Vec<Unnotified>> {
        let conn = self.conn();
        let mut stmt = conn.prepare(
            "SELECT id, reference, received_at, request_json, notify_attempts FROM booking_requests
             WHERE notified_at IS NULL AND notify_attempts < ?1 AND (notify_next_at IS NULL OR notify_next_at <= ?2)
             ORDER BY id",
        )?;
        let rows = stmt.query_map(params![max_attempts, now], |r| {
            Ok(Unnotified {
                id: r.get(0)?,
                reference: r.get(1)?,
                received_at: r.get(2)?,
                request_json: r.get(3)?,
                attempts: r.get(4)?,
            })
        })?;
        rows.collect()
    }

    /// Records a sent e-mail (`Ok(sent_at)`), or a failure and when to try next.
    pub fn mark_notified(
        &self,
        id: i64,
        outcome: Result<&str, (&str, &str)>,
    ) -> rusqlite::Result<()> {
        let conn = self.conn();
        match outcome {
            Ok(at) => conn.execute("UPDATE booking_requests SET notified_at = ?2, notify_error = NULL WHERE id = ?1", params![id, at])?,
            Err((error, next_at)) => conn.execute(
                "UPDATE booking_requests SET notify_attempts = notify_attempts + 1, notify_error = ?2, notify_next_at = ?3 WHERE id = ?1",
                params![id, error, next_at],
            )?,
        };
        Ok(())
    }

    /// Deletes requests received before `cutoff` (RFC 3339) and idempotency records as old.
    /// Returns how many requests were deleted.
    pub fn purge(&self, cutoff: &str) -> rusqlite::Result<usize> {
        let conn = self.conn();
        let deleted = conn.execute(
            "DELETE FROM booking_requests WHERE received_at < ?1",
            [cutoff],
        )?;
        conn.execute("DELETE FROM idempotency WHERE created_at < ?1", [cutoff])?;
        Ok(deleted)
    }
}

fn find_replay(conn: &Connection, key: &str) -> rusqlite::Result<Option<Replay>> {
    conn.query_row(
        "SELECT body_hash, status, response FROM idempotency WHERE key = ?1",
        [key],
        |r| {
            Ok(Replay {
                body_hash: r.get(0)?,
                status: r.get(1)?,
                body: r.get(2)?,
            })
        },
    )
    .optional()
}
