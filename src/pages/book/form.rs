//! The booking form: its state, sending, and the sections in the order the visitor fills
//! them in. What a draft is, when a message shows and which element an error focuses are
//! massage-core's `booking::form`; the sections are in `sections.rs` and `when.rs`.

use super::fields::{FieldError as FieldMessage, described_by};
use super::sections::{DetailsFields, ErrorSummary, HealthFields, TreatmentFields, WhereFields};
use super::state::FormState;
use super::when::WhenFields;
use crate::booking::availability;
use crate::booking::draft::{self, Draft};
use crate::booking::outbox::{self, Delivery, OutboxState, Pending, use_outbox};
use crate::booking::{ENDPOINT, endpoint_kind};
use crate::content::{catalog, practice};
use crate::state::address::query_param;
use crate::state::self_check;
use leptos::prelude::*;
use massage_core::booking::availability::AvailabilityQuery;
use massage_core::booking::endpoint::{EndpointKind, NETLIFY_FORM_NAME, WHOLE_FORM};
use massage_core::booking::london_time::LondonDateTime;
use massage_core::booking::request::CONSENT_VERSION;
use massage_core::booking::{Consent, FieldError, HealthSummary, validate};

/// Now, in seconds since the epoch (UTC).
pub(crate) fn now_seconds() -> i64 {
    if cfg!(feature = "ssr") {
        // Prerendering at build time: the browser fills in its own "now" when it takes over.
        massage_core::calendar::unix_seconds(std::time::SystemTime::now())
    } else {
        (js_sys::Date::now() / 1000.0) as i64
    }
}

#[component]
pub(crate) fn BookingForm() -> impl IntoView {
    let outbox_state = use_outbox();
    let draft = RwSignal::new(
        draft::load().unwrap_or_else(|| Draft::fresh(catalog(), query_param("service").as_deref())),
    );
    Effect::new(move |_| draft::save(&draft.get()));
    // A request refused after waiting in the outbox comes back here with its problems.
    let refused = outbox_state.with_untracked(|o| o.rejected.clone());
    if !refused.is_empty() {
        outbox_state.update_untracked(|o| o.rejected.clear());
    }
    let sending = RwSignal::new(false);
    let honeypot = RwSignal::new(String::new());
    // The finished self-check in this tab, whatever its outcome: attached only with consent.
    let summary = self_check::booking_summary();
    let advice = self_check::advice();
    let attach_health = RwSignal::new(false);
    let consent_at = RwSignal::new(String::new());

    let health = {
        let summary = summary.clone();
        move || {
            let summary = summary.clone()?;
            attach_health.get().then(|| HealthSummary {
                summary,
                consent: Consent {
                    given: true,
                    text_version: CONSENT_VERSION.into(),
                    given_at: consent_at.get(),
                },
            })
        }
    };
    let request = Memo::new(move |_| draft.get().to_request(health(), honeypot.get()));
    let client_errors = Memo::new(move |_| {
        let request = request.get();
        let mut errors = validate(&request, catalog(), now_seconds())
            .err()
            .unwrap_or_default();
        // After a "wait" result, no day before the wait is over (the receiver cannot know).
        if let Some(advice) = &advice {
            let today = LondonDateTime::from_utc_seconds(now_seconds()).date;
            for early in advice.times_before_the_wait(&request.preferred_times, today) {
                if !errors.iter().any(|e| e.field == early.field) {
                    errors.push(early);
                }
            }
        }
        errors
    });
    let state = FormState {
        draft,
        server_errors: RwSignal::new(refused),
        client_errors,
        shown: RwSignal::new(Default::default()),
        free: RwSignal::new(None),
        ask_again: RwSignal::new(0),
    };
    ask_for_free_times(state, request);

    let submit = move |ev: web_sys::SubmitEvent| {
        ev.prevent_default();
        // A second tap while sending does nothing: the request already has its key.
        if sending.get_untracked() {
            return;
        }
        state.shown.update(|s| s.send_pressed());
        state.server_errors.set(Vec::new());
        if let Some(first) = client_errors.get_untracked().first() {
            return state.focus_error(&first.field);
        }
        let Ok(body) = serde_json::to_string(&request.get_untracked()) else {
            return;
        };
        let item = Pending {
            key: outbox::new_key(),
            body,
            has_health: attach_health.get_untracked(),
        };
        outbox::add(&item);
        sending.set(true);
        leptos::task::spawn_local(async move {
            let delivery = outbox::deliver(&item).await;
            sending.set(false);
            answered(state, outbox_state, delivery);
        });
    };

    let netlify = endpoint_kind() == EndpointKind::Netlify;
    view! {
        // A real form underneath: before the app runs, and without JavaScript, the browser
        // posts it to the endpoint as a plain form (named as `plain_form` says); once the app
        // runs, it sends through the outbox instead.
        <form class="booking-form" method="post" action=ENDPOINT novalidate on:submit=submit
            name=netlify.then_some(NETLIFY_FORM_NAME) data-netlify=netlify.then_some("true")
            netlify-honeypot=netlify.then_some(endpoint_kind().honeypot_name())>
            {netlify.then(|| view! { <input type="hidden" name="form-name" value=NETLIFY_FORM_NAME /> })}
            <ErrorSummary state=state />
            <TreatmentFields state=state />
            <WhereFields state=state />
            <WhenFields state=state />
            <DetailsFields state=state honeypot=honeypot />
            // Health answers go only where they stay behind the therapist's sign-in.
            {summary.filter(|_| endpoint_kind().carries_health()).map(|text| view! {
                <HealthFields state=state summary=text attach=attach_health consent_at=consent_at />
            })}
            <section class="before-sending" aria-labelledby="before-sending">
                <h2 id="before-sending">"Before you send"</h2>
                <p>{practice().cancellation_policy.clone()}</p>
                <p class="muted">"See the " <a href="/privacy">"privacy page"</a> " for how your details are used and when they are deleted."</p>
            </section>
            // A refusal of the request as a whole is shown, and focused, where it was sent.
            <FieldMessage id=WHOLE_FORM error=state.error(WHOLE_FORM) />
            <button type="submit" id=WHOLE_FORM class="button button--primary button--wide"
                aria-describedby=move || described_by(WHOLE_FORM, false, state.message(WHOLE_FORM).is_some())
                disabled=move || sending.get() aria-disabled=move || sending.get().to_string()>
                {move || if sending.get() { "Sending\u{2026}" } else { "Send booking request" }}
            </button>
        </form>
    }
}

