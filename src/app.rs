//! The router and the page shell around every route.

use crate::components::layout::{Footer, Header, OutboxBanner, SkipLink};
use crate::content::practice;
use crate::dom::{focus_selector, reveal_and_focus};
use crate::pages;
use leptos::prelude::*;
use leptos_meta::{Title, provide_meta_context};
use leptos_router::components::{Route, Router, Routes};
use leptos_router::hooks::use_location;
use leptos_router::path;

/// The page's title as it goes into the document. In the browser `document.title` is text;
/// prerendered, leptos_meta writes it into the page's `<title>` as it is, so there it is
/// escaped here: an article titled `</title><script>…` must stay text.
fn title_text(title: String) -> String {
    #[cfg(feature = "ssr")]
    let title = massage_core::site_html::escape_text(&title);
    title
}

/// The whole site: every route. Pages that take it over at once get a smaller app with only
/// their own routes (`BookingApp`, `SelfCheckApp`; see `massage_core::pages::PageApp`).
#[component]
pub fn App() -> impl IntoView {
    crate::library_client::provide_library();
    view! {
        <Frame>
            <Routes fallback=pages::not_found::NotFound>
                <Route path=path!("/") view=pages::home::Home />
                <Route path=path!("/articles") view=pages::library::Library />
                <Route path=path!("/articles/:slug") view=pages::article::ArticlePage />
                <Route path=path!("/self-check") view=pages::self_check::SelfCheckIntro />
                <Route path=path!("/self-check/:step") view=pages::self_check::SelfCheckStep />
                <Route path=path!("/book") view=pages::book::Book />
                <Route path=path!("/services") view=pages::services::Services />
                <Route path=path!("/privacy") view=pages::privacy::Privacy />
                <Route path=path!("/offline") view=pages::offline::Offline />
            </Routes>
        </Frame>
    }
}

/// The booking page's own app: the form, the outbox and the layout, nothing of the library.
/// A link to any other page loads that page (see `ElsewhereOnSite`).
#[component]
pub fn BookingApp() -> impl IntoView {
    view! {
        <Frame>
            <Routes fallback=ElsewhereOnSite>
                <Route path=path!("/book") view=pages::book::Book />
            </Routes>
        </Frame>
    }
}

/// The self-check's own app: its steps move within the app (the answers stay in memory and
/// the tab), every other link loads its page.
#[component]
pub fn SelfCheckApp() -> impl IntoView {
    // An unknown step shows the not-found page, which suggests articles.
    crate::library_client::provide_library();
    view! {
        <Frame>
            <Routes fallback=ElsewhereOnSite>
                <Route path=path!("/self-check") view=pages::self_check::SelfCheckIntro />
                <Route path=path!("/self-check/:step") view=pages::self_check::SelfCheckStep />
            </Routes>
        </Frame>
    }
}

/// What every page has around its content: the title's suffix, the router, the header, the
/// outbox's banner (a request waiting on this phone is sent from any page) and the footer.
#[component]
fn Frame(children: Children) -> impl IntoView {
    provide_meta_context();
    crate::booking::outbox::start_outbox();
    let site_name = practice().name.clone();
    view! {
        // Every page sets its own <Title>; this adds the practice's name after it.
        <Title formatter=move |page: String| title_text(format!("{page} | {site_name}")) />
        <Router>
            <FocusOnNavigation />
            <SkipLink />
            <Header />
            <OutboxBanner />
            <main id="main" tabindex="-1">{children()}</main>
            <Footer />
        </Router>
    }
}

/// A page app's router has only its own routes. Links to other pages never reach it (see
/// `takeover`); should the app itself navigate to one, that page is loaded from the server.
#[component]
fn ElsewhereOnSite() -> impl IntoView {
    #[cfg(not(feature = "ssr"))]
    {
        let location = use_location();
        let href = format!(
            "{}{}{}",
            location.pathname.get_untracked(),
            location.search.get_untracked(),
            location.hash.get_untracked()
        );
        let _ = window().location().assign(&href);
    }
}

/// After an in-app navigation, moves keyboard and screen-reader focus where a full page load
/// would put the reader: to the linked section for `#section` links, else to the new page's
/// heading. Otherwise focus stays on a link that is gone, and screen readers announce nothing.
#[component]
fn FocusOnNavigation() -> impl IntoView {
    let location = use_location();
    let first = StoredValue::new(true);
    Effect::new(move |_| {
        location.pathname.track();
        let hash = location.hash.get();
        if first.get_value() {
            first.set_value(false);
            return;
        }
        // The new route renders in this same turn; wait a frame so its content exists.
        request_animation_frame(move || {
            let target = hash.strip_prefix('#').filter(|id| !id.is_empty());
            let focused = target.is_some_and(reveal_and_focus);
            if !focused {
                focus_selector("main h1");
            }
        });
    });
}
