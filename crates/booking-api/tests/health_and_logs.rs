//! What the operator sees: the request log, the cause of every 5xx, and `/healthz`, over
//! real HTTP against real SQLite files.

mod common;

use common::{Server, database, free_port, smtp, valid_body};
use serde_json::{Value, json};

#[tokio::test]
async fn each_request_is_one_line_without_its_query_secrets_body_or_health_details() {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(&["--database", database(&dir).to_str().unwrap()]).await;
    let mut body = valid_body("Sam Secretname");
    body["health"] = json!({ "summary": "SECRET-HEALTH-DETAIL", "consent": { "given": true, "text_version": "health-2026-11", "given_at": "2026-11-24T09:00:00Z" } });
    assert_eq!(
        server
            .post("key-00000700", &body.to_string())
            .await
            .status(),
        201
    );
    assert_eq!(
        server
            .get("/inbox/sign-in?next=/inbox/TOKEN-IN-QUERY")
            .await
            .status(),
        200
    );
    let posted = server
        .logged(
            &[
                "method=POST",
                "path=/api/booking-requests",
                "status=201",
                "ms=",
            ],
            1,
        )
        .await;
    assert_eq!(posted.len(), 1, "{posted:?}");
    server
        .logged(&["method=GET", "path=/inbox/sign-in", "status=200"], 1)
        .await;
    server.logged(&["stored request", "reference=AM-"], 1).await;
    // Secrets in addresses: a client's link to their booking, her diary feed.
    assert_eq!(server.get("/manage/TOKEN-IN-PATH").await.status(), 404);
    let cancel = server
        .client
        .post(format!("{}/manage/TOKEN-IN-PATH/cancel", server.base))
        .header("content-type", "application/x-www-form-urlencoded")
        .body("seen=1")
        .send()
        .await
        .unwrap();
    assert_eq!(cancel.status(), 403);
    assert_eq!(server.get("/diary/FEED-SECRET.ics").await.status(), 404);
    server
        .logged(&["path=/manage/…/cancel", "status=403"], 1)
        .await;
    server.logged(&["path=/diary/…", "status=404"], 1).await;
    let log = server.log();
    for private in [
        "TOKEN-IN-PATH",
        "FEED-SECRET",
        "TOKEN-IN-QUERY",
        "SECRET-HEALTH-DETAIL",
        "Secretname",
        "sam@example.com",
    ] {
        assert!(!log.contains(private), "{private} in the log:\n{log}");
    }
}

#[tokio::test]
async fn a_database_failure_is_a_500_whose_cause_is_logged() {
    let dir = tempfile::tempdir().unwrap();
    let db = database(&dir);
    let server = Server::start(&["--database", db.to_str().unwrap()]).await;
    // The table the first answer to each key goes in is gone (a damaged or tampered file).
    rusqlite::Connection::open(&db)
        .unwrap()
        .execute_batch("DROP TABLE idempotency")
        .unwrap();
    let answer = server
        .post("key-00000701", &valid_body("Sam").to_string())
        .await;
    assert_eq!(answer.status(), 500);
    let body: Value = answer.json().await.unwrap();
    assert_eq!(body["errors"][0]["code"], "server_error");
    assert!(
        !body.to_string().contains("idempotency"),
        "the client is not told the database's insides: {body}"
    );
    let lines = server
        .logged(
            &[
                "ERROR",
                "request failed",
                "status=500",
                "no such table: idempotency",
            ],
            1,
        )
        .await;
    assert!(lines[0].contains("path=/api/booking-requests"), "{lines:?}");
}

async fn health(server: &Server) -> (u16, Value) {
    let answer = server.get("/healthz").await;
    let status = answer.status().as_u16();
    assert_eq!(answer.headers()["cache-control"], "no-store");
    (status, answer.json().await.unwrap())
}

#[tokio::test]
async fn healthz_fails_while_the_database_cannot_be_written() {
    let dir = tempfile::tempdir().unwrap();
    let db = database(&dir);
    let server = Server::start(&["--database", db.to_str().unwrap()]).await;
    let (status, body) = health(&server).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["status"], "ok");
    assert_eq!(body["database"]["writable"], true);
    assert_eq!(body["mail"]["enabled"], false);
    assert_eq!(body["backup"]["scheduled"], false);

    // Another process holds the write lock for longer than the receiver waits (5 s).
    let locker = rusqlite::Connection::open(&db).unwrap();
    locker.execute_batch("BEGIN EXCLUSIVE").unwrap();
    let (status, body) = health(&server).await;
    assert_eq!(status, 503, "{body}");
    assert_eq!(body["status"], "failing");
    assert_eq!(body["database"]["writable"], false);
    assert!(
        body["problems"][0].as_str().unwrap().contains("locked"),
        "{body}"
    );
    locker.execute_batch("ROLLBACK").unwrap();
    assert_eq!(health(&server).await.0, 200);

    // Only the failing answer is logged: a monitor asks every few seconds.
    let lines = server.logged(&["path=/healthz"], 1).await;
    assert_eq!(lines.len(), 1, "{lines:?}");
    assert!(
        lines[0].contains("status=503") && lines[0].contains("locked"),
        "{lines:?}"
    );
}

#[tokio::test]
async fn healthz_fails_when_email_is_stuck() {
    let dir = tempfile::tempdir().unwrap();
    let db = database(&dir);
    // Nothing listens on the SMTP port: every send fails and is retried later.
    let server = Server::start_with_env(
        &["--database", db.to_str().unwrap()],
        &smtp::env(free_port()),
    )
    .await;
    assert_eq!(
        server
            .post("key-00000702", &valid_body("Sam").to_string())
            .await
            .status(),
        201
    );
    let (status, body) = health(&server).await;
    assert_eq!(status, 200, "just queued is not overdue: {body}");
    assert_eq!(
        body["mail"]["pending"], 2,
        "the therapist's notice, the receipt"
    );
    // As if it had been failing for an hour.
    rusqlite::Connection::open(&db)
        .unwrap()
        .execute_batch(
            "UPDATE booking_requests SET received_at = '2000-01-01T00:00:00Z';
             UPDATE client_emails SET created_at = '2000-01-01T00:00:00Z';",
        )
        .unwrap();
    let (status, body) = health(&server).await;
    assert_eq!(status, 503, "{body}");
    assert_eq!(body["mail"]["overdue"], 2, "{body}");
    assert!(
        body["problems"][0]
            .as_str()
            .unwrap()
            .contains("2 e-mails unsent after 15 minutes"),
        "{body}"
    );
}
