//! After the answer: a booking moved or cancelled (by the client through the link in their
//! e-mails, or by the therapist), a client asking for other times, a request that expired
//! unanswered; the reminder each booking gets; the links in the client's e-mails. Each change
//! reads the booking and writes it in one transaction holding the write lock, and only from
//! the state the page showed (`seen`: its version), so it happens once however often it is
//! asked for, and never on top of a change the asker has not seen.
//!
//! Every change that reaches a client whose calendar holds the booking's invite sends the
//! same UID again with the next SEQUENCE: the new time, or a cancellation.

use super::{
    About, InboxRequest, REQUEST_COLUMNS, Status, Store, inbox_request, request_columns_of,
    times_to_db,
};
use rusqlite::{OptionalExtension, Transaction, TransactionBehavior, params};

/// Who cancels.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Actor {
    Client,
    Therapist,
}

/// The outcome of a change.
#[derive(Debug)]
pub(crate) enum Changed {
    Now,
    /// Not made: the booking is no longer as the page showed it (or cannot change that
    /// way); here it is as it stands.
    Stale(Box<InboxRequest>),
    NotFound,
}

/// A booking as it stands, read inside the transaction that changes it.
pub(super) struct Current {
    pub(super) id: i64,
    pub(super) status: Status,
    /// The time it is (or was) booked for.
    pub(super) time: Option<String>,
    pub(super) decided_at: Option<String>,
    pub(super) version: i64,
    /// The SEQUENCE of the last invite the client was sent; `None`: they have none.
    sequence: Option<u32>,
    /// The client gave an e-mail address.
    pub(super) client_email: bool,
}

impl Current {
    /// The client's calendar holds this booking: an invite was sent, and not cancelled since
    /// (a declined, cancelled or expired request's invite was).
    pub(super) fn invited(&self) -> bool {
        self.sequence.is_some()
            && !matches!(
                self.status,
                Status::Declined | Status::Cancelled | Status::Expired
            )
    }

    fn next_sequence(&self) -> u32 {
        self.sequence.map_or(0, |s| s + 1)
    }
}

pub(super) fn current(tx: &Transaction<'_>, reference: &str) -> rusqlite::Result<Option<Current>> {
    tx.query_row(
        "SELECT id, status, confirmed_time, decided_at, sequence, request_json, version
         FROM booking_requests WHERE reference = ?1",
        [reference],
        |r| {
            Ok(Current {
                id: r.get(0)?,
                status: r.get(1)?,
                time: r.get(2)?,
                decided_at: r.get(3)?,
                sequence: r.get(4)?,
                client_email: has_email(&r.get::<_, String>(5)?),
                version: r.get(6)?,
            })
        },
    )
    .optional()
}

/// Whether a stored request gave an e-mail address (as the receiver read it on arrival: not
/// blank once trimmed).
fn has_email(request_json: &str) -> bool {
    serde_json::from_str::<serde_json::Value>(request_json)
        .ok()
        .and_then(|request| request.get("email")?.as_str().map(|e| !e.trim().is_empty()))
        .unwrap_or(false)
}

/// An e-mail to queue: to whom, what kind, and what it is about.
struct Queued<'a> {
    kind: &'a str,
    to_therapist: bool,
    message: Option<&'a str>,
    about: About,
    /// Not before this moment (RFC 3339): a reminder.
    due_at: Option<&'a str>,
}

fn queue(tx: &Transaction<'_>, id: i64, e: &Queued<'_>, now: &str) -> rusqlite::Result<()> {
    tx.execute(
        "INSERT INTO client_emails
             (request_id, kind, message, created_at, recipient, time, previous_time, sequence, due_at, next_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?9)",
        params![
            id,
            e.kind,
            e.message,
            now,
            if e.to_therapist { "therapist" } else { "client" },
            e.about.time,
            e.about.previous_time,
            e.about.sequence,
            e.due_at
        ],
    )?;
    Ok(())
}

