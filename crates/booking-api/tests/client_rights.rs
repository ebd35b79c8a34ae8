//! A client's rights, as the privacy page promises them, through the real binary on a real
//! SQLite file: a copy of everything stored about them, withdrawing consent to the health
//! summary, and erasure.

mod common;

use common::{Server, database, stored_requests, valid_body};
use serde_json::{Value, json};
use std::path::Path;
use std::process::{Command, Output};

fn run(db: &Path, command: &str, email: &str) -> Output {
    let output = Command::new(env!("CARGO_BIN_EXE_booking-api"))
        .args([
            command,
            "--database",
            db.to_str().unwrap(),
            "--email",
            email,
        ])
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    output
}

fn file_holds(db: &Path, text: &str) -> bool {
    ["", "-wal"].iter().any(|suffix| {
        let mut path = db.as_os_str().to_owned();
        path.push(suffix);
        std::fs::read(path)
            .is_ok_and(|bytes| bytes.windows(text.len()).any(|w| w == text.as_bytes()))
    })
}

/// Two requests from Sam (one with a health summary, then asked to move), one from Alex;
/// each with a link to manage it and a notice to the therapist; the server stopped.
async fn requests_from_two_clients(dir: &tempfile::TempDir) -> std::path::PathBuf {
    let db = database(dir);
    let server = Server::start(&["--database", db.to_str().unwrap()]).await;
    let mut sam = valid_body("Sam");
    sam["health"] = json!({ "summary": "SAMS-HEALTH-SUMMARY", "consent": { "given": true, "text_version": "health-2026-11", "given_at": "2026-11-24T09:00:00Z" } });
    let mut alex = valid_body("Alex");
    alex["email"] = json!("alex@example.net");
    for (key, body) in [
        ("key-00000901", sam),
        ("key-00000902", valid_body("Sam")),
        ("key-00000903", alex),
    ] {
        assert_eq!(server.post(key, &body.to_string()).await.status(), 201);
    }
    server.stop();
    rusqlite::Connection::open(&db)
        .unwrap()
        .execute_batch(
            "UPDATE booking_requests SET status = 'moving', move_times = '2026-12-01T18:00' WHERE id = 1;
             INSERT INTO manage_links (hash, request_id, created_at)
             SELECT 'LINK-HASH-' || id, id, received_at FROM booking_requests;
             INSERT INTO client_emails (request_id, kind, message, created_at, recipient)
             SELECT id, 'move_asked', '2026-12-01T18:00', received_at, 'therapist' FROM booking_requests;",
        )
        .unwrap();
    db
}

#[tokio::test]
async fn export_gives_everything_about_one_client_and_nothing_about_others() {
    let dir = tempfile::tempdir().unwrap();
    let db = requests_from_two_clients(&dir).await;
    let output = run(&db, "export", " SAM@Example.com ");
    let export: Value = serde_json::from_slice(&output.stdout).unwrap();
    let requests = export["requests"].as_array().unwrap();
    assert_eq!(requests.len(), 2, "{export:#}");
    assert_eq!(
        requests[0]["request"]["health"]["summary"],
        "SAMS-HEALTH-SUMMARY"
    );
    assert_eq!(requests[0]["consent_version"], "health-2026-11");
    assert_eq!(requests[0]["status"], "moving");
    assert_eq!(requests[0]["emails_to_client"][0]["kind"], "receipt");
    assert_eq!(
        requests[0]["times_asked_to_move_to"],
        json!(["2026-12-01T18:00"])
    );
    assert_eq!(requests[0]["notices_to_therapist"][0]["kind"], "move_asked");
    assert_eq!(requests[0]["emails_to_client"].as_array().unwrap().len(), 1);
    assert!(
        requests[0]["reference"]
            .as_str()
            .unwrap()
            .starts_with("AM-")
    );
    assert!(!export.to_string().contains("Alex"), "{export:#}");
    let none = run(&db, "export", "nobody@example.com");
    let none: Value = serde_json::from_slice(&none.stdout).unwrap();
    assert_eq!(none["requests"], json!([]));
}

#[tokio::test]
async fn withdrawing_consent_deletes_the_health_summary_and_keeps_the_booking() {
    let dir = tempfile::tempdir().unwrap();
    let db = requests_from_two_clients(&dir).await;
    let output = run(&db, "withdraw-consent", "sam@example.com");
    assert!(
        String::from_utf8_lossy(&output.stderr).contains("from 1 requests"),
        "{output:?}"
    );
    let stored = stored_requests(&db);
    assert_eq!(stored.len(), 3, "every booking is kept");
    assert!(
        stored[0]["request"].get("health").is_none(),
        "{}",
        stored[0]
    );
    assert!(stored[0]["consent_version"].is_null());
    assert_eq!(stored[0]["request"]["name"], "Sam");
    assert!(
        !file_holds(&db, "SAMS-HEALTH-SUMMARY"),
        "overwritten in the file"
    );
    let export: Value =
        serde_json::from_slice(&run(&db, "export", "sam@example.com").stdout).unwrap();
    assert_eq!(
        export["requests"][0]["history"][0]["what"],
        "consent_withdrawn"
    );
}

#[tokio::test]
async fn erasing_a_client_deletes_every_trace_of_them_and_only_them() {
    let dir = tempfile::tempdir().unwrap();
    let db = requests_from_two_clients(&dir).await;
    assert!(file_holds(&db, "sam@example.com"));
    let output = run(&db, "erase", "Sam@example.com");
    assert!(
        String::from_utf8_lossy(&output.stderr).contains("deleted 2 requests"),
        "{output:?}"
    );
    let stored = stored_requests(&db);
    assert_eq!(stored.len(), 1);
    assert_eq!(stored[0]["request"]["name"], "Alex");
    for gone in ["sam@example.com", "SAMS-HEALTH-SUMMARY", "key-00000901"] {
        assert!(!file_holds(&db, gone), "{gone} is still in the file");
    }
    // Their receipts are no longer owed either: a server started now sends nothing to them.
    let conn = rusqlite::Connection::open(&db).unwrap();
    let owed: i64 = conn
        .query_row("SELECT count(*) FROM client_emails", [], |r| r.get(0))
        .unwrap();
    assert_eq!(owed, 2, "only Alex's receipt and the notice about Alex");
    let links: Vec<String> = conn
        .prepare("SELECT hash FROM manage_links")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert_eq!(links, ["LINK-HASH-3"], "only the link in Alex's e-mail");
}
