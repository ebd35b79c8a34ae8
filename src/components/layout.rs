//! The header, footer and skip link around every page.

use crate::content::practice;
use leptos::prelude::*;
use leptos_router::components::A;

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
                <A href="/" attr:class="brand">
                    <span class="brand__name">{p.name.clone()}</span>
                    <span class="brand__place">"Massage therapy \u{b7} London"</span>
                </A>
                <A href="/book" attr:class="header-cta">"Book"</A>
                <nav aria-label="Main">
                    <ul class="nav">
                        <li><A href="/articles">"Articles"</A></li>
                        <li><A href="/self-check">"Back-pain check"</A></li>
                        <li><A href="/services">"Services"</A></li>
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
                        <A href="/book">"Request a booking"</A>
                        ", call " <PhoneLink /> " or e-mail " <EmailLink /> "."
                    </p>
                </section>
                <p class="site-footer__small">
                    <A href="/privacy">"Privacy"</A>
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
    let location = leptos_router::hooks::use_location();
    move || {
        if location.pathname.get() == "/book" {
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
                <p>{message} " " <A href="/book">"See the booking page"</A></p>
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
