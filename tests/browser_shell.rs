//! Browser tests (wasm-bindgen-test in headless Chromium): the shell renders and routes.
//! Run with `make test-browser`.
#![cfg(target_arch = "wasm32")]

use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn query(selector: &str) -> Option<web_sys::Element> {
    document().query_selector(selector).unwrap()
}

fn text(selector: &str) -> String {
    query(selector)
        .and_then(|e| e.text_content())
        .unwrap_or_default()
}

async fn settle() {
    // Let the router and reactive effects run, then one animation frame for focus moves.
    leptos::task::tick().await;
    let (tx, rx) = futures_channel();
    request_animation_frame(tx);
    rx.await;
}

/// A one-shot callback turned into a future, so a test can await an animation frame.
fn futures_channel() -> (
    impl FnOnce() + 'static,
    impl std::future::Future<Output = ()>,
) {
    let promise_resolve = std::rc::Rc::new(std::cell::RefCell::new(None::<js_sys::Function>));
    let slot = promise_resolve.clone();
    let promise = js_sys::Promise::new(&mut |resolve, _| *slot.borrow_mut() = Some(resolve));
    let fire = move || {
        if let Some(resolve) = promise_resolve.borrow_mut().take() {
            let _ = resolve.call0(&wasm_bindgen::JsValue::NULL);
        }
    };
    (fire, async move {
        let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
    })
}

#[wasm_bindgen_test]
async fn navigation_renders_and_a_route_change_updates_the_page() {
    let _ = window().history().unwrap().replace_state_with_url(
        &wasm_bindgen::JsValue::NULL,
        "",
        Some("/"),
    );
    let root = document().create_element("div").unwrap();
    document().body().unwrap().append_child(&root).unwrap();
    let _handle = leptos::mount::mount_to(root.clone().unchecked_into(), massage_site::App);
    settle().await;

    let links: Vec<String> = {
        let list = document()
            .query_selector_all("nav[aria-label='Main'] a")
            .unwrap();
        (0..list.length())
            .filter_map(|i| list.item(i)?.text_content())
            .collect()
    };
    assert_eq!(links, ["Articles", "Back-pain check", "Services"]);
    assert_eq!(text("header a[href='/book']"), "Book");
    assert!(text("main h1").contains("Massage therapy in London"));
    assert_eq!(
        query("a.skip-link")
            .unwrap()
            .get_attribute("href")
            .as_deref(),
        Some("#main"),
    );

    let services: web_sys::HtmlElement = query("nav[aria-label='Main'] a[href='/services']")
        .unwrap()
        .unchecked_into();
    services.click();
    settle().await;

    assert_eq!(text("main h1"), "Services and prices");
    assert_eq!(window().location().pathname().unwrap(), "/services");
    assert!(document().title().starts_with("Services and prices"));
    let current = query("nav[aria-label='Main'] a[aria-current='page']").unwrap();
    assert_eq!(current.text_content().unwrap(), "Services");
    let focused = document().active_element().unwrap();
    assert_eq!(focused.tag_name(), "H1");
    root.remove();
}

#[wasm_bindgen_test]
fn search_highlights_are_text_nodes_never_html() {
    use massage_site::components::article_card::marked;
    let root = document().create_element("p").unwrap();
    document().body().unwrap().append_child(&root).unwrap();
    let terms = vec!["back".to_string()];
    let _handle = leptos::mount::mount_to(root.clone().unchecked_into(), move || {
        marked("<b>x</b> Back pain and backache", &terms)
    });
    let marks = root.query_selector_all("mark").unwrap();
    assert_eq!(marks.length(), 2);
    assert_eq!(marks.item(0).unwrap().text_content().unwrap(), "Back");
    assert_eq!(marks.item(1).unwrap().text_content().unwrap(), "backache");
    assert!(
        root.query_selector("b").unwrap().is_none(),
        "HTML in the text must stay text"
    );
    assert!(root.text_content().unwrap().starts_with("<b>x</b> Back"));
    root.remove();
}

#[wasm_bindgen_test]
fn the_outbox_keeps_health_details_out_of_long_lived_storage() {
    use massage_site::booking::outbox::{Pending, add, pending};
    let local = window().local_storage().unwrap().unwrap();
    let session = window().session_storage().unwrap().unwrap();
    local.clear().unwrap();
    session.clear().unwrap();
    let plain = Pending {
        key: "key-plain".into(),
        body: r#"{"name":"Sam"}"#.into(),
        has_health: false,
    };
    let health = Pending {
        key: "key-health".into(),
        body: r#"{"health":{"summary":"Lower back"}}"#.into(),
        has_health: true,
    };
    add(&plain);
    add(&health);
    add(&plain); // adding the same request again does not make a second one
    let kept = local
        .get_item("booking-outbox")
        .unwrap()
        .unwrap_or_default();
    assert!(
        kept.contains("key-plain") && !kept.contains("Lower back"),
        "{kept}"
    );
    let tab = session
        .get_item("booking-outbox")
        .unwrap()
        .unwrap_or_default();
    assert!(tab.contains("key-health"), "{tab}");
    let keys: Vec<String> = pending().into_iter().map(|p| p.key).collect();
    assert_eq!(keys, ["key-plain", "key-health"]);
    local.clear().unwrap();
    session.clear().unwrap();
}
