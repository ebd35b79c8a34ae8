use crate::components::page_meta::PageMeta;
use crate::content::{catalog, practice};
use leptos::prelude::*;
use leptos_router::components::A;
use massage_core::services::Service;

#[component]
pub fn Services() -> impl IntoView {
    let p = practice();
    view! {
        <PageMeta path="/services"
            title="Services and prices"
            description="Massage treatments, session lengths and prices, in-call in central London or outcall at your home or hotel."
        />
        <h1>"Services and prices"</h1>
        <p class="lead">
            "Every session starts with a short consultation. In-call sessions are at "
            {p.in_call_location.clone()} ". For outcall I travel to you " {p.outcall_area.clone()}
            {format!(", for \u{a3}{} on top of the price below.", p.outcall_surcharge_gbp)}
        </p>
        <ul class="services">
            {catalog().services.iter().map(service_card).collect_view()}
        </ul>
        <section aria-labelledby="cancellation">
            <h2 id="cancellation">"Cancelling or moving a session"</h2>
            <p>{p.cancellation_policy.clone()}</p>
        </section>
    }
}

fn service_card(service: &Service) -> impl IntoView {
    let heading_id = format!("service-{}", service.id);
    view! {
        <li class="card service">
            <h2 id=heading_id>{service.name.clone()}</h2>
            <p>{service.summary.clone()}</p>
            <p class="muted">{service.where_label()}</p>
            <table class="prices">
                <caption class="visually-hidden">{format!("{} prices", service.name)}</caption>
                <thead>
                    <tr><th scope="col">"Length"</th><th scope="col">"Price"</th></tr>
                </thead>
                <tbody>
                    {service
                        .lengths
                        .iter()
                        .map(|l| view! {
                            <tr><td>{format!("{} minutes", l.minutes)}</td><td>{format!("\u{a3}{}", l.price_gbp)}</td></tr>
                        })
                        .collect_view()}
                </tbody>
            </table>
            <p><A href="/book">{format!("Request a {}", service.name.to_lowercase())}</A></p>
        </li>
    }
}
