//! The booking endpoint over real HTTP, with a real SQLite file.

mod common;

use common::{Server, database, stored_requests, valid_body};
use serde_json::{Value, json};

async fn start(dir: &tempfile::TempDir, extra: &[&str]) -> Server {
    let db = database(dir);
    let mut args = vec!["--database", db.to_str().unwrap()];
    args.extend_from_slice(extra);
    Server::start(&args).await
}

async fn json_body(response: reqwest::Response) -> Value {
    response.json().await.unwrap()
}

#[tokio::test]
async fn a_valid_request_is_stored_once_and_retries_get_the_same_answer() {
    let dir = tempfile::tempdir().unwrap();
    let server = start(&dir, &[]).await;
    let body = valid_body("Sam").to_string();
    let first = server
        .post("6f1c2f0e-8a4b-4c1d-9e2f-000000000001", &body)
        .await;
    assert_eq!(first.status(), 201);
    let first = first.text().await.unwrap();
    let reference = serde_json::from_str::<Value>(&first).unwrap()["reference"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(reference.starts_with("AM-"), "{reference}");

    let retry = server
        .post("6f1c2f0e-8a4b-4c1d-9e2f-000000000001", &body)
        .await;
    assert_eq!(retry.status(), 201);
    assert_eq!(
        retry.text().await.unwrap(),
        first,
        "a retry replays the first response"
    );

    let stored = stored_requests(&database(&dir));
    assert_eq!(stored.len(), 1);
    assert_eq!(stored[0]["reference"], reference.as_str());
    assert_eq!(stored[0]["request"]["name"], "Sam");
    assert_eq!(stored[0]["request"]["time_zone"], "Europe/London");
}

#[tokio::test]
async fn the_same_key_with_a_different_body_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let server = start(&dir, &[]).await;
    assert_eq!(
        server
            .post("key-00000001", &valid_body("Sam").to_string())
            .await
            .status(),
        201
    );
    let other = server
        .post("key-00000001", &valid_body("Someone else").to_string())
        .await;
    assert_eq!(other.status(), 422);
    assert_eq!(
        json_body(other).await["errors"][0]["code"],
        "idempotency_key_reused"
    );
    assert_eq!(stored_requests(&database(&dir)).len(), 1);
}

#[tokio::test]
async fn invalid_fields_get_422_with_a_message_per_field() {
    let dir = tempfile::tempdir().unwrap();
    let server = start(&dir, &[]).await;
    let mut body = valid_body("");
    body["email"] = json!("not-an-email");
    body["preferred_times"] = json!(["2020-01-01T12:00"]);
    let response = server.post("key-00000002", &body.to_string()).await;
    assert_eq!(response.status(), 422);
    let errors = json_body(response).await["errors"]
        .as_array()
        .unwrap()
        .clone();
    let fields: Vec<&str> = errors
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    assert_eq!(fields, ["preferred_times.0", "name", "email"]);
    assert!(
        errors
            .iter()
            .all(|e| !e["message"].as_str().unwrap().is_empty())
    );
    assert!(stored_requests(&database(&dir)).is_empty());
}

#[tokio::test]
async fn control_characters_get_422_invalid_on_their_field_and_are_not_stored() {
    let dir = tempfile::tempdir().unwrap();
    let server = start(&dir, &[]).await;
    // A line break in the name would fake a line such as "Phone: ..." in the e-mail.
    let mut body = valid_body("Sam\r\nPhone: 0800 000 000");
    body["notes"] = json!("Second floor\nRing twice\u{1b}[2J");
    let response = server.post("key-00000003", &body.to_string()).await;
    assert_eq!(response.status(), 422);
    let errors = json_body(response).await["errors"]
        .as_array()
        .unwrap()
        .clone();
    let found: Vec<(&str, &str)> = errors
        .iter()
        .map(|e| (e["field"].as_str().unwrap(), e["code"].as_str().unwrap()))
        .collect();
    assert_eq!(found, [("name", "invalid"), ("notes", "invalid")]);
    let message = errors[0]["message"].as_str().unwrap();
    assert!(message.contains("a line break"), "{message}");
    assert!(stored_requests(&database(&dir)).is_empty());
    // Line breaks alone are fine in the notes.
    body["name"] = json!("Sam Client");
    body["notes"] = json!("Second floor\r\nRing twice");
    let response = server.post("key-00000004", &body.to_string()).await;
    assert_eq!(response.status(), 201);
}

#[tokio::test]
async fn bodies_that_are_too_large_not_json_or_malformed_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let server = start(&dir, &[]).await;
    let code = |v: Value| v["errors"][0]["code"].as_str().unwrap().to_owned();

    let huge = json!({ "notes": "x".repeat(20_000) }).to_string();
    let r = server.post("key-00000003", &huge).await;
    assert_eq!(r.status(), 413);
    assert_eq!(code(json_body(r).await), "too_large");

    let r = server
        .client
        .post(format!("{}/api/booking-requests", server.base))
        .header("content-type", "text/plain")
        .header("idempotency-key", "key-00000004")
        .body("hello")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 415);

    let r = server.post("key-00000005", "{not json").await;
    assert_eq!(r.status(), 400);
    assert_eq!(code(json_body(r).await), "malformed");

    let r = server.post("key-00000006", r#"{"service_id": 7}"#).await;
    assert_eq!(r.status(), 400);

    let r = server
        .client
        .post(format!("{}/api/booking-requests", server.base))
        .header("content-type", "application/json")
        .body(valid_body("Sam").to_string())
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
    assert_eq!(code(json_body(r).await), "idempotency_key_required");

    let r = server.get("/api/booking-requests").await;
    assert_eq!(r.status(), 405);
    assert!(stored_requests(&database(&dir)).is_empty());
}

