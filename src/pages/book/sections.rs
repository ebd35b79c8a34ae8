//! The booking form's sections but the times (`when.rs`): the error summary, the treatment,
//! where, the visitor's details and the optional health answers.

use super::fields::{FieldError, TextField, described_by};
use super::state::FormState;
use crate::booking::endpoint_kind;
use crate::content::{catalog, practice};
use leptos::prelude::*;
use massage_core::booking::Location;
use massage_core::booking::form;
use massage_core::booking::request::consent_text;
use massage_core::booking::validate::MAX_NOTES;

/// The list of problems above the form once there are any, each a link to its field.
#[component]
pub(crate) fn ErrorSummary(state: FormState) -> impl IntoView {
    let all = Memo::new(move |_| {
        state.server_errors.with(|server| {
            state.client_errors.with(|client| {
                state
                    .shown
                    .with(|shown| form::summary(server, client, shown))
            })
        })
    });
    move || {
        let errors = all.get();
        (!errors.is_empty()).then(|| view! {
            <div class="error-summary" role="alert" tabindex="-1" aria-labelledby="error-summary-title">
                <h2 id="error-summary-title">"Please check the form"</h2>
                <ul>
                    {errors.into_iter().map(|e| {
                        let href = format!("#{}", state.draft.with_untracked(|d| d.element_for(&e.field)));
                        view! {
                            <li><a href=href on:click=move |ev| {
                                ev.prevent_default();
                                state.focus_error(&e.field);
                            }>{e.message.clone()}</a></li>
                        }
                    }).collect_view()}
                </ul>
            </div>
        })
    }
}

/// The treatment and its length (with the price).
#[component]
pub(crate) fn TreatmentFields(state: FormState) -> impl IntoView {
    let (service_error, minutes_error) = (state.error("service_id"), state.error("minutes"));
    let service = move || {
        catalog()
            .service(&state.draft.with(|d| d.service_id.clone()))
            .cloned()
    };
    view! {
        <fieldset>
            <legend><h2>"Treatment"</h2></legend>
            <div class="field" class:field--error=move || service_error.get().is_some()>
                <label for="service_id">"Treatment"</label>
                <FieldError id="service_id" error=service_error />
                <select id="service_id" name="service_id" aria-describedby=move || described_by("service_id", false, service_error.get().is_some())
                    prop:value=move || state.draft.with(|d| d.service_id.clone())
                    on:change=move |ev| {
                        let id = event_target_value(&ev);
                        state.edit("service_id", &|d| {
                            if let Some(s) = catalog().service(&id) { d.choose_service(s) }
                        });
                    }>
                    {catalog().services.iter().map(|s| view! { <option value=s.id.clone()>{s.name.clone()}</option> }).collect_view()}
                </select>
            </div>
            <div class="field" class:field--error=move || minutes_error.get().is_some()>
                <label for="minutes">"Length and price"</label>
                <FieldError id="minutes" error=minutes_error />
                <select id="minutes" name="minutes" prop:value=move || state.draft.with(|d| d.minutes.to_string())
                    on:change=move |ev| {
                        let minutes = event_target_value(&ev).parse().unwrap_or_default();
                        state.edit("minutes", &|d| d.minutes = minutes);
                    }>
                    {move || service().map(|s| s.lengths.iter().map(|l| view! {
                        <option value=l.minutes.to_string()>{format!("{} minutes \u{2013} \u{a3}{}", l.minutes, l.price_gbp)}</option>
                    }).collect_view())}
                </select>
            </div>
        </fieldset>
    }
}

