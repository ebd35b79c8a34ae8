use crate::components::page_meta::PageMeta;
use leptos::prelude::*;
use leptos_router::components::A;

#[component]
pub fn SelfCheck() -> impl IntoView {
    view! {
        <PageMeta path="/self-check"
            title="Back-pain self-check"
            description="Check whether massage suits your back pain: warning signs first, then the part of the guide that fits you."
        />
        <h1>"Back-pain self-check"</h1>
        <p class="lead">
            "Some back pain needs a doctor before any massage. If you have back pain with numbness around your bottom or genitals, "
            "problems peeing or pooing, or pain or weakness in both legs, call 999 or go to A&E now."
        </p>
        <p>
            "The step-by-step questionnaire is being prepared. Meanwhile, the "
            <A href="/articles">"articles"</A> " explain which kinds of back pain massage helps with."
        </p>
    }
}