#[tokio::test]
async fn too_many_new_requests_get_429_with_retry_after_but_retries_still_replay() {
    let dir = tempfile::tempdir().unwrap();
    let server = start(&dir, &["--rate-limit", "2"]).await;
    let body = valid_body("Sam").to_string();
    assert_eq!(server.post("key-00000010", &body).await.status(), 201);
    assert_eq!(
        server
            .post("key-00000011", &valid_body("Two").to_string())
            .await
            .status(),
        201
    );
    let limited = server
        .post("key-00000012", &valid_body("Three").to_string())
        .await;
    assert_eq!(limited.status(), 429);
    let retry_after: u64 = limited.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!(retry_after > 0);
    // A retry of an accepted request is not a new request: it is answered as before.
    assert_eq!(server.post("key-00000010", &body).await.status(), 201);
    assert_eq!(stored_requests(&database(&dir)).len(), 2);
}

#[tokio::test]
async fn fifty_concurrent_retries_of_one_key_store_one_row() {
    let dir = tempfile::tempdir().unwrap();
    let server = start(&dir, &[]).await;
    let body = valid_body("Sam").to_string();
    let responses =
        futures::future::join_all((0..50).map(|_| server.post("key-00000020", &body))).await;
    let mut created = Vec::new();
    for r in responses {
        match r.status().as_u16() {
            201 => created.push(r.text().await.unwrap()),
            409 => assert_eq!(json_body(r).await["errors"][0]["code"], "in_progress"),
            other => panic!("unexpected status {other}"),
        }
    }
    assert!(!created.is_empty());
    assert!(
        created.iter().all(|b| b == &created[0]),
        "every 201 carries the same reference"
    );
    // Whatever answered 409 gets the stored answer on its next try.
    assert_eq!(
        server
            .post("key-00000020", &body)
            .await
            .text()
            .await
            .unwrap(),
        created[0]
    );
    assert_eq!(stored_requests(&database(&dir)).len(), 1);
}

#[tokio::test]
async fn a_restart_keeps_every_request_and_every_answer() {
    let dir = tempfile::tempdir().unwrap();
    let body = valid_body("Sam").to_string();
    let server = start(&dir, &[]).await;
    let first = server
        .post("key-00000030", &body)
        .await
        .text()
        .await
        .unwrap();
    server.stop();
    let server = start(&dir, &[]).await;
    assert_eq!(
        server
            .post("key-00000030", &body)
            .await
            .text()
            .await
            .unwrap(),
        first
    );
    assert_eq!(stored_requests(&database(&dir)).len(), 1);
}

#[tokio::test]
async fn honeypot_submissions_look_accepted_but_are_not_stored() {
    let dir = tempfile::tempdir().unwrap();
    let server = start(&dir, &[]).await;
    let mut body = valid_body("Bot");
    body["website"] = json!("https://spam.example");
    let r = server.post("key-00000040", &body.to_string()).await;
    assert_eq!(r.status(), 201);
    assert!(
        json_body(r).await["reference"]
            .as_str()
            .unwrap()
            .starts_with("AM-")
    );
    assert!(stored_requests(&database(&dir)).is_empty());
}

#[tokio::test]
async fn health_summaries_need_consent_and_the_consent_is_recorded() {
    let dir = tempfile::tempdir().unwrap();
    let server = start(&dir, &[]).await;
    let mut body = valid_body("Sam");
    body["health"] = json!({ "summary": "Where is the pain? Lower back", "consent": { "given": false, "text_version": "health-2026-11", "given_at": "2026-11-24T09:00:00Z" } });
    let r = server.post("key-00000050", &body.to_string()).await;
    assert_eq!(r.status(), 422);
    assert_eq!(json_body(r).await["errors"][0]["field"], "health_consent");
    body["health"]["consent"]["given"] = json!(true);
    assert_eq!(
        server
            .post("key-00000051", &body.to_string())
            .await
            .status(),
        201
    );
    let stored = stored_requests(&database(&dir));
    assert_eq!(stored[0]["consent_version"], "health-2026-11");
    assert_eq!(stored[0]["consent_given_at"], "2026-11-24T09:00:00Z");
}

#[tokio::test]
async fn sites_on_allowed_origins_may_post_and_others_get_no_cors_grant() {
    let dir = tempfile::tempdir().unwrap();
    let server = start(&dir, &["--cors-origin", "https://site.example"]).await;
    let preflight = |origin: &'static str| {
        server
            .client
            .request(
                reqwest::Method::OPTIONS,
                format!("{}/api/booking-requests", server.base),
            )
            .header("origin", origin)
            .header("access-control-request-method", "POST")
            .header(
                "access-control-request-headers",
                "content-type,idempotency-key",
            )
            .send()
    };
    let allowed = preflight("https://site.example").await.unwrap();
    assert_eq!(
        allowed.headers()["access-control-allow-origin"],
        "https://site.example"
    );
    let headers = allowed.headers()["access-control-allow-headers"]
        .to_str()
        .unwrap()
        .to_lowercase();
    assert!(headers.contains("idempotency-key"), "{headers}");
    let other = preflight("https://evil.example").await.unwrap();
    assert!(other.headers().get("access-control-allow-origin").is_none());
}
