use crate::components::page_meta::PageMeta;
use leptos::prelude::*;

/// What the service worker shows for a page that is not saved on this phone when there is no
/// connection. The build writes it to `offline.html` (never a page of its own in the sitemap);
/// the worker fills the list with the articles read here, which open without a connection.
#[component]
pub fn Offline() -> impl IntoView {
    view! {
        <PageMeta title="You are offline" description="This page is not saved on this phone. Articles read here before open without a connection." />
        <h1>"You are offline"</h1>
        <p class="lead">"This page is not saved on this phone, and there is no connection to fetch it. Try again when you have signal."</p>
        <section aria-labelledby="saved">
            <h2 id="saved">"Articles saved on this phone"</h2>
            <p>"Articles you have opened here before open without a connection:"</p>
            <ul class="link-list" data-saved-articles=""></ul>
        </section>
    }
}

/// Where the offline page is in the app (and, as `offline.html`, in the built site).
pub const PATH: &str = "/offline";
