//! Form fields with their label, hint and error wired together for assistive technology:
//! the error sits next to the field, is referenced by aria-describedby, and the field is
//! marked aria-invalid.

use leptos::prelude::*;

/// The ids an input's description points at.
pub(crate) fn described_by(id: &str, has_hint: bool, has_error: bool) -> String {
    let mut ids = Vec::new();
    if has_hint {
        ids.push(format!("{id}-hint"));
    }
    if has_error {
        ids.push(format!("{id}-error"));
    }
    ids.join(" ")
}

/// The message under a field, when it has one.
#[component]
pub(crate) fn FieldError(#[prop(into)] id: String, error: Signal<Option<String>>) -> impl IntoView {
    move || {
        error.get().map(|message| {
            view! {
                <p class="field-error" id=format!("{id}-error")>
                    <span class="visually-hidden">"Error: "</span>
                    {message}
                </p>
            }
        })
    }
}

/// A labelled text input bound to `value`.
#[component]
pub(crate) fn TextField(
    #[prop(into)] id: String,
    #[prop(into)] label: String,
    #[prop(optional, into)] hint: Option<String>,
    value: Signal<String>,
    on_input: impl Fn(String) + 'static,
    on_blur: impl Fn() + 'static,
    error: Signal<Option<String>>,
    #[prop(default = "text")] kind: &'static str,
    #[prop(optional)] autocomplete: Option<&'static str>,
    #[prop(optional)] inputmode: Option<&'static str>,
    #[prop(default = false)] multiline: bool,
    #[prop(default = 0)] max_chars: usize,
) -> impl IntoView {
    let has_hint = hint.is_some();
    let id2 = id.clone();
    let described = move || described_by(&id2, has_hint, error.get().is_some());
    let input = if multiline {
        view! {
            <textarea
                id=id.clone()
                name=id.clone()
                rows="4"
                aria-describedby=described
                aria-invalid=move || error.get().is_some().to_string()
                prop:value=move || value.get()
                on:input=move |ev| on_input(event_target_value(&ev))
                on:blur=move |_| on_blur()
            ></textarea>
        }
        .into_any()
    } else {
        view! {
            <input
                id=id.clone()
                name=id.clone()
                type=kind
                autocomplete=autocomplete
                inputmode=inputmode
                aria-describedby=described
                aria-invalid=move || error.get().is_some().to_string()
                prop:value=move || value.get()
                on:input=move |ev| on_input(event_target_value(&ev))
                on:blur=move |_| on_blur()
            />
        }
        .into_any()
    };
    view! {
        <div class="field" class:field--error=move || error.get().is_some()>
            <label for=id.clone()>{label}</label>
            {hint.map(|h| view! { <p class="hint" id=format!("{id}-hint")>{h}</p> })}
            <FieldError id=id.clone() error=error />
            {input}
            {(max_chars > 0).then(|| view! {
                <p class="counter muted" aria-live="polite">
                    {move || {
                        let used = value.get().chars().count();
                        if used > max_chars * 4 / 5 { format!("{used} of {max_chars} characters") } else { String::new() }
                    }}
                </p>
            })}
        </div>
    }
}