/// Replaces the booking's unsent reminder with one for `reminder` (the appointment and when
/// to remind of it), or none: a cancelled or moved booking is never reminded of its old time.
/// Callers give none for a client without an e-mail address (`has_email`).
pub(super) fn set_reminder(
    tx: &Transaction<'_>,
    id: i64,
    reminder: Option<(&str, &str)>,
    now: &str,
) -> rusqlite::Result<()> {
    tx.execute(
        "DELETE FROM client_emails WHERE request_id = ?1 AND kind = 'reminder' AND sent_at IS NULL",
        [id],
    )?;
    let Some((time, due_at)) = reminder else {
        return Ok(());
    };
    let e = Queued {
        kind: "reminder",
        to_therapist: false,
        message: None,
        about: About {
            time: Some(time.to_owned()),
            ..About::default()
        },
        due_at: Some(due_at),
    };
    queue(tx, id, &e, now)
}

/// Sends the client the invite for `time` (`kind`: a confirmation or a move from
/// `previous`), with the next SEQUENCE, which the booking keeps.
pub(super) fn send_invite(
    tx: &Transaction<'_>,
    before: &Current,
    kind: &str,
    time: &str,
    previous: Option<&str>,
    now: &str,
) -> rusqlite::Result<()> {
    let sequence = before.next_sequence();
    tx.execute(
        "UPDATE booking_requests SET sequence = ?2 WHERE id = ?1",
        params![before.id, sequence],
    )?;
    let about = About {
        time: Some(time.to_owned()),
        previous_time: previous.map(str::to_owned),
        sequence: Some(sequence),
    };
    let e = Queued {
        kind,
        to_therapist: false,
        message: None,
        about,
        due_at: None,
    };
    queue(tx, before.id, &e, now)
}

/// Tells the client the booking is off (`kind`: declined, cancelled, expired ...), with
/// the invite's cancellation (the next SEQUENCE) when their calendar holds it.
pub(super) fn send_cancel(
    tx: &Transaction<'_>,
    before: &Current,
    kind: &str,
    message: Option<&str>,
    now: &str,
) -> rusqlite::Result<()> {
    let sequence = before.invited().then(|| before.next_sequence());
    if sequence.is_some() {
        tx.execute(
            "UPDATE booking_requests SET sequence = ?2 WHERE id = ?1",
            params![before.id, sequence],
        )?;
    }
    let about = About {
        time: before.time.clone(),
        previous_time: None,
        sequence,
    };
    let e = Queued {
        kind,
        to_therapist: false,
        message,
        about,
        due_at: None,
    };
    queue(tx, before.id, &e, now)
}

/// What her notice of a client's change says was booked: the time it frees (`time`), or,
/// for a booking its client had already asked to move, the time given up then
/// (`previous_time`).
fn freed(before: &Current) -> About {
    match before.status {
        status if status.is_booked() => About {
            time: before.time.clone(),
            ..About::default()
        },
        Status::Moving => About {
            previous_time: before.time.clone(),
            ..About::default()
        },
        _ => About::default(),
    }
}

fn record(
    tx: &Transaction<'_>,
    id: i64,
    what: &str,
    detail: Option<&str>,
    now: &str,
) -> rusqlite::Result<()> {
    tx.execute(
        "INSERT INTO decisions (request_id, at, status, detail) VALUES (?1, ?2, ?3, ?4)",
        params![id, now, what, detail],
    )?;
    Ok(())
}

/// Marks a change, so a form sent from a page that showed the request before it is refused.
pub(super) fn changed(tx: &Transaction<'_>, id: i64) -> rusqlite::Result<()> {
    tx.execute(
        "UPDATE booking_requests SET version = version + 1 WHERE id = ?1",
        [id],
    )?;
    Ok(())
}

