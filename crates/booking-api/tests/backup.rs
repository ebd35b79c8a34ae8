//! Backups and restores of real SQLite files in temporary folders, through the real binary:
//! `booking-api backup` and `restore`, and the server's own schedule.

mod common;

use common::smtp::{self, env as smtp_env};
use common::{Server, database, stored_requests, valid_body};
use serde_json::json;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_booking-api"))
        .args(args)
        .output()
        .unwrap()
}

fn text(path: &Path) -> &str {
    path.to_str().unwrap()
}

/// A database holding three requests, one with a health summary; the server is stopped.
async fn database_with_requests(dir: &tempfile::TempDir) -> PathBuf {
    let db = database(dir);
    let server = Server::start(&["--database", text(&db)]).await;
    for (i, name) in ["Sam", "Alex", "Jo"].iter().enumerate() {
        let mut body = valid_body(name);
        if i == 1 {
            body["health"] = json!({ "summary": "Lower back, two weeks", "consent": { "given": true, "text_version": "health-2026-11", "given_at": "2026-11-24T09:00:00Z" } });
        }
        let key = format!("key-0000080{i}");
        assert_eq!(server.post(&key, &body.to_string()).await.status(), 201);
    }
    server.stop();
    db
}

fn backups_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    names.sort();
    names
}

fn mode(path: &Path) -> u32 {
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

#[tokio::test]
async fn a_backup_restored_into_a_fresh_file_has_every_request() {
    let dir = tempfile::tempdir().unwrap();
    let db = database_with_requests(&dir).await;
    let folder = dir.path().join("backups");
    // Older backups, and a file of someone else's that rotation must leave alone.
    std::fs::create_dir(&folder).unwrap();
    for old in ["20000101T000000Z", "20000102T000000Z", "20000103T000000Z"] {
        std::fs::write(folder.join(format!("bookings-{old}.sqlite")), "old").unwrap();
    }
    std::fs::write(folder.join("notes.txt"), "mine").unwrap();

    let output = run(&[
        "backup",
        "--database",
        text(&db),
        "--to",
        text(&folder),
        "--keep",
        "2",
    ]);
    assert!(output.status.success(), "{output:?}");
    let said = String::from_utf8_lossy(&output.stderr);
    assert!(
        said.contains("backed up to") && said.contains("(checked)"),
        "{said}"
    );
    let names = backups_in(&folder);
    assert_eq!(names.len(), 3, "{names:?}");
    assert_eq!(
        names[0], "bookings-20000103T000000Z.sqlite",
        "the newest old one is kept"
    );
    assert_eq!(names[2], "notes.txt");
    let backup = folder.join(&names[1]);
    assert_eq!(mode(&backup), 0o600, "health data: the owner's only");

    let fresh = dir.path().join("restored/bookings.sqlite");
    std::fs::create_dir(fresh.parent().unwrap()).unwrap();
    let output = run(&[
        "restore",
        "--database",
        text(&fresh),
        "--from",
        text(&backup),
    ]);
    assert!(output.status.success(), "{output:?}");
    assert!(String::from_utf8_lossy(&output.stderr).contains("(3 requests)"));
    let (before, after) = (stored_requests(&db), stored_requests(&fresh));
    assert_eq!(after.len(), 3);
    assert_eq!(
        before, after,
        "every request, with every field, health summary included"
    );
    assert_eq!(
        after[1]["request"]["health"]["summary"],
        "Lower back, two weeks"
    );
}

#[tokio::test]
async fn a_damaged_backup_is_refused_and_nothing_changes() {
    let dir = tempfile::tempdir().unwrap();
    let db = database_with_requests(&dir).await;
    let folder = dir.path().join("backups");
    assert!(
        run(&["backup", "--database", text(&db), "--to", text(&folder)])
            .status
            .success()
    );
    let backup = folder.join(&backups_in(&folder)[0]);
    // A disk that lost part of the file: every page after the first overwritten.
    let mut bytes = std::fs::read(&backup).unwrap();
    assert!(bytes.len() > 8192, "{} bytes", bytes.len());
    for b in &mut bytes[4096..] {
        *b = 0xA5;
    }
    let damaged = dir.path().join("damaged.sqlite");
    std::fs::write(&damaged, &bytes).unwrap();
    let not_sqlite = dir.path().join("notes.sqlite");
    std::fs::write(
        &not_sqlite,
        "not a database at all, just some text to fill a page",
    )
    .unwrap();

    let before = std::fs::read(&db).unwrap();
    for bad in [&damaged, &not_sqlite] {
        let output = run(&["restore", "--database", text(&db), "--from", text(bad)]);
        assert_eq!(output.status.code(), Some(1));
        let said = String::from_utf8_lossy(&output.stderr);
        assert!(
            said.contains("is damaged or not a backup") && said.contains("nothing was changed"),
            "{said}"
        );
    }
    assert_eq!(
        std::fs::read(&db).unwrap(),
        before,
        "the database is untouched"
    );
    assert_eq!(stored_requests(&db).len(), 3);
}

#[tokio::test]
async fn restoring_keeps_the_replaced_database_and_waits_for_the_receiver_to_stop() {
    let dir = tempfile::tempdir().unwrap();
    let db = database_with_requests(&dir).await;
    let folder = dir.path().join("backups");
    assert!(
        run(&["backup", "--database", text(&db), "--to", text(&folder)])
            .status
            .success()
    );
    let backup = folder.join(&backups_in(&folder)[0]);

    // A request that came after the backup: the replaced database still has it.
    let server = Server::start(&["--database", text(&db)]).await;
    assert_eq!(
        server
            .post("key-00000810", &valid_body("Late").to_string())
            .await
            .status(),
        201
    );
    let output = run(&["restore", "--database", text(&db), "--from", text(&backup)]);
    assert_eq!(output.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&output.stderr).contains("stop it first"),
        "{output:?}"
    );
    server.stop();
    assert_eq!(stored_requests(&db).len(), 4, "refused: nothing changed");

    let output = run(&["restore", "--database", text(&db), "--from", text(&backup)]);
    assert!(output.status.success(), "{output:?}");
    let said = String::from_utf8_lossy(&output.stderr);
    let aside = said
        .split("kept as ")
        .nth(1)
        .map(|rest| PathBuf::from(rest.trim()))
        .unwrap_or_else(|| panic!("{said}"));
    assert_eq!(stored_requests(&db).len(), 3, "as backed up");
    let kept = stored_requests(&aside);
    assert_eq!(kept.len(), 4);
    assert_eq!(kept[3]["request"]["name"], "Late");
}

