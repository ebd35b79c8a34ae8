//! The retention period over the real binary: a confirmed booking is kept from its
//! appointment, anything else from its arrival.

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
