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
