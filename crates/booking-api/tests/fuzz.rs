//! Fuzzing the receiver over real HTTP (proptest, stable Rust): any body, content type and
//! idempotency key gets an answer that is not a server error, as JSON with a message, and
//! the receiver keeps running. The request's own rules are fuzzed in massage-core's
//! tests/fuzz.rs; this drives the whole path the receiver takes (headers, size, JSON, rules,
//! storage). `make test-native` runs a few cases (PROPTEST_CASES); `make fuzz` many more.

mod common;

use common::{Server, database, valid_body};
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};

/// A body near a valid request: one field swapped for any JSON value or string, or the
/// text cut and spliced, so that cases get past the JSON reader to the rules.
fn body() -> impl Strategy<Value = String> {
    let valid = valid_body("Sam Client").to_string();
    let field = prop::sample::select(vec![
        "service_id",
        "minutes",
        "location",
        "address",
        "postcode",
        "preferred_times",
        "time_zone",
        "name",
        "email",
        "phone",
        "notes",
        "health",
        "website",
        "extra",
    ]);
    let value = prop_oneof![
        ".*".prop_map(serde_json::Value::String),
        any::<i64>().prop_map(serde_json::Value::from),
        any::<f64>().prop_map(serde_json::Value::from),
        Just(serde_json::Value::Null),
        prop::collection::vec(".*", 0..5).prop_map(|v| serde_json::json!(v)),
        ".*".prop_map(|s| serde_json::json!({ "summary": s, "consent": { "given": true } })),
    ];
    let spliced = (0..valid.len(), 0..valid.len(), ".{0,20}").prop_map({
        let valid = valid.clone();
        move |(a, b, insert)| {
            let (a, b) = (a.min(b), a.max(b));
            let (a, b) = (floor(&valid, a), floor(&valid, b));
            format!("{}{insert}{}", &valid[..a], &valid[b..])
        }
    });
    prop_oneof![
        (field, value).prop_map(move |(field, value)| {
            let mut body = valid_body("Sam Client");
            body[field] = value;
            body.to_string()
        }),
        spliced,
        ".*",
    ]
}

/// The char boundary at or before `i`.
fn floor(text: &str, mut i: usize) -> usize {
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// The receiver on a fresh database, with a rate limit no fuzzing run reaches.
async fn unlimited_server(dir: &tempfile::TempDir) -> Server {
    let db = database(dir);
    Server::start(&[
        "--database",
        db.to_str().unwrap(),
        "--rate-limit",
        "1000000",
    ])
    .await
}

#[tokio::test(flavor = "multi_thread")]
async fn any_request_gets_an_answer_and_never_a_server_error() {
    let dir = tempfile::tempdir().unwrap();
    let server = unlimited_server(&dir).await;
    let content_type = prop_oneof![
        4 => Just("application/json".to_owned()),
        1 => "[ -~]{0,40}",
    ];
    let key = prop_oneof![4 => "[a-zA-Z0-9-]{8,64}", 1 => "[ -~]{0,80}"];
    let cases = (body(), content_type, key);
    let handle = tokio::runtime::Handle::current();
    let client = server.client.clone();
    let url = format!("{}/api/booking-requests", server.base);
    tokio::task::spawn_blocking(move || {
        let mut runner = runner();
        runner
            .run(&cases, |(body, content_type, key)| {
                let (status, answer) = handle.block_on(async {
                    let response = client
                        .post(&url)
                        .header("content-type", content_type)
                        .header("idempotency-key", key)
                        .body(body)
                        .send()
                        .await
                        .expect("the receiver answers");
                    let status = response.status();
                    (status, response.text().await.unwrap_or_default())
                });
                prop_assert!(!status.is_server_error(), "{status}: {answer}");
                if !status.is_success() {
                    let answer: serde_json::Value =
                        serde_json::from_str(&answer).expect("errors are JSON");
                    let message = answer["errors"][0]["message"].as_str().unwrap_or_default();
                    prop_assert!(!message.is_empty(), "{answer}");
                }
                Ok(())
            })
            .unwrap();
    })
    .await
    .unwrap();
    assert_eq!(
        server.get("/api/booking-requests").await.status(),
        405,
        "still running"
    );
}

/// A plain form post (the booking page before and without JavaScript): any fields, any
/// values. The answer is the form again with its messages, or the way to the reference;
/// never a server error.
#[tokio::test(flavor = "multi_thread")]
async fn any_form_post_gets_an_answer_and_never_a_server_error() {
    let dir = tempfile::tempdir().unwrap();
    let server = unlimited_server(&dir).await;
    let names = prop::sample::select(vec![
        "service_id",
        "minutes",
        "location",
        "address",
        "postcode",
        "date",
        "time",
        "name",
        "email",
        "phone",
        "notes",
        "website",
        "form-name",
    ]);
    let pair = (prop_oneof![names.prop_map(str::to_owned), ".*"], ".*");
    let body = prop_oneof![
        prop::collection::vec(pair, 0..20).prop_map(|pairs| {
            let mut form = form_urlencoded::Serializer::new(String::new());
            for (name, value) in &pairs {
                form.append_pair(name, value);
            }
            form.finish()
        }),
        ".*",
    ];
    let handle = tokio::runtime::Handle::current();
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let url = format!("{}/api/booking-requests", server.base);
    tokio::task::spawn_blocking(move || {
        let mut runner = runner();
        runner
            .run(&body, |body| {
                let (status, answer) = handle.block_on(async {
                    let response = client
                        .post(&url)
                        .header("content-type", "application/x-www-form-urlencoded")
                        .body(body)
                        .send()
                        .await
                        .expect("the receiver answers");
                    let status = response.status();
                    (status, response.text().await.unwrap_or_default())
                });
                prop_assert!(!status.is_server_error(), "{status}: {answer}");
                prop_assert!(status.is_redirection() || !answer.is_empty(), "{status}");
                Ok(())
            })
            .unwrap();
    })
    .await
    .unwrap();
}

/// As proptest! does: a failing case is kept beside this file (tests/fuzz.regressions) and
/// tried first on every later run.
fn runner() -> TestRunner {
    TestRunner::new(Config {
        source_file: Some(file!()),
        failure_persistence: Some(Box::new(
            proptest::test_runner::FileFailurePersistence::WithSource("regressions"),
        )),
        ..Config::default()
    })
}
