//! The SQLite file: every accepted request exactly once, the first response to each
//! idempotency key (so a retry gets the same answer), and what is still to be e-mailed.
//! One connection behind a mutex: SQLite has one writer anyway, and this is a small
//! practice's diary, not a high-traffic service.
//!
//! Here: the schema, opening the file, and storing a request once. Each other concern has
//! its own module: `mail` (what is still to be e-mailed), `inbox` (password, sessions,
//! decisions), `inbox_list` (the list, a page at a time), `bookings` (after the answer:
//! moves, cancellations, reminders, expiry, the client's links), `retention`, `privacy` (a
//! client's rights), `upkeep` (health probe, backups), `diary` (confirmed bookings),
//! `blocked` (time she blocks), `calendar_feed` (her calendar's busy times as last read).

mod blocked;
mod bookings;
mod calendar_feed;
mod diary;
mod inbox;
mod inbox_list;
mod mail;
mod privacy;
mod retention;
mod upkeep;

pub(crate) use bookings::{Actor, Changed};
pub(crate) use calendar_feed::SavedBusy;
pub(crate) use inbox_list::Show;
pub(crate) use privacy::CONSENT_WITHDRAWN;

use massage_core::booking::BookingRequest;
use rusqlite::{Connection, OptionalExtension, TransactionBehavior, params};
use std::path::Path;
use std::sync::{Arc, Mutex};

pub(crate) struct Store {
    conn: Mutex<Connection>,
}

/// Why a store call failed, for the log (SQLite's own words).
#[derive(Debug)]
pub(crate) struct StoreError(String);

impl std::fmt::Display for StoreError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// The stored answer to an idempotency key.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Replay {
    pub(crate) body_hash: String,
    pub(crate) status: u16,
    pub(crate) body: String,
}

/// A request to store, with the response to remember for its key.
pub(crate) struct NewRequest<'a> {
    pub(crate) reference: &'a str,
    pub(crate) received_at: &'a str,
    pub(crate) request_json: &'a str,
    pub(crate) consent_version: Option<&'a str>,
    pub(crate) consent_given_at: Option<&'a str>,
    /// The client gave an e-mail address: they are sent a receipt at once.
    pub(crate) client_email: bool,
}

