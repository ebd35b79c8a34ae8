use crate::components::page_meta::PageMeta;
use crate::content::practice;
use leptos::prelude::*;
use leptos_router::components::A;

/// How to book. The online request form arrives with the booking receiver; until then this
/// page gives the ways that work today rather than a form that goes nowhere.
#[component]
pub fn Book() -> impl IntoView {
    let p = practice();
    view! {
        <PageMeta path="/book"
            title="Book a massage"
            description="How to book a massage in London, in-call or at home, daily 11:00 to 22:00."
        />
        <h1>"Book a massage"</h1>
        <p class="lead">
            "Sessions run every day, " {p.hours()} " London time, at " {p.in_call_location.clone()}
            " or at your home or hotel " {p.outcall_area.clone()} "."
        </p>
        <h2>"Get in touch"</h2>
        <p>"Tell me the treatment, how long you would like, two or three times that suit you, and for outcall your postcode."</p>
        <ul class="link-list">
            <li>"Call or text " <a href=p.phone_link()>{p.phone.clone()}</a></li>
            <li>"E-mail " <a href=format!("mailto:{}", p.email)>{p.email.clone()}</a></li>
        </ul>
        <p>"I'll reply to confirm a time, usually the same day."</p>
        <h2>"Before you book"</h2>
        <p>
            "See " <A href="/services">"services and prices"</A> ". " {p.cancellation_policy.clone()}
        </p>
    }
}
