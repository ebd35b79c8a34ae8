//! The outbox: a request waits here, on the phone, until the endpoint has acknowledged it.
//! Each request has one idempotency key, made when it is first sent and re-sent with every
//! retry, so however many attempts it takes it is stored once.
//!
//! Requests without health details are kept in localStorage, so they survive closing the
//! browser and go on the next visit. A request carrying a health summary is kept in
//! sessionStorage only (health answers never go to long-lived storage): it is sent when the
//! connection returns while the tab is open.

use super::{ENDPOINT, endpoint_kind};
use crate::storage::{self, Lifetime};
use gloo_net::http::Request;
use leptos::prelude::*;
use massage_core::booking::BookingRequest;
use massage_core::booking::FieldError;
use massage_core::booking::endpoint::{Answer, EndpointKind, Verdict};
use massage_core::booking::request::Accepted;
use serde::{Deserialize, Serialize};
use wasm_bindgen::JsCast;

/// Also read by `public/start.js` (the prerendered pages carry it), to start the app at once
/// when a request waits.
pub const KEY: &str = "booking-outbox";
/// Where a tab that delivered a request from this device leaves its reference, for the other
/// open tabs: they hear of the delivery through the `storage` event on `KEY` (see
/// `start_outbox`), so a visitor who pressed send in one tab sees the reference there at once,
/// whichever tab's retry got it through.
const DELIVERED_KEY: &str = "booking-delivered";
/// How many delivered references are kept for other tabs (the newest).
const DELIVERED_KEPT: usize = 10;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
struct DeliveredRecord {
    reference: String,
    /// When it was delivered, in milliseconds since 1970 (`Date.now()`).
    at: f64,
}

/// Attempts in one go before the request waits for the next chance.
const ATTEMPTS: u32 = 5;
const TIMEOUT_MS: i32 = 15_000;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Pending {
    pub key: String,
    /// The exact JSON sent every time (the receiver compares retries byte for byte).
    pub body: String,
    pub has_health: bool,
}

/// How an attempt to deliver ended.
#[derive(Clone, Debug, PartialEq)]
pub enum Delivery {
    Delivered(Accepted),
    /// The endpoint refused the request: these fields need changing. Nothing was stored.
    Rejected(Vec<FieldError>),
    /// Offline, or the endpoint did not answer: the request waits in the outbox.
    Waiting,
}

/// Where a request waits: on the device, or (with health details) in this tab only.
fn lifetime(has_health: bool) -> Lifetime {
    if has_health {
        Lifetime::Tab
    } else {
        Lifetime::Device
    }
}

fn load_from(lifetime: Lifetime) -> Vec<Pending> {
    storage::load(lifetime, KEY).unwrap_or_default()
}

fn save_to(lifetime: Lifetime, items: &[Pending]) {
    if items.is_empty() {
        storage::remove(lifetime, KEY);
    } else {
        storage::save(lifetime, KEY, &items);
    }
}

/// Everything waiting to be sent.
pub fn pending() -> Vec<Pending> {
    let mut all = load_from(Lifetime::Device);
    all.extend(load_from(Lifetime::Tab));
    all
}

/// Puts a request in the outbox (before the first attempt, so nothing is lost if the page
/// is closed mid-send).
pub fn add(item: &Pending) {
    let mut items = load_from(lifetime(item.has_health));
    if !items.iter().any(|i| i.key == item.key) {
        items.push(item.clone());
        save_to(lifetime(item.has_health), &items);
    }
}

fn remove(key: &str) {
    for lifetime in [Lifetime::Device, Lifetime::Tab] {
        let mut items = load_from(lifetime);
        items.retain(|i| i.key != key);
        save_to(lifetime, &items);
    }
}

/// A random version-4 UUID from the browser's cryptographic generator. `randomUUID` is
/// missing in older browsers (and calling it there would throw), so the key is built from
/// `getRandomValues`, which every browser with WebAssembly has.
pub fn new_key() -> String {
    let mut bytes = [0u8; 16];
    let filled = window()
        .crypto()
        .ok()
        .is_some_and(|c| c.get_random_values_with_u8_array(&mut bytes).is_ok());
    if !filled {
        for b in &mut bytes {
            *b = (js_sys::Math::random() * 256.0) as u8;
        }
    }
    bytes[6] = (bytes[6] & 0x0f) | 0x40; // version 4
    bytes[8] = (bytes[8] & 0x3f) | 0x80; // RFC 4122 variant
    let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    format!(
        "{}-{}-{}-{}-{}",
        &hex[0..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..32]
    )
}

/// Drops what is waiting, when the visitor would rather change it (its draft stays).
pub fn discard_all() {
    for lifetime in [Lifetime::Device, Lifetime::Tab] {
        storage::remove(lifetime, KEY);
    }
}