/// In-call or outcall (as the treatment offers them), and the address for outcall.
#[component]
pub(crate) fn WhereFields(state: FormState) -> impl IntoView {
    let error = state.error("location");
    let service = move || {
        catalog()
            .service(&state.draft.with(|d| d.service_id.clone()))
            .cloned()
    };
    view! {
        <fieldset aria-describedby=move || described_by("location", false, error.get().is_some())>
            <legend><h2>"Where"</h2></legend>
            <FieldError id="location" error=error />
            <ul class="choices">
                {move || service().map(|s| {
                    let surcharge = practice().outcall_surcharge_gbp;
                    let mut options = Vec::new();
                    if s.in_call { options.push((Location::InCall, "in_call", format!("In-call, at {}", practice().in_call_location))); }
                    if s.outcall { options.push((Location::Outcall, "outcall", format!("Outcall: I come to your home or hotel (+\u{a3}{surcharge})"))); }
                    options.into_iter().map(|(location, id, label)| {
                        let input_id = format!("location-{id}");
                        view! {
                            <li class="choice">
                                // `checked` as an attribute too, so the prerendered page has a choice made.
                                <input type="radio" name="location" id=input_id.clone() value=id
                                    checked=state.draft.with_untracked(|d| d.location == location)
                                    prop:checked=move || state.draft.with(|d| d.location == location)
                                    on:change=move |_| state.edit("location", &|d| d.location = location) />
                                <label for=input_id>{label}</label>
                            </li>
                        }
                    }).collect_view()
                })}
            </ul>
            // Always in the page, shown by the stylesheet only while outcall is chosen, so the
            // plain form (no JavaScript) has them too.
            <div class="outcall-only">
                <TextField id="address" label="Address" autocomplete="street-address"
                    hint="Flat or house number and street. The full address is only used for your visit."
                    value=state.text(|d| &d.address)
                    on_input=move |v| state.edit("address", &|d| d.address = v.clone())
                    on_blur=move || state.touch("address") error=state.error("address") />
                <TextField id="postcode" label="Postcode" autocomplete="postal-code"
                    value=state.text(|d| &d.postcode)
                    on_input=move |v| state.edit("postcode", &|d| d.postcode = v.clone())
                    on_blur=move || state.touch("postcode") error=state.error("postcode") />
            </div>
        </fieldset>
    }
}

/// Name and a way to reply, notes, and the field only bots fill in.
#[component]
pub(crate) fn DetailsFields(state: FormState, honeypot: RwSignal<String>) -> impl IntoView {
    view! {
        <fieldset aria-describedby="contact-hint">
            <legend><h2>"Your details"</h2></legend>
            <p class="hint" id="contact-hint">"An e-mail address or a phone number (or both), so I can confirm."</p>
            <TextField id="name" label="Name" autocomplete="name"
                value=state.text(|d| &d.name)
                on_input=move |v| state.edit("name", &|d| d.name = v.clone())
                on_blur=move || state.touch("name") error=state.error("name") />
            <TextField id="email" label="E-mail" kind="email" autocomplete="email" inputmode="email"
                value=state.text(|d| &d.email)
                on_input=move |v| state.edit("email", &|d| d.email = v.clone())
                on_blur=move || state.touch("email") error=state.error("email") />
            <TextField id="phone" label="Phone" kind="tel" autocomplete="tel" inputmode="tel" hint="A UK number, mobile or landline."
                value=state.text(|d| &d.phone)
                on_input=move |v| state.edit("phone", &|d| d.phone = v.clone())
                on_blur=move || state.touch("phone") error=state.error("phone") />
            <TextField id="notes" label="Anything I should know (optional)" multiline=true max_chars=MAX_NOTES
                hint="For example, areas to focus on or avoid. Please don't put health details here unless you want me to have them."
                value=state.text(|d| &d.notes)
                on_input=move |v| state.edit("notes", &|d| d.notes = v.clone())
                on_blur=move || state.touch("notes") error=state.error("notes") />
            // People never see this field; automated spam fills it in.
            <div class="hp" aria-hidden="true">
                <label for="leave-empty">"Leave this empty"</label>
                <input id="leave-empty" name=endpoint_kind().honeypot_name() type="text" tabindex="-1" autocomplete="off"
                    prop:value=move || honeypot.get() on:input=move |ev| honeypot.set(event_target_value(&ev)) />
            </div>
        </fieldset>
    }
}

/// The finished self-check's answers, sent only with the separate consent ticked.
#[component]
pub(crate) fn HealthFields(
    state: FormState,
    summary: String,
    attach: RwSignal<bool>,
    consent_at: RwSignal<String>,
) -> impl IntoView {
    view! {
        <fieldset class="health" aria-describedby="health-hint">
            <legend><h2>"Your self-check answers (optional)"</h2></legend>
            <p class="hint" id="health-hint">"These are health details. They are only sent if you tick the box below, and never stored on this phone after you close the tab."</p>
            <pre class="health__summary">{summary}</pre>
            <FieldError id="health_consent" error=state.error("health_consent") />
            <div class="choice">
                <input type="checkbox" id="health_consent"
                    prop:checked=move || attach.get()
                    on:change=move |ev| {
                        let on = event_target_checked(&ev);
                        attach.set(on);
                        consent_at.set(if on { js_sys::Date::new_0().to_iso_string().into() } else { String::new() });
                        state.server_errors.update(|e| form::forget(e, "health"));
                    } />
                <label for="health_consent">{consent_text(&practice().therapist)}</label>
            </div>
        </fieldset>
    }
}