/// A stored request still to be e-mailed to the therapist.
pub(crate) struct Unnotified {
    pub(crate) id: i64,
    pub(crate) reference: String,
    pub(crate) received_at: String,
    pub(crate) request_json: String,
    pub(crate) attempts: u32,
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
    // The therapist's inbox: her password's hash, sessions (by the hash of their id), each
    // request's one decision, its history, and the e-mails owed to the client.
    "
    CREATE TABLE settings (name TEXT PRIMARY KEY, value TEXT NOT NULL);
    CREATE TABLE sessions (
        id_hash TEXT PRIMARY KEY,
        csrf TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        last_seen_at INTEGER NOT NULL
    );
    ALTER TABLE booking_requests ADD COLUMN status TEXT NOT NULL DEFAULT 'new';
    ALTER TABLE booking_requests ADD COLUMN confirmed_time TEXT;
    ALTER TABLE booking_requests ADD COLUMN decided_at TEXT;
    CREATE TABLE decisions (
        id INTEGER PRIMARY KEY,
        request_id INTEGER NOT NULL,
        at TEXT NOT NULL,
        status TEXT NOT NULL,
        detail TEXT
    );
    CREATE TABLE client_emails (
        id INTEGER PRIMARY KEY,
        request_id INTEGER NOT NULL,
        kind TEXT NOT NULL,
        message TEXT,
        created_at TEXT NOT NULL,
        sent_at TEXT,
        attempts INTEGER NOT NULL DEFAULT 0,
        next_at TEXT,
        error TEXT
    );
",
    // Issue 23, after the request. Each booking's invite SEQUENCE (NULL until the client has
    // been sent one), how often it has changed (a form changes it only as it showed it), and
    // the times a client asked to move to. Each e-mail remembers what it
    // is about (the time, the time before, the SEQUENCE of its invite), so one queued before
    // a change still says what was true then; who it goes to (the therapist is told when a
    // client cancels or asks to move); and when it falls due (a reminder, the day before).
    // Every link to manage a booking, by its hash (the token itself is only in the e-mail),
    // with the time its e-mail was about (so an old link can say the booking moved).
    "
    ALTER TABLE booking_requests ADD COLUMN sequence INTEGER;
    ALTER TABLE booking_requests ADD COLUMN version INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE booking_requests ADD COLUMN move_times TEXT;
    ALTER TABLE client_emails ADD COLUMN recipient TEXT NOT NULL DEFAULT 'client';
    ALTER TABLE client_emails ADD COLUMN time TEXT;
    ALTER TABLE client_emails ADD COLUMN previous_time TEXT;
    ALTER TABLE client_emails ADD COLUMN sequence INTEGER;
    ALTER TABLE client_emails ADD COLUMN due_at TEXT;
    CREATE TABLE manage_links (
        hash TEXT PRIMARY KEY,
        request_id INTEGER NOT NULL,
        time TEXT,
        created_at TEXT NOT NULL
    );
    CREATE INDEX manage_links_request ON manage_links (request_id);
",
    // Issue 22, her diary: time she blocks in the inbox (UTC minutes since 1970, end
    // excluded, as `massage_core::diary::Span`), and the last good copy of her calendar's
    // feed with its validators, so a restart keeps her busy times before the first fetch.
    "
    CREATE TABLE blocked_time (
        id INTEGER PRIMARY KEY,
        start_minute INTEGER NOT NULL,
        end_minute INTEGER NOT NULL,
        note TEXT NOT NULL,
        created_at TEXT NOT NULL
    );
    CREATE INDEX blocked_time_by_end ON blocked_time (end_minute);
    CREATE TABLE calendar_feed (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        url_hash TEXT NOT NULL,
        body TEXT NOT NULL,
        etag TEXT,
        last_modified TEXT,
        fetched_at INTEGER NOT NULL
    );
",
    // Issue 23 review. Bookings confirmed before invites kept a SEQUENCE were sent SEQUENCE 0
    // with their confirmation (or will be, if it still waits to go): their clients' calendars
    // hold the event, so a move or a cancellation must update it.
    // The times a client asked to move to, kept as JSON in the request, are kept as in its
    // history and e-mails: joined by commas (`times_to_db`).
    "
    UPDATE booking_requests SET sequence = 0
    WHERE sequence IS NULL AND id IN (SELECT request_id FROM client_emails WHERE kind = 'confirmed');
    UPDATE booking_requests
    SET move_times = (SELECT group_concat(value, ',') FROM json_each(booking_requests.move_times))
    WHERE json_valid(move_times) AND json_type(move_times) = 'array';
",
    // Issue 22's review: her calendar is kept as busy times (start, end, title) over the
    // dates the diary needs, not as the whole feed (every description, place and other
    // people's addresses, in every backup); the feed's text stays in memory.
    "
    DROP TABLE calendar_feed;
    CREATE TABLE calendar_feed (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        first_date TEXT NOT NULL,
        last_date TEXT NOT NULL,
        fetched_at INTEGER NOT NULL
    );
    CREATE TABLE calendar_busy (
        start_minute INTEGER NOT NULL,
        end_minute INTEGER NOT NULL,
        summary TEXT NOT NULL
    );
",
];

/// Where a request stands. She answers a `New` one once; a booking (`Confirmed`, `ByPhone`)
/// can still be moved, cancelled, or asked to move (`Moving`, answered like a new one);
/// `Declined`, `Cancelled` and `Expired` are over.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Status {
    New,
    /// The client asked for other times: the old one is free again, and she answers.
    Moving,
    Confirmed,
    Declined,
    ByPhone,
    Cancelled,
    /// Nobody answered in time.
    Expired,
}