/// Asks the receiver which starts are free whenever the treatment, length or place changes
/// to one it can answer for (a postcode is asked about once it is a whole one). An answer
/// for a question since changed is dropped.
fn ask_for_free_times(state: FormState, request: Memo<massage_core::booking::BookingRequest>) {
    let Some(url) = availability::url() else {
        return;
    };
    let question = Memo::new(move |_| AvailabilityQuery::of(&request.get()));
    Effect::new(move |_| {
        state.ask_again.track();
        let asked = question.get();
        if asked.check(catalog(), now_seconds()).is_err() {
            state.free.set(None);
            return;
        }
        let url = url.clone();
        leptos::task::spawn_local(async move {
            let answer = availability::fetch(&url, &asked).await;
            if question.get_untracked() == asked {
                state.free.set(answer);
            }
        });
    });
}

/// What the form does with the receiver's answer: a refusal puts its messages next to the
/// fields and focuses the first; otherwise the page shows the reference or the outbox.
fn answered(state: FormState, outbox_state: RwSignal<OutboxState>, delivery: Delivery) {
    match delivery {
        Delivery::Delivered(accepted) => outbox::record_delivered(outbox_state, accepted),
        Delivery::Rejected(errors) => {
            let errors = if errors.is_empty() {
                vec![FieldError::new(
                    WHOLE_FORM,
                    "rejected",
                    "The booking system could not accept this request. Please call or e-mail instead.",
                )]
            } else {
                errors
            };
            let first = errors[0].field.clone();
            // A time booked by someone else meanwhile: what is free has changed too.
            if errors.iter().any(|e| e.code == "taken") {
                state.ask_again.update(|n| *n += 1);
            }
            state.server_errors.set(errors);
            state.focus_error(&first);
        }
        Delivery::Waiting => outbox_state.update(|s| s.waiting = outbox::pending().len()),
    }
}
