//! Browser tests (wasm-bindgen-test in headless Chromium): the outbox speaking to a
//! Formspree-style form service, with the page's `fetch` answered as such a service answers.
//! Run with `make test-browser`.
#![cfg(target_arch = "wasm32")]

use massage_core::booking::endpoint::EndpointKind;
use massage_core::booking::{BookingRequest, Location};
use massage_site::booking::outbox::{self, Delivery, Pending};
use wasm_bindgen::JsValue;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

const SERVICE: &str = "https://forms.example/f/booking";

/// Replaces `fetch` with a service that records each request and answers with `answers` in
/// turn: a status, or `0` for no answer at all (the connection dropped).
fn stub_service(answers: &[u16]) {
    let answers = answers
        .iter()
        .map(u16::to_string)
        .collect::<Vec<_>>()
        .join(",");
    js_sys::eval(&format!(
        "window.__posts = []; window.__answers = [{answers}];
         window.fetch = async (request) => {{
           window.__posts.push({{
             url: request.url,
             type: request.headers.get('content-type'),
             key: request.headers.get('idempotency-key'),
             body: await request.text(),
           }});
           const status = window.__answers.shift();
           if (!status) throw new TypeError('Failed to fetch');
           const body = status < 300 ? '{{\"next\":\"/thanks\",\"ok\":true}}'
             : '{{\"errors\":[{{\"code\":\"TYPE_EMAIL\",\"field\":\"email\",\"message\":\"should be an email\"}}]}}';
           return new Response(body, {{ status, headers: {{ 'content-type': 'application/json' }} }});
         }};"
    ))
    .expect("stub fetch");
}

fn posts() -> Vec<JsValue> {
    js_sys::Array::from(&js_sys::eval("window.__posts").unwrap()).to_vec()
}

fn field(post: &JsValue, name: &str) -> Option<String> {
    js_sys::Reflect::get(post, &name.into()).ok()?.as_string()
}

fn pending(name: &str) -> Pending {
    let request = BookingRequest {
        service_id: "deep-tissue".into(),
        minutes: 60,
        location: Location::InCall,
        preferred_times: vec!["2026-12-01T18:00".into()],
        name: name.into(),
        email: "ann@example.com".into(),
        ..Default::default()
    };
    Pending {
        key: "0f8e2a9c-1b2d-4c3e-9f4a-5b6c7d8e9f01".into(),
        body: serde_json::to_string(&request).unwrap(),
        has_health: false,
    }
}

#[wasm_bindgen_test]
async fn a_form_service_that_answers_200_gets_the_request_once_and_the_visitor_a_reference() {
    stub_service(&[200]);
    let delivery = outbox::deliver_to(EndpointKind::FormService, SERVICE, &pending("Ann")).await;
    let Delivery::Delivered(accepted) = delivery else {
        panic!("a 200 from a form service is success, got {delivery:?}");
    };
    assert_eq!(accepted.reference, "AM-0F8E-2A9C");
    let posts = posts();
    assert_eq!(posts.len(), 1);
    // Nothing that would make the browser ask a CORS preflight first.
    assert_eq!(
        field(&posts[0], "type").as_deref(),
        Some("application/x-www-form-urlencoded")
    );
    assert_eq!(field(&posts[0], "key"), None);
    let body = field(&posts[0], "body").unwrap();
    assert!(
        body.contains("name=Ann") && body.contains("reference=AM-0F8E-2A9C"),
        "{body}"
    );
}

#[wasm_bindgen_test]
async fn a_dropped_answer_is_sent_again_with_the_same_key_and_a_refusal_never() {
    stub_service(&[0, 422]);
    let delivery = outbox::deliver_to(EndpointKind::FormService, SERVICE, &pending("Bea")).await;
    let Delivery::Rejected(errors) = delivery else {
        panic!("a 422 is a refusal, got {delivery:?}");
    };
    assert_eq!(errors[0].field, "email");
    let posts = posts();
    assert_eq!(
        posts.len(),
        2,
        "one retry after no answer, none after the refusal"
    );
    assert_eq!(field(&posts[0], "body"), field(&posts[1], "body"));
}