/// A status as stored; one the receiver does not know is an error (never taken for a new
/// request, which would offer to answer it).
impl rusqlite::types::FromSql for Status {
    fn column_result(value: rusqlite::types::ValueRef<'_>) -> rusqlite::types::FromSqlResult<Self> {
        match value.as_str()? {
            "new" => Ok(Self::New),
            "moving" => Ok(Self::Moving),
            "confirmed" => Ok(Self::Confirmed),
            "declined" => Ok(Self::Declined),
            "phone" => Ok(Self::ByPhone),
            "cancelled" => Ok(Self::Cancelled),
            "expired" => Ok(Self::Expired),
            other => Err(rusqlite::types::FromSqlError::Other(
                format!("unknown request status `{other}`").into(),
            )),
        }
    }
}

impl Status {
    fn to_db(self) -> &'static str {
        match self {
            Self::New => "new",
            Self::Moving => "moving",
            Self::Confirmed => "confirmed",
            Self::Declined => "declined",
            Self::ByPhone => "phone",
            Self::Cancelled => "cancelled",
            Self::Expired => "expired",
        }
    }

    /// She has still to answer it.
    pub(crate) fn awaits_answer(self) -> bool {
        matches!(self, Self::New | Self::Moving)
    }

    /// She may still give it a time (confirm it, or mark it arranged by phone): waiting for
    /// her, or expired (its client was asked to call her, and they agree a time then).
    pub(crate) fn may_book(self) -> bool {
        self.awaits_answer() || self == Self::Expired
    }

    /// A time held in her diary.
    pub(crate) fn is_booked(self) -> bool {
        matches!(self, Self::Confirmed | Self::ByPhone)
    }
}

/// What the therapist decided about a request.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Decision {
    /// Confirmed for this London time (`2026-12-01T18:00`).
    Confirm { time: String },
    /// Declined, with an optional message for the client.
    Decline { message: String },
    /// Settled with the client by phone for this London time: held in her diary like a
    /// confirmation, but nothing is e-mailed (unless the client's calendar holds an earlier
    /// invite for it, which then follows).
    ByPhone { time: String },
}

/// A stored request with where it stands, for the inbox.
#[derive(Clone, Debug)]
pub(crate) struct InboxRequest {
    pub(crate) id: i64,
    pub(crate) reference: String,
    pub(crate) received_at: String,
    pub(crate) request_json: String,
    pub(crate) consent_version: Option<String>,
    pub(crate) consent_given_at: Option<String>,
    pub(crate) status: Status,
    pub(crate) confirmed_time: Option<String>,
    /// When it last changed (decided, moved, asked to move, cancelled, expired), not only
    /// when she first answered: RFC 3339. A request asking to move expires counted from it,
    /// and one that is over is kept counted from it (`purge`).
    pub(crate) decided_at: Option<String>,
    /// The times the client asked to move to (London), newest request to move only.
    pub(crate) move_times: Vec<String>,
    /// How often it has changed: a form sends the version it showed, and changes nothing
    /// if the request has changed since.
    pub(crate) version: i64,
}

impl InboxRequest {
    /// The times she chooses from: those the client asked to move to (while they wait for
    /// her, or once that request expired), else those asked for.
    pub(crate) fn times_asked<'a>(&'a self, request: &'a BookingRequest) -> &'a [String] {
        if matches!(self.status, Status::Moving | Status::Expired) && !self.move_times.is_empty() {
            &self.move_times
        } else {
            &request.preferred_times
        }
    }
}

/// One line of a request's history: when, and what happened.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct HistoryEntry {
    pub(crate) at: String,
    pub(crate) what: Happened,
}

/// What happened to a request, as stored (the inbox puts it in words).
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Happened {
    /// A row of `decisions`: a decision, a change, a withdrawn consent (`CONSENT_WITHDRAWN`).
    Change {
        what: String,
        detail: Option<String>,
    },
    /// An e-mail of this kind went to the client.
    Emailed { kind: String },
}

/// The outcome of a decision: made now, or refused because one was made before.
#[derive(Debug, PartialEq)]
pub(crate) enum Decided {
    Now,
    Already(Status, Option<String>, Option<String>),
    /// Still waiting for her answer, but not as her page showed it.
    Changed,
    NotFound,
}

