//! The retention period over the real binary: a confirmed booking is kept from its
//! appointment, anything else from its arrival; time she blocked, for a year after it ended.

mod common;

use common::{Server, database, noon_in, stored_requests, valid_body};

#[tokio::test]
async fn a_booking_confirmed_months_ahead_outlives_requests_that_arrived_with_it() {
    let dir = tempfile::tempdir().unwrap();
    let db = database(&dir);
    let server = Server::start(&["--database", db.to_str().unwrap()]).await;
    for (key, name) in [("key-00000950", "Booked"), ("key-00000951", "Undecided")] {
        let body = valid_body(name).to_string();
        assert_eq!(server.post(key, &body).await.status(), 201);
    }
    server.stop();
    // Both arrived 100 days ago; one was confirmed for next week.
    rusqlite::Connection::open(&db)
        .unwrap()
        .execute(
            "UPDATE booking_requests SET received_at = '2000-01-01T00:00:00Z',
                 status = CASE WHEN json_extract(request_json, '$.name') = 'Booked' THEN 'confirmed' ELSE 'new' END,
                 confirmed_time = CASE WHEN json_extract(request_json, '$.name') = 'Booked' THEN ?1 END",
            [noon_in(7)],
        )
        .unwrap();
    // Each has a link in an e-mail, and a notice to the therapist about it.
    rusqlite::Connection::open(&db)
        .unwrap()
        .execute_batch(
            "INSERT INTO manage_links (hash, request_id, created_at)
             SELECT 'LINK-HASH-' || id, id, received_at FROM booking_requests;
             INSERT INTO client_emails (request_id, kind, created_at, recipient)
             SELECT id, 'client_cancelled', received_at, 'therapist' FROM booking_requests;",
        )
        .unwrap();

    let server =
        Server::start(&["--database", db.to_str().unwrap(), "--retention-days", "90"]).await;
    server
        .logged(
            &["deleted requests past the retention period", "deleted=1"],
            1,
        )
        .await;
    let kept = stored_requests(&db);
    assert_eq!(kept.len(), 1, "{kept:?}");
    assert_eq!(kept[0]["request"]["name"], "Booked");
    assert_eq!(kept[0]["status"], "confirmed");
    // What belonged to the deleted one went with it.
    let conn = rusqlite::Connection::open(&db).unwrap();
    for table in ["manage_links", "client_emails"] {
        let left: i64 = conn
            .query_row(
                &format!(
                    "SELECT count(*) FROM {table} WHERE request_id NOT IN (SELECT id FROM booking_requests)"
                ),
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(left, 0, "{table}");
    }
    let notices: i64 = conn
        .query_row(
            "SELECT count(*) FROM client_emails WHERE recipient = 'therapist'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(notices, 1, "the booking's own notice stays");
}

#[tokio::test]
async fn time_blocked_over_a_year_ago_is_forgotten() {
    let dir = tempfile::tempdir().unwrap();
    let db = database(&dir);
    let server = Server::start(&["--database", db.to_str().unwrap()]).await;
    server.stop();
    let now_minute = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
        / 60;
    let conn = rusqlite::Connection::open(&db).unwrap();
    for (days_ago, note) in [(400, "long gone"), (300, "this year")] {
        let end = now_minute - days_ago * 1440;
        conn.execute(
            "INSERT INTO blocked_time (start_minute, end_minute, note, created_at)
             VALUES (?1, ?2, ?3, '2000-01-01T00:00:00Z')",
            rusqlite::params![end - 60, end, note],
        )
        .unwrap();
    }
    drop(conn);

    let server = Server::start(&["--database", db.to_str().unwrap()]).await;
    server
        .logged(&["deleted time blocked over a year ago", "deleted=1"], 1)
        .await;
    server.stop();
    let notes: Vec<String> = rusqlite::Connection::open(&db)
        .unwrap()
        .prepare("SELECT note FROM blocked_time")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert_eq!(notes, ["this year"]);
}