/// Tries to deliver `item` to the endpoint the site was built for (see `deliver_to`).
pub async fn deliver(item: &Pending) -> Delivery {
    deliver_to(endpoint_kind(), ENDPOINT, item).await
}

/// Tries to deliver `item` to `endpoint`, retrying what `kind` says may be retried (network
/// failures and timeouts; for the receiver also 409, 429 and 5xx) with exponential backoff
/// and jitter. Leaves it in the outbox unless it was delivered or refused.
pub async fn deliver_to(kind: EndpointKind, endpoint: &str, item: &Pending) -> Delivery {
    for attempt in 0..ATTEMPTS {
        if !window().navigator().on_line() {
            return Delivery::Waiting;
        }
        let wait_ms = match send_once(kind, endpoint, item).await {
            Attempt::Done(delivery) => {
                if let Delivery::Delivered(accepted) = &delivery
                    && !item.has_health
                {
                    // Before the request leaves the outbox: the other tabs read this when
                    // they hear of that change.
                    tell_other_tabs(accepted);
                }
                remove(&item.key);
                return delivery;
            }
            Attempt::RetryAfter(seconds) => (seconds * 1000).min(60_000) as f64,
            Attempt::Retry => backoff_ms(attempt),
        };
        if attempt + 1 < ATTEMPTS {
            crate::dom::sleep(wait_ms).await;
        }
    }
    Delivery::Waiting
}

fn tell_other_tabs(accepted: &Accepted) {
    let mut records: Vec<DeliveredRecord> =
        storage::load(Lifetime::Device, DELIVERED_KEY).unwrap_or_default();
    records.push(DeliveredRecord {
        reference: accepted.reference.clone(),
        at: js_sys::Date::now(),
    });
    let excess = records.len().saturating_sub(DELIVERED_KEPT);
    records.drain(..excess);
    storage::save(Lifetime::Device, DELIVERED_KEY, &records);
}

/// Another tab changed the outbox. A request it delivered since this page opened is shown
/// here too, with its reference (the page would otherwise go back to an empty form at the
/// next flush, and the visitor might send it again); one that left the outbox otherwise no
/// longer counts as waiting.
fn hear_from_other_tabs(state: RwSignal<OutboxState>, opened_at: f64) {
    let records: Vec<DeliveredRecord> =
        storage::load(Lifetime::Device, DELIVERED_KEY).unwrap_or_default();
    let known = state.with_untracked(|s| s.delivered.clone());
    let new: Vec<String> = records
        .into_iter()
        .filter(|r| r.at >= opened_at && !known.contains(&r.reference))
        .map(|r| r.reference)
        .collect();
    let waiting = pending().len();
    // A request added in another tab does not take this page's form away.
    let fewer = state.with_untracked(|s| waiting < s.waiting);
    if !new.is_empty() || fewer {
        state.update(|s| {
            s.delivered.extend(new);
            s.waiting = waiting;
        });
    }
}

/// 1 s, 2 s, 4 s, ... (at most 30 s), each between half and one and a half times that, so
/// many phones coming back online do not retry in step.
fn backoff_ms(attempt: u32) -> f64 {
    let base = (1000.0 * 2f64.powi(attempt as i32)).min(30_000.0);
    base * (0.5 + js_sys::Math::random())
}

enum Attempt {
    Done(Delivery),
    Retry,
    RetryAfter(u64),
}

async fn send_once(kind: EndpointKind, endpoint: &str, item: &Pending) -> Attempt {
    let controller = web_sys::AbortController::new().ok();
    let timer = controller.as_ref().and_then(|c| {
        let c = c.clone();
        let abort = wasm_bindgen::closure::Closure::once_into_js(move || c.abort());
        window()
            .set_timeout_with_callback_and_timeout_and_arguments_0(
                abort.unchecked_ref(),
                TIMEOUT_MS,
            )
            .ok()
    });
    // The request is kept as JSON and encoded for the endpoint on every attempt, the same way
    // each time (the receiver compares retries byte for byte).
    let Ok(booking) = serde_json::from_str::<BookingRequest>(&item.body) else {
        // Only this app writes the outbox; a request it cannot read is refused, not retried.
        return Attempt::Done(Delivery::Rejected(Vec::new()));
    };
    let outgoing = kind.encode(&booking, &item.key);
    let request = outgoing
        .headers
        .iter()
        .fold(
            Request::post(endpoint).header("Content-Type", outgoing.content_type),
            |request, (name, value)| request.header(name, value),
        )
        .abort_signal(controller.as_ref().map(|c| c.signal()).as_ref())
        .body(outgoing.body);
    let attempt = match request {
        Ok(request) => read_response(kind, &item.key, request.send().await).await,
        Err(_) => Attempt::Retry,
    };
    // Cleared only now: the timeout covers reading the body too, so a stalled answer cannot
    // hold the outbox up.
    if let Some(timer) = timer {
        window().clear_timeout_with_handle(timer);
    }
    attempt
}

