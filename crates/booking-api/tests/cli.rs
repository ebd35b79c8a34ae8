//! The command line of the real binary: environment variables as fallbacks, flags first.

mod common;

use common::{Server, database};
use std::process::Command;

fn run(args: &[&str], env: &[(&str, &str)]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_booking-api"))
        .args(args)
        .envs(env.iter().copied())
        .output()
        .unwrap()
}

#[test]
fn help_lists_the_commands_and_settings() {
    let output = run(&["--help"], &[]);
    assert!(output.status.success());
    let help = String::from_utf8_lossy(&output.stdout);
    for text in [
        "set-password",
        "requests",
        "--public-url",
        "BOOKING_API_RATE_LIMIT",
    ] {
        assert!(help.contains(text), "{text} in {help}");
    }
}

#[test]
fn a_bad_environment_value_is_named_and_refused() {
    let output = run(&[], &[("BOOKING_API_RETENTION_DAYS", "0")]);
    assert_eq!(output.status.code(), Some(2));
    let message = String::from_utf8_lossy(&output.stderr);
    assert!(message.contains("--retention-days"), "{message}");
}

#[tokio::test]
async fn a_flag_wins_over_its_environment_variable() {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start_with_env(
        &[
            "--database",
            database(&dir).to_str().unwrap(),
            "--retention-days",
            "5",
        ],
        &[("BOOKING_API_RETENTION_DAYS", "0".into())],
    )
    .await;
    assert_eq!(server.get("/inbox").await.status(), 200);
}

/// `booking-api requests | head`: the reader goes away before the output ends. The command
/// stops quietly and succeeds, as `cat` would; it used to panic.
#[tokio::test]
async fn requests_stops_quietly_when_its_reader_goes_away() {
    let dir = tempfile::tempdir().unwrap();
    let db = database(&dir);
    let server = Server::start(&["--database", db.to_str().unwrap()]).await;
    let body = common::valid_body("Sam").to_string();
    assert_eq!(server.post("key-00000900", &body).await.status(), 201);
    server.stop();
    // A pipe whose reading end is closed before the command starts: its first write fails.
    let (reader, writer) = std::io::pipe().unwrap();
    drop(reader);
    let output = Command::new(env!("CARGO_BIN_EXE_booking-api"))
        .args(["requests", "--database"])
        .arg(&db)
        .stdout(writer)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{:?}: {stderr}", output.status);
    assert!(stderr.is_empty(), "{stderr}");
}
