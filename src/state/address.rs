//! Where the visitor is: the page's path and its query, for the links that say which page is
//! current and for what a page reads from its address (the booking form's `?service=`).
//! Under the router they follow each navigation. The booking page's own app has no router
//! (it shows one page, and the router is a fifth of its size), so there they are the
//! browser's address as the page loaded.

use leptos::prelude::*;

/// The current address, as signals (see the module's note for where they come from).
#[derive(Clone, Copy)]
pub struct Address {
    /// `/articles/back-pain`
    pub path: Signal<String>,
    /// `?service=deep-tissue`, or empty
    pub query: Signal<String>,
}

impl Address {
    /// Under the router: the router's location. Called inside `<Router>`.
    pub fn from_router() -> Self {
        let location = leptos_router::hooks::use_location();
        Self {
            path: location.pathname.into(),
            query: location.search.into(),
        }
    }

    /// Without a router: the address the page was loaded at.
    pub fn from_browser() -> Self {
        let location = window().location();
        Self {
            path: Signal::stored(location.pathname().unwrap_or_default()),
            query: Signal::stored(location.search().unwrap_or_default()),
        }
    }
}

/// The address the app provides to every page (`app::Chrome`).
pub fn use_address() -> Address {
    expect_context::<Address>()
}

/// The value of `name` in the address's query, if it has one (decoded).
pub fn query_param(name: &str) -> Option<String> {
    let query = use_address().query.get_untracked();
    if query.is_empty() {
        return None;
    }
    web_sys::UrlSearchParams::new_with_str(&query)
        .ok()?
        .get(name)
}