impl Store {
    /// Reads the booking and, when it is as the asker saw it (`seen`, its version; a form
    /// without one matches none) and `allowed` from where it stands, makes `change` in the
    /// same transaction; else the booking as it stands.
    fn change(
        &self,
        reference: &str,
        seen: Option<i64>,
        allowed: fn(Status) -> bool,
        change: impl FnOnce(&Transaction<'_>, &Current) -> rusqlite::Result<()>,
    ) -> rusqlite::Result<Changed> {
        let mut conn = self.conn();
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let Some(before) = current(&tx, reference)? else {
            return Ok(Changed::NotFound);
        };
        if seen != Some(before.version) || !allowed(before.status) {
            let stands = tx.query_row(
                &format!("SELECT {REQUEST_COLUMNS} FROM booking_requests WHERE id = ?1"),
                [before.id],
                |r| inbox_request(r, 0),
            )?;
            return Ok(Changed::Stale(Box::new(stands)));
        }
        change(&tx, &before)?;
        changed(&tx, before.id)?;
        tx.commit()?;
        Ok(Changed::Now)
    }

    /// Cancels a booking (the therapist: a confirmed one; the client: any still to come,
    /// or their request still unanswered). Its time is free again at once; the client is
    /// e-mailed (the invite cancelled), and the therapist, when the client cancelled.
    pub(crate) fn cancel(
        &self,
        reference: &str,
        actor: Actor,
        seen: Option<i64>,
        message: &str,
        now: &str,
    ) -> rusqlite::Result<Changed> {
        let allowed: fn(Status) -> bool = match actor {
            Actor::Client => |s| s.awaits_answer() || s.is_booked(),
            Actor::Therapist => Status::is_booked,
        };
        self.change(reference, seen, allowed, |tx, before| {
            tx.execute(
                "UPDATE booking_requests SET status = 'cancelled', decided_at = ?2 WHERE id = ?1",
                params![before.id, now],
            )?;
            set_reminder(tx, before.id, None, now)?;
            let (what, detail) = match actor {
                Actor::Client => ("client_cancelled", None),
                Actor::Therapist => ("cancelled", Some(message).filter(|m| !m.is_empty())),
            };
            record(tx, before.id, what, detail, now)?;
            if before.client_email {
                send_cancel(tx, before, what, detail, now)?;
            }
            if actor == Actor::Client {
                let e = Queued {
                    kind: what,
                    to_therapist: true,
                    message: None,
                    about: freed(before),
                    due_at: None,
                };
                queue(tx, before.id, &e, now)?;
            }
            Ok(())
        })
    }

    /// The client asks for other `times` (London): the booking waits for her answer again
    /// (`Moving`), its old time free at once and its reminder gone; she is e-mailed, and the
    /// client gets an acknowledgement. Their calendar keeps the old time until she answers.
    pub(crate) fn ask_to_move(
        &self,
        reference: &str,
        times: &[String],
        seen: Option<i64>,
        now: &str,
    ) -> rusqlite::Result<Changed> {
        let allowed = |s: Status| s.awaits_answer() || s.is_booked();
        let listed = times_to_db(times);
        self.change(reference, seen, allowed, |tx, before| {
            tx.execute(
                "UPDATE booking_requests SET status = 'moving', move_times = ?2, decided_at = ?3
                 WHERE id = ?1",
                params![before.id, listed, now],
            )?;
            set_reminder(tx, before.id, None, now)?;
            record(tx, before.id, "move_asked", Some(&listed), now)?;
            let her = Queued {
                kind: "move_asked",
                to_therapist: true,
                message: Some(&listed),
                about: freed(before),
                due_at: None,
            };
            queue(tx, before.id, &her, now)?;
            if before.client_email {
                let theirs = Queued {
                    to_therapist: false,
                    about: About {
                        time: before.time.clone().filter(|_| before.status != Status::New),
                        ..About::default()
                    },
                    ..her
                };
                queue(tx, before.id, &theirs, now)?;
            }
            Ok(())
        })
    }

    /// The therapist moves a booking to `time` (London): the client is sent the updated
    /// invite, and the reminder follows (`reminder_at`, if still ahead).
    pub(crate) fn move_booking(
        &self,
        reference: &str,
        time: &str,
        seen: Option<i64>,
        now: &str,
        reminder_at: Option<&str>,
    ) -> rusqlite::Result<Changed> {
        self.change(reference, seen, Status::is_booked, |tx, before| {
            tx.execute(
                "UPDATE booking_requests SET confirmed_time = ?2, decided_at = ?3 WHERE id = ?1",
                params![before.id, time, now],
            )?;
            let reminder = reminder_at.filter(|_| before.client_email);
            set_reminder(tx, before.id, reminder.map(|at| (time, at)), now)?;
            record(tx, before.id, "moved", Some(time), now)?;
            if before.client_email {
                send_invite(tx, before, "moved", time, before.time.as_deref(), now)?;
            }
            Ok(())
        })
    }

    /// The requests waiting for her answer (new, or asking to move), for the expiry sweep.
    pub(crate) fn waiting(&self) -> rusqlite::Result<Vec<InboxRequest>> {
        let conn = self.conn();
        let mut stmt = conn.prepare(&format!(
            "SELECT {REQUEST_COLUMNS} FROM booking_requests WHERE status IN ('new', 'moving') ORDER BY id"
        ))?;
        let rows = stmt.query_map([], |r| inbox_request(r, 0))?;
        rows.collect()
    }

    /// Expires a request nobody answered, unless it was answered or changed since it was
    /// read (`seen`, its version): the client is told (their invite cancelled, if they asked
    /// to move a booking they held), and so is she, whether or not the client could be (a
    /// client without an e-mail address is not told: she calls them). Returns whether it
    /// expired now.
    pub(crate) fn expire(&self, reference: &str, seen: i64, now: &str) -> rusqlite::Result<bool> {
        let changed = self.change(
            reference,
            Some(seen),
            Status::awaits_answer,
            |tx, before| {
                tx.execute(
                    "UPDATE booking_requests SET status = 'expired', decided_at = ?2 WHERE id = ?1",
                    params![before.id, now],
                )?;
                record(tx, before.id, "expired", None, now)?;
                if before.client_email {
                    send_cancel(tx, before, "expired", None, now)?;
                }
                let e = Queued {
                    kind: "expired",
                    to_therapist: true,
                    message: None,
                    about: About {
                        time: before.time.clone(),
                        ..About::default()
                    },
                    due_at: None,
                };
                queue(tx, before.id, &e, now)
            },
        )?;
        Ok(matches!(changed, Changed::Now))
    }

    /// Tells her a request is about to expire, once for each time it waits for her (since
    /// `asked_at`, RFC 3339: its arrival, or the client's latest request to move), unless it
    /// was answered or changed since it was read (`seen`). Changes nothing else: her open
    /// page stays as it is. Returns whether she is told now.
    pub(crate) fn warn_expiring(
        &self,
        reference: &str,
        seen: i64,
        asked_at: &str,
        now: &str,
    ) -> rusqlite::Result<bool> {
        let mut conn = self.conn();
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let Some(before) = current(&tx, reference)? else {
            return Ok(false);
        };
        let warned: bool = tx.query_row(
            "SELECT EXISTS (SELECT 1 FROM client_emails WHERE request_id = ?1
                 AND recipient = 'therapist' AND kind = 'expiring' AND created_at >= ?2)",
            params![before.id, asked_at],
            |r| r.get(0),
        )?;
        if warned || before.version != seen || !before.status.awaits_answer() {
            return Ok(false);
        }
        let e = Queued {
            kind: "expiring",
            to_therapist: true,
            message: None,
            about: About::default(),
            due_at: None,
        };
        queue(&tx, before.id, &e, now)?;
        tx.commit()?;
        Ok(true)
    }

