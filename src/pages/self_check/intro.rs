use super::{NeedsJavaScript, step_href};
use crate::components::page_meta::PageMeta;
use crate::content::self_check_rules;
use crate::state::self_check as answers;
use leptos::prelude::*;
use leptos_router::components::A;
use massage_core::self_check::engine::Next;

/// What the self-check is and is not, before the first question.
#[component]
pub fn SelfCheckIntro() -> impl IntoView {
    let rules = self_check_rules();
    let saved = RwSignal::new(answers::load());
    let first = step_href(&rules.questions[0].id);
    let resume = move || match rules.next(&saved.get()) {
        Next::Ask { question, .. } => step_href(&question.id),
        Next::Result(_) | Next::Unmatched => step_href(super::RESULT),
    };
    let start_again = move |_| {
        answers::clear();
        saved.set(Default::default());
    };
    view! {
        <PageMeta
            path="/self-check"
            title="Back-pain self-check"
            description="Check whether massage suits your back pain: warning signs first, then the part of the guide that fits you. Answers stay on your phone."
        />
        <h1>"Back-pain self-check"</h1>
        <p class="lead">
            "Answer up to " {rules.questions.len()} " short questions to see whether massage is likely to suit your back pain, "
            "and which part of the back-pain guide fits you. It takes about a minute."
        </p>
        <div class="notice notice--warning">
            <p><strong>"This is not a diagnosis."</strong></p>
            <p>
                "If you have back pain with chest pain, numbness around your genitals or bottom, loss of control of your bladder or bowels, "
                "or weakness in both legs, do not use this check: "
                <a href="tel:999">"call 999"</a> " or go to A&E now."
            </p>
        </div>
        <p>
            "The first questions ask about warning signs that need a doctor. Your answers stay in this browser tab on your device: "
            "they are not sent anywhere, and they are forgotten when you close the tab."
        </p>
        <NeedsJavaScript />
        {move || {
            if saved.get().is_empty() {
                view! { <p class="actions needs-js"><A href=first.clone() attr:class="button button--primary">"Start the check"</A></p> }.into_any()
            } else {
                view! {
                    <p class="actions needs-js">
                        <A href=resume() attr:class="button button--primary">"Continue where you left off"</A>
                        <button type="button" class="button" on:click=start_again>"Start again"</button>
                    </p>
                }
                .into_any()
            }
        }}
    }
}
