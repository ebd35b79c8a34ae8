//! Moving focus, bringing elements into view and waiting on the browser's timers: small DOM
//! helpers that the shell, the pages and the components share. A leaf module: it imports
//! nothing from the app, so anything may use it without an import cycle.

use leptos::prelude::{document, window};

/// Brings the element with this id into view and focus, opening any closed disclosure
/// (<details>) around it first, as an FAQ answer may be. Returns whether it exists.
pub fn reveal_and_focus(id: &str) -> bool {
    let Some(element) = document().get_element_by_id(id) else {
        return false;
    };
    let mut parent = element.parent_element();
    while let Some(p) = parent {
        if let Some(details) = wasm_bindgen::JsCast::dyn_ref::<web_sys::HtmlDetailsElement>(&p) {
            details.set_open(true);
        }
        parent = p.parent_element();
    }
    element.scroll_into_view();
    focus_element(Some(element))
}

/// Focuses the first element matching `selector` (see `focus_element`).
pub fn focus_selector(selector: &str) -> bool {
    focus_element(document().query_selector(selector).ok().flatten())
}

/// Focuses `element`, making it focusable without adding it to the tab order (tabindex=-1).
/// Returns whether there was an element to focus.
pub fn focus_element(element: Option<web_sys::Element>) -> bool {
    let Some(element) = element else { return false };
    if !element.has_attribute("tabindex") {
        let _ = element.set_attribute("tabindex", "-1");
    }
    match wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(element) {
        Ok(element) => element.focus().is_ok(),
        Err(_) => false,
    }
}

/// Resolves after `ms` milliseconds, in a task of its own (0: the next task, so that what
/// comes before and after are separate tasks and the page can paint and answer in between).
pub async fn sleep(ms: f64) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        let _ = window().set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms as i32);
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}
