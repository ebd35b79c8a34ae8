//! Each endpoint kind (crates/core/src/booking/endpoint.rs) against a local mock that behaves
//! as the hosted service documents: a success, a refusal with field errors, a CORS preflight
//! that allows only simple headers, and an answer dropped after the request arrived. The
//! outbox's loop is played here natively: send what the kind encodes, do what it decides.

use axum::Router;
use axum::http::{HeaderMap, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::any;
use massage_core::booking::endpoint::{Answer, EndpointKind, Outgoing, Verdict};
use massage_core::booking::{BookingRequest, Location};
use std::sync::{Arc, Mutex};

const KEY: &str = "3c1f7a2e-8d4b-4e6f-a1b2-c3d4e5f60718";

/// What a mock service does with each POST, by the number of POSTs it has had.
#[derive(Clone, Copy)]
enum Behaviour {
    /// Formspree's success: 200 `{"next": ..., "ok": true}`.
    Success,
    /// Formspree's refusal: 422 with `errors` naming fields.
    FieldErrors,
    /// Takes the request, then closes the connection without answering; then succeeds.
    DropFirstAnswer,
}

#[derive(Default)]
struct Seen {
    posts: Vec<(HeaderMap, String)>,
    preflights: usize,
}

struct Mock {
    url: String,
    seen: Arc<Mutex<Seen>>,
}

/// A service on a loopback port whose CORS preflight allows no request header at all (only
/// what browsers never preflight), as services that do not list custom headers answer.
async fn mock(behaviour: Behaviour) -> Mock {
    let seen = Arc::new(Mutex::new(Seen::default()));
    let state = seen.clone();
    let app = Router::new().route(
        "/f/booking",
        any(move |method: Method, headers: HeaderMap, body: String| {
            let seen = state.clone();
            async move { answer(behaviour, &seen, method, headers, body).await }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/f/booking", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    Mock { url, seen }
}

async fn answer(
    behaviour: Behaviour,
    seen: &Mutex<Seen>,
    method: Method,
    headers: HeaderMap,
    body: String,
) -> Response {
    if method == Method::OPTIONS {
        seen.lock().unwrap().preflights += 1;
        return (
            StatusCode::NO_CONTENT,
            [
                ("access-control-allow-origin", "*"),
                ("access-control-allow-methods", "POST"),
            ],
        )
            .into_response();
    }
    let count = {
        let mut seen = seen.lock().unwrap();
        seen.posts.push((headers, body));
        seen.posts.len()
    };
    match behaviour {
        Behaviour::Success => ok(),
        Behaviour::DropFirstAnswer if count > 1 => ok(),
        Behaviour::DropFirstAnswer => {
            // The request has arrived; the answer never does (the handler's task ends here
            // and hyper closes the connection without a response).
            panic!("mock: dropping the answer on purpose")
        }
        Behaviour::FieldErrors => (
            StatusCode::UNPROCESSABLE_ENTITY,
            [("content-type", "application/json")],
            r#"{"error":"Validation errors","errors":[{"code":"TYPE_EMAIL","field":"email","message":"should be an email"}]}"#,
        )
            .into_response(),
    }
}

fn ok() -> Response {
    (
        StatusCode::OK,
        [("content-type", "application/json")],
        r#"{"next":"https://formspree.io/thanks","ok":true}"#,
    )
        .into_response()
}

fn request() -> BookingRequest {
    BookingRequest {
        service_id: "swedish".into(),
        minutes: 60,
        location: Location::InCall,
        preferred_times: vec!["2026-12-01T18:00".into()],
        name: "Ann Lee".into(),
        email: "ann@example.com".into(),
        ..Default::default()
    }
}

/// Whether a browser would send a CORS preflight before this request (Fetch standard:
/// only a safelisted content type and safelisted headers go without one).
fn needs_preflight(outgoing: &Outgoing) -> bool {
    let simple_type = [
        "application/x-www-form-urlencoded",
        "multipart/form-data",
        "text/plain",
    ]
    .contains(&outgoing.content_type);
    let simple_headers = outgoing.headers.iter().all(|(name, _)| {
        ["accept", "accept-language", "content-language"].contains(&&*name.to_lowercase())
    });
    !(simple_type && simple_headers)
}

/// One attempt, as the app's outbox makes it.
async fn attempt(kind: EndpointKind, url: &str) -> Verdict {
    let outgoing = kind.encode(&request(), KEY);
    let mut post = reqwest::Client::new()
        .post(url)
        .header("content-type", outgoing.content_type)
        .body(outgoing.body.clone());
    for (name, value) in &outgoing.headers {
        post = post.header(*name, value);
    }
    match post.send().await {
        Err(_) => kind.interpret(Answer::None, KEY),
        Ok(response) => {
            let status = response.status().as_u16();
            let body = response.text().await.unwrap_or_default();
            kind.interpret(
                Answer::Status {
                    status,
                    body: &body,
                    retry_after: None,
                },
                KEY,
            )
        }
    }
}

/// The outbox's loop: attempts until the kind says stop (bounded, as the outbox's is).
async fn deliver(kind: EndpointKind, url: &str) -> Verdict {
    let mut verdict = Verdict::Retry;
    for _ in 0..5 {
        verdict = attempt(kind, url).await;
        if !matches!(verdict, Verdict::Retry | Verdict::RetryAfter(_)) {
            break;
        }
    }
    verdict
}

const HOSTED: [EndpointKind; 2] = [EndpointKind::FormService, EndpointKind::Netlify];

#[tokio::test]
async fn a_hosted_success_is_sent_once_and_needs_no_preflight() {
    for kind in HOSTED {
        let service = mock(Behaviour::Success).await;
        let outgoing = kind.encode(&request(), KEY);
        assert!(
            !needs_preflight(&outgoing),
            "{kind:?} would be stopped by a preflight that allows only simple headers"
        );
        let Verdict::Accepted(accepted) = deliver(kind, &service.url).await else {
            panic!("{kind:?}: a 200 is success");
        };
        assert_eq!(accepted.reference, "AM-3C1F-7A2E");
        let seen = service.seen.lock().unwrap();
        assert_eq!(seen.posts.len(), 1, "{kind:?}");
        assert_eq!(seen.preflights, 0);
        let (_, body) = &seen.posts[0];
        assert!(body.contains("name=Ann+Lee") && body.contains("reference=AM-3C1F-7A2E"));
    }
}

#[tokio::test]
async fn the_receiver_kind_needs_a_preflight_that_allows_its_key() {
    // Why the receiver's CORS must allow Idempotency-Key (docs/booking-api.md), and why a
    // hosted service must not be given the receiver kind.
    assert!(needs_preflight(
        &EndpointKind::Receiver.encode(&request(), KEY)
    ));
}

#[tokio::test]
async fn field_errors_come_back_once_against_their_fields() {
    let service = mock(Behaviour::FieldErrors).await;
    let Verdict::Rejected(errors) = deliver(EndpointKind::FormService, &service.url).await else {
        panic!("a 422 is a refusal");
    };
    assert_eq!(errors[0].field, "email");
    assert!(errors[0].message.contains("should be an email"));
    // Refused is final: never sent again.
    assert_eq!(service.seen.lock().unwrap().posts.len(), 1);
}

#[tokio::test]
async fn a_dropped_answer_is_retried_with_the_same_key_so_a_repeat_is_visible() {
    for kind in HOSTED {
        let service = mock(Behaviour::DropFirstAnswer).await;
        let Verdict::Accepted(accepted) = deliver(kind, &service.url).await else {
            panic!("{kind:?}: the retry succeeds");
        };
        let seen = service.seen.lock().unwrap();
        assert_eq!(seen.posts.len(), 2, "{kind:?}: one retry after no answer");
        for (_, body) in &seen.posts {
            assert!(body.contains(&format!("idempotency_key={KEY}")));
            assert!(body.contains(&format!("reference={}", accepted.reference)));
        }
    }
}
