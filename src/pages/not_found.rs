use crate::components::article_card::ArticleCard;
use crate::components::page_meta::PageMeta;
use crate::library_client::use_library;
use leptos::prelude::*;
use leptos_router::NavigateOptions;
use leptos_router::components::A;
use leptos_router::hooks::use_navigate;
use massage_core::articles::library_href;

/// The not-found page's title: the prerenderer also looks for it, to fail the build when
/// the router (`src/app.rs`) has no route for a page `massage_core::pages` lists.
pub const TITLE: &str = "Page not found";

/// Shown for any path the app does not know, including unknown article slugs. The server
/// answers such paths with the app shell (so deep links work), so this page is where a
/// mistyped or old link ends up: it offers a search and the latest articles.
#[component]
pub fn NotFound() -> impl IntoView {
    let library = use_library();
    let query = RwSignal::new(String::new());
    let navigate = use_navigate();
    let search = move |ev: web_sys::SubmitEvent| {
        ev.prevent_default();
        navigate(
            &library_href(&query.get_untracked(), None, None),
            NavigateOptions::default(),
        );
    };
    view! {
        <PageMeta title=TITLE description="This page does not exist. Find articles, services and booking from here." />
        <h1>"Sorry, this page doesn't exist"</h1>
        <p class="lead">"The link may be old or mistyped. Search the articles, or try one of these pages."</p>
        <form class="inline-search needs-js" role="search" on:submit=search>
            <label for="not-found-search">"Search the articles"</label>
            <div class="inline-search__row">
                <input id="not-found-search" type="search" name="q" bind:value=query />
                <button type="submit" class="button">"Search"</button>
            </div>
        </form>
        <ul class="link-list">
            <li><A href="/">"Home"</A></li>
            <li><A href="/articles">"All articles"</A></li>
            <li><A href="/self-check">"Back-pain self-check"</A></li>
            <li><A href="/services">"Services and prices"</A></li>
            <li><A href="/book">"Request a booking"</A></li>
        </ul>
        {move || library.get().and_then(Result::ok).map(|index| view! {
            <section aria-labelledby="latest">
                <h2 id="latest">"Latest articles"</h2>
                <ul class="article-list">
                    {index.articles.iter().take(3).cloned().map(|meta| view! { <ArticleCard meta=meta level=3 /> }).collect_view()}
                </ul>
            </section>
        })}
    }
}
