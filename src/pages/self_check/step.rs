use super::result::SelfCheckResult;
use super::{NeedsJavaScript, RESULT, step_href};
use crate::components::page_meta::PageMeta;
use crate::content::self_check_rules;
use crate::state::self_check as answers;
use leptos::prelude::*;
use leptos_router::NavigateOptions;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_params_map};
use massage_core::self_check::engine::Next;
use massage_core::self_check::{Answers, Choose, Question};

/// `/self-check/:step`: one question, or the result. An address that is not open yet (a
/// later question before the warning signs are answered, or the result of an unfinished
/// check) is replaced by the step the visitor has reached, which says why. A step that does
/// not exist shows `unknown` (the not-found page; the self-check's own app, which has no
/// library to suggest from, loads the server's).
#[component]
pub fn SelfCheckStep(unknown: fn() -> AnyView) -> impl IntoView {
    let rules = self_check_rules();
    let params = use_params_map();
    let step = Memo::new(move |_| params.read().get("step").unwrap_or_default());
    let answers = RwSignal::new(answers::load());
    let navigate = use_navigate();
    // The step the check went back to because a later one was opened without the answers
    // before it (a bookmark, a link, or a tab opened afresh): that step says why.
    let restarted = RwSignal::new(None::<String>);
    let known = move |step: &str| step == RESULT || rules.question(step).is_some();

    let reached = move |answers: &Answers| match rules.next(answers) {
        Next::Ask { question, .. } => question.id.clone(),
        Next::Result(_) | Next::Unmatched => RESULT.to_owned(),
    };
    let allowed = move |step: &str, answers: &Answers| {
        if step == RESULT {
            reached(answers) == RESULT
        } else {
            rules.position(step, answers).is_some()
        }
    };
    Effect::new({
        let navigate = navigate.clone();
        move |_| {
            let step = step.get();
            let answers = answers::load();
            if known(&step) && !allowed(&step, &answers) {
                let to = reached(&answers);
                restarted.set((to != RESULT).then(|| to.clone()));
                navigate(
                    &step_href(&to),
                    NavigateOptions {
                        replace: true,
                        ..Default::default()
                    },
                );
            } else if restarted.get_untracked().is_some_and(|s| s != step) {
                restarted.set(None);
            }
        }
    });

    move || {
        let step = step.get();
        if !known(&step) {
            return Some(unknown());
        }
        // Read again at each step: "Start again" elsewhere may have cleared them.
        let current = answers::load();
        answers.update_untracked(|a| *a = current.clone());
        // Prerendering has no visitor and no answers: each step is written with its question
        // and options, so a reload paints it at once; the app then fills in the answers, or
        // goes back to the step the visitor has reached and says why.
        if !cfg!(feature = "ssr") && !allowed(&step, &current) {
            return None;
        }
        if step == RESULT {
            return Some(view! { <SelfCheckResult answers=current /> }.into_any());
        }
        let question = rules.question(&step)?;
        let (number, of) = rules.progress(&step)?;
        // Untracked: set just before the address changes, so read as this step renders.
        let why = restarted
            .get_untracked()
            .filter(|s| *s == step)
            .map(|s| restart_reason(s == rules.questions[0].id));
        Some(view! { <QuestionForm question=question.clone() number=number of=of answers=answers why_here=why /> }.into_any())
    }
}

/// Why the visitor is on this step rather than the one they opened.
fn restart_reason(first: bool) -> &'static str {
    if first {
        "The question you opened comes later in the check, and this tab has no answers to the questions before it (answers are forgotten when a tab is closed). So the check starts again here, with the warning signs."
    } else {
        "The question you opened comes later in the check, and the questions before it need answers first. So the check goes on from here."
    }
}

