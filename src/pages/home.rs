use crate::components::page_meta::{FeedLink, PageMeta};
use crate::content::{catalog, practice};
use leptos::prelude::*;
use leptos_meta::Script;
use leptos_router::components::A;

#[component]
pub fn Home() -> impl IntoView {
    let p = practice();
    let description = format!(
        "{} is a massage therapist in London: back pain, deep tissue, sports and relaxation massage, in-call or at your home, daily {}.",
        p.therapist,
        p.hours()
    );
    view! {
        <PageMeta path="/" title="Massage therapy in London, in-call and outcall" description=description />
        <FeedLink />
        <Script type_="application/ld+json">{massage_core::articles::structured_data::practice(practice())}</Script>
        <section class="hero" aria-labelledby="page-title">
            <h1 id="page-title">"Massage therapy in London, at my studio or in your home"</h1>
            <p class="lead">
                "I'm " {p.therapist.clone()} ", a massage therapist working with back pain, "
                "desk-work tension, training and recovery, and plain everyday stress."
            </p>
            <ul class="facts">
                <li><strong>"When: "</strong> "every day, " {p.hours()}</li>
                <li><strong>"In-call: "</strong> {p.in_call_location.clone()}</li>
                <li><strong>"Outcall: "</strong> "I bring the table to you, " {p.outcall_area.clone()}</li>
            </ul>
            <p class="actions">
                <A href="/book" attr:class="button button--primary">"Request a booking"</A>
                <A href="/self-check" attr:class="button">"Check if massage suits your back pain"</A>
            </p>
        </section>

        <section aria-labelledby="start-here">
            <h2 id="start-here">"Where to start"</h2>
            <ul class="cards">
                <li class="card">
                    <h3><A href="/articles">"Read the articles"</A></h3>
                    <p>"Plain-English guides to back pain, neck and shoulder tension, sports massage and what happens at a first appointment."</p>
                </li>
                <li class="card">
                    <h3><A href="/self-check">"Back-pain self-check"</A></h3>
                    <p>"A few questions that check for warning signs first, then point you to the part of the back-pain guide that fits you."</p>
                </li>
                <li class="card">
                    <h3><A href="/services">"Services and prices"</A></h3>
                    <p>"What each treatment is, how long it lasts and what it costs, in-call or at home."</p>
                </li>
            </ul>
        </section>

        <section aria-labelledby="treatments">
            <h2 id="treatments">"Treatments"</h2>
            <ul class="service-list">
                {catalog()
                    .services
                    .iter()
                    .map(|s| {
                        let from = s.lengths.iter().map(|l| l.price_gbp).min().unwrap_or_default();
                        view! {
                            <li>
                                <A href="/services">{s.name.clone()}</A>
                                <span class="muted">{format!(" from \u{a3}{from}")}</span>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        </section>
    }
}
