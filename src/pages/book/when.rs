//! "When": up to `MAX_TIMES` rows of a date and a start time, in London time whatever zone
//! the phone is in.

use super::fields::{FieldError, described_by};
use super::form::now_seconds;
use super::state::FormState;
use crate::booking::endpoint_kind;
use crate::content::practice;
use crate::dom::focus_element;
use leptos::prelude::*;
use massage_core::booking::availability::{offered_starts, row_note, start_every};
use massage_core::booking::form::{self, TIMES_FIELD, date_input_id};
use massage_core::booking::london_time::{LondonDateTime, is_bst_at_utc_minutes};
use massage_core::booking::plain_form;
use massage_core::calendar::Date;

#[component]
pub(crate) fn WhenFields(state: FormState) -> impl IntoView {
    let now = now_seconds();
    let today = LondonDateTime::from_utc_seconds(now).date;
    // The days the minimum notice and the booking window leave ([practice.scheduling]).
    let (first_day, last_day) = form::date_range(practice(), now);
    // After a "wait" result in the self-check (in this tab), no day before the wait is over
    // is offered: the rows' first day is the first bookable one.
    let first_day = crate::state::self_check::advice()
        .and_then(|o| o.earliest_booking_day(today))
        .map_or(first_day, |waited| waited.max(first_day));
    // A phone set to another zone would show other times: say plainly that these are London's.
    let phone_elsewhere = !cfg!(feature = "ssr") && {
        let london_offset = if is_bst_at_utc_minutes(now_seconds() / 60) {
            -60.0
        } else {
            0.0
        };
        js_sys::Date::new_0().get_timezone_offset() != london_offset
    };
    view! {
        <fieldset aria-describedby="times-hint">
            <legend><h2>"When"</h2></legend>
            <p class="hint" id="times-hint">
                "Choose up to three times that suit you. All times are "
                <strong>"London time"</strong>
                {format!(", every day {}.", practice().hours())}
                {phone_elsewhere.then_some(" Your phone seems to be set to another time zone: the times here are London times, not your phone's.")}
            </p>
            <FieldError id=TIMES_FIELD error=state.error(TIMES_FIELD) />
            {move || {
                let rows = state.draft.with(|d| d.times.len());
                (0..rows).map(|row| view! {
                    <TimeRow state=state row=row removable={rows > 1} first_day=first_day last_day=last_day />
                }).collect_view()
            }}
            {move || state.draft.with(|d| d.can_add_time()).then(|| view! {
                <button type="button" class="button needs-js" on:click=move |_| {
                    state.edit(TIMES_FIELD, &|d| { d.add_time(); });
                    let next = state.draft.with_untracked(|d| d.times.len() - 1);
                    request_animation_frame(move || { focus_element(document().get_element_by_id(&date_input_id(next))); });
                }>"Add another time"</button>
            })}
        </fieldset>
    }
}

/// One choice of time: a date, a start time, and a button to remove it when there are more.
#[component]
fn TimeRow(
    state: FormState,
    row: usize,
    removable: bool,
    first_day: Date,
    last_day: Date,
) -> impl IntoView {
    // This row's errors are those of its place among the rows sent.
    let error = Signal::derive(move || state.message(&state.draft.with(|d| d.time_field(row))?));
    let touch = move || {
        if let Some(field) = state.draft.with_untracked(|d| d.time_field(row)) {
            state.touch(&field);
        }
    };
    let set = move |change: &dyn Fn(&mut (String, String))| {
        state.edit(TIMES_FIELD, &|d| {
            if let Some(t) = d.times.get_mut(row) {
                change(t)
            }
        });
        touch();
    };
    let date_id = date_input_id(row);
    let time_id = format!("time-time-{row}");
    let date = move || {
        state
            .draft
            .with(|d| d.times.get(row).map(|t| t.0.clone()).unwrap_or_default())
    };
    let time = move || {
        state
            .draft
            .with(|d| d.times.get(row).map(|t| t.1.clone()).unwrap_or_default())
    };
    let note = move || {
        state
            .free
            .with(|free| row_note(&date(), &time(), free.as_ref()))
    };
    let note_id = format!("time-{row}-note");
    let described = {
        let note_id = note_id.clone();
        move || {
            let ids = described_by(&format!("time-{row}"), false, error.get().is_some());
            if note().is_some() {
                format!("{ids} {note_id}").trim().to_owned()
            } else {
                ids
            }
        }
    };
    view! {
        <div class="time-row" class:field--error=move || error.get().is_some()>
            <p class="time-row__label">{format!("Choice {}", row + 1)} <span class="muted">{move || format!(" ({})", form::zone_label(&date(), first_day))}</span></p>
            <FieldError id=format!("time-{row}") error=error />
            <div class="time-row__inputs">
                <div class="field">
                    <label for=date_id.clone()>"Date"</label>
                    <input type="date" id=date_id.clone() name=plain_form::DATE min=first_day.to_string() max=last_day.to_string()
                        aria-describedby=described.clone() aria-invalid=move || error.get().is_some().to_string()
                        prop:value=date
                        on:change=move |ev| { let v = event_target_value(&ev); set(&|t| t.0 = v.clone()); } />
                </div>
                <div class="field">
                    <label for=time_id.clone()>"Start time"</label>
                    <select id=time_id name=plain_form::TIME prop:value=time aria-describedby=described
                        on:change=move |ev| { let v = event_target_value(&ev); set(&|t| t.1 = v.clone()); }>
                        <option value="">"Choose a time"</option>
                        {move || {
                            let minutes = state.draft.with(|d| d.minutes);
                            let every = start_every(endpoint_kind(), practice());
                            state.free.with(|free| offered_starts(practice(), minutes, &date(), free.as_ref(), every))
                        }.into_iter().map(|t| {
                            let t = t.to_string();
                            view! { <option value=t.clone()>{t.clone()}</option> }
                        }).collect_view()}
                    </select>
                </div>
            </div>
            {move || note().map(|text| view! { <p class="hint time-row__note" id=note_id.clone() role="status">{text}</p> })}
            {removable.then(|| view! {
                <button type="button" class="link-button" on:click=move |_| state.edit(TIMES_FIELD, &|d| d.remove_time(row))>
                    {format!("Remove choice {}", row + 1)}
                </button>
            })}
        </div>
    }
}
