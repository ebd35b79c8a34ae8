//! `/book`: the booking request form. The request type and its rules are massage-core's
//! (the same the receiver applies); the draft and the outbox are in `crate::booking`.

// Leptos' #[component] gives each props builder `pub` items whatever the component's own
// visibility, which `unreachable_pub` reports; these modules hold components.
#[allow(unreachable_pub)]
mod fields;
#[allow(unreachable_pub)]
mod form;
#[allow(unreachable_pub)]
mod notice;
#[allow(unreachable_pub)]
mod sections;
mod state;
#[allow(unreachable_pub)]
mod when;

use crate::booking::outbox::{flush_pending, use_outbox};
use crate::components::layout::{EmailLink, PhoneLink};
use crate::components::page_meta::PageMeta;
use crate::content::practice;
use form::BookingForm;
use leptos::prelude::*;

#[component]
pub fn Book() -> impl IntoView {
    let p = practice();
    let outbox = use_outbox();
    // How many delivered requests the visitor has moved on from ("Make another request");
    // any delivered after that (just now, or from the outbox) is shown with its reference.
    let dismissed = RwSignal::new(0);
    // Which panel to show, as a memo: the form is only rebuilt when this really changes, so
    // nothing typed is lost when the outbox reports in.
    let panel = Memo::new(move |_| {
        outbox.with(
            |o| match o.delivered.get(dismissed.get()..).and_then(|d| d.last()) {
                Some(reference) => Panel::Sent(reference.clone()),
                None if o.waiting > 0 => Panel::Waiting,
                None => Panel::Form,
            },
        )
    });
    view! {
        <PageMeta
            path="/book"
            title="Book a massage"
            description=format!("Request a massage in London, in-call or at your home, daily {} to {}. I reply to confirm a time.", p.opens, p.closes)
        />
        <h1>"Request a booking"</h1>
        <p class="lead">
            "Choose a treatment and up to three times that suit you. I reply by e-mail or phone to confirm, usually the same day. "
            "Nothing is booked until I confirm."
        </p>
        <notice::SelfCheckNotice />
        {move || match panel.get() {
            Panel::Sent(reference) => {
                let on_again = move || dismissed.set(outbox.with_untracked(|o| o.delivered.len()));
                view! { <Confirmation reference=reference on_again=on_again /> }.into_any()
            }
            Panel::Waiting => view! { <Waiting /> }.into_any(),
            Panel::Form => view! { <BookingForm /> }.into_any(),
        }}
        <section aria-labelledby="other-ways" class="other-ways">
            <h2 id="other-ways">"Prefer to call or e-mail?"</h2>
            <p>
                "Call or text " <PhoneLink /> ", or e-mail " <EmailLink /> ", every day " {p.hours()} " (London time)."
            </p>
        </section>
    }
}

#[derive(Clone, Debug, PartialEq)]
enum Panel {
    Sent(String),
    Waiting,
    Form,
}

#[component]
fn Confirmation(reference: String, on_again: impl Fn() + 'static) -> impl IntoView {
    let p = practice();
    let heading = NodeRef::<leptos::html::H2>::new();
    Effect::new(move |_| {
        if let Some(h) = heading.get() {
            let _ = h.focus();
        }
    });
    view! {
        <section class="notice notice--success" aria-labelledby="sent">
            <h2 id="sent" tabindex="-1" node_ref=heading>"Your request has been sent"</h2>
            <p>"Your reference is " <strong class="reference">{reference}</strong> "."</p>
            <h3>"What happens next"</h3>
            <ol>
                <li>{format!("{} reads your request and replies by e-mail or phone, usually the same day, to confirm a time.", p.therapist)}</li>
                <li>"Nothing is booked until she confirms. If none of your times is free, she suggests others."</li>
                <li>"To change or cancel, reply to her message or call, quoting your reference."</li>
            </ol>
            <button type="button" class="button" on:click=move |_| on_again()>"Make another request"</button>
        </section>
    }
}

/// A request is in the outbox: it goes by itself at the next chance; this says so.
#[component]
fn Waiting() -> impl IntoView {
    let outbox = use_outbox();
    let trying = RwSignal::new(false);
    let with_health = crate::booking::outbox::pending()
        .iter()
        .any(|p| p.has_health);
    let try_now = move |_| {
        trying.set(true);
        leptos::task::spawn_local(async move {
            flush_pending(outbox).await;
            trying.set(false);
        });
    };
    view! {
        <section class="notice notice--warning" role="status" aria-labelledby="saved">
            <h2 id="saved">"Saved on this phone: it will send when you are back online"</h2>
            <p>
                "Your request could not reach me yet (no connection, or the booking system did not answer). "
                "It is kept on this device and sent automatically as soon as it can be, once and only once."
            </p>
            <p>
                {if with_health {
                    "Because it includes your health answers, it is kept only while this tab is open: please keep it open until it has gone."
                } else {
                    "You can close this page: it will go on your next visit if not before."
                }}
            </p>
            <p class="actions">
                <button type="button" class="button" on:click=try_now disabled=move || trying.get()>
                    {move || if trying.get() { "Trying\u{2026}" } else { "Try sending now" }}
                </button>
                <button type="button" class="button" on:click=move |_| {
                    crate::booking::outbox::discard_all();
                    outbox.update(|o| o.waiting = 0);
                }>"Don't send it: edit my request"</button>
            </p>
        </section>
    }
}