/// One step: the question, Continue (which saves the answer and goes on) and Back.
#[component]
fn QuestionForm(
    question: Question,
    number: usize,
    of: usize,
    answers: RwSignal<Answers>,
    /// Why the check is at this step rather than the one the visitor opened.
    why_here: Option<&'static str>,
) -> impl IntoView {
    let rules = self_check_rules();
    let chosen = RwSignal::new(
        answers
            .get_untracked()
            .get(&question.id)
            .cloned()
            .unwrap_or_default(),
    );
    let error = RwSignal::new(None::<&'static str>);
    let navigate = use_navigate();
    let first_input = NodeRef::<leptos::html::Input>::new();

    let id = question.id.clone();
    let previous = rules
        .shown(&answers.get_untracked())
        .windows(2)
        .find(|w| w[1].id == id)
        .map(|w| step_href(&w[0].id))
        .unwrap_or_else(|| "/self-check".to_owned());

    let submit = {
        let question = question.clone();
        move |ev: web_sys::SubmitEvent| {
            ev.prevent_default();
            let choice = chosen.get_untracked();
            if let Err(message) = question.check(&choice) {
                error.set(Some(message));
                if let Some(input) = first_input.get_untracked() {
                    let _ = input.focus();
                }
                return;
            }
            answers.update(|a| {
                a.insert(question.id.clone(), choice);
            });
            let all = answers.get_untracked();
            answers::save(&all);
            let next = match rules.next_after(&question.id, &all) {
                Next::Ask { question, .. } => step_href(&question.id),
                Next::Result(_) | Next::Unmatched => step_href(super::RESULT),
            };
            navigate(&next, NavigateOptions::default());
        }
    };

    let title = format!(
        "Step {number} of {of}: {} \u{2013} Back-pain self-check",
        question.text
    );

    view! {
        <PageMeta title=title description="A few questions about your back pain. Answers stay on your device." />
        {why_here.map(|why| view! { <p class="notice notice--warning" role="alert">{why}</p> })}
        // The id lets the app, taking over a prerendered step, send a form sent before it came.
        <form id="self-check-step" class="self-check" novalidate on:submit=submit>
            <QuestionFieldset question=question number=number of=of chosen=chosen error=error first_input=first_input />
            // Without JavaScript the question can be read but not sent: the browser would put
            // the answers into the address, and health answers never go there.
            <NeedsJavaScript />
            <div class="step-actions needs-js">
                <button type="submit" class="button button--primary">"Continue"</button>
                <A href=previous attr:class="back-link">"Back"</A>
            </div>
        </form>
        <p class="muted small">"Not a diagnosis. In an emergency, call 999."</p>
    }
}

/// One question as a fieldset: its legend is the page's heading (with the step number), then
/// the hint, the error once Continue finds the answer incomplete, and the options.
#[component]
fn QuestionFieldset(
    question: Question,
    number: usize,
    of: usize,
    chosen: RwSignal<Vec<String>>,
    error: RwSignal<Option<&'static str>>,
    first_input: NodeRef<leptos::html::Input>,
) -> impl IntoView {
    let hint_id = format!("{}-hint", question.id);
    let error_id = format!("{}-error", question.id);
    let described_by = {
        let hint_id = hint_id.clone();
        let error_id = error_id.clone();
        let has_hint = !question.hint.is_empty();
        move || {
            let mut ids = Vec::new();
            if has_hint {
                ids.push(hint_id.clone());
            }
            if error.get().is_some() {
                ids.push(error_id.clone());
            }
            ids.join(" ")
        }
    };

    view! {
        <fieldset aria-describedby=described_by class:fieldset--error=move || error.get().is_some()>
            <legend>
                <h1>
                    <span class="step-count">{format!("Step {number} of {of}")}</span>
                    {question.text.clone()}
                </h1>
            </legend>
            {(!question.hint.is_empty()).then(|| view! { <p class="hint" id=hint_id.clone()>{question.hint.clone()}</p> })}
            {move || error.get().map(|message| view! {
                <p class="field-error" id=error_id.clone()><span class="visually-hidden">"Error: "</span>{message}</p>
            })}
            <Choices question=question chosen=chosen error=error first_input=first_input />
        </fieldset>
    }
}

/// The options as radio buttons (choose one) or checkboxes (tick all that apply); changing
/// one clears the error.
#[component]
fn Choices(
    question: Question,
    chosen: RwSignal<Vec<String>>,
    error: RwSignal<Option<&'static str>>,
    first_input: NodeRef<leptos::html::Input>,
) -> impl IntoView {
    let kind = match question.choose {
        Choose::One => "radio",
        Choose::Any => "checkbox",
    };
    let options = question
        .options
        .iter()
        .enumerate()
        .map(|(i, option)| {
            let input_id = format!("{}-{}", question.id, option.id);
            let value = option.id.clone();
            let checked_id = option.id.clone();
            let question = question.clone();
            let node = if i == 0 { first_input } else { NodeRef::new() };
            view! {
                <li class="choice" class:choice--exclusive=option.exclusive>
                    <input
                        type=kind
                        id=input_id.clone()
                        name=question.id.clone()
                        value=value.clone()
                        node_ref=node
                        prop:checked=move || chosen.get().contains(&checked_id)
                        on:change=move |ev| {
                            error.set(None);
                            chosen.update(|c| toggle(&question, c, value.clone(), event_target_checked(&ev)));
                        }
                    />
                    <label for=input_id>{option.label.clone()}</label>
                </li>
            }
        })
        .collect_view();

    view! { <ul class="choices">{options}</ul> }
}

/// The options chosen after `option_id` is ticked (`checked`) or unticked.
fn toggle(question: &Question, chosen: &mut Vec<String>, option_id: String, checked: bool) {
    match question.choose {
        Choose::One => *chosen = vec![option_id],
        Choose::Any => {
            let exclusive = question.option(&option_id).is_some_and(|o| o.exclusive);
            if checked {
                // "None of these" and a sign cannot both be ticked: the newest wins.
                chosen.retain(|id| !exclusive && question.option(id).is_some_and(|o| !o.exclusive));
                chosen.push(option_id);
            } else {
                chosen.retain(|id| *id != option_id);
            }
        }
    }
}
