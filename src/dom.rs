//! Moving focus and bringing elements into view: small DOM helpers that the shell, the
//! pages and the components share. A leaf module: it imports nothing from the app, so
//! anything may use it without an import cycle.

use leptos::prelude::document;

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
