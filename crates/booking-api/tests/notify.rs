//! E-mail notifications, against a minimal SMTP server on loopback.

mod common;

use common::{Server, database, free_port, stored_requests, valid_body};
use serde_json::json;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpListener;

/// Accepts SMTP sessions and keeps each message's data.
async fn smtp_server(listener: TcpListener, messages: Arc<Mutex<Vec<String>>>) {
    loop {
        let (socket, _) = listener.accept().await.unwrap();
        let messages = messages.clone();
        tokio::spawn(async move {
            let (read, mut write) = socket.into_split();
            let mut lines = BufReader::new(read).lines();
            write.write_all(b"220 test ESMTP\r\n").await.unwrap();
            let mut data: Option<String> = None;
            while let Ok(Some(line)) = lines.next_line().await {
                if let Some(body) = data.as_mut() {
                    if line == "." {
                        messages.lock().unwrap().push(data.take().unwrap());
                        write.write_all(b"250 queued\r\n").await.unwrap();
                    } else {
                        body.push_str(&line);
                        body.push('\n');
                    }
                    continue;
                }
                let reply: &[u8] = match line
                    .get(..4)
                    .unwrap_or_default()
                    .to_ascii_uppercase()
                    .as_str()
                {
                    "EHLO" | "HELO" => b"250 test\r\n",
                    "DATA" => {
                        data = Some(String::new());
                        b"354 go ahead\r\n"
                    }
                    "QUIT" => {
                        let _ = write.write_all(b"221 bye\r\n").await;
                        break;
                    }
                    _ => b"250 ok\r\n",
                };
                write.write_all(reply).await.unwrap();
            }
        });
    }
}

fn smtp_env(port: u16) -> Vec<(&'static str, String)> {
    vec![
        ("SMTP_HOST", "127.0.0.1".into()),
        ("SMTP_PORT", port.to_string()),
        ("SMTP_TLS", "none".into()),
        ("NOTIFY_TO", "therapist@example.com".into()),
        ("SMTP_FROM", "site@example.com".into()),
        ("NOTIFY_RETRY_SECONDS", "1".into()),
    ]
}

async fn wait_for(messages: &Arc<Mutex<Vec<String>>>, count: usize) {
    for _ in 0..100 {
        if messages.lock().unwrap().len() >= count {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!(
        "expected {count} e-mails, got {}",
        messages.lock().unwrap().len()
    );
}

#[tokio::test]
async fn the_therapist_is_emailed_each_request_without_health_details() {
    let dir = tempfile::tempdir().unwrap();
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let messages = Arc::new(Mutex::new(Vec::new()));
    tokio::spawn(smtp_server(listener, messages.clone()));
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
    let messages = Arc::new(Mutex::new(Vec::new()));
    tokio::spawn(smtp_server(listener, messages.clone()));
    wait_for(&messages, 1).await;
    assert!(messages.lock().unwrap()[0].contains("Sam"));
}