#[tokio::test]
async fn the_server_backs_up_on_its_schedule_and_healthz_shows_it() {
    let dir = tempfile::tempdir().unwrap();
    let db = database_with_requests(&dir).await;
    let folder = dir.path().join("var/backups");
    let server = Server::start(&["--database", text(&db), "--backup-dir", text(&folder)]).await;
    server
        .logged(&["INFO", "backed up", "var/backups/bookings-"], 1)
        .await;
    assert_eq!(mode(&folder), 0o700);
    let names = backups_in(&folder);
    assert_eq!(names.len(), 1, "{names:?}");
    let health: serde_json::Value = server.get("/healthz").await.json().await.unwrap();
    assert_eq!(health["status"], "ok", "{health}");
    assert_eq!(health["backup"]["scheduled"], true);
    assert_eq!(health["backup"]["every_seconds"], 86_400);
    assert!(
        health["backup"]["last_age_seconds"].as_i64().unwrap() < 60,
        "{health}"
    );
    server.stop();
    let restored = dir.path().join("restored.sqlite");
    let from = folder.join(&names[0]);
    assert!(
        run(&[
            "restore",
            "--database",
            text(&restored),
            "--from",
            text(&from)
        ])
        .status
        .success()
    );
    assert_eq!(stored_requests(&restored), stored_requests(&db));
}

/// A folder that cannot be made (its parent is a file): every try fails, the therapist is
/// e-mailed once, not at every retry, and `/healthz` says why.
#[tokio::test]
async fn a_failing_backup_is_emailed_once_and_fails_healthz() {
    let dir = tempfile::tempdir().unwrap();
    let db = database_with_requests(&dir).await;
    let file = dir.path().join("a-file");
    std::fs::write(&file, "").unwrap();
    let folder = file.join("backups");
    let (port, messages) = smtp::start().await;
    let server = Server::start_with_env(
        &[
            "--database",
            text(&db),
            "--backup-dir",
            text(&folder),
            "--backup-every",
            "1s",
        ],
        &smtp_env(port),
    )
    .await;
    // The alert goes out between the first failure and the second try.
    server.logged(&["ERROR", "backup failed"], 3).await;
    let alerts: Vec<String> = messages
        .lock()
        .unwrap()
        .iter()
        .filter(|m| m.contains("backup failed"))
        .cloned()
        .collect();
    assert_eq!(alerts.len(), 1, "{alerts:?}");
    assert!(alerts[0].contains("a-file/backups"), "{}", alerts[0]);
    let answer = server.get("/healthz").await;
    assert_eq!(answer.status(), 503);
    let health: serde_json::Value = answer.json().await.unwrap();
    assert!(
        health["problems"][0]
            .as_str()
            .unwrap()
            .starts_with("the last backup failed"),
        "{health}"
    );
}

/// Backups made by a timer outside the receiver (`booking-api backup`, as deploy/ installs
/// it): when they stop, `/healthz` fails and the therapist is e-mailed once; a fresh backup
/// puts it right.
#[tokio::test]
async fn backups_from_a_timer_that_stop_fail_healthz_and_are_emailed_once() {
    let dir = tempfile::tempdir().unwrap();
    let db = database_with_requests(&dir).await;
    let folder = dir.path().join("backups");
    let backup = || {
        let made = run(&["backup", "--database", text(&db), "--to", text(&folder)]);
        assert!(made.status.success(), "{made:?}");
    };
    backup();
    let (port, messages) = smtp::start().await;
    let server = Server::start_with_env(
        &["--database", text(&db), "--backup-max-age", "3s"],
        &smtp_env(port),
    )
    .await;
    let health: serde_json::Value = server.get("/healthz").await.json().await.unwrap();
    assert_eq!(health["status"], "ok", "{health}");
    assert_eq!(health["backup"]["scheduled"], false);
    assert_eq!(health["backup"]["max_age_seconds"], 3);

    // The timer "stops": the backup grows older than allowed.
    server.logged(&["ERROR", "backups have stopped"], 1).await;
    let answer = server.get("/healthz").await;
    assert_eq!(answer.status(), 503);
    let health: serde_json::Value = answer.json().await.unwrap();
    assert!(
        health["problems"][0]
            .as_str()
            .unwrap()
            .starts_with("the newest backup is"),
        "{health}"
    );
    let alerts = |messages: &std::sync::Mutex<Vec<String>>| {
        messages
            .lock()
            .unwrap()
            .iter()
            .filter(|m| m.contains("backups have stopped"))
            .count()
    };
    // Told once, though the watcher has looked twice more since.
    server
        .logged(&["WARN", "backups are still overdue"], 2)
        .await;
    assert_eq!(alerts(&messages), 1);

    backup();
    let health: serde_json::Value = server.get("/healthz").await.json().await.unwrap();
    assert_eq!(health["status"], "ok", "{health}");
}