    /// Queues the reminder of every booking still to come (from `from`, London) with an
    /// e-mail address that has none, sent or waiting: bookings made before reminders
    /// existed. `due` says when a booking at a time is reminded of, if that is still ahead.
    /// Returns how many were queued.
    pub(crate) fn queue_missing_reminders(
        &self,
        from: &str,
        due: impl Fn(&str) -> Option<String>,
        now: &str,
    ) -> rusqlite::Result<usize> {
        let mut conn = self.conn();
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let missing: Vec<(i64, String, String)> = tx
            .prepare(
                "SELECT id, confirmed_time, request_json FROM booking_requests r
                 WHERE status IN ('confirmed', 'phone') AND confirmed_time >= ?1
                   AND NOT EXISTS (SELECT 1 FROM client_emails e
                                   WHERE e.request_id = r.id AND e.kind = 'reminder')",
            )?
            .query_map([from], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
            .collect::<rusqlite::Result<_>>()?;
        let mut queued = 0;
        for (id, time, request_json) in missing {
            if let Some(at) = due(&time).filter(|_| has_email(&request_json)) {
                set_reminder(&tx, id, Some((&time, &at)), now)?;
                queued += 1;
            }
        }
        tx.commit()?;
        Ok(queued)
    }

    /// Keeps the hash of a new link to manage a request, sent in an e-mail about `time`
    /// (the token itself is only in the e-mail).
    pub(crate) fn add_manage_link(
        &self,
        request_id: i64,
        hash: &str,
        time: Option<&str>,
        now: &str,
    ) -> rusqlite::Result<()> {
        self.conn().execute(
            "INSERT INTO manage_links (hash, request_id, time, created_at) VALUES (?1, ?2, ?3, ?4)",
            params![hash, request_id, time, now],
        )?;
        Ok(())
    }

    /// Forgets the link with this hash: its e-mail was never sent.
    pub(crate) fn forget_manage_link(&self, hash: &str) -> rusqlite::Result<()> {
        self.conn()
            .execute("DELETE FROM manage_links WHERE hash = ?1", [hash])?;
        Ok(())
    }

    /// The request a link (by its token's hash) manages, and the time its e-mail was about.
    pub(crate) fn by_manage_link(
        &self,
        hash: &str,
    ) -> rusqlite::Result<Option<(InboxRequest, Option<String>)>> {
        let columns = request_columns_of("r");
        self.conn()
            .query_row(
                &format!(
                    "SELECT l.time, {columns} FROM manage_links l
                     JOIN booking_requests r ON r.id = l.request_id WHERE l.hash = ?1"
                ),
                [hash],
                |r| Ok((inbox_request(r, 1)?, r.get(0)?)),
            )
            .optional()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::{Decided, Decision, NewRequest, Replay};

    fn store_with(dir: &tempfile::TempDir, email: &str) -> Store {
        let store = Store::open(&dir.path().join("b.sqlite")).unwrap();
        let json = serde_json::json!({ "email": email, "preferred_times": ["2026-01-05T12:00"] });
        let new = NewRequest {
            reference: "AM-0000-0001",
            received_at: "2026-01-01T10:00:00Z",
            request_json: &json.to_string(),
            consent_version: None,
            consent_given_at: None,
            client_email: !email.is_empty(),
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

    fn version(store: &Store) -> i64 {
        store
            .inbox_request("AM-0000-0001")
            .unwrap()
            .unwrap()
            .version
    }

    fn kinds(store: &Store) -> Vec<(String, Option<u32>)> {
        let conn = store.conn();
        let mut stmt = conn
            .prepare(
                "SELECT kind, sequence FROM client_emails WHERE recipient = 'client' ORDER BY id",
            )
            .unwrap();
        stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .unwrap()
            .map(Result::unwrap)
            .collect()
    }

    #[test]
    fn an_answer_and_the_expiry_never_both_happen() {
        let dir = tempfile::tempdir().unwrap();
        let store = store_with(&dir, "sam@example.com");
        let read = version(&store);
        assert!(
            store
                .expire("AM-0000-0001", read, "2026-01-03T10:00:00Z")
                .unwrap()
        );
        let confirm = Decision::Confirm {
            time: "2026-01-05T12:00".into(),
        };
        // Her page showed it waiting: her answer from it changes nothing (a decline, never:
        // it is over; a time, only from the page that shows it expired).
        assert_eq!(
            store
                .decide(
                    "AM-0000-0001",
                    &confirm,
                    Some(read),
                    "2026-01-03T10:00:01Z",
                    None
                )
                .unwrap(),
            Decided::Changed
        );

        // Answered after the sweep read it: the sweep changes nothing.
        let dir = tempfile::tempdir().unwrap();
        let store = store_with(&dir, "sam@example.com");
        let read = version(&store);
        store
            .decide(
                "AM-0000-0001",
                &confirm,
                Some(read),
                "2026-01-02T10:00:00Z",
                None,
            )
            .unwrap();
        assert!(
            !store
                .expire("AM-0000-0001", read, "2026-01-03T10:00:00Z")
                .unwrap()
        );
        assert_eq!(
            kinds(&store),
            [("receipt".into(), None), ("confirmed".into(), Some(0))]
        );
    }

    fn notices(store: &Store, kind: &str) -> i64 {
        store
            .conn()
            .query_row(
                "SELECT count(*) FROM client_emails WHERE recipient = 'therapist' AND kind = ?1",
                [kind],
                |r| r.get(0),
            )
            .unwrap()
    }

    #[test]
    fn she_is_warned_once_each_time_a_request_waits_and_told_when_it_expires() {
        let dir = tempfile::tempdir().unwrap();
        let store = store_with(&dir, "");
        let arrived = "2026-01-01T10:00:00Z";
        let seen = version(&store);
        for at in ["2026-01-03T04:00:00Z", "2026-01-03T04:01:00Z"] {
            store
                .warn_expiring("AM-0000-0001", seen, arrived, at)
                .unwrap();
        }
        assert_eq!(notices(&store, "expiring"), 1, "warned once");
        // The client asks for other times: it waits again, and is warned again.
        let times = ["2026-01-09T12:00".to_owned()];
        store
            .ask_to_move("AM-0000-0001", &times, Some(seen), "2026-01-03T05:00:00Z")
            .unwrap();
        let seen = version(&store);
        let asked = "2026-01-03T05:00:00Z";
        store
            .warn_expiring("AM-0000-0001", seen, asked, "2026-01-04T23:00:00Z")
            .unwrap();
        assert_eq!(notices(&store, "expiring"), 2);
        // Expired: she is told though the client (no e-mail address) cannot be.
        assert!(
            store
                .expire("AM-0000-0001", seen, "2026-01-05T05:00:00Z")
                .unwrap()
        );
        assert_eq!(notices(&store, "expired"), 1);
        assert_eq!(kinds(&store), [], "nothing to a client without an address");
        assert!(
            !store
                .warn_expiring(
                    "AM-0000-0001",
                    version(&store),
                    asked,
                    "2026-01-05T05:01:00Z"
                )
                .unwrap()
        );
    }

    #[test]
    fn each_change_to_an_invited_booking_sends_the_next_sequence_and_only_from_what_was_seen() {
        let dir = tempfile::tempdir().unwrap();
        let store = store_with(&dir, "sam@example.com");
        let confirm = Decision::Confirm {
            time: "2026-01-05T12:00".into(),
        };
        store
            .decide(
                "AM-0000-0001",
                &confirm,
                Some(version(&store)),
                "2026-01-02T10:00:00Z",
                Some("2026-01-04T10:00:00Z"),
            )
            .unwrap();
        let seen = version(&store);
        let moved = store
            .move_booking(
                "AM-0000-0001",
                "2026-01-06T15:00",
                Some(seen),
                "2026-01-02T11:00:00Z",
                None,
            )
            .unwrap();
        assert!(matches!(moved, Changed::Now));
        // The same page's second tap: refused, nothing queued.
        let again = store
            .move_booking(
                "AM-0000-0001",
                "2026-01-06T16:00",
                Some(seen),
                "2026-01-02T11:00:01Z",
                None,
            )
            .unwrap();
        assert!(matches!(again, Changed::Stale(_)));
        let cancelled = store
            .cancel(
                "AM-0000-0001",
                Actor::Client,
                Some(version(&store)),
                "",
                "2026-01-02T12:00:00Z",
            )
            .unwrap();
        assert!(matches!(cancelled, Changed::Now));
        assert_eq!(
            kinds(&store),
            [
                ("receipt".into(), None),
                ("confirmed".into(), Some(0)),
                ("moved".into(), Some(1)),
                ("client_cancelled".into(), Some(2)),
            ],
            "the reminder queued with the confirmation went with the move"
        );
        let to_her: i64 = store
            .conn()
            .query_row(
                "SELECT count(*) FROM client_emails WHERE recipient = 'therapist' AND kind = 'client_cancelled'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(to_her, 1);
        // Over: the therapist cannot cancel it again, nor move it.
        let late = store
            .cancel(
                "AM-0000-0001",
                Actor::Therapist,
                Some(version(&store)),
                "",
                "2026-01-02T13:00:00Z",
            )
            .unwrap();
        assert!(matches!(late, Changed::Stale(_)));
    }
}
