//! The header, footer and skip link around every page.

use crate::content::practice;
use crate::state::address::use_address;
use leptos::prelude::*;

/// A link to a page of the site, marked `aria-current="page"` when it is the page shown (or
/// one under it). A plain `<a>`: under the router, a click navigates within the app; in a
/// page's own app, it loads the page.
#[component]
pub fn NavLink(
    href: &'static str,
    #[prop(optional)] class: Option<&'static str>,
    children: Children,
) -> impl IntoView {
    let path = use_address().path;
    let current = move || massage_core::pages::is_current(href, &path.read()).then_some("page");
    // An absent class must not be written as `class=""`.
    match class {
        Some(class) => {
            view! { <a href=href class=class aria-current=current>{children()}</a> }.into_any()
        }
        None => view! { <a href=href aria-current=current>{children()}</a> }.into_any(),
    }
}

/// The first thing a keyboard user reaches: jumps past the navigation to the page content.
/// Handled here (before the router sees the click), so it moves focus and adds no history
/// entry.
#[component]
pub fn SkipLink() -> impl IntoView {
    let skip = |ev: web_sys::MouseEvent| {
        ev.prevent_default();
        if let Some(main) = document().get_element_by_id("main") {
            main.scroll_into_view();
            crate::dom::focus_element(Some(main));
        }
    };
    view! { <a class="skip-link" href="#main" on:click=skip>"Skip to main content"</a> }
}

#[component]
pub fn Header() -> impl IntoView {
    let p = practice();
    view! {
        <header class="site-header">
            <div class="site-header__inner">
                <NavLink href="/" class="brand">
                    <span class="brand__name">{p.name.clone()}</span>
                    <span class="brand__place">"Massage therapy \u{b7} London"</span>
                </NavLink>
                <NavLink href="/book" class="header-cta">"Book"</NavLink>
                <nav aria-label="Main">
                    <ul class="nav">
                        <li><NavLink href="/articles">"Articles"</NavLink></li>
                        <li><NavLink href="/self-check">"Back-pain check"</NavLink></li>
                        <li><NavLink href="/services">"Services"</NavLink></li>
                    </ul>
                </nav>
            </div>
        </header>
    }
}

#[component]
pub fn Footer() -> impl IntoView {
    let p = practice();
    view! {
        <footer class="site-footer">
            <div class="site-footer__inner">
                <section aria-labelledby="footer-hours">
                    <h2 id="footer-hours">"Opening hours"</h2>
                    <p>"Every day, " {p.hours()} " (London time)"</p>
                </section>
                <section aria-labelledby="footer-where">
                    <h2 id="footer-where">"Where"</h2>
                    <p>"In-call: " {p.in_call_location.clone()} "."</p>
                    <p>"Outcall: I come to your home or hotel " {p.outcall_area.clone()} "."</p>
                </section>
                <section aria-labelledby="footer-book">
                    <h2 id="footer-book">"How to book"</h2>
                    <p>
                        <NavLink href="/book">"Request a booking"</NavLink>
                        ", call " <PhoneLink /> " or e-mail " <EmailLink /> "."
                    </p>
                </section>
                <p class="site-footer__small">
                    <NavLink href="/privacy">"Privacy"</NavLink>
                    " \u{b7} Massage is not a substitute for medical care. In an emergency call 999."
                </p>
            </div>
        </footer>
    }
}

/// Tells the visitor, on every page, about a booking request waiting on this phone or just
/// delivered from it (the booking page shows the details itself).
#[component]
pub fn OutboxBanner() -> impl IntoView {
    let outbox = crate::booking::outbox::use_outbox();
    let path = use_address().path;
    move || {
        if *path.read() == "/book" {
            return None;
        }
        let state = outbox.get();
        let message = if !state.rejected.is_empty() {
            "A booking request could not be accepted and needs a change: it is back in the booking form.".to_owned()
        } else if state.waiting > 0 {
            "A booking request is saved on this phone. It will be sent as soon as you are back online.".to_owned()
        } else if let Some(reference) = state.delivered.last() {
            format!("Your booking request has been sent. Your reference is {reference}.")
        } else {
            return None;
        };
        Some(view! {
            <div class="outbox-banner" role="status">
                <p>{message} " " <NavLink href="/book">"See the booking page"</NavLink></p>
            </div>
        })
    }
}

/// The practice's phone number as a link that dials it.
#[component]
pub fn PhoneLink() -> impl IntoView {
    let p = practice();
    view! { <a href=p.phone_link()>{p.phone.clone()}</a> }
}

/// The practice's e-mail address as a link that writes to it.
#[component]
pub fn EmailLink() -> impl IntoView {
    let p = practice();
    view! { <a href=format!("mailto:{}", p.email)>{p.email.clone()}</a> }
}
