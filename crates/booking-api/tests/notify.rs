//! E-mail notifications, against a minimal SMTP server on loopback.

mod common;

use common::smtp::{self, env as smtp_env, wait_for};
use common::{Server, database, free_port, stored_requests, valid_body};
use serde_json::json;
use std::time::Duration;
use tokio::net::TcpListener;

#[tokio::test]
async fn the_therapist_is_emailed_each_request_without_health_details() {
    let dir = tempfile::tempdir().unwrap();
    let (port, messages) = smtp::start().await;
    let db = database(&dir);
    let server =
        Server::start_with_env(&["--database", db.to_str().unwrap()], &smtp_env(port)).await;
    let mut body = valid_body("Sam");
    body["health"] = json!({ "summary": "SECRET-HEALTH-DETAIL", "consent": { "given": true, "text_version": "health-2026-11", "given_at": "2026-11-24T09:00:00Z" } });
    let reply: serde_json::Value = server
        .post("key-00000100", &body.to_string())
        .await
        .json()
        .await
        .unwrap();
    wait_for(&messages, 1).await;
    let mail = messages.lock().unwrap()[0].clone();
    assert!(
        mail.contains(reply["reference"].as_str().unwrap()),
        "{mail}"
    );
    assert!(
        mail.contains("Sam") && mail.contains("Deep tissue massage"),
        "{mail}"
    );
    assert!(
        !mail.contains("SECRET-HEALTH-DETAIL"),
        "health details must not be e-mailed"
    );
    for _ in 0..50 {
        if !stored_requests(&db)[0]["notified_at"].is_null() {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("the request was not marked as e-mailed");
}

#[tokio::test]
async fn a_failed_email_keeps_the_request_and_is_retried_later() {
    let dir = tempfile::tempdir().unwrap();
    let port = free_port();
    let db = database(&dir);
    // No SMTP server yet: sending fails.
    let server =
        Server::start_with_env(&["--database", db.to_str().unwrap()], &smtp_env(port)).await;
    assert_eq!(
        server
            .post("key-00000101", &valid_body("Sam").to_string())
            .await
            .status(),
        201
    );
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let stored = stored_requests(&db);
    assert_eq!(stored.len(), 1);
    assert!(stored[0]["notified_at"].is_null());
    // The server comes up: the next attempt delivers it.
    let listener = TcpListener::bind(("127.0.0.1", port)).await.unwrap();
    let messages = smtp::Messages::default();
    tokio::spawn(smtp::serve(listener, messages.clone()));
    wait_for(&messages, 1).await;
    assert!(messages.lock().unwrap()[0].contains("Sam"));
}

/// A client's address that the mail server refuses: after the last attempt the therapist is
/// told, once, which request it was, and the log says it was given up on.
#[tokio::test]
async fn a_client_email_given_up_on_is_told_to_the_therapist_once() {
    let dir = tempfile::tempdir().unwrap();
    let (port, messages) = smtp::start().await;
    let db = database(&dir);
    let mut env = smtp_env(port);
    env.push(("NOTIFY_MAX_ATTEMPTS", "2".into()));
    let server = Server::start_with_env(&["--database", db.to_str().unwrap()], &env).await;
    let mut body = valid_body("Sam");
    body["email"] = json!(format!("sam@{}", smtp::REFUSED));
    let reply: serde_json::Value = server
        .post("key-00000102", &body.to_string())
        .await
        .json()
        .await
        .unwrap();
    let reference = reply["reference"].as_str().unwrap();
    server
        .logged(&["ERROR", "GIVING UP e-mailing the client", reference], 1)
        .await;
    // The next request's notice comes after any second alert would have.
    assert_eq!(
        server
            .post("key-00000103", &valid_body("Alex").to_string())
            .await
            .status(),
        201
    );
    server.logged(&["INFO", "client e-mailed"], 1).await;
    wait_for(&messages, 4).await;
    let alerts: Vec<String> = messages
        .lock()
        .unwrap()
        .iter()
        .filter(|m| m.contains("the client was not e-mailed"))
        .cloned()
        .collect();
    assert_eq!(alerts.len(), 1, "{alerts:?}");
    assert!(
        alerts[0].contains(reference) && alerts[0].contains("To: therapist@example.com"),
        "{}",
        alerts[0]
    );
    server.logged(&["the therapist was e-mailed"], 1).await;
}