async fn read_response(
    kind: EndpointKind,
    key: &str,
    result: Result<gloo_net::http::Response, gloo_net::Error>,
) -> Attempt {
    let verdict = match result {
        Err(_) => kind.interpret(Answer::None, key),
        Ok(response) => {
            let retry_after = response
                .headers()
                .get("retry-after")
                .and_then(|v| v.parse::<u64>().ok());
            // A body cut off mid-way reads as empty: what that means is the kind's decision.
            let body = response.text().await.unwrap_or_default();
            kind.interpret(
                Answer::Status {
                    status: response.status(),
                    body: &body,
                    retry_after,
                },
                key,
            )
        }
    };
    match verdict {
        Verdict::Accepted(accepted) => Attempt::Done(Delivery::Delivered(accepted)),
        Verdict::Rejected(errors) => Attempt::Done(Delivery::Rejected(errors)),
        Verdict::Retry => Attempt::Retry,
        Verdict::RetryAfter(seconds) => Attempt::RetryAfter(seconds),
    }
}

/// What the outbox is doing, for the banner and the booking page.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct OutboxState {
    pub waiting: usize,
    /// References of requests delivered from the outbox during this visit.
    pub delivered: Vec<String>,
    /// Problems with a request that was refused when sent from the outbox: the booking page
    /// shows them next to the fields (the request is back in the form as a draft).
    pub rejected: Vec<FieldError>,
}

/// Sends whatever is waiting, now and at every next chance: when the phone comes back
/// online, when the page becomes visible again, and every minute. Provided once by the app.
pub fn start_outbox() -> RwSignal<OutboxState> {
    let state = RwSignal::new(OutboxState {
        waiting: pending().len(),
        ..Default::default()
    });
    provide_context(state);
    if cfg!(feature = "ssr") {
        return state;
    }
    let flush = move || {
        leptos::task::spawn_local(async move {
            flush_pending(state).await;
        })
    };
    flush();
    let on_online = wasm_bindgen::closure::Closure::<dyn Fn()>::new(flush);
    let _ = window().add_event_listener_with_callback("online", on_online.as_ref().unchecked_ref());
    let _ = window().set_interval_with_callback_and_timeout_and_arguments_0(
        on_online.as_ref().unchecked_ref(),
        60_000,
    );
    // The listener lives as long as the page.
    on_online.forget();
    let opened_at = js_sys::Date::now();
    let on_storage = wasm_bindgen::closure::Closure::<dyn Fn(web_sys::StorageEvent)>::new(
        move |event: web_sys::StorageEvent| {
            // Fired only in the other tabs of this site, never in the one that wrote.
            if event.key().as_deref() == Some(KEY) {
                hear_from_other_tabs(state, opened_at);
            }
        },
    );
    let _ =
        window().add_event_listener_with_callback("storage", on_storage.as_ref().unchecked_ref());
    on_storage.forget();
    state
}

pub fn use_outbox() -> RwSignal<OutboxState> {
    expect_context::<RwSignal<OutboxState>>()
}

thread_local! {
    static FLUSHING: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// A request has arrived, whoever sent it (the form or a later flush): its draft is no
/// longer needed and its reference is shown.
pub fn record_delivered(state: RwSignal<OutboxState>, accepted: Accepted) {
    super::draft::clear();
    state.update(|s| s.delivered.push(accepted.reference));
}

/// Delivers every waiting request once through (one flush at a time).
pub async fn flush_pending(state: RwSignal<OutboxState>) {
    if FLUSHING.with(|f| f.replace(true)) {
        return;
    }
    for item in pending() {
        match deliver(&item).await {
            Delivery::Delivered(accepted) => record_delivered(state, accepted),
            Delivery::Rejected(errors) => {
                // Nothing is lost: the request goes back into the form for the visitor to fix.
                if let Ok(request) =
                    serde_json::from_str::<massage_core::booking::BookingRequest>(&item.body)
                {
                    super::draft::save(&super::draft::Draft::from_request(&request));
                }
                state.update(|s| s.rejected = errors);
            }
            Delivery::Waiting => {}
        }
    }
    // Only a real change notifies: the booking page must not re-render (and lose what is
    // being typed) on every timer tick.
    let waiting = pending().len();
    if state.with_untracked(|s| s.waiting != waiting) {
        state.update(|s| s.waiting = waiting);
    }
    FLUSHING.with(|f| f.set(false));
}