/// An e-mail owed to a client (or, about a client's change, to the therapist), with what it
/// needs to be written.
pub(crate) struct ClientEmail {
    pub(crate) id: i64,
    pub(crate) kind: String,
    pub(crate) message: Option<String>,
    pub(crate) attempts: u32,
    pub(crate) request: InboxRequest,
    /// What was true when it was queued: a later change has e-mails of its own.
    pub(crate) about: About,
    /// For the therapist, not the client.
    pub(crate) to_therapist: bool,
}

/// The booking an e-mail is about, as it was when the e-mail was queued.
#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) struct About {
    /// The appointment (London), when it has one.
    pub(crate) time: Option<String>,
    /// The time before a move.
    pub(crate) previous_time: Option<String>,
    /// The SEQUENCE of the calendar invite it carries; `None` carries none.
    pub(crate) sequence: Option<u32>,
}

/// The times a client asks to move to, as stored: in the request (`move_times`), its
/// history (`decisions.detail`) and the e-mails about it (`client_emails.message`), one
/// format: London times (`2026-12-01T18:00`, no commas in them) joined by commas.
pub(crate) fn times_to_db(times: &[String]) -> String {
    times.join(",")
}

/// The times `times_to_db` stored (none for none).
pub(crate) fn times_from_db(stored: Option<&str>) -> Vec<String> {
    stored
        .unwrap_or_default()
        .split(',')
        .filter(|t| !t.is_empty())
        .map(str::to_owned)
        .collect()
}

const REQUEST_COLUMNS: &str = "id, reference, received_at, request_json, consent_version, consent_given_at, status, confirmed_time, decided_at, move_times, version";

/// `REQUEST_COLUMNS` of `booking_requests` joined as `alias` (`r.id, r.reference, ...`).
fn request_columns_of(alias: &str) -> String {
    REQUEST_COLUMNS
        .split(", ")
        .map(|c| format!("{alias}.{c}"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn inbox_request(r: &rusqlite::Row<'_>, offset: usize) -> rusqlite::Result<InboxRequest> {
    Ok(InboxRequest {
        id: r.get(offset)?,
        reference: r.get(offset + 1)?,
        received_at: r.get(offset + 2)?,
        request_json: r.get(offset + 3)?,
        consent_version: r.get(offset + 4)?,
        consent_given_at: r.get(offset + 5)?,
        status: r.get(offset + 6)?,
        confirmed_time: r.get(offset + 7)?,
        decided_at: r.get(offset + 8)?,
        move_times: times_from_db(r.get::<_, Option<String>>(offset + 9)?.as_deref()),
        version: r.get(offset + 10)?,
    })
}

impl Store {
    pub(crate) fn open(path: &Path) -> rusqlite::Result<Self> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            let _ = std::fs::create_dir_all(dir);
        }
        let mut conn = Connection::open(path)?;
        conn.pragma_update(None, "journal_mode", "WAL")?;
        // Durable once COMMIT returns: an accepted request survives a crash or power cut.
        conn.pragma_update(None, "synchronous", "FULL")?;
        // What is deleted (a purged request, an erased client, a withdrawn health summary)
        // is overwritten with zeros, not left in free pages for anyone with the file to read.
        conn.pragma_update(None, "secure_delete", "ON")?;
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

    /// Runs `f` on the store off the async threads (SQLite blocks): the one way async code
    /// reaches the store.
    pub(crate) async fn call<T: Send + 'static>(
        self: &Arc<Self>,
        f: impl FnOnce(&Store) -> rusqlite::Result<T> + Send + 'static,
    ) -> Result<T, StoreError> {
        let store = self.clone();
        match tokio::task::spawn_blocking(move || f(&store)).await {
            Ok(Ok(value)) => Ok(value),
            Ok(Err(e)) => Err(StoreError(e.to_string())),
            Err(e) => Err(StoreError(format!("the database call stopped: {e}"))),
        }
    }

    fn conn(&self) -> std::sync::MutexGuard<'_, Connection> {
        // A panic while holding the lock cannot leave SQLite half-written (transactions roll
        // back), so a poisoned lock is safe to keep using.
        self.conn.lock().unwrap_or_else(|e| e.into_inner())
    }

    pub(crate) fn lookup(&self, key: &str) -> rusqlite::Result<Option<Replay>> {
        find_replay(&self.conn(), key)
    }

    /// Stores the response for `key` and, when given, the request, in one transaction. If
    /// the key was recorded meanwhile, nothing is written and that earlier answer returned.
    pub(crate) fn record(
        &self,
        key: &str,
        replay: &Replay,
        request: Option<&NewRequest<'_>>,
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
            if r.client_email {
                tx.execute(
                    "INSERT INTO client_emails (request_id, kind, created_at) VALUES (?1, 'receipt', ?2)",
                    params![tx.last_insert_rowid(), now],
                )?;
            }
        }
        tx.execute(
            "INSERT INTO idempotency (key, body_hash, status, response, created_at) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![key, replay.body_hash, replay.status, replay.body, now],
        )?;
        tx.commit()?;
        Ok(None)
    }

    /// Every stored request as a JSON object, oldest first.
    pub(crate) fn requests(&self) -> rusqlite::Result<Vec<serde_json::Value>> {
        let conn = self.conn();
        let mut stmt = conn.prepare(
            "SELECT reference, received_at, request_json, consent_version, consent_given_at, notified_at,
                    status, confirmed_time, decided_at
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
                "status": r.get::<_, String>(6)?,
                "confirmed_time": r.get::<_, Option<String>>(7)?,
                "decided_at": r.get::<_, Option<String>>(8)?,
            }))
        })?;
        rows.collect()
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

