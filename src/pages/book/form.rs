use super::fields::{FieldError, TextField, described_by};
use crate::app::focus_element;
use crate::booking::draft::{self, Draft};
use crate::booking::outbox::{self, Delivery, Pending, use_outbox};
use crate::content::{catalog, practice, self_check_rules};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;
use massage_core::booking::london_time::{LondonDateTime, ZONE, is_bst_at_utc_minutes};
use massage_core::booking::request::{CONSENT_VERSION, FIELDS, consent_text};
use massage_core::booking::validate::MAX_NOTES;
use massage_core::booking::{
    BookingRequest, Consent, FieldError as Problem, HealthSummary, Location, validate,
};
use massage_core::calendar::Date;
use massage_core::self_check::engine::Next;
use std::collections::HashSet;

fn now_seconds() -> i64 {
    if cfg!(feature = "ssr") {
        // Prerendering at build time: the browser fills in its own "now" when it takes over.
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs() as i64)
    } else {
        (js_sys::Date::now() / 1000.0) as i64
    }
}

/// The request the form would send now.
fn to_request(d: &Draft, health: Option<HealthSummary>, honeypot: String) -> BookingRequest {
    BookingRequest {
        service_id: d.service_id.clone(),
        minutes: d.minutes,
        location: d.location,
        address: if d.location == Location::Outcall {
            d.address.trim().to_owned()
        } else {
            String::new()
        },
        postcode: if d.location == Location::Outcall {
            d.postcode.trim().to_owned()
        } else {
            String::new()
        },
        preferred_times: d
            .times
            .iter()
            .filter(|(date, time)| !date.is_empty() || !time.is_empty())
            .map(|(date, time)| format!("{date}T{time}"))
            .collect(),
        time_zone: ZONE.to_owned(),
        name: d.name.trim().to_owned(),
        email: d.email.trim().to_owned(),
        phone: d.phone.trim().to_owned(),
        notes: d.notes.trim().to_owned(),
        health,
        website: honeypot,
    }
}

/// A new draft: the service asked for in the address (`/book?service=…`) or the first one.
fn fresh_draft(service: Option<String>) -> Draft {
    let services = &catalog().services;
    let service = service
        .and_then(|id| catalog().service(&id))
        .unwrap_or(&services[0]);
    Draft {
        service_id: service.id.clone(),
        minutes: service.lengths[0].minutes,
        location: if service.in_call {
            Location::InCall
        } else {
            Location::Outcall
        },
        times: vec![(String::new(), String::new())],
        ..Default::default()
    }
}

/// The self-check's answers as lines of text, if the visitor has finished it in this tab.
fn self_check_summary() -> Option<String> {
    let answers = crate::pages::self_check::answers::load();
    let rules = self_check_rules();
    let Next::Result(outcome) = rules.next(&answers) else {
        return None;
    };
    if !outcome.level.offers_booking() {
        return None;
    }
    let mut lines = vec![format!("Self-check result: {}", outcome.title)];
    lines.extend(
        rules
            .summary(&answers)
            .into_iter()
            .map(|(q, a)| format!("{q} {a}")),
    );
    Some(lines.join("\n"))
}

/// The rows of times actually sent (blank rows are left out), by their place on screen.
fn sent_rows(draft: &Draft) -> Vec<usize> {
    draft
        .times
        .iter()
        .enumerate()
        .filter(|(_, (date, time))| !date.is_empty() || !time.is_empty())
        .map(|(i, _)| i)
        .collect()
}

/// The id of the element to focus for an error on `field`. `preferred_times.N` counts only
/// the rows sent, so it is mapped back to its row on screen.
fn element_for(field: &str, draft: &Draft) -> String {
    match field {
        "location" => "location-in_call".into(),
        "preferred_times" => "time-date-0".into(),
        f if f.starts_with("preferred_times.") => {
            let sent: usize = f["preferred_times.".len()..].parse().unwrap_or(0);
            format!(
                "time-date-{}",
                sent_rows(draft).get(sent).copied().unwrap_or(0)
            )
        }
        f => f.to_owned(),
    }
}

