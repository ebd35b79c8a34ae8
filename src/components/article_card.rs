//! An article in a list: the library, related articles, the latest articles.

use leptos::prelude::*;
use leptos_router::components::A;
use massage_core::articles::search::highlight;
use massage_core::articles::{ArticleMeta, display_date};

/// `terms` (normalised search words) are highlighted in the title and summary; `snippet` is
/// shown when the match is only in the article's text.
#[component]
pub fn ArticleCard(
    meta: ArticleMeta,
    #[prop(default = Vec::new())] terms: Vec<String>,
    #[prop(default = None)] snippet: Option<String>,
    /// The heading level that fits where the list sits on the page.
    #[prop(default = 2)]
    level: u8,
) -> impl IntoView {
    let href = format!("/articles/{}", meta.slug);
    let title = marked(&meta.title, &terms);
    let link = view! { <A href=href>{title}</A> };
    let heading = match level {
        3 => view! { <h3 class="article-card__title">{link}</h3> }.into_any(),
        _ => view! { <h2 class="article-card__title">{link}</h2> }.into_any(),
    };
    view! {
        <li class="card article-card">
            {heading}
            <p class="article-card__meta muted">
                <time datetime=meta.date.clone()>{display_date(&meta.date)}</time>
                {format!(" \u{b7} {} min read \u{b7} {}", meta.reading_minutes, meta.category)}
            </p>
            <p>{marked(&meta.summary, &terms)}</p>
            {snippet.map(|s| view! { <p class="article-card__snippet">{marked(&s, &terms)}</p> })}
        </li>
    }
}

/// Text with the words matching `terms` wrapped in <mark>; built as nodes, never as HTML.
pub fn marked(text: &str, terms: &[String]) -> impl IntoView + use<> {
    highlight(text, terms)
        .into_iter()
        .map(|(part, hit)| {
            if hit {
                view! { <mark>{part}</mark> }.into_any()
            } else {
                part.into_any()
            }
        })
        .collect_view()
}
