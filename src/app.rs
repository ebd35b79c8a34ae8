//! The router and the page shell around every route.

use crate::components::layout::{Footer, Header, OutboxBanner, SkipLink};
use crate::content::practice;
use crate::dom::{focus_selector, reveal_and_focus};
use crate::pages;
use crate::state::address::Address;
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
        <Frame outbox=Some(with_outbox)>
            <Routes fallback=pages::not_found::NotFound>
                <Route path=path!("/") view=pages::home::Home />
                <Route path=path!("/articles") view=pages::library::Library />
                <Route path=path!("/articles/:slug") view=pages::article::ArticlePage />
                <Route path=path!("/self-check") view=pages::self_check::SelfCheckIntro />
                <Route
                    path=path!("/self-check/:step")
                    view=|| view! { <pages::self_check::SelfCheckStep unknown=not_found /> }
                />
                <Route path=path!("/book") view=pages::book::Book />
                <Route path=path!("/services") view=pages::services::Services />
                <Route path=path!("/privacy") view=pages::privacy::Privacy />
                <Route path=path!("/offline") view=pages::offline::Offline />
            </Routes>
        </Frame>
    }
}

/// The booking page's own app: the form, the outbox and the layout; no article library and
/// no router (it shows one page; a link to any other page loads that page).
#[component]
pub fn BookingApp() -> impl IntoView {
    view! {
        <Chrome address=Address::from_browser() outbox=Some(with_outbox)>
            <pages::book::Book />
        </Chrome>
    }
}

/// The self-check's own app: its steps move within the app (the answers stay in memory and
/// the tab), every other link loads its page. It has neither the article library nor the
/// outbox: when a booking request waits on the phone, `public/start.js` starts the whole
/// site's app on these pages instead, so the request is still sent from here.
#[component]
pub fn SelfCheckApp() -> impl IntoView {
    view! {
        <Frame outbox=None>
            <Routes fallback=ElsewhereOnSite>
                <Route path=path!("/self-check") view=pages::self_check::SelfCheckIntro />
                <Route
                    path=path!("/self-check/:step")
                    view=|| view! { <pages::self_check::SelfCheckStep unknown=elsewhere_on_site /> }
                />
            </Routes>
        </Frame>
    }
}

/// The outbox, started for the pages below, and its banner.
fn with_outbox() -> AnyView {
    crate::booking::outbox::start_outbox();
    view! { <OutboxBanner /> }.into_any()
}

fn not_found() -> AnyView {
    view! { <pages::not_found::NotFound /> }.into_any()
}

fn elsewhere_on_site() -> AnyView {
    view! { <ElsewhereOnSite /> }.into_any()
}

/// The router around `Chrome`, for the apps that move between pages themselves.
#[component]
fn Frame(outbox: Option<fn() -> AnyView>, children: Children) -> impl IntoView {
    view! {
        <Router>
            <RoutedChrome outbox>{children()}</RoutedChrome>
        </Router>
    }
}

/// Inside the router: the address the pages and links read follows it, and focus follows
/// each navigation.
#[component]
fn RoutedChrome(outbox: Option<fn() -> AnyView>, children: Children) -> impl IntoView {
    view! {
        <FocusOnNavigation />
        <Chrome address=Address::from_router() outbox>{children()}</Chrome>
    }
}

/// What every page has around its content: the title's suffix, the header, the outbox with
/// its banner (`with_outbox`: a request waiting on this phone is sent from any page of an
/// app that has it) and the footer. The address is provided first: the banner reads it.
#[component]
fn Chrome(address: Address, outbox: Option<fn() -> AnyView>, children: Children) -> impl IntoView {
    provide_context(address);
    provide_meta_context();
    let banner = outbox.map(|start| start());
    let site_name = practice().name.clone();
    view! {
        // Every page sets its own <Title>; this adds the practice's name after it.
        <Title formatter=move |page: String| title_text(format!("{page} | {site_name}")) />
        <SkipLink />
        <Header />
        {banner}
        <main id="main" tabindex="-1">{children()}</main>
        <Footer />
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