#[component]
pub fn BookingForm() -> impl IntoView {
    let outbox_state = use_outbox();
    let query = use_query_map();
    let form = RwSignal::new(
        draft::load().unwrap_or_else(|| fresh_draft(query.get_untracked().get("service"))),
    );
    Effect::new(move |_| draft::save(&form.get()));
    // A request refused after waiting in the outbox comes back here with its problems.
    let refused = outbox_state.with_untracked(|o| o.rejected.clone());
    if !refused.is_empty() {
        outbox_state.update_untracked(|o| o.rejected.clear());
    }
    let touched = RwSignal::new(HashSet::<String>::new());
    let server_errors = RwSignal::new(refused);
    let sending = RwSignal::new(false);
    let honeypot = RwSignal::new(String::new());
    let summary = self_check_summary();
    let attach_health = RwSignal::new(false);
    let consent_at = RwSignal::new(String::new());
    let therapist = practice().therapist.clone();

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
    let request = {
        let health = health.clone();
        Memo::new(move |_| to_request(&form.get(), health(), honeypot.get()))
    };
    let client_errors = Memo::new(move |_| {
        validate(&request.get(), catalog(), now_seconds())
            .err()
            .unwrap_or_default()
    });
    // A field's message: the receiver's, until the field is changed, else ours once the
    // visitor has left the field (or pressed send).
    let message_for = move |field: &str| {
        let find = |errors: &Vec<Problem>| {
            errors
                .iter()
                .find(|e| e.field == field)
                .map(|e| e.message.clone())
        };
        server_errors.with(find).or_else(|| {
            let shown = touched.with(|t| t.contains(field) || t.contains("*"));
            shown.then(|| client_errors.with(find)).flatten()
        })
    };
    let error_for = move |field: &'static str| Signal::derive(move || message_for(field));
    let edit = move |field: &'static str, change: Box<dyn Fn(&mut Draft)>| {
        form.update(|d| change(d));
        server_errors.update(|e| e.retain(|e| !e.field.starts_with(field)));
    };
    let touch = move |field: &'static str| {
        touched.update(|t| {
            t.insert(field.to_owned());
        })
    };

    let all_errors = Memo::new(move |_| {
        let mut all: Vec<Problem> = server_errors.get();
        if touched.with(|t| t.contains("*")) {
            for e in client_errors.get() {
                if !all.iter().any(|s| s.field == e.field) {
                    all.push(e);
                }
            }
        }
        all.sort_by_key(|e| {
            FIELDS
                .iter()
                .position(|f| e.field.starts_with(f))
                .unwrap_or(FIELDS.len())
        });
        all
    });

    let submit = move |ev: web_sys::SubmitEvent| {
        ev.prevent_default();
        // A second tap while sending does nothing: the request already has its key.
        if sending.get_untracked() {
            return;
        }
        touched.update(|t| {
            t.insert("*".into());
        });
        server_errors.set(Vec::new());
        if let Some(first) = client_errors.get_untracked().first() {
            focus_element(
                document().get_element_by_id(&element_for(&first.field, &form.get_untracked())),
            );
            return;
        }
        let body = match serde_json::to_string(&request.get_untracked()) {
            Ok(body) => body,
            Err(_) => return,
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
            match delivery {
                Delivery::Delivered(accepted) => outbox::record_delivered(outbox_state, accepted),
                Delivery::Rejected(errors) => {
                    let errors = if errors.is_empty() {
                        vec![Problem::new(
                            "request",
                            "rejected",
                            "The booking system could not accept this request. Please call or e-mail instead.",
                        )]
                    } else {
                        errors
                    };
                    let first = errors[0].field.clone();
                    server_errors.set(errors);
                    focus_element(
                        document().get_element_by_id(&element_for(&first, &form.get_untracked())),
                    );
                }
                Delivery::Waiting => outbox_state.update(|s| s.waiting = outbox::pending().len()),
            }
        });
    };

    // Choices that depend on the chosen service and length.
    let service = move || {
        catalog()
            .service(&form.with(|d| d.service_id.clone()))
            .cloned()
    };
    let start_times = move || {
        let p = practice();
        let minutes = form.with(|d| d.minutes);
        let (open, close) = (
            p.opens.minutes_since_midnight(),
            p.closes.minutes_since_midnight(),
        );
        (open..=close.saturating_sub(minutes))
            .step_by(15)
            .map(|m| format!("{:02}:{:02}", m / 60, m % 60))
            .collect::<Vec<_>>()
    };
    let today = LondonDateTime::from_utc_seconds(now_seconds()).date;
    let last_day = Date::from_days_since_epoch(
        today.days_since_epoch() + massage_core::booking::validate::BOOK_AHEAD_DAYS,
    );
    let zone_label = move |date: &str| {
        let day = Date::parse_iso(date).unwrap_or(today);
        let noon = LondonDateTime {
            date: day,
            time: massage_core::clock::ClockTime::from_hm(12, 0).expect("noon"),
        };
        if is_bst_at_utc_minutes(noon.to_utc_minutes()) {
            "London time, BST"
        } else {
            "London time, GMT"
        }
    };
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
        <form class="booking-form needs-js" novalidate on:submit=submit>
            {move || {
                let errors = all_errors.get();
                (!errors.is_empty()).then(|| view! {
                    <div class="error-summary" role="alert" tabindex="-1" aria-labelledby="error-summary-title">
                        <h2 id="error-summary-title">"Please check the form"</h2>
                        <ul>
                            {errors.into_iter().map(|e| view! {
                                <li><a href=format!("#{}", element_for(&e.field, &form.get_untracked())) on:click=move |ev| {
                                    ev.prevent_default();
                                    focus_element(document().get_element_by_id(&element_for(&e.field, &form.get_untracked())));
                                }>{e.message.clone()}</a></li>
                            }).collect_view()}
                        </ul>
                    </div>
                })
            }}

            <fieldset>
                <legend><h2>"Treatment"</h2></legend>
                <div class="field" class:field--error=move || error_for("service_id").get().is_some()>
                    <label for="service_id">"Treatment"</label>
                    <FieldError id="service_id" error=error_for("service_id") />
                    <select id="service_id" aria-describedby=move || described_by("service_id", false, error_for("service_id").get().is_some())
                        prop:value=move || form.with(|d| d.service_id.clone())
                        on:change=move |ev| {
                            let id = event_target_value(&ev);
                            edit("service_id", Box::new(move |d| {
                                if let Some(s) = catalog().service(&id) {
                                    d.service_id = s.id.clone();
                                    if !s.lengths.iter().any(|l| l.minutes == d.minutes) { d.minutes = s.lengths[0].minutes; }
                                    if !s.outcall { d.location = Location::InCall; }
                                    if !s.in_call { d.location = Location::Outcall; }
                                }
                            }));
                        }>
                        {catalog().services.iter().map(|s| view! { <option value=s.id.clone()>{s.name.clone()}</option> }).collect_view()}
                    </select>
                </div>
                <div class="field" class:field--error=move || error_for("minutes").get().is_some()>
                    <label for="minutes">"Length and price"</label>
                    <FieldError id="minutes" error=error_for("minutes") />
                    <select id="minutes" prop:value=move || form.with(|d| d.minutes.to_string())
                        on:change=move |ev| {
                            let minutes = event_target_value(&ev).parse().unwrap_or_default();
                            edit("minutes", Box::new(move |d| d.minutes = minutes));
                        }>
                        {move || service().map(|s| s.lengths.iter().map(|l| view! {
                            <option value=l.minutes.to_string()>{format!("{} minutes \u{2013} \u{a3}{}", l.minutes, l.price_gbp)}</option>
                        }).collect_view())}
                    </select>
                </div>
            </fieldset>

            <fieldset aria-describedby=move || described_by("location", false, error_for("location").get().is_some())>
                <legend><h2>"Where"</h2></legend>
                <FieldError id="location" error=error_for("location") />
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
                                    <input type="radio" name="location" id=input_id.clone() value=id
                                        prop:checked=move || form.with(|d| d.location == location)
                                        on:change=move |_| edit("location", Box::new(move |d| d.location = location)) />
                                    <label for=input_id>{label}</label>
                                </li>
                            }
                        }).collect_view()
                    })}
                </ul>
                {move || (form.with(|d| d.location) == Location::Outcall).then(|| view! {
                    <TextField id="address" label="Address" autocomplete="street-address"
                        hint="Flat or house number and street. The full address is only used for your visit."
                        value=Signal::derive(move || form.with(|d| d.address.clone()))
                        on_input=move |v| edit("address", Box::new(move |d| d.address = v.clone()))
                        on_blur=move || touch("address") error=error_for("address") />
                    <TextField id="postcode" label="Postcode" autocomplete="postal-code"
                        value=Signal::derive(move || form.with(|d| d.postcode.clone()))
                        on_input=move |v| edit("postcode", Box::new(move |d| d.postcode = v.clone()))
                        on_blur=move || touch("postcode") error=error_for("postcode") />
                })}
            </fieldset>

            <fieldset aria-describedby="times-hint">
                <legend><h2>"When"</h2></legend>
                <p class="hint" id="times-hint">
                    "Choose up to three times that suit you. All times are "
                    <strong>"London time"</strong>
                    {format!(", every day {}.", practice().hours())}
                    {phone_elsewhere.then_some(" Your phone seems to be set to another time zone: the times here are London times, not your phone's.")}
                </p>
                <FieldError id="preferred_times" error=error_for("preferred_times") />
                {move || {
                    let rows = form.with(|d| d.times.len());
                    (0..rows).map(|i| {
                        // This row's errors are those of its place among the rows sent.
                        let field = "preferred_times";
                        let error = Signal::derive(move || {
                            let sent = form.with(|d| sent_rows(d).iter().position(|&row| row == i))?;
                            message_for(&format!("preferred_times.{sent}"))
                        });
                        let touch_row = move || {
                            if let Some(sent) = form.with_untracked(|d| sent_rows(d).iter().position(|&row| row == i)) {
                                touched.update(|t| { t.insert(format!("preferred_times.{sent}")); });
                            }
                        };
                        let date_id = format!("time-date-{i}");
                        let time_id = format!("time-time-{i}");
                        let date = move || form.with(|d| d.times.get(i).map(|t| t.0.clone()).unwrap_or_default());
                        let described = move || described_by(&format!("time-{i}"), false, error.get().is_some());
                        view! {
                            <div class="time-row" class:field--error=move || error.get().is_some()>
                                <p class="time-row__label">{format!("Choice {}", i + 1)} <span class="muted">{move || format!(" ({})", zone_label(&date()))}</span></p>
                                <FieldError id=format!("time-{i}") error=error />
                                <div class="time-row__inputs">
                                    <div class="field">
                                        <label for=date_id.clone()>"Date"</label>
                                        <input type="date" id=date_id.clone() min=today.to_string() max=last_day.to_string()
                                            aria-describedby=described aria-invalid=move || error.get().is_some().to_string()
                                            prop:value=date
                                            on:change=move |ev| { let v = event_target_value(&ev); edit(field, Box::new(move |d| if let Some(t) = d.times.get_mut(i) { t.0 = v.clone(); })); touch_row(); } />
                                    </div>
                                    <div class="field">
                                        <label for=time_id.clone()>"Start time"</label>
                                        <select id=time_id prop:value=move || form.with(|d| d.times.get(i).map(|t| t.1.clone()).unwrap_or_default())
                                            on:change=move |ev| { let v = event_target_value(&ev); edit(field, Box::new(move |d| if let Some(t) = d.times.get_mut(i) { t.1 = v.clone(); })); touch_row(); }>
                                            <option value="">"Choose a time"</option>
                                            {move || start_times().into_iter().map(|t| view! { <option value=t.clone()>{t.clone()}</option> }).collect_view()}
                                        </select>
                                    </div>
                                </div>
                                {(rows > 1).then(|| view! {
                                    <button type="button" class="link-button" on:click=move |_| edit("preferred_times", Box::new(move |d| { if d.times.len() > 1 { d.times.remove(i); } }))>
                                        {format!("Remove choice {}", i + 1)}
                                    </button>
                                })}
                            </div>
                        }
                    }).collect_view()
                }}
                {move || (form.with(|d| d.times.len()) < 3).then(|| view! {
                    <button type="button" class="button" on:click=move |_| {
                        edit("preferred_times", Box::new(|d| d.times.push((String::new(), String::new()))));
                        let next = form.with_untracked(|d| d.times.len() - 1);
                        request_animation_frame(move || { focus_element(document().get_element_by_id(&format!("time-date-{next}"))); });
                    }>"Add another time"</button>
                })}
            </fieldset>

            <fieldset aria-describedby="contact-hint">
                <legend><h2>"Your details"</h2></legend>
                <p class="hint" id="contact-hint">"An e-mail address or a phone number (or both), so I can confirm."</p>
                <TextField id="name" label="Name" autocomplete="name"
                    value=Signal::derive(move || form.with(|d| d.name.clone()))
                    on_input=move |v| edit("name", Box::new(move |d| d.name = v.clone()))
                    on_blur=move || touch("name") error=error_for("name") />
                <TextField id="email" label="E-mail" kind="email" autocomplete="email" inputmode="email"
                    value=Signal::derive(move || form.with(|d| d.email.clone()))
                    on_input=move |v| edit("email", Box::new(move |d| d.email = v.clone()))
                    on_blur=move || touch("email") error=error_for("email") />
                <TextField id="phone" label="Phone" kind="tel" autocomplete="tel" inputmode="tel" hint="A UK number, mobile or landline."
                    value=Signal::derive(move || form.with(|d| d.phone.clone()))
                    on_input=move |v| edit("phone", Box::new(move |d| d.phone = v.clone()))
                    on_blur=move || touch("phone") error=error_for("phone") />
                <TextField id="notes" label="Anything I should know (optional)" multiline=true max_chars=MAX_NOTES
                    hint="For example, areas to focus on or avoid. Please don't put health details here unless you want me to have them."
                    value=Signal::derive(move || form.with(|d| d.notes.clone()))
                    on_input=move |v| edit("notes", Box::new(move |d| d.notes = v.clone()))
                    on_blur=move || touch("notes") error=error_for("notes") />
                // People never see this field; automated spam fills it in.
                <div class="hp" aria-hidden="true">
                    <label for="leave-empty">"Leave this empty"</label>
                    <input id="leave-empty" name="leave-empty" type="text" tabindex="-1" autocomplete="off"
                        prop:value=move || honeypot.get() on:input=move |ev| honeypot.set(event_target_value(&ev)) />
                </div>
            </fieldset>

            {summary.clone().map(|text| view! {
                <fieldset class="health" aria-describedby="health-hint">
                    <legend><h2>"Your self-check answers (optional)"</h2></legend>
                    <p class="hint" id="health-hint">"These are health details. They are only sent if you tick the box below, and never stored on this phone after you close the tab."</p>
                    <pre class="health__summary">{text}</pre>
                    <FieldError id="health_consent" error=error_for("health_consent") />
                    <div class="choice">
                        <input type="checkbox" id="health_consent"
                            prop:checked=move || attach_health.get()
                            on:change=move |ev| {
                                let on = event_target_checked(&ev);
                                attach_health.set(on);
                                consent_at.set(if on { js_sys::Date::new_0().to_iso_string().into() } else { String::new() });
                                server_errors.update(|e| e.retain(|e| !e.field.starts_with("health")));
                            } />
                        <label for="health_consent">{consent_text(&therapist)}</label>
                    </div>
                </fieldset>
            })}

            <section class="before-sending" aria-labelledby="before-sending">
                <h2 id="before-sending">"Before you send"</h2>
                <p>{practice().cancellation_policy.clone()}</p>
                <p class="muted">"See the " <a href="/privacy">"privacy page"</a> " for how your details are used and when they are deleted."</p>
            </section>
            <button type="submit" class="button button--primary button--wide" disabled=move || sending.get() aria-disabled=move || sending.get().to_string()>
                {move || if sending.get() { "Sending\u{2026}" } else { "Send booking request" }}
            </button>
        </form>
    }
}