#[cfg(test)]
mod tests {
    use super::*;

    fn store_with_request(dir: &tempfile::TempDir) -> Store {
        let store = Store::open(&dir.path().join("b.sqlite")).unwrap();
        let new = NewRequest {
            reference: "AM-0000-0001",
            received_at: "2026-01-01T10:00:00Z",
            request_json: r#"{"email":"sam@example.com"}"#,
            consent_version: None,
            consent_given_at: None,
            client_email: true,
        };
        let replay = Replay {
            body_hash: "h".into(),
            status: 201,
            body: "{}".into(),
        };
        store
            .record("key-1", &replay, Some(&new), "2026-01-01T10:00:00Z")
            .unwrap();
        store
    }

    fn count(store: &Store, table: &str) -> i64 {
        store
            .conn()
            .query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0))
            .unwrap()
    }

    fn request(store: &Store, n: u32, received_at: &str, json: &str) -> String {
        let reference = format!("AM-0000-{n:04}");
        let new = NewRequest {
            reference: &reference,
            received_at,
            request_json: json,
            consent_version: None,
            consent_given_at: None,
            client_email: false,
        };
        let replay = Replay {
            body_hash: "h".into(),
            status: 201,
            body: "{}".into(),
        };
        store
            .record(&format!("key-{n}"), &replay, Some(&new), received_at)
            .unwrap();
        reference
    }

    fn file_holds(dir: &tempfile::TempDir, text: &str) -> bool {
        ["b.sqlite", "b.sqlite-wal"].iter().any(|name| {
            std::fs::read(dir.path().join(name))
                .is_ok_and(|bytes| bytes.windows(text.len()).any(|w| w == text.as_bytes()))
        })
    }

    #[test]
    fn a_confirmed_booking_is_kept_from_its_appointment_and_then_wiped_from_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("b.sqlite")).unwrap();
        let health = r#"{"health":{"summary":"SECRET-HEALTH-SUMMARY"}}"#;
        // Both arrived on 1 March; one is confirmed for 20 May, the other was declined.
        let confirmed = request(&store, 1, "2026-03-01T10:00:00Z", health);
        let declined = request(&store, 2, "2026-03-01T10:00:00Z", "{}");
        let at = "2026-03-01T11:00:00Z";
        let time = "2026-05-20T12:00".to_owned();
        store
            .decide(&confirmed, &Decision::Confirm { time }, Some(0), at, None)
            .unwrap();
        store
            .decide(
                &declined,
                &Decision::Decline {
                    message: String::new(),
                },
                Some(0),
                at,
                None,
            )
            .unwrap();
        assert!(file_holds(&dir, "SECRET-HEALTH-SUMMARY"));
        let references = |store: &Store| -> Vec<String> {
            store
                .requests()
                .unwrap()
                .into_iter()
                .map(|r| r["reference"].as_str().unwrap().to_owned())
                .collect()
        };
        // Cutoffs as on 31 May with 90 days' retention: the declined one goes, the booking
        // (its appointment still ahead) stays.
        assert_eq!(
            store
                .purge("2026-03-02T00:00:00Z", "2026-03-02T00:00")
                .unwrap(),
            1
        );
        assert_eq!(references(&store), [confirmed]);
        // Around 18 August, 90 days after the appointment: it goes too, and its health
        // summary is overwritten, not left in a free page or the write-ahead log.
        assert_eq!(
            store
                .purge("2026-08-18T00:00:00Z", "2026-05-20T11:59")
                .unwrap(),
            0
        );
        assert_eq!(
            store
                .purge("2026-08-19T00:00:00Z", "2026-05-20T12:01")
                .unwrap(),
            1
        );
        assert!(references(&store).is_empty());
        assert!(!file_holds(&dir, "SECRET-HEALTH-SUMMARY"));
    }

    #[test]
    fn a_file_from_before_the_review_keeps_its_invites_reminders_and_times_asked_for() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("b.sqlite");
        // A file as it was before: its booking's confirmation went with SEQUENCE 0, and no
        // SEQUENCE was kept.
        let backfill = MIGRATIONS
            .iter()
            .position(|m| m.contains("SET sequence = 0"))
            .unwrap();
        let conn = Connection::open(&path).unwrap();
        for migration in &MIGRATIONS[..backfill] {
            conn.execute_batch(migration).unwrap();
        }
        conn.pragma_update(None, "user_version", backfill).unwrap();
        conn.execute_batch(
            r#"INSERT INTO booking_requests (reference, idempotency_key, received_at, request_json, status, confirmed_time)
               VALUES ('AM-0000-0001', 'k1', '2026-01-01T10:00:00Z', '{"email":"sam@example.com"}', 'confirmed', '2026-01-09T12:00'),
                      ('AM-0000-0002', 'k2', '2026-01-01T10:00:00Z', '{"email":"jo@example.com"}', 'confirmed', '2026-01-08T12:00'),
                      ('AM-0000-0003', 'k3', '2026-01-01T10:00:00Z', '{"email":" "}', 'phone', '2026-01-09T15:00');
               UPDATE booking_requests SET move_times = '["2026-01-12T12:00","2026-01-13T15:00"]'
               WHERE reference = 'AM-0000-0003';
               INSERT INTO client_emails (request_id, kind, created_at, sent_at)
               VALUES (1, 'confirmed', '2026-01-01T11:00:00Z', '2026-01-01T11:00:01Z'),
                      (2, 'confirmed', '2026-01-01T11:00:00Z', NULL);"#,
        )
        .unwrap();
        drop(conn);
        let store = Store::open(&path).unwrap();
        // Times asked to move to, stored as JSON before, read as ever.
        assert_eq!(
            store
                .inbox_request("AM-0000-0003")
                .unwrap()
                .unwrap()
                .move_times,
            ["2026-01-12T12:00", "2026-01-13T15:00"]
        );

        // Cancelled: the calendar is sent the next SEQUENCE, a CANCEL.
        store
            .cancel(
                "AM-0000-0001",
                Actor::Therapist,
                Some(0),
                "",
                "2026-01-02T09:00:00Z",
            )
            .unwrap();
        let sequence: Option<u32> = store
            .conn()
            .query_row(
                "SELECT sequence FROM client_emails WHERE kind = 'cancelled'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(sequence, Some(1));

        // Each booking still to come with an address gets its reminder, once.
        let due = |time: &str| (time > "2026-01-08T12:00").then(|| format!("{time}:00Z"));
        let queue = || {
            store
                .queue_missing_reminders("2026-01-02T09:00", due, "2026-01-02T09:00:00Z")
                .unwrap()
        };
        assert_eq!(
            queue(),
            0,
            "one cancelled, one too soon, one without an address"
        );
        store
            .conn()
            .execute(
                "UPDATE booking_requests SET confirmed_time = '2026-01-10T12:00' WHERE id = 2",
                [],
            )
            .unwrap();
        assert_eq!(queue(), 1);
        assert_eq!(queue(), 0);
    }

    #[test]
    fn a_request_over_is_kept_from_its_last_change_with_the_email_it_is_still_owed() {
        let dir = tempfile::tempdir().unwrap();
        let store = store_with_request(&dir);
        let at = "2026-03-10T09:00:00Z";
        store
            .cancel("AM-0000-0001", Actor::Client, Some(0), "", at)
            .unwrap();
        // Arrived on 1 January, withdrawn on 10 March. On 2 April (90 days' retention: the
        // cutoff is 2 January) it is kept, though it arrived before the cutoff.
        assert_eq!(
            store
                .purge("2026-01-02T00:00:00Z", "2026-01-02T00:00")
                .unwrap(),
            0
        );
        assert_eq!(
            count(&store, "client_emails"),
            3,
            "receipt, cancellation, her notice"
        );
        // 90 days after it was withdrawn, it goes.
        assert_eq!(
            store
                .purge("2026-03-11T00:00:00Z", "2026-03-11T00:00")
                .unwrap(),
            1
        );
    }

    #[test]
    fn every_status_reads_back_as_written_and_an_unknown_one_is_an_error() {
        let conn = Connection::open_in_memory().unwrap();
        let read = |text: &str| conn.query_row("SELECT ?1", [text], |r| r.get::<_, Status>(0));
        for status in [
            Status::New,
            Status::Moving,
            Status::Confirmed,
            Status::Declined,
            Status::ByPhone,
            Status::Cancelled,
            Status::Expired,
        ] {
            assert_eq!(read(status.to_db()).unwrap(), status);
        }
        assert!(read("held").is_err());
    }

    #[test]
    fn a_decision_is_made_once_and_kept_only_as_long_as_its_request() {
        let dir = tempfile::tempdir().unwrap();
        let store = store_with_request(&dir);
        let confirm = Decision::Confirm {
            time: "2026-01-05T12:00".into(),
        };
        let at = "2026-01-02T09:00:00Z";
        assert_eq!(
            store
                .decide("AM-0000-0001", &confirm, Some(0), at, None)
                .unwrap(),
            Decided::Now
        );
        assert_eq!(
            store
                .decide(
                    "AM-0000-0001",
                    &Decision::ByPhone {
                        time: "2026-01-06T12:00".into()
                    },
                    Some(1),
                    "2026-01-02T09:01:00Z",
                    None
                )
                .unwrap(),
            Decided::Already(
                Status::Confirmed,
                Some("2026-01-05T12:00".into()),
                Some(at.into())
            )
        );
        assert_eq!(
            store
                .decide("AM-9999-9999", &confirm, Some(0), at, None)
                .unwrap(),
            Decided::NotFound
        );
        assert_eq!(
            (count(&store, "decisions"), count(&store, "client_emails")),
            (1, 2),
            "one decision; the receipt and the confirmation"
        );
        // Confirmed: kept by its appointment (5 January), not by its arrival (1 January).
        assert_eq!(
            store
                .purge("2026-01-03T00:00:00Z", "2026-01-05T11:59")
                .unwrap(),
            0
        );
        assert_eq!(
            store
                .purge("2026-01-03T00:00:00Z", "2026-01-05T12:01")
                .unwrap(),
            1
        );
        for table in [
            "booking_requests",
            "decisions",
            "client_emails",
            "idempotency",
        ] {
            assert_eq!(count(&store, table), 0, "{table}");
        }
    }
}
