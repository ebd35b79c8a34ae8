use super::step_href;
use crate::components::page_meta::PageMeta;
use crate::content::self_check_rules;
use crate::state::self_check as answers;
use leptos::prelude::*;
use leptos_router::NavigateOptions;
use leptos_router::components::A;
use leptos_router::hooks::use_navigate;
use massage_core::self_check::engine::Next;
use massage_core::self_check::{Answers, Level, Outcome};

/// The result: how urgent, in words and colour; why; what to do now; the article sections
/// that fit; and a booking only when massage is appropriate.
#[component]
pub(crate) fn SelfCheckResult(answers: Answers) -> impl IntoView {
    let rules = self_check_rules();
    // The result shown is the one the booking page will know (it reads what saving records,
    // also for answers kept in this tab before the site last changed).
    answers::save(&answers);
    let navigate = use_navigate();
    let start_again = move |_| {
        answers::clear();
        navigate(
            &step_href(&rules.questions[0].id),
            NavigateOptions::default(),
        );
    };
    let outcome = match rules.next(&answers) {
        Next::Result(outcome) => outcome,
        // The build proves every path ends in an outcome; if that were ever bypassed, say
        // the cautious thing rather than guess.
        Next::Ask { .. } | Next::Unmatched => return view! { <Undecided /> }.into_any(),
    };
    let links: Vec<(String, String, String)> = rules
        .links(outcome, &answers)
        .into_iter()
        .map(|l| (l.href(), l.label.clone(), l.why.clone()))
        .collect();
    let next_steps = rules.next_steps(outcome, &answers);
    let summary = rules.summary(&answers);
    let level = outcome.level;
    // Said once the page is in place, so screen readers announce the result as well as
    // reading the heading that receives focus.
    let announcement = RwSignal::new(String::new());
    let said = format!("Result: {}. {}", level.label(), outcome.title);
    request_animation_frame(move || announcement.set(said));
    view! {
        <p class="visually-hidden" role="status" aria-live="polite">{move || announcement.get()}</p>
        <PageMeta title=format!("Result: {} \u{2013} Back-pain self-check", outcome.title) description=outcome.explanation.clone() />
        <section class=format!("result result--{}", level.slug()) aria-labelledby="result-title">
            <p class="result__level"><span class="result__icon" aria-hidden="true">{icon(level)}</span>{level.label()}</p>
            <h1 id="result-title">{outcome.title.clone()}</h1>
            <p class="lead">{outcome.explanation.clone()}</p>
            <UrgentActions level=level />
        </section>
        <h2>"What to do now"</h2>
        <ol class="next-steps-list">{next_steps.into_iter().map(|s| view! { <li>{s}</li> }).collect_view()}</ol>
        {(!links.is_empty()).then(|| view! {
            <h2>"Read the part of the guide that fits you"</h2>
            <ul class="section-links">
                {links.into_iter().map(|(href, label, why)| view! {
                    <li><A href=href>{label}</A><span class="muted">{format!(" \u{2013} {why}")}</span></li>
                }).collect_view()}
            </ul>
        })}
        <BookingOffer outcome=outcome.clone() />
        <section aria-labelledby="your-answers" class="answers-summary">
            <h2 id="your-answers">"Your answers"</h2>
            <dl>
                {summary.into_iter().map(|(q, a)| view! { <dt>{q}</dt><dd>{a}</dd> }).collect_view()}
            </dl>
            <p class="muted">"These stay in this browser tab and are forgotten when you close it."</p>
        </section>
        <p class="actions no-print">
            <button type="button" class="button" on:click=|_| { let _ = window().print(); }>"Print or save as PDF"</button>
            <button type="button" class="button" on:click=start_again>"Start again"</button>
        </p>
        <p class="muted small">"This check is not a diagnosis. If you feel worse or are worried, contact your GP or NHS 111, or call 999 in an emergency."</p>
    }
    .into_any()
}

/// A symbol beside the level's words, so the level is told by more than colour.
fn icon(level: Level) -> &'static str {
    match level {
        Level::Emergency | Level::Urgent => "!",
        Level::CheckFirst | Level::Wait => "i",
        Level::Suitable => "\u{2713}",
    }
}

/// The number to call, as a button, for emergency and urgent results.
#[component]
fn UrgentActions(level: Level) -> impl IntoView {
    match level {
        Level::Emergency => Some(view! { <p><a class="button button--danger" href="tel:999">"Call 999"</a></p> }.into_any()),
        Level::Urgent => Some(
            view! {
                <p class="actions">
                    <a class="button button--danger" href="tel:111">"Call NHS 111"</a>
                    <a class="button" href="https://111.nhs.uk/" rel="noopener noreferrer" target="_blank">"Use NHS 111 online"</a>
                </p>
            }
            .into_any(),
        ),
        _ => None,
    }
}

#[component]
fn BookingOffer(outcome: Outcome) -> impl IntoView {
    outcome.level.offers_booking().then(|| {
        let text = match outcome.wait_days {
            Some(days) => format!(
                "You can ask for a session now, for a day after the first {days} days: the booking form offers no earlier day."
            ),
            None => "Ask for a session at a time that suits you, in-call or at home.".to_owned(),
        };
        view! {
            <section class="card booking-offer" aria-labelledby="book-now">
                <h2 id="book-now">"Book a back pain session"</h2>
                <p>{text}</p>
                <p class="muted">"On the booking page you can choose to send these answers with your request, so your session can be planned around them. They are only sent if you tick the consent box there."</p>
                <p><A href="/book" attr:class="button button--primary">"Request a booking"</A></p>
            </section>
        }
    })
}

#[component]
fn Undecided() -> impl IntoView {
    view! {
        <PageMeta title="Result \u{2013} Back-pain self-check" description="Speak to your GP or a physiotherapist." />
        <h1>"Please check with your GP or a physiotherapist"</h1>
        <p class="lead">"We could not match your answers to advice here. A GP or physiotherapist can tell you whether massage is right for you."</p>
        <p><A href="/self-check">"Back to the self-check"</A></p>
    }
}
